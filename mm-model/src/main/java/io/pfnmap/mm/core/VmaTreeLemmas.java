package io.pfnmap.mm.core;

/** Lemmas, with no code, for {@link VmaTree}'s proofs, named as what they state. Proof scaffolding, apart from the model. */
public final class VmaTreeLemmas {
    private VmaTreeLemmas() {
    }

    /**
     * A lemma, with no code: a range {@code [lo, lo + len)} that lies in gap {@code k} meets no
     * VMA. The search calls it where it returns, so that its loop's proof takes no-overlap from
     * this contract (proved on its own, from the all-pairs order and the two VMAs around gap k)
     * instead of instantiating vmasValid's quantifiers there. The kernel has no counterpart: the maple tree's gaps are
     * disjoint from its entries by construction.
     */
    /*@ public normal_behavior
      @ requires VmaTree.near(mm, k) && VmaTree.sorted(mm);
      @ requires k > 0 ==> mm.vmEnd[k - 1] <= lo;
      @ requires k < mm.vmStart.length ==> (\bigint) lo + len <= mm.vmStart[k];
      @ ensures (\forall int i; 0 <= i && i < mm.vmStart.length;
      @             mm.vmEnd[i] <= lo || (\bigint) lo + len <= mm.vmStart[i]);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void inGap(MmState mm, int k, long lo, long len) {
    }

    /**
     * A lemma, with no code: vmasValid gives {@link VmaTree#near} at every gap, and the all-pairs order;
     * it also states near's facts outright, for a proof that does not unfold model methods. The search calls it so
     * that its loop's proof takes the facts at gap k from this contract (proved on its own)
     * instead of instantiating vmasValid's quantifiers there.
     */
    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm) && 0 <= k && k <= mm.vmStart.length;
      @ ensures VmaTree.near(mm, k) && VmaTree.sorted(mm);
      @ ensures mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ ensures mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ ensures \dl_inLong(mm.stackGuardGap) && \dl_inLong(mm.pageSize);
      @ ensures k < mm.vmStart.length ==> 0 <= mm.vmStart[k] && mm.vmStart[k] < mm.vmEnd[k]
      @         && mm.vmEnd[k] <= Long.MAX_VALUE && 0 <= mm.vmFlags[k] && mm.vmFlags[k] <= 7;
      @ ensures k > 0 ==> 0 <= mm.vmEnd[k - 1] && mm.vmEnd[k - 1] <= Long.MAX_VALUE
      @         && mm.vmStart[k - 1] < mm.vmEnd[k - 1] && 0 <= mm.vmFlags[k - 1] && mm.vmFlags[k - 1] <= 7;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void nearGap(MmState mm, int k) {
    }

    /**
     * A lemma, with no code: vmasValid's range of the page size, for a proof that keeps the model
     * predicates folded (the searches' maskLow).
     */
    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm);
      @ ensures \dl_inLong(mm.pageSize);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void pageSizeInRange(MmState mm) {
    }

    /** A lemma, with no code: vmasValid gives {@link VmaTree#boundsInRange}, findVma's precondition. */
    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm);
      @ ensures VmaTree.boundsInRange(mm);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void validBoundsInRange(MmState mm) {
    }

    /**
     * A lemma, with no code: {@link VmaTree#holds} stated outright, for a proof that does not unfold
     * model methods (the searches' loops).
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && 0 <= k && k <= mm.vmStart.length;
      @ requires VmaTree.holds(mm, k, min, max, size);
      @ ensures (k == 0 ? 0 : mm.vmEnd[k - 1]) + size <= (\bigint) max + 1 && min + size <= (\bigint) max + 1;
      @ ensures k < mm.vmStart.length ==> (k == 0 ? 0 : mm.vmEnd[k - 1]) + size <= mm.vmStart[k]
      @         && min + size <= mm.vmStart[k];
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void holdsAt(MmState mm, int k, long min, long max, long size) {
    }

    /** A lemma, with no code: {@link VmaTree#noGrowsUp} at VMA {@code i}. */
    /*@ public normal_behavior
      @ requires VmaTree.noGrowsUp(mm) && mm.vmStart != null && mm.vmFlags != null;
      @ requires 0 <= i && i < mm.vmStart.length && i < mm.vmFlags.length;
      @ ensures (mm.vmFlags[i] / 2) % 2 == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void noGrowsUpAt(MmState mm, int i) {
    }

    /**
     * A lemma, with no code: {@link VmaTree#vmasValid} gives {@link VmaTree#gapFits}'s
     * preconditions at gap {@code k}. The searches call it so that their proofs take these facts
     * from this contract instead of instantiating vmasValid's quantifiers.
     */
    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm);
      @ requires mm.vmStart != null ==> 0 <= k && k <= mm.vmStart.length;
      @ ensures mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ ensures mm.vmStart.length == mm.vmEnd.length && mm.vmStart.length < 2147483647;
      @ ensures k > 0 ==> 0 <= mm.vmEnd[k - 1] && mm.vmEnd[k - 1] <= Long.MAX_VALUE;
      @ ensures k < mm.vmStart.length ==> 0 <= mm.vmStart[k] && mm.vmStart[k] <= Long.MAX_VALUE;
      @ ensures k > 0 && k < mm.vmStart.length ==> mm.vmStart[k] != 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void gapFitsDomain(MmState mm, int k) {
    }

    /**
     * A lemma, with no code: {@link UnmappedArea#startGapsAbove} at VMA {@code k}, which makes its start gap
     * positive. The top-down search calls it so that its loop's proof need not instantiate the
     * quantifier.
     */
    /*@ public normal_behavior
      @ requires UnmappedArea.startGapsAbove(mm) && mm.vmStart != null && mm.vmFlags != null;
      @ requires 0 <= k && k < mm.vmStart.length && k < mm.vmFlags.length;
      @ ensures 0 <= mm.stackGuardGap && 0 <= mm.pageSize;
      @ ensures mm.vmFlags[k] % 2 == 1 ==> mm.stackGuardGap < mm.vmStart[k];
      @ ensures (mm.vmFlags[k] / 4) % 2 == 1 ==> mm.pageSize < mm.vmStart[k];
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void startGapAbove(MmState mm, int k) {
    }

    /**
     * A lemma, no code: {@code clearOfStartGaps} at VMA {@code k}, for a proof that keeps the
     * model predicates folded (it would otherwise instantiate the quantifier everywhere).
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires 0 <= k && k < mm.vmStart.length;
      @ ensures Predicates.clearOfStartGaps(mm, addr, len) ==> mm.vmEnd[k] <= addr
      @         || (\bigint) addr + len <= (\bigint) mm.vmStart[k]
      @                - (mm.vmFlags[k] % 2 == 1 ? mm.stackGuardGap : ((mm.vmFlags[k] / 4) % 2 == 1 ? mm.pageSize : 0));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void clearAt(MmState mm, long addr, long len, int k) {
    }
}
