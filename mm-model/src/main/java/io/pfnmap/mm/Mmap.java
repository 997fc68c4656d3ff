package io.pfnmap.mm;

import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.AlignedArea;
import io.pfnmap.mm.core.ArchGetUnmappedArea;
import io.pfnmap.mm.core.DoMmap;
import io.pfnmap.mm.core.GetUnmappedArea;
import io.pfnmap.mm.core.Hugetlb;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.mm.core.UnmappedArea;

/**
 * The model's entry points over the API records. Each converts, calls the proved core once and
 * converts back; every decision is in {@code io.pfnmap.mm.core}.
 */
public final class Mmap {
    private Mmap() {
    }

    /**
     * {@code ksys_mmap_pgoff} and {@code do_mmap} (mm/mmap.c): where the request lands, or its
     * errno (hugetlb under the configuration's {@link MmConfig#hstates}).
     */
    public static Placement doMmap(AddressSpace as, MmapRequest r) {
        Hstates h = as.config().hstates();
        int file = r.file() == FileKind.HUGETLBFS ? h.fileCore() : r.file().core();
        return new Placement(Hugetlb.ksysMmapPgoff(as.state(), file, r.addr(), r.len(), r.pgoff(), r.flags(),
                r.file().maxSize(), hstates(as, r), h.available(), h.fileCore(), ReservedRange.froms(r.reserved()),
                ReservedRange.tos(r.reserved())));
    }

    /** The length of the VMA a placed request makes: its huge page for hugetlb, else the page. */
    public static long mappedLength(AddressSpace as, MmapRequest r) {
        return Hugetlb.mappedLength(as.state(), r.file().core(), r.len(), r.flags(), hstates(as, r));
    }

    private static final long[] NO_HSTATES = new long[0];

    /** The huge page of a hugetlb request ({@code Hugetlb.hugeSize}): 0 when it is not hugetlb or no hstate fits. */
    public static long hugePageSize(AddressSpace as, MmapRequest r) {
        return Hugetlb.hugeSize(r.file().core(), r.flags(), hstates(as, r));
    }

    /** The hstates a request chooses from: a hugetlbfs file's own, else the kernel's, the default first. */
    private static long[] hstates(AddressSpace as, MmapRequest r) {
        Hstates h = as.config().hstates();
        if (r.file() != FileKind.HUGETLBFS && !MapFlags.has(r.flags(), Hugetlb.MAP_HUGETLB)) {
            return NO_HSTATES; // ksys_mmap_pgoff reads no hstate for it: no array to build on the hot path
        }
        if (r.file() != FileKind.HUGETLBFS) {
            return h.checked(as.state().pageSize);
        }
        // A hugetlbfs mount's pagesize= must name an hstate, or the mount (and the file) could not exist.
        if (!h.sizes().contains(r.hugePageSize())) {
            throw new InvalidInputException("hugetlbfs.page_size", "must be one of the kernel's hstates " + h.sizes());
        }
        return new long[] {r.hugePageSize()};
    }

    /**
     * {@code __get_unmapped_area} (mm/mmap.c) for a page-aligned, non-zero length; a hugetlbfs
     * file's hook searches at its huge page.
     */
    public static Placement getUnmappedArea(AddressSpace as, MmapRequest r) {
        if (r.file() == FileKind.HUGETLBFS) {
            Hstates h = as.config().hstates();
            return new Placement(GetUnmappedArea.getUnmappedAreaHook(as.state(), h.fileCore(), r.addr(), r.len(),
                    r.pgoff(), r.flags(), hstates(as, r), 0));
        }
        return new Placement(GetUnmappedArea.getUnmappedArea(as.state(), r.file().core(), r.addr(), r.len(),
                r.pgoff(), r.flags()));
    }

    /** {@code mm_get_unmapped_area_vmflags} (mm/mmap.c): the plain search of the task's layout. */
    public static Placement mmGetUnmappedArea(AddressSpace as, long addr, long len, long pgoff, long flags) {
        return new Placement(ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(as.state(), addr, len, pgoff, flags, 0));
    }

    /**
     * {@code __thp_get_unmapped_area} (mm/huge_memory.c) at any leaf size, the helper the
     * huge-pfnmap series calls {@code mm_get_unmapped_area_aligned}; 0 means "fall back".
     */
    public static long getUnmappedAreaAligned(AddressSpace as, long addr, long len, long off, long flags,
            long size) {
        if (size <= 0 || Long.bitCount(size) != 1 || size > (1L << 62)) {
            throw new InvalidInputException("size", "must be a power of two in [1, 2^62]");
        }
        return AlignedArea.thpGetUnmappedAreaAligned(as.state(), addr, len, off, flags, size, 0);
    }

    /** The align masks a raw search takes: the ones the kernel passes (the searches' precondition, {@code Arith.maskLow}). */
    public static final String ALIGN_MASK_RULE = "must be a mask the kernel passes, below 2^62: 2^k - 1, or "
            + "(2^k - 1) & PAGE_MASK (hugetlb's huge_page_mask_align, AMD F15h's va_align.mask; 0 included)";

    /** Whether {@code mask} is one {@link #ALIGN_MASK_RULE} allows (the searches' precondition, {@code Arith.maskLow}) for this page size. */
    public static boolean isKernelAlignMask(long mask, long pageSize) {
        return mask >= 0 && mask < (1L << 62) && Long.bitCount(mask + Arith.maskLow(mask, pageSize)) == 1;
    }

    /** Why a raw search's length must not be 0. */
    public static final String LENGTH_RULE = "must not be 0: do_mmap rejects len 0 (-EINVAL) before any search, "
            + "and with 0 the bottom-up retry can wrap and repeat forever";

    /** Why a raw search's start_gap is at most 2^62. */
    public static final String START_GAP_RULE = "must be at most 2^62 (the kernel passes 0 or PAGE_SIZE): above, "
            + "length + align_mask + start_gap can wrap past the kernel's overflow check and the retry repeat forever";

    /**
     * {@code vm_unmapped_area} (include/linux/mm.h) with a raw info struct. Refuses the inputs on
     * which the kernel's retry loop need not end (a zero length, a start_gap above 2^62).
     */
    public static Placement vmUnmappedArea(AddressSpace as, boolean topdown, long length, long lowLimit,
            long highLimit, long alignMask, long alignOffset, long startGap) {
        if (!isKernelAlignMask(alignMask, as.state().pageSize)) {
            throw new InvalidInputException("align_mask", ALIGN_MASK_RULE);
        }
        if (length == 0) {
            throw new InvalidInputException("length", LENGTH_RULE);
        }
        if (Long.compareUnsigned(startGap, MmConfig.MAX_BOUND) > 0) {
            throw new InvalidInputException("start_gap", START_GAP_RULE);
        }
        return new Placement(UnmappedArea.vmUnmappedArea(as.state(), topdown, length, lowLimit, highLimit,
                alignMask, alignOffset, startGap));
    }
}
