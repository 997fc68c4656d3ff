package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * The aligned helper: {@code __thp_get_unmapped_area} (mm/huge_memory.c), which the huge-pfnmap
 * series renames {@code mm_get_unmapped_area_aligned} and calls with any leaf size, and {@code
 * thp_get_unmapped_area_vmflags}, which calls it at PMD_SIZE and falls back to the plain search.
 *
 * <p>C types decide the edges: {@code off}, {@code off_end} and {@code off_align} are {@code
 * loff_t} (signed, wrapping), {@code len}, {@code size} and {@code len_pad} are {@code unsigned
 * long}. So {@code off_end <= off_align} compares signed while {@code off_end - off_align < size}
 * and {@code off + len_pad < off} compare unsigned.
 */
public final class AlignedArea {
    private AlignedArea() {
    }

    /** 0: "no aligned answer", the caller falls back. */
    public static final long NO_ALIGNED_AREA = 0;

    /**
     * {@code round_up(off, size)} on a {@code loff_t}: {@code ((off - 1) | (size - 1)) + 1},
     * wrapping.
     */
    /*@ public normal_behavior
      @ requires 0 < size && size <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % size == 0;
      @ ensures Arith.remU(\result, size) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "round_up")
    public static /*@ pure @*/ long offAlign(long off, long size) {
        return Arith.alignDown(off - 1, size) + size;
    }

    /**
     * Whether the file range {@code [off, off + len)} covers at least one whole {@code size}-aligned
     * block, read with the kernel's mixed signed/unsigned comparisons; false sends the caller to
     * the plain search.
     */
    /*@ public normal_behavior
      @ requires 0 < size && size <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % size == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean coversAlignedBlock(long off, long len, long size) {
        long offEnd = off + len;
        long aligned = offAlign(off, size);
        // off_end <= off_align: both loff_t, a signed comparison.
        if (offEnd <= aligned) {
            return false;
        }
        // (off_end - off_align) < size: loff_t against unsigned long, an unsigned comparison.
        return !Arith.ult(offEnd - aligned, size);
    }

    /*@ // The aligned helper's arguments: the VMA arrays present and of one length, and the leaf
      @ // size and the page size each a divisor of 2^62 (a power of two no larger).
      @ public static model pure boolean alignedArgs(MmState mm, long size) {
      @     return mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null
      @         && mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length
      @         && 0 < size && size <= Arith.MAX_POW2 && Arith.MAX_POW2 % size == 0
      @         && 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ }
      @*/

    /**
     * {@code __thp_get_unmapped_area(filp, addr, len, off, flags, size)} (mm/huge_memory.c), for a
     * 64-bit task: search {@code len + size} bytes, then move to the first address congruent to
     * {@code off} modulo {@code size} (on a top-down mm keep the padding below when already
     * congruent). Returns 0 where the kernel does; a hint that was free comes back unaligned.
     */
    /*@ public normal_behavior
      @ // Congruent to off (or 0, or the free hint), on the padded search's domain: what the callee
      @ // mmGetUnmappedAreaVmflags requires of len + size, and room for the padding below 2^63
      @ // (the kernel passes len <= TASK_SIZE, at most 2^57).
      @ requires alignedArgs(mm, size);
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, startGap);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < len && 0 <= startGap; // in searchDomain too, but plain for the sums below
      @ requires (\bigint) len + size + startGap <= Long.MAX_VALUE;
      @ ensures \result == NO_ALIGNED_AREA || \result == addr || Arith.remU((long) (\result - off), size) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // No error but "fall back" (for best-effort): on the search's domain, with room for the
      @ // padding below 2^63 and mmap_min_addr below both ends of the search, the answer is 0 or
      @ // not an error value: an error of the padded search becomes 0, and the move to the
      @ // congruent address stays inside the padded range, which ends below 2^63.
      @ requires alignedArgs(mm, size);
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, startGap);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < len && 0 <= startGap; // in searchDomain too, but plain for the sums below
      @ requires (\bigint) len + size + startGap <= Long.MAX_VALUE;
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ // !Arith.isErrValue(\result) in plain terms, so that the proof keeps the search's observer folded:
      @ ensures \result == NO_ALIGNED_AREA || !(-Arith.MAX_ERRNO <= \result && \result < 0);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "__thp_get_unmapped_area", file = "mm/huge_memory.c")
    public static /*@ pure @*/ long thpGetUnmappedAreaAligned(MmState mm, long addr, long len, long off,
            long flags, long size, long startGap) {
        ArchLemmas.alignedArgsDef(mm, size); // a lemma, no code: alignedArgs's facts one by one
        if (!coversAlignedBlock(off, len, size)) {
            return NO_ALIGNED_AREA;
        }
        long lenPad = len + size;
        if (Arith.ult(lenPad, len) || Arith.ult(off + lenPad, off)) {
            return NO_ALIGNED_AREA;
        }
        ArchLemmas.domainLonger(mm, len, lenPad, startGap); // lemma, no code: the padded search's domain
        long ret = ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, lenPad, Arith.asr(off, mm.pageSize),
                flags, startGap);
        // The failure may be due to the padding: the caller retries without it.
        if (Arith.isErrValue(ret)) {
            return NO_ALIGNED_AREA;
        }
        // Do not align when the hint was free.
        if (ret == addr) {
            return addr;
        }
        return alignToOff(mm.topdown, ret, off, size);
    }

    /**
     * The last step of {@code __thp_get_unmapped_area} (mm/huge_memory.c): from the padded
     * search's answer {@code ret} up by {@code (off - ret) mod size} to the first address congruent
     * to {@code off}; on a top-down mm an answer already congruent moves up by a whole {@code size}
     * (the padding is kept below). A function of its own so that the callers' proofs see only its
     * two posts: the move stays within {@code size} of {@code ret}, and the answer is congruent
     * to {@code off} modulo {@code size} (the wrapped difference's unsigned remainder is 0).
     */
    /*@ public normal_behavior
      @ requires 0 < size && size <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % size == 0;
      @ ensures 0 <= ret && (\bigint) ret + size <= Long.MAX_VALUE ==> ret <= \result && \result <= (\bigint) ret + size;
      @ ensures Arith.remU((long) (\result - off), size) == 0; // congruent to off (Predicates.pgoffCongruent)
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "__thp_get_unmapped_area", file = "mm/huge_memory.c")
    public static /*@ pure @*/ long alignToOff(boolean topdown, long ret, long off, long size) {
        long offSub = Arith.remUValue(off - ret, size);
        if (topdown && offSub == 0) {
            ArithLemmas.congruentMove(ret, off, size, size); // a lemma, no code: a whole size up stays congruent
            return ret + size;
        }
        ArithLemmas.congruentMove(ret, off, offSub, size); // a lemma, no code: the move lands congruent to off
        return ret + offSub;
    }

    /**
     * {@code thp_get_unmapped_area_vmflags} (mm/huge_memory.c): the aligned helper at PMD_SIZE
     * with {@code off = pgoff << PAGE_SHIFT}, else the plain search with the original arguments.
     * {@code thp_get_unmapped_area}, the hook of ext4 and others, is this with vm_flags 0.
     */
    /*@ public normal_behavior
      @ requires 0 < mm.pmdSize && mm.pmdSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % mm.pmdSize == 0;
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, startGap); // the VMA arrays and the page size among its facts
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < len && 0 <= startGap; // in searchDomain too, but that stays folded here
      @ requires (\bigint) len + mm.pmdSize + startGap <= Long.MAX_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // Best-effort (property 5): where the plain search succeeds, so does this: the aligned
      @ // helper answers 0 or a success (its normal_behavior.1), and the fallback is the plain
      @ // search itself (mmGetUnmappedAreaVmflags's trusted determinism case; docs/proofs.md).
      @ requires 0 < mm.pmdSize && mm.pmdSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % mm.pmdSize == 0;
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, startGap); // the VMA arrays and the page size among its facts
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < len && 0 <= startGap; // in searchDomain too, but that stays folded here
      @ requires (\bigint) len + mm.pmdSize + startGap <= Long.MAX_VALUE;
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ // !isErrValue(plain) ==> !isErrValue(\result), in Arith.isErrValue's plain form:
      @ ensures !(-Arith.MAX_ERRNO <= ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, startGap)
      @           && ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, startGap) < 0)
      @         ==> !(-Arith.MAX_ERRNO <= \result && \result < 0);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "thp_get_unmapped_area_vmflags", file = "mm/huge_memory.c")
    public static /*@ pure @*/ long thpGetUnmappedAreaVmflags(MmState mm, long addr, long len, long pgoff,
            long flags, long startGap) {
        ArchLemmas.domainFacts(mm, len, startGap); // a lemma, no code: searchDomain's facts one by one
        long off = pgoff * mm.pageSize;
        ArchLemmas.alignedArgsDef(mm, mm.pmdSize); // a lemma, no code: alignedArgs at PMD_SIZE from its facts
        long ret = thpGetUnmappedAreaAligned(mm, addr, len, off, flags, mm.pmdSize, startGap);
        if (ret != NO_ALIGNED_AREA) {
            return ret;
        }
        return ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, startGap);
    }
}
