package io.pfnmap.seeded;

/**
 * The overflow test of the proof options: {@code a + 1 > a} holds for mathematical integers but
 * not for Java's {@code long} ({@code Long.MAX_VALUE + 1} wraps to {@code Long.MIN_VALUE}). Under
 * {@code intRules:javaSemantics} KeY must fail to prove {@link #wrongPlusOne}; with the overflow
 * excluded by a precondition, {@link #controlPlusOne} must close.
 */
public final class OverflowSeed {
    private OverflowSeed() {
    }

    /*@ public normal_behavior
      @ ensures \result > a;
      @ assignable \nothing; @*/
    public static long wrongPlusOne(long a) {
        return a + 1;
    }

    /*@ public normal_behavior
      @ requires a < Long.MAX_VALUE;
      @ ensures \result > a;
      @ assignable \nothing; @*/
    public static long controlPlusOne(long a) {
        return a + 1;
    }
}
