package io.pfnmap.mm.core;

/**
 * {@code vm_unmapped_area} and its two searches, {@code unmapped_area} and {@code
 * unmapped_area_topdown} (mm/vma.c, include/linux/mm.h): find a free range of {@code length}
 * bytes in {@code [lowLimit, highLimit)}, congruent to {@code alignOffset} modulo {@code
 * alignMask + 1}, clear of guard gaps. The tree search ignores guard gaps; a hit that violates
 * one is retried with a narrowed window, as the kernel does.
 *
 * <p>{@code alignMask + 1} must be a power of two (the kernel only ever passes such masks:
 * huge_page_mask_align, va_align.mask, 0).
 */
public final class UnmappedArea {
    private UnmappedArea() {
    }

    /**
     * The padded search length {@code info->length + align_mask + start_gap}, or 0 when it
     * wraps below {@code length} (the kernel then returns -ENOMEM).
     */
    /*@ public normal_behavior
      @ ensures \result == 0 || Arith.u(\result) >= Arith.u(length);
      @ assignable \nothing; @*/
    public static /*@ pure @*/ long paddedLength(long length, long alignMask, long startGap) {
        long padded = length + alignMask + startGap;
        if (Arith.ult(padded, length)) {
            return 0;
        }
        return padded;
    }

    /**
     * {@code vm_unmapped_area} (include/linux/mm.h): top-down or bottom-up as
     * VM_UNMAPPED_AREA_TOPDOWN says.
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires 0 <= alignMask && alignMask < Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % (alignMask + 1) == 0;
      @ assignable \nothing; @*/
    public static /*@ pure @*/ long vmUnmappedArea(MmState mm, boolean topdown, long length, long lowLimit,
            long highLimit, long alignMask, long alignOffset, long startGap) {
        if (topdown) {
            return unmappedAreaTopdown(mm, length, lowLimit, highLimit, alignMask, alignOffset, startGap);
        }
        return unmappedArea(mm, length, lowLimit, highLimit, alignMask, alignOffset, startGap);
    }

    /**
     * {@code unmapped_area} (mm/vma.c): the lowest fit. The result {@code gap} satisfies
     * {@code lowLimit' <= gap}, {@code gap + length <= highLimit}, {@code (gap - alignOffset) %
     * (alignMask+1) == 0}, and its range with guard gaps meets no VMA, or it is -ENOMEM.
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires 0 <= alignMask && alignMask < Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % (alignMask + 1) == 0;
      @ ensures \result == Errno.err(Errno.ENOMEM)
      @      || Arith.remU((long) (\result - alignOffset), (long) (alignMask + 1)) == 0;
      @ assignable \nothing; @*/
    public static /*@ pure @*/ long unmappedArea(MmState mm, long length, long lowLimit, long highLimit,
            long alignMask, long alignOffset, long startGap) {
        long padded = paddedLength(length, alignMask, startGap);
        if (padded == 0) {
            return Errno.err(Errno.ENOMEM);
        }
        long low = Arith.umax(lowLimit, mm.mmapMinAddr);
        long high = highLimit;
        while (true) {
            int k = VmaTree.areaLowest(mm, low, high - 1, padded);
            if (k < 0) {
                return Errno.err(Errno.ENOMEM);
            }
            long gap = Arith.umax(VmaTree.gapStart(mm, k), low) + startGap;
            gap = gap + Arith.remU(alignOffset - gap, alignMask + 1);
            if (k < mm.vmStart.length && VmaTree.hasStartGap(mm.vmFlags, k)) {
                if (Arith.ult(VmaTree.vmStartGap(mm, k), gap + padded - 1)) {
                    low = mm.vmEnd[k];
                    continue;
                }
            } else if (k > 0 && Arith.ugt(VmaTree.vmEndGap(mm, k - 1), gap)) {
                low = VmaTree.vmEndGap(mm, k - 1);
                continue;
            }
            return gap;
        }
    }

    /**
     * {@code unmapped_area_topdown} (mm/vma.c): the highest fit, rounded down to congruence.
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires 0 <= alignMask && alignMask < Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % (alignMask + 1) == 0;
      @ ensures \result == Errno.err(Errno.ENOMEM)
      @      || Arith.remU((long) (\result - alignOffset), (long) (alignMask + 1)) == 0;
      @ assignable \nothing; @*/
    public static /*@ pure @*/ long unmappedAreaTopdown(MmState mm, long length, long lowLimit, long highLimit,
            long alignMask, long alignOffset, long startGap) {
        long padded = paddedLength(length, alignMask, startGap);
        if (padded == 0) {
            return Errno.err(Errno.ENOMEM);
        }
        long low = Arith.umax(lowLimit, mm.mmapMinAddr);
        long high = highLimit;
        while (true) {
            int k = VmaTree.areaHighest(mm, low, high - 1, padded);
            if (k < 0) {
                return Errno.err(Errno.ENOMEM);
            }
            long gapEnd = Arith.umin(VmaTree.gapLast(mm, k), high - 1) + 1;
            long gap = gapEnd - length;
            gap = gap - Arith.remU(gap - alignOffset, alignMask + 1);
            if (k < mm.vmStart.length && VmaTree.hasStartGap(mm.vmFlags, k)) {
                if (Arith.ult(VmaTree.vmStartGap(mm, k), gapEnd)) {
                    high = VmaTree.vmStartGap(mm, k);
                    continue;
                }
            } else if (k > 0 && Arith.ugt(VmaTree.vmEndGap(mm, k - 1), gap)) {
                high = mm.vmStart[k - 1];
                continue;
            }
            return gap;
        }
    }
}
