package io.pfnmap.vfio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VfioPciOffsetTest {
    private static final long K4 = 4096;
    private static final long K64 = 65536;

    @Test
    void constantsAreTheKernels() {
        assertEquals(40, VfioPciOffset.OFFSET_SHIFT);
        assertEquals(1L << 40, VfioPciOffset.OFFSET_SIZE);
        assertEquals(0xFF_FFFF_FFFFL, VfioPciOffset.OFFSET_MASK);
        assertEquals(1L << 24, VfioPciOffset.INDEX_LIMIT);
        int[] expected = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        int[] actual = {VfioPciOffset.BAR0, VfioPciOffset.BAR1, VfioPciOffset.BAR2, VfioPciOffset.BAR3,
            VfioPciOffset.BAR4, VfioPciOffset.BAR5, VfioPciOffset.ROM, VfioPciOffset.CONFIG, VfioPciOffset.VGA,
            VfioPciOffset.NUM_REGIONS};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], "constant #" + i);
        }
    }

    @Test
    void byteOffsetsDecode() {
        assertEquals(0, VfioPciOffset.offsetToIndex(0));
        assertEquals(0, VfioPciOffset.offsetToIndex((1L << 40) - 1));
        assertEquals(1, VfioPciOffset.offsetToIndex(1L << 40));
        assertEquals(2, VfioPciOffset.offsetToIndex(0x200_0000_1000L));
        assertEquals(0x1000, VfioPciOffset.offsetWithin(0x200_0000_1000L));
        assertEquals((1L << 40) - 1, VfioPciOffset.offsetWithin(-1L));
        // Unsigned: the top offset is in the last region, not a negative one.
        assertEquals((1L << 24) - 1, VfioPciOffset.offsetToIndex(-1L));
        assertEquals(1L << 23, VfioPciOffset.offsetToIndex(Long.MIN_VALUE));
    }

    @Test
    void regionBaseOffsets() {
        assertEquals(0, VfioPciOffset.indexToOffset(VfioPciOffset.BAR0));
        assertEquals(0x600_0000_0000L, VfioPciOffset.indexToOffset(VfioPciOffset.ROM));
        assertEquals(0x900_0000_0000L, VfioPciOffset.indexToOffset(VfioPciOffset.NUM_REGIONS));
        assertEquals(Long.MIN_VALUE, VfioPciOffset.indexToOffset(1L << 23));
        assertEquals(-(1L << 40), VfioPciOffset.indexToOffset((1L << 24) - 1));
    }

    @Test
    void pageOffsetsDecodeWith4K() {
        // 4 KiB pages: index = pgoff >> 28, within = (pgoff & (2^28 - 1)) << 12.
        assertEquals(0, VfioPciOffset.pgoffToIndex((1L << 28) - 1, K4));
        assertEquals(1, VfioPciOffset.pgoffToIndex(1L << 28, K4));
        assertEquals(VfioPciOffset.BAR2, VfioPciOffset.pgoffToIndex((2L << 28) + 5, K4));
        assertEquals(5 * K4, VfioPciOffset.pgoffWithin((2L << 28) + 5, K4));
        assertEquals((1L << 40) - K4, VfioPciOffset.pgoffWithin(-1L, K4));
        assertEquals(2L << 28, VfioPciOffset.indexToPgoff(2, K4));
    }

    @Test
    void pageOffsetsDecodeWith64K() {
        // 64 KiB pages: index = pgoff >> 24.
        assertEquals(3, VfioPciOffset.pgoffToIndex((3L << 24) + 7, K64));
        assertEquals(7 * K64, VfioPciOffset.pgoffWithin((3L << 24) + 7, K64));
        assertEquals(3L << 24, VfioPciOffset.indexToPgoff(3, K64));
    }

    @Test
    void pgoffAndByteOffsetAgree() {
        long[] pgoffs = {0, 1, (1L << 28) - 1, 1L << 28, (9L << 28) + 12345, (1L << 52) - 1};
        for (long pgoff : pgoffs) {
            long off = pgoff * K4;
            assertEquals(VfioPciOffset.offsetToIndex(off), VfioPciOffset.pgoffToIndex(pgoff, K4), "pgoff " + pgoff);
            assertEquals(VfioPciOffset.offsetWithin(off), VfioPciOffset.pgoffWithin(pgoff, K4), "pgoff " + pgoff);
        }
    }

    @Test
    void regionKinds() {
        assertTrue(VfioPciOffset.isBar(0));
        assertTrue(VfioPciOffset.isBar(5));
        assertFalse(VfioPciOffset.isBar(6));
        assertFalse(VfioPciOffset.isBar(-1));
        assertFalse(VfioPciOffset.isDeviceRegion(8));
        assertTrue(VfioPciOffset.isDeviceRegion(9));
    }
}
