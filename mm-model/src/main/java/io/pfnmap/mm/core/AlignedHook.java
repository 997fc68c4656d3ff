package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * The aligned searches the huge-pfnmap designs give a device file (none is merged; kernel-facts
 * part 3): try {@code mm_get_unmapped_area_aligned} (the renamed {@code __thp_get_unmapped_area},
 * mm/huge_memory.c, as the June 2025 series exports it) at each leaf size in turn, largest first,
 * then the plain {@code mm_get_unmapped_area_vmflags}. The designs differ only in which sizes they
 * try and which offset they align to; {@code io.pfnmap.vfio} computes those.
 */
public final class AlignedHook {
    private AlignedHook() {
    }

    /**
     * {@code mm_get_unmapped_area_aligned} (the series' name for {@code __thp_get_unmapped_area},
     * mm/huge_memory.c): the aligned helper at any leaf size; 0 means "fall back".
     */
    /*@ public normal_behavior
      @ requires AlignedArea.alignedArgs(mm, size);
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < len && (\bigint) len + size <= Long.MAX_VALUE;
      @ // Predicates.pgoffCongruent, written out as the helper's contract has it:
      @ ensures \result == 0 || \result == addr || Arith.remU((long) (\result - off), size) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // 0 or a success, as AlignedArea.thpGetUnmappedAreaAligned's normal_behavior.1.
      @ requires AlignedArea.alignedArgs(mm, size);
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < len && (\bigint) len + size <= Long.MAX_VALUE;
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ ensures \result == 0 || !(-Arith.MAX_ERRNO <= \result && \result < 0); // not Arith.isErrValue
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mm_get_unmapped_area_aligned", file = "mm/huge_memory.c")
    public static /*@ pure @*/ long mmGetUnmappedAreaAligned(MmState mm, long addr, long len, long off, long flags,
            long size) {
        return AlignedArea.thpGetUnmappedAreaAligned(mm, addr, len, off, flags, size, 0);
    }

    /**
     * A device file's {@code get_unmapped_area} under an aligning design: the aligned helper at
     * {@code sizes[0]}, then {@code sizes[1]}, ... (each congruent to {@code off}), then the plain
     * search with the original arguments. An empty {@code sizes} is the plain search.
     * Best-effort: it fails only where the plain search fails.
     */
    /*@ public normal_behavior
      @ requires (\forall int i; 0 <= i && i < sizes.length; 0 < sizes[i] && sizes[i] <= Arith.MAX_POW2
      @            && Arith.MAX_POW2 % sizes[i] == 0);
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0); // the VMA arrays and the page size among its facts
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < len; // in searchDomain too, but that stays folded here
      @ requires (\forall int i; 0 <= i && i < sizes.length; (\bigint) len + sizes[i] <= Long.MAX_VALUE);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // Best-effort (property 5): where the plain search succeeds, so does this: each aligned
      @ // try answers 0 or a success (mmGetUnmappedAreaAligned's normal_behavior.1), and the
      @ // fallback is the plain search itself (mmGetUnmappedAreaVmflags's trusted determinism).
      @ requires (\forall int i; 0 <= i && i < sizes.length; 0 < sizes[i] && sizes[i] <= Arith.MAX_POW2
      @            && Arith.MAX_POW2 % sizes[i] == 0);
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0); // the VMA arrays and the page size among its facts
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < len; // in searchDomain too, but that stays folded here
      @ requires (\forall int i; 0 <= i && i < sizes.length; (\bigint) len + sizes[i] <= Long.MAX_VALUE);
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ // !isErrValue(plain) ==> !isErrValue(\result), in Arith.isErrValue's plain form:
      @ ensures !(-Arith.MAX_ERRNO <= ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, 0)
      @           && ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, 0) < 0)
      @         ==> !(-Arith.MAX_ERRNO <= \result && \result < 0);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "get_unmapped_area")
    public static /*@ pure @*/ long getUnmappedAreaAligned(MmState mm, long addr, long len, long pgoff, long flags,
            long[] sizes, long off) {
        ArchLemmas.domainFacts(mm, len, 0); // a lemma, no code: searchDomain's facts one by one
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= sizes.length;
          @ decreases sizes.length - i; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (i < sizes.length) {
            ArchLemmas.alignedArgsDef(mm, sizes[i]); // a lemma, no code: alignedArgs at this size from its facts
            long r = mmGetUnmappedAreaAligned(mm, addr, len, off, flags, sizes[i]);
            if (r != 0) {
                return r;
            }
            i++;
        }
        return ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, 0);
    }

    /**
     * {@code rounddown_pow_of_two(x)} (include/linux/log2.h) for {@code x > 0}; 0 for 0. Values at
     * or above 2^62 give 2^62 (the model's largest size).
     */
    /*@ public normal_behavior
      @ ensures \result == 0 <==> x == 0;
      @ ensures x != 0 ==> 0 < \result && \result <= Arith.MAX_POW2 && Arith.ule(\result, x);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "rounddown_pow_of_two", file = "include/linux/log2.h")
    public static /*@ pure @*/ long roundDownPow2(long x) {
        if (x == 0) {
            return 0;
        }
        if (Arith.uge(x, Arith.MAX_POW2)) {
            return Arith.MAX_POW2;
        }
        long p = 1;
        /*@ loop_invariant 0 < p && p <= x && p <= Arith.MAX_POW2;
          @ decreases x - p; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (p <= x / 2) {
            p = p * 2;
        }
        return p;
    }
}
