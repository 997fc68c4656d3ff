package io.pfnmap.mm.core;

/** Lemmas (no code) for {@link ArchGetUnmappedArea}'s proofs, named as what they state. Proof scaffolding. */
final class ArchLemmas {
    private ArchLemmas() {
    }

    /**
     * The arch searches' align mask (none, or a hugetlb file's {@code huge_page_mask_align}: a
     * multiple of the page whose sum with the page divides 2^62) meets the rule {@link
     * UnmappedArea#unmappedArea} requires, with the padded length below 2^63.
     */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % pageSize == 0;
      @ requires 0 < len && 0 <= startGap && (\bigint) len + startGap <= Long.MAX_VALUE;
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2
      @          && alignMask % pageSize == 0 && Arith.MAX_POW2 % (alignMask + pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @ ensures 0 <= alignMask && alignMask < Arith.MAX_POW2;
      @ ensures Arith.MAX_POW2 % (alignMask + (alignMask % pageSize == 0 ? pageSize : 1)) == 0;
      @ ensures (\bigint) len + alignMask + startGap <= Long.MAX_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ void maskRule(long pageSize, long alignMask, long len, long startGap) {
    }
}
