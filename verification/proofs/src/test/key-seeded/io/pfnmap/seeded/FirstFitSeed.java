package io.pfnmap.seeded;

import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.Errno;
import io.pfnmap.mm.core.FirstFit;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.UnmappedArea;
import io.pfnmap.mm.core.VmaTree;
import io.pfnmap.mm.core.VmaTreeLemmas;

/**
 * Completeness and minimality of the bottom-up search (issue 26), seeded; each must stay open.
 *
 * <ul>
 * <li>{@code wrongAlwaysEnomem}: completeness with mask 0 and no start gap (a gap {@code k0}
 * that holds the window's low limit fits there, so the answer is not -ENOMEM), for a search that
 * always answers -ENOMEM.
 * <li>{@code wrongSkipsFirstFit}: minimality with mask 0 and no start gap (no gap below the
 * answer's fits at its first address in the window), for a search that takes the model's answer
 * and searches again past the VMA above it.
 * <li>{@code wrongAlignedDownMask2M}: one top-down try's address with mask 2 MiB - 1 (the post of
 * {@code FirstFit.alignedDownMask2M}, which closes: the control), for a try that aligns inside the
 * gap the wrong way (up, as bottom-up does).
 * <li>{@code wrongAlignedUpMask2M}: the same for a bottom-up try that aligns down (the post of
 * {@code FirstFit.alignedUpMask2M}, which closes through the lemma firstAtOrAbove: the control).
 * </ul>
 * The first two copy a statement no real contract carries yet (the search-level completeness and
 * minimality are not proved, docs/proofs.md "First fit"): known debt, kept to one line each. The
 * jqwik counterparts are FirstFitProperties and FirstFitSeededBugTest (mm-model).
 */
public final class FirstFitSeed {
    private FirstFitSeed() {
    }

    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm) && 0 < infoLength && 0 <= lowLimit && lowLimit < highLimit;
      @ requires 0 <= k0 && k0 <= mm.vmStart.length && (k0 == 0 || mm.vmEnd[k0 - 1] <= lowLimit);
      @ requires FirstFit.fitsUp(mm, k0, lowLimit, (long) (highLimit - 1), infoLength, lowLimit);
      @ ensures \result != -12;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long wrongAlwaysEnomem(MmState mm, long infoLength, long lowLimit, long highLimit, int k0) {
        return Errno.ENOMEM_VALUE; // the seeded bug: no search at all
    }

    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm) && VmaTree.noGrowsUp(mm) && \dl_inLong(mm.mmapMinAddr) && 0 <= mm.mmapMinAddr;
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires 0 < infoLength && 0 <= lowLimit && mm.mmapMinAddr <= lowLimit && lowLimit < highLimit;
      @ ensures \result != -12 ==> (\forall int j; 0 <= j && j < mm.vmStart.length && mm.vmEnd[j] <= \result;
      @     !FirstFit.fitsUp(mm, j, lowLimit, (long) (highLimit - 1), infoLength, (j == 0 || mm.vmEnd[j - 1] < lowLimit) ? lowLimit : mm.vmEnd[j - 1]));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long wrongSkipsFirstFit(MmState mm, long infoLength, long lowLimit, long highLimit) {
        long r = UnmappedArea.unmappedArea(mm, infoLength, lowLimit, highLimit, 0, 0, 0);
        if (r == Errno.ENOMEM_VALUE) {
            return r;
        }
        VmaTreeLemmas.validBoundsInRange(mm);
        int k = VmaTree.findVma(mm, r);
        if (k < 0) {
            return Errno.ENOMEM_VALUE;
        }
        return UnmappedArea.unmappedArea(mm, infoLength, mm.vmEnd[k], highLimit, 0, 0, 0); // the seeded bug: past the first fit
    }

    /*@ public normal_behavior
      @ requires 0 <= x && (\bigint) x + FirstFit.PMD_2M <= Long.MAX_VALUE;
      @ ensures \result == (\bigint) x + (Arith.remUOf(alignOffset, FirstFit.PMD_2M) - x % FirstFit.PMD_2M + FirstFit.PMD_2M) % FirstFit.PMD_2M;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long wrongAlignedUpMask2M(long x, long alignOffset) {
        return Arith.alignDownMask(x, alignOffset, FirstFit.PMD_2M - 1, 1); // the seeded bug: aligns down
    }

    /*@ public normal_behavior
      @ requires 0 <= infoLength && infoLength <= gapEnd && (\bigint) gapEnd - infoLength >= FirstFit.PMD_2M;
      @ requires (\bigint) gapEnd - infoLength + FirstFit.PMD_2M <= Long.MAX_VALUE;
      @ ensures \result == (\bigint) gapEnd - infoLength
      @         - (((\bigint) gapEnd - infoLength) % FirstFit.PMD_2M - Arith.remUOf(alignOffset, FirstFit.PMD_2M) + FirstFit.PMD_2M) % FirstFit.PMD_2M;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long wrongAlignedDownMask2M(long gapEnd, long infoLength, long alignOffset) {
        return Arith.alignUpMask(gapEnd - infoLength, alignOffset, FirstFit.PMD_2M - 1, 1); // the seeded bug: aligns up
    }
}
