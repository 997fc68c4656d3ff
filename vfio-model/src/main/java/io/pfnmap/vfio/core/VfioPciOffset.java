package io.pfnmap.vfio.core;

import io.pfnmap.arch.core.Kernel;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.ArithLemmas;

/**
 * {@code VFIO_PCI_OFFSET_TO_INDEX}, {@code VFIO_PCI_INDEX_TO_OFFSET}, {@code VFIO_PCI_OFFSET_MASK}
 * (include/linux/vfio_pci_core.h) and the pgoff decoding of {@code vfio_pci_core_mmap}
 * (drivers/vfio/pci/vfio_pci_core.c).
 *
 * <p>A VFIO-PCI device file is cut into regions of 2^40 bytes each: the top bits of a file offset
 * name the region, the low 40 bits are the offset within it. Region indices are those of
 * include/uapi/linux/vfio.h ({@code VFIO_PCI_BAR0_REGION_INDEX} ...). The C shifts and masks are
 * written here as {@code /} and {@code %} by powers of two, on unsigned values (kernel-facts part 3,
 * "Regions and the file offset").
 */
public final class VfioPciOffset {
    private VfioPciOffset() {
    }

    /** {@code VFIO_PCI_OFFSET_SHIFT}: each region spans 2^40 bytes of the file. */
    public static final int OFFSET_SHIFT = 40;

    /** 2^40, the span of one region in the file ({@code 1ULL << VFIO_PCI_OFFSET_SHIFT}). */
    public static final long OFFSET_SIZE = 1099511627776L;

    /** {@code VFIO_PCI_OFFSET_MASK}: 2^40 - 1. */
    public static final long OFFSET_MASK = OFFSET_SIZE - 1;

    /** 2^24: a 64-bit offset encodes region indices 0 .. 2^24 - 1. */
    public static final long INDEX_LIMIT = 16777216L;

    /** {@code VFIO_PCI_BAR0_REGION_INDEX}. */
    public static final int BAR0 = 0;
    /** {@code VFIO_PCI_BAR1_REGION_INDEX}. */
    public static final int BAR1 = 1;
    /** {@code VFIO_PCI_BAR2_REGION_INDEX}. */
    public static final int BAR2 = 2;
    /** {@code VFIO_PCI_BAR3_REGION_INDEX}. */
    public static final int BAR3 = 3;
    /** {@code VFIO_PCI_BAR4_REGION_INDEX}. */
    public static final int BAR4 = 4;
    /** {@code VFIO_PCI_BAR5_REGION_INDEX}. */
    public static final int BAR5 = 5;
    /** {@code VFIO_PCI_ROM_REGION_INDEX}. */
    public static final int ROM = 6;
    /** {@code VFIO_PCI_CONFIG_REGION_INDEX}. */
    public static final int CONFIG = 7;
    /** {@code VFIO_PCI_VGA_REGION_INDEX}. */
    public static final int VGA = 8;
    /** {@code VFIO_PCI_NUM_REGIONS}: device-specific regions are numbered from here. */
    public static final int NUM_REGIONS = 9;

    /**
     * {@code VFIO_PCI_OFFSET_TO_INDEX(off)} (include/linux/vfio_pci_core.h): {@code off >> 40} on
     * the unsigned offset.
     */
    /*@ public normal_behavior
      @ ensures 0 <= \result && \result < INDEX_LIMIT;
      @ ensures \result == Arith.u(off) / OFFSET_SIZE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "VFIO_PCI_OFFSET_TO_INDEX", file = "include/linux/vfio_pci_core.h")
    public static /*@ pure @*/ long offsetToIndex(long off) {
        return Arith.udiv(off, OFFSET_SIZE);
    }

    /**
     * {@code VFIO_PCI_INDEX_TO_OFFSET(index)} (include/linux/vfio_pci_core.h): {@code (u64) index
     * << 40}, the base offset of a region (negative as a Java long from index 2^23 up).
     */
    /*@ public normal_behavior
      @ requires 0 <= index && index < INDEX_LIMIT;
      @ ensures Arith.u(\result) == (\bigint) index * OFFSET_SIZE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "VFIO_PCI_INDEX_TO_OFFSET", file = "include/linux/vfio_pci_core.h")
    public static /*@ pure @*/ long indexToOffset(long index) {
        return index * OFFSET_SIZE;
    }

    /**
     * {@code off & VFIO_PCI_OFFSET_MASK} (include/linux/vfio_pci_core.h): the offset within the
     * region.
     */
    /*@ public normal_behavior
      @ ensures 0 <= \result && \result < OFFSET_SIZE;
      @ ensures (Arith.u(off) - \result) % OFFSET_SIZE == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long offsetWithin(long off) {
        return Arith.remU(off, OFFSET_SIZE);
    }

    /**
     * {@code vma->vm_pgoff >> (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT)} (drivers/vfio/pci/vfio_pci_core.c,
     * vfio_pci_core_mmap): the region index of a page offset. The kernel keeps it in an {@code
     * unsigned int}, which is exact for every pgoff an mmap can pass (pgoff below 2^64 / PAGE_SIZE).
     */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize <= OFFSET_SIZE;
      @ requires OFFSET_SIZE % pageSize == 0;
      @ ensures pageSize < OFFSET_SIZE ==> 0 <= \result;
      @ ensures pageSize < OFFSET_SIZE ==> \result == Arith.u(pgoff) / (OFFSET_SIZE / pageSize);
      @ ensures pageSize == OFFSET_SIZE ==> \result == pgoff;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long pgoffToIndex(long pgoff, long pageSize) {
        return Arith.udiv(pgoff, OFFSET_SIZE / pageSize);
    }

    /**
     * {@code (vma->vm_pgoff & ((1U << (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT)) - 1)) << PAGE_SHIFT}
     * (drivers/vfio/pci/vfio_pci_core.c, vfio_pci_core_mmap's {@code req_start}): the byte offset
     * within the region of a page offset.
     */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize <= OFFSET_SIZE;
      @ requires OFFSET_SIZE % pageSize == 0;
      @ ensures 0 <= \result && \result < OFFSET_SIZE;
      @ ensures \result == Arith.remUOf(pgoff, (long) (OFFSET_SIZE / pageSize)) * pageSize;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "req_start", file = "drivers/vfio/pci/vfio_pci_core.c")
    public static /*@ pure @*/ long pgoffWithin(long pgoff, long pageSize) {
        long pages = OFFSET_SIZE / pageSize; // 2^(40 - PAGE_SHIFT), pages per region
        // lemmas, no code: pages * pageSize == 2^40, so pages divides 2^62 (remU's modulus rule)
        ArithLemmas.divMod(OFFSET_SIZE, pageSize);
        ArithLemmas.mulDiv(pages, pageSize * 4194304L);
        long r = Arith.remU(pgoff, pages);
        ArithLemmas.mulNonNeg(r, pageSize); // r * pageSize is not negative
        ArithLemmas.mulBelow(r, pages, pageSize); // and stays below pages * pageSize = 2^40
        return r * pageSize;
    }

    /**
     * {@code VFIO_PCI_INDEX_TO_OFFSET(index) >> PAGE_SHIFT} (include/linux/vfio_pci_core.h): the
     * first page offset of a region, what userspace passes to map a region from its start.
     * Pages of at least 2 bytes (every PAGE_SHIFT is at least 12): with 1-byte pages the product
     * reaches 2^63 and the signed {@code long} turns negative, which KeY found against the first
     * form of this contract.
     */
    /*@ public normal_behavior
      @ requires 0 <= index && index < INDEX_LIMIT;
      @ requires 2 <= pageSize && pageSize <= OFFSET_SIZE;
      @ requires OFFSET_SIZE % pageSize == 0;
      @ ensures 0 <= \result && \result == (\bigint) index * (OFFSET_SIZE / pageSize);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "VFIO_PCI_INDEX_TO_OFFSET", file = "include/linux/vfio_pci_core.h")
    public static /*@ pure @*/ long indexToPgoff(long index, long pageSize) {
        return index * (OFFSET_SIZE / pageSize);
    }

    /** Whether {@code index} names a BAR (BAR0 .. BAR5): {@code index <= VFIO_PCI_BAR5_REGION_INDEX}. */
    /*@ public normal_behavior
      @ ensures \result <==> (BAR0 <= index && index <= BAR5);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean isBar(long index) {
        return BAR0 <= index && index <= BAR5;
    }

    /** Whether {@code index} names a device-specific region: {@code index >= VFIO_PCI_NUM_REGIONS}. */
    /*@ public normal_behavior
      @ ensures \result <==> index >= NUM_REGIONS;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean isDeviceRegion(long index) {
        return index >= NUM_REGIONS;
    }
}
