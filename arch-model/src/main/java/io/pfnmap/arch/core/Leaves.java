package io.pfnmap.arch.core;

/**
 * Queries over a table of leaf sizes: the proved core of arch-model.
 *
 * <p>Stands for no single kernel function: it is the arithmetic that the order-hint search and the
 * huge fault share (mm/huge_memory.c {@code thp_vma_allowable_orders} picks from the orders the
 * architecture offers; include/linux/pgtable.h gives PMD_SIZE and PUD_SIZE). Sizes are bytes, every
 * one a power of two not above 2^62, and tables are sorted strictly descending.
 */
public final class Leaves {
    private Leaves() {
    }

    /** The largest size the model allows, 2^62 (keeps every sum below in range). */
    public static final long MAX_SIZE = 4611686018427387904L;

    /*@ public normal_behavior
      @ requires 0 < x && x <= MAX_SIZE;
      @ ensures \result <==> MAX_SIZE % x == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /**
     * True when {@code x} is a power of two: for {@code 0 < x <= 2^62}, exactly when {@code x}
     * divides 2^62 (the divisors of a power of two are the smaller powers of two). Written with
     * {@code %} so that a prover follows it; {@code x <= 1} gives true and {@code x > 2^62} false,
     * as halving did.
     */
    public static /*@ pure @*/ boolean isPowerOfTwo(long x) {
        if (x <= 1) {
            return true;
        }
        if (x > MAX_SIZE) {
            return false;
        }
        return MAX_SIZE % x == 0;
    }

    /*@ public normal_behavior
      @ requires sizes != null;
      @ ensures \result <==> (\forall int i; 0 < i && i < sizes.length; sizes[i] < sizes[i - 1])
      @                    && (\forall int i; 0 <= i && i < sizes.length; 0 < sizes[i] && sizes[i] <= MAX_SIZE);
      @ ensures \result ==> (\forall int i, j; 0 <= i && i < j && j < sizes.length; sizes[j] < sizes[i]);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /**
     * True when the table is strictly descending and every size lies in (0, 2^62]. It also
     * promises the all-pairs order, which {@link #largestLeafNotAbove} needs and which a prover
     * cannot derive from the neighbour form without induction.
     */
    public static /*@ pure @*/ boolean isDescending(long[] sizes) {
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= sizes.length;
          @ loop_invariant (\forall int j; 0 < j && j < i; sizes[j] < sizes[j - 1]);
          @ loop_invariant (\forall int j; 0 <= j && j < i; 0 < sizes[j] && sizes[j] <= MAX_SIZE);
          @ loop_invariant (\forall int j, l; 0 <= j && j < l && l < i; sizes[l] < sizes[j]);
          @ decreases sizes.length - i; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (i < sizes.length) {
            if (sizes[i] <= 0 || sizes[i] > MAX_SIZE) {
                return false;
            }
            if (i > 0 && sizes[i] >= sizes[i - 1]) {
                return false;
            }
            i++;
        }
        return true;
    }

    /*@ public normal_behavior
      @ requires sizes != null;
      @ ensures \result <==> (\exists int i; 0 <= i && i < sizes.length; sizes[i] == size);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /** Whether {@code size} is one of the table's leaf sizes. */
    public static /*@ pure @*/ boolean isLeaf(long[] sizes, long size) {
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= sizes.length;
          @ loop_invariant (\forall int j; 0 <= j && j < i; sizes[j] != size);
          @ decreases sizes.length - i; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (i < sizes.length) {
            if (sizes[i] == size) {
                return true;
            }
            i++;
        }
        return false;
    }

    /*@ public normal_behavior
      @ requires sizes != null;
      @ requires (\forall int i, j; 0 <= i && i < j && j < sizes.length; sizes[j] < sizes[i]);
      @ requires (\forall int i; 0 <= i && i < sizes.length; 0 < sizes[i]);
      @ ensures \result == 0 <==> (\forall int i; 0 <= i && i < sizes.length; sizes[i] > limit);
      @ ensures \result != 0 ==> (\exists int i; 0 <= i && i < sizes.length; sizes[i] == \result)
      @                       && \result <= limit
      @                       && (\forall int i; 0 <= i && i < sizes.length; sizes[i] <= limit ==> sizes[i] <= \result);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /**
     * The largest leaf size not above {@code limit}, or 0 when every leaf is larger (the order-hint
     * search's "largest architecture leaf not above the hint": no over-alignment, maximality).
     */
    public static /*@ pure @*/ long largestLeafNotAbove(long[] sizes, long limit) {
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= sizes.length;
          @ loop_invariant (\forall int j; 0 <= j && j < i; sizes[j] > limit);
          @ decreases sizes.length - i; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (i < sizes.length) {
            if (sizes[i] <= limit) {
                return sizes[i];
            }
            i++;
        }
        return 0;
    }

    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize <= MAX_SIZE;
      @ requires order >= 0;
      @ ensures \result > 0 && \result <= MAX_SIZE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /**
     * {@code PAGE_SIZE << order} (include/linux/mm.h, the size of a folio of that order), saturated
     * at 2^62 where the shift would leave the model's range.
     */
    public static /*@ pure @*/ long orderToSize(long pageSize, int order) {
        long size = pageSize;
        int k = 0;
        /*@ loop_invariant 0 <= k && k <= order;
          @ loop_invariant 0 < size && size <= MAX_SIZE;
          @ decreases order - k; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (k < order) {
            if (size > MAX_SIZE / 2) {
                return MAX_SIZE;
            }
            size = size * 2;
            k++;
        }
        return size;
    }
}
