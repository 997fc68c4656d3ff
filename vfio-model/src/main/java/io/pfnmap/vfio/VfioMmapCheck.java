package io.pfnmap.vfio;

import io.pfnmap.mm.InvalidInputException;
import io.pfnmap.vfio.core.VfioPciMmap;
import io.pfnmap.vfio.core.VfioPciOffset;

/**
 * The checks of {@code vfio_pci_core_mmap} (drivers/vfio/pci/vfio_pci_core.c) over the API records.
 * Converts, calls {@link VfioPciMmap#vfioPciCoreMmap} once and converts back; every decision is in
 * {@code io.pfnmap.vfio.core}.
 */
public final class VfioMmapCheck {
    private VfioMmapCheck() {
    }

    /** PAGE_SIZE of x86_64, the default. */
    public static final long DEFAULT_PAGE_SIZE = 4096;

    /**
     * {@code vfio_pci_core_mmap}'s checks for a VMA {@code [vmStart, vmEnd)} at page offset {@code
     * pgoff} of the device file, with 4 KiB pages: 0 when they pass, else the errno (22, EINVAL).
     */
    public static int check(VfioDevice device, long pgoff, long vmStart, long vmEnd, boolean shared) {
        return check(device, DEFAULT_PAGE_SIZE, pgoff, vmStart, vmEnd, shared);
    }

    /** As {@link #check(VfioDevice, long, long, long, boolean)} with another PAGE_SIZE. */
    public static int check(VfioDevice device, long pageSize, long pgoff, long vmStart, long vmEnd,
            boolean shared) {
        if (device == null) {
            throw new InvalidInputException("device", "must not be null");
        }
        // PAGE_SHIFT below VFIO_PCI_OFFSET_SHIFT (40): the region index is vm_pgoff shifted right by
        // at least one; no kernel has a 2^40-byte page.
        if (Long.bitCount(pageSize) != 1 || pageSize < 0 || pageSize >= VfioPciOffset.OFFSET_SIZE) {
            throw new InvalidInputException("pageSize", "must be a power of two in [1, 2^39]: " + pageSize);
        }
        long r = VfioPciMmap.vfioPciCoreMmap(pgoff, pageSize, vmStart, vmEnd, shared, device.coreSizes(),
                device.coreMmap());
        return (int) -r;
    }
}
