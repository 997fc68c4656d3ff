package io.pfnmap.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pfnmap.mm.InvalidInputException;
import io.pfnmap.mm.core.Errno;
import io.pfnmap.vfio.core.VfioPciOffset;
import org.junit.jupiter.api.Test;

class VfioMmapCheckTest {
    private static final long K4 = 4096;
    private static final long M2 = 2L << 20;
    private static final long G1 = 1L << 30;
    private static final long START = 0x7f00_0000_0000L;

    /** A GPU-like device: a 16 MiB BAR0, a 2 GiB prefetchable BAR1 (64-bit, so BAR2 is its upper half),
     *  an I/O BAR4 that cannot be mmapped, ROM, config, and one device-specific mmap-able region. */
    private static final VfioDevice GPU = VfioDevice.of(
            VfioRegion.bar(VfioPciOffset.BAR0, 16 << 20, true),
            VfioRegion.bar(VfioPciOffset.BAR1, 2 * G1, true),
            VfioRegion.bar(VfioPciOffset.BAR4, 128, false),
            new VfioRegion(VfioPciOffset.ROM, 512 << 10, false),
            new VfioRegion(VfioPciOffset.CONFIG, 4096, false),
            new VfioRegion(9, 64 * K4, true));

    private static long pgoff(int index, long byteOffset) {
        return VfioPciOffset.indexToPgoff(index, K4) + byteOffset / K4;
    }

    @Test
    void wholeBarsMap() {
        assertEquals(0, VfioMmapCheck.check(GPU, pgoff(0, 0), START, START + (16 << 20), true));
        assertEquals(0, VfioMmapCheck.check(GPU, pgoff(1, 0), START, START + 2 * G1, true));
    }

    @Test
    void partOfABarMaps() {
        assertEquals(0, VfioMmapCheck.check(GPU, pgoff(1, G1), START, START + G1, true));
        assertEquals(Errno.EINVAL, VfioMmapCheck.check(GPU, pgoff(1, G1 + K4), START, START + G1, true));
    }

    @Test
    void refusals() {
        // Private mapping.
        assertEquals(Errno.EINVAL, VfioMmapCheck.check(GPU, pgoff(0, 0), START, START + M2, false));
        // Absent BAR, BAR without mmap support, ROM, config, VGA.
        assertEquals(Errno.EINVAL, VfioMmapCheck.check(GPU, pgoff(2, 0), START, START + K4, true));
        assertEquals(Errno.EINVAL, VfioMmapCheck.check(GPU, pgoff(4, 0), START, START + K4, true));
        for (int index = VfioPciOffset.ROM; index <= VfioPciOffset.VGA; index++) {
            assertEquals(Errno.EINVAL, VfioMmapCheck.check(GPU, pgoff(index, 0), START, START + K4, true));
        }
        // Beyond the last device-specific region.
        assertEquals(Errno.EINVAL, VfioMmapCheck.check(GPU, pgoff(10, 0), START, START + K4, true));
        // vm_end below vm_start.
        assertEquals(Errno.EINVAL, VfioMmapCheck.check(GPU, pgoff(0, 0), START, START - K4, true));
    }

    @Test
    void deviceRegionIsHandedToItsOwnMmap() {
        // Its own mmap decides the length: the BAR length check does not apply.
        assertEquals(0, VfioMmapCheck.check(GPU, pgoff(9, 0), START, START + G1, true));
    }

    @Test
    void otherPageSizes() {
        long k64 = 64 * 1024;
        long pg = VfioPciOffset.indexToPgoff(VfioPciOffset.BAR0, k64) + 255;
        assertEquals(0, VfioMmapCheck.check(GPU, k64, pg, START, START + k64, true));
        assertEquals(Errno.EINVAL, VfioMmapCheck.check(GPU, k64, pg + 1, START, START + k64, true));
        // The sub-page I/O-sized BAR4 would still need mmap support.
        assertEquals(Errno.EINVAL, VfioMmapCheck.check(GPU, k64, VfioPciOffset.indexToPgoff(4, k64), START,
                START + k64, true));
    }

    @Test
    void badInput() {
        assertEquals("pageSize", assertThrows(InvalidInputException.class,
                () -> VfioMmapCheck.check(GPU, 3000, 0, START, START + K4, true)).field());
        assertEquals("pageSize", assertThrows(InvalidInputException.class,
                () -> VfioMmapCheck.check(GPU, Long.MIN_VALUE, 0, START, START + K4, true)).field());
        // A 2^40-byte page would make the region index vm_pgoff itself (no shift): no kernel has
        // one, and the index of a pgoff at or above 2^63 went negative (an array index error before).
        assertEquals("pageSize", assertThrows(InvalidInputException.class,
                () -> VfioMmapCheck.check(GPU, 1L << 40, -1, START, START + K4, true)).field());
        assertEquals("device", assertThrows(InvalidInputException.class,
                () -> VfioMmapCheck.check(null, 0, START, START + K4, true)).field());
    }
}
