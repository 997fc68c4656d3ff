package io.pfnmap.seeded;

import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.MapFlags;

/**
 * The unsigned quotient by 1 and the flag test built on it. {@code udiv(x, 1)} is {@code x}'s
 * bits, negative when bit 63 is set, so the contract udiv had before (a non-negative result for
 * every power of two, 1 included) does not hold, and neither does the flag test as it was (Java's
 * {@code %} on that quotient: a negative odd long has {@code % 2 == -1}, so MAP_SHARED went unseen
 * in a flags word with bit 63 set). Both must stay open (the second is a one-line mutation of the
 * control, proofs/mutants.txt); the control, the flag test as it is now ({@link MapFlags#has}),
 * must close.
 */
public final class DivisionSeed {
    private DivisionSeed() {
    }

    /*@ public normal_behavior
      @ requires 0 < m && m <= Arith.MAX_POW2 && Arith.MAX_POW2 % m == 0;
      @ ensures \result >= 0;
      @ assignable \nothing; @*/
    public static long wrongUdivNonNegative(long x, long m) {
        return Arith.udiv(x, m);
    }

    /*@ public normal_behavior
      @ requires 0 < bit && bit <= Arith.MAX_POW2 && Arith.MAX_POW2 % bit == 0;
      @ ensures \result <==> MapFlags.hasBit(flags, bit);
      @ assignable \nothing; @*/
    public static boolean controlHas(long flags, long bit) {
        return Arith.remU(Arith.udiv(flags, bit), 2) == 1;
    }
}
