package io.pfnmap.mm.core;

/** Lemmas (no code) for {@link Hugetlb}'s proofs, named as what they state. */
final class HugetlbLemmas {
    private HugetlbLemmas() {
    }

    /**
     * {@code huge_page_mask_align}, {@code hsize - PAGE_SIZE}, is a mask the searches take: it is
     * a multiple of the page, so its lowest bit is the page and mask plus page is the huge size.
     */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize < hsize && hsize <= Arith.MAX_POW2 && Arith.MAX_POW2 % hsize == 0;
      @ requires hsize % pageSize == 0;
      @ ensures 0 < hsize - pageSize && hsize - pageSize < Arith.MAX_POW2;
      @ ensures (hsize - pageSize) % pageSize == 0;
      @ ensures Arith.MAX_POW2 % (hsize - pageSize + pageSize) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ void maskAlignIsKernelMask(long pageSize, long hsize) {
    }
}
