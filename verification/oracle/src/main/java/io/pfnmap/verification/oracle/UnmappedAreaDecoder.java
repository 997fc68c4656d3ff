package io.pfnmap.verification.oracle;

import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.Mmap;
import java.util.Set;

/** Op {@code "unmapped_area"}: vm_unmapped_area with a raw {@code struct vm_unmapped_area_info}. */
final class UnmappedAreaDecoder {
    private UnmappedAreaDecoder() {
    }

    static Request decode(Fields f, AddressSpace space) {
        Node infov = f.get("info");
        if (infov == null) {
            throw f.invalid("info", "required: {\"flags\", \"length\", \"low_limit\", \"high_limit\", \"align_mask\", "
                    + "\"align_offset\", \"start_gap\"}");
        }
        Fields info = f.object(infov, "info");
        info.onlyKnown(RequestParser.INFO_MEMBERS, "unknown member; known: ");
        boolean topdown = topdown(info);
        long length = info.required("length");
        if (length == 0) {
            throw info.invalid("length", Mmap.LENGTH_RULE);
        }
        long low = info.required("low_limit");
        long high = info.required("high_limit");
        long mask = info.u64("align_mask", 0);
        long offset = info.u64("align_offset", 0);
        long startGap = info.u64("start_gap", 0);
        if (Long.compareUnsigned(startGap, MmConfig.MAX_BOUND) > 0) {
            throw info.invalid("start_gap", Mmap.START_GAP_RULE + ", got " + Hex.of(startGap));
        }
        if (!Mmap.isKernelAlignMask(mask, space.config().pageSize())) {
            throw info.invalid("align_mask", Mmap.ALIGN_MASK_RULE + ", got " + Hex.of(mask));
        }
        return new Request.UnmappedArea(f.id, space, topdown, length, low, high, mask, offset, startGap);
    }

    /** {@code "flags"}: [] or ["topdown"] (VM_UNMAPPED_AREA_TOPDOWN). */
    private static boolean topdown(Fields info) {
        Node fv = info.get("flags");
        return fv != null && !info.names(fv, "flags", TOPDOWN, ": [] or [\"topdown\"]",
                "topdown (VM_UNMAPPED_AREA_TOPDOWN)").isEmpty();
    }

    private static final Set<String> TOPDOWN = Set.of("topdown");
}
