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
      @ ensures 0 <= length && 0 <= alignMask && 0 <= startGap && (\bigint) length + alignMask + startGap <= Long.MAX_VALUE
      @         ==> \result == length + alignMask + startGap;
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
      @ requires VmaTree.vmasValid(mm);
      @ requires 0 <= alignMask && alignMask < Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % (alignMask + 1) == 0;
      @ requires 0 < length && 0 <= startGap && (\bigint) length + alignMask + startGap <= Long.MAX_VALUE;
      @ requires 0 <= lowLimit && 0 < highLimit && 0 <= mm.mmapMinAddr && mm.mmapMinAddr <= Long.MAX_VALUE;
      @ requires (\forall int i; 0 <= i && i < mm.vmStart.length; (mm.vmFlags[i] / 2) % 2 == 0);
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
     *
     * <p>The contract is the card's in-bounds, no-overlap and congruence, proved by KeY with the
     * loop's invariant and measure (low only grows) on the domain of every real caller: VMAs,
     * limits and the padded length below 2^63, a non-zero length, no VM_GROWSUP (x86_64 and arm64 have none). Congruence is stated against {@code remU(alignOffset, m)}, whose
     * contract gives {@code (alignOffset - remU(alignOffset, m)) % m == 0}.
     */
    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm);
      @ requires 0 <= alignMask && alignMask < Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % (alignMask + 1) == 0;
      @ requires 0 < length && 0 <= startGap && (\bigint) length + alignMask + startGap <= Long.MAX_VALUE;
      @ requires 0 <= lowLimit && 0 < highLimit && 0 <= mm.mmapMinAddr && mm.mmapMinAddr <= Long.MAX_VALUE;
      @ requires (\forall int i; 0 <= i && i < mm.vmStart.length; (mm.vmFlags[i] / 2) % 2 == 0);
      @ ensures \result == -12
      @      || (lowLimit <= \result && mm.mmapMinAddr <= \result && (\bigint) \result + length <= highLimit
      @          && ((\bigint) \result - Arith.remU(alignOffset, (long) (alignMask + 1))) % (alignMask + 1) == 0
      @          && (\forall int i; 0 <= i && i < mm.vmStart.length;
      @                 mm.vmEnd[i] <= \result || (\bigint) \result + length <= mm.vmStart[i]));
      @ assignable \nothing; @*/
    public static /*@ pure @*/ long unmappedArea(MmState mm, long length, long lowLimit, long highLimit,
            long alignMask, long alignOffset, long startGap) {
        long padded = paddedLength(length, alignMask, startGap);
        if (padded == 0) {
            return Errno.err(Errno.ENOMEM);
        }
        long low = Arith.umax(lowLimit, mm.mmapMinAddr);
        long high = highLimit;
        /*@ loop_invariant lowLimit <= low && mm.mmapMinAddr <= low;
          @ assignable \nothing;
          @ decreases Long.MAX_VALUE - low; @*/
        while (true) {
            int k = VmaTree.areaLowest(mm, low, high - 1, padded);
            if (k < 0) {
                return Errno.err(Errno.ENOMEM);
            }
            long gap = Arith.umax(VmaTree.gapStart(mm, k), low) + startGap;
            gap = Arith.alignUpOffset(gap, alignOffset, alignMask + 1);
            long next = retryLow(mm, k, gap, padded);
            if (next == 0) {
                return gap;
            }
            low = next;
        }
    }

    /**
     * The guard-gap test of one try of {@code unmapped_area} (mm/vma.c): the low limit to retry
     * from when the VMA after gap {@code k} has a start gap (VM_GROWSDOWN or VM_SHADOW_STACK) that
     * {@code gap + padded - 1} passes, or, when it has none, the VMA before it an end gap above
     * {@code gap}; 0 when {@code gap} stands. Its own method so that the loop's proof composes
     * contracts. The kernel tests only the next VMA when it has start-gap flags ("avoid prev check
     * if possible"), so a VM_GROWSUP VMA before it goes unchecked then.
     */
    /*@ public normal_behavior
      @ requires VmaTree.near(mm, k) && 0 <= gap;
      @ requires k > 0 ==> (mm.vmFlags[k - 1] / 2) % 2 == 0;
      @ requires k < mm.vmStart.length ==> gap < mm.vmEnd[k];
      @ ensures \result == 0 || gap < \result;
      @ assignable \nothing; @*/
    public static /*@ pure @*/ long retryLow(MmState mm, int k, long gap, long padded) {
        if (k < mm.vmStart.length && VmaTree.hasStartGap(mm.vmFlags, k)) {
            if (Arith.ult(VmaTree.vmStartGap(mm, k), gap + padded - 1)) {
                return mm.vmEnd[k];
            }
            return 0;
        }
        if (k > 0 && Arith.ugt(VmaTree.vmEndGap(mm, k - 1), gap)) {
            return VmaTree.vmEndGap(mm, k - 1);
        }
        return 0;
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
            gap = Arith.alignDownOffset(gap, alignOffset, alignMask + 1);
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
