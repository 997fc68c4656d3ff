package io.pfnmap.vfio.core;

import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.ArithLemmas;

/** Lemmas, with no code, for {@link VfioPciMmap}'s proofs, named as what they state. Proof scaffolding, apart from the model. */
public final class VfioPciLemmas {
    private VfioPciLemmas() {
    }

    /**
     * A lemma, no code: a page size that divides a region's span, 2^40 ({@code
     * VFIO_PCI_OFFSET_SHIFT}), divides 2^62, as {@code PAGE_ALIGN} ({@link Arith#alignUp}) asks:
     * 2^62 is 2^22 spans.
     */
    /*@ public normal_behavior
      @ requires 0 < p && p <= VfioPciOffset.OFFSET_SIZE && VfioPciOffset.OFFSET_SIZE % p == 0;
      @ ensures p <= Arith.MAX_POW2 && Arith.MAX_POW2 % p == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void pageDividesMaxPow2(long p) {
        ArithLemmas.divMod(VfioPciOffset.OFFSET_SIZE, p); // lemmas, no code: 2^40 = p * (2^40 / p),
        ArithLemmas.divAtMost(VfioPciOffset.OFFSET_SIZE, p); // 2^40 / p <= 2^40 (no wrap below),
        ArithLemmas.mulModAt(Arith.MAX_POW2, p, (VfioPciOffset.OFFSET_SIZE / p) * 4194304L); // so 2^62 = p * (2^22 * 2^40 / p)
    }
}
