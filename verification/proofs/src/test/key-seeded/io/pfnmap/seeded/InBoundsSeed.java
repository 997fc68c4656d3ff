package io.pfnmap.seeded;

import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.Predicates;

/**
 * In-bounds, seeded: the final check of {@code __get_unmapped_area} (mm-model GetUnmappedArea:
 * an answer {@code r} must have {@code r + len <= TASK_SIZE}) and the bounds test of the searches,
 * each as the core writes it (control, must close); the off-by-one variants that must stay open
 * are one-line mutations of the controls (proofs/mutants.txt).
 */
public final class InBoundsSeed {
    private InBoundsSeed() {
    }

    /*@ public normal_behavior
      @ requires !Arith.ugt(len, taskSize);
      @ ensures \result == -12L || Arith.ule(\result, (long) (taskSize - len));
      @ assignable \nothing; @*/
    public static long controlTaskSizeCheck(long r, long len, long taskSize) {
        if (Arith.ugt(r, taskSize - len)) {
            return -12L;
        }
        return r;
    }

    /*@ public normal_behavior
      @ ensures \result ==> Predicates.inBounds(addr, len, low, high);
      @ assignable \nothing; @*/
    public static boolean controlFits(long addr, long len, long low, long high) {
        return Arith.uge(addr, low) && Arith.ule(len, high) && Arith.ule(addr, high - len);
    }
}
