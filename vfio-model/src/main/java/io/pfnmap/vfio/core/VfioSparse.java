package io.pfnmap.vfio.core;

import io.pfnmap.arch.core.Kernel;
import io.pfnmap.mm.core.Arith;

/**
 * A BAR's mmap areas, the pieces userspace maps ({@code VFIO_REGION_INFO_CAP_SPARSE_MMAP},
 * include/uapi/linux/vfio.h). vfio-pci itself lets the whole BAR be mapped, the MSI-X table
 * included, and says so with {@code VFIO_REGION_INFO_CAP_MSIX_MAPPABLE} ({@code
 * msix_mappable_cap}, drivers/vfio/pci/vfio_pci_core.c); without that capability QEMU maps around
 * the table ({@code vfio_pci_fixup_msix_region}, hw/vfio/pci.c), which {@link #fixupMsixRegion}
 * models. Areas are {@code long[]} pairs: {@code {offset0, size0, offset1, size1}}.
 */
public final class VfioSparse {
    private VfioSparse() {
    }

    /**
     * The areas of a BAR of {@code barSize} bytes whose MSI-X table spans {@code [tableStart,
     * tableEnd)}, as QEMU's {@code vfio_pci_fixup_msix_region} (hw/vfio/pci.c) cuts them: the table
     * widened to host pages ({@code start} rounded down, {@code end} rounded up); no area when it
     * covers the BAR, one after it when it starts the BAR, one before it when it reaches the end,
     * else two. With {@code mappable} (the kernel's MSIX_MAPPABLE capability) the whole BAR.
     */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % pageSize == 0;
      @ requires 0 < barSize && barSize <= Arith.MAX_POW2;
      @ requires 0 <= tableStart && tableStart <= tableEnd && tableEnd <= barSize;
      @ ensures \result.length == 0 || \result.length == 2 || \result.length == 4;
      @ ensures (\forall int k; 0 <= k && k < \result.length / 2;
      @     0 <= \result[2 * k] && 0 < \result[2 * k + 1] && \result[2 * k] + \result[2 * k + 1] <= barSize);
      @ ensures \fresh(\result);
      @ assignable \nothing; @*/
    @Kernel(fn = "vfio_pci_fixup_msix_region", file = "hw/vfio/pci.c")
    public static long[] fixupMsixRegion(long barSize, long tableStart, long tableEnd, long pageSize,
            boolean mappable) {
        if (mappable) {
            return new long[] {0, barSize};
        }
        long start = Arith.alignDown(tableStart, pageSize);
        long end = Arith.alignUp(tableEnd, pageSize);
        if (start == 0) {
            if (end >= barSize) {
                return new long[0]; // the table covers the BAR: nothing is mapped
            }
            return new long[] {end, barSize - end};
        }
        if (end >= barSize) {
            return new long[] {0, start};
        }
        return new long[] {0, start, end, barSize - end};
    }
}
