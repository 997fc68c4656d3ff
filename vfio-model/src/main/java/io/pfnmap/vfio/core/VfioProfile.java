package io.pfnmap.vfio.core;

import io.pfnmap.mm.core.Arith;

/**
 * The fault profile of a VFIO-PCI mapping when every page is touched: how often the driver's
 * fault handler runs at each order, the ones that fall back included. 6.18's {@code
 * __handle_mm_fault} (mm/memory.c) offers {@code create_huge_pud} only while the PUD entry is
 * none and {@code create_huge_pmd} only while the PMD entry is none (each when {@code
 * thp_vma_allowable_order} lets that order through); a fallback then allocates the next table, so
 * that entry is never none again. Each calls the VMA's {@code huge_fault}, which for VFIO-PCI is
 * {@code vfio_pci_mmap_huge_fault} (drivers/vfio/pci/vfio_pci_core.c, set only with
 * CONFIG_ARCH_SUPPORTS_HUGE_PFNMAP); a PTE fault reaches the same function at order 0 through
 * {@code vfio_pci_mmap_page_fault}. Hence each huge-sized block the mapping meets gets exactly one
 * call at that order (unless a larger leaf covers it), whatever order the pages are touched in:
 * {@link #hugeFaultCalls} counts so, {@link #touch} walks the pages and the page-table entries
 * one touch at a time, and the property tests require the two to agree in every touch order.
 * Leaves are {@link VfioFault#leafCounts}'s; one fault inserts one leaf.
 */
public final class VfioProfile {
    private VfioProfile() {
    }

    /** Touch the pages from the lowest address up. */
    public static final int ASCENDING = 0;
    /** Touch the pages from the highest address down. */
    public static final int DESCENDING = 1;
    /** Touch the pages in a seeded pseudo-random order (each once). */
    public static final int RANDOM = 2;

    /** The most pages {@link #touch} walks: 2^22 (16 GiB of 4 KiB pages). */
    public static final long MAX_TOUCH_PAGES = 4194304L;

    /** A page-table entry that is none (never faulted in). */
    static final int NONE = 0;
    /** A page-table entry that points to the next level's table (a fallback or a PTE fault allocated it). */
    static final int TABLE = 1;
    /** A page-table entry that is a huge leaf. */
    static final int LEAF = 2;

    /** The LCG's multiplier and increment: full period modulo any power of two (Hull-Dobell). */
    static final long LCG_A = 6364136223846793005L;
    static final long LCG_C = 1442695040888963407L;

    /**
     * How many {@code size}-aligned blocks {@code [start, end)} meets: the PUD or PMD entries its
     * faults reach ({@code pud_offset}/{@code pmd_offset}, include/linux/pgtable.h).
     */
    /*@ public normal_behavior
      @ requires 0 < size && size <= Arith.MAX_POW2;
      @ requires 0 <= start && start <= end;
      @ ensures \result >= 0;
      @ ensures start == end ==> \result == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long blocks(long start, long end, long size) {
        if (start == end) {
            return 0;
        }
        Arith.remAtMost(start, size); // lemmas, no code: 0 <= start / size
        Arith.divAtMost(end - 1, size); // and (end - 1) / size <= end - 1, so the count does not wrap
        long first = start / size;
        long last = (end - 1) / size;
        return last < first ? 0 : last - first + 1;
    }

    /**
     * How many distinct {@code size}-aligned blocks the ranges {@code [starts[k], ends[k])} meet
     * together (sorted by address, disjoint): a block two neighbouring mappings share has one
     * entry, which only the first fault in it finds none.
     */
    /*@ public normal_behavior
      @ requires 0 < size && size <= Arith.MAX_POW2;
      @ requires starts.length == ends.length;
      @ requires (\forall int k; 0 <= k && k < starts.length; 0 <= starts[k] && starts[k] <= ends[k]);
      @ ensures \result >= 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long distinctBlocks(long[] starts, long[] ends, long size) {
        long n = 0;
        long seen = -1; // the highest block counted so far
        int k = 0;
        /*@ loop_invariant 0 <= k && k <= starts.length && seen >= -1 && 0 <= n && n <= seen + 1;
          @ decreases starts.length - k; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (k < starts.length) {
            if (starts[k] != ends[k]) {
                Arith.remAtMost(starts[k], size); // lemmas, no code: 0 <= first,
                Arith.divAtMost(ends[k] - 1, size); // and last < 2^63 - 1, so n + (last - first + 1) does not wrap
                long first = starts[k] / size;
                long last = (ends[k] - 1) / size;
                if (first <= seen) {
                    first = seen + 1;
                }
                if (first <= last) {
                    n = n + (last - first + 1);
                    seen = last;
                }
            }
            k++;
        }
        return n;
    }

    /**
     * Sorts the ranges {@code [starts[k], ends[k])} by start, moving each end with its start
     * (insertion sort: a device has a handful of areas), for {@link #distinctBlocks}, which walks
     * them in address order; designs that search top-down place later areas lower.
     */
    /*@ public normal_behavior
      @ requires starts != ends && starts.length == ends.length;
      @ assignable starts[*], ends[*]; @*/
    public static void sortRanges(long[] starts, long[] ends) {
        int i = 1;
        /*@ loop_invariant 1 <= i && (i <= starts.length || starts.length == 0);
          @ decreases starts.length - i;
          @ assignable starts[*], ends[*]; @*/
        while (i < starts.length) {
            long s = starts[i];
            long e = ends[i];
            int j = i - 1;
            /*@ loop_invariant -1 <= j && j < i;
              @ decreases j + 1;
              @ assignable starts[*], ends[*]; @*/
            while (j >= 0 && starts[j] > s) {
                starts[j + 1] = starts[j];
                ends[j + 1] = ends[j];
                j--;
            }
            starts[j + 1] = s;
            ends[j + 1] = e;
            i++;
        }
    }

    /**
     * The calls of the driver's fault handler at each leaf's order when every page of the ranges
     * (one mapping, or a device's areas in one process, sorted and disjoint) is touched, the
     * fallbacks included: {@code calls[i]} for {@code leaves[i]}. A huge order is offered once per
     * block of its size the ranges meet, less the blocks a larger leaf already maps ({@code
     * counts[j]} leaves of {@code leaves[j]}, each covering {@code leaves[j] / leaves[i]} of them),
     * and not at all when {@code hugeAllowed} is false ({@code thp_vma_allowable_order}); order 0
     * runs once per PTE ({@code vfio_pci_mmap_page_fault}). Page tables start empty.
     */
    /*@ public normal_behavior
      @ requires leaves != null && counts != null && counts.length == leaves.length && VfioFault.pow2Leaves(leaves);
      @ requires starts.length == ends.length;
      @ requires (\forall int k; 0 <= k && k < starts.length; 0 <= starts[k] && starts[k] <= ends[k]);
      @ ensures \result.length == leaves.length && \fresh(\result);
      @ ensures \result[leaves.length - 1] == counts[leaves.length - 1];
      @ ensures !hugeAllowed ==> (\forall int i; 0 <= i && i < leaves.length - 1; \result[i] == 0);
      @ assignable \nothing; @*/
    public static long[] hugeFaultCalls(long[] starts, long[] ends, long[] leaves, long[] counts,
            boolean hugeAllowed) {
        int last = leaves.length - 1;
        long[] calls = new long[leaves.length];
        calls[last] = counts[last];
        if (!hugeAllowed) {
            return calls;
        }
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= last && calls.length == leaves.length && \fresh(calls);
          @ loop_invariant calls[last] == counts[last];
          @ decreases last - i;
          @ assignable calls[*]; @*/
        while (i < last) {
            VfioFault.pow2At(leaves, i); // a lemma, no code: a power of two
            calls[i] = distinctBlocks(starts, ends, leaves[i]) - covered(leaves, counts, i);
            i++;
        }
        return calls;
    }

    /**
     * How many blocks of {@code leaves[i]} the larger leaves map: {@code counts[j]} leaves of
     * {@code leaves[j]} for {@code j < i}, each {@code leaves[j] / leaves[i]} blocks (the sizes
     * are powers of two, descending). Those blocks' entries are never reached.
     */
    /*@ public normal_behavior
      @ requires leaves != null && counts != null && counts.length == leaves.length && VfioFault.pow2Leaves(leaves);
      @ requires 0 <= i && i < leaves.length;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long covered(long[] leaves, long[] counts, int i) {
        VfioFault.pow2At(leaves, i); // a lemma, no code: a positive divisor
        long n = 0;
        int j = 0;
        /*@ loop_invariant 0 <= j && j <= i;
          @ decreases i - j; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (j < i) {
            n = n + counts[j] * (leaves[j] / leaves[i]);
            j++;
        }
        return n;
    }

    /** Adds {@code counts} to {@code total}, leaf by leaf: the leaves of a device's areas together. */
    /*@ public normal_behavior
      @ requires total != counts && total.length == counts.length;
      @ assignable total[*]; @*/
    public static void addTo(long[] total, long[] counts) {
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= total.length;
          @ decreases total.length - i;
          @ assignable total[*]; @*/
        while (i < total.length) {
            total[i] = total[i] + counts[i];
            i++;
        }
    }

    /** The sum of {@code counts}: the faults (one leaf each). */
    /*@ public normal_behavior
      @ requires (\forall int i; 0 <= i && i < counts.length; 0 <= counts[i] && counts[i] <= 4503599627370496L);
      @ requires counts.length <= 64;
      @ ensures \result >= 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long faults(long[] counts) {
        long n = 0;
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= counts.length && 0 <= n && n <= (\bigint) i * 4503599627370496L;
          @ decreases counts.length - i; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (i < counts.length) {
            n = n + counts[i];
            i++;
        }
        return n;
    }

    /**
     * The next value of the touch order's generator: {@code (LCG_A * x + LCG_C) mod m} for a power
     * of two {@code m}, whose period is {@code m} (so {@code m} steps visit every residue once).
     */
    /*@ public normal_behavior
      @ requires 0 < m && m <= Arith.MAX_POW2 && Arith.MAX_POW2 % m == 0;
      @ ensures 0 <= \result && \result < m;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long lcgNext(long x, long m) {
        return Arith.remU(LCG_A * x + LCG_C, m);
    }

    /** The smallest power of two at least {@code n} (1 for {@code n <= 1}). */
    /*@ public normal_behavior
      @ requires n <= MAX_TOUCH_PAGES;
      @ ensures 0 < \result && \result <= 2 * MAX_TOUCH_PAGES && (n <= 1 || \result < 2 * n);
      @ ensures \result >= n;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long pow2AtLeast(long n) {
        long m = 1;
        /*@ loop_invariant 0 < m && m <= 2 * MAX_TOUCH_PAGES && (m == 1 || m < 2 * n);
          @ decreases 2 * MAX_TOUCH_PAGES - m; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (m < n) {
            m = m * 2;
        }
        return m;
    }

    /**
     * Touches every page of the VMA {@code [vmStart, vmEnd)} in {@code order} ({@link #ASCENDING},
     * {@link #DESCENDING}, or {@link #RANDOM} from {@code seed}) as 6.18's {@code
     * __handle_mm_fault} (mm/memory.c) would fault them, page tables empty at the start: a touch
     * of a mapped page is no fault; else, level by level from the largest leaf, an entry that is
     * none is offered to the driver at that order when {@code hugeAllowed} ({@code
     * create_huge_pud}, {@code create_huge_pmd}), which inserts the leaf if it fits ({@link
     * VfioFault#leafFits}) or falls back, and the entry then points to a table; past the huge
     * levels, {@code vfio_pci_mmap_page_fault} inserts one PTE. Adds each fault's leaf to {@code
     * counts[i]} and each handler call to {@code calls[i]}; returns the faults.
     */
    /*@ public normal_behavior
      @ requires leaves != null && leaves.length > 0 && VfioFault.pow2Leaves(leaves);
      @ requires counts.length == leaves.length && calls.length == leaves.length;
      @ requires counts != calls && counts != leaves && calls != leaves;
      @ requires 0 <= vmStart && vmStart <= vmEnd && (vmEnd - vmStart) / leaves[leaves.length - 1] <= MAX_TOUCH_PAGES;
      @ requires vmStart % leaves[leaves.length - 1] == 0 && vmEnd % leaves[leaves.length - 1] == 0;
      @ ensures \result >= 0;
      @ assignable counts[*], calls[*]; @*/
    public static long touch(long vmStart, long vmEnd, long within, long barPhys, long[] leaves, boolean hugeAllowed,
            int order, long seed, long[] counts, long[] calls) {
        int last = leaves.length - 1;
        long page = leaves[last];
        long n = (vmEnd - vmStart) / page;
        int[][] state = new int[last][];
        for (int i = 0; i < last; i++) {
            state[i] = new int[(int) blocks(vmStart, vmEnd, leaves[i])];
        }
        boolean[] mapped = new boolean[(int) n];
        long faults = 0;
        if (order == RANDOM) {
            long m = pow2AtLeast(n);
            long x = Arith.remU(seed, m);
            for (long k = 0; k < m; k++) {
                if (x < n && touchPage(vmStart + x * page, vmStart, vmEnd, within, barPhys, leaves, hugeAllowed, state,
                        mapped, counts, calls)) {
                    faults++;
                }
                x = lcgNext(x, m);
            }
            return faults;
        }
        for (long k = 0; k < n; k++) {
            long index = order == DESCENDING ? n - 1 - k : k;
            if (touchPage(vmStart + index * page, vmStart, vmEnd, within, barPhys, leaves, hugeAllowed, state, mapped,
                    counts, calls)) {
                faults++;
            }
        }
        return faults;
    }

    /**
     * One touch at {@code a} (see {@link #touch}): whether it faulted. {@code state[i][b]} is the
     * entry of block {@code b} (counted from the VMA's first) at level {@code leaves[i]}; {@code
     * mapped} the PTEs.
     */
    static boolean touchPage(long a, long vmStart, long vmEnd, long within, long barPhys, long[] leaves,
            boolean hugeAllowed, int[][] state, boolean[] mapped, long[] counts, long[] calls) {
        int last = leaves.length - 1;
        for (int i = 0; i < last; i++) {
            if (state[i][(int) (a / leaves[i] - vmStart / leaves[i])] == LEAF) {
                return false; // a huge leaf maps it: the MMU walks to it, no fault
            }
        }
        int pte = (int) ((a - vmStart) / leaves[last]);
        if (mapped[pte]) {
            return false;
        }
        for (int i = 0; i < last; i++) {
            int b = (int) (a / leaves[i] - vmStart / leaves[i]);
            if (state[i][b] == NONE) {
                if (hugeAllowed) {
                    calls[i]++;
                    if (VfioFault.leafFits(vmStart, vmEnd, within, barPhys, a, leaves[i])) {
                        state[i][b] = LEAF;
                        counts[i]++;
                        return true;
                    }
                }
                state[i][b] = TABLE; // VM_FAULT_FALLBACK, then pmd_alloc / the PTE table
            }
        }
        calls[last]++;
        counts[last]++;
        mapped[pte] = true;
        return true;
    }
}
