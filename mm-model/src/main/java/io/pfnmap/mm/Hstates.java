package io.pfnmap.mm;

import com.google.common.collect.ImmutableList;

/**
 * The kernel's hugetlb hstates as mmap sees them (mm/hugetlb.c): the huge page sizes, the default
 * first ({@code default_hstate}: HPAGE_SIZE, the PMD size on x86_64 and arm64, unless {@code
 * default_hugepagesz=} says otherwise), and how many huge pages a reservation of each size may take
 * (free and unreserved, plus the overcommit room; the kernel's default, {@code nr_hugepages} 0,
 * gives 0: then only MAP_NORESERVE mappings succeed).
 *
 * @param sizes     the hstates, each a power of two above PAGE_SIZE, the default first; empty
 *                  for a kernel without CONFIG_HUGETLB_PAGE
 * @param available huge pages a reservation may take
 * @param series    the kernel series whose hugetlbfs hooks run: {@link #V6_18} (6.13 and later,
 *                  the task's plain search) or {@link #V6_12} ({@code Hugetlb612}: x86 rounds the
 *                  hint down, its own windows and fallbacks)
 */
public record Hstates(ImmutableList<Long> sizes, long available, int series) {
    /** Linux 6.18 (6.13 and later): hugetlb through {@code mm_get_unmapped_area_vmflags}. */
    public static final int V6_18 = 618;
    /** Linux 6.12: the hugetlbfs hooks of arch/x86/mm/hugetlbpage.c and fs/hugetlbfs/inode.c. */
    public static final int V6_12 = 612;

    public static final String SIZES_RULE = "must be powers of two above PAGE_SIZE and at most 2^62, the default "
            + "hstate first";
    public static final String AVAILABLE_RULE = "must be a number of huge pages, 0 or more";

    /** 6.18's hooks. */
    public Hstates(ImmutableList<Long> sizes, long available) {
        this(sizes, available, V6_18);
    }

    public Hstates {
        sizes = ImmutableList.copyOf(sizes);
        if (series != V6_18 && series != V6_12) {
            throw new InvalidInputException("kernel", "must be 6.18 or 6.12 (the series whose hugetlbfs hooks are "
                    + "modelled), got " + series);
        }
        if (available < 0) {
            throw new InvalidInputException("hugepages_available", AVAILABLE_RULE);
        }
    }

    /** A kernel's default: one hstate, the PMD size, with no huge pages set aside. */
    public static Hstates defaults(long pmdSize) {
        return new Hstates(ImmutableList.of(pmdSize), 0, V6_18);
    }

    /**
     * The hstates a kernel registers at boot ({@code sizes}, as arch-model's {@code KernelSizes}
     * gives them), the default, HPAGE_SIZE = PMD_SIZE on x86_64 and arm64, first; none set aside.
     */
    public static Hstates registered(java.util.List<Long> sizes, long pmdSize) {
        ImmutableList.Builder<Long> b = ImmutableList.builder();
        if (sizes.contains(pmdSize)) {
            b.add(pmdSize);
        }
        sizes.stream().filter(s -> s != pmdSize).forEach(b::add);
        return new Hstates(b.build(), 0, V6_18);
    }

    /** The same hstates under the hooks of {@code series}. */
    public Hstates withSeries(int s) {
        return new Hstates(sizes, available, s);
    }

    /** The hugetlb file code of these hooks ({@code GetUnmappedArea.FILE_HUGETLB} or its 6.12 twin). */
    int fileCore() {
        return series == V6_12 ? io.pfnmap.mm.core.GetUnmappedArea.FILE_HUGETLB_612
                : io.pfnmap.mm.core.GetUnmappedArea.FILE_HUGETLB;
    }

    /** The sizes as the core takes them, checked against the page size. */
    long[] checked(long pageSize) {
        long[] a = new long[sizes.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = checkedSize("hugetlb_sizes", sizes.get(i), pageSize);
        }
        return a;
    }

    /** A huge page size the core takes: a power of two above the page, at most 2^62. */
    static long checkedSize(String field, long size, long pageSize) {
        if (size <= pageSize || Long.bitCount(size) != 1 || size > MmConfig.MAX_BOUND) {
            throw new InvalidInputException(field, SIZES_RULE);
        }
        return size;
    }
}
