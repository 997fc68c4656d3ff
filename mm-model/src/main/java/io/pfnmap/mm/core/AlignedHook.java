package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * The aligned searches the huge-pfnmap designs give a device file (none is merged; kernel-facts
 * part 3): try {@code mm_get_unmapped_area_aligned} (the renamed {@code __thp_get_unmapped_area},
 * mm/huge_memory.c, as the June 2025 series exports it) at each leaf size in turn, largest first,
 * then the plain {@code mm_get_unmapped_area_vmflags}. The designs differ only in which sizes they
 * try and which offset they align to; {@code io.pfnmap.vfio} computes those.
 */
public final class AlignedHook {
    private AlignedHook() {
    }

    /**
     * {@code mm_get_unmapped_area_aligned} (the series' name for {@code __thp_get_unmapped_area},
     * mm/huge_memory.c): the aligned helper at any leaf size; 0 means "fall back".
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires 0 < size && size <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % size == 0;
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % mm.pageSize == 0;
      @ // Predicates.pgoffCongruent, written out as the helper's contract has it:
      @ ensures \result == 0 || \result == addr || Arith.remU((long) (\result - off), size) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // 0 or a success, as AlignedArea.thpGetUnmappedAreaAligned's normal_behavior.1.
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires 0 < size && size <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % size == 0;
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < len && (\bigint) len + size <= Long.MAX_VALUE;
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ ensures \result == 0 || !(-Arith.MAX_ERRNO <= \result && \result < 0); // not Arith.isErrValue
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mm_get_unmapped_area_aligned", file = "mm/huge_memory.c")
    public static /*@ pure @*/ long mmGetUnmappedAreaAligned(MmState mm, long addr, long len, long off, long flags,
            long size) {
        return AlignedArea.thpGetUnmappedAreaAligned(mm, addr, len, off, flags, size, 0);
    }

    /**
     * A device file's {@code get_unmapped_area} under an aligning design: the aligned helper at
     * {@code sizes[0]}, then {@code sizes[1]}, ... (each congruent to {@code off}), then the plain
     * search with the original arguments. An empty {@code sizes} is the plain search.
     * Best-effort: it fails only where the plain search fails.
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires (\forall int i; 0 <= i && i < sizes.length; 0 < sizes[i] && sizes[i] <= Arith.MAX_POW2
      @            && Arith.MAX_POW2 % sizes[i] == 0);
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // Best-effort (property 5): where the plain search succeeds, so does this: each aligned
      @ // try answers 0 or a success (mmGetUnmappedAreaAligned's normal_behavior.1), and the
      @ // fallback is the plain search itself (mmGetUnmappedAreaVmflags's trusted determinism).
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires (\forall int i; 0 <= i && i < sizes.length; 0 < sizes[i] && sizes[i] <= Arith.MAX_POW2
      @            && Arith.MAX_POW2 % sizes[i] == 0);
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < len; // in searchDomain too, but that stays folded here
      @ requires (\forall int i; 0 <= i && i < sizes.length; (\bigint) len + sizes[i] <= Long.MAX_VALUE);
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ // !isErrValue(plain) ==> !isErrValue(\result), in Arith.isErrValue's plain form:
      @ ensures !(-Arith.MAX_ERRNO <= ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, 0)
      @           && ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, 0) < 0)
      @         ==> !(-Arith.MAX_ERRNO <= \result && \result < 0);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "get_unmapped_area")
    public static /*@ pure @*/ long getUnmappedAreaAligned(MmState mm, long addr, long len, long pgoff, long flags,
            long[] sizes, long off) {
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= sizes.length;
          @ decreases sizes.length - i; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (i < sizes.length) {
            long r = mmGetUnmappedAreaAligned(mm, addr, len, off, flags, sizes[i]);
            if (r != 0) {
                return r;
            }
            i++;
        }
        return ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, 0);
    }

    /**
     * {@code rounddown_pow_of_two(x)} (include/linux/log2.h) for {@code x > 0}; 0 for 0. Values at
     * or above 2^62 give 2^62 (the model's largest size).
     */
    /*@ public normal_behavior
      @ ensures \result == 0 <==> x == 0;
      @ ensures x != 0 ==> 0 < \result && \result <= Arith.MAX_POW2 && Arith.ule(\result, x);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "rounddown_pow_of_two", file = "include/linux/log2.h")
    public static /*@ pure @*/ long roundDownPow2(long x) {
        if (x == 0) {
            return 0;
        }
        if (Arith.uge(x, Arith.MAX_POW2)) {
            return Arith.MAX_POW2;
        }
        long p = 1;
        /*@ loop_invariant 0 < p && p <= x && p <= Arith.MAX_POW2;
          @ decreases x - p; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (p <= x / 2) {
            p = p * 2;
        }
        return p;
    }

    /**
     * The order-hint search's choice of sizes (the seed design, Jason Gunthorpe, June/Dec 2025):
     * the file's order hint capped by the length rounded down to a power of two; every leaf of the
     * architecture's pfnmap table ({@code leaves}, descending) not above that cap and above
     * PAGE_SIZE, largest first ({@link #leavesBetween}). No leaf above the cap: no over-alignment.
     */
    /*@ public normal_behavior
      @ requires leaves != null;
      @ requires (\forall int i, j; 0 <= i && i < j && j < leaves.length; leaves[j] < leaves[i]);
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2;
      @ ensures (\forall int i; 0 <= i && i < \result.length; \result[i] > pageSize);
      @ ensures (\forall int i; 0 < i && i < \result.length; \result[i] < \result[i - 1]);
      @ assignable \nothing; @*/
    public static long[] orderHintSizes(long[] leaves, long pageSize, int order, long len) {
        long limit = Arith.umin(io.pfnmap.arch.core.Leaves.orderToSize(pageSize, order < 0 ? 0 : order),
                roundDownPow2(len));
        return leavesBetween(leaves, pageSize, limit);
    }

    /**
     * The leaves of {@code leaves} (descending) above {@code low} and not above {@code limit},
     * largest first: the order-hint search's sizes for the cap {@code limit}. In a descending table
     * they are one run, from the first leaf not above the cap to the first not above {@code low}.
     * Its contract is the no-over-alignment property: no size above the cap, and the first size is
     * the largest leaf in range (none is missed at the top).
     */
    /*@ public normal_behavior
      @ requires leaves != null;
      @ requires (\forall int i, j; 0 <= i && i < j && j < leaves.length; leaves[j] < leaves[i]);
      @ ensures \result != null;
      @ ensures (\forall int i; 0 <= i && i < \result.length; low < \result[i] && \result[i] <= limit);
      @ ensures (\forall int i; 0 < i && i < \result.length; \result[i] < \result[i - 1]);
      @ ensures (\forall int x; 0 <= x && x < leaves.length && low < \old(leaves[x]) && \old(leaves[x]) <= limit;
      @             0 < \result.length && \old(leaves[x]) <= \result[0]);
      @ assignable \nothing; @*/
    public static long[] leavesBetween(long[] leaves, long low, long limit) {
        int a = firstNotAbove(leaves, 0, limit);
        int b = firstNotAbove(leaves, a, low);
        long[] sizes = new long[b - a];
        int j = 0;
        // The invariant carries the contract's first two lines for the part copied so far, so that
        // each step needs only the new element's facts.
        /*@ loop_invariant 0 <= j && j <= b - a;
          @ loop_invariant (\forall int x; 0 <= x && x < j; sizes[x] == leaves[a + x]);
          @ loop_invariant (\forall int x; 0 <= x && x < j; low < sizes[x] && sizes[x] <= limit);
          @ loop_invariant (\forall int x; 0 < x && x < j; sizes[x] < sizes[x - 1]);
          @ decreases b - a - j;
          @ assignable sizes[*]; @*/
        while (j < b - a) {
            sizes[j] = leaves[a + j];
            j++;
        }
        return sizes;
    }

    /**
     * The first index at or after {@code from} whose leaf is not above {@code bound}, or {@code
     * leaves.length}: in a descending table, where the run of leaves above {@code bound} ends.
     */
    /*@ public normal_behavior
      @ requires leaves != null && 0 <= from && from <= leaves.length;
      @ ensures from <= \result && \result <= leaves.length;
      @ ensures (\forall int x; from <= x && x < \result; leaves[x] > bound);
      @ ensures \result < leaves.length ==> leaves[\result] <= bound;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ int firstNotAbove(long[] leaves, int from, long bound) {
        int i = from;
        /*@ loop_invariant from <= i && i <= leaves.length && (\forall int x; from <= x && x < i; leaves[x] > bound);
          @ decreases leaves.length - i; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (i < leaves.length && leaves[i] > bound) {
            i++;
        }
        return i;
    }
}
