package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * C's {@code unsigned long} arithmetic on Java {@code long}: comparisons, remainders and page
 * rounding, written with {@code +}, {@code %} and {@code /} (no masks or shifts) so a prover can
 * follow them. A {@code long} here always stands for the unsigned value {@code x mod 2^64}; {@code
 * +} and {@code -} already wrap as C's do.
 */
public final class Arith {
    private Arith() {
    }

    /** 2^63 as a long (Long.MIN_VALUE): adding it flips the unsigned order onto the signed one. */
    public static final long TOP = Long.MIN_VALUE;

    /** 2^62, the largest power of two {@link #remU} accepts as a modulus. */
    public static final long MAX_POW2 = 4611686018427387904L;

    /** -MAX_ERRNO: IS_ERR_VALUE(x) is x >= (unsigned) -4095 (include/linux/err.h). */
    public static final long MAX_ERRNO = 4095L;

    /*@ // 2^64, one past the largest unsigned value.
      @ public static model pure \bigint two64() {
      @     return (\bigint) 9223372036854775807L * 2 + 2;
      @ }
      @*/
    /*@ // The value remU(x, m) returns, as a formula (its two functional posts): for a power of two m
      @ // up to 2^62 it is the unsigned remainder u(x) % m, since x + 2^63 and u(x) = x + 2^64 differ
      @ // by a multiple of m. For contracts that read a remainder without calling remU.
      @ public static model pure \bigint remUOf(long x, long m) {
      @     return x >= 0 ? (\bigint) x % m : ((\bigint) x + 9223372036854775807L + 1) % m;
      @ }
      @*/
    /*@ // The lowest bit of an align mask the kernel passes: PAGE_SIZE for hugetlb's and AMD F15h's
      @ // (2^k - 1) & PAGE_MASK (and for 0), 1 for 2^k - 1. The mask keeps the bits from it up to
      @ // mask + it (hi), so that x & mask == x mod hi - x mod lo.
      @ public static model pure long maskLowOf(long mask, long pageSize) {
      @     return mask % pageSize == 0 ? pageSize : 1;
      @ }
      @*/
    /*@ // mask == hi - lo for powers of two lo and hi = mask + lo dividing 2^62, lo dividing hi.
      @ public static model pure boolean maskShape(long mask, long lo) {
      @     return 0 < lo && lo <= MAX_POW2 && MAX_POW2 % lo == 0 && 0 <= mask && mask % lo == 0
      @         && (\bigint) mask + lo <= MAX_POW2 && MAX_POW2 % (mask + lo) == 0 && (mask + lo) % lo == 0;
      @ }
      @*/
    /*@ // (x - off) & mask == 0 where x and off agree below lo (page-aligned gap and offset): then
      @ // x's units of lo are off's under the mask, modulo hi / lo, hi = mask + lo. With lo = 1 this
      @ // is x == off modulo mask + 1.
      @ public static model pure boolean congruentMask(long x, long off, long mask, long lo) {
      @     return 0 <= x && x % lo == remUOf(off, lo)
      @         ==> ((\bigint) (x / lo) - remUOf(off, (long) (mask + lo)) / lo) % ((mask + lo) / lo) == 0;
      @ }
      @*/
    /*@ // The unsigned value of x: the reading every contract below uses.
      @ public static model pure \bigint u(long x) {
      @     return x >= 0 ? (\bigint) x : (\bigint) x + ((\bigint) 9223372036854775807L * 2 + 2);
      @ }
      @*/

    /**
     * {@code h - 1} for a positive {@code h}: the last address of a window that ends before
     * {@code h} ({@code high_limit - 1} in mm/vma.c). Its own method so that a caller's proof gets
     * the difference as a plain fact rather than as Java's wrapping subtraction.
     */
    /*@ public normal_behavior
      @ requires 0 < h;
      @ ensures \result == h - 1;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long lastAddress(long h) {
        return h - 1;
    }

    /**
     * {@code a < b} on unsigned longs.
     */
    /*@ public normal_behavior
      @ ensures \result <==> u(a) < u(b);
      @ ensures 0 <= a && 0 <= b ==> (\result <==> a < b);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean ult(long a, long b) {
        return a + TOP < b + TOP;
    }

    /** {@code a <= b} on unsigned longs. */
    /*@ public normal_behavior
      @ ensures \result <==> u(a) <= u(b);
      @ ensures 0 <= a && 0 <= b ==> (\result <==> a <= b);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean ule(long a, long b) {
        return a + TOP <= b + TOP;
    }

    /** {@code a > b} on unsigned longs. */
    /*@ public normal_behavior
      @ ensures \result <==> u(a) > u(b);
      @ ensures 0 <= a && 0 <= b ==> (\result <==> a > b);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean ugt(long a, long b) {
        return a + TOP > b + TOP;
    }

    /** {@code a >= b} on unsigned longs. */
    /*@ public normal_behavior
      @ ensures \result <==> u(a) >= u(b);
      @ ensures 0 <= a && 0 <= b ==> (\result <==> a >= b);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean uge(long a, long b) {
        return a + TOP >= b + TOP;
    }

    /**
     * {@code x - y} for {@code y <= x} unsigned: the difference does not wrap. A lemma the gap
     * tests use so that the prover sees the difference as {@code u(x) - u(y)}.
     */
    /*@ public normal_behavior
      @ requires u(y) <= u(x);
      @ ensures u(\result) == u(x) - u(y);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long usub(long x, long y) {
        return x - y;
    }

    /** The smaller of two unsigned longs ({@code min_t(unsigned long, ...)}). */
    /*@ public normal_behavior
      @ ensures u(\result) <= u(a) && u(\result) <= u(b) && (\result == a || \result == b);
      @ ensures 0 <= a && 0 <= b ==> \result <= a && \result <= b;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long umin(long a, long b) {
        return ult(a, b) ? a : b;
    }

    /** The larger of two unsigned longs. */
    /*@ public normal_behavior
      @ ensures u(\result) >= u(a) && u(\result) >= u(b) && (\result == a || \result == b);
      @ ensures 0 <= a && 0 <= b ==> \result >= a && \result >= b;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long umax(long a, long b) {
        return ugt(a, b) ? a : b;
    }

    /**
     * IS_ERR_VALUE (include/linux/err.h): the top 4,095 values of the address space are errors.
     */
    /*@ public normal_behavior
      @ ensures \result <==> u(x) >= ((\bigint) 9223372036854775807L * 2 + 2) - MAX_ERRNO;
      @ ensures \result <==> (-MAX_ERRNO <= x && x < 0); // the same, for proofs that keep u folded
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean isErrValue(long x) {
        return uge(x, -MAX_ERRNO);
    }

    /**
     * {@code x & (m - 1)} for a power of two {@code m} (a dividing 2^63 modulus): the unsigned
     * remainder, written with {@code %}.
     */
    /*@ public normal_behavior
      @ requires 0 < m && m <= MAX_POW2 && MAX_POW2 % m == 0;
      @ ensures 0 <= \result && \result < m;
      @ ensures (u(x) - \result) % m == 0;
      @ ensures ((\bigint) x - \result) % m == 0;
      @ ensures x >= 0 ==> \result == x % m;
      @ ensures x < 0 ==> \result == ((\bigint) x + 9223372036854775807L + 1) % m;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long remU(long x, long m) {
        if (x >= 0) {
            return x % m;
        }
        // x + 2^63 is x's unsigned value less 2^63, a multiple of m: same remainder.
        return (x + TOP) % m;
    }

    /**
     * {@link #remU} again (the same value), with the bounds the page rounding needs: at most
     * {@code x}, {@code x} itself below {@code m}, and the top block's remainder. A method of its
     * own so that the searches' proofs, which call remU, do not meet these case splits.
     */
    /*@ public normal_behavior
      @ requires 0 < m && m <= MAX_POW2 && MAX_POW2 % m == 0;
      @ ensures 0 <= \result && \result < m;
      @ ensures (u(x) - \result) % m == 0;
      @ ensures ((\bigint) x - \result) % m == 0;
      @ ensures x >= 0 ==> \result == x % m;
      @ ensures x < 0 ==> \result == ((\bigint) x + 9223372036854775807L + 1) % m;
      @ ensures x >= 0 ==> \result <= x;
      @ ensures 0 <= x && x < m ==> \result == x;
      @ ensures x < 0 && (\bigint) x + m > 0 ==> \result == x + m;
      @ ensures x < 0 ==> \result <= (\bigint) x + 9223372036854775807L + 1;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long remUBounded(long x, long m) {
        // x + 2^63 for a negative x is x's unsigned value less 2^63, a multiple of m: same remainder.
        long a = x >= 0 ? x : x + TOP;
        ArithLemmas.remAtMost(a, m); // a lemma: the remainder is at most a (a itself below m); no code
        if (x < 0 && x + m > 0) {
            // The top block: u(x) = (2^64 - m) + (x + m), a multiple of m plus x + m.
            ArithLemmas.remUnique(a, m, 2 * (MAX_POW2 / m) - 1, x + m); // a lemma, no code
        }
        return a % m;
    }

    /**
     * {@link #remU} again (the same value) with only its range {@code 0 <= r < m}: for callers
     * whose proofs need the range alone, so that KeY does not meet remU's quotient posts there.
     */
    /*@ public normal_behavior
      @ requires 0 < m && m <= MAX_POW2 && MAX_POW2 % m == 0;
      @ ensures 0 <= \result && \result < m;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long remURange(long x, long m) {
        return remU(x, m);
    }

    /**
     * The lowest bit of a kernel align mask, {@link #maskLowOf}, as code; with the mask's shape,
     * which the searches pass on to {@link #alignUpMask} and {@link #alignDownMask}. The
     * precondition is the searches' rule for the masks the kernel passes (2^k - 1, or (2^k - 1) &
     * PAGE_MASK, below 2^62): mask plus its lowest bit is a power of two. Written out rather than
     * as a predicate, so that callers proved with the predicates folded see it.
     */
    /*@ public normal_behavior
      @ requires 0 <= mask && mask < MAX_POW2 && 0 < pageSize && pageSize <= MAX_POW2 && MAX_POW2 % pageSize == 0;
      @ requires MAX_POW2 % (mask + (mask % pageSize == 0 ? pageSize : 1)) == 0;
      @ ensures \result == maskLowOf(mask, pageSize) && maskShape(mask, \result);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long maskLow(long mask, long pageSize) {
        long lo = mask % pageSize == 0 ? pageSize : 1;
        ArithLemmas.divisorAtMost(mask + lo); // a lemma, no code: mask + lo is at most 2^62
        return lo;
    }

    /**
     * {@code x + ((off - x) & mask)}: how {@code unmapped_area} (mm/vma.c) raises a gap's start to
     * the align mask, for every mask the kernel passes: {@code mask = hi - lo} with {@code lo} and
     * {@code hi = mask + lo} powers of two ({@code lo} is 1 for 2^k - 1 and PAGE_SIZE for
     * hugetlb's and AMD F15h's (2^k - 1) & PAGE_MASK, see {@link #maskLowOf}). The mask keeps the
     * bits from {@code lo} up to {@code hi}: in units of {@code lo} the step is {@code e} (below
     * {@code q = hi / lo}), the difference of the two values' units modulo {@code q}, less the
     * borrow of their parts below {@code lo}. So the result moves by a multiple of {@code lo}, at
     * most {@code mask}, keeps {@code x}'s part below {@code lo}, and when that part is {@code off}'s
     * (page-aligned gap and offset), is congruent to {@code off} modulo {@code hi}
     * ({@link #congruentMask}). Written with {@code %} and {@code /} because KeY proves no masks;
     * {@code ArithProperties} checks it against the mask form for every mask of that shape.
     */
    /*@ public normal_behavior
      @ requires maskShape(mask, lo);
      @ requires 0 <= x && (\bigint) x + mask <= Long.MAX_VALUE;
      @ ensures x <= \result && \result <= (\bigint) x + mask;
      @ ensures congruentMask(\result, off, mask, lo);
      @ ensures \result % lo == x % lo; // moved by units of lo: what congruentMask's premise asks of a page-aligned x
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "unmapped_area", file = "mm/vma.c")
    public static /*@ pure @*/ long alignUpMask(long x, long off, long mask, long lo) {
        long hi = mask + lo;
        if (x < 0) {
            // At or above 2^63 (outside the proved domain): the kernel's form, with the wrap.
            return x + (remU(off - x, hi) - remU(off - x, lo));
        }
        ArithLemmas.remAtMost(x, lo); // lemmas, no code: x % lo and x / lo are in range
        ArithLemmas.divAtMost(x, lo);
        long q = maskUnits(mask, lo);
        long e = unitsUp(x / lo, x % lo, offUnits(off, mask, lo), remUValue(off, lo), q);
        ArithLemmas.mulNonNeg(e, lo); // lemmas, no code: 0 <= lo * e,
        ArithLemmas.mulBelow(e, q, lo); // lo * e <= hi - lo,
        ArithLemmas.divShift(x, lo, e); // and (x + lo * e) / lo == x / lo + e
        return x + lo * e;
    }

    /** {@code hi / lo} for a mask {@code hi - lo}: the units of {@code lo} the mask spans, plus one. */
    /*@ public normal_behavior
      @ requires maskShape(mask, lo);
      @ ensures \result == ((\bigint) mask + lo) / lo && 1 <= \result && (\bigint) \result * lo == (\bigint) mask + lo;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long maskUnits(long mask, long lo) {
        ArithLemmas.remAtMost(mask, lo); // lemmas, no code: mask / lo >= 0,
        ArithLemmas.divShift(mask, lo, 1); // and (mask + lo) / lo is one more
        return quotient(mask + lo, lo);
    }

    /** {@code a / m} for a non-negative {@code a}, with its range: a quotient the callers' proofs read as a value. */
    /*@ public normal_behavior
      @ requires 0 <= a && 0 < m;
      @ ensures \result == a / m && 0 <= \result && \result <= a;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long quotient(long a, long m) {
        ArithLemmas.remAtMost(a, m); // lemmas, no code: the quotient is in range
        ArithLemmas.divAtMost(a, m);
        return a / m;
    }

    /** {@code off}'s units of {@code lo} under the mask {@code hi - lo}: {@code (off mod hi) / lo}. */
    /*@ public normal_behavior
      @ requires maskShape(mask, lo);
      @ ensures \result == remUOf(off, (long) (mask + lo)) / lo && 0 <= \result && \result < ((\bigint) mask + lo) / lo;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long offUnits(long off, long mask, long lo) {
        long r = remUValue(off, mask + lo);
        ArithLemmas.divBelow(r, lo, mask + lo); // lemmas, no code: below hi / lo,
        ArithLemmas.divNotAbove(mask + lo, lo); // itself at most hi
        return r / lo;
    }

    /** {@link #remU} with its value as the formula {@link #remUOf} and its range only. */
    /*@ public normal_behavior
      @ requires 0 < m && m <= MAX_POW2 && MAX_POW2 % m == 0;
      @ ensures \result == remUOf(x, m) && 0 <= \result && \result < m;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long remUValue(long x, long m) {
        return remU(x, m);
    }

    /**
     * The step of {@link #alignUpMask} in units of {@code lo}: {@code ou - xu} modulo {@code q},
     * less the borrow when {@code x}'s part below {@code lo} ({@code xl}) exceeds {@code off}'s
     * ({@code ol}). Its own method so that the caller's proof meets it as a range and one
     * congruence.
     */
    /*@ public normal_behavior
      @ requires 0 <= xu && 0 < q && 0 <= ou && ou < q;
      @ ensures 0 <= \result && \result < q;
      @ ensures xl == ol ==> ((\bigint) xu + \result - ou) % q == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long unitsUp(long xu, long xl, long ou, long ol, long q) {
        long e = ou - xu % q - (ol < xl ? 1 : 0);
        if (e < 0) {
            e = e + q;
        }
        ArithLemmas.unitsCongruent(xu, q); // a lemma, no code: xu - xu % q (+ q) is a multiple of q
        return e;
    }

    /**
     * The step of {@link #alignDownMask} in units of {@code lo}: {@code xu - ou} modulo {@code q},
     * less the borrow when {@code x}'s part below {@code lo} is below {@code off}'s.
     */
    /*@ public normal_behavior
      @ requires 0 <= xu && 0 < q && 0 <= ou && ou < q;
      @ ensures 0 <= \result && \result < q;
      @ ensures xl == ol ==> ((\bigint) xu - \result - ou) % q == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long unitsDown(long xu, long xl, long ou, long ol, long q) {
        long e = xu % q - ou - (xl < ol ? 1 : 0);
        if (e < 0) {
            e = e + q;
        }
        ArithLemmas.unitsCongruent(xu, q); // a lemma, no code: xu - xu % q (- q) is a multiple of q
        return e;
    }

    /**
     * {@code x - ((x - off) & mask)}: how {@code unmapped_area_topdown} (mm/vma.c) lowers a gap's
     * end to the align mask, for the masks {@link #alignUpMask} takes, computed as it is.
     */
    /*@ public normal_behavior
      @ requires maskShape(mask, lo);
      @ requires 0 <= x;
      @ ensures \result <= x && (\bigint) x - mask <= \result;
      @ ensures congruentMask(\result, off, mask, lo);
      @ ensures \result >= 0 ==> \result % lo == x % lo; // moved by units of lo, as alignUpMask's
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "unmapped_area_topdown", file = "mm/vma.c")
    public static /*@ pure @*/ long alignDownMask(long x, long off, long mask, long lo) {
        long hi = mask + lo;
        if (x < 0) {
            return x - (remU(x - off, hi) - remU(x - off, lo));
        }
        ArithLemmas.remAtMost(x, lo); // lemmas, no code: x % lo and x / lo are in range
        ArithLemmas.divAtMost(x, lo);
        long q = maskUnits(mask, lo);
        long e = unitsDown(x / lo, x % lo, offUnits(off, mask, lo), remUValue(off, lo), q);
        ArithLemmas.mulNonNeg(e, lo); // lemmas, no code: 0 <= lo * e,
        ArithLemmas.mulBelow(e, q, lo); // lo * e <= hi - lo,
        ArithLemmas.unitsBelow(x, lo, e); // and x - lo * e, when not negative, has x / lo - e units
        return x - lo * e;
    }

    /** {@code x & ~(m - 1)}: round down to a multiple of the power of two {@code m}. */
    /*@ public normal_behavior
      @ requires 0 < m && m <= MAX_POW2 && MAX_POW2 % m == 0;
      @ ensures u(\result) <= u(x) && u(x) - u(\result) < m && u(\result) % m == 0;
      @ ensures 0 <= x && x < m ==> \result == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long alignDown(long x, long m) {
        return x - remUBounded(x, m);
    }

    /**
     * {@code ALIGN(x, m)} / {@code round_up} / {@code PAGE_ALIGN}: {@code (x + m - 1) & ~(m - 1)},
     * wrapping to 0 from the top {@code m - 1} values exactly as C does.
     */
    /*@ public normal_behavior
      @ requires 0 < m && m <= MAX_POW2 && MAX_POW2 % m == 0;
      @ ensures u(\result) % m == 0;
      @ ensures u(x) + m - 1 < ((\bigint) 9223372036854775807L * 2 + 2) ==> u(\result) >= u(x) && u(\result) - u(x) < m;
      @ ensures u(x) + m - 1 >= ((\bigint) 9223372036854775807L * 2 + 2) ==> \result == 0;
      @ ensures 0 <= x && x % m == 0 ==> \result == x;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "round_up")
    public static /*@ pure @*/ long alignUp(long x, long m) {
        // The same value as the mask form: an aligned x stays, any other goes to the next multiple
        // (x - r + m, which wraps to 0 from the top block). Written so because "an aligned hint
        // comes back unchanged" is then a branch, not a remainder of x + m - 1 for a symbolic m.
        long r = remUBounded(x, m);
        if (r == 0) {
            return x;
        }
        return x + (m - r);
    }

    /**
     * {@code x >> log2(m)} on an unsigned long: the unsigned quotient by a power of two. For
     * {@code m == 1} the quotient is {@code x} itself, which above 2^63 is no non-negative long:
     * the bits are C's, so callers that need a value (not bits) must not divide by 1 or must read
     * the result unsigned (as {@link MapFlags#has} does).
     */
    /*@ public normal_behavior
      @ requires 0 < m && m <= MAX_POW2 && MAX_POW2 % m == 0;
      @ ensures 1 < m ==> \result >= 0 && \result == u(x) / m;
      @ ensures m == 1 ==> \result == x;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long udiv(long x, long m) {
        if (x >= 0) {
            ArithLemmas.remAtMost(x, m); // lemmas, no code: 0 <= x / m
            ArithLemmas.divAtMost(x, m); // and x / m <= x
            return x / m;
        }
        if (m == 1) {
            return x; // the bits of u(x): no non-negative long holds it
        }
        // u(x) = (x + 2^63) + 2 * 2^62 and m divides 2^62.
        long a = x + TOP;
        ArithLemmas.remAtMost(a, m); // lemmas, no code: 0 <= a / m,
        ArithLemmas.divHalf(a, m); // 2 * (a / m) <= a (so the sum below stays under 2^63),
        ArithLemmas.divShift(a, m, 2 * (MAX_POW2 / m)); // and the quotient of u(x) = a + 2 * 2^62
        return a / m + 2 * (MAX_POW2 / m);
    }

    /** 2^61, the largest divisor {@link #udivAny} accepts. */
    public static final long MAX_DIVISOR = 2305843009213693952L;

    /**
     * C's {@code x / m} on an unsigned long for any divisor up to 2^61 (the {@code TASK_SIZE / 3}
     * and {@code / 6} of arch/x86/mm/mmap.c and mm/util.c). For {@code x} below 2^63 it is Java's
     * division; above, {@code u(x) = a + 2 * 2^62} with {@code a = x + 2^63}, and the quotient is
     * assembled from the parts' quotients and remainders (which stay below {@code 3m}, no overflow).
     * A divisor of at least 2: by 1 the quotient of a value above 2^63 is no non-negative long, so the
     * first form of this contract, which allowed 1, was false there. The contract names the two
     * divisors the callers use, 3 and 6: with a constant divisor the quotients are atoms of linear
     * facts and KeY closes the reassembly, which it left open for a symbolic one (issue 26); the
     * code is the same for every divisor, and {@code ArithProperties} checks it for any up to
     * {@link #MAX_DIVISOR}.
     */
    /*@ public normal_behavior
      @ requires m == 3 || m == 6;
      @ ensures \result >= 0 && \result == u(x) / m;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long udivAny(long x, long m) {
        if (x >= 0) {
            return x / m;
        }
        long a = x + TOP;
        return a / m + 2 * (MAX_POW2 / m) + (a % m + 2 * (MAX_POW2 % m)) / m;
    }

    /**
     * {@code x >> log2(m)} on a signed long ({@code loff_t}): arithmetic shift, i.e. floor division.
     */
    /*@ public normal_behavior
      @ requires 0 < m && m <= MAX_POW2;
      @ ensures (\bigint) \result * m <= x && x < ((\bigint) \result + 1) * m;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long asr(long x, long m) {
        if (x >= 0) {
            ArithLemmas.divMod(x, m); // lemmas, no code: x = m * (x / m) + x % m,
            ArithLemmas.remAtMost(x, m); // and 0 <= x / m <= x, so the quotient does not wrap
            ArithLemmas.divAtMost(x, m);
            return x / m;
        }
        long y = -(x + 1);
        ArithLemmas.divMod(y, m); // the same for -(x + 1), which is not negative
        ArithLemmas.remAtMost(y, m);
        ArithLemmas.divAtMost(y, m);
        return -(y / m) - 1;
    }
}
