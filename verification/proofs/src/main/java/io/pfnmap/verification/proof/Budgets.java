package io.pfnmap.verification.proof;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code proofs/budgets.txt} (test resources): contracts whose proofs need more rule applications
 * than the run's step limit, each with its own limit and why. One line per contract: {@code
 * Class#method contract | steps | why}, optionally {@code | options} (space-separated
 * {@code key=value} strategy options, {@link KeyProver#strategy(java.util.Map)}); {@code #} starts a comment. The global limit stays low so
 * that the excused (open) proofs stop early; a proof that closes needs its steps whatever the
 * limit; an excused or trusted contract may have a lower limit of its own. A malformed line, or one naming no contract, fails the run.
 */
public final class Budgets {
    /** The strategy options a line may set, and their values. */
    static final Map<String, List<String>> OPTIONS = Map.of("classAxiom", List.of("free", "delayed", "off"),
            "query", List.of("on", "restricted", "off"), "quantifiers",
            List.of("instantiate", "nonSplitting", "nonSplittingWithProgs"), "nonLinear",
            List.of("defOps", "none", "completion"));

    private final Map<String, Integer> steps;
    private final Map<String, Map<String, String>> options;

    private Budgets(Map<String, Integer> steps, Map<String, Map<String, String>> options) {
        this.steps = steps;
        this.options = options;
    }

    public static Budgets load() {
        try (InputStream in = Budgets.class.getResourceAsStream("/proofs/budgets.txt")) {
            if (in == null) {
                return new Budgets(new LinkedHashMap<>(), new LinkedHashMap<>());
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return parse(r.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The budgets of these lines; a malformed line fails, naming its number and the rule. */
    static Budgets parse(List<String> lines) {
        Map<String, Integer> m = new LinkedHashMap<>();
        Map<String, Map<String, String>> o = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (ListFile.Row r : ListFile.rows(lines)) {
            int n = r.number();
            String[] f = r.fields();
            if (f.length < 3 || f.length > 4 || f[2].isBlank()) {
                errors.add("budgets.txt line " + n + ": needs 'Class#method contract | steps | why' and optionally "
                        + "'| key=value ...'");
                continue;
            }
            if (f.length == 4) {
                Map<String, String> opts = new LinkedHashMap<>();
                for (String kv : f[3].strip().split("\\s+")) {
                    String[] p = kv.split("=", 2);
                    if (p.length != 2 || !OPTIONS.containsKey(p[0]) || !OPTIONS.get(p[0]).contains(p[1])) {
                        errors.add("budgets.txt line " + n + ": option '" + kv + "' is not one of " + OPTIONS);
                    } else {
                        opts.put(p[0], p[1]);
                    }
                }
                o.put(f[0].strip(), opts);
            }
            try {
                m.put(f[0].strip(), Integer.parseInt(f[1].strip()));
            } catch (NumberFormatException e) {
                errors.add("budgets.txt line " + n + ": steps must be a number, not '" + f[1].strip() + "'");
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException(String.join("; ", errors));
        }
        return new Budgets(m, o);
    }

    /** The strategy options of {@code key}: its own, or none. */
    public Map<String, String> options(String key) {
        return options.getOrDefault(key, Map.of());
    }

    /**
     * The step limit of {@code key}: its own, or {@code fallback}. An own limit may be lower than
     * the run's: an excused or trusted contract need not spend the run's steps on goals KeY is
     * known to leave open.
     */
    public int steps(String key, int fallback) {
        return steps.getOrDefault(key, fallback);
    }

    /** Every entry names a contract of the run (unless the run was filtered). */
    public void checkAllUsed(Collection<String> keys, boolean filtered) {
        if (filtered) {
            return;
        }
        List<String> stale = new ArrayList<>();
        for (String k : steps.keySet()) {
            if (!keys.contains(k)) {
                stale.add(k);
            }
        }
        if (!stale.isEmpty()) {
            throw new IllegalStateException("budgets.txt names no contract of the run: " + stale);
        }
    }
}
