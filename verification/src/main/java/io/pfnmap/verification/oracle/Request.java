package io.pfnmap.verification.oracle;

import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.MmapRequest;

/**
 * One valid protocol request, decoded into the model's records. {@link #id()} is the request's
 * {@code "id"} as its JSON source text (echoed verbatim in the answer), {@code "null"} when the
 * request has none.
 */
public sealed interface Request permits Request.Mmap, Request.UnmappedArea {

    String id();

    AddressSpace space();

    /** {@code "op": "mmap"}: do_mmap up to the final address. */
    record Mmap(String id, AddressSpace space, MmapRequest request, boolean explain) implements Request {
    }

    /**
     * {@code "op": "unmapped_area"}: {@code vm_unmapped_area} with a raw {@code struct
     * vm_unmapped_area_info}.
     */
    record UnmappedArea(String id, AddressSpace space, boolean topdown, long length, long lowLimit, long highLimit,
            long alignMask, long alignOffset, long startGap) implements Request {
    }
}
