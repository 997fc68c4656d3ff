package io.pfnmap.verification.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pfnmap.verification.oracle.InvalidRequestException;
import io.pfnmap.verification.oracle.Oracle;
import io.pfnmap.verification.oracle.Request;
import io.pfnmap.verification.oracle.RequestParser;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel-tree harness (issue 22; src/test/kernel-tree/README.md): a real kernel tree's own
 * mmap search, cut out of it by name at build time and compiled in userspace over the tree's own
 * lib/maple_tree.c, must agree with the model, run in process, on every request, every u64
 * exactly. The tree is Debian's linux-source-6.12 (fetched into ~/.cache/pfnmap-align) or
 * {@code PFNMAP_KERNEL_TREE}. The requests: {@link RequestGenerator}'s seeded lines (vm_unmapped_area,
 * mmap of anonymous memory and files, the THP-aligned helper, on every modelled configuration),
 * the edge-case vectors, and {@link KernelTreeCases}' holes of exactly the padded length, u64
 * edges and address spaces of 65,530 VMAs. Each seeded one-line bug of the cut C
 * (mutations.txt) must be caught. Skips loudly ("SKIPPED ...") without apt-get, the package, gcc
 * or liburcu. Seed {@code -Dkerneltree.seed}, count {@code -Dkerneltree.requests}.
 */
class KernelTreeHarnessTest {
    static final Path DIR = Path.of("src/test/kernel-tree");
    static final Path OUT = Path.of("target/kernel-tree");
    static final int REQUESTS = Integer.getInteger("kerneltree.requests", 100_000);
    static final long SEED = Long.getLong("kerneltree.seed", 22);
    static final int SHOW = 5;

    static String tree;
    static Path driver;
    static long[] expected;
    static int count;
    static final Map<String, Integer> sentByOp = new LinkedHashMap<>();
    static int notSent;
    static int invalid;
    /** Whether the tree's __get_unmapped_area lacks 6.18's !file test (see {@link #expectedOf}). */
    static boolean hooklessFilesThpAligned;
    static int hookless;
    static int hooklessDiffer;

    @BeforeAll
    static void treeAndRequests() throws Exception {
        long t0 = System.nanoTime();
        tree = script(600, DIR.resolve("fetch-tree.sh").toString()).strip();
        long t1 = System.nanoTime();
        driver = Path.of(last(script(600, DIR.resolve("build.sh").toString(), tree, OUT.toString())));
        long t2 = System.nanoTime();
        System.out.printf("kernel-tree: tree %s (%.1f s), harness built (%.1f s)%n", tree, (t1 - t0) / 1e9,
                (t2 - t1) / 1e9);
        hooklessFilesThpAligned = hooklessFilesThpAligned(Files.readString(OUT.resolve("cut.c")));
        requests();
        if (hooklessFilesThpAligned) {
            System.out.printf("kernel-tree: this tree's __get_unmapped_area THP-aligns files without a "
                    + "get_unmapped_area hook (no !file test, as in 6.12; the model is 6.18's, which tests !file): "
                    + "%d requests (plain files, devices; no hint, PMD-multiple length) are expected as for a file "
                    + "with thp_get_unmapped_area as its hook, %d of them land elsewhere than on 6.18%n",
                    hookless, hooklessDiffer);
        }
        System.out.printf("kernel-tree: %d requests (%s), model answers in process (%.1f s); %d drawn with a mask "
                + "the model does not take (not 2^k - 1), %d random lines invalid, not sent%n", count, sentByOp,
                (System.nanoTime() - t2) / 1e9, notSent, invalid);
        assertTrue(count >= 100_000 || REQUESTS < 100_000, "at least 100,000 requests per run");
    }

    /** Runs a script of src/test/kernel-tree; its stdout. Exit 77 ("SKIP: reason") skips the test loudly. */
    static String script(int timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            skip("cannot run " + cmd[0] + ": " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(cmd[0] + " did not finish in " + timeoutSeconds + " s");
        }
        if (p.exitValue() == 77) {
            skip(out.lines().filter(l -> l.startsWith("SKIP: ")).map(l -> l.substring(6)).findFirst().orElse(out));
        }
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed (its messages are above): " + out);
        return out;
    }

    static void skip(String reason) {
        System.out.println("SKIPPED kernel-tree harness: " + reason);
        Assumptions.abort(reason);
    }

    static String last(String out) {
        String[] l = out.strip().split("\n");
        return l[l.length - 1];
    }

    /** Writes every request as a protocol line and a flat line, with the model's answer. */
    static void requests() throws IOException {
        Files.createDirectories(OUT);
        expected = new long[1 << 17];
        RequestParser parser = new RequestParser();
        try (BufferedWriter json = Files.newBufferedWriter(OUT.resolve("requests.jsonl"), StandardCharsets.UTF_8);
                BufferedWriter flat = Files.newBufferedWriter(OUT.resolve("requests.txt"), StandardCharsets.US_ASCII)) {
            java.util.function.Consumer<String> send = line -> {
                Request r;
                try {
                    r = parser.parse(line);
                } catch (InvalidRequestException e) {
                    invalid++;
                    return;
                }
                if (!Harness.flattens(r)) {
                    return;
                }
                try {
                    json.write(line);
                    json.write('\n');
                    flat.write(Harness.flat(r));
                    flat.write('\n');
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (count == expected.length) {
                    expected = Arrays.copyOf(expected, count * 2);
                }
                expected[count++] = expectedOf(r);
                sentByOp.merge(r.getClass().getSimpleName(), 1, Integer::sum);
            };
            RequestGenerator g = new RequestGenerator(SEED);
            for (int i = 0; i < REQUESTS; i++) {
                send.accept(g.next());
            }
            for (Vectors.Case c : Vectors.cases(SEED, 0)) {
                send.accept(c.line());
            }
            KernelTreeCases k = new KernelTreeCases(SEED, send);
            k.holes(REQUESTS / 5);
            k.edges(REQUESTS / 5);
            for (int shape = 0; shape < 4; shape++) {
                k.big(shape, 12);
            }
            notSent = k.notSent;
        }
    }

    /**
     * Whether the cut __get_unmapped_area THP-aligns every mapping without a get_unmapped_area hook
     * (Debian's 6.12: its THP branch tests only {@code !addr} and the length), not only anonymous
     * ones (6.18, the model: {@code !file} too). Read from the cut code, so a tree with the test
     * is held to the model as it is.
     */
    static boolean hooklessFilesThpAligned(String cut) {
        int at = cut.indexOf("/* cut: func __get_unmapped_area */");
        if (at < 0) {
            return false;
        }
        int end = cut.indexOf("/* cut: ", at + 1);
        String f = cut.substring(at, end < 0 ? cut.length() : end);
        int thp = f.indexOf("IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE)");
        if (thp < 0) {
            return false;
        }
        int open = f.indexOf('{', thp);
        // the branch's whole condition: from the else-if before the option to its opening brace
        String cond = f.substring(Math.max(0, f.lastIndexOf("else if", thp)), open < 0 ? f.length() : open);
        return !cond.contains("!file");
    }

    /**
     * The model's answer; on a tree without 6.18's {@code !file} test, a file without a hook
     * (plain file, device) that reaches __get_unmapped_area's THP branch (no hint after
     * round_hint_to_min, a PMD-multiple length, THP built in) is searched by
     * thp_get_unmapped_area_vmflags, which is exactly what the model does for a file whose hook is
     * thp_get_unmapped_area: its do_mmap with the file kind FILE_THP and the file's own size limit.
     */
    static long expectedOf(Request r) {
        long model = Oracle.evaluate(r).value();
        if (!hooklessFilesThpAligned || !(r instanceof Request.Mmap m)) {
            return model;
        }
        io.pfnmap.mm.MmapRequest q = m.request();
        io.pfnmap.mm.core.MmState st = m.space().state();
        if (q.file() != io.pfnmap.mm.FileKind.PLAIN_FILE && q.file() != io.pfnmap.mm.FileKind.PLAIN_DEVICE
                || !m.space().config().thp()) {
            return model;
        }
        long fixed = io.pfnmap.mm.core.MapFlags.MAP_FIXED | io.pfnmap.mm.core.MapFlags.MAP_FIXED_NOREPLACE;
        long addr = (q.flags() & fixed) != 0 ? q.addr() : io.pfnmap.mm.core.DoMmap.roundHintToMin(st, q.addr());
        long page = st.pageSize;
        long len = (q.len() + page - 1) & -page;
        if (addr != 0 || len == 0 || Long.remainderUnsigned(len, st.pmdSize) != 0) {
            return model;
        }
        long v612 = io.pfnmap.mm.core.DoMmap.doMmap(st, io.pfnmap.mm.core.GetUnmappedArea.FILE_THP, q.addr(), q.len(),
                q.pgoff(), q.flags(), q.file().maxSize());
        hookless++;
        if (v612 != model) {
            hooklessDiffer++;
        }
        return v612;
    }

    /** Runs a driver over requests.txt; its answers. */
    static List<String> run(Path exe) throws IOException, InterruptedException {
        Path out = OUT.resolve(exe.getFileName() + ".out");
        Process p = new ProcessBuilder(exe.toString()).redirectInput(OUT.resolve("requests.txt").toFile())
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(exe + " did not finish in 300 s (a search that does not end? the last answered line is "
                    + Files.readAllLines(out).size() + " of requests.jsonl)");
        }
        assertEquals(0, p.exitValue(), exe + " exit status");
        return Files.readAllLines(out, StandardCharsets.US_ASCII);
    }

    /** Counts disagreements; the first few are described in {@code first} as protocol lines. */
    static int disagreements(List<String> answers, StringBuilder first) throws IOException {
        assertEquals(count, answers.size(), "one answer per request");
        int bad = 0;
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String a = answers.get(i);
            if (a.startsWith("invalid") || Long.parseUnsignedLong(a, 16) != expected[i]) {
                if (shown.size() < SHOW) {
                    shown.add(i);
                }
                bad++;
            }
        }
        if (!shown.isEmpty()) {
            try (BufferedReader r = Files.newBufferedReader(OUT.resolve("requests.jsonl"), StandardCharsets.UTF_8)) {
                int n = 0;
                int k = 0;
                for (String line; (line = r.readLine()) != null && k < shown.size(); n++) {
                    if (n == shown.get(k)) {
                        first.append("\n  line ").append(n + 1).append(" of ").append(OUT.resolve("requests.jsonl"))
                                .append(": kernel 0x").append(answers.get(n)).append(", model 0x")
                                .append(Long.toHexString(expected[n])).append("\n    ")
                                .append(line.length() <= 4000 ? line : line.substring(0, 300) + "... ("
                                        + line.length() + " characters: take the line from the file)");
                        k++;
                    }
                }
            }
        }
        return bad;
    }

    @Test
    void theTreesSearchAgreesWithTheModelOnEveryRequest() throws Exception {
        long t = System.nanoTime();
        List<String> answers = run(driver);
        StringBuilder first = new StringBuilder();
        int bad = disagreements(answers, first);
        System.out.printf("kernel-tree: %d requests through %s's own code, %d agree (%.1f s)%n", count, tree,
                count - bad, (System.nanoTime() - t) / 1e9);
        if (bad > 0) {
            System.out.println("kernel-tree: disagreements (paste a line into ./oracle, with \"explain\": true for "
                    + "mmap and aligned):" + first);
        }
        assertEquals(0, bad, "disagreements of the kernel tree's code with the model:" + first);
    }

    @Test
    void everySeededBugOfTheCutCodeIsCaught() throws Exception {
        List<String[]> mutations = new ArrayList<>();
        for (String l : Files.readAllLines(DIR.resolve("mutations.txt"))) {
            if (!l.isBlank() && !l.startsWith("#")) {
                mutations.add(l.split("\\|", 4));
            }
        }
        assertTrue(mutations.size() >= 4, "at least four seeded bugs");
        List<String> cmd = new ArrayList<>(List.of(DIR.resolve("build.sh").toString(), tree, OUT.toString()));
        mutations.forEach(m -> cmd.add(m[0]));
        List<String> exes = script(600, cmd.toArray(String[]::new)).strip().lines().toList();
        assertEquals(mutations.size(), exes.size(), "one binary per seeded bug");
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < mutations.size(); i++) {
            String[] m = mutations.get(i);
            int bad = disagreements(run(Path.of(exes.get(i))), new StringBuilder());
            System.out.printf("kernel-tree: seeded bug %s (%s, %s): %d disagreements%n", m[0], m[1], m[3], bad);
            if (bad == 0) {
                missed.add(m[0]);
            }
        }
        assertTrue(missed.isEmpty(), "seeded bugs not caught: " + missed);
    }
}
