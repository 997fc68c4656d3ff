package io.pfnmap.mm.core;

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
      @ ensures \result == 0 || \result == addr || Predicates.pgoffCongruent(\result, off, size);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
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
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
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
     * PAGE_SIZE, largest first. No leaf above the cap: no over-alignment.
     */
    /*@ public normal_behavior
      @ requires (\forall int i; 0 < i && i < leaves.length; leaves[i] < leaves[i - 1]);
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2;
      @ ensures (\forall int i; 0 <= i && i < \result.length; \result[i] > pageSize);
      @ assignable \nothing; @*/
    public static long[] orderHintSizes(long[] leaves, long pageSize, int order, long len) {
        long limit = Arith.umin(io.pfnmap.arch.core.Leaves.orderToSize(pageSize, order < 0 ? 0 : order),
                roundDownPow2(len));
        int n = 0;
        int i = 0;
        while (i < leaves.length) {
            if (leaves[i] <= limit && leaves[i] > pageSize) {
                n++;
            }
            i++;
        }
        long[] sizes = new long[n];
        int j = 0;
        i = 0;
        while (i < leaves.length) {
            if (leaves[i] <= limit && leaves[i] > pageSize) {
                sizes[j] = leaves[i];
                j++;
            }
            i++;
        }
        return sizes;
    }
}
