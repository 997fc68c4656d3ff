package io.pfnmap.verification.oracle;

import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.Hex;
import io.pfnmap.vfio.VfioMmapCheck;

/** Op {@code "fault"}: which leaf a fault in a VFIO-PCI VMA inserts. */
final class FaultDecoder {
    private FaultDecoder() {
    }

    static Request decode(Fields f, AddressSpace space, ArchConfig arch) {
        VfioDecoder v = VfioDecoder.decode(f, arch, false);
        long page = space.config().pageSize();
        long start = f.required("vm_start");
        long end = f.required("vm_end");
        long pgoff = f.u64("pgoff", 0);
        long addr = f.required("addr");
        boolean huge = f.bool("huge_allowed", true);
        if (start % page != 0 || end % page != 0) {
            throw f.invalid(start % page != 0 ? "vm_start" : "vm_end", "must be a multiple of PAGE_SIZE ("
                    + Hex.of(page) + ")");
        }
        if (Long.compareUnsigned(start, end) >= 0) {
            throw f.invalid("vm_end", "must be above vm_start");
        }
        if (Long.compareUnsigned(addr, start) < 0 || Long.compareUnsigned(addr, end) >= 0) {
            throw f.invalid("addr", "must lie in [vm_start, vm_end)");
        }
        if (VfioMmapCheck.check(v.device(), page, pgoff, start, end, true) != 0) {
            throw f.invalid("pgoff", "vfio_pci_core_mmap refuses this VMA (EINVAL: the region is absent, not "
                    + "mmap-able, or the VMA reaches past it), so no fault can happen in it");
        }
        return new Request.Fault(f.id, space, v.arch(), v.device(), pgoff, start, end, addr, huge);
    }
}
