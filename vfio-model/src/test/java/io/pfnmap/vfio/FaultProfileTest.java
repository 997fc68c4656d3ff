package io.pfnmap.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.core.MapFlags;
import org.junit.jupiter.api.Test;

/**
 * The worked example of issue 24 (docs/oracle.md, "Fault profiles"): a 2 GiB BAR mapped whole
 * takes 524,288 4 KiB faults without alignment, 1,024 PMD faults with PMD alignment, and 2 with
 * PUD leaves (the figures VFIO users report, for example Alex Williamson's "1,024 PMD faults per
 * 2 GiB"), here through the designs that give each, with the handler calls they make.
 */
class FaultProfileTest {
    private static final long G = 1L << 30;
    private static final ArchConfig X86 = Arch.X86_64.config();
    private static final AddressSpace EMPTY = Compare.empty(Compare.mmFor(X86));
    private static final VfioDevice DEV = VfioDevice.of(VfioRegion.bar(1, 2 * G, true));
    private static final MmapRequest WHOLE = MmapRequest.file(FileKind.PLAIN_DEVICE, 0, 2 * G, 1L << 28,
            MapFlags.MAP_SHARED);

    private static FaultProfile profile(VfioPolicy p) {
        return VfioMapping.outcome(EMPTY, X86, DEV, p, WHOLE, true).profile();
    }

    @Test
    void withoutAlignmentEveryFaultIsAPage() {
        FaultProfile none = profile(VfioPolicy.NONE);
        assertEquals(524_288L, none.faults());
        assertEquals(524_288L, none.leaves().get(4096L));
        assertEquals(524_288L, none.hugeFaultCalls().get(0), "order 0: vfio_pci_mmap_page_fault, once a page");
        // the huge orders are offered (at least once per 2 MiB, once per 1 GiB) and all fall back
        assertTrue(none.hugeFaultCalls().get(9) >= 1_024L);
        assertTrue(none.hugeFaultCalls().get(18) >= 2L);
        assertEquals(0L, none.leaves().get(2L << 20));
        assertEquals(0L, none.leaves().get(G));
    }

    @Test
    void withPmdAlignmentTheBarTakes1024PmdFaults() {
        FaultProfile thp = profile(VfioPolicy.THP);
        assertEquals(1_024L, thp.faults());
        assertEquals(1_024L, thp.leaves().get(2L << 20));
        assertEquals(1_024L, thp.hugeFaultCalls().get(9));
    }

    @Test
    void withPudLeavesItTakesTwo() {
        for (VfioPolicy p : new VfioPolicy[] {VfioPolicy.ORDER_HINT, VfioPolicy.V1, VfioPolicy.V2, VfioPolicy.QEMU}) {
            FaultProfile f = profile(p);
            assertEquals(2L, f.faults(), p.id());
            assertEquals(2L, f.leaves().get(G), p.id());
            assertEquals(2L, f.hugeFaultCalls().get(18), p.id());
            assertEquals(0L, f.hugeFaultCalls().get(9), p.id());
        }
    }

    @Test
    void theWalkAgreesInEveryTouchOrder() {
        VfioOutcome none = VfioMapping.outcome(EMPTY, X86, DEV, VfioPolicy.NONE, WHOLE, true);
        long start = none.result().address();
        for (Touch t : Touch.values()) {
            assertEquals(none.profile(), VfioMapping.touch(X86, DEV, 1L << 28, start, start + 2 * G, true, t, 7), t.id());
        }
    }
}
