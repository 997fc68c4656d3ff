package io.pfnmap.verification.diff;

import io.pfnmap.verification.oracle.RequestGenerator;
import io.pfnmap.mm.MmConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The kernel-tree harness's own seeded protocol lines (docs/oracle.md), beside
 * {@link RequestGenerator}'s: the shapes where an off-by-one in the real search shows. Holes of
 * exactly the padded length ({@code length + align_mask + start_gap}), one page less and one page
 * more, between adjacent VMAs, with a stack ({@code growsdown}), a shadow stack or an upward stack
 * ({@code growsup}) on either side and the guard gap exactly fitting or one page short; raw
 * {@code vm_unmapped_area} requests at the u64 edges of length, limits, offset and start gap, with
 * {@code mmap_min_addr} and {@code stack_guard_gap} moved; and a few address spaces of
 * vm.max_map_count (65,530) VMAs; anonymous MAP_SHARED mmaps for shmem_get_unmapped_area with
 * shmem huge pages off, at PMD_SIZE and at mTHP sizes ({@link #shmem}). Masks are 0, {@code 2^k - 1}
 * and, one draw in ten, hugetlbfs' {@code PAGE_MASK & ~huge_page_mask} ({@code (2^k - 1) &
 * PAGE_MASK}, counted in {@link #hugetlbMasks}), which the search pads by and aligns with as given.
 */
final class KernelTreeCases {
    /** vm.max_map_count's default. */
    static final int MAX_MAP_COUNT = 65_530;

    private final SplittableRandom rnd;
    private final Consumer<String> out;
    private long id;
    /** Requests sent with a hugetlbfs mask, (2^k - 1) & PAGE_MASK. */
    int hugetlbMasks;

    KernelTreeCases(long seed, Consumer<String> out) {
        this.rnd = new SplittableRandom(seed);
        this.out = out;
    }

    static String h(long v) {
        return RequestGenerator.h(v);
    }

    static String mm(String arch, boolean topdown, String extra) {
        return "{\"arch\":\"" + arch + "\",\"layout\":\"" + (topdown ? "topdown" : "legacy") + "\"" + extra + "}";
    }

    static String vmas(List<long[]> v) {
        return RequestGenerator.vmasJson(v);
    }

    void unmapped(String mm, String vmas, boolean topdown, long length, long low, long high, long mask, long offset,
            long startGap) {
        out.accept("{\"id\":\"k" + id++ + "\",\"op\":\"unmapped_area\",\"mm\":" + mm + ",\"vmas\":" + vmas
                + ",\"info\":{\"flags\":" + (topdown ? "[\"topdown\"]" : "[]") + ",\"length\":" + h(length)
                + ",\"low_limit\":" + h(low) + ",\"high_limit\":" + h(high) + ",\"align_mask\":" + h(mask)
                + ",\"align_offset\":" + h(offset) + ",\"start_gap\":" + h(startGap) + "}}");
    }

    void mmap(String mm, String vmas, String file, long addr, long len, long pgoff, String flags) {
        out.accept("{\"id\":\"k" + id++ + "\",\"op\":\"mmap\",\"mm\":" + mm + ",\"vmas\":" + vmas + ",\"file\":\""
                + file + "\",\"addr\":" + h(addr) + ",\"len\":" + h(len) + ",\"pgoff\":" + h(pgoff) + ",\"flags\":"
                + flags + "}");
    }

    void aligned(String mm, String vmas, long addr, long len, long off, long size) {
        out.accept("{\"id\":\"k" + id++ + "\",\"op\":\"aligned\",\"mm\":" + mm + ",\"vmas\":" + vmas + ",\"addr\":"
                + h(addr) + ",\"len\":" + h(len) + ",\"off\":" + h(off) + ",\"flags\":[\"MAP_SHARED\"],\"size\":"
                + h(size) + "}");
    }

    /** An architecture drawn at random. */
    private String anyArch() {
        return RequestGenerator.ARCHES[rnd.nextInt(RequestGenerator.ARCHES.length)];
    }

    /** An architecture and a layout, drawn in that order (the seeds' lines depend on it), and their config. */
    private record Space(String arch, boolean topdown, MmConfig config) {
    }

    private Space anySpace() {
        String arch = anyArch();
        boolean topdown = rnd.nextBoolean();
        return new Space(arch, topdown, RequestGenerator.config(arch, topdown));
    }

    /** A mask: 0 or 2^k - 1 with k from the page shift up; one draw in ten is a hugetlbfs mask, counted. */
    private long mask(MmConfig c) {
        int r = rnd.nextInt(10);
        int shift = Long.numberOfTrailingZeros(c.pageSize());
        long full = (1L << (shift + rnd.nextInt(shift == 12 ? 19 : 12))) - 1;
        if (r == 0) {
            hugetlbMasks++;
            return full & -c.pageSize(); // huge_page_mask_align: PAGE_MASK & ~huge_page_mask(h)
        }
        return r < 4 ? 0 : full;
    }

    /**
     * Holes of exactly the padded length, one page less or more, between adjacent VMAs, the
     * neighbours plain or stacks with their guard gaps exactly fitting or a page short.
     */
    void holes(int n) {
        for (int i = 0; i < n; i++) {
            Space s = anySpace();
            MmConfig c = s.config();
            long page = c.pageSize();
            long mask = mask(c);
            long guard = switch (rnd.nextInt(4)) {
                case 0 -> 0;
                case 1 -> page;
                case 2 -> page * (1 + rnd.nextInt(8));
                default -> c.stackGuardGap();
            };
            String mm = mm(s.arch(), s.topdown(), guard == c.stackGuardGap() ? "" : ",\"stack_guard_gap\":" + h(guard));
            long startGap = rnd.nextInt(4) == 0 ? page * rnd.nextInt(3) : 0;
            long length = page * (1 + rnd.nextInt(16)) + (rnd.nextInt(6) == 0 ? rnd.nextInt(3) - 1 : 0);
            if (length <= 0) {
                length = 1;
            }
            long padded = length + mask + startGap;
            int nextFlag = new int[] {0, 0, 1, 1, 4}[rnd.nextInt(5)];
            int prevFlag = rnd.nextInt(5) == 0 ? 2 : 0;
            long nextGap = nextFlag == 1 ? guard : nextFlag == 4 ? page : 0;
            long prevGap = prevFlag == 2 ? guard : 0;
            long hole = (padded + page - 1) / page * page;
            hole += switch (rnd.nextInt(5)) {
                case 0 -> -page;
                case 1 -> page;
                default -> 0;
            };
            if (rnd.nextBoolean()) {
                hole += nextGap + prevGap; // the guard gaps fit exactly (or a page short, from the line above)
            }
            if (hole <= 0) {
                hole = page;
            }
            // adjacent VMAs below and above the hole, somewhere below mmap_base
            long base = Math.max(c.mmapMinAddr(), page) + page * rnd.nextInt(1 << 16)
                    + (rnd.nextBoolean() ? 0 : c.legacyBase());
            base = base / page * page;
            List<long[]> v = new ArrayList<>();
            long cur = base;
            int below = rnd.nextInt(4);
            for (int k = 0; k < below; k++) {
                long sz = page * (1 + rnd.nextInt(4));
                v.add(new long[] {cur, cur + sz, 0});
                cur += sz;
            }
            long prevSize = page * (1 + rnd.nextInt(4));
            v.add(new long[] {cur, cur + prevSize, prevFlag});
            cur += prevSize;
            long holeStart = cur;
            cur += hole;
            long nextSize = page * (1 + rnd.nextInt(4));
            v.add(new long[] {cur, cur + nextSize, nextFlag});
            cur += nextSize;
            int above = rnd.nextInt(4);
            for (int k = 0; k < above; k++) {
                long sz = page * (1 + rnd.nextInt(4));
                v.add(new long[] {cur, cur + sz, 0});
                cur += sz;
            }
            if (Long.compareUnsigned(cur, c.taskSize()) > 0) {
                continue;
            }
            String vm = vmas(v);
            long low = rnd.nextInt(3) == 0 ? base : rnd.nextBoolean() ? holeStart : page;
            long high = rnd.nextInt(3) == 0 ? cur : rnd.nextBoolean() ? holeStart + hole : c.mmapBase();
            long offset = switch (rnd.nextInt(4)) {
                case 0 -> 0;
                case 1 -> holeStart + startGap;
                case 2 -> rnd.nextLong();
                default -> holeStart + page * rnd.nextInt(4);
            };
            unmapped(mm, vm, rnd.nextBoolean(), length, low, high, mask, offset, startGap);
            if (rnd.nextInt(4) == 0) {
                // the same hole through mmap: the hint at the hole, or none
                long len = hole - nextGap - prevGap + (rnd.nextBoolean() ? 0 : page);
                if (len > 0) {
                    mmap(mm, vm, "anon", rnd.nextBoolean() ? 0 : holeStart, len, 0,
                            "[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]");
                }
            }
        }
    }

    /** vm_unmapped_area at the u64 edges, with mmap_min_addr and stack_guard_gap moved too. */
    void edges(int n) {
        for (int i = 0; i < n; i++) {
            Space s = anySpace();
            MmConfig c = s.config();
            long page = c.pageSize();
            List<Object[]> e = RequestGenerator.edgeValues(c);
            long mask = mask(c);
            String extra = switch (rnd.nextInt(5)) {
                case 0 -> ",\"mmap_min_addr\":" + h(0);
                case 1 -> ",\"mmap_min_addr\":" + h(edgeOr(e, page) & (MmConfig.MAX_BOUND - 1));
                case 2 -> ",\"stack_guard_gap\":" + h(0);
                case 3 -> ",\"stack_guard_gap\":" + h(MmConfig.MAX_BOUND / page * page);
                default -> "";
            };
            String mm = mm(s.arch(), s.topdown(), extra);
            List<long[]> v = new ArrayList<>();
            switch (rnd.nextInt(4)) {
                case 0 -> { }
                case 1 -> v.add(new long[] {c.mmapBase() - 64 * page, c.mmapBase() - 32 * page, rnd.nextInt(3)});
                case 2 -> {
                    v.add(new long[] {page, 2 * page, 0});
                    v.add(new long[] {c.taskSizeMax() - page, c.taskSizeMax(), 1});
                }
                default -> {
                    v.add(new long[] {0, page, 2});
                    v.add(new long[] {c.defaultMapWindow() - 16 * page, c.defaultMapWindow(), 1});
                }
            }
            long length = edgeOr(e, page * (1 + rnd.nextInt(64)));
            if (length == 0) {
                length = 1;
            }
            long low = edgeOr(e, page * rnd.nextInt(1 << 20));
            long high = edgeOr(e, c.mmapBase());
            long offset = edgeOr(e, rnd.nextLong());
            long startGap = rnd.nextInt(3) == 0 ? edgeOr(e, page) : 0;
            unmapped(mm, vmas(v), rnd.nextBoolean(), length, low, high, mask, offset, startGap);
        }
    }

    private long edgeOr(List<Object[]> e, long otherwise) {
        return rnd.nextInt(3) == 0 ? otherwise : (Long) e.get(rnd.nextInt(e.size()))[1];
    }

    /**
     * Anonymous MAP_SHARED mmaps, which __get_unmapped_area sends to shmem_get_unmapped_area, with
     * shmem huge pages off ({@code shmem_huge_size} 0, a third), on at PMD_SIZE (half) or at an
     * mTHP size (two pages up to half the PMD size): lengths of exactly the huge size, a page
     * less or more, multiples of it and small ones; a gap at the layout's start of exactly the
     * length, of the inflated length ({@code len + size - page}), a page short of it or roomy,
     * between VMAs (a stack above sometimes); no hint, a free hint (taken as is), a hint in a VMA,
     * a hint below mmap_min_addr or above the window; sometimes THP off, a pgoff (ignored for
     * anonymous memory), MAP_FIXED or MAP_FIXED_NOREPLACE, lengths near TASK_SIZE.
     */
    void shmem(int n) {
        for (int i = 0; i < n; i++) {
            String arch = anyArch();
            boolean topdown = rnd.nextInt(4) != 0;
            MmConfig c = RequestGenerator.config(arch, topdown);
            long page = c.pageSize();
            long pmd = c.pmdSize();
            int pick = rnd.nextInt(6);
            long huge = pick < 2 ? 0 : pick < 5 ? pmd
                    : 2 * page << rnd.nextInt(Long.numberOfTrailingZeros(pmd / page) - 1);
            long size = huge == 0 ? pmd : huge; // the size the lengths and gaps are drawn around
            long len = switch (rnd.nextInt(9)) {
                case 0, 1 -> size;
                case 2 -> size - page;
                case 3 -> size + page;
                case 4 -> size * (2 + rnd.nextInt(3));
                case 5 -> size * (1 + rnd.nextInt(3)) + page * (1 + rnd.nextInt(3));
                case 6 -> page * (1 + rnd.nextInt(8)) - (rnd.nextInt(4) == 0 ? 1 + rnd.nextInt((int) page - 1) : 0);
                case 7 -> rnd.nextInt(4) == 0 ? c.taskSize() - page * rnd.nextInt(3) : size * (1 + rnd.nextInt(64));
                default -> 2 * size - page;
            };
            if (len <= 0) {
                len = page;
            }
            long plen = (len + page - 1) / page * page;
            long gap = switch (rnd.nextInt(6)) {
                case 0 -> plen;
                case 1 -> plen + size - page;
                case 2 -> plen + size - 2 * page;
                case 3 -> plen + size;
                case 4 -> plen + page * rnd.nextInt(4);
                default -> plen + size * (1 + rnd.nextInt(4)) + page * rnd.nextInt(16);
            };
            List<long[]> v = new ArrayList<>();
            long gapStart;
            int shape = rnd.nextInt(4);
            if (shape == 0 || Long.compareUnsigned(gap, c.mmapBase() / 4) > 0) {
                gapStart = topdown ? c.mmapBase() - plen : c.legacyBase(); // an empty space
            } else if (topdown) {
                // a VMA from mmap_base down (or not), the gap below it, a VMA below the gap
                long top = c.mmapBase() - (shape == 1 ? 0 : page * (1 + rnd.nextInt(1 << 10)));
                long below = page * (1 + rnd.nextInt(4)) + (rnd.nextBoolean() ? size : 0);
                gapStart = top - gap;
                v.add(new long[] {gapStart - below, gapStart, rnd.nextInt(8) == 0 ? 1 : 0});
                if (top != c.mmapBase()) {
                    v.add(new long[] {top, c.mmapBase(), 0});
                }
            } else {
                long bottom = c.legacyBase() + (shape == 1 ? 0 : page * (1 + rnd.nextInt(1 << 10)));
                if (bottom != c.legacyBase()) {
                    v.add(new long[] {c.legacyBase(), bottom, 0});
                }
                gapStart = bottom;
                v.add(new long[] {bottom + gap, bottom + gap + page * (1 + rnd.nextInt(4)) + (rnd.nextBoolean() ? size
                        : 0), rnd.nextInt(8) == 0 ? 1 : 0});
            }
            if (rnd.nextInt(3) == 0) {
                // a stack at the top of the window, as a process has
                long end = c.defaultMapWindow() / page * page;
                long last = v.isEmpty() ? 0 : v.get(v.size() - 1)[1];
                if (Long.compareUnsigned(end - 64 * page, Math.max(last, c.mmapBase())) >= 0) {
                    v.add(new long[] {end - 32 * page, end, 1});
                }
            }
            v.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
            long addr = switch (rnd.nextInt(8)) {
                case 0 -> gapStart; // free (when the length fits): taken as is
                case 1 -> v.isEmpty() ? page * rnd.nextInt(1 << 20) : v.get(rnd.nextInt(v.size()))[0]; // taken
                case 2 -> c.mmapMinAddr() - page * rnd.nextInt(2); // below mmap_min_addr
                case 3 -> (gapStart + size - 1) / size * size; // aligned
                case 4 -> c.defaultMapWindow() + page * rnd.nextInt(1 << 12);
                default -> 0;
            };
            List<String> flags = new ArrayList<>(List.of("MAP_SHARED", "MAP_ANONYMOUS"));
            int f = rnd.nextInt(20);
            if (f == 0) {
                flags.add("MAP_FIXED");
                addr = addr / page * page;
            } else if (f == 1) {
                flags.add("MAP_FIXED_NOREPLACE");
                addr = addr / page * page;
            }
            StringBuilder extra = new StringBuilder();
            if (huge != 0) {
                extra.append(",\"shmem_huge_size\":").append(h(huge));
            }
            if (rnd.nextInt(10) == 0) {
                extra.append(",\"thp\":false");
            }
            if (rnd.nextInt(12) == 0) {
                extra.append(",\"cap_sys_rawio\":false");
            }
            long pgoff = rnd.nextInt(6) == 0 ? rnd.nextLong(1L << 20) : 0;
            mmap(mm(arch, topdown, extra.toString()), vmas(v), "anon", addr, len, pgoff,
                    "[\"" + String.join("\",\"", flags) + "\"]");
        }
    }

    /** AMD family 15h's va_align as mm.va_align: mask 0x7000 (the usual F15h) or another amd.c shape. */
    static String vaAlignJson(long mask, long bits, String alignVaAddr, boolean pfRandomize) {
        return ",\"va_align\":{\"mask\":" + h(mask) + ",\"bits\":" + h(bits)
                + (alignVaAddr == null ? "" : ",\"align_va_addr\":\"" + alignVaAddr + "\"")
                + (pfRandomize ? "" : ",\"pf_randomize\":false") + "}";
    }

    /**
     * x86_64 mmaps on an AMD family 15h ({@code mm.va_align}), for the tree's own get_align_mask
     * and get_align_bits in x86's arch_get_unmapped_area[_topdown]: mask 0x7000 (seven in eight;
     * else {@code (upperbit - 1) & PAGE_MASK} for upperbit 8 KiB to 1 MiB), bits drawn within
     * it, {@code align_va_addr} on (most), 64, 32 or off, PF_RANDOMIZE on (seven in eight) or
     * off; devices, plain files, THP files, and anonymous private and shared memory (which the
     * alignment must not move); both layouts and 4- and 5-level paging; a hole of exactly the
     * padded length ({@code len + mask}), a page short or a page more, between VMAs at the
     * layout's start, an empty space, a top-down space full below mmap_base (the bottom-up
     * fallback, same file), random VMAs; no hint, a free hint, a taken one, MAP_FIXED.
     */
    void vaAlign(int n) {
        String[] files = {"device", "device", "device", "plain_file", "plain_file", "thp_file", "thp_file", "anon",
            "anon"};
        for (int i = 0; i < n; i++) {
            String arch = rnd.nextInt(4) == 0 ? "x86_64-la57" : "x86_64";
            boolean topdown = rnd.nextInt(3) != 0;
            MmConfig c = RequestGenerator.config(arch, topdown);
            long page = c.pageSize();
            long mask = rnd.nextInt(8) != 0 ? 0x7000 : (page << (1 + rnd.nextInt(8))) - page;
            long bits = rnd.nextLong() & mask;
            int a = rnd.nextInt(10);
            String alignVaAddr = a < 5 ? null : a < 7 ? "on" : a == 7 ? "64" : a == 8 ? "32" : "off";
            boolean pfRandomize = rnd.nextInt(8) != 0;
            String file = files[rnd.nextInt(files.length)];
            boolean shared = !file.equals("anon") || rnd.nextBoolean();
            long pmd = c.pmdSize();
            long len = switch (rnd.nextInt(8)) {
                case 0, 1, 2 -> page * (1 + rnd.nextInt(8));
                case 3 -> page * (1 + rnd.nextInt(64)) - 1 - rnd.nextInt((int) page - 1);
                case 4 -> pmd * (1 + rnd.nextInt(3));
                case 5 -> pmd * (1 + rnd.nextInt(2)) + page * (1 + rnd.nextInt(8));
                case 6 -> mask + page * rnd.nextInt(3);
                default -> page * (1 + rnd.nextInt(1 << 12));
            };
            long plen = (len + page - 1) / page * page;
            long pgoff = switch (rnd.nextInt(4)) {
                case 0, 1 -> 0;
                case 2 -> rnd.nextInt(64);
                default -> rnd.nextLong(1L << 36);
            };
            List<long[]> v = new ArrayList<>();
            int shape = rnd.nextInt(6);
            long hole = plen + mask + switch (rnd.nextInt(4)) {
                case 0 -> -page;
                case 1 -> page;
                case 2 -> page * rnd.nextInt(8);
                default -> 0;
            };
            if (hole <= 0) {
                hole = page;
            }
            long gapStart;
            if (shape == 0) {
                gapStart = topdown ? c.mmapBase() - plen : c.legacyBase();
            } else if (shape == 1 && topdown) {
                // nothing free below mmap_base: the top-down search fails, the bottom-up fallback runs
                v.add(new long[] {page * 16, c.mmapBase(), 0});
                gapStart = c.mmapBase();
            } else if (shape <= 3) {
                // a hole at the layout's start, of the padded length or about
                long skew = page * rnd.nextInt(1 << 10);
                if (topdown) {
                    long top = c.mmapBase() - skew;
                    gapStart = top - hole;
                    v.add(new long[] {gapStart - page * (1 + rnd.nextInt(16)), gapStart, rnd.nextInt(6) == 0 ? 1 : 0});
                    if (skew != 0) {
                        v.add(new long[] {top, c.mmapBase(), 0});
                    }
                } else {
                    long bottom = c.legacyBase() + skew;
                    if (skew != 0) {
                        v.add(new long[] {c.legacyBase(), bottom, 0});
                    }
                    gapStart = bottom;
                    v.add(new long[] {bottom + hole, bottom + hole + page * (1 + rnd.nextInt(16)),
                        rnd.nextInt(6) == 0 ? 1 : 0});
                }
            } else {
                // random VMAs around the layout's start
                long at = (topdown ? c.mmapBase() - page * (1 << 14) : c.legacyBase());
                gapStart = at;
                for (int k = 0; k < 1 + rnd.nextInt(12); k++) {
                    long start = at + page * rnd.nextInt(8);
                    long end = start + page * (1 + rnd.nextInt(16));
                    v.add(new long[] {start, end, rnd.nextInt(10) == 0 ? 1 : 0});
                    at = end;
                }
            }
            v.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
            long addr = switch (rnd.nextInt(8)) {
                case 0 -> gapStart; // free when the length fits: taken as is, no alignment
                case 1 -> v.isEmpty() ? c.mmapBase() - page * 64 : v.get(rnd.nextInt(v.size()))[0]; // taken: searched
                case 2 -> gapStart + page * rnd.nextInt(8);
                default -> 0;
            };
            List<String> flags = new ArrayList<>(List.of(shared ? "MAP_SHARED" : "MAP_PRIVATE"));
            if (file.equals("anon")) {
                flags.add("MAP_ANONYMOUS");
            }
            if (rnd.nextInt(20) == 0) {
                flags.add(rnd.nextBoolean() ? "MAP_FIXED" : "MAP_FIXED_NOREPLACE");
                addr = addr / page * page;
            }
            String extra = vaAlignJson(mask, bits, alignVaAddr, pfRandomize)
                    + (rnd.nextInt(10) == 0 ? ",\"thp\":false" : "");
            out.accept("{\"id\":\"va" + id++ + "\",\"op\":\"mmap\",\"mm\":" + mm(arch, topdown, extra)
                    + ",\"vmas\":" + vmas(v) + ",\"file\":\"" + file + "\",\"addr\":" + h(addr) + ",\"len\":"
                    + h(len) + ",\"pgoff\":" + h(pgoff) + ",\"flags\":[\"" + String.join("\",\"", flags) + "\"]}");
        }
    }

    /**
     * A space of vm.max_map_count VMAs and {@code queries} requests on it (vm_unmapped_area both
     * ways, mmap, the aligned helper). Shapes: 0 one-page VMAs with one-page holes (only a
     * one-page request fits among them), 1 random sizes and holes with stacks among them, 2
     * spread over a 5-level x86_64 space, 3 arm64 64K legacy.
     */
    void big(int shape, int queries) {
        String arch = new String[] {"x86_64", "arm64-4k", "x86_64-la57", "arm64-64k"}[shape];
        boolean topdown = shape != 3;
        MmConfig c = RequestGenerator.config(arch, topdown);
        long page = c.pageSize();
        List<long[]> v = new ArrayList<>(MAX_MAP_COUNT);
        long cur = Math.max(c.mmapMinAddr(), page) + page * 16;
        long span = (shape == 2 ? c.taskSize() - (1L << 40) : c.mmapBase()) - cur;
        long step = span / MAX_MAP_COUNT / page * page;
        for (int i = 0; i < MAX_MAP_COUNT; i++) {
            long start;
            long size;
            int flag = 0;
            switch (shape) {
                case 0 -> {
                    start = cur + page;
                    size = page;
                }
                case 1 -> {
                    start = cur + page * rnd.nextInt(3);
                    size = page * (1 + rnd.nextInt(8));
                    flag = rnd.nextInt(64) == 0 ? 1 : rnd.nextInt(64) == 0 ? 4 : 0;
                }
                default -> {
                    start = cur + page * (1 + rnd.nextLong(Math.max(1, step / page - 2)));
                    size = page;
                    flag = rnd.nextInt(128) == 0 ? 1 : 0;
                }
            }
            if (shape == 2 || shape == 3) {
                start = Math.max(start, cur);
            }
            v.add(new long[] {start, start + size, flag});
            cur = start + size;
            if (shape >= 2) {
                cur = Math.max(cur, Math.max(c.mmapMinAddr(), page) + (i + 1) * step);
            }
        }
        String mm = mm(arch, topdown, "");
        String vm = vmas(v);
        long first = v.get(0)[0];
        for (int q = 0; q < queries; q++) {
            long length = page * (1 + rnd.nextInt(q % 3 == 0 ? 2 : 64));
            long mask = q % 4 == 0 ? 0 : (1L << (Long.numberOfTrailingZeros(page) + rnd.nextInt(10))) - 1;
            switch (q % 6) {
                case 0, 1 -> unmapped(mm, vm, q % 2 == 0, length, first, cur, mask, rnd.nextLong(), 0);
                case 2 -> unmapped(mm, vm, true, length, page, c.mmapBase(), mask, 0, page * rnd.nextInt(2));
                case 3 -> mmap(mm, vm, "anon", rnd.nextBoolean() ? 0 : v.get(rnd.nextInt(v.size()))[1], length, 0,
                        "[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]");
                case 4 -> mmap(mm, vm, "thp_file", 0, c.pmdSize() * (1 + rnd.nextInt(3)), rnd.nextInt(1 << 12),
                        "[\"MAP_SHARED\"]");
                default -> aligned(mm, vm, 0, length + c.pmdSize(), page * rnd.nextInt(1 << 12), c.pmdSize());
            }
        }
    }
}
