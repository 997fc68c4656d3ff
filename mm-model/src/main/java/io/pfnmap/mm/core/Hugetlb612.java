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
        if (Arith.remU(len, hsize) != 0) {
            return Errno.err(Errno.EINVAL);
        }
        if (Arith.ugt(len, mm.taskSize)) {
            return Errno.ENOMEM_VALUE;
        }
        if (MapFlags.has(flags, MapFlags.MAP_FIXED)) {
            return Arith.remU(addr0, hsize) != 0 ? Errno.err(Errno.EINVAL) : addr0;
        }
        ArchLemmas.domainFacts(mm, len, 0); // lemmas, no code: the domain's facts one by one
        HugetlbLemmas.maskAlignIsKernelMask(mm.pageSize, hsize);
        long mask = hsize - mm.pageSize;
        long addr = addr0;
        if (addr != 0) {
            addr = Arith.alignDown(addr, hsize);
            if (ArchGetUnmappedArea.mmapAddressHintValid(mm, addr, len)
                    && ArchGetUnmappedArea.fitsBelowNext(mm, addr, len)) {
                return addr;
            }
        }
        ArchLemmas.maskRule(mm.pageSize, mask, len, 0); // lemma, no code: the search's mask rule
        if (!mm.topdown) {
            return UnmappedArea.unmappedArea(mm, len, mm.legacyBase, ArchGetUnmappedArea.x86SearchEnd(mm, addr), mask,
                    0, 0);
        }
        ArchLemmas.topdownFacts(mm);
        long high = mm.mmapBase;
        if (Arith.ugt(addr, mm.defaultMapWindow)) {
            high = high + (mm.taskSizeMax - mm.defaultMapWindow);
        }
        long r = UnmappedArea.unmappedAreaTopdown(mm, len, mm.pageSize, high, mask, 0, 0);
        if (Arith.remU(r, mm.pageSize) != 0) {
            // TASK_UNMAPPED_BASE is the legacy base without randomisation; TASK_SIZE_LOW the window
            r = UnmappedArea.unmappedArea(mm, len, mm.legacyBase, mm.defaultMapWindow, mask, 0, 0);
        }
        return r;
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
        long mmapEnd = ArchGetUnmappedArea.archGetMmapEnd(mm, addr0);
        if (Arith.remU(len, hsize) != 0) {
            return Errno.err(Errno.EINVAL);
        }
        if (Arith.ugt(len, mmapEnd - mm.mmapMinAddr)) {
            return Errno.ENOMEM_VALUE;
        }
        if (MapFlags.has(flags, MapFlags.MAP_FIXED)) {
            return Arith.remU(addr0, hsize) != 0 ? Errno.err(Errno.EINVAL) : addr0;
        }
        ArchLemmas.domainFacts(mm, len, 0); // lemmas, no code: the domain's facts one by one
        HugetlbLemmas.maskAlignIsKernelMask(mm.pageSize, hsize);
        long mask = hsize - mm.pageSize;
        long addr = addr0;
        if (addr != 0) {
            addr = Arith.alignUp(addr, hsize);
            if (ArchGetUnmappedArea.genericHintFits(mm, addr, len, mmapEnd)) {
                return addr;
            }
        }
        ArchLemmas.maskRule(mm.pageSize, mask, len, 0); // lemma, no code: the search's mask rule
        if (!mm.topdown) {
            // mm->mmap_base of a bottom-up task is the legacy base
            return UnmappedArea.unmappedArea(mm, len, mm.legacyBase, ArchGetUnmappedArea.archGetMmapEnd(mm, addr), mask,
                    0, 0);
        }
        ArchLemmas.topdownFacts(mm);
        long high = mm.mmapBase;
        if (Arith.ugt(addr, mm.defaultMapWindow)) {
            high = mm.mmapBase + mm.taskSize - mm.defaultMapWindow;
        }
        long r = UnmappedArea.unmappedAreaTopdown(mm, len, mm.pageSize, high, mask, 0, 0);
        if (Arith.remU(r, mm.pageSize) != 0) {
            // from the top-down mmap_base up to arch_get_mmap_end(-ENOMEM): TASK_SIZE
            r = UnmappedArea.unmappedArea(mm, len, mm.mmapBase, ArchGetUnmappedArea.archGetMmapEnd(mm, r), mask, 0, 0);
        }
        return r;
    }
}
