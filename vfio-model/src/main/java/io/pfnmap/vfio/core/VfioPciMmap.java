package io.pfnmap.vfio.core;

import io.pfnmap.arch.core.Kernel;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.Errno;

/**
 * {@code vfio_pci_core_mmap} (drivers/vfio/pci/vfio_pci_core.c): the checks it makes before it maps
 * anything, every failure {@code -EINVAL}, in the kernel's order (kernel-facts part 3,
 * "vfio_pci_core_mmap: the checks").
 *
 * <p>Outside the model: requesting the BAR's memory region (its own errno), {@code
 * vfio_pci_core_setup_barmap} ({@code -ENOMEM}) and, for a device-specific region, the errno of
 * that region's own {@code mmap}. A result of {@link #OK} for a device-specific region means
 * "handed to the region's mmap".
 */
public final class VfioPciMmap {
    private VfioPciMmap() {
    }

    /** The checks passed. */
    public static final long OK = 0;

    /** {@code -EINVAL}, the only errno these checks return. */
    public static final long EINVAL = -22L;

    /**
     * {@code req_start + req_len > phys_len} negated (drivers/vfio/pci/vfio_pci_core.c,
     * vfio_pci_core_mmap): the request {@code [within, within + (vm_end - vm_start))} fits in the
     * BAR rounded up to whole pages, {@code physLen = PAGE_ALIGN(pci_resource_len)} ({@link #vfioPciCoreMmap}
     * computes it). All u64, the sum unchecked for wrap-around as in the kernel.
     */
    /*@ public normal_behavior
      @ ensures \result <==> Arith.u((long) (within + (vmEnd - vmStart))) <= Arith.u(physLen);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean requestFitsBar(long within, long vmStart, long vmEnd, long physLen) {
        long reqLen = vmEnd - vmStart;
        long reqStart = within;
        return !Arith.ugt(reqStart + reqLen, physLen);
    }

    /**
     * {@code vfio_pci_core_mmap} (drivers/vfio/pci/vfio_pci_core.c): the checks, in order, for a
     * request already decoded to its region {@code index} and {@code within}-region byte offset.
     *
     * @param index          the region index ({@code vm_pgoff >> (40 - PAGE_SHIFT)})
     * @param numRegions     {@code vdev->num_regions}, the number of device-specific regions
     * @param vmStart        {@code vma->vm_start}
     * @param vmEnd          {@code vma->vm_end}
     * @param shared         whether the VMA is {@code VM_SHARED}
     * @param regionMmap     for a device-specific region: it has {@code ops->mmap} and {@code
     *                       VFIO_REGION_INFO_FLAG_MMAP}
     * @param barMmapSupported for a BAR: {@code vdev->bar_mmap_supported[index]}
     * @param physLen        for a BAR: {@code phys_len = PAGE_ALIGN(pci_resource_len(pdev, index))},
     *                       which {@link #vfioPciCoreMmap} computes (passed in so that this
     *                       contract states the test on the value, not on a second call of alignUp,
     *                       whose result KeY would not equate with the code's)
     * @param within         the byte offset within the region ({@code req_start})
     * @return {@link #OK} or {@link #EINVAL}
     */
    /*@ public normal_behavior
      @ requires 0 <= index && 0 <= numRegions;
      @ requires index >= VfioPciOffset.NUM_REGIONS + (long) numRegions;
      @ ensures \result == EINVAL;
      @ also public normal_behavior
      @ requires 0 <= index && 0 <= numRegions;
      @ requires index < VfioPciOffset.NUM_REGIONS + (long) numRegions;
      @ requires Arith.ult(vmEnd, vmStart) || !shared;
      @ ensures \result == EINVAL;
      @ also public normal_behavior
      @ requires 0 <= index && 0 <= numRegions;
      @ requires VfioPciOffset.NUM_REGIONS <= index && index < VfioPciOffset.NUM_REGIONS + (long) numRegions;
      @ requires !Arith.ult(vmEnd, vmStart) && shared;
      @ ensures \result == (regionMmap ? OK : EINVAL);
      @ also public normal_behavior
      @ requires 0 <= numRegions;
      @ requires VfioPciOffset.ROM <= index && index < VfioPciOffset.NUM_REGIONS;
      @ requires !Arith.ult(vmEnd, vmStart) && shared;
      @ ensures \result == EINVAL;
      @ also public normal_behavior
      @ requires 0 <= numRegions;
      @ requires 0 <= index && index < VfioPciOffset.ROM;
      @ requires !Arith.ult(vmEnd, vmStart) && shared;
      @ ensures \result == (barMmapSupported && Arith.u((long) (within + (vmEnd - vmStart))) <= Arith.u(physLen)
      @                     ? OK : EINVAL); // requestFitsBar's test, written out: no query for the callers' proofs
      @ also public normal_behavior // the five cases' summary, which vfioPciCoreMmap's proof reads
      @ requires 0 <= index && 0 <= numRegions;
      @ ensures \result == OK || \result == EINVAL;
      @ ensures index >= VfioPciOffset.NUM_REGIONS + (long) numRegions ==> \result == EINVAL;
      @ ensures Arith.ult(vmEnd, vmStart) || !shared ==> \result == EINVAL;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "vfio_pci_core_mmap", file = "drivers/vfio/pci/vfio_pci_core.c")
    public static /*@ pure @*/ long check(long index, int numRegions, long vmStart, long vmEnd, boolean shared,
            boolean regionMmap, boolean barMmapSupported, long physLen, long within) {
        // 1. index >= VFIO_PCI_NUM_REGIONS + vdev->num_regions
        if (index >= VfioPciOffset.NUM_REGIONS + (long) numRegions) {
            return EINVAL;
        }
        // 2. vma->vm_end < vma->vm_start
        if (Arith.ult(vmEnd, vmStart)) {
            return EINVAL;
        }
        // 3. (vma->vm_flags & VM_SHARED) == 0
        if (!shared) {
            return EINVAL;
        }
        // 4. a device-specific region goes to its own mmap, if it has one and is mmap-able
        if (index >= VfioPciOffset.NUM_REGIONS) {
            if (regionMmap) {
                return OK;
            }
            return EINVAL;
        }
        // 5. index >= VFIO_PCI_ROM_REGION_INDEX: ROM, config space and VGA
        if (index >= VfioPciOffset.ROM) {
            return EINVAL;
        }
        // 6. !vdev->bar_mmap_supported[index]
        if (!barMmapSupported) {
            return EINVAL;
        }
        // 7. req_start + req_len > phys_len, phys_len = PAGE_ALIGN(pci_resource_len(pdev, index))
        if (!requestFitsBar(within, vmStart, vmEnd, physLen)) {
            return EINVAL;
        }
        return OK;
    }

    /**
     * {@code vfio_pci_core_mmap} (drivers/vfio/pci/vfio_pci_core.c) from the VMA's {@code vm_pgoff}:
     * decodes the region index and within-region offset, reads the region's row, then makes the
     * checks of {@link #check}. Rows are indexed by region index: {@code regionSize[i]} is the
     * region's length (a BAR's {@code pci_resource_len}; 0 when absent) and {@code regionMmap[i]}
     * whether it can be mmapped (a BAR's {@code bar_mmap_supported}; a device-specific region's
     * {@code ops->mmap} and {@code VFIO_REGION_INFO_FLAG_MMAP}). The device has {@code
     * regionSize.length - VFIO_PCI_NUM_REGIONS} device-specific regions.
     */
    /*@ public normal_behavior
      @ requires regionSize != null && regionMmap != null;
      @ requires regionSize.length == regionMmap.length && regionSize.length >= VfioPciOffset.NUM_REGIONS;
      @ requires 0 < pageSize && pageSize < VfioPciOffset.OFFSET_SIZE; // PAGE_SHIFT < 40: the index a shift by at least 1
      @ requires VfioPciOffset.OFFSET_SIZE % pageSize == 0;
      @ ensures \result == OK || \result == EINVAL;
      @ ensures VfioPciOffset.pgoffToIndex(pgoff, pageSize) >= regionSize.length ==> \result == EINVAL;
      @ ensures !shared || Arith.ult(vmEnd, vmStart) ==> \result == EINVAL;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "vfio_pci_core_mmap", file = "drivers/vfio/pci/vfio_pci_core.c")
    public static /*@ pure @*/ long vfioPciCoreMmap(long pgoff, long pageSize, long vmStart, long vmEnd,
            boolean shared, long[] regionSize, boolean[] regionMmap) {
        long index = VfioPciOffset.pgoffToIndex(pgoff, pageSize);
        long within = VfioPciOffset.pgoffWithin(pgoff, pageSize);
        VfioPciLemmas.pageDividesMaxPow2(pageSize); // a lemma, no code: PAGE_ALIGN's precondition
        return regionCheck(index, within, pageSize, vmStart, vmEnd, shared, regionSize, regionMmap);
    }

    /**
     * {@code vfio_pci_core_mmap} (drivers/vfio/pci/vfio_pci_core.c) once the region index and
     * within-region offset are decoded: the region's row read and {@link #check}'s tests, with
     * {@code phys_len = PAGE_ALIGN(len)}. A method of its own so that its proof meets the index as a
     * value, not the decoding's quotient by the symbolic page size.
     */
    /*@ public normal_behavior
      @ requires regionSize != null && regionMmap != null;
      @ requires regionSize.length == regionMmap.length && regionSize.length >= VfioPciOffset.NUM_REGIONS;
      @ requires 0 <= index;
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % pageSize == 0;
      @ ensures \result == OK || \result == EINVAL;
      @ ensures index >= regionSize.length ==> \result == EINVAL;
      @ ensures !shared || Arith.ult(vmEnd, vmStart) ==> \result == EINVAL;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "vfio_pci_core_mmap", file = "drivers/vfio/pci/vfio_pci_core.c")
    static /*@ pure @*/ long regionCheck(long index, long within, long pageSize, long vmStart, long vmEnd,
            boolean shared, long[] regionSize, boolean[] regionMmap) {
        long size = regionSizeAt(index, regionSize);
        boolean mmap = regionMmapAt(index, regionMmap);
        long physLen = Arith.alignUp(size, pageSize);
        return check(index, regionSize.length - VfioPciOffset.NUM_REGIONS, vmStart, vmEnd, shared, mmap, mmap,
                physLen, within);
    }

    /** The region's length ({@code pci_resource_len} for a BAR), 0 past the last region. */
    /*@ public normal_behavior
      @ requires regionSize != null && 0 <= index;
      @ ensures index < regionSize.length ==> \result == regionSize[(int) index];
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ long regionSizeAt(long index, long[] regionSize) {
        return index < regionSize.length ? regionSize[(int) index] : 0;
    }

    /** Whether the region can be mmapped ({@code bar_mmap_supported} for a BAR), false past the last region. */
    /*@ public normal_behavior
      @ requires regionMmap != null && 0 <= index;
      @ ensures index < regionMmap.length ==> \result == regionMmap[(int) index];
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ boolean regionMmapAt(long index, boolean[] regionMmap) {
        return index < regionMmap.length && regionMmap[(int) index];
    }
}
