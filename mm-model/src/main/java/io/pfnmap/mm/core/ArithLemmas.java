package io.pfnmap.mm.core;

/**
 * Lemmas, with no code, for {@link Arith#alignUpMask} and {@link Arith#alignDownMask}: small
 * statements about products and quotients with symbolic factors, each its own contract so that
 * KeY meets them in a goal of their size (some with non-linear completion, budgets.txt). Proof
 * scaffolding, apart from the model.
 */
final class ArithLemmas {
    private ArithLemmas() {
    }

    /** A lemma, no code: below {@code hi}, a multiple of {@code lo}, a value has fewer than {@code hi / lo} units of {@code lo}. */
    /*@ public normal_behavior
      @ requires 0 <= a && a < hi && 0 < lo && hi % lo == 0;
      @ ensures 0 <= a / lo && a / lo < hi / lo;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ void divBelow(long a, long lo, long hi) {
    }

    /** A lemma, no code: a positive divisor of 2^62 is at most 2^62. */
    /*@ public normal_behavior
      @ requires 0 < d && Arith.MAX_POW2 % d == 0;
      @ ensures d <= Arith.MAX_POW2;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ void divisorAtMost(long d) {
        Arith.remAtMost(Arith.MAX_POW2, d); // a lemma, no code: above 2^62, 2^62 % d would be 2^62 itself
    }

    /** A lemma, no code: a positive value's quotient by a positive divisor is at most the value. */
    /*@ public normal_behavior
      @ requires 0 < hi && 0 < lo;
      @ ensures hi / lo <= hi;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ void divNotAbove(long hi, long lo) {
        Arith.divAtMost(hi, lo); // a lemma, no code
    }

    /** A lemma, no code: {@code u} less its remainder by {@code q}, plus or minus {@code q}, is a multiple of {@code q}. */
    /*@ public normal_behavior
      @ requires 0 <= u && 0 < q;
      @ ensures ((\bigint) u - u % q) % q == 0;
      @ ensures ((\bigint) u - u % q + q) % q == 0;
      @ ensures ((\bigint) u - u % q - q) % q == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ void unitsCongruent(long u, long q) {
    }

    /**
     * A lemma, no code: taking {@code e} units of {@code lo} from {@code x} leaves, when the
     * difference is not negative, {@code x / lo - e} units and {@code x}'s part below {@code lo}.
     */
    /*@ public normal_behavior
      @ requires 0 <= x && 0 < lo && 0 <= e;
      @ ensures (\bigint) x - (\bigint) lo * e >= 0
      @     ==> ((\bigint) x - (\bigint) lo * e) / lo == (\bigint) (x / lo) - e
      @         && ((\bigint) x - (\bigint) lo * e) % lo == x % lo;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ void unitsBelow(long x, long lo, long e) {
    }
}
