package io.pfnmap.seeded;

import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.Predicates;

/**
 * In-bounds, seeded: the final check of {@code __get_unmapped_area} (mm-model GetUnmappedArea:
 * an answer {@code r} must have {@code r + len <= TASK_SIZE}) and the bounds test of the searches,
 * each once as the core writes it (control, must close) and once with an off-by-one (must stay
 * open).
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
      @ requires !Arith.ugt(len, taskSize);
      @ ensures \result == -12L || Arith.ule(\result, (long) (taskSize - len));
      @ assignable \nothing; @*/
    public static long wrongTaskSizeCheck(long r, long len, long taskSize) {
        // seeded: one byte too far
        if (Arith.ugt(r, taskSize - len + 1)) {
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

    /*@ public normal_behavior
      @ ensures \result ==> Predicates.inBounds(addr, len, low, high);
      @ assignable \nothing; @*/
    public static boolean wrongFits(long addr, long len, long low, long high) {
        // seeded: forgets that high - len wraps when len > high
        return Arith.uge(addr, low) && Arith.ule(addr, high - len);
    }
}
