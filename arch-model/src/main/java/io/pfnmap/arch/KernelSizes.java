package io.pfnmap.arch;

import com.google.common.collect.ImmutableList;
import java.util.TreeSet;

/**
 * The leaf sizes a configuration's kernel reports in sysfs, all ascending, in bytes: the hugetlb
 * sizes ({@code /sys/kernel/mm/hugepages/hugepages-<N>kB}), the THP sizes
 * ({@code /sys/kernel/mm/transparent_hugepage/hugepages-<N>kB}) and {@code hpage_pmd_size}.
 * {@link #of(ArchConfig, CpuFeatures)} derives them from the leaf table; checked live against
 * Debian's 6.12 kernels (arm64 4K and 16K, amd64 LA57 under qemu) and this host's 6.18.
 *
 * @param hugetlb      the hstates: leaves above PAGE_SIZE and contiguous-bit sizes
 * @param thp          the mTHP sizes of sysfs
 * @param hpagePmdSize HPAGE_PMD_SIZE
 */
public record KernelSizes(ImmutableList<Long> hugetlb, ImmutableList<Long> thp, long hpagePmdSize) {

    /** XA_CHUNK_SHIFT * 2 - 1 (include/linux/pagemap.h MAX_XAS_ORDER, XA_CHUNK_SHIFT 6). */
    static final int MAX_XAS_ORDER = 11;

    /** The sizes as read from sysfs (each list ascending). */
    public static KernelSizes reported(long[] hugetlb, long[] thp, long hpagePmdSize) {
        return new KernelSizes(list(hugetlb), list(thp), hpagePmdSize);
    }

    /**
     * What the kernel of {@code arch} reports on a CPU with {@code cpu}'s features.
     * <ul>
     * <li>hugetlb: x86_64 registers PMD_SIZE always (mm/hugetlb.c {@code hugetlb_init}, the default
     * hstate) and PUD_SIZE only with {@code X86_FEATURE_GBPAGES} (arch/x86/mm/hugetlbpage.c
     * {@code gigantic_pages_init}); arm64 registers PUD (when {@code pud_sect_supported()}: 4 KiB
     * granule), CONT_PMD, PMD and CONT_PTE (arch/arm64/mm/hugetlbpage.c {@code hugetlbpage_init}):
     * the table's leaves above PAGE_SIZE plus its contiguous sizes.</li>
     * <li>thp: one directory per order of {@code THP_ORDERS_ALL_ANON | THP_ORDERS_ALL_FILE_DEFAULT}
     * (mm/huge_memory.c {@code hugepage_init_sysfs}; include/linux/huge_mm.h):
     * orders 2..PMD_ORDER and 1..MAX_PAGECACHE_ORDER, MAX_PAGECACHE_ORDER = min(MAX_XAS_ORDER,
     * HPAGE_PMD_ORDER).</li>
     * <li>hpage_pmd_size: PMD_SIZE.</li>
     * </ul>
     *
     * @throws IllegalArgumentException for a configuration other than x86_64 or arm64 (field
     *                                  {@code arch}: sizes are modelled where they were checked)
     */
    public static KernelSizes of(ArchConfig arch, CpuFeatures cpu) {
        boolean x86 = arch.id().startsWith("x86_64");
        if (!isModelled(arch)) {
            throw new IllegalArgumentException("arch: sysfs leaf sizes are modelled for x86_64 and arm64 only, not "
                    + arch.id());
        }
        long page = arch.pageSize();
        long pmd = arch.sizeAt(Level.PMD).orElseThrow();
        TreeSet<Long> hugetlb = new TreeSet<>();
        for (Leaf l : arch.leaves()) {
            if (l.size() > page && (l.level() != Level.PUD || !x86 || cpu.gbpages())) {
                hugetlb.add(l.size());
            }
        }
        hugetlb.addAll(arch.contiguousSizes());
        int pmdOrder = Long.numberOfTrailingZeros(pmd) - Long.numberOfTrailingZeros(page);
        int maxPagecacheOrder = Math.min(MAX_XAS_ORDER, pmdOrder);
        TreeSet<Long> thp = new TreeSet<>();
        for (int order = 1; order <= pmdOrder; order++) {
            boolean anon = order >= 2;
            boolean file = order <= maxPagecacheOrder;
            if (anon || file) {
                thp.add(page << order);
            }
        }
        return new KernelSizes(ImmutableList.copyOf(hugetlb), ImmutableList.copyOf(thp), pmd);
    }

    private static ImmutableList<Long> list(long[] v) {
        ImmutableList.Builder<Long> b = ImmutableList.builder();
        for (long x : v) {
            b.add(x);
        }
        return b.build();
    }

    /** Whether {@link #of} models {@code arch}'s sizes: x86_64 and arm64, where they were checked. */
    public static boolean isModelled(ArchConfig arch) {
        return arch.id().startsWith("x86_64") || arch.id().startsWith("arm64");
    }

    @Override
    public String toString() {
        return "hugetlb " + kib(hugetlb) + ", thp " + kib(thp) + ", hpage_pmd_size " + (hpagePmdSize >> 10) + "kB";
    }

    private static String kib(ImmutableList<Long> v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.size(); i++) {
            s.append(i == 0 ? "" : ",").append(v.get(i) >> 10).append("kB");
        }
        return s.append(']').toString();
    }
}
