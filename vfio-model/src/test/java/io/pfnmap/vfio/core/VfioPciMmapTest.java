package io.pfnmap.vfio.core;

import static io.pfnmap.vfio.core.VfioPciMmap.EINVAL;
import static io.pfnmap.vfio.core.VfioPciMmap.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.core.Arith;
import org.junit.jupiter.api.Test;

class VfioPciMmapTest {
    private static final long K4 = 4096;
    private static final long M2 = 2L << 20;
    private static final long G1 = 1L << 30;
    private static final long START = 0x7f00_0000_0000L;

    /** A BAR check with the usual defaults: shared, index BAR0, no device-specific regions. */
    private static long bar(long index, long len, long within, long barLen, boolean supported) {
        return VfioPciMmap.check(index, 0, START, START + len, true, false, supported, Arith.alignUp(barLen, K4), within);
    }

    @Test
    void errnoValues() {
        assertEquals(0, OK);
        assertEquals(-22, EINVAL);
    }

    @Test
    void wholeBarMaps() {
        assertEquals(OK, bar(VfioPciOffset.BAR0, G1, 0, G1, true));
        assertEquals(OK, bar(VfioPciOffset.BAR5, M2, G1 - M2, G1, true));
    }

    @Test
    void check1IndexBeyondRegions() {
        assertEquals(EINVAL, VfioPciMmap.check(9, 0, START, START + K4, true, true, true, K4, 0));
        assertEquals(OK, VfioPciMmap.check(9, 1, START, START + K4, true, true, true, K4, 0));
        assertEquals(EINVAL, VfioPciMmap.check(10, 1, START, START + K4, true, true, true, K4, 0));
    }

    @Test
    void check2EndBelowStartUnsigned() {
        assertEquals(EINVAL, VfioPciMmap.check(0, 0, START, START - K4, true, false, true, G1, 0));
        // vm_start in the top half (negative as a Java long) is still below a larger vm_end.
        assertEquals(EINVAL, VfioPciMmap.check(0, 0, -K4, K4, true, false, true, G1, 0));
        // An empty VMA passes every check.
        assertEquals(OK, VfioPciMmap.check(0, 0, START, START, true, false, true, G1, 0));
    }

    @Test
    void check3MustBeShared() {
        assertEquals(EINVAL, VfioPciMmap.check(0, 0, START, START + K4, false, false, true, G1, 0));
        // Even a device region with its own mmap is refused before it is asked.
        assertEquals(EINVAL, VfioPciMmap.check(9, 1, START, START + K4, false, true, false, 0, 0));
    }

    @Test
    void check4DeviceRegionsUseTheirOwnMmap() {
        assertEquals(OK, VfioPciMmap.check(9, 2, START, START + K4, true, true, false, 0, 0));
        assertEquals(EINVAL, VfioPciMmap.check(10, 2, START, START + K4, true, false, true, G1, 0));
        // The BAR length check does not apply to them.
        assertEquals(OK, VfioPciMmap.check(10, 2, START, START + G1, true, true, false, 0, 0));
    }

    @Test
    void check5RomConfigVgaNeverMap() {
        for (long index = VfioPciOffset.ROM; index <= VfioPciOffset.VGA; index++) {
            assertEquals(EINVAL, VfioPciMmap.check(index, 0, START, START + K4, true, true, true, G1, 0),
                    "index " + index);
        }
    }

    @Test
    void check6BarWithoutMmapSupport() {
        assertEquals(EINVAL, bar(VfioPciOffset.BAR2, K4, 0, G1, false));
    }

    @Test
    void check7RequestMustFitPageAlignedBar() {
        assertEquals(OK, bar(0, M2, G1 - M2, G1, true));
        assertEquals(EINVAL, bar(0, M2 + K4, G1 - M2, G1, true));
        assertEquals(EINVAL, bar(0, K4, G1, G1, true));
        // A sub-page BAR is mapped as its whole page: PAGE_ALIGN(256) = 4096.
        assertEquals(OK, bar(0, K4, 0, 256, true));
        assertEquals(EINVAL, bar(0, 2 * K4, 0, 256, true));
    }

    @Test
    void check7HasNoOverflowCheck() {
        // req_start + req_len wraps past 2^64 and then fits: the kernel has no separate check.
        long vmStart = 0;
        long vmEnd = -K4; // 2^64 - 4096
        assertTrue(VfioPciMmap.requestFitsBar(2 * K4, vmStart, vmEnd, G1)); // phys_len: G1 is page-aligned
        assertEquals(OK, VfioPciMmap.check(0, 0, vmStart, vmEnd, true, false, true, G1, 2 * K4));
        assertFalse(VfioPciMmap.requestFitsBar(0, vmStart, vmEnd, G1));
    }

    @Test
    void fromPgoff() {
        long[] sizes = new long[10];
        boolean[] mmap = new boolean[10];
        sizes[VfioPciOffset.BAR0] = 16 * M2;
        mmap[VfioPciOffset.BAR0] = true;
        sizes[VfioPciOffset.BAR2] = 4 * K4;
        sizes[9] = K4;
        mmap[9] = true;
        long bar0 = VfioPciOffset.indexToPgoff(VfioPciOffset.BAR0, K4);
        long bar2 = VfioPciOffset.indexToPgoff(VfioPciOffset.BAR2, K4);
        long dev9 = VfioPciOffset.indexToPgoff(9, K4);
        long dev10 = VfioPciOffset.indexToPgoff(10, K4);
        assertEquals(OK, VfioPciMmap.vfioPciCoreMmap(bar0, K4, START, START + 16 * M2, true, sizes, mmap));
        assertEquals(OK, VfioPciMmap.vfioPciCoreMmap(bar0 + 512, K4, START, START + 15 * M2, true, sizes, mmap));
        assertEquals(EINVAL, VfioPciMmap.vfioPciCoreMmap(bar0 + 513, K4, START, START + 15 * M2, true, sizes, mmap));
        assertEquals(EINVAL, VfioPciMmap.vfioPciCoreMmap(bar2, K4, START, START + K4, true, sizes, mmap));
        assertEquals(OK, VfioPciMmap.vfioPciCoreMmap(dev9, K4, START, START + K4, true, sizes, mmap));
        assertEquals(EINVAL, VfioPciMmap.vfioPciCoreMmap(dev10, K4, START, START + K4, true, sizes, mmap));
        assertEquals(EINVAL, VfioPciMmap.vfioPciCoreMmap(-1L, K4, START, START + K4, true, sizes, mmap));
    }
}
