package io.pfnmap.seeded;

import io.pfnmap.mm.core.AlignedArea;
import io.pfnmap.mm.core.ArchGetUnmappedArea;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.MmState;

/**
 * Best-effort (property 5), seeded: the aligned path never turns the plain search's success into
 * a failure. Two wrong lines, each under the contract and options its real counterpart is proved
 * with (budgets.txt), so that only the bug keeps the proof open:
 * <ul>
 * <li>{@code wrongAlignedKeepsError}: {@code AlignedArea.thpGetUnmappedAreaAligned} passing the
 * padded search's error on instead of answering 0, so the caller returns it and never falls back
 * (the padding alone can make a search fail that the plain length passes);
 * <li>{@code wrongFallbackPadded}: {@code AlignedArea.thpGetUnmappedAreaVmflags} falling back to
 * a search of the padded length, not the caller's: the trusted determinism case of {@code
 * mmGetUnmappedAreaVmflags} ties a call only to the observer at the same arguments, so it cannot
 * be used to prove best-effort for a different call.
 * </ul>
 * The controls are the real methods, which the same run proves.
 */
public final class BestEffortSeed {
    private BestEffortSeed() {
    }

    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires 0 < size && size <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % size == 0;
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, startGap);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < len && 0 <= startGap;
      @ requires (\bigint) len + size + startGap <= Long.MAX_VALUE;
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ ensures \result == AlignedArea.NO_ALIGNED_AREA || !(-Arith.MAX_ERRNO <= \result && \result < 0);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long wrongAlignedKeepsError(MmState mm, long addr, long len, long off,
            long flags, long size, long startGap) {
        if (!AlignedArea.coversAlignedBlock(off, len, size)) {
            return AlignedArea.NO_ALIGNED_AREA;
        }
        long lenPad = len + size;
        if (Arith.ult(lenPad, len) || Arith.ult(off + lenPad, off)) {
            return AlignedArea.NO_ALIGNED_AREA;
        }
        ArchGetUnmappedArea.domainLonger(mm, len, lenPad, startGap);
        long ret = ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, lenPad, Arith.asr(off, mm.pageSize),
                flags, startGap);
        if (Arith.isErrValue(ret)) {
            return ret; // seeded: the padded search's error is passed on, the caller does not fall back
        }
        if (ret == addr) {
            return addr;
        }
        return AlignedArea.alignToOff(mm.topdown, ret, off, size);
    }

    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires 0 < mm.pmdSize && mm.pmdSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % mm.pmdSize == 0;
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, startGap);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < len && 0 <= startGap;
      @ requires (\bigint) len + mm.pmdSize + startGap <= Long.MAX_VALUE;
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ // !isErrValue(plain) ==> !isErrValue(\result), in Arith.isErrValue's plain form:
      @ ensures !(-Arith.MAX_ERRNO <= ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, startGap)
      @           && ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, startGap) < 0)
      @         ==> !(-Arith.MAX_ERRNO <= \result && \result < 0);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long wrongFallbackPadded(MmState mm, long addr, long len, long pgoff,
            long flags, long startGap) {
        long off = pgoff * mm.pageSize;
        long ret = AlignedArea.thpGetUnmappedAreaAligned(mm, addr, len, off, flags, mm.pmdSize, startGap);
        if (ret != AlignedArea.NO_ALIGNED_AREA) {
            return ret;
        }
        long lenPad = len + mm.pmdSize;
        ArchGetUnmappedArea.domainLonger(mm, len, lenPad, startGap);
        // seeded: the fallback searches the padded length, not the caller's
        return ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, lenPad, pgoff, flags, startGap);
    }
}
