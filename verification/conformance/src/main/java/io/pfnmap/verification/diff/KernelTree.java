package io.pfnmap.verification.diff;

import io.pfnmap.verification.oracle.Harness;
import io.pfnmap.verification.oracle.RequestGenerator;
import io.pfnmap.verification.oracle.Vectors;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.VaAlign;
import io.pfnmap.mm.core.DoMmap;
import io.pfnmap.mm.core.GetUnmappedArea;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.verification.oracle.InvalidRequestException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pfnmap.verification.oracle.Jsons;
import io.pfnmap.verification.oracle.Oracle;
import io.pfnmap.verification.oracle.Request;
import io.pfnmap.verification.oracle.RequestParser;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel-tree harness (verification/conformance/src/test/kernel-tree/README.md) as a library, shared by
 * {@code KernelTreeHarnessTest} and {@code ./oracle check-tree} ({@link CheckTree}): runs the
 * scripts of the kernel-tree directory (fetch-tree.sh, build.sh with its cut of the tree), writes
 * the seeded requests with the model's answers, runs a built driver over them, groups the answers
 * by the tree's function each request exercises, shrinks a disagreement to a small protocol line,
 * and runs a subset under AddressSanitizer and UBSan. Failures are exceptions with a one-line
 * message: {@link Unavailable} when the machine lacks what the harness needs (the scripts' exit
 * status 77), {@link Failure} otherwise.
 */
public final class KernelTree {
    /** The machine cannot run the harness (no gcc, liburcu, apt-get, package): the reason. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String reason) {
            super(reason);
        }
    }

    /** A script or driver failed; the message is one line, {@link #detail()} what it printed. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final String detail;

        Failure(String message, String detail) {
            super(message);
            this.detail = detail;
        }

        public String detail() {
            return detail;
        }
    }

    /**
     * The tree's functions a request exercises first, the table's rows: {@code name} as cut.spec
     * names it, {@code via} which requests reach it.
     */
    public record Function(String name, String via) {
    }

    public static final List<Function> FUNCTIONS = List.of(
            new Function("unmapped_area", "op unmapped_area, bottom-up (vm_unmapped_area)"),
            new Function("unmapped_area_topdown", "op unmapped_area, top-down (vm_unmapped_area)"),
            new Function("__thp_get_unmapped_area", "op aligned"),
            new Function("arch_get_unmapped_area", "op mmap, x86_64 legacy (__get_unmapped_area)"),
            new Function("arch_get_unmapped_area_topdown", "op mmap, x86_64 top-down (__get_unmapped_area)"),
            new Function("generic_get_unmapped_area", "op mmap, arm64 legacy (__get_unmapped_area)"),
            new Function("generic_get_unmapped_area_topdown", "op mmap, arm64 top-down (__get_unmapped_area)"),
            new Function("thp_get_unmapped_area", "op mmap, thp_file, no MAP_FIXED (the file's hook)"),
            new Function("__get_unmapped_area", "op mmap, MAP_FIXED[_NOREPLACE] (do_mmap's checks)"),
            new Function("shmem_get_unmapped_area", "op mmap, anon MAP_SHARED, no MAP_FIXED (shmem's hook)"));

    /** The index in {@link #FUNCTIONS} of the tree's function {@code r} exercises first. */
    public static int function(Request r) {
        if (r instanceof Request.UnmappedArea u) {
            return u.topdown() ? 1 : 0;
        }
        if (r instanceof Request.Aligned) {
            return 2;
        }
        Request.Mmap m = (Request.Mmap) r;
        MmapRequest q = m.request();
        if ((q.flags() & (MapFlags.MAP_FIXED | MapFlags.MAP_FIXED_NOREPLACE)) != 0) {
            return 8;
        }
        if (q.file() == FileKind.THP_FILE) {
            return 7;
        }
        if (q.file() == FileKind.ANON && (q.flags() & MapFlags.MAP_SHARED) != 0) {
            return 9;
        }
        boolean x86 = m.space().config().arch() == io.pfnmap.arch.Search.Kind.X86_64;
        return (x86 ? 3 : 5) + (m.space().config().topdown() ? 1 : 0);
    }

    /** The index in {@link #FUNCTIONS} of a name, or -1. */
    public static int function(String name) {
        for (int i = 0; i < FUNCTIONS.size(); i++) {
            if (FUNCTIONS.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The project root: {@code -Dpfnmap.root} (set by ./oracle), else the nearest directory up from here holding the scripts. */
    public static Path root() throws Failure {
        String p = System.getProperty("pfnmap.root");
        if (p != null) {
            return Path.of(p);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(scripts(d).resolve("build.sh"))) {
                return d;
            }
        }
        throw new Failure("cannot find the project root (verification/conformance/src/test/kernel-tree/build.sh above "
                + Path.of("").toAbsolutePath() + "); run ./oracle from the repository", "");
    }

    /** The kernel-tree scripts of a project root. */
    public static Path scripts(Path root) {
        return root.resolve("verification/conformance/src/test/kernel-tree");
    }

    /** The seeded bugs of mutations.txt: {name, function, sed expression, what it breaks}. */
    public static List<String[]> mutations(Path scripts) throws IOException {
        List<String[]> m = new ArrayList<>();
        for (String l : Files.readAllLines(scripts.resolve("mutations.txt"))) {
            if (!l.isBlank() && !l.startsWith("#")) {
                m.add(l.split("\\|", 4));
            }
        }
        return m;
    }

    // ---- scripts ----

    /** Runs a script; its stdout. stderr is kept for the message (and echoed to {@code log} when not null). */
    static String script(Map<String, String> env, int timeoutSeconds, String... cmd)
            throws IOException, InterruptedException, Unavailable, Failure {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path err = Files.createTempFile("pfnmap-kernel-tree", ".err");
        pb.redirectError(err.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            Files.deleteIfExists(err);
            throw new Unavailable("cannot run " + cmd[0] + ": " + e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Files.deleteIfExists(err);
        String name = Path.of(cmd[0]).getFileName().toString();
        if (!done) {
            p.destroyForcibly();
            throw new Failure(name + " did not finish in " + timeoutSeconds + " s", stderr);
        }
        if (p.exitValue() == 77) {
            throw new Unavailable(out.lines().filter(l -> l.startsWith("SKIP: ")).map(l -> l.substring(6)).findFirst()
                    .orElse(out.strip()));
        }
        if (p.exitValue() != 0) {
            throw new Failure(name + " failed (exit " + p.exitValue() + "): " + oneLine(stderr), stderr);
        }
        return out;
    }

    /** The line of a script's stderr that says what went wrong: a script's own message, else the first error, else the last line. */
    static String oneLine(String stderr) {
        List<String> l = stderr.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        List<String> missing = l.stream().filter(s -> s.startsWith("extract.sh: ")).toList();
        if (missing.size() > 1) {
            // every definition the tree lacks, on the one line
            List<String> names = new ArrayList<>();
            Pattern name = Pattern.compile("^extract\\.sh: \\w+ (\\S+) not found");
            for (String m : missing.subList(1, missing.size())) {
                Matcher x = name.matcher(m);
                names.add(x.find() ? x.group(1) : m);
            }
            return missing.get(0) + "; " + names.size() + " more missing: " + String.join(", ", names);
        }
        for (String prefix : List.of("extract.sh:", "mutate.sh:", "build.sh:", "fetch-tree:")) {
            for (String s : l) {
                if (s.startsWith(prefix)) {
                    return s;
                }
            }
        }
        for (String s : l) {
            if (s.contains("error:")) {
                return s;
            }
        }
        return l.isEmpty() ? "(no message)" : l.get(l.size() - 1);
    }

    private final Path scripts;
    private final Path out;
    private String tree;
    private Map<String, String> locations = Map.of();
    private boolean hooklessFilesThpAligned;

    /** The harness of the scripts in {@code scripts}, building into {@code out}. */
    public KernelTree(Path scripts, Path out) {
        this.scripts = scripts;
        this.out = out;
    }

    public Path out() {
        return out;
    }

    public String tree() {
        return tree;
    }

    /** fetch-tree.sh: Debian's linux-source-6.12 from the cache (or {@code PFNMAP_KERNEL_TREE}); the tree's root. */
    public String fetch() throws IOException, InterruptedException, Unavailable, Failure {
        return script(Map.of(), 600, scripts.resolve("fetch-tree.sh").toString()).strip();
    }

    /**
     * build.sh: cuts the tree's functions into {@code out}/cut.c and links the driver; the
     * driver's path. With {@code mutation}, the driver of that seeded bug. With {@code sanitize},
     * everything (the tree's maple tree, the cut code, the glue, the driver) is built with
     * AddressSanitizer and UBSan into {@code out}/sanitized.
     */
    public Path build(String tree, String mutation, boolean sanitize)
            throws IOException, InterruptedException, Unavailable, Failure {
        List<String> exes = buildAll(tree, mutation == null ? List.of() : List.of(mutation), sanitize);
        return Path.of(exes.get(exes.size() - 1));
    }

    /** build.sh with several seeded bugs: one driver each, in order. */
    public List<String> buildAll(String tree, List<String> mutations, boolean sanitize)
            throws IOException, InterruptedException, Unavailable, Failure {
        this.tree = tree;
        Path dir = sanitize ? out.resolve("sanitized") : out;
        List<String> cmd = new ArrayList<>(List.of(scripts.resolve("build.sh").toString(), tree, dir.toString()));
        cmd.addAll(mutations);
        Map<String, String> env = sanitize
                ? Map.of("PFNMAP_CFLAGS", "-fsanitize=address,undefined -fno-omit-frame-pointer")
                : Map.of();
        List<String> exes = script(env, 900, cmd.toArray(String[]::new)).strip().lines().toList();
        if (exes.size() != Math.max(1, mutations.size())) {
            throw new Failure("build.sh printed " + exes.size() + " drivers for " + mutations.size() + " mutations",
                    String.join("\n", exes));
        }
        String cut = Files.readString(dir.resolve("cut.c"));
        locations = locations(cut, tree);
        hooklessFilesThpAligned = hooklessFilesThpAligned(cut);
        return exes;
    }

    private static final Pattern CUT = Pattern.compile("/\\* cut: \\w+ (\\S+)(?: as \\S+)? \\*/\\n#line (\\d+) \"([^\"]+)\"");

    /** Each cut definition's place in the tree: name to tree-relative {@code file:line}. */
    static Map<String, String> locations(String cut, String tree) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = CUT.matcher(cut);
        String prefix = tree.endsWith("/") ? tree : tree + "/";
        while (x.find()) {
            String file = x.group(3).startsWith(prefix) ? x.group(3).substring(prefix.length()) : x.group(3);
            m.put(x.group(1), file + ":" + x.group(2));
        }
        return m;
    }

    /** Where the tree defines a cut function ({@code file:line}), or "not cut". */
    public String location(String name) {
        return locations.getOrDefault(name, "not cut");
    }

    /** How many definitions were cut. */
    public int cutCount() {
        return locations.size();
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

    public boolean hooklessFilesThpAligned() {
        return hooklessFilesThpAligned;
    }

    // ---- the model's answers ----

    /**
     * The model's answer; on a tree without 6.18's {@code !file} test, a file without a hook
     * (plain file, device) that reaches __get_unmapped_area's THP branch (no hint after
     * round_hint_to_min, a PMD-multiple length, THP built in) is searched by
     * thp_get_unmapped_area_vmflags, which is exactly what the model does for a file whose hook is
     * thp_get_unmapped_area: its do_mmap with the file kind FILE_THP and the file's own size limit.
     * {@code hookless}, when not null, counts such requests [0] and those landing elsewhere than on 6.18 [1].
     */
    public long expected(Request r, int[] hookless) {
        long model = Oracle.evaluate(r).value();
        if (!hooklessFilesThpAligned || !(r instanceof Request.Mmap m)) {
            return model;
        }
        MmapRequest q = m.request();
        MmState st = m.space().state();
        if (q.file() != FileKind.PLAIN_FILE && q.file() != FileKind.PLAIN_DEVICE || !m.space().config().thp()) {
            return model;
        }
        long fixed = MapFlags.MAP_FIXED | MapFlags.MAP_FIXED_NOREPLACE;
        long addr = (q.flags() & fixed) != 0 ? q.addr() : DoMmap.roundHintToMin(st, q.addr());
        long page = st.pageSize;
        long len = (q.len() + page - 1) & -page;
        if (addr != 0 || len == 0 || Long.remainderUnsigned(len, st.pmdSize) != 0) {
            return model;
        }
        long v612 = DoMmap.doMmap(st, GetUnmappedArea.FILE_THP, q.addr(), q.len(), q.pgoff(), q.flags(),
                q.file().maxSize());
        if (hookless != null) {
            hookless[0]++;
            if (v612 != model) {
                hookless[1]++;
            }
        }
        return v612;
    }

    // ---- the requests ----

    /** A written set of requests: {@code name}.jsonl (protocol lines) and {@code name}.txt (flat lines). */
    public static final class Requests {
        public final Path jsonl;
        public final Path flat;
        public int count;
        public long[] expected = new long[1 << 12];
        /** Each request's index in {@link #FUNCTIONS}. */
        public byte[] function = new byte[1 << 12];
        public final Map<String, Integer> sentByOp = new LinkedHashMap<>();
        /** Sent with a hugetlbfs mask, (2^k - 1) & PAGE_MASK. */
        public int hugetlbMasks;
        /** Random lines the parser refused, not sent. */
        public int invalid;
        /** Valid requests left out by the function filter. */
        public int filtered;
        /** [0] hookless files THP-aligned as on 6.12, [1] of them landing elsewhere than on 6.18. */
        public final int[] hookless = new int[2];
        /**
         * Requests reaching shmem_get_unmapped_area: [0] shmem huge pages off, [1] on at PMD_SIZE,
         * [2] on at an mTHP size; [3] of [1] and [2] those whose answer differs from the answer with
         * huge pages off (the huge-page alignment moved them); [4] lines the parser refused among
         * {@link KernelTreeCases#shmem}'s.
         */
        public final int[] shmem = new int[5];
        /** Whether request {@code i} carries AMD family 15h's {@code mm.va_align}. */
        public boolean[] va = new boolean[1 << 12];
        /**
         * Requests with AMD family 15h's {@code mm.va_align} ({@link #vaAlign}): [0] all of them;
         * [1] file mmaps with the mask in effect (ALIGN_VA_64 in the flags, PF_RANDOMIZE, mask not
         * 0: the tree's get_align_mask returns it), [2] of [1] whose answer differs from the same
         * request without va_align (the alignment moved them), [3] and [4] of [1] top-down and
         * legacy, [5] [6] [7] of [1] devices, plain files and THP files; [8] anonymous mmaps with the
         * mask in effect, [9] of [8] moved (va_align is for files only: must be 0); [10] file mmaps
         * with va_align but the mask not in effect (align_va_addr 32 or off, or no PF_RANDOMIZE),
         * [11] of [10] moved (must be 0); [12] lines of {@link KernelTreeCases#vaAlign} the parser
         * refused.
         */
        public final int[] vaAlign = new int[13];

        Requests(Path jsonl, Path flat) {
            this.jsonl = jsonl;
            this.flat = flat;
        }

        /** The protocol line of request {@code i} (0-based). */
        public String line(int i) throws IOException {
            try (BufferedReader r = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
                for (int n = 0; n < i; n++) {
                    r.readLine();
                }
                return r.readLine();
            }
        }
    }

    /**
     * Writes the harness's requests into {@code out}/{@code name}.jsonl and .txt with the model's
     * answers: {@code n} of {@link RequestGenerator}'s seeded lines (each anonymous MAP_SHARED one
     * also with shmem huge pages on at PMD_SIZE), every edge-case vector, {@link KernelTreeCases}'
     * holes and u64 edges ({@code n / 5} each), its shmem cases ({@code n / 10}) and {@code bigSpaces}
     * spaces of 65,530 VMAs with 12 requests each. {@code functions} (indexes into
     * {@link #FUNCTIONS}), when not null, keeps only the requests that exercise those.
     */
    public Requests write(String name, long seed, int n, int bigSpaces, Set<Integer> functions) throws IOException {
        Files.createDirectories(out);
        Requests q = new Requests(out.resolve(name + ".jsonl"), out.resolve(name + ".txt"));
        RequestParser parser = new RequestParser();
        try (BufferedWriter json = Files.newBufferedWriter(q.jsonl, StandardCharsets.UTF_8);
                BufferedWriter flat = Files.newBufferedWriter(q.flat, StandardCharsets.US_ASCII)) {
            Consumer<String> send = line -> {
                Request r;
                try {
                    r = parser.parse(line);
                } catch (InvalidRequestException e) {
                    q.invalid++;
                    return;
                }
                if (!Harness.flattens(r)) {
                    return;
                }
                int f = function(r);
                if (functions != null && !functions.contains(f)) {
                    q.filtered++;
                    return;
                }
                try {
                    json.write(line);
                    json.write('\n');
                    flat.write(Harness.flat(r));
                    flat.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (q.count == q.expected.length) {
                    q.expected = Arrays.copyOf(q.expected, q.count * 2);
                    q.function = Arrays.copyOf(q.function, q.count * 2);
                    q.va = Arrays.copyOf(q.va, q.count * 2);
                }
                q.function[q.count] = (byte) f;
                q.expected[q.count] = expected(r, q.hookless);
                if (f == 9) {
                    shmemCount(q, (Request.Mmap) r, line, q.expected[q.count], parser);
                }
                if (!r.space().config().vaAlign().equals(VaAlign.OFF)) {
                    q.va[q.count] = true;
                    vaAlignCount(q, r, line, q.expected[q.count], parser);
                }
                q.count++;
                q.sentByOp.merge(r.getClass().getSimpleName(), 1, Integer::sum);
            };
            RequestGenerator g = new RequestGenerator(seed);
            SplittableRandom vaRnd = new SplittableRandom(seed ^ 0x15L);
            for (int i = 0; i < n; i++) {
                String line = g.next();
                send.accept(line);
                String huge = shmemHugeCopy(line, parser);
                if (huge != null) {
                    send.accept(huge);
                }
                String va = vaAlignCopy(line, parser, vaRnd);
                if (va != null) {
                    send.accept(va);
                }
            }
            for (Vectors.Case c : Vectors.cases(seed, 0)) {
                send.accept(c.line());
            }
            KernelTreeCases k = new KernelTreeCases(seed, send);
            k.holes(n / 5);
            k.edges(n / 5);
            int invalidBefore = q.invalid;
            k.shmem(n / 10);
            q.shmem[4] = q.invalid - invalidBefore;
            invalidBefore = q.invalid;
            k.vaAlign(n / 10);
            q.vaAlign[12] = q.invalid - invalidBefore;
            for (int shape = 0; shape < bigSpaces; shape++) {
                k.big(shape % 4, 12);
            }
            q.hugetlbMasks = k.hugetlbMasks;
        }
        return q;
    }

    /** Counts a request with {@code mm.va_align} into {@link Requests#vaAlign}. */
    private void vaAlignCount(Requests q, Request r, String line, long answer, RequestParser parser) {
        q.vaAlign[0]++;
        if (!(r instanceof Request.Mmap m)) {
            return;
        }
        VaAlign va = m.space().config().vaAlign();
        FileKind file = m.request().file();
        ObjectNode o = tree(line);
        long without = expected(parser.parse(with(o, "mm", without((ObjectNode) o.get("mm"), "va_align")).toString()),
                null);
        boolean moved = without != answer;
        if (file == FileKind.ANON) {
            if (va.effectiveMask() != 0) {
                q.vaAlign[8]++;
                q.vaAlign[9] += moved ? 1 : 0;
            }
        } else if (va.effectiveMask() == 0) {
            q.vaAlign[10]++;
            q.vaAlign[11] += moved ? 1 : 0;
        } else {
            q.vaAlign[1]++;
            q.vaAlign[2] += moved ? 1 : 0;
            q.vaAlign[m.space().config().topdown() ? 3 : 4]++;
            q.vaAlign[file == FileKind.PLAIN_DEVICE ? 5 : file == FileKind.PLAIN_FILE ? 6 : 7]++;
        }
    }

    /**
     * An x86_64 mmap line of {@link RequestGenerator} again on an AMD family 15h ({@code
     * mm.va_align}: mask 0x7000, bits drawn within it, F15h's defaults), its id suffixed {@code
     * -va}: every file line, one anonymous line in three (the alignment must not move those);
     * null for any other line.
     */
    static String vaAlignCopy(String line, RequestParser parser, SplittableRandom rnd) {
        Request r;
        try {
            r = parser.parse(line);
        } catch (InvalidRequestException e) {
            return null;
        }
        if (!(r instanceof Request.Mmap m) || m.space().config().arch() != io.pfnmap.arch.Search.Kind.X86_64
                || !m.space().config().vaAlign().equals(VaAlign.OFF)
                || m.request().file() == FileKind.ANON && rnd.nextInt(3) != 0) {
            return null;
        }
        ObjectNode o = tree(line);
        ObjectNode mm = o.get("mm") instanceof ObjectNode x ? x : JsonNodeFactory.instance.objectNode();
        ObjectNode va = JsonNodeFactory.instance.objectNode();
        va.set("mask", u64Hex(0x7000));
        va.set("bits", u64Hex(rnd.nextLong() & 0x7000));
        mm = with(mm, "va_align", va);
        JsonNode id = o.get("id");
        o = with(with(o, "mm", mm), "id", TextNode.valueOf((id == null ? "" : id.isTextual() ? id.textValue()
                : id.toString()) + "-va"));
        return o.toString();
    }

    /** Counts a request reaching shmem_get_unmapped_area into {@link Requests#shmem}. */
    private static void shmemCount(Requests q, Request.Mmap m, String line, long answer, RequestParser parser) {
        long huge = m.space().config().shmemHugeSize();
        q.shmem[huge == 0 ? 0 : huge == m.space().config().pmdSize() ? 1 : 2]++;
        if (huge != 0) {
            ObjectNode o = tree(line);
            ObjectNode off = with(o, "mm", without((ObjectNode) o.get("mm"), "shmem_huge_size"));
            if (Oracle.evaluate(parser.parse(off.toString())).value() != answer) {
                q.shmem[3]++;
            }
        }
    }

    /**
     * An anonymous MAP_SHARED mmap line of {@link RequestGenerator} again with shmem huge pages on
     * at PMD_SIZE ({@code mm.shmem_huge_size}), its id suffixed {@code -shmem}; null for any other line.
     */
    static String shmemHugeCopy(String line, RequestParser parser) {
        Request r;
        try {
            r = parser.parse(line);
        } catch (InvalidRequestException e) {
            return null;
        }
        if (!(r instanceof Request.Mmap m) || m.request().file() != FileKind.ANON
                || (m.request().flags() & MapFlags.MAP_SHARED) == 0) {
            return null;
        }
        ObjectNode o = tree(line);
        ObjectNode mm = o.get("mm") instanceof ObjectNode x ? x : JsonNodeFactory.instance.objectNode();
        mm = with(mm, "shmem_huge_size", u64Hex(m.space().config().pmdSize()));
        JsonNode id = o.get("id");
        o = with(with(o, "mm", mm), "id", TextNode.valueOf((id == null ? "" : id.isTextual() ? id.textValue()
                : id.toString()) + "-shmem"));
        return o.toString();
    }

    // ---- running a driver ----

    /** Runs a driver over a flat file; its answers, one line each. */
    public static List<String> run(Path exe, Path flat, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException, Failure {
        Path answers = flat.resolveSibling(exe.getFileName() + "." + flat.getFileName() + ".out");
        Path err = flat.resolveSibling(exe.getFileName() + "." + flat.getFileName() + ".err");
        ProcessBuilder pb = new ProcessBuilder(exe.toString()).redirectInput(flat.toFile())
                .redirectOutput(answers.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new Failure(exe + " did not finish in " + timeoutSeconds + " s (a search that does not end? it "
                    + "answered " + Files.readAllLines(answers).size() + " lines of " + flat + ")", "");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new Failure(exe + " exited with status " + p.exitValue() + " after " + Files.readAllLines(answers)
                    .size() + " lines of " + flat + ": " + oneLine(stderr), stderr);
        }
        return Files.readAllLines(answers, StandardCharsets.US_ASCII);
    }

    /** Whether a driver's answer differs from the model's. */
    static boolean differs(String answer, long expected) {
        return answer.startsWith("invalid") || Long.parseUnsignedLong(answer.strip(), 16) != expected;
    }

    /** The comparison of a driver's answers with the model's, per function. */
    public static final class Result {
        public final int[] cases = new int[FUNCTIONS.size()];
        public final int[] disagree = new int[FUNCTIONS.size()];
        /** The first disagreeing request of each function, or -1. */
        public final int[] first = new int[FUNCTIONS.size()];
        public int total;
        public int bad;

        Result() {
            Arrays.fill(first, -1);
        }
    }

    public static Result compare(Requests q, List<String> answers) throws Failure {
        if (answers.size() != q.count) {
            throw new Failure(answers.size() + " answers for " + q.count + " requests", "");
        }
        Result r = new Result();
        r.total = q.count;
        for (int i = 0; i < q.count; i++) {
            int f = q.function[i];
            r.cases[f]++;
            if (differs(answers.get(i), q.expected[i])) {
                r.disagree[f]++;
                r.bad++;
                if (r.first[f] < 0) {
                    r.first[f] = i;
                }
            }
        }
        return r;
    }

    // ---- shrinking ----

    /** A shrunk disagreement: the protocol line, the answers, how far it came. */
    public record Shrunk(String line, String kernel, long model, int vmasBefore, int vmas, int tries) {
    }

    /** How many candidate lines a shrink may try, at most. */
    static final int SHRINK_BUDGET = 2_000;

    /**
     * Shrinks a disagreeing protocol line on {@code exe}: drops VMAs (halves, then smaller chunks,
     * down to one at a time) while it still disagrees, then drops the VMAs' flags, moves the hint,
     * offsets, mask and start gap to 0 and lowers the length to one page, to a page multiple or
     * to half, keeping each change that still disagrees. Bounded by {@link #SHRINK_BUDGET}
     * candidates, tried in batches (one driver run per batch).
     */
    public Shrunk shrink(Path exe, String line) throws IOException, InterruptedException, Failure {
        RequestParser parser = new RequestParser();
        ObjectNode cur = with(tree(line), "id", TextNode.valueOf("shrunk"));
        Request r0 = parser.parse(cur.toString());
        long page = space(r0).config().pageSize();
        int before = vmas(cur).size();
        int[] tries = {0};
        // VMAs: remove chunks of k, k from half the list down to 1
        int k = (vmas(cur).size() + 1) / 2;
        while (k >= 1 && tries[0] < SHRINK_BUDGET) {
            List<JsonNode> v = vmas(cur);
            int chunks = (v.size() + k - 1) / k;
            if ((long) chunks * v.size() > 4_000_000L) {
                break; // too many large candidates for one batch: stop dropping
            }
            List<ObjectNode> cand = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                List<JsonNode> w = new ArrayList<>(v.subList(0, c * k));
                w.addAll(v.subList(Math.min(v.size(), (c + 1) * k), v.size()));
                cand.add(with(cur, "vmas", array(w)));
            }
            ObjectNode hit = firstDisagreeing(exe, cand, parser, tries);
            if (hit != null) {
                cur = hit;
                k = Math.min(k, (vmas(cur).size() + 1) / 2);
                if (vmas(cur).isEmpty()) {
                    break;
                }
            } else {
                k = k == 1 ? 0 : (k + 1) / 2 == k ? k - 1 : (k + 1) / 2;
            }
        }
        // numbers, a few passes
        for (int pass = 0; pass < 3 && tries[0] < SHRINK_BUDGET; pass++) {
            ObjectNode startOfPass = cur;
            // VMAs' flags
            List<JsonNode> v = vmas(cur);
            for (int i = 0; i < v.size(); i++) {
                ObjectNode vma = (ObjectNode) v.get(i);
                if (vma.get("flags") != null) {
                    List<JsonNode> w = new ArrayList<>(v);
                    w.set(i, without(vma, "flags"));
                    ObjectNode hit = firstDisagreeing(exe, List.of(with(cur, "vmas", array(w))), parser, tries);
                    if (hit != null) {
                        cur = hit;
                        v = vmas(cur);
                    }
                }
            }
            boolean info = cur.get("info") instanceof ObjectNode;
            for (String f : info ? List.of("align_offset", "start_gap", "align_mask", "length")
                    : List.of("addr", "pgoff", "off", "len")) {
                ObjectNode holder = info ? (ObjectNode) cur.get("info") : cur;
                JsonNode now = holder.get(f);
                if (now == null) {
                    continue;
                }
                long x = u64(now);
                List<Long> smaller = new ArrayList<>();
                if (f.equals("len") || f.equals("length")) {
                    smaller.addAll(List.of(page, x / 2 / page * page, x / page * page));
                } else {
                    smaller.add(0L);
                    // the part the alignment reads: the offset within the mask, the PMD or the page
                    long pmd = space(r0).config().pmdSize();
                    if (f.equals("align_offset")) {
                        long mask = u64(cur.get("info").get("align_mask"));
                        smaller.add(x & (mask | (page - 1)));
                    } else if (f.equals("pgoff")) {
                        smaller.add(Long.remainderUnsigned(x, pmd / page));
                    } else if (f.equals("off")) {
                        smaller.add(Long.remainderUnsigned(x, pmd));
                    }
                }
                List<ObjectNode> cand = new ArrayList<>();
                for (long s : smaller) {
                    if (s != 0 || !(f.equals("len") || f.equals("length"))) {
                        if (Long.compareUnsigned(s, x) < 0) {
                            ObjectNode h = with(holder, f, u64Hex(s));
                            cand.add(info ? with(cur, "info", h) : h);
                        }
                    }
                }
                ObjectNode hit = firstDisagreeing(exe, cand, parser, tries);
                if (hit != null) {
                    cur = hit;
                }
            }
            if (cur.equals(startOfPass)) {
                break;
            }
        }
        String shrunk = cur.toString();
        Request r = parser.parse(shrunk);
        List<String> a = answers(exe, List.of(Harness.flat(r)));
        return new Shrunk(shrunk, a.get(0), expected(r, null), before, vmas(cur).size(), tries[0]);
    }

    private static io.pfnmap.mm.AddressSpace space(Request r) {
        if (r instanceof Request.Mmap m) {
            return m.space();
        }
        if (r instanceof Request.UnmappedArea u) {
            return u.space();
        }
        return ((Request.Aligned) r).space();
    }

    private ObjectNode firstDisagreeing(Path exe, List<ObjectNode> cand, RequestParser parser, int[] tries)
            throws IOException, InterruptedException, Failure {
        List<ObjectNode> valid = new ArrayList<>();
        List<String> flats = new ArrayList<>();
        List<Long> want = new ArrayList<>();
        for (ObjectNode c : cand) {
            if (tries[0] >= SHRINK_BUDGET) {
                break;
            }
            tries[0]++;
            Request r;
            try {
                r = parser.parse(c.toString());
            } catch (InvalidRequestException e) {
                continue;
            }
            valid.add(c);
            flats.add(Harness.flat(r));
            want.add(expected(r, null));
        }
        if (valid.isEmpty()) {
            return null;
        }
        List<String> a = answers(exe, flats);
        for (int i = 0; i < valid.size(); i++) {
            if (differs(a.get(i), want.get(i))) {
                return valid.get(i);
            }
        }
        return null;
    }

    /** Runs flat lines through a driver. */
    public List<String> answers(Path exe, List<String> flats) throws IOException, InterruptedException, Failure {
        Files.createDirectories(out);
        Path f = out.resolve("shrink.txt");
        Files.write(f, flats, StandardCharsets.US_ASCII);
        List<String> a = run(exe, f, Map.of(), 120);
        if (a.size() != flats.size()) {
            throw new Failure(exe + " answered " + a.size() + " of " + flats.size() + " shrink candidates", "");
        }
        return a;
    }

    /** Whether a protocol line disagrees on a driver (the model's answer as {@link #expected}). */
    public boolean disagrees(Path exe, String line) throws IOException, InterruptedException, Failure {
        Request r = new RequestParser().parse(line);
        return differs(answers(exe, List.of(Harness.flat(r))).get(0), expected(r, null));
    }

    static List<JsonNode> vmas(ObjectNode o) {
        List<JsonNode> l = new ArrayList<>();
        if (o.get("vmas") instanceof ArrayNode a) {
            a.forEach(l::add);
        }
        return l;
    }

    /** The number of VMAs of a protocol line. */
    public static int vmaCount(String line) {
        return vmas(tree(line)).size();
    }

    /** A protocol line (valid JSON: the parser has read it) as a tree to edit. */
    static ObjectNode tree(String line) {
        try {
            return (ObjectNode) Jsons.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + line, e);
        }
    }

    /** A copy of {@code o} with member {@code name} set to {@code v} (in its place, else last); shallow. */
    static ObjectNode with(ObjectNode o, String name, JsonNode v) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.setAll(o);
        c.set(name, v);
        return c;
    }

    static ObjectNode without(ObjectNode o, String name) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.setAll(o);
        c.remove(name);
        return c;
    }

    private static ArrayNode array(List<JsonNode> items) {
        return JsonNodeFactory.instance.arrayNode().addAll(items);
    }

    private static TextNode u64Hex(long v) {
        return TextNode.valueOf("0x" + Long.toHexString(v));
    }

    /** A u64 member of a line the parser accepted: "0x..." or an integer. */
    private static long u64(JsonNode n) {
        return n.isTextual() ? Long.parseUnsignedLong(n.textValue().substring(2), 16) : n.bigIntegerValue().longValue();
    }

    // ---- sanitizers ----

    /** A run under AddressSanitizer and UBSan: how many requests, the reports (empty: none), seconds. */
    public record Sanitized(int requests, int disagreements, String report, double buildSeconds, double runSeconds) {
    }

    /**
     * Builds the whole driver with {@code -fsanitize=address,undefined -fno-omit-frame-pointer}
     * ({@code out}/sanitized) and runs {@code n} seeded requests without 65,530-VMA spaces through
     * it with {@code halt_on_error=1}; a non-zero exit or any sanitizer line on stderr is a report.
     */
    public Sanitized sanitized(String tree, String mutation, long seed, int n)
            throws IOException, InterruptedException, Unavailable, Failure {
        long t0 = System.nanoTime();
        Path exe = build(tree, mutation, true);
        long t1 = System.nanoTime();
        Requests q = write("sanitized", seed, n, 0, null);
        // the first n of them: RequestGenerator's lines come first
        Path flat = out.resolve("sanitized-subset.txt");
        try (var lines = Files.lines(q.flat, StandardCharsets.US_ASCII)) {
            Files.write(flat, (Iterable<String>) lines.limit(n)::iterator, StandardCharsets.US_ASCII);
        }
        int count = Math.min(n, q.count);
        Map<String, String> env = Map.of("ASAN_OPTIONS", "halt_on_error=1:abort_on_error=0:detect_leaks=1",
                "UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1");
        long t2 = System.nanoTime();
        List<String> a;
        String report = "";
        Path err = flat.resolveSibling(exe.getFileName() + "." + flat.getFileName() + ".err");
        try {
            a = run(exe, flat, env, 600);
        } catch (Failure f) {
            return new Sanitized(count, -1, f.getMessage() + "\n" + f.detail(), (t1 - t0) / 1e9,
                    (System.nanoTime() - t2) / 1e9);
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        if (stderr.contains("Sanitizer") || stderr.contains("runtime error:")) {
            report = stderr;
        }
        int bad = 0;
        for (int i = 0; i < Math.min(a.size(), count); i++) {
            if (differs(a.get(i), q.expected[i])) {
                bad++;
            }
        }
        return new Sanitized(count, bad, report, (t1 - t0) / 1e9, (System.nanoTime() - t2) / 1e9);
    }
}
