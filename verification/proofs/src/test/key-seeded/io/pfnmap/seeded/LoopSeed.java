package io.pfnmap.seeded;

import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.Errno;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.UnmappedArea;
import io.pfnmap.mm.core.VmaTree;

/**
 * The bottom-up search's loop, seeded: {@code UnmappedArea.unmappedArea} with its contract,
 * invariant and measure, and one wrong line. After a guard-gap hit it retries from the address it
 * just tried ({@code low = gap}) instead of past the VMA in the way ({@code low = next}); with no
 * start gap and an aligned gap that address is {@code low} itself, so the search never ends. The
 * measure cannot decrease and the proof must stay open, under the options the real loop is proved
 * with (budgets.txt: classAxiom=off nonLinear=none). The control is the real method, which the
 * same run proves.
 */
public final class LoopSeed {
    private LoopSeed() {
    }

    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm);
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null && \dl_inLong(mm.mmapMinAddr);
      @ requires 0 <= alignMask && alignMask < Arith.MAX_POW2; // a mask the kernel passes: 2^k - 1 or (2^k - 1) & PAGE_MASK
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires Arith.MAX_POW2 % (alignMask + (alignMask % mm.pageSize == 0 ? mm.pageSize : 1)) == 0;
      @ requires 0 < infoLength && 0 <= startGap && (\bigint) infoLength + alignMask + startGap <= Long.MAX_VALUE;
      @ requires 0 <= lowLimit && 0 < highLimit && 0 <= mm.mmapMinAddr && mm.mmapMinAddr <= Long.MAX_VALUE;
      @ requires lowLimit <= Long.MAX_VALUE && highLimit <= Long.MAX_VALUE;
      @ requires VmaTree.noGrowsUp(mm);
      @ ensures \result == -12
      @      || (lowLimit <= \result && mm.mmapMinAddr <= \result && (\bigint) \result + infoLength <= highLimit
      @          && Arith.congruentMask(\result, alignOffset, alignMask, Arith.maskLowOf(alignMask, mm.pageSize))
      @          && (\forall int i; 0 <= i && i < mm.vmStart.length;
      @                 mm.vmEnd[i] <= \result || (\bigint) \result + infoLength <= mm.vmStart[i]));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long wrongRetryFromGap(MmState mm, long infoLength, long lowLimit, long highLimit,
            long alignMask, long alignOffset, long startGap) {
        long padded = UnmappedArea.paddedLength(infoLength, alignMask, startGap);
        if (padded == 0) {
            return Errno.ENOMEM_VALUE;
        }
        VmaTree.pageSizeInRange(mm);
        long lo = Arith.maskLow(alignMask, mm.pageSize);
        long low = Arith.umax(lowLimit, mm.mmapMinAddr);
        long max = Arith.lastAddress(highLimit);
        /*@ loop_invariant lowLimit <= low && mm.mmapMinAddr <= low && \dl_inLong(low);
          @ decreases Long.MAX_VALUE - low; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (true) {
            int k = VmaTree.areaLowest(mm, low, max, padded);
            if (k < 0) {
                return Errno.ENOMEM_VALUE;
            }
            VmaTree.holdsAt(mm, k, low, max, padded);
            VmaTree.nearGap(mm, k);
            long gap = UnmappedArea.alignedGapStart(VmaTree.gapStart(mm, k), low, startGap, alignOffset, alignMask, lo);
            long next = UnmappedArea.retryLow(mm, k, gap, padded);
            if (next == 0) {
                VmaTree.inGap(mm, k, gap, infoLength);
                return gap;
            }
            low = gap; // the seeded bug: low = next
        }
    }
}
