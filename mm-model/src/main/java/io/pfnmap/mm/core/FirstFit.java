package io.pfnmap.mm.core;

/**
 * What "the first fit" means for {@code unmapped_area} and {@code unmapped_area_topdown}
 * (mm/vma.c), in the kernel's own terms, and the part of it KeY proves (issue 26, "what the
 * searches promise is too weak").
 *
 * <p>A gap fits when it holds the padded length ({@code info->length + align_mask + start_gap})
 * inside the window ({@link VmaTree#holds}, the tree's test) and the kernel's address inside it
 * passes the guard-gap test: bottom-up, {@code gap + length - 1 <= vm_start_gap(next)} when the
 * next VMA has a start gap ({@link #fitsUp}). Bottom-up answers the lowest such gap in the
 * iterator's order, top-down the highest, each at the kernel's aligned address inside it;
 * completeness says -ENOMEM only when no gap fits. {@code FirstFitProperties} (mm-model tests)
 * checks both searches against a brute-force scan of every gap, for every mask the kernel passes.
 *
 * <p>The wrappers below state, per mask the kernel uses, that one try's address is the kernel's
 * aligned address inside the gap ({@code gap += (off - gap) & mask}, {@code gap -= (gap - off) &
 * mask}, written with {@code %}); they fix the mask because the searches' arithmetic contracts
 * (bounds and congruence) pin the address down only for a constant modulus. KeY closes all
 * of them: the top-down ones through alignedBelow (its body, alignDownMask, for hugetlb's masks,
 * with the lemma {@link ArithLemmas#lastAtOrBelow}), the bottom-up ones through the lemma
 * {@link ArithLemmas#firstAtOrAbove}, which reads alignUpMask's bounds and congruence as the first
 * congruent address. The search-level completeness and minimality are not proved
 * (docs/proofs.md, "First fit").
 */
public final class FirstFit {
    private FirstFit() {
    }

    /** 2 MiB, the modulus of the 2 MiB - 1 mask. */
    public static final long PMD_2M = 2097152L;
    /** 1 GiB, the modulus of the 1 GiB - 1 mask. */
    public static final long PUD_1G = 1073741824L;

    /*@ // vm_start_gap(VMA k) as a formula: the start less stack_guard_gap for VM_GROWSDOWN, less
      @ // PAGE_SIZE for VM_SHADOW_STACK, 0 if that would go below 0 (VmaTree.vmStartGap's value).
      @ public static model pure \bigint startGapOf(MmState mm, int k) {
      @     return mm.vmFlags[k] % 2 == 1 ? (mm.stackGuardGap < mm.vmStart[k] ? (\bigint) mm.vmStart[k] - mm.stackGuardGap : 0)
      @          : (mm.vmFlags[k] / 4) % 2 == 1 ? (mm.pageSize < mm.vmStart[k] ? (\bigint) mm.vmStart[k] - mm.pageSize : 0)
      @          : (\bigint) mm.vmStart[k];
      @ }
      @*/

    /*@ // Bottom-up, gap k fits at the kernel's address gap: it holds the padded length in the
      @ // window [low, max] (the tree's test), and gap + padded - 1 is not above the next VMA's
      @ // vm_start_gap when that VMA has a start gap (unmapped_area's guard-gap test; with no
      @ // VM_GROWSUP the previous VMA's end gap is its end, below every gap the try can take).
      @ public static model pure boolean fitsUp(MmState mm, int k, long low, long max, long padded, long gap) {
      @     return 0 <= k && k <= mm.vmStart.length && VmaTree.holds(mm, k, low, max, padded)
      @         && (k < mm.vmStart.length && (mm.vmFlags[k] % 2 == 1 || (mm.vmFlags[k] / 4) % 2 == 1)
      @             ==> (\bigint) gap + padded - 1 <= startGapOf(mm, k));
      @ }
      @*/

    /**
     * One bottom-up try with mask 0 (every ordinary mapping): the address is the gap's first
     * address in the window plus {@code start_gap}, unmoved ({@code lo} is PAGE_SIZE, as the
     * search's {@code maskLow} gives for 0).
     */
    /*@ public normal_behavior
      @ requires 0 <= gapStart && 0 <= low && 0 <= startGap && 0 < pageSize && pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % pageSize == 0;
      @ requires (\bigint) gapStart + startGap + 1 <= Long.MAX_VALUE && (\bigint) low + startGap + 1 <= Long.MAX_VALUE;
      @ ensures low <= gapStart ==> \result == (\bigint) gapStart + startGap;
      @ ensures gapStart < low ==> \result == (\bigint) low + startGap;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long alignedUpMask0(long gapStart, long low, long startGap, long alignOffset, long pageSize) {
        return UnmappedArea.alignedGapStart(gapStart, low, startGap, alignOffset, 0, pageSize);
    }

    /**
     * One bottom-up try with mask 2 MiB - 1 (THP, a PMD-aligned pfnmap): the address {@code
     * alignedGapStart} takes from {@code x} (the gap's first address in the window plus {@code
     * start_gap}; its code is this call) is {@code x + ((off - x) & mask)}, the lowest address at
     * or above {@code x} congruent to {@code off} modulo 2 MiB. The window argument (two congruent
     * addresses less than 2 MiB apart are equal) is the lemma {@link ArithLemmas#firstAtOrAbove}.
     */
    /*@ public normal_behavior
      @ requires 0 <= x && (\bigint) x + PMD_2M <= Long.MAX_VALUE;
      @ ensures \result == (\bigint) x + (Arith.remUOf(alignOffset, PMD_2M) - x % PMD_2M + PMD_2M) % PMD_2M;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long alignedUpMask2M(long x, long alignOffset) {
        long r = Arith.alignUpMask(x, alignOffset, PMD_2M - 1, 1);
        ArithLemmas.firstAtOrAbove(x, r, alignOffset, PMD_2M); // a lemma, no code: bounds and congruence give the value
        return r;
    }

    /** One bottom-up try with mask 1 GiB - 1 (a PUD-aligned pfnmap), as {@link #alignedUpMask2M}. */
    /*@ public normal_behavior
      @ requires 0 <= x && (\bigint) x + PUD_1G <= Long.MAX_VALUE;
      @ ensures \result == (\bigint) x + (Arith.remUOf(alignOffset, PUD_1G) - x % PUD_1G + PUD_1G) % PUD_1G;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long alignedUpMask1G(long x, long alignOffset) {
        long r = Arith.alignUpMask(x, alignOffset, PUD_1G - 1, 1);
        ArithLemmas.firstAtOrAbove(x, r, alignOffset, PUD_1G); // a lemma, no code: bounds and congruence give the value
        return r;
    }

    /**
     * One bottom-up try with hugetlb's mask 0x1ff000 ((2 MiB - 1) & PAGE_MASK, 4 KiB pages), on a
     * page-aligned {@code x} and offset (every caller's): the lowest page-aligned address at or
     * above {@code x} congruent to {@code off} modulo 2 MiB. alignUpMask keeps {@code x}'s part
     * below PAGE_SIZE (0 here), which its congruence needs as the premise; pageCongruent2M turns
     * the congruence in units of pages into one modulo 2 MiB.
     */
    /*@ public normal_behavior
      @ requires 0 <= x && (\bigint) x + PMD_2M <= Long.MAX_VALUE && x % 4096 == 0 && alignOffset % 4096 == 0;
      @ ensures \result == (\bigint) x + (Arith.remUOf(alignOffset, PMD_2M) - x % PMD_2M + PMD_2M) % PMD_2M;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long alignedUpMaskHugetlb2M(long x, long alignOffset) {
        ArithLemmas.maskShapeHugetlb2M(); // a lemma, no code: the mask's shape, which this proof keeps folded
        long r = Arith.alignUpMask(x, alignOffset, PMD_2M - 4096, 4096);
        ArithLemmas.pageCongruent2M(r, alignOffset); // lemmas, no code: r is congruent to off modulo 2 MiB,
        ArithLemmas.firstAtOrAbove(x, r, alignOffset, PMD_2M); // so the first such address at or above x
        return r;
    }

    /** One bottom-up try with hugetlb's mask 0x3ffff000 ((1 GiB - 1) & PAGE_MASK), as {@link #alignedUpMaskHugetlb2M}. */
    /*@ public normal_behavior
      @ requires 0 <= x && (\bigint) x + PUD_1G <= Long.MAX_VALUE && x % 4096 == 0 && alignOffset % 4096 == 0;
      @ ensures \result == (\bigint) x + (Arith.remUOf(alignOffset, PUD_1G) - x % PUD_1G + PUD_1G) % PUD_1G;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long alignedUpMaskHugetlb1G(long x, long alignOffset) {
        ArithLemmas.maskShapeHugetlb1G(); // a lemma, no code: the mask's shape, which this proof keeps folded
        long r = Arith.alignUpMask(x, alignOffset, PUD_1G - 4096, 4096);
        ArithLemmas.pageCongruent1G(r, alignOffset); // lemmas, no code: r is congruent to off modulo 1 GiB,
        ArithLemmas.firstAtOrAbove(x, r, alignOffset, PUD_1G); // so the first such address at or above x
        return r;
    }

    /**
     * One top-down try with mask 0 (every ordinary mapping): the address is {@code gap_end -
     * length}, unmoved ({@code lo} is PAGE_SIZE, as the search's {@code maskLow} gives for 0).
     */
    /*@ public normal_behavior
      @ requires 0 <= infoLength && infoLength <= gapEnd;
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % pageSize == 0;
      @ ensures \result == (\bigint) gapEnd - infoLength;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long alignedDownMask0(long gapEnd, long infoLength, long alignOffset, long pageSize) {
        return UnmappedArea.alignedBelow(gapEnd, infoLength, alignOffset, 0, pageSize);
    }

    /**
     * One top-down try with hugetlb's mask 0x1ff000 on a page-aligned gap end, length and offset
     * (every caller's): the highest page-aligned address at or below {@code y = gap_end - length}
     * congruent to {@code off} modulo 2 MiB. The call is alignedBelow's body, {@code
     * alignDownMask} at {@code y}, whose post keeps {@code y}'s part below PAGE_SIZE (0 here);
     * pageCongruent2M and lastAtOrBelow read its bounds and congruence as that address.
     */
    /*@ public normal_behavior
      @ requires 0 <= infoLength && infoLength <= gapEnd && (\bigint) gapEnd - infoLength >= PMD_2M;
      @ requires gapEnd % 4096 == 0 && infoLength % 4096 == 0 && alignOffset % 4096 == 0;
      @ ensures \result == (\bigint) gapEnd - infoLength
      @         - (((\bigint) gapEnd - infoLength) % PMD_2M - Arith.remUOf(alignOffset, PMD_2M) + PMD_2M) % PMD_2M;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long alignedDownMaskHugetlb2M(long gapEnd, long infoLength, long alignOffset) {
        ArithLemmas.maskShapeHugetlb2M(); // a lemma, no code: the mask's shape, which this proof keeps folded
        long r = Arith.alignDownMask(gapEnd - infoLength, alignOffset, PMD_2M - 4096, 4096);
        ArithLemmas.pageCongruent2M(r, alignOffset); // lemmas, no code: r is congruent to off modulo 2 MiB,
        ArithLemmas.lastAtOrBelow(gapEnd - infoLength, r, alignOffset, PMD_2M); // so the last such address at or below y
        return r;
    }

    /** One top-down try with hugetlb's mask 0x3ffff000, as {@link #alignedDownMaskHugetlb2M}. */
    /*@ public normal_behavior
      @ requires 0 <= infoLength && infoLength <= gapEnd && (\bigint) gapEnd - infoLength >= PUD_1G;
      @ requires gapEnd % 4096 == 0 && infoLength % 4096 == 0 && alignOffset % 4096 == 0;
      @ ensures \result == (\bigint) gapEnd - infoLength
      @         - (((\bigint) gapEnd - infoLength) % PUD_1G - Arith.remUOf(alignOffset, PUD_1G) + PUD_1G) % PUD_1G;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long alignedDownMaskHugetlb1G(long gapEnd, long infoLength, long alignOffset) {
        ArithLemmas.maskShapeHugetlb1G(); // a lemma, no code: the mask's shape, which this proof keeps folded
        long r = Arith.alignDownMask(gapEnd - infoLength, alignOffset, PUD_1G - 4096, 4096);
        ArithLemmas.pageCongruent1G(r, alignOffset); // lemmas, no code: r is congruent to off modulo 1 GiB,
        ArithLemmas.lastAtOrBelow(gapEnd - infoLength, r, alignOffset, PUD_1G); // so the last such address at or below y
        return r;
    }

    /**
     * One top-down try with mask 2 MiB - 1: the address is {@code y - ((y - off) & mask)} with
     * {@code y = gap_end - length}, the highest address at or below {@code y} congruent to {@code
     * off} modulo 2 MiB.
     */
    /*@ public normal_behavior
      @ requires 0 <= infoLength && infoLength <= gapEnd && (\bigint) gapEnd - infoLength >= PMD_2M;
      @ ensures \result == (\bigint) gapEnd - infoLength
      @         - (((\bigint) gapEnd - infoLength) % PMD_2M - Arith.remUOf(alignOffset, PMD_2M) + PMD_2M) % PMD_2M;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long alignedDownMask2M(long gapEnd, long infoLength, long alignOffset) {
        return UnmappedArea.alignedBelow(gapEnd, infoLength, alignOffset, PMD_2M - 1, 1);
    }

    /** One top-down try with mask 1 GiB - 1, as {@link #alignedDownMask2M}. */
    /*@ public normal_behavior
      @ requires 0 <= infoLength && infoLength <= gapEnd && (\bigint) gapEnd - infoLength >= PUD_1G;
      @ ensures \result == (\bigint) gapEnd - infoLength
      @         - (((\bigint) gapEnd - infoLength) % PUD_1G - Arith.remUOf(alignOffset, PUD_1G) + PUD_1G) % PUD_1G;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long alignedDownMask1G(long gapEnd, long infoLength, long alignOffset) {
        return UnmappedArea.alignedBelow(gapEnd, infoLength, alignOffset, PUD_1G - 1, 1);
    }
}
