package io.pfnmap.verification.proof;

import java.nio.file.Path;

/**
 * Developer tool: the proof run of {@code ProofTest} from the command line, optionally filtered,
 * with the report on the console and in {@code verification/proofs/target/proofs}. Arguments (all
 * optional): {@code filterRegex maxSteps safetyNetSeconds workers} (prover processes). Run from the project root, e.g.
 * <pre>
 * mvn -B -o -q -DskipTests package -pl verification/proofs -am && mvn -B -o -q -pl verification/proofs dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -Xss8m -Xmx6g -Duser.home=/tmp/keyhome -cp verification/proofs/target/classes:$(cat /tmp/cp.txt) \
 *     io.pfnmap.verification.proof.ProveTool 'Arith#' 60000 900 2
 * </pre>
 * {@code -Dproofs.debug=true} prints the first open goals of every open proof.
 */
public final class ProveTool {
    private ProveTool() {
    }

    public static void main(String[] args) {
        String filter = args.length > 0 ? args[0] : "";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 60000;
        long safetyNet = args.length > 2 ? Long.parseLong(args[2]) : 900;
        int workers = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int code = 0;
        try {
            ProofRun run = ProofRun.run(steps, safetyNet, workers, filter);
            Path dir = CoreSources.projectRoot().resolve("verification/proofs/target/proofs");
            Report.write(run, dir);
            System.out.print(Report.table(run.results, false));
            System.out.println(Report.summary(run));
            for (ContractResult r : run.results) {
                if (!r.asExpected()) {
                    code = 1;
                }
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            code = 2;
        }
        // KeY leaves non-daemon threads behind.
        System.exit(code);
    }
}
