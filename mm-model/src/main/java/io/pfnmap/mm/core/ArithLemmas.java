package io.pfnmap.mm.core;

/**
 * Lemmas, with no code, for {@link Arith#alignUpMask}, {@link Arith#alignDownMask} and the tries
 * of {@link FirstFit}: small statements about products and quotients with symbolic factors, each
 * its own contract so that KeY meets them in a goal of their size (some with non-linear
 * completion, budgets.txt). Proof scaffolding, apart from the model.
 */
public final class ArithLemmas {
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
        ArithLemmas.remAtMost(Arith.MAX_POW2, d); // a lemma, no code: above 2^62, 2^62 % d would be 2^62 itself
    }

    /** A lemma, no code: a positive value's quotient by a positive divisor is at most the value. */
    /*@ public normal_behavior
      @ requires 0 < hi && 0 < lo;
      @ ensures hi / lo <= hi;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ void divNotAbove(long hi, long lo) {
        ArithLemmas.divAtMost(hi, lo); // a lemma, no code
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

    /**
     * A lemma, no code: an unsigned value at or below a non-negative one is itself non-negative
     * and at or below it in the signed order. Stated against {@code u} so that a proof that keeps
     * {@code u} folded (the hint tests) meets uge's post as it stands.
     */
    /*@ public normal_behavior
      @ ensures 0 <= a && Arith.u(b) <= Arith.u(a) ==> 0 <= b && b <= a;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void belowSigned(long a, long b) {
    }

    /**
     * A lemma, no code: a non-negative {@code a}'s remainder by a positive {@code m} is at most
     * {@code a}, and is {@code a} itself below {@code m}. Its own contract because both steps need
     * the quotient's sign (a product of two symbols), which KeY finds in this small goal (with
     * non-linear completion, budgets.txt) but not inside {@link Arith#remU}'s proof.
     */
    /*@ public normal_behavior
      @ requires 0 <= a && 0 < m;
      @ ensures a % m <= a;
      @ ensures a < m ==> a % m == a;
      @ ensures a / m >= 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void remAtMost(long a, long m) {
    }

    /**
     * A lemma, no code: the remainder is unique. If {@code a = q * m + r} with {@code 0 <= r < m}
     * and {@code q >= 0}, then {@code a % m == r}.
     */
    /*@ public normal_behavior
      @ requires 0 < m && 0 <= r && r < m && 0 <= q && 0 <= a && (\bigint) q * m + r == a;
      @ ensures a % m == r;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void remUnique(long a, long m, long q, long r) {
        remAtMost(a, m); // lemmas, no code: 0 <= a / m,
        divAtMost(a, m); // a / m <= a (so the Java quotient is the mathematical one),
        mulCancel(m, a / m, q); // and a / m - q lies strictly between -1 and 1
    }

    /**
     * A lemma, no code: a non-negative {@code a}'s quotient by a positive {@code m} is at most
     * {@code a}.
     */
    /*@ public normal_behavior
      @ requires 0 <= a && 0 < m;
      @ ensures a / m <= a;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void divAtMost(long a, long m) {
    }

    /** A lemma, no code: dividing a non-negative {@code a} by at least 2 at least halves it. */
    /*@ public normal_behavior
      @ requires 0 <= a && 2 <= m;
      @ ensures 2 * (\bigint) (a / m) <= a;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void divHalf(long a, long m) {
    }

    /**
     * A lemma, no code: adding {@code k} multiples of {@code m} to a non-negative {@code a} adds
     * {@code k} to its quotient, in unbounded integers ({@code a + k * m} may pass 2^63: it is how
     * {@link Arith#udiv} and {@link MapFlags#with} read a value above 2^63).
     */
    /*@ public normal_behavior
      @ requires 0 <= a && 0 < m && 0 <= k;
      @ ensures ((\bigint) a + (\bigint) k * m) / m == (\bigint) (a / m) + k;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void divShift(long a, long m, long k) {
    }

    /**
     * A lemma, no code: a non-negative {@code s} whose quotient by the power of two {@code bit} is
     * even (bit {@code bit} clear) stays below 2^63 with {@code bit} added: its quotient is below
     * 2^63 / bit, which is even, so at most 2^63 / bit - 2.
     */
    /*@ public normal_behavior
      @ requires 0 <= s && 0 < bit && bit <= Arith.MAX_POW2 && Arith.MAX_POW2 % bit == 0;
      @ requires (s / bit) % 2 == 0;
      @ ensures (\bigint) s + bit <= Long.MAX_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void noCarry(long s, long bit) {
        if (bit == 1) {
            return; // s is even, so below 2^63 - 1 (and 2^63 / bit would not be a long)
        }
        remAtMost(Arith.MAX_POW2, bit); // lemmas, no code: 2^62 / bit >= 0 and s / bit >= 0,
        remAtMost(s, bit);
        divMod(s, bit); // s = bit * (s / bit) + s % bit,
        divMod(Arith.MAX_POW2, bit); // bit * (2^62 / bit) = 2^62,
        // s / bit < 2^63 / bit: below 2^62 by divBelow, above it by divBelow on s - 2^62 and divShift
        divBelow(s >= Arith.MAX_POW2 ? s - Arith.MAX_POW2 : s, bit, Arith.MAX_POW2);
        divShift(s >= Arith.MAX_POW2 ? s - Arith.MAX_POW2 : s, bit, s >= Arith.MAX_POW2 ? Arith.MAX_POW2 / bit : 0);
        mulBelow(s / bit, 2 * (Arith.MAX_POW2 / bit) - 1, bit); // and (s / bit + 1) * bit <= 2^63 - bit
    }

    /**
     * A lemma, no code: adding a clear bit {@code bit} (a power of two up to 2^62) to {@code flags}
     * sets it and carries nowhere: no wrap, unsigned or signed. What {@link MapFlags#with} needs;
     * {@code flags} is read as {@code s + k * bit} with {@code s} below 2^63 and {@code k} even (0, or
     * 2^63 / bit above 2^63), as {@link Arith#udiv} reads it.
     */
    /*@ public normal_behavior
      @ requires 0 < bit && bit <= Arith.MAX_POW2 && Arith.MAX_POW2 % bit == 0;
      @ requires (Arith.u(flags) / bit) % 2 != 1;
      @ ensures (\bigint) flags + bit <= Long.MAX_VALUE;
      @ ensures Arith.u(flags) + bit <= (\bigint) Long.MAX_VALUE * 2 + 1;
      @ ensures ((Arith.u(flags) + bit) / bit) % 2 == 1;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void bitClearAdds(long flags, long bit) {
        if (bit == 1) {
            return; // u(flags) is even: adding 1 stays below 2^64 (and 2^63 / bit would not be a long)
        }
        remAtMost(Arith.MAX_POW2, bit); // lemmas, no code: 2^62 / bit >= 0,
        remAtMost(flags >= 0 ? flags : flags + Arith.TOP, bit); // s / bit >= 0,
        divMod(Arith.MAX_POW2, bit); // bit * (2^62 / bit) = 2^62,
        divShift(flags >= 0 ? flags : flags + Arith.TOP, bit, flags >= 0 ? 0 : 2 * (Arith.MAX_POW2 / bit)); // u(flags)'s quotient,
        divShift(flags >= 0 ? flags : flags + Arith.TOP, bit, flags >= 0 ? 1 : 2 * (Arith.MAX_POW2 / bit) + 1); // that of u(flags) + bit,
        noCarry(flags >= 0 ? flags : flags + Arith.TOP, bit); // and s + bit below 2^63
    }

    /**
     * A lemma, no code: if {@code m * (x - y)} lies strictly between {@code -m} and {@code m}
     * for a positive {@code m}, then {@code x == y}.
     */
    /*@ public normal_behavior
      @ requires 0 < m && 0 <= x && 0 <= y;
      @ requires -(\bigint) m < (\bigint) m * ((\bigint) x - y) && (\bigint) m * ((\bigint) x - y) < m;
      @ ensures x == y;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void mulCancel(long m, long x, long y) {
        mulZero(m, x - y); // a lemma; x - y does not wrap (both are non-negative); no code
    }

    /**
     * A lemma, no code: a multiple {@code m * d} of a positive {@code m} strictly between
     * {@code -m} and {@code m} has {@code d == 0}.
     */
    /*@ public normal_behavior
      @ requires 0 < m && -(\bigint) m < (\bigint) m * d && (\bigint) m * d < m;
      @ ensures d == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void mulZero(long m, long d) {
    }

    /**
     * A lemma, no code: a product {@code m * k} of a positive {@code m} and a non-negative {@code k}
     * divides by {@code m} exactly, to {@code k} (how VFIO's page offsets, a page count times the
     * page size, are read back).
     */
    /*@ public normal_behavior
      @ requires 0 < m && 0 <= k;
      @ ensures ((\bigint) m * k) % m == 0 && ((\bigint) m * k) / m == k;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void mulDiv(long m, long k) {
    }

    /** A lemma, no code: multiplying by a positive {@code p} keeps {@code r < d}. */
    /*@ public normal_behavior
      @ requires 0 <= r && r < d && 0 < p;
      @ ensures (\bigint) r * p + p <= (\bigint) d * p;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void mulBelow(long r, long d, long p) {
        mulNonNeg(d - r - 1, p); // a lemma, no code: (d - r - 1) * p >= 0
    }

    /** A lemma, no code: the product of two non-negative values is not negative. */
    /*@ public normal_behavior
      @ requires 0 <= x && 0 <= p;
      @ ensures (\bigint) x * p >= 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void mulNonNeg(long x, long p) {
    }

    /**
     * A lemma, no code: Java's quotient and remainder reassemble the dividend whatever its sign.
     * For proofs run without the definitions of {@code /} and {@code %} (nonLinear=none).
     */
    /*@ public normal_behavior
      @ requires 0 < m;
      @ ensures (\bigint) m * (a / m) + a % m == a;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void divModAny(long a, long m) {
    }

    /** A lemma, no code: Java's quotient and remainder of a non-negative dividend reassemble it. */
    /*@ public normal_behavior
      @ ensures 0 <= a && 0 < m ==> (\bigint) m * (a / m) + a % m == a;
      @ ensures 0 <= a && 0 < m ==> 0 <= a % m && a % m < m;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void divMod(long a, long m) {
    }

    /**
     * A lemma, no code: rounding down keeps an aligned address. {@code r} is the rounded value,
     * given by alignDown's post at the caller (the lemma does not name alignDown, whose call a
     * contract could not identify with the caller's), so that alignDown's own contract, which
     * other proofs carry, stays as it was.
     */
    /*@ public normal_behavior
      @ ensures 0 < m && 0 <= x && x % m == 0 && Arith.u(r) <= Arith.u(x) && Arith.u(x) - Arith.u(r) < m && Arith.u(r) % m == 0 ==> r == x;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void alignDownKeeps(long x, long m, long r) {
        belowSigned(x, r); // r is between 0 and x
        if (0 < m && 0 <= x && x % m == 0 && 0 <= r && r <= x && x - r < m && r % m == 0) {
            divMod(x, m);
            divMod(r, m);
            remAtMost(x, m); // the quotients are between 0 and the dividends, so x / m and r / m
            remAtMost(r, m); // do not wrap
            divAtMost(x, m);
            divAtMost(r, m);
            mulCancel(m, x / m, r / m); // two multiples of m less than m apart are equal
        }
    }
    /**
     * A lemma, no code: the first address at or above {@code x} congruent to {@code off} modulo
     * the power of two {@code hi} is {@code x + ((off mod hi) - x mod hi + hi) mod hi}, the form
     * of the kernel's {@code x + ((off - x) & (hi - 1))}. Any {@code r} congruent to {@code off}
     * within {@code hi - 1} above {@code x} is that address: the two are congruent and less than
     * {@code hi} apart, and a multiple of {@code hi} between {@code -hi} and {@code hi} is 0
     * ({@link #mulZero}). How the bottom-up tries of {@link FirstFit} read {@link
     * Arith#alignUpMask}'s bounds and congruence as a value (issue 26). Proved with remUOf folded
     * (budgets.txt): nothing here needs its cases over the offset's sign.
     */
    /*@ public normal_behavior
      @ requires 0 < hi && hi <= Arith.MAX_POW2 && Arith.MAX_POW2 % hi == 0;
      @ requires 0 <= x && (\bigint) x + hi <= Long.MAX_VALUE && x <= r && (\bigint) r - x < hi;
      @ requires ((\bigint) r - Arith.remUOf(off, hi)) % hi == 0;
      @ ensures r == (\bigint) x + (Arith.remUOf(off, hi) - x % hi + hi) % hi;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void firstAtOrAbove(long x, long r, long off, long hi) {
        long rem = Arith.remUValue(off, hi); // off mod hi as a value, below hi
        divMod(x, hi); // x = hi * (x / hi) + x % hi,
        remAtMost(x, hi); // 0 <= x / hi <= x
        divAtMost(x, hi);
        stepBelow(rem, x % hi, hi); // the step is rem - x % hi, or that plus hi when negative;
        divModAny(r - rem, hi); // r - rem = hi * ((r - rem) / hi), its remainder being 0
        if (r < rem) {
            remAtMost(rem - r, hi); // rem - r, below hi, is its own remainder, yet a multiple of hi: no such case
        } else if (rem >= x % hi) {
            remAtMost(r - rem, hi); // 0 <= (r - rem) / hi <= r - rem, so the difference below does not wrap,
            divAtMost(r - rem, hi);
            mulZero(hi, (r - rem) / hi - x / hi); // and r - rem = hi * (x / hi)
        } else {
            remAtMost(r - rem, hi); // as above, after a borrow:
            divAtMost(r - rem, hi);
            mulZero(hi, (r - rem) / hi - x / hi - 1); // r - rem = hi * (x / hi + 1)
        }
    }

    /**
     * A lemma, no code: the last address at or below {@code y} congruent to {@code off} modulo the
     * power of two {@code hi} is {@code y - (y mod hi - (off mod hi) + hi) mod hi}, the form of the
     * kernel's {@code y - ((y - off) & (hi - 1))}. Any {@code r} congruent to {@code off} within
     * {@code hi - 1} below {@code y} is that address, as in {@link #firstAtOrAbove}, whose
     * mirror it is. How the top-down tries of {@link FirstFit} with hugetlb's masks read {@link
     * Arith#alignDownMask}'s bounds and congruence as a value.
     */
    /*@ public normal_behavior
      @ requires 0 < hi && hi <= Arith.MAX_POW2 && Arith.MAX_POW2 % hi == 0;
      @ requires 0 <= r && r <= y && (\bigint) y - r < hi;
      @ requires ((\bigint) r - Arith.remUOf(off, hi)) % hi == 0;
      @ ensures r == (\bigint) y - (y % hi - Arith.remUOf(off, hi) + hi) % hi;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void lastAtOrBelow(long y, long r, long off, long hi) {
        long rem = Arith.remUValue(off, hi); // off mod hi as a value, below hi
        divMod(y, hi); // y = hi * (y / hi) + y % hi,
        remAtMost(y, hi); // 0 <= y / hi <= y
        divAtMost(y, hi);
        stepBelow(y % hi, rem, hi); // the step is y % hi - rem, or that plus hi when negative;
        divModAny(r - rem, hi); // r - rem = hi * ((r - rem) / hi), its remainder being 0
        if (r < rem) {
            remAtMost(rem - r, hi); // rem - r, below hi, is its own remainder, yet a multiple of hi: no such case
        } else if (y % hi >= rem) {
            remAtMost(r - rem, hi); // 0 <= (r - rem) / hi <= r - rem, so the difference below does not wrap,
            divAtMost(r - rem, hi);
            mulZero(hi, (r - rem) / hi - y / hi); // and r - rem = hi * (y / hi)
        } else {
            remAtMost(r - rem, hi); // as above, with a borrow:
            divAtMost(r - rem, hi);
            mulZero(hi, (r - rem) / hi - y / hi + 1); // r - rem = hi * (y / hi - 1)
        }
    }

    /** A lemma, no code: hugetlb's 1 GiB mask with 4 KiB pages, 0x3ffff000, has the shape alignUpMask asks for. */
    /*@ public normal_behavior
      @ ensures Arith.maskShape(1073737728L, 4096L);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void maskShapeHugetlb1G() {
    }

    /**
     * A lemma, no code: {@link #pageCongruent2M} for hugetlb's 1 GiB mask 0x3ffff000: 4 KiB units
     * that agree modulo 262,144 make a congruence modulo 1 GiB.
     */
    /*@ public normal_behavior
      @ requires 0 <= r && r % 4096 == 0 && off % 4096 == 0;
      @ requires Arith.congruentMask(r, off, 1073737728L, 4096L);
      @ ensures ((\bigint) r - Arith.remUOf(off, 1073741824L)) % 1073741824L == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void pageCongruent1G(long r, long off) {
    }

    /**
     * A lemma, no code: {@code (a - b + m) mod m} for {@code a} and {@code b} below {@code m}
     * is {@code a - b}, plus {@code m} when that is negative. The step of {@link #firstAtOrAbove}.
     */
    /*@ public normal_behavior
      @ requires 0 < m && m <= Arith.MAX_POW2 && 0 <= a && a < m && 0 <= b && b < m;
      @ ensures a >= b ==> ((\bigint) a - b + m) % m == (\bigint) a - b;
      @ ensures a < b ==> ((\bigint) a - b + m) % m == (\bigint) a - b + m;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void stepBelow(long a, long b, long m) {
        if (a >= b) {
            remUnique(a - b + m, m, 1, a - b); // one m above a - b, which is below m
        } else {
            remAtMost(a - b + m, m); // below m: its own remainder
        }
    }

    /**
     * A lemma, no code: moving {@code ret} up by {@code s}, where {@code s} is the unsigned
     * remainder of the wrapped difference {@code off - ret} modulo the power of two {@code m} (or
     * {@code m} itself where that remainder is 0), lands on an address congruent to {@code off}:
     * the wrapped difference of the two has unsigned remainder 0. The last step of {@code
     * __thp_get_unmapped_area} ({@link AlignedArea#alignToOff}). Proved with remU and remUOf
     * folded (budgets.txt): {@link #wrapMove} gives the wrap, {@link #negCongruent} the
     * remainder, {@link #remUIsOf} reads it as remU's.
     */
    /*@ public normal_behavior
      @ requires 0 < m && m <= Arith.MAX_POW2 && Arith.MAX_POW2 % m == 0;
      @ requires 0 <= s && s <= m;
      @ requires Arith.remUOf((long) (off - ret), m) == s || (s == m && Arith.remUOf((long) (off - ret), m) == 0);
      @ ensures Arith.remU((long) ((long) (ret + s) - off), m) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void congruentMove(long ret, long off, long s, long m) {
        wrapMove(ret, off, s); // lemmas, no code: the two wrapped differences add up to s, less 2^64 or not,
        negCongruent(off - ret, ret + s - off, s, m); // so the second is a multiple of m,
        remUIsOf(ret + s - off, m); // as remU reads it
    }

    /**
     * A lemma, no code: {@code off - ret} and {@code (ret + s) - off}, each wrapped to a long, add
     * up to {@code s}, or to {@code s - 2^64} where both wrapped.
     */
    /*@ public normal_behavior
      @ requires 0 <= s && s <= Arith.MAX_POW2;
      @ ensures (\bigint) (long) (off - ret) + (long) ((long) (ret + s) - off) == s
      @     || (\bigint) (long) (off - ret) + (long) ((long) (ret + s) - off) == (\bigint) s - Arith.two64();
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void wrapMove(long ret, long off, long s) {
    }

    /**
     * A lemma, no code: if {@code x + y} is {@code s} modulo 2^64 and {@code s} is {@code x}'s
     * unsigned remainder modulo the power of two {@code m} (or {@code m} where that is 0), then
     * {@code y} is a multiple of {@code m}, unsigned. Read through the non-negative
     * representatives {@code x mod 2^63} and {@code y mod 2^63} (2^63 is a multiple of {@code m}):
     * they add up to {@code s} or {@code s + 2^63}, so {@code y}'s is {@code m} times
     * {@code e + 2c(2^62 / m) - x / m} with {@code e} and {@code c} each 0 or 1.
     */
    /*@ public normal_behavior
      @ requires 0 < m && m <= Arith.MAX_POW2 && Arith.MAX_POW2 % m == 0;
      @ requires 0 <= s && s <= m;
      @ requires Arith.remUOf(x, m) == s || (s == m && Arith.remUOf(x, m) == 0);
      @ requires (\bigint) x + y == s || (\bigint) x + y == (\bigint) s - Arith.two64();
      @ ensures Arith.remUOf(y, m) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void negCongruent(long x, long y, long s, long m) {
        long ax = x >= 0 ? x : x + Long.MAX_VALUE + 1; // x mod 2^63, with no wrap on the way
        long ay = y >= 0 ? y : y + Long.MAX_VALUE + 1; // y mod 2^63
        if (m == 1) {
            mulModAt(ay, 1, ay); // a lemma, no code: everything is a multiple of 1
            return;
        }
        divMod(ax, m); // lemmas, no code: ax = m * (ax / m) + ax % m,
        remAtMost(ax, m); // 0 <= ax / m <= ax (the sum below does not wrap),
        divAtMost(ax, m);
        divMod(Arith.MAX_POW2, m); // 2^62 = m * (2^62 / m),
        divHalf(Arith.MAX_POW2, m); // 2 * (2^62 / m) <= 2^62 (m >= 2)
        long e = ax % m == s ? 0 : 1; // s = ax % m + m * e
        long c = (x >= 0) == (y >= 0) ? 0 : 2 * (Arith.MAX_POW2 / m); // ax + ay = s + m * c
        mulModAt(ay, m, e + c - ax / m); // a lemma, no code: ay = m * (e + c - ax / m)
    }

    /** A lemma, no code: {@code m} times any {@code k} is a multiple of {@code m}. */
    /*@ public normal_behavior
      @ requires 0 < m && (\bigint) m * k == a;
      @ ensures a % m == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void mulModAt(long a, long m, long k) {
    }

    /** A lemma, no code: remU's value is the formula remUOf (its two functional posts). */
    /*@ public normal_behavior
      @ requires 0 < m && m <= Arith.MAX_POW2 && Arith.MAX_POW2 % m == 0;
      @ ensures Arith.remU(x, m) == Arith.remUOf(x, m);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void remUIsOf(long x, long m) {
    }

    /** A lemma, no code: hugetlb's 2 MiB mask with 4 KiB pages, 0x1ff000, has the shape alignUpMask asks for. */
    /*@ public normal_behavior
      @ ensures Arith.maskShape(2093056L, 4096L);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void maskShapeHugetlb2M() {
    }

    /**
     * A lemma, no code: with hugetlb's mask 0x1ff000 ((2 MiB - 1) & PAGE_MASK, 4 KiB pages), a
     * page-aligned {@code r} whose 4 KiB units agree with a page-aligned {@code off}'s modulo 512
     * ({@link Arith#congruentMask}, alignUpMask's post) is congruent to {@code off} modulo 2 MiB,
     * the form {@link #firstAtOrAbove} takes. Constant moduli, so that the quotients are atoms of
     * linear facts.
     */
    /*@ public normal_behavior
      @ requires 0 <= r && r % 4096 == 0 && off % 4096 == 0;
      @ requires Arith.congruentMask(r, off, 2093056L, 4096L);
      @ ensures ((\bigint) r - Arith.remUOf(off, 2097152L)) % 2097152L == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void pageCongruent2M(long r, long off) {
    }
}
