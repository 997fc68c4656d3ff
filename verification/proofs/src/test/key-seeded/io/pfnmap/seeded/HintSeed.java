package io.pfnmap.seeded;

import io.pfnmap.mm.core.Arith;

/**
 * The hint rule, seeded: a valid, free hint comes back unchanged. The hint test of x86_64's
 * bottom-up search ({@code end - len >= hint} and free below the next VMA, mm-model
 * ArchGetUnmappedArea.x86GetUnmappedArea) written once as the core has it (control) and once with
 * a strict comparison, which refuses a hint that ends exactly at the search's end.
 */
public final class HintSeed {
    private HintSeed() {
    }

    /*@ public normal_behavior
      @ requires hint != 0 && Arith.ule(len, end) && Arith.uge((long) (end - len), hint) && freeBelowNext;
      @ ensures \result == hint;
      @ assignable \nothing; @*/
    public static long controlTakeHint(long hint, long len, long end, boolean freeBelowNext, long searched) {
        if (hint != 0) {
            if (Arith.uge(end - len, hint) && freeBelowNext) {
                return hint;
            }
        }
        return searched;
    }

    /*@ public normal_behavior
      @ requires hint != 0 && Arith.ule(len, end) && Arith.uge((long) (end - len), hint) && freeBelowNext;
      @ ensures \result == hint;
      @ assignable \nothing; @*/
    public static long wrongTakeHint(long hint, long len, long end, boolean freeBelowNext, long searched) {
        if (hint != 0) {
            // seeded: strict, so a hint that ends exactly at `end` is not taken
            if (Arith.ugt(end - len, hint) && freeBelowNext) {
                return hint;
            }
        }
        return searched;
    }
}
