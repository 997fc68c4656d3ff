package io.pfnmap.verification.oracle;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.arch.Search;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.MmConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded protocol request lines (docs/oracle.md) for the differential harness and the test
 * vectors: random address spaces of every modelled configuration and layout (stacks with guard
 * gaps, shadow stacks, upward stacks), anonymous, THP-file and plain-file mmaps with and without
 * hints, MAP_FIXED and MAP_FIXED_NOREPLACE, and raw vm_unmapped_area info structs, mixed with the
 * u64 edge values of {@link #edgeValues}. The same seed gives the same lines. The lines carry no
 * expected answers: the model gives them.
 */
public final class RequestGenerator {

    /** The configurations the search is modelled for (mm.arch). */
    public static final String[] ARCHES = {"x86_64", "x86_64-la57", "arm64-4k", "arm64-16k", "arm64-64k"};

    private final SplittableRandom rnd;
    private long id;

    public RequestGenerator(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    /** The configuration the parser gives a request with {@code "mm": {"arch": a, "layout": l}}. */
    public static MmConfig config(String arch, boolean topdown) {
        return CONFIGS.computeIfAbsent(arch + (topdown ? " topdown" : " legacy"), k -> decode(arch, topdown));
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, MmConfig> CONFIGS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static MmConfig decode(String arch, boolean topdown) {
        RequestParser p = new RequestParser();
        return p.parse("{\"op\":\"unmapped_area\",\"mm\":{\"arch\":\"" + arch + "\",\"layout\":\""
                + (topdown ? "topdown" : "legacy") + "\"},\"info\":{\"length\":1,\"low_limit\":0,\"high_limit\":1}}")
                .space().config();
    }

    /**
     * The u64 edge values of a configuration, by name: 0, 1, PAGE_SIZE - 1, PAGE_SIZE, PMD_SIZE
     * - 1, 2^63 - 1, 2^63, 2^64 - PAGE_SIZE, 2^64 - 1, TASK_SIZE and TASK_SIZE ± 1, the default
     * window ± 1, lengths that make {@code len + PMD_SIZE} wrap, file offsets at the 2^63-byte
     * limit, and the top 4,095 values (read as error codes).
     */
    public static List<Object[]> edgeValues(MmConfig c) {
        List<Object[]> e = new ArrayList<>();
        long page = c.pageSize();
        e.add(new Object[] {"ZERO", 0L});
        e.add(new Object[] {"ONE", 1L});
        e.add(new Object[] {"PAGE_SIZE_MINUS_1", page - 1});
        e.add(new Object[] {"PAGE_SIZE", page});
        e.add(new Object[] {"PMD_SIZE_MINUS_1", c.pmdSize() - 1});
        e.add(new Object[] {"PMD_SIZE", c.pmdSize()});
        e.add(new Object[] {"TWO_POW_63_MINUS_1", Long.MAX_VALUE});
        e.add(new Object[] {"TWO_POW_63", Long.MIN_VALUE});
        e.add(new Object[] {"TWO_POW_64_MINUS_PAGE", -page});
        e.add(new Object[] {"TWO_POW_64_MINUS_1", -1L});
        e.add(new Object[] {"TWO_POW_64_MINUS_4095", -4095L});
        e.add(new Object[] {"TWO_POW_64_MINUS_4096", -4096L});
        e.add(new Object[] {"TASK_SIZE_MINUS_1", c.taskSize() - 1});
        e.add(new Object[] {"TASK_SIZE", c.taskSize()});
        e.add(new Object[] {"TASK_SIZE_PLUS_1", c.taskSize() + 1});
        e.add(new Object[] {"WINDOW_MINUS_1", c.defaultMapWindow() - 1});
        e.add(new Object[] {"WINDOW_PLUS_1", c.defaultMapWindow() + 1});
        e.add(new Object[] {"LEN_PAD_WRAP", -c.pmdSize()});
        e.add(new Object[] {"LEN_PAD_WRAP_PAGE", -c.pmdSize() + page});
        return e;
    }

    /** The hex form the protocol writes. */
    public static String h(long v) {
        return "\"" + Hex.of(v) + "\"";
    }

    /** The next request line (no newline). */
    public String next() {
        String arch = ARCHES[rnd.nextInt(ARCHES.length)];
        boolean topdown = rnd.nextInt(4) != 0;
        MmConfig c = config(arch, topdown);
        String vmas = vmas(c);
        String mm = "{\"arch\":\"" + arch + "\",\"layout\":\"" + (topdown ? "topdown" : "legacy") + "\"}";
        long i = id++;
        int op = rnd.nextInt(10);
        if (op < 2) {
            return unmappedArea(i, mm, vmas, c);
        }
        if (op == 2) {
            return aligned(i, mm, vmas, c);
        }
        return mmap(i, mm, vmas, c);
    }

    private long edge(MmConfig c) {
        List<Object[]> e = edgeValues(c);
        return (Long) e.get(rnd.nextInt(e.size()))[1];
    }

    private long pages(MmConfig c, int maxPages) {
        return (1 + rnd.nextLong(maxPages)) * c.pageSize();
    }

    private long length(MmConfig c) {
        switch (rnd.nextInt(8)) {
            case 0:
                return edge(c);
            case 1:
                return (1 + rnd.nextLong(4)) * c.pmdSize();
            case 2:
                return (1 + rnd.nextLong(4)) * c.pmdSize() + (rnd.nextBoolean() ? c.pageSize() : -c.pageSize());
            case 3:
                return 1 + rnd.nextLong(1L << 34);
            case 4:
                return (1L + rnd.nextInt(4)) << 30;
            default:
                return pages(c, 64);
        }
    }

    private long address(MmConfig c) {
        switch (rnd.nextInt(7)) {
            case 0:
                return edge(c);
            case 1:
                return 0;
            case 2:
                return rnd.nextLong(c.taskSize());
            case 3:
                return c.mmapBase() - pages(c, 1 << 12);
            case 4:
                return c.mmapBase() - (1 + rnd.nextLong(64)) * c.pmdSize();
            case 5:
                return c.legacyBase() + pages(c, 1 << 12);
            default:
                return c.defaultMapWindow() + rnd.nextLong(1L << 40) * c.pageSize();
        }
    }

    /** 0 to 64 VMAs, sorted and disjoint, mostly below mmap_base, often a stack at the top. */
    private String vmas(MmConfig c) {
        int n = rnd.nextInt(8) == 0 ? 0 : rnd.nextInt(64) + 1;
        long page = c.pageSize();
        List<long[]> v = new ArrayList<>();
        long lo = Math.max(c.mmapMinAddr(), page);
        long window = c.defaultMapWindow() - c.defaultMapWindow() % page;
        long cursor = rnd.nextBoolean() ? lo : c.mmapBase() - (long) n * 64 * c.pmdSize();
        if (Long.compareUnsigned(cursor, lo) < 0) {
            cursor = lo;
        }
        boolean stack = rnd.nextInt(3) != 0;
        for (int i = 0; i < n - (stack ? 1 : 0); i++) {
            long gap = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(3) == 0 ? (1 + rnd.nextLong(4)) * c.pmdSize()
                    + (rnd.nextBoolean() ? 0 : page * rnd.nextInt(3)) : pages(c, 1 << 10);
            long size = rnd.nextInt(3) == 0 ? (1 + rnd.nextLong(3)) * c.pmdSize() : pages(c, 256);
            long start = cursor + gap;
            long end = start + size;
            if (Long.compareUnsigned(end, window - (1L << 30)) > 0 || Long.compareUnsigned(end, start) <= 0) {
                break;
            }
            int flags = rnd.nextInt(12) == 0 ? 1 : rnd.nextInt(16) == 0 ? 4 : rnd.nextInt(24) == 0 ? 2 : 0;
            v.add(new long[] {start, end, flags});
            cursor = end;
        }
        if (stack) {
            long end = rnd.nextBoolean() ? window : window - pages(c, 1 << 10);
            long start = end - pages(c, 64);
            if (Long.compareUnsigned(start, cursor) > 0) {
                v.add(new long[] {start, end, 1});
            }
        }
        return vmasJson(v);
    }

    /** The protocol's {@code vmas} array of {@code {start, end, flags}} triples (flags 1, 2, 4 or 0). */
    public static String vmasJson(List<long[]> v) {
        StringBuilder b = new StringBuilder(v.size() * 48 + 2).append('[');
        for (int i = 0; i < v.size(); i++) {
            long[] x = v.get(i);
            b.append(i == 0 ? "" : ",").append("{\"start\":").append(h(x[0])).append(",\"end\":").append(h(x[1]));
            if (x[2] != 0) {
                b.append(",\"flags\":[\"").append(x[2] == 1 ? "growsdown" : x[2] == 2 ? "growsup" : "shadow_stack")
                        .append("\"]");
            }
            b.append('}');
        }
        return b.append(']').toString();
    }

    private String mmap(long i, String mm, String vmas, MmConfig c) {
        String[] files = {"anon", "anon", "thp_file", "thp_file", "plain_file", "device"};
        String file = files[rnd.nextInt(files.length)];
        boolean anon = file.equals("anon");
        List<String> flags = new ArrayList<>();
        flags.add(anon ? (rnd.nextInt(5) == 0 ? "MAP_SHARED" : "MAP_PRIVATE") : rnd.nextBoolean() ? "MAP_SHARED"
                : "MAP_PRIVATE");
        if (anon) {
            flags.add("MAP_ANONYMOUS");
        }
        int fixed = rnd.nextInt(10);
        if (fixed == 0) {
            flags.add("MAP_FIXED");
        } else if (fixed == 1) {
            flags.add("MAP_FIXED_NOREPLACE");
        }
        long addr = rnd.nextInt(3) == 0 ? 0 : address(c);
        long len = length(c);
        long pgoff = 0;
        if (!anon || rnd.nextInt(4) == 0) {
            switch (rnd.nextInt(6)) {
                case 0 -> pgoff = edge(c) / (rnd.nextBoolean() ? 1 : c.pageSize());
                case 1 -> pgoff = Long.divideUnsigned(Long.MAX_VALUE, c.pageSize())
                        - Long.divideUnsigned(len, c.pageSize()) + rnd.nextInt(3) - 1;
                case 2 -> pgoff = rnd.nextLong(1L << 20);
                case 3 -> pgoff = rnd.nextLong(64) * (c.pmdSize() / c.pageSize());
                default -> pgoff = 0;
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("{\"id\":").append(i).append(",\"op\":\"mmap\",\"mm\":").append(mm).append(",\"vmas\":").append(vmas)
                .append(",\"file\":\"").append(file).append("\",\"addr\":").append(h(addr)).append(",\"len\":")
                .append(h(len)).append(",\"pgoff\":").append(h(pgoff)).append(",\"flags\":[");
        for (int k = 0; k < flags.size(); k++) {
            b.append(k == 0 ? "" : ",").append('"').append(flags.get(k)).append('"');
        }
        return b.append("]}").toString();
    }

    private String unmappedArea(long i, String mm, String vmas, MmConfig c) {
        long length = rnd.nextInt(6) == 0 ? edge(c) : length(c);
        if (length == 0) {
            length = 1; // the oracle refuses a zero length (Mmap.LENGTH_RULE); do_mmap never searches with one
        }
        long low = rnd.nextInt(3) == 0 ? 0 : rnd.nextBoolean() ? c.pageSize() : address(c);
        long high = rnd.nextInt(3) == 0 ? c.mmapBase() : rnd.nextInt(5) == 0 ? edge(c) : address(c);
        int k = rnd.nextInt(4) == 0 ? 0 : Long.numberOfTrailingZeros(c.pageSize()) + rnd.nextInt(20);
        long mask = k == 0 ? 0 : (1L << k) - 1 - (rnd.nextBoolean() ? 0 : 0);
        long offset = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(4) == 0 ? edge(c) : rnd.nextLong();
        long gap = rnd.nextInt(4) == 0 ? c.pageSize() * rnd.nextInt(4) : 0;
        boolean td = rnd.nextBoolean();
        return "{\"id\":" + i + ",\"op\":\"unmapped_area\",\"mm\":" + mm + ",\"vmas\":" + vmas + ",\"info\":{"
                + "\"flags\":" + (td ? "[\"topdown\"]" : "[]") + ",\"length\":" + h(length) + ",\"low_limit\":"
                + h(low) + ",\"high_limit\":" + h(high) + ",\"align_mask\":" + h(mask) + ",\"align_offset\":"
                + h(offset) + ",\"start_gap\":" + h(gap) + "}}";
    }

    private String aligned(long i, String mm, String vmas, MmConfig c) {
        long page = c.pageSize();
        long len = rnd.nextInt(6) == 0 ? -c.pmdSize() - page * rnd.nextInt(3) : pages(c, 1 << 12);
        if (rnd.nextInt(3) == 0) {
            len = (1 + rnd.nextLong(8)) * c.pmdSize();
        }
        long addr = rnd.nextInt(2) == 0 ? 0 : address(c) & -page;
        long[] sizes = {c.pmdSize(), c.pmdSize(), 1L << 30, page * 16};
        long size = sizes[rnd.nextInt(sizes.length)];
        long off;
        switch (rnd.nextInt(5)) {
            case 0 -> off = edge(c);
            case 1 -> off = -len - rnd.nextInt(3) * page;
            case 2 -> off = rnd.nextLong(64) * size + (rnd.nextBoolean() ? 0 : page * rnd.nextInt(8));
            default -> off = rnd.nextLong(1L << 40) * page;
        }
        String flags = rnd.nextInt(8) == 0 ? "[\"MAP_SHARED\",\"MAP_FIXED\"]" : "[\"MAP_SHARED\"]";
        return "{\"id\":" + i + ",\"op\":\"aligned\",\"mm\":" + mm + ",\"vmas\":" + vmas + ",\"addr\":" + h(addr)
                + ",\"len\":" + h(len) + ",\"off\":" + h(off) + ",\"flags\":" + flags + ",\"size\":" + h(size) + "}";
    }

    /** Whether a configuration id has the search modelled (all of {@link #ARCHES} do). */
    static boolean modelled(String id) {
        ArchConfig a = Arch.byId(id).orElseThrow();
        return a.search().map(Search::kind).isPresent();
    }
}
