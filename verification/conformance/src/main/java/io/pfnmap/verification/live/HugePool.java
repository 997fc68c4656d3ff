package io.pfnmap.verification.live;

/**
 * One hstate's pool as a recorder read it from /sys/kernel/mm/hugepages/hugepages-&lt;n&gt;kB just
 * before a call (the recorder's {@code HUGE} line): {@code free_hugepages}, {@code
 * resv_hugepages}, {@code surplus_hugepages} and {@code nr_overcommit_hugepages}.
 *
 * @param size the huge page size in bytes
 */
public record HugePool(long size, long free, long resv, long surplus, long overcommit) {
    /**
     * The huge pages a reservation of this size may take now (the oracle's {@code
     * hugepages_available}): the free pages not yet promised to a reservation ({@code free - resv};
     * {@code gather_surplus_pages}, mm/hugetlb.c, needs {@code resv + delta - free} more pages), plus
     * the surplus pages it may still allocate ({@code alloc_surplus_hugetlb_folio} refuses once
     * {@code surplus} reaches {@code nr_overcommit}).
     */
    public long available() {
        return Math.max(0, free - resv) + Math.max(0, overcommit - surplus);
    }
}
