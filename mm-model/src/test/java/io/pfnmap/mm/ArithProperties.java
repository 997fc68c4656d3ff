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

    /**
     * The align masks the kernel passes: {@code hi - lo} for powers of two {@code lo <= hi <= 2^62}
     * (2^k - 1 has lo = 1, hugetlb's and AMD F15h's (2^k - 1) & PAGE_MASK have lo = PAGE_SIZE),
     * as {@code {mask, lo}}.
     */
    @Provide
    Arbitrary<long[]> masks() {
        return Arbitraries.integers().between(0, 62).flatMap(h -> Arbitraries.integers().between(0, h)
                .map(l -> new long[] {(1L << h) - (1L << l), 1L << l}));
    }

    /** The kernel's {@code x + ((off - x) & mask)} (unmapped_area) for any mask. */
    static long kernelAlignUpMask(long x, long off, long mask) {
        return x + ((off - x) & mask);
    }

    /** The kernel's {@code x - ((x - off) & mask)} (unmapped_area_topdown) for any mask. */
    static long kernelAlignDownMask(long x, long off, long mask) {
        return x - ((x - off) & mask);
    }

    /** alignUpMask and alignDownMask (remainders in units of the mask's lowest bit) are the kernel's {@code &}, wrap included. */
    @Property(tries = 5000)
    void alignMaskIsTheKernelsAnd(@ForAll("u64") long x, @ForAll("u64") long off, @ForAll("masks") long[] m) {
        assertEquals(kernelAlignUpMask(x, off, m[0]), Arith.alignUpMask(x, off, m[0], m[1]),
                () -> "up " + Long.toHexString(x) + " " + Long.toHexString(off) + " " + Long.toHexString(m[0]));
        assertEquals(kernelAlignDownMask(x, off, m[0]), Arith.alignDownMask(x, off, m[0], m[1]),
                () -> "down " + Long.toHexString(x) + " " + Long.toHexString(off) + " " + Long.toHexString(m[0]));
    }

    /** The same with page-aligned values, the searches' usual case, where congruence holds modulo hi. */
    @Property(tries = 3000)
    void pageAlignedValuesAreCongruentModuloHi(@ForAll("u64") long x0, @ForAll("u64") long off0,
            @ForAll("masks") long[] m) {
        long x = (x0 >>> 2) & -m[1], off = off0 & -m[1]; // below 2^62, multiples of lo
        long hi = m[0] + m[1];
        long up = Arith.alignUpMask(x, off, m[0], m[1]), down = Arith.alignDownMask(x, off, m[0], m[1]);
        assertEquals(kernelAlignUpMask(x, off, m[0]), up);
        assertEquals(0, (up - off) & (hi - 1), () -> "up " + Long.toHexString(up));
        assertTrue(up - x >= 0 && up - x <= m[0]);
        assertEquals(0, (down - off) & (hi - 1), () -> "down " + Long.toHexString(down));
        assertTrue(x - down >= 0 && x - down <= m[0]);
    }

    /**
     * FirstFit's per-mask tries (each closed in KeY with its {@code %} formula) are the kernel's
     * {@code &} forms on page-aligned values in their domain: bottom-up {@code x + ((off - x) &
     * mask)}, top-down {@code y - ((y - off) & mask)} with {@code y = gap_end - length}, for the
     * masks 0, 2 MiB - 1, 1 GiB - 1, 0x1ff000 and 0x3ffff000; and alignDownMask keeps the part of
     * {@code y} below {@code lo} (its new post) on any value.
     */
    @Property(tries = 3000)
    void firstFitTriesAreTheKernelsAnd(@ForAll("u64") long a0, @ForAll("u64") long b0, @ForAll("u64") long off0,
            @ForAll("masks") long[] m) {
        long off = off0 & ~0xfffL;
        long x = (a0 >>> 3) & ~0xfffL; // below 2^61: x + 1 GiB stays below 2^63
        long len = (b0 >>> 3) & ~0xfffL;
        long gapEnd = Math.max(x, len) + (1L << 30), infoLength = Math.min(x, len); // y = gapEnd - infoLength >= 1 GiB
        long y = gapEnd - infoLength;
        assertEquals(x, io.pfnmap.mm.core.FirstFit.alignedUpMask0(x, 0, 0, off, 4096));
        assertEquals(y, io.pfnmap.mm.core.FirstFit.alignedDownMask0(gapEnd, infoLength, off, 4096));
        assertEquals(kernelAlignUpMask(x, off, 0x1fffffL), io.pfnmap.mm.core.FirstFit.alignedUpMask2M(x, off));
        assertEquals(kernelAlignUpMask(x, off, 0x3fffffffL), io.pfnmap.mm.core.FirstFit.alignedUpMask1G(x, off));
        assertEquals(kernelAlignUpMask(x, off, 0x1ff000L), io.pfnmap.mm.core.FirstFit.alignedUpMaskHugetlb2M(x, off));
        assertEquals(kernelAlignUpMask(x, off, 0x3ffff000L), io.pfnmap.mm.core.FirstFit.alignedUpMaskHugetlb1G(x, off));
        assertEquals(kernelAlignDownMask(y, off, 0x1fffffL),
                io.pfnmap.mm.core.FirstFit.alignedDownMask2M(gapEnd, infoLength, off));
        assertEquals(kernelAlignDownMask(y, off, 0x3fffffffL),
                io.pfnmap.mm.core.FirstFit.alignedDownMask1G(gapEnd, infoLength, off));
        assertEquals(kernelAlignDownMask(y, off, 0x1ff000L),
                io.pfnmap.mm.core.FirstFit.alignedDownMaskHugetlb2M(gapEnd, infoLength, off));
        assertEquals(kernelAlignDownMask(y, off, 0x3ffff000L),
                io.pfnmap.mm.core.FirstFit.alignedDownMaskHugetlb1G(gapEnd, infoLength, off));
        long z = a0 >>> 1, down = Arith.alignDownMask(z, off0, m[0], m[1]);
        assertTrue(down < 0 || down % m[1] == z % m[1], () -> "down " + Long.toHexString(down) + " of " + Long.toHexString(z));
    }

    /**
     * The worked case (research note docs/notes/hugetlb-shmem-facts.md 1.3): a gap at
     * 0x10001000 raised with the 2 MiB hugetlb mask 0x1ff000 lands on 0x10200000; a gap start off
     * the page keeps its low bits (4097 gives 0x1ff001, which __get_unmapped_area then refuses).
     */
    @Test
    void hugetlbMaskCases() {
        assertEquals(0x10200000L, Arith.alignUpMask(0x10001000L, 0, 0x1ff000L, 0x1000));
        assertEquals(0x1ff001L, Arith.alignUpMask(4097, 0, 0x1ff000L, 0x1000));
        // AMD F15h: mask 0x7000, offset pgoff << 12 plus the boot's random bits: bits 12-14 follow the offset
        assertEquals(0x3000L, Arith.alignUpMask(0x7f0000001000L, 0x3000, 0x7000L, 0x1000) & 0x7000L);
        assertEquals(0x3000L, Arith.alignDownMask(0x7f0000001000L, 0x3000, 0x7000L, 0x1000) & 0x7000L);
    }

    /** Seeded wrong variant: the step without the borrow of the parts below lo is rejected. */
    @Test
    void stepWithoutBorrowIsRejected() {
        long x = 4097, off = 0, mask = 0x1ff000L, lo = 0x1000;
        long noBorrow = x + lo * Arith.unitsUp(x / lo, 0, Arith.remU(off, mask + lo) / lo, 0, (mask + lo) / lo);
        assertTrue(noBorrow != kernelAlignUpMask(x, off, mask), "the borrow-less step should differ here");
        assertEquals(kernelAlignUpMask(x, off, mask), Arith.alignUpMask(x, off, mask, lo));
    }

    /** Seeded wrong variant: widening the hugetlb mask to 2^k - 1 (the old domain) changes the answer. */
    @Test
    void widenedMaskIsRejected() {
        assertTrue(kernelAlignUpMask(4097, 0, 0x1fffffL) != Arith.alignUpMask(4097, 0, 0x1ff000L, 0x1000));
    }

    /** The searches return {@code Errno.ENOMEM_VALUE} as a constant: it is {@code err(ENOMEM)}, -ENOMEM as u64. */
    @Test
    void enomemValueIsErrOfEnomem() {
        assertEquals(Errno.err(Errno.ENOMEM), Errno.ENOMEM_VALUE);
        assertEquals(0xfffffffffffffff4L, Errno.ENOMEM_VALUE);
    }
}
