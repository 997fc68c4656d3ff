package io.pfnmap.vfio.core;

import io.pfnmap.arch.core.Kernel;
import io.pfnmap.mm.core.AlignedHook;
import io.pfnmap.mm.core.ArchLemmas;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.DoMmap;
import io.pfnmap.mm.core.Errno;
import io.pfnmap.mm.core.GetUnmappedArea;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.Predicates;
import io.pfnmap.mm.core.VmaTree;

/**
 * Where an mmap of a VFIO-PCI region lands under each design of kernel-facts part 3 (none is
 * merged): the driver's side of each (what it tells core mm, or which search it runs), then
 * {@code do_mmap} (mm/mmap.c) and {@code vfio_pci_core_mmap} (drivers/vfio/pci/vfio_pci_core.c).
 * The device's regions are {@link VfioRegions} (rows by region index), the architecture's pfnmap
 * leaves {@link PfnmapLeaves}.
 */
public final class VfioDesigns {
    private VfioDesigns() {
    }

    /** Mainline 6.18: the device file has no hook; the plain search. */
    public static final int NONE = 0;
    /** June 2025 series v1: the driver's hook tries PUD, then PMD, congruent to the BAR's physical address. */
    public static final int V1 = 1;
    /** The seed's design: the file reports an order; core mm tries the largest leaf not above it, then smaller. */
    public static final int ORDER_HINT = 2;
    /** December 2025 series v2: get_mapping_order, one aligned try without a hint, then plain. */
    public static final int V2 = 3;
    /** June 2026 proposal: the device file's hook is thp_get_unmapped_area (PMD only). */
    public static final int THP = 4;
    /** QEMU 9.2 in userspace: reserve size + align, map the region MAP_FIXED at an aligned address. */
    public static final int QEMU = 5;
    /** The device-dax precedent: the BAR's hook is dax_get_unmapped_area at the largest leaf not above the BAR ({@link VfioDax}). */
    public static final int DAX = 6;
    /**
     * cloud-hypervisor in userspace (pci/src/mmap.rs since its pull request 8435, June 2026): reserve
     * len + align, len rounded up to a power of two (at most 1 GiB), MAP_FIXED at the aligned address
     * inside; no fallback when the reservation fails.
     */
    public static final int CLOUD_HYPERVISOR = 7;

    /** ULONG_MAX: {@code file_mmap_size_max} of a character device without unsigned offsets. */
    public static final long DEVICE_MAX_SIZE = -1L;

    /** QEMU's cap on the alignment it asks for, 1 GiB. */
    public static final long QEMU_MAX_ALIGN = 1L << 30;

    /*@ public normal_behavior
      @ requires 0 <= index;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /** The length of region {@code index}, 0 when the device has no such region. */
    public static /*@ pure @*/ long regionLength(long[] regionSize, long index) {
        return index < regionSize.length ? regionSize[(int) index] : 0;
    }

    /**
     * v1's choice (vfio_pci_core_get_unmapped_area, June 2025): for a BAR request that starts
     * inside the BAR, {@code phys_len = min(PAGE_ALIGN(bar length), len)}; PUD when PUD pfnmap is
     * built and {@code phys_len >= PUD_SIZE}, then PMD likewise; nothing for other regions.
     */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % pageSize == 0;
      @ ensures \result != null && \result.length <= 2;
      @ ensures (\forall int i; 0 <= i && i < \result.length; \result[i] == pudSize || \result[i] == pmdSize);
      @ assignable \nothing; @*/
    public static long[] v1Sizes(long index, long barLen, long within, long len, long pageSize, long pmdSize,
            long pudSize, boolean pmdPfnmap, boolean pudPfnmap) {
        if (index >= VfioPciOffset.ROM || !Arith.ult(within, barLen)) {
            return new long[0];
        }
        long physLen = v1PhysLen(barLen, len, pageSize);
        boolean pud = pudPfnmap && pudSize != 0 && Arith.uge(physLen, pudSize);
        boolean pmd = pmdPfnmap && Arith.uge(physLen, pmdSize);
        return v1Array(pud, pmd, pudSize, pmdSize);
    }

    /** v1's {@code phys_len}: {@code min(PAGE_ALIGN(bar length), len)}, unsigned. */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % pageSize == 0;
      @ ensures true; // v1Sizes compares it only
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ long v1PhysLen(long barLen, long len, long pageSize) {
        return Arith.umin(Arith.alignUp(barLen, pageSize), len);
    }

    /** v1's sizes once chosen: PUD_SIZE if {@code pud}, then PMD_SIZE if {@code pmd}, in that order. */
    /*@ public normal_behavior
      @ ensures \result != null && \result.length == (pud ? 1 : 0) + (pmd ? 1 : 0);
      @ ensures (\forall int i; 0 <= i && i < \result.length; \result[i] == pudSize || \result[i] == pmdSize);
      @ ensures pud ==> \result[0] == pudSize;
      @ ensures pmd ==> \result[\result.length - 1] == pmdSize;
      @ assignable \nothing; @*/
    static long[] v1Array(boolean pud, boolean pmd, long pudSize, long pmdSize) {
        if (pud && pmd) {
            return new long[] {pudSize, pmdSize};
        }
        if (pud) {
            return new long[] {pudSize};
        }
        if (pmd) {
            return new long[] {pmdSize};
        }
        return new long[0];
    }

    /**
     * The order-hint design's driver side: the order of the largest naturally aligned pfn block
     * the file has for the range, for a BAR its size's order ({@code log2(bar length / PAGE_SIZE)}),
     * 0 for any other region or a request starting past the BAR.
     */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2;
      @ ensures 0 <= \result && \result <= 62;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ int orderHint(long index, long barLen, long within, long pageSize) {
        if (index >= VfioPciOffset.ROM || !Arith.ult(within, barLen) || barLen < pageSize) {
            return 0;
        }
        int order = 0;
        long s = pageSize;
        /*@ loop_invariant 0 <= order && order <= 62 && 0 < s && s <= barLen;
          @ decreases barLen - s; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (s <= barLen / 2 && order < 62) {
            s = s * 2;
            order++;
        }
        return order;
    }

    /**
     * v2's {@code vfio_pci_core_get_mapping_order} (December 2025): 0 for a non-BAR or an offset
     * past the BAR; else with {@code m = min(bar length - within, len)} the PUD order if PUD pfnmap
     * is built and {@code m >= PUD_SIZE}, else the PMD order if PMD pfnmap is built and {@code m >=
     * PMD_SIZE}, else 0. Returned as the leaf size (PAGE_SIZE for order 0).
     */
    /*@ public normal_behavior
      @ ensures \result == pageSize || \result == pmdSize || \result == pudSize; // one of the leaves (place's hookSizes)
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "vfio_pci_core_get_mapping_order")
    public static /*@ pure @*/ long v2MappingSize(long index, long barLen, long within, long len, long pageSize,
            long pmdSize, long pudSize, boolean pmdPfnmap, boolean pudPfnmap) {
        if (index >= VfioPciOffset.ROM || !Arith.ult(within, barLen)) {
            return pageSize;
        }
        long m = Arith.umin(barLen - within, len);
        if (pudPfnmap && pudSize != 0 && Arith.uge(m, pudSize)) {
            return pudSize;
        }
        if (pmdPfnmap && Arith.uge(m, pmdSize)) {
            return pmdSize;
        }
        return pageSize;
    }

    /*@ // The values qemuAlign's loop takes: the powers of two up to QEMU_MAX_ALIGN (1 GiB), listed,
      @ // because KeY does not derive that the double of a divisor of 2^30 below it divides 2^30.
      @ public static model pure boolean qemuAlignValue(long a) {
      @     return a == 1L || a == 2L || a == 4L || a == 8L || a == 16L || a == 32L || a == 64L ||
      @         a == 128L || a == 256L || a == 512L || a == 1024L || a == 2048L || a == 4096L ||
      @         a == 8192L || a == 16384L || a == 32768L || a == 65536L || a == 131072L || a == 262144L ||
      @         a == 524288L || a == 1048576L || a == 2097152L || a == 4194304L || a == 8388608L ||
      @         a == 16777216L || a == 33554432L || a == 67108864L || a == 134217728L || a == 268435456L ||
      @         a == 536870912L || a == 1073741824L;
      @ }
      @*/

    /** QEMU's alignment: the largest power of two dividing {@code size}, at most 1 GiB. */
    /*@ public normal_behavior
      @ ensures 0 < \result && \result <= QEMU_MAX_ALIGN && Arith.MAX_POW2 % \result == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long qemuAlign(long size) {
        long a = 1;
        /*@ loop_invariant 0 < a && a <= QEMU_MAX_ALIGN && qemuAlignValue(a);
          @ decreases QEMU_MAX_ALIGN - a; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (a < QEMU_MAX_ALIGN) {
            if (Arith.remU(size, a * 2) != 0) {
                return a; // 2a does not divide size
            }
            a = a * 2;
        }
        return a;
    }

    /**
     * cloud-hypervisor's alignment ({@code find_alignment}, pci/src/mmap.rs): 1 GiB for a length of
     * 1 GiB or more, else the smallest power of two not below the length, at least {@code
     * pageSize}. It differs from {@link #qemuAlign} wherever the length is no power of two: QEMU
     * takes the largest power of two dividing it (a sparse area of 0xb90000 bytes: 64 KiB), this
     * the smallest above it (16 MiB); neither looks at the area's offset in the BAR.
     */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize <= QEMU_MAX_ALIGN;
      @ ensures pageSize <= \result && \result <= QEMU_MAX_ALIGN;
      @ ensures Arith.ule(QEMU_MAX_ALIGN, len) ==> \result == QEMU_MAX_ALIGN;
      @ ensures Arith.MAX_POW2 % \result == 0; // a power of two: chPlace aligns to it (Arith.alignUp)
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "find_alignment")
    public static /*@ pure @*/ long chAlign(long len, long pageSize) {
        if (Arith.ule(QEMU_MAX_ALIGN, len)) {
            return QEMU_MAX_ALIGN;
        }
        // down from 1 GiB, halving while the half still covers the length and a page: the smallest
        // such power of two (Rust's next_power_of_two, then max with the page size)
        long a = QEMU_MAX_ALIGN;
        /*@ loop_invariant pageSize <= a && a <= QEMU_MAX_ALIGN && qemuAlignValue(a);
          @ decreases a; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (a / 2 >= len && a / 2 >= pageSize) {
            a = a / 2;
        }
        return a;
    }

    /**
     * The mmap of a VFIO-PCI device file under {@code policy}: the placement ({@code do_mmap}
     * with the design's search), then {@code vfio_pci_core_mmap}'s checks. Returns the address or
     * {@code -errno}.
     */
    /*@ public normal_behavior
      @ requires Predicates.mmapSizes(mm);
      @ requires Predicates.mmapDomain(mm); // do_mmap's searches' domain (DoMmap.doMmap, doMmapHook)
      @ requires VmaTree.boundsInRange(mm);
      @ requires mm.pageSize < VfioPciOffset.OFFSET_SIZE && VfioPciOffset.OFFSET_SIZE % mm.pageSize == 0;
      @ requires dev.size != null && dev.mmap != null && dev.phys != null && arch.descending != null;
      @ requires dev.size.length == dev.mmap.length && dev.size.length == dev.phys.length;
      @ requires dev.size.length >= VfioPciOffset.NUM_REGIONS;
      @ assignable \nothing; @*/
    @Kernel(fn = "do_mmap", file = "mm/mmap.c")
    public static long mmap(MmState mm, int policy, long addr, long len, long pgoff, long flags, VfioRegions dev,
            PfnmapLeaves arch) {
        ArchLemmas.mmapSizesDef(mm); // a lemma, no code: the page size's facts (predicates folded)
        long r = place(mm, policy, addr, len, pgoff, flags, dev, arch);
        if (Arith.isErrValue(r)) {
            return r;
        }
        long end = r + Arith.alignUp(len, mm.pageSize);
        long check = VfioPciMmap.vfioPciCoreMmap(pgoff, mm.pageSize, r, end, MapFlags.has(flags, MapFlags.MAP_SHARED),
                dev.size, dev.mmap);
        return check == 0 ? r : check;
    }

    /** The placement alone: do_mmap with the design's search (no driver checks). */
    /*@ public normal_behavior
      @ requires Predicates.mmapSizes(mm);
      @ requires Predicates.mmapDomain(mm); // do_mmap's searches' domain (DoMmap.doMmap, doMmapHook)
      @ requires VmaTree.boundsInRange(mm);
      @ requires mm.pageSize <= VfioPciOffset.OFFSET_SIZE && VfioPciOffset.OFFSET_SIZE % mm.pageSize == 0;
      @ requires dev.size != null && dev.phys != null && arch.descending != null;
      @ requires dev.size.length == dev.phys.length;
      @ assignable \nothing; @*/
    public static long place(MmState mm, int policy, long addr, long len, long pgoff, long flags, VfioRegions dev,
            PfnmapLeaves arch) {
        long page = mm.pageSize;
        long index = VfioPciOffset.pgoffToIndex(pgoff, page);
        long within = VfioPciOffset.pgoffWithin(pgoff, page);
        long barLen = regionLength(dev.size, index);
        long off = pgoff * page;
        if (policy == V1) {
            long phys = index < dev.phys.length ? dev.phys[(int) index] : 0;
            long[] sizes = v1Sizes(index, barLen, within, Arith.alignUp(len, page), page, mm.pmdSize, arch.pudSize,
                    arch.pmdPfnmap, arch.pudPfnmap);
            return DoMmap.doMmapHook(mm, GetUnmappedArea.FILE_ALIGNED_HOOK, addr, len, pgoff, flags, DEVICE_MAX_SIZE,
                    sizes, phys + within);
        }
        if (policy == ORDER_HINT) {
            long[] sizes = OrderHint.orderHintSizes(arch.descending, page, orderHint(index, barLen, within, page),
                    Arith.alignUp(len, page));
            return DoMmap.doMmapHook(mm, GetUnmappedArea.FILE_ALIGNED_HOOK, addr, len, pgoff, flags, DEVICE_MAX_SIZE,
                    sizes, off);
        }
        if (policy == V2) {
            long size = v2MappingSize(index, barLen, within, Arith.alignUp(len, page), page, mm.pmdSize, arch.pudSize,
                    arch.pmdPfnmap, arch.pudPfnmap);
            long[] sizes = size == page ? new long[0] : new long[] {size};
            return DoMmap.doMmapHook(mm, GetUnmappedArea.FILE_MAPPING_ORDER, addr, len, pgoff, flags, DEVICE_MAX_SIZE,
                    sizes, off);
        }
        if (policy == THP) {
            long[] sizes = mm.thp ? new long[] {mm.pmdSize} : new long[0];
            return DoMmap.doMmapHook(mm, GetUnmappedArea.FILE_ALIGNED_HOOK, addr, len, pgoff, flags, DEVICE_MAX_SIZE,
                    sizes, off);
        }
        if (policy == QEMU) {
            return qemuPlace(mm, addr, len, pgoff, flags);
        }
        if (policy == CLOUD_HYPERVISOR) {
            return chPlace(mm, addr, len, pgoff, flags);
        }
        if (policy == DAX) {
            return VfioDax.doMmap(mm, addr, len, pgoff, flags, VfioDax.daxAlign(index, barLen, within, arch.descending),
                    DEVICE_MAX_SIZE);
        }
        return DoMmap.doMmap(mm, GetUnmappedArea.FILE_PLAIN, addr, len, pgoff, flags, DEVICE_MAX_SIZE);
    }

    /**
     * QEMU 9.2's {@code vfio_region_mmap} with aligned mmaps (hw/vfio/helpers.c): reserve {@code
     * size + align} of PROT_NONE anonymous memory (an ordinary anonymous mmap, itself THP-aligned
     * when PMD-sized), then map the region with MAP_FIXED at the first {@code align}-aligned address
     * inside; if the reservation fails, an ordinary mmap.
     */
    /*@ public normal_behavior
      @ requires Predicates.mmapSizes(mm);
      @ requires Predicates.mmapDomain(mm); // do_mmap's searches' domain (DoMmap.doMmap, doMmapHook)
      @ requires VmaTree.boundsInRange(mm);
      @ requires mm.pageSize <= VfioPciOffset.OFFSET_SIZE && VfioPciOffset.OFFSET_SIZE % mm.pageSize == 0;
      @ ensures len == 0 ==> \result == -22; // -EINVAL from the last do_mmap, whichever it is
      @ ensures !Arith.isErrValue(\result) ==> Arith.remU(\result, mm.pageSize) == 0;
      @ assignable \nothing; @*/
    @Kernel(fn = "vfio_region_mmap", file = "hw/vfio/helpers.c")
    public static /*@ pure @*/ long qemuPlace(MmState mm, long addr, long len, long pgoff, long flags) {
        long align = qemuAlign(len);
        long reserveLen = len + align;
        long reserve = Arith.ult(reserveLen, len) ? Errno.ENOMEM_VALUE
                : DoMmap.doMmap(mm, GetUnmappedArea.FILE_ANON, addr, reserveLen, 0,
                        MapFlags.MAP_PRIVATE + MapFlags.MAP_ANONYMOUS, 0);
        if (Arith.isErrValue(reserve)) {
            return DoMmap.doMmap(mm, GetUnmappedArea.FILE_PLAIN, addr, len, pgoff, flags, DEVICE_MAX_SIZE);
        }
        long target = Arith.alignUp(reserve, align);
        return DoMmap.doMmap(mm, GetUnmappedArea.FILE_PLAIN, target, len, pgoff, MapFlags.with(flags, MapFlags.MAP_FIXED),
                DEVICE_MAX_SIZE);
    }

    /**
     * cloud-hypervisor's {@code allocate_aligned_mapping} (pci/src/mmap.rs), which maps every sparse
     * mmap area of a BAR ({@code MmapRegion::mmap}, one per area, pci/src/vfio.rs): at page
     * alignment a plain mmap; else reserve {@code len + align} of PROT_NONE anonymous memory
     * (MAP_NORESERVE, which changes no placement; an ordinary anonymous mmap, THP-aligned when
     * PMD-sized), trim the head and the tail, and map the area MAP_FIXED at the first aligned
     * address inside. Unlike {@link #qemuPlace} a failed reservation is the answer: there is no
     * plain mmap after it, so the design fails where the plain search succeeds when only {@code len}
     * fits. The trimmed head and tail are free again for the next area.
     */
    /*@ public normal_behavior
      @ requires Predicates.mmapSizes(mm);
      @ requires Predicates.mmapDomain(mm); // do_mmap's searches' domain (DoMmap.doMmap, doMmapHook)
      @ requires VmaTree.boundsInRange(mm);
      @ requires mm.pageSize <= VfioPciOffset.OFFSET_SIZE && VfioPciOffset.OFFSET_SIZE % mm.pageSize == 0;
      @ requires mm.pageSize <= QEMU_MAX_ALIGN;
      @ ensures !Arith.isErrValue(\result) ==> Arith.remU(\result, mm.pageSize) == 0;
      @ assignable \nothing; @*/
    @Kernel(fn = "allocate_aligned_mapping")
    public static /*@ pure @*/ long chPlace(MmState mm, long addr, long len, long pgoff, long flags) {
        ArchLemmas.mmapSizesDef(mm); // a lemma, no code: the page size's facts (predicates folded)
        long align = chAlign(len, mm.pageSize);
        if (align == mm.pageSize) {
            return DoMmap.doMmap(mm, GetUnmappedArea.FILE_PLAIN, addr, len, pgoff, flags, DEVICE_MAX_SIZE);
        }
        long reserveLen = len + align;
        if (Arith.ult(reserveLen, len)) {
            return Errno.err(Errno.EINVAL); // its checked_add: "Length+Alignment overflows"
        }
        long reserve = DoMmap.doMmap(mm, GetUnmappedArea.FILE_ANON, addr, reserveLen, 0,
                MapFlags.MAP_PRIVATE + MapFlags.MAP_ANONYMOUS, 0);
        if (Arith.isErrValue(reserve)) {
            return reserve;
        }
        return DoMmap.doMmap(mm, GetUnmappedArea.FILE_PLAIN, Arith.alignUp(reserve, align), len, pgoff,
                MapFlags.with(flags, MapFlags.MAP_FIXED), DEVICE_MAX_SIZE);
    }
}
