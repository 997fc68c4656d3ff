package io.pfnmap.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VfioDeviceTest {
    private static final long G1 = 1L << 30;

    @Test
    void regionsAreHeldSortedAndImmutable() {
        List<VfioRegion> in = new ArrayList<>(List.of(new VfioRegion(9, 4096, true), VfioRegion.bar(2, G1, true),
                new VfioRegion(7, 4096, false), VfioRegion.bar(0, 1 << 20, true)));
        VfioDevice d = new VfioDevice(in);
        in.clear();
        assertEquals(List.of(0, 2, 7, 9), d.regions().stream().map(VfioRegion::index).toList());
        assertThrows(UnsupportedOperationException.class, () -> d.regions().add(VfioRegion.bar(1, 4096, true)));
        assertEquals(1, d.numRegions());
        assertEquals(G1, d.region(2).orElseThrow().size());
        assertTrue(d.region(1).isEmpty());
        assertTrue(d.region(0).orElseThrow().isBar());
        assertFalse(d.region(9).orElseThrow().isBar());
    }

    @Test
    void barSizeMustBeAPowerOfTwo() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> VfioRegion.bar(0, 3 * G1, true));
        assertEquals("size", e.field());
        assertTrue(e.rule().contains("power of two"), e.rule());
        assertThrows(InvalidInputException.class, () -> VfioRegion.bar(1, 0, false));
        assertThrows(InvalidInputException.class, () -> new VfioRegion(5, Long.MIN_VALUE, true));
        // Non-BAR regions need not be powers of two (VGA is 128 KiB + ..., config 256 or 4096).
        assertEquals(0xc0000 - 0xa0000 + 1, new VfioRegion(8, 0xc0000 - 0xa0000 + 1, false).size());
        InvalidInputException neg = assertThrows(InvalidInputException.class, () -> new VfioRegion(7, -1, false));
        assertEquals("size", neg.field());
    }

    @Test
    void indexMustBeInRange() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new VfioRegion(-1, 4096, false));
        assertEquals("index", e.field());
        assertThrows(InvalidInputException.class, () -> new VfioRegion(1 << 24, 4096, false));
        InvalidInputException bar = assertThrows(InvalidInputException.class, () -> VfioRegion.bar(6, 4096, true));
        assertEquals("index", bar.field());
    }

    @Test
    void duplicatesAreRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> VfioDevice.of(VfioRegion.bar(2, G1, true), VfioRegion.bar(2, 4096, false)));
        assertEquals("regions", e.field());
        assertTrue(e.rule().contains("duplicate"), e.rule());
    }

    @Test
    void deviceRegionsHaveNoGaps() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> VfioDevice.of(new VfioRegion(9, 4096, true), new VfioRegion(11, 4096, true)));
        assertEquals("regions", e.field());
        assertThrows(InvalidInputException.class, () -> VfioDevice.of(new VfioRegion(10, 4096, true)));
        assertEquals(2, VfioDevice.of(new VfioRegion(10, 1, true), new VfioRegion(9, 1, true)).numRegions());
    }

    @Test
    void nullsAreRefused() {
        assertEquals("regions", assertThrows(InvalidInputException.class,
                () -> new VfioDevice(null)).field());
        assertEquals("regions", assertThrows(InvalidInputException.class,
                () -> VfioDevice.of(VfioRegion.bar(0, 4096, true), null)).field());
    }
}
