package io.pfnmap.seeded;

import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.VmaTree;

/**
 * No-overlap inside a gap, seeded: the contract of the lemma {@code VmaTreeLemmas.inGap} (a range in
 * gap k meets no VMA), proved with and without the all-pairs order. The control requires what
 * inGap requires and must close; the wrong one keeps only the facts at the two VMAs around gap k
 * (near), which say nothing of the VMAs further away, and must stay open.
 */
public final class InGapSeed {
    private InGapSeed() {
    }

    /*@ public normal_behavior
      @ requires VmaTree.near(mm, k) && VmaTree.sorted(mm);
      @ requires k > 0 ==> mm.vmEnd[k - 1] <= lo;
      @ requires k < mm.vmStart.length ==> (\bigint) lo + len <= mm.vmStart[k];
      @ ensures (\forall int i; 0 <= i && i < mm.vmStart.length;
      @             mm.vmEnd[i] <= lo || (\bigint) lo + len <= mm.vmStart[i]);
      @ assignable \nothing; @*/
    public static void controlInGap(MmState mm, int k, long lo, long len) {
    }

    /*@ public normal_behavior
      @ requires VmaTree.near(mm, k);
      @ requires k > 0 ==> mm.vmEnd[k - 1] <= lo;
      @ requires k < mm.vmStart.length ==> (\bigint) lo + len <= mm.vmStart[k];
      @ ensures (\forall int i; 0 <= i && i < mm.vmStart.length;
      @             mm.vmEnd[i] <= lo || (\bigint) lo + len <= mm.vmStart[i]);
      @ assignable \nothing; @*/
    public static void wrongInGapNearOnly(MmState mm, int k, long lo, long len) {
    }
}
