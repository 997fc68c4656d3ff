package io.pfnmap.seeded;

import io.pfnmap.mm.core.Arith;
import io.pfnmap.vfio.core.VfioFault;

/**
 * The huge fault's leaf choice, seeded (vfio-model VfioFault: {@code leafFits} and {@code
 * faultIndex}, whose contracts these repeat): a fit test that forgets the pfn's alignment, and a
 * choice that never offers the largest leaf. Both must stay open.
 */
public final class FaultSeed {
    private FaultSeed() {
    }

    /*@ public normal_behavior
      @ requires 0 < size && size <= Arith.MAX_POW2 && Arith.MAX_POW2 % size == 0;
      @ requires 0 <= vmStart && vmStart <= a && a < vmEnd;
      @ ensures \result <==> VfioFault.fits(vmStart, vmEnd, within, barPhys, a, size);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean wrongLeafFitsIgnoresPfn(long vmStart, long vmEnd, long within, long barPhys,
            long a, long size) {
        long block = a - Arith.remU(a, size);
        Arith.remAtMost(a, size);
        // seeded: the block inside the VMA is enough, whatever physical address it maps
        return Arith.uge(block, vmStart) && Arith.ule(size, Arith.usub(vmEnd, block));
    }

    /*@ public normal_behavior
      @ requires leaves != null && leaves.length > 0 && VfioFault.pow2Leaves(leaves);
      @ requires 0 <= vmStart && vmStart <= a && a < vmEnd;
      @ ensures 0 <= \result && \result < leaves.length;
      @ ensures hugeAllowed ==> (\forall int j; 0 <= j && j < \result; !VfioFault.fits(vmStart, vmEnd, within, barPhys, a, leaves[j]));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ int wrongFaultIndexFromSecond(long vmStart, long vmEnd, long within, long barPhys,
            long a, long[] leaves, boolean hugeAllowed) {
        VfioFault.pow2At(leaves, 0);
        if (!hugeAllowed || leaves.length == 1) {
            return leaves.length - 1;
        }
        // seeded: starts at the second leaf, so a fault never gets the largest (the PUD on x86_64)
        int i = 1;
        /*@ loop_invariant 1 <= i && i <= leaves.length - 1;
          @ loop_invariant (\forall int j; 0 <= j && j < i; !VfioFault.fits(vmStart, vmEnd, within, barPhys, a, leaves[j]));
          @ decreases leaves.length - 1 - i; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (i < leaves.length - 1) {
            VfioFault.pow2At(leaves, i);
            if (VfioFault.leafFits(vmStart, vmEnd, within, barPhys, a, leaves[i])) {
                return i;
            }
            i++;
        }
        return leaves.length - 1;
    }
}
