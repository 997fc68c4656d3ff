package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.Errno;
import io.pfnmap.mm.core.MapFlags;
import java.util.function.LongBinaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Arith's unsigned division for any divisor against Java's own unsigned division, and the
 * remainder forms of the search's congruence steps against the kernel's mask forms.
 */
class ArithProperties {

    /** The statement: {@code op(x, m)} is C's unsigned {@code x / m}. */
    static boolean isUnsignedQuotient(LongBinaryOperator op, long x, long m) {
        return op.applyAsLong(x, m) == Long.divideUnsigned(x, m);
    }

    @Provide
    Arbitrary<Long> u64() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE,
                Long.MIN_VALUE + 1, 0xfffffffffffff000L, 0x7ffffffff000L, 0xfffffffffff000L));
    }

    @Provide
    Arbitrary<Long> divisor() {
        return Arbitraries.oneOf(Arbitraries.longs().between(2, Arith.MAX_DIVISOR),
                Arbitraries.of(2L, 3L, 4L, 5L, 6L, 7L, 4096L, 1L << 30, Arith.MAX_DIVISOR, Arith.MAX_DIVISOR - 1));
    }

    @Property(tries = 5000)
    void udivAnyIsUnsignedDivision(@ForAll("u64") long x, @ForAll("divisor") long m) {
        assertTrue(isUnsignedQuotient(Arith::udivAny, x, m), () -> Long.toHexString(x) + " / " + m);
    }

    /** Seeded wrong variant: the power-of-two udiv used with 3 (what Layout did) is rejected. */
    @Test
    void powerOfTwoDivisionWithThreeIsRejected() {
        long x = 0xfffffffffffff000L;
        assertTrue(!isUnsignedQuotient(Arith::udiv, x, 3), "udiv(x, 3) should differ from x / 3 for x >= 2^63");
        assertEquals(Long.divideUnsigned(x, 3), Arith.udivAny(x, 3));
    }

    /** udiv is C's unsigned {@code x / m} (as bits) for every power of two, 1 included. */
    @Property(tries = 5000)
    void udivIsUnsignedDivisionByPowersOfTwo(@ForAll("u64") long x, @ForAll("pow2") long m) {
        assertTrue(isUnsignedQuotient(Arith::udiv, x, m), () -> Long.toHexString(x) + " / " + m);
    }

    /** MapFlags.has is the kernel's {@code flags & bit} for every bit and every u64 flags word. */
    @Property(tries = 5000)
    void hasIsTheMaskTest(@ForAll("u64") long flags, @ForAll("pow2") long bit) {
        assertEquals((flags & bit) != 0, MapFlags.has(flags, bit), () -> Long.toHexString(flags) + " & " + bit);
    }

    /**
     * Seeded wrong variant: has() as it was, Java's {@code %} on the quotient, misses bit 0 (MAP_SHARED)
     * of a flags word with bit 63 set, since the quotient by 1 is then negative; the mask test
     * above rejects it on that word, and has() now answers it.
     */
    @Test
    void javaRemainderOnTheQuotientIsRejected() {
        long flags = Long.MIN_VALUE | MapFlags.MAP_SHARED;
        boolean old = Arith.udiv(flags, MapFlags.MAP_SHARED) % 2 == 1;
        assertTrue(old != ((flags & MapFlags.MAP_SHARED) != 0), "the old form should get MAP_SHARED wrong here");
        assertTrue(MapFlags.has(flags, MapFlags.MAP_SHARED));
    }

    /** The kernel's {@code x + ((off - x) & (m - 1))} (unmapped_area), masks and wrap-around. */
    static long kernelAlignUp(long x, long off, long m) {
        return x + ((off - x) & (m - 1));
    }

    /** The kernel's {@code x - ((x - off) & (m - 1))} (unmapped_area_topdown). */
    static long kernelAlignDown(long x, long off, long m) {
        return x - ((x - off) & (m - 1));
    }

    @Provide
    Arbitrary<Long> pow2() {
        return Arbitraries.integers().between(0, 62).map(k -> 1L << k);
    }

    /**
     * remU, remUBounded, remURange, alignDown and alignUp (the proved forms: remainders and a branch) against the kernel's
     * {@code x & (m - 1)}, {@code x & ~(m - 1)} and {@code (x + m - 1) & ~(m - 1)}, wrap included.
     */
    @Property(tries = 5000)
    void roundingIsTheMaskForm(@ForAll("u64") long x, @ForAll("pow2") long m) {
        assertEquals(x & (m - 1), Arith.remU(x, m), () -> "remU " + Long.toHexString(x) + " " + m);
        assertEquals(x & (m - 1), Arith.remUBounded(x, m), () -> "remUBounded " + Long.toHexString(x) + " " + m);
        assertEquals(x & (m - 1), Arith.remURange(x, m), () -> "remURange " + Long.toHexString(x) + " " + m);
        assertEquals(x & ~(m - 1), Arith.alignDown(x, m), () -> "alignDown " + Long.toHexString(x) + " " + m);
        assertEquals((x + m - 1) & ~(m - 1), Arith.alignUp(x, m), () -> "alignUp " + Long.toHexString(x) + " " + m);
    }

    /** asr is the kernel's arithmetic shift {@code x >> log2(m)} on a signed offset. */
    @Property(tries = 5000)
    void asrIsTheArithmeticShift(@ForAll("u64") long x, @ForAll("pow2") long m) {
        assertEquals(x >> Long.numberOfTrailingZeros(m), Arith.asr(x, m), () -> "asr " + Long.toHexString(x) + " " + m);
    }

    @Property(tries = 5000)
    void alignUpOffsetIsTheMaskForm(@ForAll("u64") long x, @ForAll("u64") long off, @ForAll("pow2") long m) {
        assertEquals(kernelAlignUp(x, off, m), Arith.alignUpOffset(x, off, m),
                () -> Long.toHexString(x) + " " + Long.toHexString(off) + " " + m);
    }

    @Property(tries = 5000)
    void alignDownOffsetIsTheMaskForm(@ForAll("u64") long x, @ForAll("u64") long off, @ForAll("pow2") long m) {
        assertEquals(kernelAlignDown(x, off, m), Arith.alignDownOffset(x, off, m),
                () -> Long.toHexString(x) + " " + Long.toHexString(off) + " " + m);
    }

    /** Seeded wrong variant: the remainder form without the borrow ({@code d += m}) is rejected. */
    @Test
    void remainderFormWithoutBorrowIsRejected() {
        long x = 0x3000, off = 0, m = 0x2000;
        long noBorrow = x + (Arith.remU(off, m) - x % m);
        assertTrue(noBorrow != kernelAlignUp(x, off, m), "the borrow-less form should differ here");
        assertEquals(kernelAlignUp(x, off, m), Arith.alignUpOffset(x, off, m));
    }

    /** The searches return {@code Errno.ENOMEM_VALUE} as a constant: it is {@code err(ENOMEM)}, -ENOMEM as u64. */
    @Test
    void enomemValueIsErrOfEnomem() {
        assertEquals(Errno.err(Errno.ENOMEM), Errno.ENOMEM_VALUE);
        assertEquals(0xfffffffffffffff4L, Errno.ENOMEM_VALUE);
    }
}
