package io.pfnmap.vfio;

import static io.pfnmap.vfio.SeededVariants.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.Errnos;
import io.pfnmap.mm.Mmap;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Placement;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.mm.core.Predicates;
import io.pfnmap.vfio.DesignProperties.Design;
import io.pfnmap.vfio.core.VfioDesigns;
import java.util.function.Predicate;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * cloud-hypervisor as a design ({@link VfioDesigns#chPlace}, after pci/src/mmap.rs's {@code
 * allocate_aligned_mapping}): what it keeps, where it parts from QEMU's row, each statement with a
 * seeded wrong variant it rejects.
 */
class CloudHypervisorDesignTest {
    private static final long M = 1L << 20;
    private static final long G = 1L << 30;
    private static final ArchConfig X86 = Arch.X86_64.config();

    static final Design CH = DesignProperties.design(VfioPolicy.CLOUD_HYPERVISOR)::mmap;

    /** The anonymous reservation cloud-hypervisor asks for: len + align, PROT_NONE, no hint. */
    static Placement reservation(DesignProperties.Case c, long align) {
        return Mmap.doMmap(c.space(), MmapRequest.anon(0, c.len() + align, MapFlags.MAP_PRIVATE));
    }

    /**
     * Aligned or failed, never plain: above page alignment, the answer is a multiple of the
     * alignment, in bounds and over nothing, whenever the reservation of len + align succeeds, and
     * the reservation's error whenever it fails (even where the plain search would succeed); at page
     * alignment, the plain answer.
     */
    static boolean alignedOrFailed(Design d, DesignProperties.Case c) {
        long page = c.arch().pageSize();
        long align = VfioDesigns.chAlign(c.len(), page);
        Placement r = d.mmap(c);
        Placement plain = DesignProperties.design(VfioPolicy.NONE).mmap(c);
        if (align == page) {
            return r.equals(plain);
        }
        Placement reserve = reservation(c, align);
        if (reserve.isError()) {
            return r.equals(reserve);
        }
        long len = Arith.alignUp(c.len(), page);
        return !r.isError() && Arith.remU(r.address(), align) == 0
                && Predicates.inBounds(r.address(), len, c.space().config().mmapMinAddr(), c.space().config().taskSize())
                && Predicates.overlapsNothing(c.space().state(), r.address(), len);
    }

    /** The alignment: the smallest power of two not below len (and a page), capped at 1 GiB. */
    static boolean alignmentIsNextPowerOfTwo(java.util.function.LongBinaryOperator f, DesignProperties.Case c) {
        long page = c.arch().pageSize();
        long a = f.applyAsLong(c.len(), page);
        long want = c.len() >= G ? G : Math.max(page, Long.highestOneBit(Math.max(1, c.len() - 1)) << 1);
        return a == want && Long.bitCount(a) == 1 && a >= Math.min(c.len(), G);
    }

    /**
     * Where QEMU's row covers it: on a power-of-two length from a page up the two reserve at the
     * same alignment and answer the same (both capped at 1 GiB), whenever the reservation fits.
     */
    static boolean agreesWithQemuOnPowersOfTwo(Design d, DesignProperties.Case c) {
        long page = c.arch().pageSize();
        if (Long.bitCount(c.len()) != 1 || c.len() < 2 * page
                || reservation(c, VfioDesigns.chAlign(c.len(), page)).isError()) {
            return true;
        }
        return d.mmap(c).equals(DesignProperties.design(VfioPolicy.QEMU).mmap(c));
    }

    @Provide
    static Arbitrary<DesignProperties.Case> cases() {
        return DesignProperties.cases();
    }

    @Property(tries = 500)
    void chIsAlignedOrFailsNeverPlain(@ForAll("cases") DesignProperties.Case c) {
        assertTrue(alignedOrFailed(CH, c), c::toString);
    }

    @Property(tries = 1000)
    void chAlignsToTheNextPowerOfTwo(@ForAll("cases") DesignProperties.Case c) {
        assertTrue(alignmentIsNextPowerOfTwo(VfioDesigns::chAlign, c), c::toString);
    }

    @Property(tries = 500)
    void chIsQemuOnPowerOfTwoLengths(@ForAll("cases") DesignProperties.Case c) {
        assertTrue(agreesWithQemuOnPowersOfTwo(CH, c), c::toString);
    }

    @Test
    void seededVariantsAreRejected() {
        // QEMU's fallback: a plain mmap after a failed reservation
        rejects("cloud-hypervisor with a plain fallback", cases(), c -> alignedOrFailed(x -> {
            Placement r = CH.mmap(x);
            return r.isError() ? DesignProperties.design(VfioPolicy.NONE).mmap(x) : r;
        }, c));
        // QEMU's alignment (the largest power of two dividing the length)
        rejects("cloud-hypervisor at QEMU's alignment", cases(), c -> alignmentIsNextPowerOfTwo(
                (len, page) -> Math.max(page, VfioDesigns.qemuAlign(len)), c));
        // MAP_FIXED at the reservation's start instead of the aligned address inside it
        rejects("cloud-hypervisor mapping at the reservation's base", cases(), c -> agreesWithQemuOnPowersOfTwo(x -> {
            long page = x.arch().pageSize();
            long align = VfioDesigns.chAlign(x.len(), page);
            Placement res = reservation(x, align);
            return res.isError() || align == page ? CH.mmap(x) : res;
        }, c));
    }

    /** The headline case: a 16 GiB BAR in a hole of len + 2 MiB + 4 KiB; QEMU maps it plainly, cloud-hypervisor fails. */
    @Test
    void crowdedHoleFailsWhereQemuFallsBack() {
        io.pfnmap.mm.AddressSpace crowded = Compare.crowded(Compare.mmFor(X86), 16 * G);
        VfioDevice dev = VfioDevice.of(VfioRegion.bar(1, 16 * G, true));
        MmapRequest r = MmapRequest.file(io.pfnmap.mm.FileKind.PLAIN_DEVICE, 0, 16 * G, (1L << 40) / 4096,
                MapFlags.MAP_SHARED);
        VfioOutcome ch = VfioMapping.outcome(crowded, X86, dev, VfioPolicy.CLOUD_HYPERVISOR, r, true);
        VfioOutcome qemu = VfioMapping.outcome(crowded, X86, dev, VfioPolicy.QEMU, r, true);
        assertEquals("ENOMEM", Errnos.name(ch.result().errno()));
        assertTrue(ch.failedWherePlainSucceeds());
        assertEquals(qemu.plain(), qemu.result());
    }

    /** A sparse area of 0xb90000 bytes (a 16 MiB BAR0 cut before its MSI-X table): 16 MiB against QEMU's 64 KiB. */
    @Test
    void sparseAreaAlignments() {
        assertEquals(16 * M, VfioDesigns.chAlign(0xb90000L, 4096));
        assertEquals(64L << 10, VfioDesigns.qemuAlign(0xb90000L));
        assertEquals(G, VfioDesigns.chAlign(0x2F00F00000L, 4096));
        assertEquals(M, VfioDesigns.qemuAlign(0x2F00F00000L));
        assertEquals(4096, VfioDesigns.chAlign(1, 4096));
    }
}
