package io.pfnmap.vfio.core;

import io.pfnmap.mm.core.AlignedHook;
import io.pfnmap.mm.core.Arith;

/**
 * The order-hint design's choice of sizes (the seed series: a VFIO-PCI BAR's file reports the
 * largest order its huge fault handler can map, and the aligned search tries the architecture's
 * pfnmap leaves up to it). This is the driver's side: mm-model's {@link AlignedHook} takes the
 * sizes through its file-operations hook and knows nothing of VFIO, as in the kernel, where the
 * driver's {@code get_mapping_order} answers and mm aligns.
 */
public final class OrderHint {
    private OrderHint() {
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
                AlignedHook.roundDownPow2(len));
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
        return copyRange(leaves, a, b);
    }

    /**
     * {@code leaves[from..to)} in a new array. A method of its own so that the order-hint proof
     * meets the copy as one fact (a fresh array holding the run), not as a loop whose invariant
     * KeY instantiates again at every index.
     */
    /*@ public normal_behavior
      @ requires leaves != null && 0 <= from && from <= to && to <= leaves.length;
      @ ensures \fresh(\result) && \result.length == to - from;
      @ ensures (\forall int x; 0 <= x && x < to - from; \result[x] == leaves[from + x]);
      @ assignable \nothing; @*/
    static long[] copyRange(long[] leaves, int from, int to) {
        long[] sizes = new long[to - from];
        int j = 0;
        /*@ loop_invariant 0 <= j && j <= to - from && sizes != leaves && sizes.length == to - from;
          @ loop_invariant (\forall int x; 0 <= x && x < j; sizes[x] == leaves[from + x]);
          @ decreases to - from - j;
          @ assignable sizes[*]; @*/
        while (j < to - from) {
            sizes[j] = leaves[from + j];
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
