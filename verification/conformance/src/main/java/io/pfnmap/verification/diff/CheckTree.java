package io.pfnmap.verification.diff;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ./oracle check-tree TREE [--cases N] [--functions f1,f2,...] [--seed S]
 * [--mutation NAME] [--no-sanitize] [--out DIR]}: the kernel-tree harness ({@link KernelTree},
 * the check {@code KernelTreeHarnessTest} makes) on the user's kernel tree. Cuts the tree's mmap
 * search out of it, builds the driver, sends the seeded requests through it and the model,
 * prints a table per tree function (its file:line, cases, agreements), each function's first
 * disagreement shrunk to a small protocol line, and the result of a run under AddressSanitizer
 * and UBSan. Exit status 0 on full agreement (and a clean sanitizer run), 1 on a disagreement,
 * a crash or hang of the tree's code or a sanitizer report, 2 on a usage or build error (one
 * line on stderr).
 */
public final class CheckTree {
    private CheckTree() {
    }

    static final String USAGE = "usage: oracle check-tree TREE [--cases N] [--functions f1,f2,...] [--seed S] "
            + "[--mutation NAME] [--no-sanitize] [--out DIR]";

    /** Requests run under the sanitizers. */
    static final int SANITIZED = 5_000;
    /** The 65,530-VMA spaces are sent from this many cases up. */
    static final int BIG_FROM = 20_000;

    static final class Usage extends Exception {
        private static final long serialVersionUID = 1L;

        Usage(String m) {
            super(m);
        }
    }

    /** Runs the command ({@code args} after "check-tree"); the exit status. */
    /** {@code ./oracle check-tree}, found by the oracle's {@link java.util.ServiceLoader}. */
    public static final class Command implements io.pfnmap.verification.oracle.OracleCommand {
        @Override
        public String name() {
            return "check-tree";
        }

        @Override
        public int run(String[] args, PrintStream out, PrintStream err) {
            return CheckTree.run(args, out, err);
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return check(args, out, err);
        } catch (Usage e) {
            err.println("oracle check-tree: " + e.getMessage());
            return 2;
        } catch (KernelTree.Unavailable e) {
            err.println("oracle check-tree: cannot build the harness on this machine: " + e.getMessage());
            return 2;
        } catch (KernelTree.Failure e) {
            err.println("oracle check-tree: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("oracle check-tree: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("oracle check-tree: interrupted");
            return 2;
        }
    }

    private static String value(String[] args, int i) throws Usage {
        if (i + 1 >= args.length) {
            throw new Usage(args[i] + ": needs a value (" + USAGE + ")");
        }
        return args[i + 1];
    }

    private static long number(String option, String v, long min, long max) throws Usage {
        long n;
        try {
            n = Long.parseLong(v.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new Usage(option + " " + v + ": must be a decimal integer");
        }
        if (n < min || n > max) {
            throw new Usage(option + " " + v + ": must be in [" + min + ", " + max + "]");
        }
        return n;
    }

    static int check(String[] args, PrintStream out, PrintStream err)
            throws Usage, IOException, InterruptedException, KernelTree.Unavailable, KernelTree.Failure {
        String tree = null;
        int cases = 100_000;
        long seed = 22;
        Set<Integer> functions = null;
        String mutation = null;
        boolean sanitize = true;
        Path outDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cases" -> cases = (int) number("--cases", value(args, i++), 1, 10_000_000);
                case "--seed" -> seed = number("--seed", value(args, i++), Long.MIN_VALUE, Long.MAX_VALUE);
                case "--mutation" -> mutation = value(args, i++);
                case "--no-sanitize" -> sanitize = false;
                case "--out" -> outDir = Path.of(value(args, i++));
                case "--functions" -> {
                    functions = new LinkedHashSet<>();
                    for (String f : value(args, i++).split(",")) {
                        int k = KernelTree.function(f.strip());
                        if (k < 0) {
                            List<String> names = KernelTree.FUNCTIONS.stream().map(KernelTree.Function::name).toList();
                            throw new Usage("--functions: " + (f.isBlank() ? "an empty name" : f.strip())
                                    + " is not one of " + String.join(", ", names));
                        }
                        functions.add(k);
                    }
                }
                default -> {
                    if (args[i].startsWith("-")) {
                        throw new Usage("unknown option " + args[i] + " (" + USAGE + ")");
                    }
                    if (tree != null) {
                        throw new Usage("one TREE only, got " + tree + " and " + args[i]);
                    }
                    tree = args[i];
                }
            }
        }
        if (tree == null) {
            throw new Usage("TREE missing (" + USAGE + ")");
        }
        Path t = Path.of(tree).toAbsolutePath().normalize();
        if (!Files.isDirectory(t)) {
            throw new Usage("TREE " + tree + ": no such directory");
        }
        if (!Files.isRegularFile(t.resolve("lib/maple_tree.c"))) {
            throw new Usage("TREE " + tree + ": no lib/maple_tree.c, not a kernel tree (the maple tree came in 6.1)");
        }
        Path root = KernelTree.root();
        Path scripts = KernelTree.scripts(root);
        if (mutation != null) {
            String m = mutation;
            List<String> names = KernelTree.mutations(scripts).stream().map(x -> x[0]).toList();
            if (!names.contains(m)) {
                throw new Usage("--mutation " + m + ": not one of " + String.join(", ", names) + " ("
                        + scripts.resolve("mutations.txt") + ")");
            }
        }
        KernelTree k = new KernelTree(scripts,
                outDir != null ? outDir : root.resolve("verification/conformance/target/check-tree"));

        long t0 = System.nanoTime();
        Path exe = k.build(t.toString(), mutation, false);
        long t1 = System.nanoTime();
        out.printf("check-tree: %s: %d definitions cut by name (%s), driver built in %.1f s%s%n", t,
                k.cutCount(), k.out().resolve("cut.c"), (t1 - t0) / 1e9,
                mutation == null ? "" : "; seeded bug " + mutation + " applied to the cut code");
        KernelTree.Requests q = k.write("requests", seed, cases, cases >= BIG_FROM ? 4 : 0, functions);
        long t2 = System.nanoTime();
        if (q.count == 0) {
            throw new Usage("no request exercises the functions given (--functions)");
        }
        List<String> answers;
        try {
            answers = KernelTree.run(exe, q.flat, java.util.Map.of(), 600);
        } catch (KernelTree.Failure e) {
            // the tree's code crashed or hung on a request: a finding, not a usage error
            out.println("check-tree: the tree's code failed: " + e.getMessage());
            return 1;
        }
        KernelTree.Result r = KernelTree.compare(q, answers);
        long t3 = System.nanoTime();
        out.printf("check-tree: %,d requests (seed %d, %,d random%s, the edge vectors, holes and u64 edges, shmem "
                + "and va_align cases), model %.1f s, tree's code %.1f s%n", q.count, seed, cases,
                cases >= BIG_FROM ? ", 4 spaces of 65,530 VMAs" : "", (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        out.printf("check-tree: %,d requests reach shmem_get_unmapped_area: %,d with shmem huge pages off, %,d on at "
                + "PMD_SIZE, %,d at an mTHP size (%,d of those on land elsewhere than with them off)%n",
                q.shmem[0] + q.shmem[1] + q.shmem[2], q.shmem[0], q.shmem[1], q.shmem[2], q.shmem[3]);
        out.printf("check-tree: %,d requests with AMD F15h's va_align: %,d file mmaps with the mask in effect (%,d "
                + "moved by it), %,d anonymous and %,d files with it not in effect (%,d moved)%n", q.vaAlign[0],
                q.vaAlign[1], q.vaAlign[2], q.vaAlign[8], q.vaAlign[10], q.vaAlign[9] + q.vaAlign[11]);
        if (k.hooklessFilesThpAligned()) {
            out.printf("check-tree: this tree's __get_unmapped_area THP-aligns files without a get_unmapped_area "
                    + "hook (no !file test, as 6.12): %,d such requests expected as for a THP file (the model is "
                    + "6.18's), %,d of them land elsewhere than on 6.18%n", q.hookless[0], q.hookless[1]);
        }
        table(out, k, r);

        List<String> shrunk = new ArrayList<>();
        if (r.bad > 0) {
            out.println();
            out.println("First disagreement of each function, shrunk (paste the line into ./oracle; add "
                    + "\"explain\":true for mmap and aligned):");
            for (int f = 0; f < r.first.length; f++) {
                if (r.first[f] < 0) {
                    continue;
                }
                String name = KernelTree.FUNCTIONS.get(f).name();
                String line = q.line(r.first[f]);
                long s0 = System.nanoTime();
                KernelTree.Shrunk s = k.shrink(exe, line);
                out.printf("%s (%s): line %,d of %s, VMAs %d -> %d in %d tries (%.1f s); tree 0x%s, model 0x%x%n",
                        name, k.location(name), r.first[f] + 1, q.jsonl, s.vmasBefore(), s.vmas(), s.tries(),
                        (System.nanoTime() - s0) / 1e9, s.kernel(), s.model());
                out.println("  " + s.line());
                shrunk.add(s.line());
            }
        }

        boolean sanitizerClean = true;
        if (sanitize) {
            KernelTree.Sanitized s = k.sanitized(t.toString(), mutation, seed, SANITIZED);
            sanitizerClean = s.report().isEmpty() && s.disagreements() >= 0;
            out.println();
            if (sanitizerClean) {
                out.printf("sanitizers: %,d requests through the tree's code built with -fsanitize=address,undefined "
                        + "(halt_on_error=1): no report (build %.1f s, run %.1f s)%n", s.requests(), s.buildSeconds(),
                        s.runSeconds());
            } else {
                out.printf("sanitizers: REPORT on %,d requests through the tree's code built with "
                        + "-fsanitize=address,undefined:%n%s%n", s.requests(), s.report().strip());
            }
        }
        out.println();
        if (r.bad == 0 && sanitizerClean) {
            out.printf("check-tree: the tree's code agrees with the model on all %,d requests%n", r.total);
            return 0;
        }
        out.printf("check-tree: %,d of %,d requests disagree%s%n", r.bad, r.total,
                sanitizerClean ? "" : "; the sanitizers reported");
        return 1;
    }

    static void table(PrintStream out, KernelTree k, KernelTree.Result r) {
        String fmt = "%-34s %-42s %-50s %9s %9s%n";
        out.println();
        out.printf(fmt, "function", "tree file:line", "requests", "cases", "agree");
        int cases = 0;
        int agree = 0;
        for (int f = 0; f < KernelTree.FUNCTIONS.size(); f++) {
            if (r.cases[f] == 0) {
                continue;
            }
            KernelTree.Function fn = KernelTree.FUNCTIONS.get(f);
            out.printf(fmt, fn.name(), k.location(fn.name()), fn.via(), String.format("%,d", r.cases[f]),
                    String.format("%,d", r.cases[f] - r.disagree[f]));
            cases += r.cases[f];
            agree += r.cases[f] - r.disagree[f];
        }
        out.printf(fmt, "total", "", "", String.format("%,d", cases), String.format("%,d", agree));
    }
}
