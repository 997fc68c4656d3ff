package io.pfnmap.vfio;

import static io.pfnmap.vfio.SeededVariants.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Placement;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.vfio.SplitProperties.Placer;
import io.pfnmap.vfio.core.VfioDax;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The device-dax precedent as the seventh design ({@link VfioDax}): the rule it keeps (a result
 * without a hint is congruent to the file offset modulo the device's alignment, or is the plain
 * answer), with a seeded wrong variant, and its differences from the order-hint design on cases.
 */
class DaxDesignTest {
    private static final long G = 1L << 30;
    private static final long M2 = 2L << 20;
    private static final ArchConfig X86 = Arch.X86_64.config();

    static final Placer DAX = p -> VfioMapping.mmap(p.space(), p.arch(), p.device(), VfioPolicy.DAX, p.request());

    static long align(SplitProperties.Piece p) {
        return VfioDax.daxAlign(1, p.bar(), p.offset(), p.arch().pfnmapLeafSizesDescending());
    }

    /** Congruent to the offset modulo dev_dax->align, or the plain search's answer. */
    static boolean daxCongruentOrPlain(Placer d, SplitProperties.Piece p) {
        Placement r = d.of(p);
        if (r.isError()) {
            return true;
        }
        Placement plain = VfioMapping.mmap(p.space(), p.arch(), p.device(), VfioPolicy.NONE, p.request());
        return Long.remainderUnsigned(r.address() - p.offset(), align(p)) == 0 || r.equals(plain);
    }

    @Property(tries = 500)
    void daxIsCongruentToTheOffsetOrPlain(@ForAll("pieces") SplitProperties.Piece p) {
        assertTrue(daxCongruentOrPlain(DAX, p), p::toString);
    }

    @net.jqwik.api.Provide
    static Arbitrary<SplitProperties.Piece> pieces() {
        return SplitProperties.pieces();
    }

    @Test
    void seededVariantIsRejected() {
        // aligned to dev_dax->align itself, forgetting the offset (as if off_sub were always 0)
        rejects("dax aligned to the size, not congruent", pieces(), p -> daxCongruentOrPlain(x -> {
            Placement r = DAX.of(x);
            return r.isError() ? r : new Placement(r.address() - Arith.remU(r.address(), align(x)));
        }, p));
    }

    private static MmapRequest bar1(long within, long len, long addr) {
        return MmapRequest.file(FileKind.PLAIN_DEVICE, addr, len, (1L << 40) / 4096 + within / 4096,
                MapFlags.MAP_SHARED);
    }

    @Test
    void oneSizeOnly_noSmallerLeafAfterAFailedPaddedSearch() {
        // a 1 GiB BAR in a hole of 1 GiB + PMD_SIZE + PAGE_SIZE: the 1 GiB-padded search fails
        MmConfig mm = Compare.mmFor(X86);
        AddressSpace crowded = Compare.crowded(mm, G);
        VfioDevice dev = VfioDevice.of(VfioRegion.bar(1, G, true));
        VfioOutcome dax = VfioMapping.outcome(crowded, X86, dev, VfioPolicy.DAX, bar1(0, G, 0), true);
        VfioOutcome hint = VfioMapping.outcome(crowded, X86, dev, VfioPolicy.ORDER_HINT, bar1(0, G, 0), true);
        assertEquals(dax.plain(), dax.result(), "dax falls back to the plain search");
        assertEquals(0L, dax.leavesOf(M2));
        assertEquals(G / M2, hint.leavesOf(M2), "order-hint tries PMD next: 512 PMD leaves");
    }

    @Test
    void aRangeWithoutAWholeAlignedBlockIsNotAligned() {
        // the second half of a 1 GiB BAR: dev_dax->align stays 1 GiB, no whole 1 GiB block in the range
        AddressSpace empty = Compare.empty(Compare.mmFor(X86));
        VfioDevice dev = VfioDevice.of(VfioRegion.bar(1, G, true));
        VfioOutcome dax = VfioMapping.outcome(empty, X86, dev, VfioPolicy.DAX, bar1(G / 2, G / 2, 0), true);
        VfioOutcome hint = VfioMapping.outcome(empty, X86, dev, VfioPolicy.ORDER_HINT, bar1(G / 2, G / 2, 0), true);
        assertEquals(dax.plain(), dax.result());
        assertTrue(dax.faults() > hint.faults(), dax.faults() + " vs " + hint.faults());
    }

    @Test
    void anyHintTurnsTheAlignmentOff() {
        // a hint inside a mapped VMA: the plain search moves on, unaligned; order-hint still aligns
        MmConfig mm = Compare.mmFor(X86);
        AddressSpace empty = Compare.empty(mm);
        long taken = 0x7f0000000000L;
        AddressSpace withVma = io.pfnmap.mm.SpaceEdits.mapped(empty, taken, G);
        VfioDevice dev = VfioDevice.of(VfioRegion.bar(1, 16 * G, true));
        Placement dax = VfioMapping.mmap(withVma, X86, dev, VfioPolicy.DAX, bar1(0, 16 * G, taken + 4096));
        Placement plain = VfioMapping.mmap(withVma, X86, dev, VfioPolicy.NONE, bar1(0, 16 * G, taken + 4096));
        Placement hint = VfioMapping.mmap(withVma, X86, dev, VfioPolicy.ORDER_HINT, bar1(0, 16 * G, taken + 4096));
        assertEquals(plain, dax);
        assertEquals(0, hint.address() % G, "order-hint: 1 GiB-aligned despite the hint");
        assertNotEquals(0, dax.address() % G);
    }
}
