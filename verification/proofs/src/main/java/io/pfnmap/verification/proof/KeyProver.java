package io.pfnmap.verification.proof;

import de.uka.ilkd.key.control.DefaultUserInterfaceControl;
import de.uka.ilkd.key.control.KeYEnvironment;
import de.uka.ilkd.key.java.abstraction.KeYJavaType;
import de.uka.ilkd.key.logic.Choice;
import de.uka.ilkd.key.logic.op.IObserverFunction;
import de.uka.ilkd.key.logic.op.IProgramMethod;
import de.uka.ilkd.key.proof.Goal;
import de.uka.ilkd.key.proof.Node;
import de.uka.ilkd.key.proof.Proof;
import de.uka.ilkd.key.proof.init.ProofOblInput;
import de.uka.ilkd.key.proof.io.ProblemLoaderException;
import de.uka.ilkd.key.settings.ChoiceSettings;
import de.uka.ilkd.key.settings.ProofSettings;
import de.uka.ilkd.key.speclang.Contract;
import de.uka.ilkd.key.strategy.StrategyProperties;
import de.uka.ilkd.key.util.KeYTypeUtil;
import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * KeY 2.12.3 driven headlessly: load a folder of Java sources, list every JML contract of every
 * type declared there, and run the automatic prover on each with the options below, all set
 * explicitly (never read from {@code ~/.key}).
 *
 * <p>The one option that decides soundness for this project is {@code intRules}: it must be
 * {@code intRules:javaSemantics}, so that {@code long} arithmetic in the code wraps as Java's (and
 * C's unsigned long) does. KeY's default, {@code arithmeticSemanticsIgnoringOF}, treats code
 * arithmetic as mathematical and would "prove" contracts that only hold without overflow. Every
 * proof's settings are checked after creation; a proof with any other value is refused.
 */
public final class KeyProver implements AutoCloseable {

    /** The integer semantics every proof must use. */
    public static final String INT_RULES = "intRules:javaSemantics";

    /**
     * The taclet options (KeY's "choices"), every category KeY 2.12.3 knows, set explicitly. A
     * category KeY offers that is missing here makes the load fail (see {@link #checkCategories}).
     */
    public static final Map<String, String> CHOICES;

    static {
        Map<String, String> c = new TreeMap<>();
        c.put("intRules", INT_RULES);
        c.put("assertions", "assertions:on");
        c.put("bigint", "bigint:on");
        c.put("initialisation", "initialisation:disableStaticInitialisation");
        c.put("programRules", "programRules:Java");
        c.put("runtimeExceptions", "runtimeExceptions:allow");
        c.put("JavaCard", "JavaCard:off");
        c.put("Strings", "Strings:on");
        c.put("sequences", "sequences:on");
        c.put("moreSeqRules", "moreSeqRules:on");
        c.put("reach", "reach:on");
        c.put("integerSimplificationRules", "integerSimplificationRules:full");
        c.put("permissions", "permissions:off");
        c.put("modelFields", "modelFields:treatAsAxiom");
        c.put("wdOperator", "wdOperator:L");
        c.put("wdChecks", "wdChecks:off");
        c.put("mergeGenerateIsWeakeningGoal", "mergeGenerateIsWeakeningGoal:off");
        c.put("methodExpansion", "methodExpansion:modularOnly");
        c.put("javaLoopTreatment", "javaLoopTreatment:efficient");
        c.put("floatRules", "floatRules:strictfpOnly");
        c.put("soundDefaultContracts", "soundDefaultContracts:on");
        CHOICES = Collections.unmodifiableMap(c);
    }

    /**
     * The strategy, every property set explicitly (method contracts, loop invariants, ...), with a
     * contract's own options (proofs/budgets.txt): {@code classAxiom} (free,
     * delayed, off: when model methods such as vmasValid are unfolded), {@code query} (on,
     * restricted, off: whether pure-method calls in specifications are expanded through their
     * contracts), {@code quantifiers} (instantiate, nonSplitting, nonSplittingWithProgs), {@code
     * nonLinear} (defOps, none, completion: whether inequalities are multiplied). None of
     * them can make a false contract provable: they only order or withhold rule applications.
     * System properties {@code proofs.classAxiom}, {@code proofs.query} and {@code
     * proofs.quantifiers} set the default, for experiments.
     */
    public static StrategyProperties strategy(Map<String, String> options) {
        StrategyProperties sp = new StrategyProperties();
        sp.setProperty(StrategyProperties.STOPMODE_OPTIONS_KEY, StrategyProperties.STOPMODE_DEFAULT);
        sp.setProperty(StrategyProperties.SPLITTING_OPTIONS_KEY, StrategyProperties.SPLITTING_DELAYED);
        sp.setProperty(StrategyProperties.LOOP_OPTIONS_KEY, StrategyProperties.LOOP_SCOPE_INV_TACLET);
        sp.setProperty(StrategyProperties.BLOCK_OPTIONS_KEY, StrategyProperties.BLOCK_CONTRACT_INTERNAL);
        sp.setProperty(StrategyProperties.METHOD_OPTIONS_KEY, StrategyProperties.METHOD_CONTRACT);
        sp.setProperty(StrategyProperties.MPS_OPTIONS_KEY, StrategyProperties.MPS_MERGE);
        sp.setProperty(StrategyProperties.DEP_OPTIONS_KEY, StrategyProperties.DEP_ON);
        String query = options.getOrDefault("query", System.getProperty("proofs.query", "on"));
        sp.setProperty(StrategyProperties.QUERY_OPTIONS_KEY, query.equals("off") ? StrategyProperties.QUERY_OFF
                : query.equals("restricted") ? StrategyProperties.QUERY_RESTRICTED : StrategyProperties.QUERY_ON);
        sp.setProperty(StrategyProperties.QUERYAXIOM_OPTIONS_KEY, StrategyProperties.QUERYAXIOM_ON);
        String nonLinear = options.getOrDefault("nonLinear", System.getProperty("proofs.nonLinear", "defOps"));
        sp.setProperty(StrategyProperties.NON_LIN_ARITH_OPTIONS_KEY, nonLinear.equals("completion")
                ? StrategyProperties.NON_LIN_ARITH_COMPLETION : nonLinear.equals("none")
                ? StrategyProperties.NON_LIN_ARITH_NONE : StrategyProperties.NON_LIN_ARITH_DEF_OPS);
        sp.setProperty(StrategyProperties.OSS_OPTIONS_KEY, StrategyProperties.OSS_ON);
        String quantifiers = options.getOrDefault("quantifiers", System.getProperty("proofs.quantifiers", "instantiate"));
        sp.setProperty(StrategyProperties.QUANTIFIERS_OPTIONS_KEY, quantifiers.equals("nonSplitting")
                ? StrategyProperties.QUANTIFIERS_NON_SPLITTING : quantifiers.equals("nonSplittingWithProgs")
                ? StrategyProperties.QUANTIFIERS_NON_SPLITTING_WITH_PROGS : StrategyProperties.QUANTIFIERS_INSTANTIATE);
        String axioms = options.getOrDefault("classAxiom", System.getProperty("proofs.classAxiom", "free"));
        sp.setProperty(StrategyProperties.CLASS_AXIOM_OPTIONS_KEY, axioms.equals("delayed")
                ? StrategyProperties.CLASS_AXIOM_DELAYED : axioms.equals("off") ? StrategyProperties.CLASS_AXIOM_OFF
                : StrategyProperties.CLASS_AXIOM_FREE);
        sp.setProperty(StrategyProperties.AUTO_INDUCTION_OPTIONS_KEY, StrategyProperties.AUTO_INDUCTION_OFF);
        sp.setProperty(StrategyProperties.VBT_PHASE, StrategyProperties.VBT_SYM_EX);
        sp.setProperty(StrategyProperties.INF_FLOW_CHECK_PROPERTY, StrategyProperties.INF_FLOW_CHECK_FALSE);
        for (int i = 1; i <= StrategyProperties.USER_TACLETS_NUM; i++) {
            sp.setProperty(StrategyProperties.userTacletsOptionsKey(i), StrategyProperties.USER_TACLETS_OFF);
        }
        sp.setProperty(StrategyProperties.SYMBOLIC_EXECUTION_ALIAS_CHECK_OPTIONS_KEY,
                StrategyProperties.SYMBOLIC_EXECUTION_ALIAS_CHECK_NEVER);
        sp.setProperty(StrategyProperties.SYMBOLIC_EXECUTION_NON_EXECUTION_BRANCH_HIDING_OPTIONS_KEY,
                StrategyProperties.SYMBOLIC_EXECUTION_NON_EXECUTION_BRANCH_HIDING_OFF);
        return sp;
    }

    /** A contract found in the loaded sources, with the names the report uses. */
    public record Target(Contract contract, String packageName, String className, String method, String contractName) {
    }

    /**
     * The raw outcome of one proof attempt. {@code uses}: the keys ({@code Class#method contract})
     * of the contracts the proof applied at a call (operation contracts, combined ones split into
     * their cases), so that a run can tell a proof that closed on proved callees from one that
     * closed on a callee's contract that is itself excused.
     */
    public record Outcome(boolean closed, int nodes, long millis, List<String> openBranches, String intRules,
            List<String> uses, boolean clockStopped) {
        public Outcome(boolean closed, int nodes, long millis, List<String> openBranches, String intRules) {
            this(closed, nodes, millis, openBranches, intRules, List.of(), false);
        }
    }

    private final KeYEnvironment<DefaultUserInterfaceControl> env;
    private final int maxSteps;
    private long safetyNetMillis = -1;

    private KeyProver(KeYEnvironment<DefaultUserInterfaceControl> env, int maxSteps) {
        this.env = env;
        this.maxSteps = maxSteps;
    }

    /**
     * The wall-clock safety net per proof, -1 for none. The step limit alone decides a proof's
     * verdict (KeY's strategy is deterministic, so a given contract, budget and option set always
     * gives the same proof tree); the net only ends a proof that runs far longer than any proof
     * does, and a proof it ends has no verdict ({@link Outcome#clockStopped}).
     */
    public void setSafetyNetMillis(long millis) {
        this.safetyNetMillis = millis;
    }

    /**
     * Loads {@code dir} (a source root holding only plain Java over {@code java.lang}) with the
     * options of {@link #CHOICES}.
     */
    public static synchronized KeyProver load(File dir, int maxSteps) throws ProblemLoaderException {
        if (!ProofSettings.isChoiceSettingInitialised()
                || ProofSettings.DEFAULT_SETTINGS.getChoiceSettings().getChoices().isEmpty()) {
            // A first load registers the choice categories; options are fixed at load time.
            KeYEnvironment<?> first = KeYEnvironment.load(dir, java.util.List.of(KeyStubs.classPathFor(dir)), null, null);
            first.dispose();
        }
        ChoiceSettings choices = ProofSettings.DEFAULT_SETTINGS.getChoiceSettings();
        Map<String, String> defaults = new LinkedHashMap<>(choices.getDefaultChoices());
        defaults.putAll(CHOICES);
        choices.setDefaultChoices(defaults);
        KeYEnvironment<DefaultUserInterfaceControl> env = KeYEnvironment.load(dir, java.util.List.of(KeyStubs.classPathFor(dir)),
                null, null);
        try {
            Map<String, Set<String>> offered = new TreeMap<>();
            for (Choice c : env.getInitConfig().choiceNS().allElements()) {
                offered.computeIfAbsent(c.category(), k -> new java.util.TreeSet<>()).add(c.name().toString());
            }
            checkCategories(offered);
            Set<String> active = new java.util.TreeSet<>();
            for (Choice c : env.getInitConfig().getActivatedChoices()) {
                active.add(c.name().toString());
            }
            for (String v : CHOICES.values()) {
                if (!active.contains(v)) {
                    throw new IllegalStateException("KeY option " + v + " is not active after load: " + active);
                }
            }
        } catch (RuntimeException e) {
            env.dispose();
            throw e;
        }
        return new KeyProver(env, maxSteps);
    }

    /** Every category KeY offers has a value in {@link #CHOICES}, and every value exists. */
    static void checkCategories(Map<String, Set<String>> offered) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : offered.entrySet()) {
            String mine = CHOICES.get(e.getKey());
            if (mine == null) {
                problems.add("no value set for KeY option category " + e.getKey() + " " + e.getValue());
            } else if (!e.getValue().contains(mine)) {
                problems.add(mine + " is not one of " + e.getValue());
            }
        }
        for (String k : CHOICES.keySet()) {
            if (!offered.containsKey(k)) {
                problems.add("KeY does not offer option category " + k);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("KeY options: " + String.join("; ", problems));
        }
    }

    /** Every contract of every non-library type, sorted by class, method and contract name. */
    public List<Target> targets() {
        List<Target> out = new ArrayList<>();
        Set<KeYJavaType> types = new LinkedHashSet<>(env.getJavaInfo().getAllKeYJavaTypes());
        for (KeYJavaType type : types) {
            if (KeYTypeUtil.isLibraryClass(type)) {
                continue;
            }
            for (IObserverFunction target : env.getSpecificationRepository().getContractTargets(type)) {
                for (Contract contract : env.getSpecificationRepository().getContracts(type, target)) {
                    out.add(new Target(contract, packageOf(type.getFullName()), simpleName(type.getFullName()), methodName(target),
                            contractName(contract)));
                }
            }
        }
        out.sort(Comparator.comparing(Target::className).thenComparing(Target::method)
                .thenComparing(Target::contractName));
        return out;
    }

    /** Runs auto mode on one contract; the contract holds only if the proof closes. */
    public Outcome prove(Contract contract) throws Exception {
        return prove(contract, maxSteps);
    }

    /** As {@link #prove(Contract)} with a step limit of its own (proofs/budgets.txt). */
    public Outcome prove(Contract contract, int steps) throws Exception {
        return prove(contract, steps, Map.of());
    }

    /** As {@link #prove(Contract, int)} with strategy options of its own ({@link #strategy(Map)}). */
    public Outcome prove(Contract contract, int steps, Map<String, String> options) throws Exception {
        ProofOblInput po = contract.createProofObl(env.getInitConfig(), contract);
        Proof proof = env.createProof(po);
        try {
            String intRules = proof.getSettings().getChoiceSettings().getDefaultChoices().get("intRules");
            if (!INT_RULES.equals(intRules)) {
                throw new IllegalStateException("proof of " + contract.getName() + " has " + intRules
                        + ", not " + INT_RULES);
            }
            StrategyProperties sp = strategy(options);
            proof.getSettings().getStrategySettings().setActiveStrategyProperties(sp);
            proof.getSettings().getStrategySettings().setMaxSteps(steps);
            proof.getSettings().getStrategySettings().setTimeout(-1);
            proof.setActiveStrategy(proof.getServices().getProfile().getDefaultStrategyFactory().create(proof, sp));
            long t0 = System.nanoTime();
            // The proof runs in this thread (ProofStarter: KeY's synchronous prover), not in an
            // auto-mode thread polled from here: a second thread that touches KeY's objects while
            // the proof runs hashes some of them first at a moment that depends on timing, and
            // KeY's rule order depends on those hash codes (docs/proofs.md, "Verdicts by steps").
            de.uka.ilkd.key.util.ProofStarter starter = new de.uka.ilkd.key.util.ProofStarter(false);
            starter.init(proof);
            starter.setMaxRuleApplications(steps);
            starter.setTimeout(safetyNetMillis > 0 ? safetyNetMillis : -1);
            starter.start();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            boolean closed = proof.closed();
            // KeY's timeout is the only way this stops short of both the step limit and the end
            // of its rules while the clock is past the net.
            boolean clockStopped = !closed && safetyNetMillis > 0 && millis >= safetyNetMillis;
            List<String> open = new ArrayList<>();
            if (!closed) {
                Map<String, Integer> byBranch = new LinkedHashMap<>();
                for (Goal g : proof.openGoals()) {
                    byBranch.merge(branchOf(g.node()), 1, Integer::sum);
                }
                if (Boolean.getBoolean("proofs.debug")) {
                    int shown = 0;
                    String only = System.getProperty("proofs.debugBranch", "");
                    for (Goal g : proof.openGoals()) {
                        if (!branchOf(g.node()).contains(only)) {
                            continue;
                        }
                        if (shown++ == Integer.getInteger("proofs.debugGoals", 2)) {
                            break;
                        }
                        System.out.println("OPEN GOAL of " + contract.getName() + " [" + branchOf(g.node()) + "]:\n"
                                + de.uka.ilkd.key.pp.LogicPrinter.quickPrintSequent(g.sequent(), proof.getServices()));
                    }
                }
                for (Map.Entry<String, Integer> e : byBranch.entrySet()) {
                    if (open.size() == 8) {
                        open.add("... " + (byBranch.size() - 8) + " more");
                        break;
                    }
                    open.add(e.getKey() + (e.getValue() > 1 ? " (x" + e.getValue() + ")" : ""));
                }
            }
            if (clockStopped) {
                open.add(0, "stopped by the wall-clock safety net of " + safetyNetMillis / 1000 + " s after "
                        + proof.countNodes() + " nodes: no verdict");
            }
            return new Outcome(closed && !clockStopped, proof.countNodes(), millis, open, intRules, usedContracts(proof),
                    clockStopped);
        } finally {
            proof.dispose();
        }
    }

    /** The keys of the operation contracts applied anywhere in the proof tree, sorted. */
    private List<String> usedContracts(Proof proof) {
        Set<String> keys = new java.util.TreeSet<>();
        for (java.util.Iterator<Node> it = proof.root().subtreeIterator(); it.hasNext();) {
            de.uka.ilkd.key.rule.RuleApp app = it.next().getAppliedRuleApp();
            if (app instanceof de.uka.ilkd.key.rule.ContractRuleApp cra && cra.getInstantiation() != null) {
                for (Contract atom : env.getSpecificationRepository().splitContract(cra.getInstantiation())) {
                    keys.add(simpleName(atom.getKJT().getFullName()) + "#" + methodName(atom.getTarget()) + " "
                            + contractName(atom));
                }
            }
        }
        return List.copyOf(keys);
    }

    /**
     * The nearest meaningful branch label above a node ("Post (remU)", "Precondition", "Invariant
     * Initially Valid", "if b true", ...): labels of mere rule counts and of case cuts are skipped,
     * the outermost proof-obligation branch is added when there is one.
     */
    private static String branchOf(Node n) {
        String inner = null;
        String outer = null;
        for (Node p = n; p != null; p = p.parent()) {
            String l = p.getNodeInfo().getBranchLabel();
            if (l == null || l.isBlank()) {
                continue;
            }
            l = l.trim();
            if (l.matches("\\d+ rules?") || l.startsWith("CUT:") || l.endsWith(" TRUE") || l.endsWith(" FALSE")) {
                continue;
            }
            if (inner == null) {
                inner = l;
            }
            if (l.startsWith("Post") || l.startsWith("Exceptional Post") || l.startsWith("Pre") || l.startsWith("Invariant")
                    || l.startsWith("Body Preserves") || l.startsWith("Use Case") || l.startsWith("Termination")
                    || l.startsWith("Null Reference") || l.startsWith("Index Out of Bounds") || l.startsWith("Variant")) {
                outer = l;
            }
        }
        if (inner == null) {
            return "(main)";
        }
        return outer == null || outer.equals(inner) ? inner : outer + " / " + inner;
    }

    private static String packageOf(String full) {
        int dot = full.lastIndexOf('.');
        return dot < 0 ? "" : full.substring(0, dot);
    }

    private static String simpleName(String full) {
        int dot = full.lastIndexOf('.');
        return dot < 0 ? full : full.substring(dot + 1);
    }

    private static String methodName(IObserverFunction target) {
        String n = target.name().toString();
        int colons = n.lastIndexOf("::");
        if (colons >= 0) {
            n = n.substring(colons + 2);
        }
        if (target instanceof IProgramMethod pm && pm.isConstructor()) {
            return "<init>";
        }
        return n;
    }

    /** "normal_behavior 0" style names: the contract's kind and its index within the method. */
    private static String contractName(Contract c) {
        String name = c.getName();
        int dot = name.indexOf("].");
        String n = dot < 0 ? name : name.substring(dot + 2);
        // "JML normal_behavior operation contract.0" -> "normal_behavior.0"
        return n.replace("JML ", "").replace(" operation contract", "").replace(' ', '_');
    }

    @Override
    public void close() {
        env.dispose();
    }
}
