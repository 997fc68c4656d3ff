package io.pfnmap.verification.oracle;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code ./oracle} command.
 * <pre>
 * oracle [serve]                                answer JSON Lines from stdin on stdout
 * oracle bench [N] [--rounds R] [--distinct-spaces | --session | --replay]
 *                                               time N requests (default 1,000,000) on a 64-VMA space
 * oracle bench --emit [N] [--distinct-spaces | --session | --replay]   write the benchmark's request lines to stdout
 * oracle compare [--split] [--json]             the VFIO designs side by side (vfio-model Compare; --split:
 *                                               devices mapped area by area, VfioSplit)
 * oracle vectors --seed S --out DIR [--random N] Wycheproof-style JSON and a C header of test vectors
 * oracle generate [--seed S] [N]                seeded random request lines (the differential harness's)
 * oracle flat                                   protocol lines in, the C harness driver's flat lines out
 * oracle check-tree TREE [--cases N] [--functions f1,f2,...] [--seed S] [--mutation NAME] [--no-sanitize] [--out DIR]
 *                                               a kernel tree's own mmap search against the model (CheckTree)
 * oracle help
 * </pre>
 * Exit status: 0; 2 for a usage error; 1 when stdin or stdout fails (check-tree: 1 on a disagreement).
 */
public final class OracleMain {
    private OracleMain() {
    }

    private static final String USAGE = String.join("\n",
            "usage: oracle [serve]          answer JSON Lines requests from stdin on stdout (docs/oracle.md)",
            "       oracle bench [N] [--rounds R] [--distinct-spaces | --session | --replay]",
            "                               time N requests (default 1000000) on a 64-VMA address space",
            "       oracle bench --emit [N] [--distinct-spaces | --session | --replay]",
            "                               write those request lines to stdout instead",
            "       oracle compare [--split] [--json]",
            "                               the VFIO designs side by side (vfio-model Compare); --split: whole",
            "                               devices mapped area by area around their MSI-X tables",
            "       oracle vectors --seed S --out DIR [--random N]",
            "                               write DIR/pfnmap_vectors.json and DIR/pfnmap_vectors.h",
            "       oracle generate [--seed S] [N]",
            "                               write N seeded random request lines (the harness's)",
            "       oracle flat             protocol lines in, the C harness driver's flat lines out",
            "       oracle check-tree TREE [--cases N] [--functions f1,f2,...] [--seed S] [--mutation NAME]",
            "                         [--no-sanitize] [--out DIR]",
            "                               a kernel tree's own mmap search against the model (docs/oracle.md)",
            "       oracle help");

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (IOException e) {
            System.err.println("oracle: " + e.getMessage());
            status = 1;
        } catch (RuntimeException e) {
            System.err.println("oracle: internal error: " + e);
            status = 1;
        }
        System.exit(status);
    }

    static int run(String[] args) throws IOException {
        if (args.length == 0 || args[0].equals("serve") && args.length == 1) {
            OutputStream out = new FileOutputStream(FileDescriptor.out);
            new Oracle().serve(new FileInputStream(FileDescriptor.in), out);
            out.flush();
            return 0;
        }
        if (args[0].equals("help") || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println(USAGE);
            return 0;
        }
        if (args[0].equals("bench")) {
            return bench(args);
        }
        if (args[0].equals("compare")) {
            return compare(args);
        }
        if (args[0].equals("vectors")) {
            return io.pfnmap.verification.oracle.Vectors.main(args);
        }
        if (args[0].equals("generate")) {
            return generate(args);
        }
        if (args[0].equals("flat")) {
            return flat();
        }
        for (OracleCommand c : java.util.ServiceLoader.load(OracleCommand.class)) {
            if (c.name().equals(args[0])) {
                int status = c.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err);
                System.out.flush();
                return status;
            }
        }
        if (args[0].equals("check-tree")) {
            System.err.println("oracle: check-tree is in the conformance module (verification/conformance), which is not "
                    + "built; build it with: mvn -q -B -DskipTests package");
            return 2;
        }
        System.err.println("oracle: unknown command " + String.join(" ", args) + "\n" + USAGE);
        return 2;
    }

    private static int compare(String[] args) {
        boolean json = false;
        boolean split = false;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--json")) {
                json = true;
            } else if (args[i].equals("--split")) {
                split = true;
            } else {
                System.err.println("oracle: unknown compare option " + args[i] + "\n" + USAGE);
                return 2;
            }
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        if (split) {
            return printed(out, io.pfnmap.vfio.Compare.deviceRows(),
                    json ? CompareJson::printDevices : io.pfnmap.vfio.Compare::printDevices);
        }
        return printed(out, io.pfnmap.vfio.Compare.rows(), json ? CompareJson::print : io.pfnmap.vfio.Compare::print);
    }

    /** {@code rows} printed to {@code out} and flushed: 0, or 1 when writing failed. */
    private static <T> int printed(PrintStream out, T rows, java.util.function.BiConsumer<PrintStream, T> printer) {
        printer.accept(out, rows);
        out.flush();
        return out.checkError() ? 1 : 0;
    }

    private static int generate(String[] args) {
        long seed = 1;
        int n = 1000;
        try {
            for (int i = 1; i < args.length; i++) {
                if (args[i].equals("--seed")) {
                    seed = Long.parseLong(args[++i]);
                } else {
                    n = Integer.parseInt(args[i]);
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            System.err.println("oracle: bad generate arguments\n" + USAGE);
            return 2;
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        io.pfnmap.verification.oracle.RequestGenerator g = new io.pfnmap.verification.oracle.RequestGenerator(seed);
        for (int i = 0; i < n; i++) {
            out.println(g.next());
        }
        out.flush();
        return out.checkError() ? 1 : 0;
    }

    /** Protocol lines in, the C harness's flat lines out (one each; "# invalid ..." or "# no flat form ..."). */
    private static int flat() throws IOException {
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        RequestParser p = new RequestParser();
        String line;
        while ((line = in.readLine()) != null) {
            try {
                Request r = p.parse(line);
                out.println(io.pfnmap.verification.oracle.Harness.flattens(r) ? io.pfnmap.verification.oracle.Harness.flat(r)
                        : "# no flat form: " + r.getClass().getSimpleName());
            } catch (InvalidRequestException e) {
                out.println("# invalid " + e.invalid());
            }
        }
        out.flush();
        return out.checkError() ? 1 : 0;
    }

    private static int bench(String[] args) throws IOException {
        int n = 1_000_000;
        int rounds = 5;
        boolean emit = false;
        Bench.Mode mode = Bench.Mode.CARRIED;
        try {
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--emit" -> emit = true;
                    case "--distinct-spaces" -> mode = Bench.Mode.DISTINCT;
                    case "--session" -> mode = Bench.Mode.SESSION;
                    case "--replay" -> mode = Bench.Mode.REPLAY;
                    case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                    default -> n = Integer.parseInt(args[i].replace("_", "").replace(",", ""));
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            System.err.println("oracle: bad bench arguments\n" + USAGE);
            return 2;
        }
        if (n <= 0 || rounds <= 0) {
            System.err.println("oracle: N and R must be positive\n" + USAGE);
            return 2;
        }
        if (emit) {
            PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out),
                    1 << 16), false, StandardCharsets.US_ASCII);
            Bench.Generator g = new Bench.Generator(42, mode);
            for (int i = 0; i < n; i++) {
                out.print(g.next());
            }
            out.flush();
            return out.checkError() ? 1 : 0;
        }
        double median = Bench.run(n, mode, rounds, System.out);
        System.out.printf("median: %,.0f requests/s%n", median);
        return 0;
    }
}
