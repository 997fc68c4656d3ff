package io.pfnmap.mm.core;

/** Lemmas (no code) for {@link ArchGetUnmappedArea}'s proofs, named as what they state. Proof scaffolding. */
public final class ArchLemmas {
    private ArchLemmas() {
    }

    /**
     * The arch searches' align mask (none, or a hugetlb file's {@code huge_page_mask_align}: a
     * multiple of the page whose sum with the page divides 2^62) meets the rule {@link
     * UnmappedArea#unmappedArea} requires, with the padded length below 2^63.
     */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % pageSize == 0;
      @ requires 0 < len && 0 <= startGap && (\bigint) len + startGap <= Long.MAX_VALUE;
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2
      @          && alignMask % pageSize == 0 && Arith.MAX_POW2 % (alignMask + pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @ ensures 0 <= alignMask && alignMask < Arith.MAX_POW2;
      @ ensures Arith.MAX_POW2 % (alignMask + (alignMask % pageSize == 0 ? pageSize : 1)) == 0;
      @ ensures (\bigint) len + alignMask + startGap <= Long.MAX_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void maskRule(long pageSize, long alignMask, long len, long startGap) {
    }

    /**
     * A lemma, no code: searchDomain written out, for a proof that keeps the model predicates
     * folded and meets its callees' requires one by one.
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, startGap);
      @ ensures mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ ensures mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ ensures 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ ensures VmaTree.vmasValid(mm) && VmaTree.noGrowsUp(mm) && MmState.fieldsInRange(mm);
      @ ensures 0 <= mm.legacyBase && 0 < mm.defaultMapWindow && 0 < mm.taskSizeMax && 0 < mm.taskSize;
      @ ensures 0 <= mm.mmapMinAddr && 0 <= mm.stackGuardGap;
      @ ensures mm.legacyBase <= Long.MAX_VALUE && mm.defaultMapWindow <= Long.MAX_VALUE;
      @ ensures mm.taskSizeMax <= Long.MAX_VALUE && mm.taskSize <= Long.MAX_VALUE;
      @ ensures mm.mmapMinAddr <= Long.MAX_VALUE && \dl_inLong(mm.mmapMinAddr);
      @ ensures 0 < len && 0 <= startGap && (\bigint) len + startGap <= Long.MAX_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void domainFacts(MmState mm, long len, long startGap) {
    }

    /** A lemma, no code: topdownDomain written out, as {@link #domainFacts} writes out searchDomain. */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.topdownDomain(mm);
      @ ensures UnmappedArea.startGapsAbove(mm) && 0 < mm.mmapBase;
      @ ensures mm.defaultMapWindow <= mm.taskSize && mm.defaultMapWindow <= mm.taskSizeMax;
      @ ensures (\bigint) mm.mmapBase + mm.taskSize <= Long.MAX_VALUE;
      @ ensures (\bigint) mm.mmapBase + mm.taskSizeMax <= Long.MAX_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void topdownFacts(MmState mm) {
    }

    /**
     * A lemma, no code: {@link AlignedArea}'s alignedArgs written out, both ways, for a proof that
     * keeps the model predicates folded (its facts for the aligned helper's body, the predicate
     * for its callers).
     */
    /*@ public normal_behavior
      @ ensures AlignedArea.alignedArgs(mm, size) <==> (mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null
      @         && mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length
      @         && 0 < size && size <= Arith.MAX_POW2 && Arith.MAX_POW2 % size == 0
      @         && 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void alignedArgsDef(MmState mm, long size) {
    }

    /** A lemma, no code: a search domain with a start gap is one without (x86's bottom-up fallback). */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, startGap);
      @ ensures ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void domainNoGap(MmState mm, long len, long startGap) {
    }

    /** A lemma, no code: a search domain holds for a longer length that stays below 2^63 with the gap. */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, startGap);
      @ requires len <= lenPad && (\bigint) lenPad + startGap <= Long.MAX_VALUE;
      @ ensures ArchGetUnmappedArea.searchDomain(mm, lenPad, startGap);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void domainLonger(MmState mm, long len, long lenPad, long startGap) {
    }

    /**
     * A lemma, no code: {@link Predicates}' mmapSizes written out, both ways, for a proof that
     * keeps the model predicates folded (__get_unmapped_area's, which needs its sizes one by one).
     */
    /*@ public normal_behavior
      @ ensures Predicates.mmapSizes(mm) <==> (mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null
      @         && mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length
      @         && 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0
      @         && 0 < mm.pmdSize && mm.pmdSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pmdSize == 0
      @         && (mm.shmemHugeSize == 0 || (0 < mm.shmemHugeSize && mm.shmemHugeSize <= Arith.MAX_POW2
      @             && Arith.MAX_POW2 % mm.shmemHugeSize == 0)));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void mmapSizesDef(MmState mm) {
    }

    /**
     * A lemma, no code: {@link Predicates}' mmapDomain written out, both ways, as {@link
     * #mmapSizesDef} (do_mmap's and __get_unmapped_area's proofs).
     */
    /*@ public normal_behavior
      @ ensures Predicates.mmapDomain(mm) <==> (ArchGetUnmappedArea.searchDomain(mm, 1, 0)
      @         && (mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm))
      @         && mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize
      @         && mm.taskSize < Arith.MAX_POW2);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void mmapDomainDef(MmState mm) {
    }

    /** A lemma, no code: {@link Predicates}' hookSizes written out, both ways, as {@link #mmapSizesDef}. */
    /*@ public normal_behavior
      @ requires sizes != null;
      @ ensures Predicates.hookSizes(mm, file, sizes) <==> ((\forall int i; 0 <= i && i < sizes.length;
      @             0 < sizes[i] && sizes[i] <= Arith.MAX_POW2 && Arith.MAX_POW2 % sizes[i] == 0)
      @         && (file == GetUnmappedArea.FILE_HUGETLB || file == GetUnmappedArea.FILE_HUGETLB_612
      @             ==> sizes.length == 1 && mm.pageSize < sizes[0] && sizes[0] % mm.pageSize == 0));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void hookSizesDef(MmState mm, int file, long[] sizes) {
    }

    /**
     * A lemma, no code: what {@link VmaTree#findVmaIntersection}'s -1 case needs of vmasValid (the
     * all-pairs order, each VMA non-empty at or above 0), for do_mmap's MAP_FIXED_NOREPLACE check.
     */
    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm);
      @ ensures VmaTree.sorted(mm);
      @ ensures (\forall int i; 0 <= i && i < mm.vmStart.length; 0 <= mm.vmStart[i] && mm.vmStart[i] < mm.vmEnd[i]);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void vmasOrdered(MmState mm) {
    }

    /**
     * A lemma, no code: IS_ERR_VALUE's observer written out (Arith.isErrValue's second post), so
     * that a proof with queries off meets the post's observer with the code's call.
     */
    /*@ public normal_behavior
      @ ensures Arith.isErrValue(x) <==> (-Arith.MAX_ERRNO <= x && x < 0);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ void errValueDef(long x) {
    }
}
