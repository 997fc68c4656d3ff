package io.pfnmap.verification.proof;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Scratch driver (temporary). args: srcDir|core  filterRegex  maxSteps */
public final class Scratch {
    public static void main(String[] args) throws Exception {
        Path dir;
        if (args[0].equals("core")) {
            dir = CoreSources.copyCores(CoreSources.projectRoot(), Files.createTempDirectory("keycore"));
        } else {
            dir = Path.of(args[0]);
        }
        Pattern filter = Pattern.compile(args.length > 1 ? args[1] : ".*");
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 60000;
        long t0 = System.currentTimeMillis();
        try (KeyProver kp = KeyProver.load(dir.toFile(), steps)) {
            System.out.println("loaded in " + (System.currentTimeMillis() - t0) + " ms");
            for (KeyProver.Target t : kp.targets()) {
                String key = t.className() + "#" + t.method() + " " + t.contractName();
                if (!filter.matcher(key).find()) {
                    System.out.println("skip " + key);
                    continue;
                }
                KeyProver.Outcome o = kp.prove(t.contract());
                System.out.printf("%-8s %6d %7d ms  %s %s%n", o.closed() ? "CLOSED" : "OPEN", o.nodes(), o.millis(), key,
                        o.closed() ? "" : o.openBranches());
            }
        }
        System.out.println("total " + (System.currentTimeMillis() - t0) + " ms");
        System.exit(0);
    }
}
