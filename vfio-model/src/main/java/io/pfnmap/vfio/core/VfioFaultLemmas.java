package io.pfnmap.vfio.core;

import io.pfnmap.mm.core.Arith;

/** Lemmas, with no code, for {@link VfioFault}'s proofs, named as what they state. Proof scaffolding, apart from the model. */
public final class VfioFaultLemmas {
    private VfioFaultLemmas() {
    }

    /**
     * A lemma, no code: {@code pow2Leaves} at one index, for proofs that keep the model predicates
     * folded (so that they do not unfold {@code fits} at every leaf).
     */
    /*@ public normal_behavior
      @ requires VfioFault.pow2Leaves(leaves) && 0 <= i && i < leaves.length;
      @ ensures leaves.length > 0 && 0 < leaves[i] && leaves[i] <= Arith.MAX_POW2 && Arith.MAX_POW2 % leaves[i] == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void pow2At(long[] leaves, int i) {
    }
}
