package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.core.Arith;
import java.util.function.LongBinaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Arith's unsigned division for any divisor against Java's own unsigned division. */
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
        return Arbitraries.oneOf(Arbitraries.longs().between(1, Arith.MAX_DIVISOR),
                Arbitraries.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 4096L, 1L << 30, Arith.MAX_DIVISOR, Arith.MAX_DIVISOR - 1));
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
}
