package io.pfnmap.verification.oracle;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.AlignedTry;
import io.pfnmap.mm.Errnos;
import io.pfnmap.mm.Explanation;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.Placement;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.VmaTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code oracle vectors --seed S --out DIR}: reproducible test vectors in the style of Wycheproof
 * (a header, a schema version, the seed, test groups of cases, each with a tcId, a comment, named
 * edge-case flags, the inputs as a protocol request and the expected answer), and a C header with
 * the same cases as a static array of structs. The cases are the u64 edge values of every
 * configuration in every position, requests built to reach each flagged branch, and seeded random
 * requests. Every expected answer is the model's; every flag is computed from the model's
 * explanation of the case ({@link Explanation}, {@link AlignedTry}) or from its inputs.
 */
public final class Vectors {
    private Vectors() {
    }

    public static final int SCHEMA_VERSION = 1;
    public static final String JSON_FILE = "pfnmap_vectors.json";
    public static final String HEADER_FILE = "pfnmap_vectors.h";

    /** The flags and what each means (the JSON's "notes"). */
    public static final Map<String, String> NOTES = new LinkedHashMap<>();

    static {
        NOTES.put("GAP_EQUALS_LEN", "the free range around the result (between the neighbours' guard gaps, inside the "
                + "search limits) is exactly the length");
        NOTES.put("HINT_TAKEN", "the hint was returned (by the plain search, or by the aligned helper because the "
                + "padded search returned it)");
        NOTES.put("TOPDOWN_PAD_KEPT", "aligned helper, top-down, off_sub 0: the result is ret + size");
        NOTES.put("ALIGNED", "aligned helper returned ret + off_sub");
        NOTES.put("LEN_PAD_WRAPS", "aligned helper: len + size wraps, declined");
        NOTES.put("OFF_LEN_PAD_WRAPS", "aligned helper: off + len_pad wraps, declined");
        NOTES.put("OFF_END_NOT_PAST_ALIGN", "aligned helper: off_end <= off_align (signed), declined");
        NOTES.put("BLOCK_NOT_COVERED", "aligned helper: off_end - off_align < size, declined");
        NOTES.put("PADDED_SEARCH_FAILED", "aligned helper: the padded search failed, declined (the caller retries "
                + "unpadded)");
        NOTES.put("HINT_ZERO_DECLINED", "aligned helper: the padded search returned the hint 0 (MAP_FIXED at 0), "
                + "which the caller reads as declined");
        NOTES.put("FIXED_ADDR_IS_ERRNO", "MAP_FIXED at an address in the top 4,095 values, which the kernel reads as "
                + "an error code");
        NOTES.put("FILE_OFFSET_AT_LIMIT", "the mapping's end offset is within a page of 2^63 (MAX_LFS_FILESIZE + 1)");
        NOTES.put("LEN_PAGE_ALIGN_WRAPS", "PAGE_ALIGN(len) wraps to 0");
        NOTES.put("ABOVE_DEFAULT_WINDOW", "the result lies above DEFAULT_MAP_WINDOW");
        NOTES.put("ERROR", "the answer is an errno");
    }

    private static final Map<String, String> OUTCOME_FLAGS = Map.of(
            AlignedTry.OFF_END_NOT_PAST_ALIGN, "OFF_END_NOT_PAST_ALIGN",
            AlignedTry.BLOCK_NOT_COVERED, "BLOCK_NOT_COVERED",
            AlignedTry.LEN_PAD_WRAPS, "LEN_PAD_WRAPS",
            AlignedTry.OFF_PAD_WRAPS, "OFF_LEN_PAD_WRAPS",
            AlignedTry.PADDED_SEARCH_FAILED, "PADDED_SEARCH_FAILED",
            AlignedTry.HINT_TAKEN, "HINT_TAKEN",
            AlignedTry.HINT_ZERO, "HINT_ZERO_DECLINED",
            AlignedTry.TOPDOWN_PAD_KEPT, "TOPDOWN_PAD_KEPT",
            AlignedTry.ALIGNED, "ALIGNED");

    /** One case: its group, id, comment, flags, request line, decoded request and the model's answer. */
    public record Case(String group, int tcId, String comment, List<String> flags, String line, Request request,
            Placement expected) {
    }

    public static int main(String[] args) {
        Long seed = null;
        Path out = null;
        int random = 400;
        try {
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--random" -> random = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("oracle: usage: oracle vectors --seed S --out DIR [--random N]");
            return 2;
        }
        if (seed == null || out == null || random < 0) {
            System.err.println("oracle: usage: oracle vectors --seed S --out DIR [--random N] (--seed and --out are "
                    + "required)");
            return 2;
        }
        try {
            List<Case> cases = write(seed, random, out);
            System.out.println("wrote " + cases.size() + " cases to " + out.resolve(JSON_FILE) + " and "
                    + out.resolve(HEADER_FILE));
            return 0;
        } catch (IOException e) {
            System.err.println("oracle: " + e.getMessage());
            return 1;
        }
    }

    /** Writes both files into {@code dir}; returns the cases. */
    public static List<Case> write(long seed, int random, Path dir) throws IOException {
        List<Case> cases = cases(seed, random);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(JSON_FILE), json(seed, cases), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(HEADER_FILE), header(seed, cases), StandardCharsets.UTF_8);
        return cases;
    }

    // ---- the cases ----

    /** Every case, grouped (the order of groups and cases is fixed by the seed). */
    public static List<Case> cases(long seed, int random) {
        List<String[]> lines = new ArrayList<>(); // {comment, line without id}
        for (String arch : RequestGenerator.ARCHES) {
            for (boolean topdown : new boolean[] {true, false}) {
                edgeLines(lines, arch, topdown);
                targetedLines(lines, arch, topdown);
            }
        }
        RequestGenerator g = new RequestGenerator(seed);
        for (int i = 0; i < random; i++) {
            String l = g.next();
            String body = l.substring(l.indexOf(",\"op\"") + 1);
            lines.add(new String[] {"random (seed " + seed + ", #" + i + ")", body.substring(0, body.length() - 1)});
        }
        Map<String, List<Case>> groups = new LinkedHashMap<>();
        RequestParser parser = new RequestParser();
        int tcId = 1;
        List<Case> flat = new ArrayList<>();
        for (String[] cl : lines) {
            String line = "{\"id\":" + tcId + "," + cl[1] + "}";
            Request r;
            try {
                r = parser.parse(line);
            } catch (InvalidRequestException e) {
                continue; // an edge value that makes no valid request in this position
            }
            if (!Harness.flattens(r)) {
                continue;
            }
            Placement p = Oracle.evaluate(r);
            String group = groupOf(r);
            Case c = new Case(group, tcId, cl[0], flags(r, p), line, r, p);
            groups.computeIfAbsent(group, k -> new ArrayList<>()).add(c);
            tcId++;
        }
        for (List<Case> l : groups.values()) {
            flat.addAll(l);
        }
        return flat;
    }

    private static String groupOf(Request r) {
        MmConfig c = r.space().config();
        String op = r instanceof Request.Mmap ? "mmap" : r instanceof Request.Aligned ? "aligned" : "unmapped_area";
        return op + " " + archOf(r) + " " + (c.topdown() ? "topdown" : "legacy");
    }

    private static String archOf(Request r) {
        String line = null;
        MmConfig c = r.space().config();
        for (String a : RequestGenerator.ARCHES) {
            MmConfig d = RequestGenerator.config(a, c.topdown());
            if (d.equals(c)) {
                line = a;
            }
        }
        return line == null ? "custom" : line;
    }

    private static String h(long v) {
        return "\"" + Hex.of(v) + "\"";
    }

    private static String mm(String arch, boolean topdown) {
        return "\"mm\":{\"arch\":\"" + arch + "\",\"layout\":\"" + (topdown ? "topdown" : "legacy") + "\"}";
    }

    /** A few VMAs: a program low down, libraries under mmap_base, a stack at the window's top. */
    private static String typical(MmConfig c) {
        long page = c.pageSize();
        long prog = Arith.alignDown(c.legacyBase() / 2, c.pmdSize());
        long top = c.defaultMapWindow() - c.defaultMapWindow() % page;
        long lib = c.mmapBase() - 8 * c.pmdSize();
        return "\"vmas\":[{\"start\":" + h(prog) + ",\"end\":" + h(prog + 16 * page) + "},{\"start\":"
                + h(lib) + ",\"end\":" + h(lib + 3 * c.pmdSize() + 5 * page) + "},{\"start\":"
                + h(c.mmapBase() - 2 * page) + ",\"end\":" + h(c.mmapBase()) + "},{\"start\":" + h(top - 33 * page)
                + ",\"end\":" + h(top) + ",\"flags\":[\"growsdown\"]}]";
    }

    private static void edgeLines(List<String[]> out, String arch, boolean topdown) {
        MmConfig c = RequestGenerator.config(arch, topdown);
        String mm = mm(arch, topdown);
        long page = c.pageSize();
        long pmd = c.pmdSize();
        String[] spaces = {"\"vmas\":[]", typical(c)};
        String[] spaceNames = {"empty", "typical"};
        for (Object[] e : RequestGenerator.edgeValues(c)) {
            String n = (String) e[0];
            long v = (Long) e[1];
            for (int s = 0; s < 2; s++) {
                String sp = spaces[s];
                String where = arch + " " + (topdown ? "topdown" : "legacy") + " " + spaceNames[s];
                String anon = "\"file\":\"anon\",\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"";
                out.add(new String[] {"anon len = " + n + ", " + where, "\"op\":\"mmap\"," + mm + "," + sp + "," + anon
                        + "],\"len\":" + h(v)});
                out.add(new String[] {"anon hint = " + n + ", len PMD_SIZE, " + where, "\"op\":\"mmap\"," + mm + "," + sp
                        + "," + anon + "],\"addr\":" + h(v) + ",\"len\":" + h(pmd)});
                out.add(new String[] {"anon MAP_FIXED at " + n + ", " + where, "\"op\":\"mmap\"," + mm + "," + sp + ","
                        + anon + ",\"MAP_FIXED\"],\"addr\":" + h(v) + ",\"len\":" + h(page)});
                out.add(new String[] {"anon MAP_FIXED_NOREPLACE at " + n + ", " + where, "\"op\":\"mmap\"," + mm + ","
                        + sp + "," + anon + ",\"MAP_FIXED_NOREPLACE\"],\"addr\":" + h(v) + ",\"len\":" + h(2 * pmd)});
                String thp = "\"file\":\"thp_file\",\"flags\":[\"MAP_SHARED\"]";
                out.add(new String[] {"thp_file pgoff = " + n + ", " + where, "\"op\":\"mmap\"," + mm + "," + sp + ","
                        + thp + ",\"pgoff\":" + h(v) + ",\"len\":" + h(2 * pmd)});
                out.add(new String[] {"thp_file pgoff = " + n + " / PAGE_SIZE, " + where, "\"op\":\"mmap\"," + mm + ","
                        + sp + "," + thp + ",\"pgoff\":" + h(Long.divideUnsigned(v, page)) + ",\"len\":" + h(2 * pmd)});
                out.add(new String[] {"thp_file len = " + n + ", " + where, "\"op\":\"mmap\"," + mm + "," + sp + ","
                        + thp + ",\"len\":" + h(v)});
                out.add(new String[] {"thp_file hint = " + n + ", " + where, "\"op\":\"mmap\"," + mm + "," + sp + ","
                        + thp + ",\"addr\":" + h(v) + ",\"len\":" + h(pmd)});
                String info = "\"op\":\"unmapped_area\"," + mm + "," + sp + ",\"info\":{";
                out.add(new String[] {"unmapped_area top-down length = " + n + ", " + where, info
                        + "\"flags\":[\"topdown\"],\"length\":" + h(v) + ",\"low_limit\":" + h(page) + ",\"high_limit\":"
                        + h(c.mmapBase()) + "}"});
                out.add(new String[] {"unmapped_area bottom-up length = " + n + ", " + where, info + "\"length\":" + h(v)
                        + ",\"low_limit\":" + h(c.legacyBase()) + ",\"high_limit\":" + h(c.defaultMapWindow()) + "}"});
                out.add(new String[] {"unmapped_area bottom-up low_limit = " + n + ", " + where, info + "\"length\":"
                        + h(pmd) + ",\"low_limit\":" + h(v) + ",\"high_limit\":" + h(c.defaultMapWindow()) + "}"});
                out.add(new String[] {"unmapped_area top-down high_limit = " + n + ", " + where, info
                        + "\"flags\":[\"topdown\"],\"length\":" + h(pmd) + ",\"low_limit\":" + h(page)
                        + ",\"high_limit\":" + h(v) + "}"});
                out.add(new String[] {"unmapped_area top-down align_offset = " + n + ", mask PMD_SIZE - 1, " + where, info
                        + "\"flags\":[\"topdown\"],\"length\":" + h(pmd) + ",\"low_limit\":" + h(page)
                        + ",\"high_limit\":" + h(c.mmapBase()) + ",\"align_mask\":" + h(pmd - 1) + ",\"align_offset\":"
                        + h(v) + "}"});
                out.add(new String[] {"unmapped_area bottom-up align_offset = " + n + ", mask PMD_SIZE - 1, " + where,
                        info + "\"length\":" + h(pmd) + ",\"low_limit\":" + h(c.legacyBase()) + ",\"high_limit\":"
                        + h(c.defaultMapWindow()) + ",\"align_mask\":" + h(pmd - 1) + ",\"align_offset\":" + h(v) + "}"});
                String al = "\"op\":\"aligned\"," + mm + "," + sp + ",\"flags\":[\"MAP_SHARED\"],\"size\":" + h(pmd);
                out.add(new String[] {"aligned off = " + n + ", " + where, al + ",\"len\":" + h(2 * pmd) + ",\"off\":"
                        + h(v)});
                long len = v & -page;
                if (len != 0) {
                    out.add(new String[] {"aligned len = " + n + " (page-aligned down), off 2^63, " + where, al
                            + ",\"len\":" + h(len) + ",\"off\":" + h(Long.MIN_VALUE)});
                    out.add(new String[] {"aligned len = " + n + " (page-aligned down), " + where, al + ",\"len\":"
                            + h(len)});
                }
                out.add(new String[] {"aligned hint = " + n + " (page-aligned down), " + where, al + ",\"len\":"
                        + h(pmd) + ",\"addr\":" + h(v & -page)});
            }
        }
        // file offsets at the 2^63-byte limit
        String thp = "\"file\":\"thp_file\",\"flags\":[\"MAP_SHARED\"]";
        for (long len : new long[] {page, pmd, 2 * pmd}) {
            long last = Long.divideUnsigned(Long.MAX_VALUE, page) + 1 - len / page; // end offset 2^63
            for (long d = -1; d <= 1; d++) {
                out.add(new String[] {"thp_file ending at 2^63 " + (d < 0 ? "- " : "+ ") + "PAGE_SIZE * " + Math.abs(d)
                        + ", len " + Hex.of(len), "\"op\":\"mmap\"," + mm + ",\"vmas\":[]," + thp + ",\"pgoff\":"
                        + h(last + d) + ",\"len\":" + h(len)});
            }
        }
    }

    /** Requests built to reach each flagged branch (the flags are still computed, not assigned). */
    private static void targetedLines(List<String[]> out, String arch, boolean topdown) {
        MmConfig c = RequestGenerator.config(arch, topdown);
        String mm = mm(arch, topdown);
        long page = c.pageSize();
        long pmd = c.pmdSize();
        String where = arch + " " + (topdown ? "topdown" : "legacy");
        // a hole of exactly len: below mmap_base (top-down) or above the legacy base (bottom-up)
        long len = 5 * page;
        long holeEnd = topdown ? c.mmapBase() - page : c.legacyBase() + page + len;
        long holeStart = holeEnd - len;
        String vmas = "\"vmas\":[{\"start\":" + h(holeStart - 4 * page) + ",\"end\":" + h(holeStart) + "},{\"start\":"
                + h(holeEnd) + ",\"end\":" + h(holeEnd + 4 * page) + "}]";
        String info = "\"op\":\"unmapped_area\"," + mm + "," + vmas + ",\"info\":{";
        long lo = topdown ? page : c.legacyBase();
        long hi = topdown ? c.mmapBase() : c.defaultMapWindow();
        out.add(new String[] {"a hole of exactly len, " + where, "\"op\":\"mmap\"," + mm + "," + vmas
                + ",\"file\":\"anon\",\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"],\"len\":" + h(len)});
        out.add(new String[] {"unmapped_area, a hole of exactly length, " + where, info + (topdown
                ? "\"flags\":[\"topdown\"]," : "") + "\"length\":" + h(len) + ",\"low_limit\":" + h(lo)
                + ",\"high_limit\":" + h(hi) + "}"});
        out.add(new String[] {"unmapped_area, a hole one page short, " + where, info + (topdown
                ? "\"flags\":[\"topdown\"]," : "") + "\"length\":" + h(len + page) + ",\"low_limit\":" + h(lo)
                + ",\"high_limit\":" + h(hi) + "}"});
        // a free hint
        long hint = c.mmapBase() - 64 * pmd + 3 * page;
        out.add(new String[] {"anon hint free, " + where, "\"op\":\"mmap\"," + mm + ",\"vmas\":[],\"file\":\"anon\","
                + "\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"],\"addr\":" + h(hint) + ",\"len\":" + h(3 * page)});
        out.add(new String[] {"thp_file hint free with padding, " + where, "\"op\":\"mmap\"," + mm + ",\"vmas\":[],"
                + "\"file\":\"thp_file\",\"flags\":[\"MAP_SHARED\"],\"addr\":" + h(hint) + ",\"len\":" + h(2 * pmd)});
        // the padded search lands congruent: top-down keeps the pad
        long flen = 2 * pmd;
        long ret = c.mmapBase() - flen - pmd;
        long pgoff = Arith.remU(ret, pmd) / page;
        out.add(new String[] {"thp_file whose padded search lands congruent, " + where, "\"op\":\"mmap\"," + mm
                + ",\"vmas\":[],\"file\":\"thp_file\",\"flags\":[\"MAP_SHARED\"],\"pgoff\":" + h(pgoff) + ",\"len\":"
                + h(flen)});
        // the aligned helper's wraps and declines
        String al = "\"op\":\"aligned\"," + mm + ",\"vmas\":[],\"flags\":[\"MAP_SHARED\"],\"size\":" + h(pmd);
        out.add(new String[] {"aligned len + size wraps (len 2^64 - PMD_SIZE, off 2^63), " + where, al + ",\"len\":"
                + h(-pmd) + ",\"off\":" + h(Long.MIN_VALUE)});
        out.add(new String[] {"aligned len + size wraps (len 2^64 - PMD_SIZE + PAGE_SIZE, off 2^63), " + where, al
                + ",\"len\":" + h(-pmd + page) + ",\"off\":" + h(Long.MIN_VALUE)});
        out.add(new String[] {"aligned off + len_pad wraps (off -3 PMD_SIZE, len 2 PMD_SIZE), " + where, al
                + ",\"len\":" + h(2 * pmd) + ",\"off\":" + h(-3 * pmd)});
        out.add(new String[] {"aligned MAP_FIXED at 0, " + where, "\"op\":\"aligned\"," + mm + ",\"vmas\":[],"
                + "\"flags\":[\"MAP_SHARED\",\"MAP_FIXED\"],\"size\":" + h(pmd) + ",\"len\":" + h(2 * pmd)});
        out.add(new String[] {"thp_file whose off + len_pad wraps, " + where, "\"op\":\"mmap\"," + mm + ",\"vmas\":[],"
                + "\"file\":\"thp_file\",\"flags\":[\"MAP_SHARED\"],\"pgoff\":" + h(Long.divideUnsigned(-3 * pmd, page))
                + ",\"len\":" + h(2 * pmd)});
        out.add(new String[] {"thp_file ending before the first aligned offset, " + where, "\"op\":\"mmap\"," + mm
                + ",\"vmas\":[],\"file\":\"thp_file\",\"flags\":[\"MAP_SHARED\"],\"pgoff\":\"0x1\",\"len\":"
                + h(pmd / 2)});
        out.add(new String[] {"thp_file covering no whole aligned block, " + where, "\"op\":\"mmap\"," + mm
                + ",\"vmas\":[],\"file\":\"thp_file\",\"flags\":[\"MAP_SHARED\"],\"pgoff\":\"0x1\",\"len\":"
                + h(pmd + page)});
        // padded search fails, unpadded fits: a space with one hole of len + PAGE_SIZE
        long hole = 2 * pmd + page;
        long he = topdown ? c.mmapBase() : c.legacyBase() + hole;
        long hs = he - hole;
        String tight = "\"vmas\":[{\"start\":" + h(c.mmapMinAddr()) + ",\"end\":" + h(hs) + "},{\"start\":" + h(he)
                + ",\"end\":" + h(c.defaultMapWindow() - c.defaultMapWindow() % page) + "}]";
        out.add(new String[] {"thp_file where only the unpadded length fits, " + where, "\"op\":\"mmap\"," + mm + ","
                + tight + ",\"file\":\"thp_file\",\"flags\":[\"MAP_SHARED\"],\"len\":" + h(2 * pmd)});
    }

    // ---- the flags ----

    /** The case's flags, from the model's explanation of it and from its inputs. */
    public static List<String> flags(Request r, Placement p) {
        TreeSet<String> f = new TreeSet<>();
        MmState mm = r.space().state();
        if (p.isError()) {
            f.add("ERROR");
        } else if (Arith.ugt(p.address(), mm.defaultMapWindow)) {
            f.add("ABOVE_DEFAULT_WINDOW");
        }
        if (r instanceof Request.Mmap m) {
            Explanation e = Explanation.of(m.space(), m.request());
            for (AlignedTry t : e.tries()) {
                f.add(OUTCOME_FLAGS.get(t.outcome()));
            }
            long flags = m.request().flags();
            boolean fixed = MapFlags.has(flags, MapFlags.MAP_FIXED) || MapFlags.has(flags, MapFlags.MAP_FIXED_NOREPLACE);
            long len = Arith.alignUp(m.request().len(), mm.pageSize);
            if (!fixed && e.hint() != 0 && !p.isError() && p.address() == e.hint()) {
                f.add("HINT_TAKEN");
            }
            if (fixed && Arith.isErrValue(m.request().addr())) {
                f.add("FIXED_ADDR_IS_ERRNO");
            }
            if (m.request().len() != 0 && len == 0) {
                f.add("LEN_PAGE_ALIGN_WRAPS");
            }
            if (m.request().file() != FileKind.ANON) {
                long end = m.request().pgoff() * mm.pageSize + len;
                long d = end - Long.MIN_VALUE;
                if (Arith.ule(d, mm.pageSize) || Arith.ule(-d, mm.pageSize)) {
                    f.add("FILE_OFFSET_AT_LIMIT");
                }
            }
            if (!p.isError() && len != 0 && gapEquals(r.space(), p.address(), len, 0, 0)) {
                f.add("GAP_EQUALS_LEN");
            }
        } else if (r instanceof Request.Aligned a) {
            f.add(OUTCOME_FLAGS.get(AlignedTry.of(a.space(), a.addr(), a.len(), a.off(), a.flags(), a.size())
                    .outcome()));
        } else if (r instanceof Request.UnmappedArea u) {
            if (!p.isError() && gapEquals(r.space(), p.address(), u.length(), Arith.umax(u.lowLimit(),
                    mm.mmapMinAddr), u.highLimit())) {
                f.add("GAP_EQUALS_LEN");
            }
        }
        return new ArrayList<>(f);
    }

    /**
     * Whether the free range around {@code [a, a + len)} - from the guard-gap end of the VMA before
     * to the guard-gap start of the VMA after ({@code vm_end_gap}, {@code vm_start_gap}), inside
     * {@code [lo, hi)} (hi 0: no upper limit) - is exactly that range.
     */
    static boolean gapEquals(AddressSpace as, long a, long len, long lo, long hi) {
        MmState mm = as.state();
        int next = VmaTree.findVma(mm, a);
        int prev = next < 0 ? mm.vmStart.length - 1 : next - 1;
        long start = Arith.umax(prev < 0 ? 0 : VmaTree.vmEndGap(mm, prev), lo);
        long end = next < 0 ? 0 : VmaTree.vmStartGap(mm, next);
        if (hi != 0 && (end == 0 || Arith.ugt(end, hi))) {
            end = hi;
        }
        return start == a && end - a == len && len != 0;
    }

    // ---- the files ----

    static String json(long seed, List<Case> cases) {
        StringBuilder b = new StringBuilder(1 << 20);
        b.append("{\n  \"algorithm\": \"pfnmap-align mmap placement (Linux 6.18 model)\",\n");
        b.append("  \"schema\": \"pfnmap_vectors_schema_v").append(SCHEMA_VERSION).append(".json\",\n");
        b.append("  \"schemaVersion\": ").append(SCHEMA_VERSION).append(",\n");
        b.append("  \"generator\": \"./oracle vectors --seed ").append(seed).append("\",\n");
        b.append("  \"seed\": ").append(seed).append(",\n");
        b.append("  \"numberOfTests\": ").append(cases.size()).append(",\n");
        b.append("  \"header\": [\n    \"Each case's request is a protocol line (docs/oracle.md); expected is the "
                + "model's answer line without the id,\",\n    \"expected_raw the u64 the kernel function returns (an "
                + "address, or -errno).\"\n  ],\n");
        b.append("  \"notes\": {\n");
        int k = 0;
        for (Map.Entry<String, String> e : NOTES.entrySet()) {
            b.append("    \"").append(e.getKey()).append("\": ").append(jsonString(e.getValue()))
                    .append(++k < NOTES.size() ? ",\n" : "\n");
        }
        b.append("  },\n  \"testGroups\": [\n");
        String group = null;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            if (!c.group().equals(group)) {
                if (group != null) {
                    b.append("\n      ]\n    },\n");
                }
                group = c.group();
                String[] g = group.split(" ");
                MmConfig m = c.request().space().config();
                b.append("    {\n      \"type\": \"").append(typeOf(g[0])).append("\",\n      \"op\": \"").append(g[0])
                        .append("\",\n      \"arch\": \"").append(g[1]).append("\",\n      \"layout\": \"").append(g[2])
                        .append("\",\n      \"mm\": ").append(Jsons.spaced(GroupMm.of(m))).append(",\n")
                        .append("      \"tests\": [\n");
            } else {
                b.append(",\n");
            }
            b.append("        {\"tcId\": ").append(c.tcId()).append(", \"comment\": ").append(jsonString(c.comment()))
                    .append(", \"flags\": [");
            for (int j = 0; j < c.flags().size(); j++) {
                b.append(j == 0 ? "" : ", ").append('"').append(c.flags().get(j)).append('"');
            }
            b.append("],\n         \"request\": ").append(c.line()).append(",\n         \"expected\": ")
                    .append(Jsons.spaced(c.expected().isError() ? Map.of("error", Errnos.name(c.expected().errno()))
                            : Map.of("result", Hex.of(c.expected().address()))))
                    .append(", \"expected_raw\": ").append(h(c.expected().value())).append("}");
        }
        if (group != null) {
            b.append("\n      ]\n    }\n");
        }
        b.append("  ]\n}\n");
        return b.toString();
    }

    /** A group's configuration, as C reads it: every u64 a hex string. */
    @JsonPropertyOrder({"page_size", "pmd_size", "task_size", "task_size_max", "default_map_window", "mmap_base",
        "legacy_base", "mmap_min_addr", "dac_mmap_min_addr", "stack_guard_gap"})
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record GroupMm(String pageSize, String pmdSize, String taskSize, String taskSizeMax, String defaultMapWindow,
            String mmapBase, String legacyBase, String mmapMinAddr, String dacMmapMinAddr, String stackGuardGap) {
        static GroupMm of(MmConfig m) {
            return new GroupMm(Hex.of(m.pageSize()), Hex.of(m.pmdSize()), Hex.of(m.taskSize()),
                    Hex.of(m.taskSizeMax()), Hex.of(m.defaultMapWindow()), Hex.of(m.mmapBase()),
                    Hex.of(m.legacyBase()), Hex.of(m.mmapMinAddr()), Hex.of(m.dacMmapMinAddr()),
                    Hex.of(m.stackGuardGap()));
        }
    }

    private static String typeOf(String op) {
        return op.equals("mmap") ? "MmapTest" : op.equals("aligned") ? "AlignedHelperTest" : "UnmappedAreaTest";
    }

    /** A JSON string literal (Jackson's escaping: control characters too, which the C header's comments never hold). */
    static String jsonString(String s) {
        return Jsons.string(s);
    }

    /**
     * A C string literal of {@code s}: its UTF-8 bytes, printable ASCII as is (backslash and quote
     * escaped), every other byte as a three-digit octal escape, which C ends after three digits
     * (a JSON {@code \\u0001} is no C escape, and {@code \\x} would swallow a following hex digit).
     */
    static String cString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (byte x : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c == '\\' || c == '"') {
                b.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                b.append((char) c);
            } else {
                b.append('\\').append(String.format(java.util.Locale.ROOT, "%03o", c));
            }
        }
        return b.append('"').toString();
    }

    static String header(long seed, List<Case> cases) {
        StringBuilder b = new StringBuilder(1 << 20);
        b.append("/* Generated by ./oracle vectors --seed ").append(seed).append(" (pfnmap-align, schema ")
                .append(SCHEMA_VERSION).append("); do not edit.\n")
                .append(" * The same cases as pfnmap_vectors.json, for a userland test or a KUnit suite. */\n")
                .append("#ifndef PFNMAP_VECTORS_H\n#define PFNMAP_VECTORS_H\n\n#include <stddef.h>\n#include <stdint.h>\n\n")
                .append("#define PFNMAP_VECTORS_SEED ").append(seed).append("LL\n")
                .append("#define PFNMAP_VECTORS_SCHEMA ").append(SCHEMA_VERSION).append("\n\n")
                .append("enum { PFNMAP_OP_MMAP = 0, PFNMAP_OP_UNMAPPED_AREA = 1, PFNMAP_OP_ALIGNED = 2 };\n\n")
                .append("struct pfnmap_vector {\n")
                .append("\tunsigned tc_id;\n\tconst char *comment;\n\tconst char *edge_flags; /* \"A|B\" */\n\tint op;\n")
                .append("\tint arch; /* 0 x86_64, 1 generic (arm64) */\n")
                .append("\tuint64_t page_size, pmd_size, task_size, task_size_max, default_map_window;\n")
                .append("\tuint64_t mmap_base, legacy_base, mmap_min_addr, dac_mmap_min_addr, stack_guard_gap;\n")
                .append("\tint topdown, thp, cap_sys_rawio;\n")
                .append("\tsize_t nr_vmas;\n\tconst uint64_t *vm_start, *vm_end;\n")
                .append("\tconst unsigned *vm_flags; /* 1 VM_GROWSDOWN, 2 VM_GROWSUP, 4 VM_SHADOW_STACK */\n")
                .append("\tint file; /* mmap: 0 anonymous, 1 THP file, 2 plain file or device */\n")
                .append("\tuint64_t addr, len, pgoff, map_flags, file_max_size; /* mmap; aligned: addr, len, map_flags; "
                        + "unmapped_area: len is info.length */\n")
                .append("\tint info_topdown;\n\tuint64_t low_limit, high_limit, align_mask, align_offset, start_gap;\n")
                .append("\tuint64_t off, size; /* aligned */\n")
                .append("\tuint64_t expected; /* the raw return: an address or -errno */\n};\n\n");
        StringBuilder starts = new StringBuilder();
        StringBuilder ends = new StringBuilder();
        StringBuilder vflags = new StringBuilder();
        StringBuilder rows = new StringBuilder();
        int at = 0;
        for (Case c : cases) {
            List<Vma> vmas = c.request().space().vmas();
            for (Vma v : vmas) {
                starts.append("\t0x").append(Long.toHexString(v.start())).append("ULL,\n");
                ends.append("\t0x").append(Long.toHexString(v.end())).append("ULL,\n");
                int f = (v.flags().contains(io.pfnmap.mm.VmaFlag.GROWSDOWN) ? 1 : 0)
                        + (v.flags().contains(io.pfnmap.mm.VmaFlag.GROWSUP) ? 2 : 0)
                        + (v.flags().contains(io.pfnmap.mm.VmaFlag.SHADOW_STACK) ? 4 : 0);
                vflags.append("\t").append(f).append(",\n");
            }
            MmConfig m = c.request().space().config();
            Request r = c.request();
            rows.append("\t{ .tc_id = ").append(c.tcId()).append(", .comment = ").append(cString(c.comment()))
                    .append(", .edge_flags = \"").append(String.join("|", c.flags())).append("\",\n\t  .op = ")
                    .append(r instanceof Request.Mmap ? "PFNMAP_OP_MMAP" : r instanceof Request.Aligned
                            ? "PFNMAP_OP_ALIGNED" : "PFNMAP_OP_UNMAPPED_AREA")
                    .append(", .arch = ").append(m.arch() == io.pfnmap.arch.Search.Kind.X86_64 ? 0 : 1)
                    .append(", .page_size = ").append(x(m.pageSize())).append(", .pmd_size = ").append(x(m.pmdSize()))
                    .append(",\n\t  .task_size = ").append(x(m.taskSize())).append(", .task_size_max = ")
                    .append(x(m.taskSizeMax())).append(", .default_map_window = ").append(x(m.defaultMapWindow()))
                    .append(",\n\t  .mmap_base = ").append(x(m.mmapBase())).append(", .legacy_base = ")
                    .append(x(m.legacyBase())).append(", .mmap_min_addr = ").append(x(m.mmapMinAddr()))
                    .append(", .dac_mmap_min_addr = ").append(x(m.dacMmapMinAddr())).append(", .stack_guard_gap = ")
                    .append(x(m.stackGuardGap())).append(",\n\t  .topdown = ").append(m.topdown() ? 1 : 0)
                    .append(", .thp = ").append(m.thp() ? 1 : 0).append(", .cap_sys_rawio = ")
                    .append(m.capSysRawio() ? 1 : 0).append(", .nr_vmas = ").append(vmas.size())
                    .append(", .vm_start = pfnmap_vma_start + ").append(at).append(", .vm_end = pfnmap_vma_end + ")
                    .append(at).append(", .vm_flags = pfnmap_vma_flags + ").append(at).append(",\n\t  ");
            at += vmas.size();
            if (r instanceof Request.Mmap mr) {
                var q = mr.request();
                rows.append(".file = ").append(q.file() == FileKind.ANON ? 0 : q.file() == FileKind.THP_FILE ? 1 : 2)
                        .append(", .addr = ").append(x(q.addr())).append(", .len = ").append(x(q.len()))
                        .append(", .pgoff = ").append(x(q.pgoff())).append(", .map_flags = ").append(x(q.flags()))
                        .append(", .file_max_size = ").append(x(q.file().maxSize()));
            } else if (r instanceof Request.Aligned a) {
                rows.append(".addr = ").append(x(a.addr())).append(", .len = ").append(x(a.len())).append(", .off = ")
                        .append(x(a.off())).append(", .map_flags = ").append(x(a.flags())).append(", .size = ")
                        .append(x(a.size()));
            } else {
                Request.UnmappedArea u = (Request.UnmappedArea) r;
                rows.append(".info_topdown = ").append(u.topdown() ? 1 : 0).append(", .len = ").append(x(u.length()))
                        .append(", .low_limit = ").append(x(u.lowLimit())).append(", .high_limit = ")
                        .append(x(u.highLimit())).append(", .align_mask = ").append(x(u.alignMask()))
                        .append(", .align_offset = ").append(x(u.alignOffset())).append(", .start_gap = ")
                        .append(x(u.startGap()));
            }
            rows.append(",\n\t  .expected = ").append(x(c.expected().value())).append(" },\n");
        }
        if (at == 0) {
            starts.append("\t0\n");
            ends.append("\t0\n");
            vflags.append("\t0\n");
        }
        b.append("static const uint64_t pfnmap_vma_start[] = {\n").append(starts).append("};\n\n")
                .append("static const uint64_t pfnmap_vma_end[] = {\n").append(ends).append("};\n\n")
                .append("static const unsigned pfnmap_vma_flags[] = {\n").append(vflags).append("};\n\n")
                .append("static const struct pfnmap_vector pfnmap_vectors[] = {\n").append(rows).append("};\n\n")
                .append("#endif /* PFNMAP_VECTORS_H */\n");
        return b.toString();
    }

    private static String x(long v) {
        return "0x" + Long.toHexString(v) + "ULL";
    }
}
