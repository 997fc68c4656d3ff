package io.pfnmap.vfio;

import com.google.common.collect.ImmutableMap;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.arch.Level;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.InvalidInputException;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Placement;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.vfio.core.PfnmapLeaves;
import io.pfnmap.vfio.core.VfioDesigns;
import io.pfnmap.vfio.core.VfioFault;
import io.pfnmap.vfio.core.VfioPciOffset;
import io.pfnmap.vfio.core.VfioProfile;
import io.pfnmap.vfio.core.VfioRegions;

/**
 * The API over {@link VfioDesigns} and {@link VfioFault}: an mmap of a VFIO-PCI device file under
 * a design, and what its faults insert.
 */
public final class VfioMapping {
    private VfioMapping() {
    }

    /** The mmap's result under {@code policy} (do_mmap with the design's search, then vfio_pci_core_mmap). */
    public static Placement mmap(AddressSpace as, ArchConfig arch, VfioDevice dev, VfioPolicy policy, MmapRequest r) {
        requireSamePage(as, arch);
        return new Placement(VfioDesigns.mmap(as.state(), policy.core(), r.addr(), r.len(), r.pgoff(), r.flags(),
                new VfioRegions(dev.coreSizes(), dev.coreMmap(), dev.corePhys()),
                new PfnmapLeaves(pudSize(arch), arch.pmdPfnmap(), arch.pudPfnmap(), arch.pfnmapLeafSizesDescending())));
    }

    /** The leaf size a fault at {@code addr} of a mapping placed at {@code vmStart} gets. */
    public static long faultSize(ArchConfig arch, VfioDevice dev, long pgoff, long vmStart, long vmEnd, long addr,
            boolean hugeAllowed) {
        int index = (int) VfioPciOffset.pgoffToIndex(pgoff, arch.pageSize());
        long within = VfioPciOffset.pgoffWithin(pgoff, arch.pageSize());
        long phys = index < dev.corePhys().length ? dev.corePhys()[index] : 0;
        return VfioFault.faultSize(vmStart, vmEnd, within, phys, addr, arch.pfnmapLeafSizesDescending(), hugeAllowed);
    }

    /**
     * The fault profile of a mapping of {@code dev} from {@code pgoff} placed at {@code [vmStart,
     * vmEnd)} when every page is touched ({@link VfioProfile#hugeFaultCalls}, the same in every
     * touch order).
     */
    public static FaultProfile profile(ArchConfig arch, VfioDevice dev, long pgoff, long vmStart, long vmEnd,
            boolean hugeAllowed) {
        long[] sizes = arch.pfnmapLeafSizesDescending();
        long[] counts = VfioFault.leafCounts(vmStart, vmEnd, VfioPciOffset.pgoffWithin(pgoff, arch.pageSize()),
                physOf(dev, pgoff, arch.pageSize()), sizes, hugeAllowed);
        long[] calls = VfioProfile.hugeFaultCalls(new long[] {vmStart}, new long[] {vmEnd}, sizes, counts, hugeAllowed);
        return FaultProfile.of(sizes, arch.pageSize(), counts, calls, VfioProfile.faults(counts));
    }

    /**
     * The fault profile of that mapping in a process whose page tables already hold {@code tables}
     * ({@link VfioProfile#hugeFaultCallsIn}): the same leaves and faults, fewer huge-fault calls
     * where another mapping's faults made an entry a table.
     */
    public static FaultProfile profile(ArchConfig arch, VfioDevice dev, long pgoff, long vmStart, long vmEnd,
            boolean hugeAllowed, PageTables tables) {
        long[] sizes = arch.pfnmapLeafSizesDescending();
        long[] counts = VfioFault.leafCounts(vmStart, vmEnd, VfioPciOffset.pgoffWithin(pgoff, arch.pageSize()),
                physOf(dev, pgoff, arch.pageSize()), sizes, hugeAllowed);
        long[] calls = VfioProfile.hugeFaultCallsIn(vmStart, vmEnd, sizes, counts, hugeAllowed, tables.populated());
        return FaultProfile.of(sizes, arch.pageSize(), counts, calls, VfioProfile.faults(counts));
    }

    /** {@link #touch} in a process whose page tables already hold {@code tables} ({@link VfioProfile#touchIn}). */
    public static FaultProfile touch(ArchConfig arch, VfioDevice dev, long pgoff, long vmStart, long vmEnd,
            boolean hugeAllowed, Touch order, long seed, PageTables tables) {
        if (Long.compareUnsigned((vmEnd - vmStart) / arch.pageSize(), VfioProfile.MAX_TOUCH_PAGES) > 0) {
            throw new InvalidInputException("touch", "walks at most " + VfioProfile.MAX_TOUCH_PAGES
                    + " pages, this mapping has " + Long.toUnsignedString((vmEnd - vmStart) / arch.pageSize()));
        }
        long[] sizes = arch.pfnmapLeafSizesDescending();
        long[] counts = new long[sizes.length];
        long[] calls = new long[sizes.length];
        long faults = VfioProfile.touchIn(vmStart, vmEnd, VfioPciOffset.pgoffWithin(pgoff, arch.pageSize()),
                physOf(dev, pgoff, arch.pageSize()), sizes, hugeAllowed, order.core(), seed, counts, calls,
                tables.populated());
        return FaultProfile.of(sizes, arch.pageSize(), counts, calls, faults);
    }

    /**
     * The same profile found by touching every page in {@code order} ({@link VfioProfile#touch}, which
     * is {@link VfioProfile#touchIn} on empty page tables), at most {@link VfioProfile#MAX_TOUCH_PAGES} pages.
     */
    public static FaultProfile touch(ArchConfig arch, VfioDevice dev, long pgoff, long vmStart, long vmEnd,
            boolean hugeAllowed, Touch order, long seed) {
        // VfioProfile.touch is touchIn on page tables that hold nothing
        return touch(arch, dev, pgoff, vmStart, vmEnd, hugeAllowed, order, seed, PageTables.empty(arch));
    }

    /** The BAR's physical address the model gives the region {@code pgoff} names (0 for others). */
    static long physOf(VfioDevice dev, long pgoff, long pageSize) {
        int index = (int) VfioPciOffset.pgoffToIndex(pgoff, pageSize);
        long[] phys = dev.corePhys();
        return index < phys.length ? phys[index] : 0;
    }

    /** The outcome of {@code r} under {@code policy}: result, leaves, faults and padding. */
    public static VfioOutcome outcome(AddressSpace as, ArchConfig arch, VfioDevice dev, VfioPolicy policy,
            MmapRequest r, boolean hugeAllowed) {
        Placement p = mmap(as, arch, dev, policy, r);
        Placement plain = policy == VfioPolicy.NONE ? p : mmap(as, arch, dev, VfioPolicy.NONE, r);
        long[] sizes = arch.pfnmapLeafSizesDescending();
        ImmutableMap.Builder<Long, Long> leaves = ImmutableMap.builder();
        long faults = 0;
        long padding = 0;
        FaultProfile profile = null;
        if (!p.isError()) {
            long len = Arith.alignUp(r.len(), arch.pageSize());
            profile = profile(arch, dev, r.pgoff(), p.address(), p.address() + len, hugeAllowed);
            leaves.putAll(profile.leaves());
            faults = profile.faults();
            if (policy == VfioPolicy.QEMU || policy == VfioPolicy.CLOUD_HYPERVISOR) {
                // the reservation's slack, when a reservation was made (else the area was mapped plainly)
                long align = reservationAlign(policy, r.len(), arch.pageSize());
                padding = align == arch.pageSize() && policy == VfioPolicy.CLOUD_HYPERVISOR
                        || !plain.isError() && p.address() == plain.address() ? 0 : align;
            } else if (!plain.isError()) {
                padding = Math.abs(p.address() - plain.address());
            }
        }
        return new VfioOutcome(policy, p, plain, leaves.build(), faults, padding, profile);
    }

    /**
     * The alignment a userspace design reserves for: QEMU's ({@link VfioDesigns#qemuAlign} of the
     * page-aligned length) or cloud-hypervisor's ({@link VfioDesigns#chAlign} of the length); 0 for
     * the in-kernel designs, which reserve nothing.
     */
    public static long reservationAlign(VfioPolicy policy, long len, long pageSize) {
        if (policy == VfioPolicy.QEMU) {
            return VfioDesigns.qemuAlign(Arith.alignUp(len, pageSize));
        }
        return policy == VfioPolicy.CLOUD_HYPERVISOR ? VfioDesigns.chAlign(len, pageSize) : 0;
    }

    static long pudSize(ArchConfig arch) {
        return arch.sizeAt(Level.PUD).orElse(0L);
    }

    private static void requireSamePage(AddressSpace as, ArchConfig arch) {
        if (as.config().pageSize() != arch.pageSize()) {
            throw new InvalidInputException("arch", "page size " + arch.pageSize() + " differs from the address space's "
                    + as.config().pageSize());
        }
    }
}
