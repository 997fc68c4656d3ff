package io.pfnmap.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.core.MapFlags;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's question on concrete cases: what each design gives a BAR mapping. */
class DesignsTest {
    private static final long G = 1L << 30;
    private static final long M2 = 2L << 20;
    private static final ArchConfig X86 = Arch.X86_64.config();
    private static final AddressSpace EMPTY = AddressSpace.of(MmConfig.x86_64(), List.of(
            Vma.of(0x7ffffffde000L, 0x7ffffffff000L, io.pfnmap.mm.VmaFlag.GROWSDOWN)));
    private static final VfioDevice DEV16G = VfioDevice.of(VfioRegion.bar(1, 16 * G, true));
    private static final MmapRequest WHOLE_BAR1 = MmapRequest.file(io.pfnmap.mm.FileKind.PLAIN_DEVICE, 0, 16 * G,
            1L << 28, MapFlags.MAP_SHARED);

    @Test
    void sixteenGigBarOnX86GetsSixteenPudLeavesUnderOrderHintV1V2AndQemu() {
        for (VfioPolicy p : new VfioPolicy[] {VfioPolicy.ORDER_HINT, VfioPolicy.V1, VfioPolicy.V2, VfioPolicy.QEMU}) {
            VfioOutcome o = VfioMapping.outcome(EMPTY, X86, DEV16G, p, WHOLE_BAR1, true);
            assertFalse(o.result().isError(), p.id());
            assertEquals(0, o.result().address() % G, p.id() + " aligned to 1 GiB");
            assertEquals(16, o.leavesOf(G), p.id());
            assertEquals(16, o.faults(), p.id());
        }
    }

    @Test
    void thpHookGivesPmdLeavesOnlyAndNoneGivesFewHugeLeaves() {
        VfioOutcome thp = VfioMapping.outcome(EMPTY, X86, DEV16G, VfioPolicy.THP, WHOLE_BAR1, true);
        assertEquals(0, thp.leavesOf(G));
        assertEquals(8192, thp.leavesOf(M2), "1,024 PMD faults per 2 GiB, as Alex Williamson said");
        VfioOutcome none = VfioMapping.outcome(EMPTY, X86, DEV16G, VfioPolicy.NONE, WHOLE_BAR1, true);
        assertEquals(0, none.padding());
        assertTrue(none.faults() > 16);
    }

    @Test
    void withoutHugePfnmapEveryDesignEndsInPtes() {
        ArchConfig off = X86.withoutHugePfnmap();
        for (VfioPolicy p : VfioPolicy.values()) {
            VfioOutcome o = VfioMapping.outcome(EMPTY, off, DEV16G, p, WHOLE_BAR1, true);
            assertEquals(16 * G / 4096, o.leavesOf(4096), p.id());
        }
        // the order-hint design does not align at all then: no over-alignment, no padding
        assertEquals(0, VfioMapping.outcome(EMPTY, off, DEV16G, VfioPolicy.ORDER_HINT, WHOLE_BAR1, true).padding());
    }

    @Test
    void smallBarIsNotOverAligned() {
        VfioDevice dev = VfioDevice.of(VfioRegion.bar(0, 64 * 1024, true));
        MmapRequest r = MmapRequest.file(io.pfnmap.mm.FileKind.PLAIN_DEVICE, 0, 64 * 1024, 0, MapFlags.MAP_SHARED);
        VfioOutcome hint = VfioMapping.outcome(EMPTY, X86, dev, VfioPolicy.ORDER_HINT, r, true);
        VfioOutcome none = VfioMapping.outcome(EMPTY, X86, dev, VfioPolicy.NONE, r, true);
        assertEquals(none.result(), hint.result());
        assertEquals(0, hint.padding());
    }

    @Test
    void faultFallsBackWhenTheBlockLeavesTheVma() {
        long start = 0x7f0000000000L;
        assertEquals(G, VfioMapping.faultSize(X86, DEV16G, 1L << 28, start, start + 16 * G, start + 5, true));
        assertEquals(M2, VfioMapping.faultSize(X86, DEV16G, 1L << 28, start + M2, start + G + M2, start + M2, true));
        assertEquals(4096, VfioMapping.faultSize(X86, DEV16G, 1L << 28, start + 4096, start + G, start + 4096, true));
        assertEquals(4096, VfioMapping.faultSize(X86, DEV16G, 1L << 28, start, start + 16 * G, start, false));
    }
}
