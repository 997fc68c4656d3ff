package io.pfnmap.verification.oracle;

import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.vfio.VfioDevice;
import io.pfnmap.vfio.VfioPolicy;
import io.pfnmap.vfio.Touch;

/**
 * One valid protocol request, decoded into the model's records. {@link #id()} is the request's
 * {@code "id"} as its JSON source text (echoed verbatim in the answer), {@code "null"} when the
 * request has none.
 */
public sealed interface Request permits Request.Mmap, Request.VfioMmap, Request.UnmappedArea, Request.Aligned,
        Request.Fault, Request.Space, Request.Munmap {

    String id();

    AddressSpace space();

    /**
     * {@code "op": "mmap"} of anonymous memory or a regular file: do_mmap up to the final address.
     * {@code apply}: the session space the placed range is added to, or null.
     */
    record Mmap(String id, AddressSpace space, MmapRequest request, boolean explain, String apply)
            implements Request {
    }

    /**
     * {@code "op": "mmap"} of a VFIO-PCI device file under a design (vfio-model); {@code apply} as for
     * Mmap. {@code profile}: add the fault profile; {@code touch}: walk the pages in that order (null:
     * the counted profile), from {@code seed} when random.
     */
    record VfioMmap(String id, AddressSpace space, ArchConfig arch, VfioDevice device, VfioPolicy policy,
            MmapRequest request, boolean explain, String apply, boolean profile, Touch touch, long seed)
            implements Request {
    }

    /**
     * {@code "op": "space"}: session space {@code name} becomes {@code space} (defined, replaced
     * or appended to), or is dropped when {@code space} is null.
     */
    record Space(String id, String name, ArchConfig arch, AddressSpace space, boolean append) implements Request {
    }

    /** {@code "op": "munmap"} of {@code [addr, addr + len)} in session space {@code name}, now {@code space}. */
    record Munmap(String id, String name, AddressSpace space, long addr, long len) implements Request {
    }

    /**
     * {@code "op": "unmapped_area"}: {@code vm_unmapped_area} with a raw {@code struct
     * vm_unmapped_area_info}.
     */
    record UnmappedArea(String id, AddressSpace space, boolean topdown, long length, long lowLimit, long highLimit,
            long alignMask, long alignOffset, long startGap) implements Request {
    }

    /**
     * {@code "op": "aligned"}: the aligned helper ({@code __thp_get_unmapped_area}, the series'
     * {@code mm_get_unmapped_area_aligned}) at leaf size {@code size}, as a hook calls it.
     */
    record Aligned(String id, AddressSpace space, long addr, long len, long off, long flags, long size,
            boolean explain) implements Request {
    }

    /**
     * {@code "op": "fault"}: the leaf a fault at {@code addr} of a VFIO-PCI VMA {@code [vmStart,
     * vmEnd)} mapping the device file from {@code pgoff} inserts.
     */
    record Fault(String id, AddressSpace space, ArchConfig arch, VfioDevice device, long pgoff, long vmStart,
            long vmEnd, long addr, boolean hugeAllowed) implements Request {
    }
}
