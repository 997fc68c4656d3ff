package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * The hugetlbfs {@code get_unmapped_area} hooks of Linux 6.12, before the 6.13 rework that made
 * hugetlb go through the task's plain search ({@link Hugetlb#hugetlbGetUnmappedArea}): x86_64's
 * own (arch/x86/mm/hugetlbpage.c) and the generic one arm64 takes (fs/hugetlbfs/inode.c), both
 * read in Debian's linux-source-6.12 (6.12.118). The qemu guests run these kernels.
 * docs/notes/hugetlb-shmem-facts.md section 2.3 lists how they differ from 6.18.
 */
public final class Hugetlb612 {
    private Hugetlb612() {
    }

    /** {@code hugetlb_get_unmapped_area} of 6.12 for the task's architecture. */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires mm.pageSize < hsize && hsize <= Arith.MAX_POW2 && Arith.MAX_POW2 % hsize == 0;
      @ requires hsize % mm.pageSize == 0 && len <= Arith.MAX_POW2;
      @ ensures Arith.remU(len, hsize) != 0 ==> \result == Errno.err(Errno.EINVAL);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hugetlb_get_unmapped_area")
    public static /*@ pure @*/ long hugetlbGetUnmappedArea(MmState mm, long addr, long len, long flags, long hsize) {
        if (mm.arch == MmState.ARCH_X86_64) {
            return x86HugetlbGetUnmappedArea(mm, addr, len, flags, hsize);
        }
        return genericHugetlbGetUnmappedArea(mm, addr, len, flags, hsize);
    }

    /**
     * {@code prepare_hugepage_range} (include/linux/hugetlb.h, 6.12) as both hooks call it for
     * MAP_FIXED: the address must lie on the huge page (-EINVAL otherwise). Its test of the length
     * is left out: both hooks have refused a length off the huge page before.
     */
    /*@ public normal_behavior
      @ requires 0 < hsize && hsize <= Arith.MAX_POW2 && Arith.MAX_POW2 % hsize == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "prepare_hugepage_range", file = "include/linux/hugetlb.h")
    static /*@ pure @*/ long prepareHugepageRange(long addr, long hsize) {
        return Arith.remU(addr, hsize) != 0 ? Errno.err(Errno.EINVAL) : addr;
    }

    /**
     * {@code huge_page_mask_align} (include/linux/hugetlb.h): {@code PAGE_MASK &
     * ~huge_page_mask(h)}, the bits between the page and the huge page, {@code hsize - PAGE_SIZE};
     * the searches' align mask in both hooks.
     */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize < hsize && hsize <= Arith.MAX_POW2 && Arith.MAX_POW2 % hsize == 0;
      @ requires hsize % pageSize == 0;
      @ ensures \result == hsize - pageSize;
      @ ensures 0 < \result && \result < Arith.MAX_POW2 && \result % pageSize == 0;
      @ ensures Arith.MAX_POW2 % (\result + pageSize) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "huge_page_mask_align", file = "include/linux/hugetlb.h")
    static /*@ pure @*/ long hugePageMaskAlign(long pageSize, long hsize) {
        HugetlbLemmas.maskAlignIsKernelMask(pageSize, hsize); // a lemma, no code: the mask's facts
        return hsize - pageSize;
    }

    /**
     * x86_64's {@code hugetlb_get_unmapped_area} (arch/x86/mm/hugetlbpage.c, 6.12): a length not
     * on the huge page is -EINVAL, one above TASK_SIZE -ENOMEM; MAP_FIXED wants the address on the
     * huge page ({@code prepare_hugepage_range}, -EINVAL); a hint is rounded <b>down</b> to the huge
     * page and taken when {@code mmap_address_hint_valid} and below the next VMA's start gap (no
     * check of the previous VMA); else bottom-up from the legacy base to {@code
     * task_size_64bit(addr > DEFAULT_MAP_WINDOW)}, or top-down below mmap_base (widened for a hint
     * above the window) with a bottom-up fallback over [TASK_UNMAPPED_BASE, TASK_SIZE_LOW) and no
     * second hint try. The mask is {@code huge_page_mask_align}, the offset 0.
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires mm.pageSize < hsize && hsize <= Arith.MAX_POW2 && Arith.MAX_POW2 % hsize == 0;
      @ requires hsize % mm.pageSize == 0 && len <= Arith.MAX_POW2;
      @ ensures Arith.remU(len, hsize) != 0 ==> \result == Errno.err(Errno.EINVAL);
      @ ensures Arith.remU(len, hsize) == 0 && Arith.ugt(len, mm.taskSize) ==> \result == Errno.ENOMEM_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hugetlb_get_unmapped_area", file = "arch/x86/mm/hugetlbpage.c")
    public static /*@ pure @*/ long x86HugetlbGetUnmappedArea(MmState mm, long addr0, long len, long flags,
            long hsize) {
        ArchLemmas.domainFacts(mm, len, 0); // a lemma, no code: remU's 0 < hsize from the page size
        if (Arith.remU(len, hsize) != 0) {
            return Errno.err(Errno.EINVAL);
        }
        if (Arith.ugt(len, mm.taskSize)) {
            return Errno.ENOMEM_VALUE;
        }
        if (MapFlags.has(flags, MapFlags.MAP_FIXED)) {
            return prepareHugepageRange(addr0, hsize);
        }
        return x86HugetlbPlace(mm, addr0, len, hsize);
    }

    /**
     * The placement of x86_64's {@code hugetlb_get_unmapped_area} (arch/x86/mm/hugetlbpage.c,
     * 6.12) once the refusals are passed: the hint rounded down to the huge page and its test, then
     * the bottom-up or the top-down search. A method of its own so that the hook's proof of its
     * refusals does not meet the rounding's facts by the symbolic huge page size (its
     * non-linear steps stopped the hook at 40,000 nodes); its contract is what its callees need.
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires mm.pageSize < hsize && hsize <= Arith.MAX_POW2 && Arith.MAX_POW2 % hsize == 0;
      @ requires hsize % mm.pageSize == 0 && len <= Arith.MAX_POW2;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hugetlb_get_unmapped_area", file = "arch/x86/mm/hugetlbpage.c")
    static /*@ pure @*/ long x86HugetlbPlace(MmState mm, long addr0, long len, long hsize) {
        ArchLemmas.domainFacts(mm, len, 0); // a lemma, no code: the domain's facts one by one
        long mask = hugePageMaskAlign(mm.pageSize, hsize);
        long addr = addr0;
        if (addr != 0) {
            addr = Arith.alignDown(addr, hsize);
            if (ArchGetUnmappedArea.mmapAddressHintValid(mm, addr, len)
                    && ArchGetUnmappedArea.fitsBelowNext(mm, addr, len)) {
                return addr;
            }
        }
        if (!mm.topdown) {
            return x86HugetlbBottomup(mm, addr, len, mask);
        }
        return x86HugetlbTopdown(mm, addr, len, mask);
    }

    /**
     * x86_64's {@code hugetlb_get_unmapped_area_bottomup} (arch/x86/mm/hugetlbpage.c, 6.12): from
     * the legacy base to {@code task_size_64bit(addr > DEFAULT_MAP_WINDOW)} for the hint ({@code
     * addr}, as rounded down). A method of its own, as {@link #x86HugetlbFallback}, so that its
     * proof meets the search's domain alone.
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires 0 < mask && mask < Arith.MAX_POW2 && mask % mm.pageSize == 0; // huge_page_mask_align
      @ requires Arith.MAX_POW2 % (mask + mm.pageSize) == 0 && (\bigint) len + mask <= Long.MAX_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hugetlb_get_unmapped_area_bottomup", file = "arch/x86/mm/hugetlbpage.c")
    static /*@ pure @*/ long x86HugetlbBottomup(MmState mm, long addr, long len, long mask) {
        ArchLemmas.domainFacts(mm, len, 0); // lemmas, no code: the domain's facts one by one
        ArchLemmas.maskRule(mm.pageSize, mask, len, 0); // and the search's mask rule
        return UnmappedArea.unmappedArea(mm, len, mm.legacyBase, ArchGetUnmappedArea.x86SearchEnd(mm, addr), mask,
                0, 0);
    }

    /**
     * x86_64's {@code hugetlb_get_unmapped_area_topdown} (arch/x86/mm/hugetlbpage.c, 6.12) once
     * the hint is refused: top-down below mmap_base, widened to TASK_SIZE_MAX for a hint ({@code
     * addr}, as rounded down) above DEFAULT_MAP_WINDOW, then the bottom-up fallback. A method of its
     * own, as {@link ArchGetUnmappedArea#x86SearchTopdown}, so that the hook's proof of its refusals
     * does not carry the searches' posts; its contract is the searches' domain, which it passes on.
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0) && ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < mask && mask < Arith.MAX_POW2 && mask % mm.pageSize == 0; // huge_page_mask_align
      @ requires Arith.MAX_POW2 % (mask + mm.pageSize) == 0 && (\bigint) len + mask <= Long.MAX_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hugetlb_get_unmapped_area_topdown", file = "arch/x86/mm/hugetlbpage.c")
    static /*@ pure @*/ long x86HugetlbTopdown(MmState mm, long addr, long len, long mask) {
        ArchLemmas.domainFacts(mm, len, 0); // lemmas, no code: the domains' facts one by one
        ArchLemmas.topdownFacts(mm);
        ArchLemmas.maskRule(mm.pageSize, mask, len, 0); // and the search's mask rule
        long high = mm.mmapBase;
        if (Arith.ugt(addr, mm.defaultMapWindow)) {
            high = high + (mm.taskSizeMax - mm.defaultMapWindow);
        }
        long r = UnmappedArea.unmappedAreaTopdown(mm, len, mm.pageSize, high, mask, 0, 0);
        if (Arith.remU(r, mm.pageSize) != 0) {
            r = x86HugetlbFallback(mm, len, mask);
        }
        return r;
    }

    /**
     * The bottom-up fallback of x86_64's {@code hugetlb_get_unmapped_area_topdown}
     * (arch/x86/mm/hugetlbpage.c, 6.12) after a failed top-down search: {@code vm_unmapped_area}
     * over [TASK_UNMAPPED_BASE, TASK_SIZE_LOW), that is from the legacy base (TASK_UNMAPPED_BASE
     * without randomisation) to DEFAULT_MAP_WINDOW. A method of its
     * own so that its proof meets the search's domain alone, not the top-down search's posts (as
     * {@link ArchGetUnmappedArea#x86SearchTopdown} hands its fallback to x86GetUnmappedArea).
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires 0 < mask && mask < Arith.MAX_POW2 && mask % mm.pageSize == 0; // huge_page_mask_align
      @ requires Arith.MAX_POW2 % (mask + mm.pageSize) == 0 && (\bigint) len + mask <= Long.MAX_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hugetlb_get_unmapped_area_topdown", file = "arch/x86/mm/hugetlbpage.c")
    static /*@ pure @*/ long x86HugetlbFallback(MmState mm, long len, long mask) {
        ArchLemmas.domainFacts(mm, len, 0); // lemmas, no code: the domain's facts one by one
        ArchLemmas.maskRule(mm.pageSize, mask, len, 0); // and the search's mask rule
        return UnmappedArea.unmappedArea(mm, len, mm.legacyBase, mm.defaultMapWindow, mask, 0, 0);
    }

    /**
     * {@code generic_hugetlb_get_unmapped_area} (fs/hugetlbfs/inode.c, 6.12; arm64): mmap_end from
     * the raw hint; a length not on the huge page is -EINVAL, one above {@code mmap_end -
     * mmap_min_addr} -ENOMEM; MAP_FIXED wants the address on the huge page; a hint is rounded
     * <b>up</b> to the huge page and taken when the generic hint test holds (below mmap_end, at or
     * above mmap_min_addr, clear of both neighbours' gaps); else bottom-up over [mmap_base (the
     * legacy base), arch_get_mmap_end(hint)), or top-down below {@code arch_get_mmap_base(hint)} with a bottom-up
     * fallback from mmap_base to {@code arch_get_mmap_end} of the failed search's -ENOMEM, which
     * is above the window: TASK_SIZE.
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires mm.pageSize < hsize && hsize <= Arith.MAX_POW2 && Arith.MAX_POW2 % hsize == 0;
      @ requires hsize % mm.pageSize == 0 && len <= Arith.MAX_POW2;
      @ ensures Arith.remU(len, hsize) != 0 ==> \result == Errno.err(Errno.EINVAL);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "generic_hugetlb_get_unmapped_area", file = "fs/hugetlbfs/inode.c")
    public static /*@ pure @*/ long genericHugetlbGetUnmappedArea(MmState mm, long addr0, long len, long flags,
            long hsize) {
        ArchLemmas.domainFacts(mm, len, 0); // a lemma, no code: archGetMmapEnd's and remU's premises
        long mmapEnd = ArchGetUnmappedArea.archGetMmapEnd(mm, addr0);
        if (Arith.remU(len, hsize) != 0) {
            return Errno.err(Errno.EINVAL);
        }
        if (Arith.ugt(len, mmapEnd - mm.mmapMinAddr)) {
            return Errno.ENOMEM_VALUE;
        }
        if (MapFlags.has(flags, MapFlags.MAP_FIXED)) {
            return prepareHugepageRange(addr0, hsize);
        }
        return genericHugetlbPlace(mm, addr0, len, hsize, mmapEnd);
    }

    /**
     * The placement of {@code generic_hugetlb_get_unmapped_area} (fs/hugetlbfs/inode.c, 6.12)
     * once the refusals are passed: the hint rounded up to the huge page and the generic hint test
     * against {@code mmapEnd} (the hook's, from the raw hint), then the bottom-up or the top-down
     * search. A method of its own for the reason of {@link #x86HugetlbPlace}; neither the hint test
     * nor the searches need the hook's length test, so its contract does not name it.
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires mm.pageSize < hsize && hsize <= Arith.MAX_POW2 && Arith.MAX_POW2 % hsize == 0;
      @ requires hsize % mm.pageSize == 0 && len <= Arith.MAX_POW2;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "generic_hugetlb_get_unmapped_area", file = "fs/hugetlbfs/inode.c")
    static /*@ pure @*/ long genericHugetlbPlace(MmState mm, long addr0, long len, long hsize, long mmapEnd) {
        ArchLemmas.domainFacts(mm, len, 0); // a lemma, no code: the domain's facts one by one
        long mask = hugePageMaskAlign(mm.pageSize, hsize);
        long addr = addr0;
        if (addr != 0) {
            addr = Arith.alignUp(addr, hsize);
            if (ArchGetUnmappedArea.genericHintFits(mm, addr, len, mmapEnd)) {
                return addr;
            }
        }
        if (!mm.topdown) {
            return genericHugetlbBottomup(mm, addr, len, mask);
        }
        return genericHugetlbTopdown(mm, addr, len, mask);
    }

    /**
     * The generic {@code hugetlb_get_unmapped_area_bottomup} (fs/hugetlbfs/inode.c, 6.12): from
     * mm->mmap_base, which for a bottom-up task is the legacy base, to {@code
     * arch_get_mmap_end(addr)} for the hint as rounded up. A method of its own, as {@link
     * #genericHugetlbFallback}, so that its proof meets the search's domain alone.
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires 0 < mask && mask < Arith.MAX_POW2 && mask % mm.pageSize == 0; // huge_page_mask_align
      @ requires Arith.MAX_POW2 % (mask + mm.pageSize) == 0 && (\bigint) len + mask <= Long.MAX_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hugetlb_get_unmapped_area_bottomup", file = "fs/hugetlbfs/inode.c")
    static /*@ pure @*/ long genericHugetlbBottomup(MmState mm, long addr, long len, long mask) {
        ArchLemmas.domainFacts(mm, len, 0); // lemmas, no code: the domain's facts one by one
        ArchLemmas.maskRule(mm.pageSize, mask, len, 0); // and the search's mask rule
        return UnmappedArea.unmappedArea(mm, len, mm.legacyBase, ArchGetUnmappedArea.archGetMmapEnd(mm, addr), mask,
                0, 0);
    }

    /**
     * The generic {@code hugetlb_get_unmapped_area_topdown} (fs/hugetlbfs/inode.c, 6.12) once the
     * hint is refused: top-down below {@code arch_get_mmap_base(addr)} (mmap_base, widened by
     * TASK_SIZE - DEFAULT_MAP_WINDOW for a hint above the window), then the bottom-up fallback. A
     * method of its own for the reason of {@link #x86HugetlbTopdown}.
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0) && ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < mask && mask < Arith.MAX_POW2 && mask % mm.pageSize == 0; // huge_page_mask_align
      @ requires Arith.MAX_POW2 % (mask + mm.pageSize) == 0 && (\bigint) len + mask <= Long.MAX_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hugetlb_get_unmapped_area_topdown", file = "fs/hugetlbfs/inode.c")
    static /*@ pure @*/ long genericHugetlbTopdown(MmState mm, long addr, long len, long mask) {
        ArchLemmas.domainFacts(mm, len, 0); // lemmas, no code: the domains' facts one by one
        ArchLemmas.topdownFacts(mm);
        ArchLemmas.maskRule(mm.pageSize, mask, len, 0); // and the search's mask rule
        long high = mm.mmapBase;
        if (Arith.ugt(addr, mm.defaultMapWindow)) {
            high = mm.mmapBase + mm.taskSize - mm.defaultMapWindow;
        }
        long r = UnmappedArea.unmappedAreaTopdown(mm, len, mm.pageSize, high, mask, 0, 0);
        if (Arith.remU(r, mm.pageSize) != 0) {
            r = genericHugetlbFallback(mm, len, mask, r);
        }
        return r;
    }

    /**
     * The bottom-up fallback of the generic {@code hugetlb_get_unmapped_area_topdown}
     * (fs/hugetlbfs/inode.c, 6.12) after its search failed with {@code err}: {@code vm_unmapped_area} from the top-down mmap_base up to {@code arch_get_mmap_end(err)}, which for an
     * errno (above the window) is TASK_SIZE. A method of its own so that its proof meets the search's
     * domain alone, not the top-down search's posts (as {@link #x86HugetlbFallback}).
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0) && ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < mask && mask < Arith.MAX_POW2 && mask % mm.pageSize == 0; // huge_page_mask_align
      @ requires Arith.MAX_POW2 % (mask + mm.pageSize) == 0 && (\bigint) len + mask <= Long.MAX_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hugetlb_get_unmapped_area_topdown", file = "fs/hugetlbfs/inode.c")
    static /*@ pure @*/ long genericHugetlbFallback(MmState mm, long len, long mask, long err) {
        ArchLemmas.domainFacts(mm, len, 0); // lemmas, no code: the domains' facts one by one
        ArchLemmas.topdownFacts(mm);
        ArchLemmas.maskRule(mm.pageSize, mask, len, 0); // and the search's mask rule
        return UnmappedArea.unmappedArea(mm, len, mm.mmapBase, ArchGetUnmappedArea.archGetMmapEnd(mm, err), mask, 0, 0);
    }
}
