package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * {@code vm_unmapped_area} and its two searches, {@code unmapped_area} and {@code
 * unmapped_area_topdown} (mm/vma.c, include/linux/mm.h): find a free range of {@code infoLength}
 * bytes in {@code [lowLimit, highLimit)}, congruent to {@code alignOffset} modulo {@code
 * alignMask + 1}, clear of guard gaps. The tree search ignores guard gaps; a hit that violates
 * one is retried with a narrowed window, as the kernel does.
 *
 * <p>{@code alignMask} is one the kernel passes ({@link Arith#maskLow}): 0, 2^k - 1, or
 * (2^k - 1) & PAGE_MASK (hugetlb's huge_page_mask_align, AMD F15h's va_align.mask). The search
 * pads by the mask itself and aligns with the kernel's {@code &}; where the gap and the offset
 * are page-aligned the result is congruent to the offset modulo mask + PAGE_SIZE. {@code
 * infoLength} is {@code info->length}; the kernel's local {@code length} is {@link #paddedLength}.
 */
public final class UnmappedArea {
    private UnmappedArea() {
    }

    /**
     * The padded search length {@code info->length + align_mask + start_gap}, or 0 when it
     * wraps below {@code infoLength} (the kernel then returns -ENOMEM).
     */
    /*@ public normal_behavior
      @ ensures \result == 0 || Arith.u(\result) >= Arith.u(infoLength);
      @ ensures 0 <= infoLength && 0 <= alignMask && 0 <= startGap && (\bigint) infoLength + alignMask + startGap <= Long.MAX_VALUE
      @         ==> \result == infoLength + alignMask + startGap;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long paddedLength(long infoLength, long alignMask, long startGap) {
        long padded = infoLength + alignMask + startGap;
        if (Arith.ult(padded, infoLength)) {
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
      @ requires 0 <= alignMask && alignMask < Arith.MAX_POW2; // a mask the kernel passes: 2^k - 1 or (2^k - 1) & PAGE_MASK
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires Arith.MAX_POW2 % (alignMask + (alignMask % mm.pageSize == 0 ? mm.pageSize : 1)) == 0;
      @ requires 0 < infoLength && 0 <= startGap && (\bigint) infoLength + alignMask + startGap <= Long.MAX_VALUE;
      @ requires 0 <= lowLimit && 0 < highLimit && 0 <= mm.mmapMinAddr && mm.mmapMinAddr <= Long.MAX_VALUE;
      @ requires VmaTree.noGrowsUp(mm);
      @ requires topdown ==> startGapsAbove(mm);
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "vm_unmapped_area", file = "include/linux/mm.h")
    public static /*@ pure @*/ long vmUnmappedArea(MmState mm, boolean topdown, long infoLength, long lowLimit,
            long highLimit, long alignMask, long alignOffset, long startGap) {
        if (topdown) {
            return unmappedAreaTopdown(mm, infoLength, lowLimit, highLimit, alignMask, alignOffset, startGap);
        }
        return unmappedArea(mm, infoLength, lowLimit, highLimit, alignMask, alignOffset, startGap);
    }

    /**
     * {@code unmapped_area} (mm/vma.c): the lowest fit. The result {@code gap} satisfies
     * {@code lowLimit' <= gap}, {@code gap + infoLength <= highLimit}, {@code (gap - alignOffset) &
     * alignMask == 0} where gap and offset are page-aligned, and its range with guard gaps meets no
     * VMA, or it is -ENOMEM.
     *
     * <p>The contract is the card's in-bounds, no-overlap and congruence, proved by KeY with the
     * loop's invariant and measure (low only grows) on the domain of every real caller: VMAs,
     * limits and the padded length below 2^63, a non-zero length, no VM_GROWSUP (x86_64 and arm64
     * have none). Congruence is {@code Arith.congruentMask}: in units of the mask's lowest bit, against
     * {@code remU(alignOffset, hi)}, whose contract gives {@code (alignOffset - remU(alignOffset,
     * hi)) % hi == 0}.
     */
    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm);
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null && \dl_inLong(mm.mmapMinAddr);
      @ requires 0 <= alignMask && alignMask < Arith.MAX_POW2; // a mask the kernel passes: 2^k - 1 or (2^k - 1) & PAGE_MASK
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires Arith.MAX_POW2 % (alignMask + (alignMask % mm.pageSize == 0 ? mm.pageSize : 1)) == 0;
      @ requires 0 < infoLength && 0 <= startGap && (\bigint) infoLength + alignMask + startGap <= Long.MAX_VALUE;
      @ requires 0 <= lowLimit && 0 < highLimit && 0 <= mm.mmapMinAddr && mm.mmapMinAddr <= Long.MAX_VALUE;
      @ requires lowLimit <= Long.MAX_VALUE && highLimit <= Long.MAX_VALUE; // plain bounds for the loop's proof
      @ requires VmaTree.noGrowsUp(mm);
      @ ensures \result == Errno.ENOMEM_VALUE
      @      || (lowLimit <= \result && mm.mmapMinAddr <= \result && (\bigint) \result + infoLength <= highLimit
      @          && Arith.congruentMask(\result, alignOffset, alignMask, Arith.maskLowOf(alignMask, mm.pageSize))
      @          && (\forall int i; 0 <= i && i < mm.vmStart.length;
      @                 mm.vmEnd[i] <= \result || (\bigint) \result + infoLength <= mm.vmStart[i]));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "unmapped_area", file = "mm/vma.c")
    public static /*@ pure @*/ long unmappedArea(MmState mm, long infoLength, long lowLimit, long highLimit,
            long alignMask, long alignOffset, long startGap) {
        long padded = paddedLength(infoLength, alignMask, startGap);
        if (padded == 0) {
            return Errno.ENOMEM_VALUE;
        }
        VmaTreeLemmas.pageSizeInRange(mm); // a lemma, no code: vmasValid's range of the page size, for maskLow
        long lo = Arith.maskLow(alignMask, mm.pageSize); // the mask keeps the bits from lo up
        long low = Arith.umax(lowLimit, mm.mmapMinAddr);
        long max = Arith.lastAddress(highLimit); // the bottom-up search never lowers the window's end
        /*@ loop_invariant lowLimit <= low && mm.mmapMinAddr <= low && \dl_inLong(low);
          @ decreases Long.MAX_VALUE - low; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (true) {
            int k = VmaTree.areaLowest(mm, low, max, padded);
            if (k < 0) {
                return Errno.ENOMEM_VALUE;
            }
            VmaTreeLemmas.holdsAt(mm, k, low, max, padded); // lemmas: the facts for the proof, no code
            VmaTreeLemmas.nearGap(mm, k);
            long gap = alignedGapStart(VmaTree.gapStart(mm, k), low, startGap, alignOffset, alignMask, lo);
            long next = retryLow(mm, k, gap, padded);
            if (next == 0) {
                VmaTreeLemmas.inGap(mm, k, gap, infoLength); // a lemma: no-overlap for the proof, no code
                return gap;
            }
            low = next;
        }
    }

    /**
     * The address one try of {@code unmapped_area} (mm/vma.c) takes from the gap it found: the
     * iterator's index ({@code max(gapStart, low)}) plus {@code start_gap}, raised by {@code
     * (alignOffset - gap) & alignMask} ({@link Arith#alignUpMask}; the mask keeps the bits from
     * {@code alignLow} up). Its own method so that
     * the loop's proof meets its arithmetic as four inequalities without wrap-around.
     */
    /*@ public normal_behavior
      @ requires Arith.maskShape(alignMask, alignLow) && alignMask < Arith.MAX_POW2;
      @ requires 0 <= gapStart && 0 <= low && 0 <= startGap;
      @ requires (\bigint) gapStart + startGap + alignMask + 1 <= Long.MAX_VALUE;
      @ requires (\bigint) low + startGap + alignMask + 1 <= Long.MAX_VALUE;
      @ ensures (\bigint) gapStart + startGap <= \result && (\bigint) low + startGap <= \result;
      @ ensures \result <= (\bigint) gapStart + startGap + alignMask || \result <= (\bigint) low + startGap + alignMask;
      @ ensures Arith.congruentMask(\result, alignOffset, alignMask, alignLow);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "unmapped_area", file = "mm/vma.c")
    public static /*@ pure @*/ long alignedGapStart(long gapStart, long low, long startGap, long alignOffset,
            long alignMask, long alignLow) {
        return Arith.alignUpMask(Arith.umax(gapStart, low) + startGap, alignOffset, alignMask, alignLow);
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
      @ requires VmaTree.noGrowsUp(mm);
      @ requires k < mm.vmStart.length ==> gap < mm.vmEnd[k];
      @ ensures \result == 0 || gap < \result;
      @ ensures \result <= Long.MAX_VALUE; // a plain bound for the loop's measure
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "unmapped_area", file = "mm/vma.c")
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
     *
     * <p>The contract is the card's in-bounds, no-overlap and congruence, on the domain of
     * {@link #unmappedArea} plus one rule: every VMA with a start gap starts above it (a stack
     * above stack_guard_gap, a shadow stack above PAGE_SIZE). Without it {@code vm_start_gap}
     * clamps to 0, the retry's {@code high_limit - 1} opens the whole space, and the result can lie
     * above {@code high_limit} (KernelFactsExamplesTest#topdownRetryBelowALowStackWraps). The loop's
     * measure is {@code high}, which every retry lowers.
     */
    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm);
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null && \dl_inLong(mm.mmapMinAddr);
      @ requires 0 <= alignMask && alignMask < Arith.MAX_POW2; // a mask the kernel passes: 2^k - 1 or (2^k - 1) & PAGE_MASK
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires Arith.MAX_POW2 % (alignMask + (alignMask % mm.pageSize == 0 ? mm.pageSize : 1)) == 0;
      @ requires 0 < infoLength && 0 <= startGap && (\bigint) infoLength + alignMask + startGap <= Long.MAX_VALUE;
      @ requires 0 <= lowLimit && 0 < highLimit && 0 <= mm.mmapMinAddr && mm.mmapMinAddr <= Long.MAX_VALUE;
      @ requires lowLimit <= Long.MAX_VALUE && highLimit <= Long.MAX_VALUE; // plain bounds for the loop's proof
      @ requires VmaTree.noGrowsUp(mm);
      @ requires startGapsAbove(mm);
      @ ensures \result == Errno.ENOMEM_VALUE
      @      || (lowLimit <= \result && mm.mmapMinAddr <= \result && (\bigint) \result + infoLength <= highLimit
      @          && Arith.congruentMask(\result, alignOffset, alignMask, Arith.maskLowOf(alignMask, mm.pageSize))
      @          && (\forall int i; 0 <= i && i < mm.vmStart.length;
      @                 mm.vmEnd[i] <= \result || (\bigint) \result + infoLength <= mm.vmStart[i]));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "unmapped_area_topdown", file = "mm/vma.c")
    public static /*@ pure @*/ long unmappedAreaTopdown(MmState mm, long infoLength, long lowLimit, long highLimit,
            long alignMask, long alignOffset, long startGap) {
        long padded = paddedLength(infoLength, alignMask, startGap);
        if (padded == 0) {
            return Errno.ENOMEM_VALUE;
        }
        VmaTreeLemmas.pageSizeInRange(mm); // a lemma, no code: vmasValid's range of the page size, for maskLow
        long lo = Arith.maskLow(alignMask, mm.pageSize); // the mask keeps the bits from lo up
        long low = Arith.umax(lowLimit, mm.mmapMinAddr);
        long high = highLimit;
        /*@ loop_invariant 0 < high && high <= highLimit && \dl_inLong(high);
          @ decreases high; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (true) {
            long last = Arith.lastAddress(high); // high_limit - 1, as a contract for the proof
            int k = VmaTree.areaHighest(mm, low, last, padded);
            if (k < 0) {
                return Errno.ENOMEM_VALUE;
            }
            VmaTreeLemmas.holdsAt(mm, k, low, last, padded); // lemmas: the facts for the proof, no code
            VmaTreeLemmas.nearGap(mm, k);
            long gapEnd = gapEndBelow(mm, k, high);
            long gap = alignedBelow(gapEnd, infoLength, alignOffset, alignMask, lo);
            long next = retryHigh(mm, k, gapEnd, gap, high);
            if (next == -1) {
                VmaTreeLemmas.inGap(mm, k, gap, infoLength); // a lemma: no-overlap for the proof, no code
                return gap;
            }
            high = next;
        }
    }

    /**
     * The guard-gap test of one try of {@code unmapped_area_topdown} (mm/vma.c): the high limit to
     * retry below when the VMA after gap {@code k} has a start gap (VM_GROWSDOWN or
     * VM_SHADOW_STACK) below {@code gapEnd} (the retry's {@code vm_start_gap}), or, when it has
     * none, the VMA before it an end gap above {@code gap} (the retry's {@code vm_start} of that
     * VMA); -1 when {@code gap} stands. {@code high} is the try's limit, which a retry lowers. Its
     * own method, as {@link #retryLow} is, so that the loop's proof composes contracts. -1 cannot
     * be a retry's limit: a start gap below {@code gapEnd} is below 2^64 - 1, and a VMA starts
     * below 2^63.
     */
    /*@ public normal_behavior
      @ requires VmaTree.near(mm, k) && 0 <= gap && gap <= gapEnd && gapEnd <= high;
      @ requires VmaTree.noGrowsUp(mm) && startGapsAbove(mm);
      @ requires k > 0 ==> mm.vmEnd[k - 1] <= gap;
      @ ensures \result == -1 || (0 < \result && \result < high);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "unmapped_area_topdown", file = "mm/vma.c")
    public static /*@ pure @*/ long retryHigh(MmState mm, int k, long gapEnd, long gap, long high) {
        if (k < mm.vmStart.length && VmaTree.hasStartGap(mm.vmFlags, k)) {
            VmaTreeLemmas.startGapAbove(mm, k); // a lemma: the rule at VMA k, no code
            if (Arith.ult(VmaTree.vmStartGap(mm, k), gapEnd)) {
                return VmaTree.vmStartGap(mm, k);
            }
            return -1;
        }
        if (k > 0) {
            VmaTreeLemmas.noGrowsUpAt(mm, k - 1); // a lemma: vm_end_gap is vm_end, no code
            if (Arith.ugt(VmaTree.vmEndGap(mm, k - 1), gap)) {
                return mm.vmStart[k - 1];
            }
        }
        return -1;
    }

    /*@ // Every VMA with a start gap starts above it: a stack (VM_GROWSDOWN) above
      @ // stack_guard_gap, a shadow stack above PAGE_SIZE; the top-down search's rule.
      @ public static model pure boolean startGapsAbove(MmState mm) {
      @     return 0 <= mm.stackGuardGap && 0 <= mm.pageSize
      @         && (\forall int i; 0 <= i && i < mm.vmStart.length;
      @                (mm.vmFlags[i] % 2 == 1 ==> mm.stackGuardGap < mm.vmStart[i])
      @                && ((mm.vmFlags[i] / 4) % 2 == 1 ==> mm.pageSize < mm.vmStart[i]));
      @ }
      @*/

    /**
     * The end of gap {@code k} clipped to {@code high} ({@code unmapped_area_topdown}'s {@code
     * gap_end = min(mas.last, high_limit - 1) + 1}): the start of VMA k, or {@code high} if that
     * is lower or there is no VMA k.
     */
    /*@ public normal_behavior
      @ requires VmaTree.near(mm, k) && 0 < high;
      @ requires k < mm.vmStart.length ==> 0 < mm.vmStart[k];
      @ ensures \result == (k < mm.vmStart.length && mm.vmStart[k] < high ? mm.vmStart[k] : high);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "unmapped_area_topdown", file = "mm/vma.c")
    public static /*@ pure @*/ long gapEndBelow(MmState mm, int k, long high) {
        return Arith.umin(VmaTree.gapLast(mm, k), high - 1) + 1;
    }

    /**
     * {@code gap_end - infoLength}, lowered by {@code (gap - alignOffset) & alignMask} ({@link
     * Arith#alignDownMask}): the address one try of {@code unmapped_area_topdown} (mm/vma.c) takes.
     */
    /*@ public normal_behavior
      @ requires Arith.maskShape(alignMask, alignLow) && alignMask < Arith.MAX_POW2;
      @ requires 0 <= infoLength && infoLength <= gapEnd;
      @ ensures \result <= (\bigint) gapEnd - infoLength && (\bigint) gapEnd - infoLength - alignMask <= \result;
      @ ensures Arith.congruentMask(\result, alignOffset, alignMask, alignLow);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "unmapped_area_topdown", file = "mm/vma.c")
    public static /*@ pure @*/ long alignedBelow(long gapEnd, long infoLength, long alignOffset, long alignMask,
            long alignLow) {
        return Arith.alignDownMask(gapEnd - infoLength, alignOffset, alignMask, alignLow);
    }
}
