package io.pfnmap.verification.oracle;

import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.core.MapFlags;

/** Op {@code "aligned"}: the aligned helper alone, at one leaf size, as a hook calls it. */
final class AlignedDecoder {
    private AlignedDecoder() {
    }

    static Request decode(Fields f, AddressSpace space) {
        long page = space.config().pageSize();
        long addr = f.u64("addr", 0);
        long len = f.required("len");
        long off = f.u64("off", 0);
        long size = f.required("size");
        Node flagsv = f.get("flags");
        long flags = flagsv == null ? MapFlags.MAP_PRIVATE | MapFlags.MAP_ANONYMOUS : MmapDecoder.mapFlags(f, flagsv);
        boolean explain = f.bool("explain", false);
        if (len == 0 || len % page != 0) {
            throw f.invalid("len", "must be a non-zero multiple of PAGE_SIZE (" + Hex.of(page) + "), as do_mmap "
                    + "passes it, got " + Hex.of(len));
        }
        if (size <= 0 || Long.bitCount(size) != 1 || size > (1L << 62) || size < page) {
            throw f.invalid("size", "must be a power of two in [PAGE_SIZE, 2^62], got " + Hex.of(size));
        }
        if (addr % page != 0) {
            throw f.invalid("addr", "must be a multiple of PAGE_SIZE (" + Hex.of(page) + "), as do_mmap passes the "
                    + "hint, got " + Hex.of(addr));
        }
        return new Request.Aligned(f.id, space, addr, len, off, flags, size, explain);
    }
}
