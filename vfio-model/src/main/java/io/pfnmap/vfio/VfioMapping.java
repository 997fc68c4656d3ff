package io.pfnmap.vfio;

import com.google.common.collect.ImmutableMap;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.arch.Level;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.InvalidInputException;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Placement;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.vfio.core.VfioDesigns;
import io.pfnmap.vfio.core.VfioFault;
import io.pfnmap.vfio.core.VfioPciOffset;

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
                dev.coreSizes(), dev.coreMmap(), dev.corePhys(), pudSize(arch), arch.pmdPfnmap(), arch.pudPfnmap(),
                arch.pfnmapLeafSizesDescending()));
    }

    /** The leaf size a fault at {@code addr} of a mapping placed at {@code vmStart} gets. */
    public static long faultSize(ArchConfig arch, VfioDevice dev, long pgoff, long vmStart, long vmEnd, long addr,
            boolean hugeAllowed) {
        int index = (int) VfioPciOffset.pgoffToIndex(pgoff, arch.pageSize());
        long within = VfioPciOffset.pgoffWithin(pgoff, arch.pageSize());
        long phys = index < dev.corePhys().length ? dev.corePhys()[index] : 0;
        return VfioFault.faultSize(vmStart, vmEnd, within, phys, addr, arch.pfnmapLeafSizesDescending(), hugeAllowed);
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
        if (!p.isError()) {
            long len = Arith.alignUp(r.len(), arch.pageSize());
            long within = VfioPciOffset.pgoffWithin(r.pgoff(), arch.pageSize());
            int index = (int) VfioPciOffset.pgoffToIndex(r.pgoff(), arch.pageSize());
            long[] phys = dev.corePhys();
            long[] counts = VfioFault.leafCounts(p.address(), p.address() + len, within,
                    index < phys.length ? phys[index] : 0, sizes, hugeAllowed);
            for (int i = 0; i < sizes.length; i++) {
                leaves.put(sizes[i], counts[i]);
                faults += counts[i];
            }
            if (policy == VfioPolicy.QEMU) {
                // the reservation's slack, when the reservation was made (else QEMU mapped plainly)
                padding = !plain.isError() && p.address() == plain.address() ? 0 : VfioDesigns.qemuAlign(len);
            } else if (!plain.isError()) {
                padding = Math.abs(p.address() - plain.address());
            }
        }
        return new VfioOutcome(policy, p, plain, leaves.build(), faults, padding);
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
