package io.pfnmap.vfio.core;

import io.pfnmap.arch.core.Kernel;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.ArithLemmas;

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
    @Kernel(fn = "pud_offset", file = "include/linux/pgtable.h")
    public static /*@ pure @*/ long blocks(long start, long end, long size) {
        if (start == end) {
            return 0;
        }
        long first = blockOf(start, size);
        long last = blockOf(end - 1, size);
        return last < first ? 0 : last - first + 1;
    }

    /**
     * The block of {@code size} bytes that holds {@code a}, counted from address 0: {@code a /
     * size}, the number {@code pud_index}/{@code pmd_index} (include/linux/pgtable.h) take modulo
     * the table's entries. At least 0 and at most {@code a}, so that counts of blocks do not wrap.
     */
    /*@ public normal_behavior
      @ requires 0 <= a && 0 < size;
      @ ensures \result == a / size && 0 <= \result && \result <= a;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ long blockOf(long a, long size) {
        ArithLemmas.remAtMost(a, size); // lemmas, no code: 0 <= a / size
        ArithLemmas.divAtMost(a, size); // and a / size <= a
        return a / size;
    }

    /**
     * How many {@code size}-aligned blocks the non-empty range {@code [start, end)} meets above
     * block {@code seen}: the ones a sorted walk over ranges has not counted yet ({@link
     * #distinctBlocks}). When there are any, the last of them is {@code (end - 1) / size}.
     */
    /*@ public normal_behavior
      @ requires 0 < size && 0 <= start && start < end && -1 <= seen && seen < Long.MAX_VALUE;
      @ ensures 0 <= \result;
      @ ensures \result > 0 ==> (\bigint) seen + \result <= (end - 1) / size;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ long blocksAbove(long start, long end, long size, long seen) {
        long first = blockOf(start, size);
        long last = blockOf(end - 1, size);
        if (first <= seen) {
            first = seen + 1;
        }
        return first <= last ? last - first + 1 : 0;
    }

    /**
     * How many distinct {@code size}-aligned blocks the ranges {@code [starts[k], ends[k])} meet
     * together (sorted by address, disjoint): a block two neighbouring mappings share has one
     * entry, which only the first fault in it finds none.
     */
    /*@ public normal_behavior
      @ requires 0 < size && size <= Arith.MAX_POW2;
      @ requires starts.length == ends.length;
      @ // ends[k] <= Long.MAX_VALUE is true of every long; KeY does not assume it of an array element
      @ requires (\forall int k; 0 <= k && k < starts.length; 0 <= starts[k] && starts[k] <= ends[k] && ends[k] <= Long.MAX_VALUE);
      @ ensures \result >= 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long distinctBlocks(long[] starts, long[] ends, long size) {
        long n = 0;
        long seen = -1; // the highest block counted so far
        int k = 0;
        /*@ loop_invariant 0 <= k && k <= starts.length && -1 <= seen && seen < Long.MAX_VALUE && 0 <= n && n <= seen + 1;
          @ decreases starts.length - k; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (k < starts.length) {
            if (starts[k] != ends[k]) {
                long fresh = blocksAbove(starts[k], ends[k], size, seen);
                if (fresh > 0) {
                    n = n + fresh;
                    seen = blockOf(ends[k] - 1, size); // the last block of this range
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
      @ requires (\forall int k; 0 <= k && k < starts.length; 0 <= starts[k] && starts[k] <= ends[k] && ends[k] <= Long.MAX_VALUE);
      @ ensures \result.length == leaves.length && \fresh(\result);
      @ ensures \result[leaves.length - 1] == counts[leaves.length - 1];
      @ ensures !hugeAllowed ==> (\forall int i; 0 <= i && i < leaves.length - 1; \result[i] == 0);
      @ assignable \nothing; @*/
    @Kernel(fn = "thp_vma_allowable_order")
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
            VfioFaultLemmas.pow2At(leaves, i); // a lemma, no code: a power of two
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
        VfioFaultLemmas.pow2At(leaves, i); // a lemma, no code: a positive divisor
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
    @Kernel(fn = "__handle_mm_fault", file = "mm/memory.c")
    public static long touch(long vmStart, long vmEnd, long within, long barPhys, long[] leaves, boolean hugeAllowed,
            int order, long seed, long[] counts, long[] calls) {
        return touchIn(vmStart, vmEnd, within, barPhys, leaves, hugeAllowed, order, seed, counts, calls,
                new long[leaves.length][0]);
    }

    /**
     * {@link #touch} in an address space whose page tables already hold entries: {@code
     * populated[i]} lists, as block ranges ({@code [s0, e0, s1, e1, ...]}, sorted, disjoint,
     * aligned to {@code leaves[i]}), the blocks whose entry at level {@code leaves[i]} is not none
     * (other mappings touched them: see {@link #populate}). Such an entry starts as a table, so the
     * walk offers no huge fault at that level there, as {@code __handle_mm_fault} offers {@code
     * create_huge_pud}/{@code create_huge_pmd} only on an entry that is none.
     */
    @Kernel(fn = "__handle_mm_fault", file = "mm/memory.c")
    public static long touchIn(long vmStart, long vmEnd, long within, long barPhys, long[] leaves,
            boolean hugeAllowed, int order, long seed, long[] counts, long[] calls, long[][] populated) {
        int last = leaves.length - 1;
        long page = leaves[last];
        long n = (vmEnd - vmStart) / page;
        int[][] state = new int[last][];
        for (int i = 0; i < last; i++) {
            state[i] = new int[(int) blocks(vmStart, vmEnd, leaves[i])];
            long first = vmStart / leaves[i];
            for (int b = 0; b < state[i].length; b++) {
                long at = (first + b) * leaves[i];
                if (populatedBlocks(populated[i], at, at + leaves[i], leaves[i]) != 0) {
                    state[i][b] = TABLE; // another mapping's fault allocated the next table here
                }
            }
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

    /**
     * How many {@code size}-aligned blocks that {@code [start, end)} meets lie in {@code pairs}
     * ({@code [s0, e0, s1, e1, ...]}: sorted, disjoint, {@code size}-aligned block ranges): the
     * entries at that level a fault in the range finds not none.
     */
    /*@ public normal_behavior
      @ requires 0 < size && size <= Arith.MAX_POW2 && Arith.MAX_POW2 % size == 0;
      @ requires 0 <= start && start <= end && end <= Arith.MAX_POW2;
      @ requires pairs.length % 2 == 0;
      @ requires (\forall int k; 0 <= k && k < pairs.length; 0 <= pairs[k] && pairs[k] <= Arith.MAX_POW2);
      @ ensures \result >= 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long populatedBlocks(long[] pairs, long start, long end, long size) {
        if (start == end) {
            return 0;
        }
        long lo = Arith.alignDown(start, size);
        long hi = Arith.alignUp(end, size);
        long n = 0;
        int k = 0;
        /*@ loop_invariant 0 <= k && k <= pairs.length && k % 2 == 0 && n >= 0;
          @ decreases pairs.length - k; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (k < pairs.length) {
            long a = pairs[k] > lo ? pairs[k] : lo;
            long b = pairs[k + 1] < hi ? pairs[k + 1] : hi;
            if (a < b) {
                n = n + blocks(a, b, size); // a and b are block boundaries: (b - a) / size
            }
            k = k + 2;
        }
        return n;
    }

    /**
     * {@link #hugeFaultCalls} of one mapping {@code [start, end)} in a space whose page tables hold
     * {@code populated[i]} at {@code leaves[i]} (see {@link #touchIn}): a block whose entry is
     * already a table gets no call at that order (its first fault goes straight down a level).
     * Leaves are unchanged: a huge leaf's block lies inside the new VMA, which no other mapping met.
     */
    /*@ public normal_behavior
      @ requires leaves != null && counts != null && counts.length == leaves.length && VfioFault.pow2Leaves(leaves);
      @ requires populated.length == leaves.length;
      @ requires (\forall int i; 0 <= i && i < populated.length; populated[i] != null && populated[i].length % 2 == 0
      @     && (\forall int k; 0 <= k && k < populated[i].length; 0 <= populated[i][k] && populated[i][k] <= Arith.MAX_POW2));
      @ requires 0 <= start && start <= end && end <= Arith.MAX_POW2;
      @ ensures \result.length == leaves.length && \fresh(\result);
      @ assignable \nothing; @*/
    public static long[] hugeFaultCallsIn(long start, long end, long[] leaves, long[] counts, boolean hugeAllowed,
            long[][] populated) {
        long[] calls = hugeFaultCalls(new long[] {start}, new long[] {end}, leaves, counts, hugeAllowed);
        if (!hugeAllowed) {
            return calls;
        }
        int i = 0;
        /*@ loop_invariant 0 <= i && (i <= leaves.length - 1 || leaves.length == 0);
          @ loop_invariant calls.length == leaves.length && \fresh(calls);
          @ decreases leaves.length - i;
          @ assignable calls[*]; @*/
        while (i < leaves.length - 1) {
            VfioFaultLemmas.pow2At(leaves, i); // a lemma, no code: a power of two dividing 2^62
            calls[i] = calls[i] - populatedBlocks(populated[i], start, end, leaves[i]);
            i++;
        }
        return calls;
    }

    /**
     * The block ranges at level {@code size} after every page of {@code [start, end)} was touched:
     * {@code pairs} with {@code [alignDown(start), alignUp(end))} added (merged), since each block
     * the range meets then has an entry that is not none (a leaf, or the table a fallback or a PTE
     * fault allocated). Returns a new array.
     */
    public static long[] populate(long[] pairs, long start, long end, long size) {
        if (start == end) {
            return pairs.clone();
        }
        return union(pairs, Arith.alignDown(start, size), Arith.alignUp(end, size));
    }

    /**
     * The block ranges at level {@code size} after munmap of {@code [start, end)}: {@code
     * free_pgtables} -> {@code free_pgd_range} (mm/memory.c) frees the tables under the blocks it
     * walks that lie wholly within {@code [floor, ceiling)}, the end of the VMA before the hole and
     * the start of the one after it ({@code ceiling} 0: none, {@code USER_PGTABLES_CEILING}); a
     * block that also holds a neighbour keeps its table. Returns a new array.
     */
    @Kernel(fn = "free_pgtables", file = "mm/memory.c")
    public static long[] freePgtables(long[] pairs, long start, long end, long floor, long ceiling, long size) {
        long lo = Arith.alignDown(start, size);
        long floorBlock = Arith.alignUp(floor, size);
        if (floorBlock > lo) {
            lo = floorBlock;
        }
        long hi = Arith.alignUp(end, size);
        if (ceiling != 0 && Arith.alignDown(ceiling, size) < hi) {
            hi = Arith.alignDown(ceiling, size);
        }
        return lo < hi ? subtract(pairs, lo, hi) : pairs.clone();
    }

    /** {@code pairs} with {@code [a, b)} added: sorted, disjoint, touching ranges merged. */
    static long[] union(long[] pairs, long a, long b) {
        long[] out = new long[pairs.length + 2];
        int n = 0;
        int k = 0;
        while (k < pairs.length && pairs[k + 1] < a) {
            out[n++] = pairs[k];
            out[n++] = pairs[k + 1];
            k += 2;
        }
        long s = a;
        long e = b;
        while (k < pairs.length && pairs[k] <= e) {
            s = Math.min(s, pairs[k]);
            e = Math.max(e, pairs[k + 1]);
            k += 2;
        }
        out[n++] = s;
        out[n++] = e;
        while (k < pairs.length) {
            out[n++] = pairs[k];
            out[n++] = pairs[k + 1];
            k += 2;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** {@code pairs} less {@code [a, b)}. */
    static long[] subtract(long[] pairs, long a, long b) {
        long[] out = new long[pairs.length + 2];
        int n = 0;
        for (int k = 0; k < pairs.length; k += 2) {
            if (pairs[k] < a) {
                out[n++] = pairs[k];
                out[n++] = Math.min(pairs[k + 1], a);
            }
            if (pairs[k + 1] > b) {
                out[n++] = Math.max(pairs[k], b);
                out[n++] = pairs[k + 1];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
