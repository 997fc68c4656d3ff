package io.pfnmap.vfio;

import io.pfnmap.mm.InvalidInputException;
import io.pfnmap.vfio.core.VfioPciOffset;

/**
 * One region of a VFIO-PCI device as {@code VFIO_DEVICE_GET_REGION_INFO} reports it
 * (include/uapi/linux/vfio.h).
 *
 * @param index  the region index: BAR0-BAR5 = 0-5, ROM 6, config 7, VGA 8, device-specific 9 and up
 *               ({@link VfioPciOffset})
 * @param size   the region's length in bytes; a BAR's is a power of two (PCI BARs are naturally
 *               sized)
 * @param mmap   whether the region can be mmapped: a BAR's {@code bar_mmap_supported}, a
 *               device-specific region's {@code ops->mmap} with {@code VFIO_REGION_INFO_FLAG_MMAP}
 */
public record VfioRegion(int index, long size, boolean mmap) {
    /** The largest BAR size the model takes, 2^62 (the core's arithmetic stays in range below it). */
    public static final long MAX_BAR_SIZE = 1L << 62;

    public VfioRegion {
        if (index < 0 || index >= VfioPciOffset.INDEX_LIMIT) {
            throw new InvalidInputException("index", "must be in [0, 2^24), the indices a 64-bit offset encodes: "
                    + index);
        }
        if (size < 0) {
            throw new InvalidInputException("size", "must not be negative: " + size);
        }
        if (VfioPciOffset.isBar(index) && (Long.bitCount(size) != 1 || size > MAX_BAR_SIZE)) {
            throw new InvalidInputException("size", "a BAR's size must be a power of two in [1, 2^62]: " + size);
        }
    }

    /** A BAR (index 0-5) of {@code size} bytes. */
    public static VfioRegion bar(int index, long size, boolean mmap) {
        if (!VfioPciOffset.isBar(index)) {
            throw new InvalidInputException("index", "a BAR's index must be in [0, 5]: " + index);
        }
        return new VfioRegion(index, size, mmap);
    }

    /** Whether this region is a BAR. */
    public boolean isBar() {
        return VfioPciOffset.isBar(index);
    }
}
