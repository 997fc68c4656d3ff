package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * The architecture searches: x86_64's {@code arch_get_unmapped_area} and {@code
 * arch_get_unmapped_area_topdown} (arch/x86/kernel/sys_x86_64.c), the generic pair {@code
 * generic_get_unmapped_area} and {@code generic_get_unmapped_area_topdown} (mm/mmap.c) that arm64
 * and most others use, and {@code mm_get_unmapped_area_vmflags} (mm/mmap.c), which picks by
 * layout. Only 64-bit, non-compat tasks without MAP_32BIT/MAP_ABOVE4G are modelled. The align
 * mask is 0 but for a hugetlb file ({@link #mmGetUnmappedAreaHugetlb}) and, on x86_64 with AMD
 * F15h's {@code va_align} on ({@link MmState#vaAlignMask}), for a file search ({@link
 * #x86VaAlignSearch}).
 */
public final class ArchGetUnmappedArea {
    private ArchGetUnmappedArea() {
    }

    /*@ // The domain the bottom-up searches are proved on, in one predicate for their callers:
      @ // valid VMAs without VM_GROWSUP, a power-of-two page, the limits below 2^63 (bases
      @ // non-negative, ends positive), a non-negative stack_guard_gap, and a non-zero length
      @ // whose sum with the start gap stays below 2^63. Every mapping a real task makes is in it.
      @ public static model pure boolean searchDomain(MmState mm, long len, long startGap) {
      @     return mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null
      @         && mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length
      @         && 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0
      @         && VmaTree.vmasValid(mm) && VmaTree.noGrowsUp(mm) && MmState.fieldsInRange(mm)
      @         && 0 <= mm.legacyBase && 0 < mm.defaultMapWindow && 0 < mm.taskSizeMax && 0 < mm.taskSize
      @         && 0 <= mm.mmapMinAddr && 0 <= mm.stackGuardGap
      @         && mm.legacyBase <= Long.MAX_VALUE && mm.defaultMapWindow <= Long.MAX_VALUE
      @         && mm.taskSizeMax <= Long.MAX_VALUE && mm.taskSize <= Long.MAX_VALUE
      @         && mm.mmapMinAddr <= Long.MAX_VALUE && \dl_inLong(mm.mmapMinAddr)
      @         && 0 < len && 0 <= startGap && (\bigint) len + startGap <= Long.MAX_VALUE;
      @ }
      @*/

    /*@ // What the top-down searches add: startGapsAbove (a stack starts above stack_guard_gap,
      @ // a shadow stack above a page), and mmap_base positive with the widened base (mmap_base
      @ // plus TASK_SIZE or TASK_SIZE_MAX, less DEFAULT_MAP_WINDOW) below 2^63.
      @ public static model pure boolean topdownDomain(MmState mm) {
      @     return UnmappedArea.startGapsAbove(mm) && 0 < mm.mmapBase
      @         && mm.defaultMapWindow <= mm.taskSize && mm.defaultMapWindow <= mm.taskSizeMax
      @         && (\bigint) mm.mmapBase + mm.taskSize <= Long.MAX_VALUE
      @         && (\bigint) mm.mmapBase + mm.taskSizeMax <= Long.MAX_VALUE;
      @ }
      @*/

    /**
     * {@code mm_get_unmapped_area_vmflags} (mm/mmap.c): top-down when MMF_TOPDOWN, else bottom-up.
     * A file search ({@link MapFlags#FILP}) on x86_64 with {@code va_align} on goes to {@link
     * #x86VaAlignSearch}; every other search is the arch search with mask 0 and offset {@code pgoff}.
     */
    /*@ public normal_behavior
      @ ensures MapFlags.hasBit(flags, MapFlags.MAP_FIXED) ==> \result == addr || \result == Errno.ENOMEM_VALUE;
      @ requires searchDomain(mm, len, startGap);
      @ requires mm.topdown ==> topdownDomain(mm);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // In range, for best-effort: the answer is -ENOMEM, the caller's address (MAP_FIXED) or an
      @ // address whose range ends below 2^63, where mmap_min_addr lies below both ends a search
      @ // can have.
      @ requires searchDomain(mm, len, startGap);
      @ requires mm.topdown ==> topdownDomain(mm);
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ ensures \result == Errno.ENOMEM_VALUE || \result == addr || (0 <= \result && (\bigint) \result + len <= Long.MAX_VALUE);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // Determinism: the answer is the observer of this same pure method at the same arguments.
      @ // Trusted, not proved (trusted.txt; the soundness argument is in docs/proofs.md, "Trusted
      @ // cases"): it stays on the method because callers' proofs meet it only through its contract.
      @ requires searchDomain(mm, len, startGap);
      @ requires mm.topdown ==> topdownDomain(mm);
      @ ensures \result == mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, startGap);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mm_get_unmapped_area_vmflags", file = "mm/mmap.c")
    public static /*@ pure @*/ long mmGetUnmappedAreaVmflags(MmState mm, long addr, long len, long pgoff,
            long flags, long startGap) {
        if (MapFlags.has(flags, MapFlags.FILP) && vaAlignOn(mm, len, startGap)) {
            return x86VaAlignSearch(mm, addr, len, pgoff, flags, startGap);
        }
        if (mm.topdown) {
            return archGetUnmappedAreaTopdown(mm, addr, len, pgoff, flags, startGap, 0);
        }
        return archGetUnmappedArea(mm, addr, len, pgoff, flags, startGap, 0);
    }

    /**
     * Whether x86's {@code get_align_mask(filp)} (arch/x86/kernel/sys_x86_64.c) is {@code
     * va_align.mask} for a file that is not hugetlb: x86_64, and {@link MmState#vaAlignMask} not 0
     * (ALIGN_VA_64 in {@code va_align.flags}, PF_RANDOMIZE). Also checks what MmState holds by
     * construction ({@code io.pfnmap.mm.MmConfig} builds no other): the mask is {@code (upperbit -
     * 1) & PAGE_MASK} for a power of two {@code upperbit} below 2^62 and the bits lie within it; and
     * that {@code len} padded by the mask and the start gap stays below 2^63, as it does for every
     * length a search can take (at most TASK_SIZE_MAX, 2^56); a longer one fails with -ENOMEM
     * before any search whatever the mask.
     */
    /*@ public normal_behavior
      @ ensures \result ==> mm.arch == MmState.ARCH_X86_64 && 0 < mm.pageSize && 0 <= startGap
      @         && 0 < mm.vaAlignMask && mm.vaAlignMask < Arith.MAX_POW2 && mm.vaAlignMask % mm.pageSize == 0
      @         && Arith.MAX_POW2 % (mm.vaAlignMask + mm.pageSize) == 0
      @         && 0 <= mm.vaAlignBits && mm.vaAlignBits <= mm.vaAlignMask
      @         && (\bigint) len + mm.vaAlignMask + startGap <= Long.MAX_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "get_align_mask", file = "arch/x86/kernel/sys_x86_64.c")
    public static /*@ pure @*/ boolean vaAlignOn(MmState mm, long len, long startGap) {
        long mask = mm.vaAlignMask;
        long page = mm.pageSize;
        return mm.arch == MmState.ARCH_X86_64 && 0 < page && page <= Arith.MAX_POW2 && 0 <= startGap
                && 0 < mask && mask < Arith.MAX_POW2 && mask % page == 0 && Arith.MAX_POW2 % (mask + page) == 0
                && 0 <= mm.vaAlignBits && mm.vaAlignBits <= mask && len <= Long.MAX_VALUE - mask - startGap;
    }

    /**
     * x86_64's {@code arch_get_unmapped_area} and {@code arch_get_unmapped_area_topdown}
     * (arch/x86/kernel/sys_x86_64.c) for a file that is not hugetlb with AMD F15h's {@code
     * va_align} on: {@code info.align_mask = get_align_mask(filp)}, {@code va_align.mask}, and
     * {@code info.align_offset = (pgoff << PAGE_SHIFT) + get_align_bits()}, in both searches and in
     * the top-down search's bottom-up fallback (the same {@code filp}); MAP_FIXED and a free hint
     * return before either is read. The bits are a whole number of pages (within the mask), so
     * the offset is passed as {@code pgoff + bits / PAGE_SIZE}, which the searches multiply by
     * PAGE_SIZE, wrapping as the kernel's sum does.
     */
    /*@ public normal_behavior
      @ requires searchDomain(mm, len, startGap);
      @ requires mm.topdown ==> topdownDomain(mm);
      @ requires 0 < mm.vaAlignMask && mm.vaAlignMask < Arith.MAX_POW2 && mm.vaAlignMask % mm.pageSize == 0
      @          && Arith.MAX_POW2 % (mm.vaAlignMask + mm.pageSize) == 0
      @          && 0 <= mm.vaAlignBits && mm.vaAlignBits <= mm.vaAlignMask
      @          && (\bigint) len + mm.vaAlignMask + startGap <= Long.MAX_VALUE;
      @ ensures MapFlags.hasBit(flags, MapFlags.MAP_FIXED) ==> \result == addr || \result == Errno.ENOMEM_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ requires searchDomain(mm, len, startGap);
      @ requires mm.topdown ==> topdownDomain(mm);
      @ requires 0 < mm.vaAlignMask && mm.vaAlignMask < Arith.MAX_POW2 && mm.vaAlignMask % mm.pageSize == 0
      @          && Arith.MAX_POW2 % (mm.vaAlignMask + mm.pageSize) == 0
      @          && 0 <= mm.vaAlignBits && mm.vaAlignBits <= mm.vaAlignMask
      @          && (\bigint) len + mm.vaAlignMask + startGap <= Long.MAX_VALUE;
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ ensures \result == Errno.ENOMEM_VALUE || \result == addr || (0 <= \result && (\bigint) \result + len <= Long.MAX_VALUE);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "arch_get_unmapped_area", file = "arch/x86/kernel/sys_x86_64.c")
    public static /*@ pure @*/ long x86VaAlignSearch(MmState mm, long addr, long len, long pgoff, long flags,
            long startGap) {
        ArchLemmas.domainFacts(mm, len, startGap); // lemma, no code: the domain's facts one by one
        long mask = mm.vaAlignMask;
        long pgoffBits = pgoff + mm.vaAlignBits / mm.pageSize;
        if (mm.topdown) {
            return x86GetUnmappedAreaTopdown(mm, addr, len, pgoffBits, flags, startGap, mask);
        }
        return x86GetUnmappedArea(mm, addr, len, pgoffBits, flags, startGap, mask);
    }

    /**
     * {@code mm_get_unmapped_area_vmflags} (mm/mmap.c) for a hugetlb file, as {@code
     * hugetlb_get_unmapped_area} (fs/hugetlbfs/inode.c, 6.13+) calls it: vm_flags 0 (no start
     * gap); the arch searches take the file's {@code huge_page_mask_align} and no pgoff offset (x86
     * skips both for a hugetlb file, the generic pair never sets an offset). But x86's offset is
     * {@code get_align_bits()} (arch/x86/kernel/sys_x86_64.c: {@code va_align.bits &
     * get_align_mask(NULL)}, added for every {@code filp}): with AMD F15h's {@code va_align} on,
     * 6.18 places a hugetlb mapping at those bits modulo the huge page, not aligned (fixed by
     * "arch,x86: skip setting align_offset for hugetlb mappings", mm-hotfixes, June 2026).
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires searchDomain(mm, len, 0);
      @ requires mm.topdown ==> topdownDomain(mm);
      @ requires 0 < alignMask && alignMask < Arith.MAX_POW2;
      @ requires alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0;
      @ requires (\bigint) len + alignMask <= Long.MAX_VALUE;
      @ ensures MapFlags.hasBit(flags, MapFlags.MAP_FIXED) ==> \result == addr || \result == Errno.ENOMEM_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mm_get_unmapped_area_vmflags", file = "mm/mmap.c")
    public static /*@ pure @*/ long mmGetUnmappedAreaHugetlb(MmState mm, long addr, long len, long flags,
            long alignMask) {
        // arch_get_unmapped_area[_topdown]'s dispatch on the architecture made first, so that each
        // proof meets one architecture's two searches (as x86VaAlignSearch): through the two-case
        // arch dispatchers KeY did not close the mask clause at 20,000 steps.
        if (mm.arch == MmState.ARCH_X86_64) {
            return x86HugetlbSearch(mm, addr, len, flags, alignMask);
        }
        return genericHugetlbSearch(mm, addr, len, flags, alignMask);
    }

    /**
     * x86_64's {@code arch_get_unmapped_area[_topdown]} (arch/x86/kernel/sys_x86_64.c) for a
     * hugetlb file ({@link #mmGetUnmappedAreaHugetlb}): the file's mask, and as offset 6.18's
     * {@code get_align_bits()}, which it adds for every {@code filp}, a hugetlb one too (va_align
     * on; the fix, "arch,x86: skip setting align_offset for hugetlb mappings", came in June 2026).
     */
    /*@ public normal_behavior
      @ requires searchDomain(mm, len, 0);
      @ requires mm.topdown ==> topdownDomain(mm);
      @ requires 0 < alignMask && alignMask < Arith.MAX_POW2;
      @ requires alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0;
      @ requires (\bigint) len + alignMask <= Long.MAX_VALUE;
      @ ensures MapFlags.hasBit(flags, MapFlags.MAP_FIXED) ==> \result == addr || \result == Errno.ENOMEM_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "arch_get_unmapped_area", file = "arch/x86/kernel/sys_x86_64.c")
    public static /*@ pure @*/ long x86HugetlbSearch(MmState mm, long addr, long len, long flags, long alignMask) {
        ArchLemmas.domainFacts(mm, len, 0); // lemma, no code: the domain's facts one by one
        long pgoff = mm.vaAlignBits / mm.pageSize;
        if (mm.topdown) {
            return x86GetUnmappedAreaTopdown(mm, addr, len, pgoff, flags, 0, alignMask);
        }
        return x86GetUnmappedArea(mm, addr, len, pgoff, flags, 0, alignMask);
    }

    /**
     * The generic {@code generic_get_unmapped_area[_topdown]} (mm/mmap.c) for a hugetlb file
     * ({@link #mmGetUnmappedAreaHugetlb}): the file's mask, no offset.
     */
    /*@ public normal_behavior
      @ requires searchDomain(mm, len, 0);
      @ requires mm.topdown ==> topdownDomain(mm);
      @ requires 0 < alignMask && alignMask < Arith.MAX_POW2;
      @ requires alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0;
      @ requires (\bigint) len + alignMask <= Long.MAX_VALUE;
      @ ensures MapFlags.hasBit(flags, MapFlags.MAP_FIXED) ==> \result == addr || \result == Errno.ENOMEM_VALUE;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "generic_get_unmapped_area", file = "mm/mmap.c")
    public static /*@ pure @*/ long genericHugetlbSearch(MmState mm, long addr, long len, long flags,
            long alignMask) {
        ArchLemmas.domainFacts(mm, len, 0); // lemma, no code: the domain's facts one by one
        if (mm.topdown) {
            return genericGetUnmappedAreaTopdown(mm, addr, len, flags, 0, alignMask);
        }
        return genericGetUnmappedArea(mm, addr, len, flags, 0, alignMask);
    }

    /** {@code arch_get_unmapped_area} for the task's architecture. */
    /*@ public normal_behavior
      @ ensures MapFlags.hasBit(flags, MapFlags.MAP_FIXED) ==> \result == addr || \result == Errno.ENOMEM_VALUE;
      @ requires searchDomain(mm, len, startGap);
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2 // none, or hugetlb's mask
      @          && alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // In range, for best-effort: the answer is -ENOMEM, the caller's address (MAP_FIXED) or an
      @ // address whose range ends below 2^63, where mmap_min_addr lies below both ends a search
      @ // can have.
      @ requires searchDomain(mm, len, startGap);
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2 // none, or hugetlb's mask
      @          && alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ ensures \result == Errno.ENOMEM_VALUE || \result == addr || (0 <= \result && (\bigint) \result + len <= Long.MAX_VALUE);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "arch_get_unmapped_area", file = "arch/x86/kernel/sys_x86_64.c")
    public static /*@ pure @*/ long archGetUnmappedArea(MmState mm, long addr, long len, long pgoff, long flags,
            long startGap, long alignMask) {
        ArchLemmas.domainFacts(mm, len, startGap); // lemma, no code: the domain's facts one by one
        if (mm.arch == MmState.ARCH_X86_64) {
            return x86GetUnmappedArea(mm, addr, len, pgoff, flags, startGap, alignMask);
        }
        return genericGetUnmappedArea(mm, addr, len, flags, startGap, alignMask);
    }

    /** {@code arch_get_unmapped_area_topdown} for the task's architecture. */
    /*@ public normal_behavior
      @ ensures MapFlags.hasBit(flags, MapFlags.MAP_FIXED) ==> \result == addr || \result == Errno.ENOMEM_VALUE;
      @ requires searchDomain(mm, len, startGap) && topdownDomain(mm);
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2 // none, or hugetlb's mask
      @          && alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // In range, for best-effort: the answer is -ENOMEM, the caller's address (MAP_FIXED) or an
      @ // address whose range ends below 2^63, where mmap_min_addr lies below both ends a search
      @ // can have.
      @ requires searchDomain(mm, len, startGap) && topdownDomain(mm);
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2 // none, or hugetlb's mask
      @          && alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ ensures \result == Errno.ENOMEM_VALUE || \result == addr || (0 <= \result && (\bigint) \result + len <= Long.MAX_VALUE);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "arch_get_unmapped_area_topdown", file = "arch/x86/kernel/sys_x86_64.c")
    public static /*@ pure @*/ long archGetUnmappedAreaTopdown(MmState mm, long addr, long len, long pgoff,
            long flags, long startGap, long alignMask) {
        if (mm.arch == MmState.ARCH_X86_64) {
            return x86GetUnmappedAreaTopdown(mm, addr, len, pgoff, flags, startGap, alignMask);
        }
        return genericGetUnmappedAreaTopdown(mm, addr, len, flags, startGap, alignMask);
    }

    /**
     * x86_64 {@code task_size_64bit(addr > DEFAULT_MAP_WINDOW)} as {@code find_start_end} uses it
     * (arch/x86/kernel/sys_x86_64.c): the bottom-up search's end.
     */
    /*@ public normal_behavior
      @ requires MmState.fieldsInRange(mm);
      @ ensures \result == (Arith.ugt(addr, mm.defaultMapWindow) ? mm.taskSizeMax : mm.defaultMapWindow);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "task_size_64bit", file = "arch/x86/kernel/sys_x86_64.c")
    public static /*@ pure @*/ long x86SearchEnd(MmState mm, long addr) {
        return Arith.ugt(addr, mm.defaultMapWindow) ? mm.taskSizeMax : mm.defaultMapWindow;
    }

    /**
     * {@code mmap_address_hint_valid} (arch/x86/mm/mmap.c): the hint fits below TASK_SIZE and does
     * not straddle DEFAULT_MAP_WINDOW. The contract states it in plain terms for a length within
     * TASK_SIZE: a hint that fits and does not straddle is valid, and a valid one fits.
     */
    /*@ public normal_behavior
      @ requires MmState.fieldsInRange(mm);
      @ ensures 0 < len && 0 <= addr && (\bigint) addr + len <= mm.taskSize && 0 <= mm.defaultMapWindow
      @         && (addr > mm.defaultMapWindow) == ((\bigint) addr + len > mm.defaultMapWindow)
      @         ==> \result;
      @ ensures \result && 0 < len && len <= mm.taskSize ==> 0 <= addr && (\bigint) addr + len <= mm.taskSize;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mmap_address_hint_valid", file = "arch/x86/mm/mmap.c")
    public static /*@ pure @*/ boolean mmapAddressHintValid(MmState mm, long addr, long len) {
        long room = mm.taskSize - len;
        if (Arith.ult(room, addr)) {
            return false;
        }
        ArithLemmas.belowSigned(room, addr); // lemma, no code: addr is below 2^63
        return Arith.ugt(addr, mm.defaultMapWindow) == Arith.ugt(addr + len, mm.defaultMapWindow);
    }

    /**
     * Whether {@code [addr, addr + len)} ends at or below {@code vm_start_gap} of the first VMA
     * ending above {@code addr} (the hint test of every search).
     */
    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm);
      @ ensures 0 <= addr && 0 < len && 0 <= mm.stackGuardGap && 0 <= mm.pageSize
      @         && Predicates.clearOfStartGaps(mm, addr, len) ==> \result;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "vm_start_gap")
    public static /*@ pure @*/ boolean fitsBelowNext(MmState mm, long addr, long len) {
        VmaTreeLemmas.nearGap(mm, 0); // lemmas, no code: the arrays' shape,
        VmaTreeLemmas.validBoundsInRange(mm); // findVma's precondition,
        int vma = VmaTree.findVma(mm, addr);
        if (vma < 0) {
            return true;
        }
        VmaTreeLemmas.nearGap(mm, vma); // VMA vma in range,
        VmaTreeLemmas.clearAt(mm, addr, len, vma); // and the hint rule's premise at it
        return Arith.ule(addr + len, VmaTree.vmStartGap(mm, vma));
    }

    /**
     * x86_64 {@code arch_get_unmapped_area} (arch/x86/kernel/sys_x86_64.c): bottom-up from
     * mmap_legacy_base; a hint is rounded up to a page and taken when it fits.
     *
     * <p>Proved on the search's domain (valid VMAs without VM_GROWSUP, limits below 2^63, a
     * non-zero length): MAP_FIXED returns the address; the hint rule (a non-zero, page-aligned hint
     * that fits below the end and below the next VMA's start gap comes back unchanged); in-bounds
     * (every other answer is -ENOMEM or lies in {@code [0, end - len]} for the search's end).
     */
    /*@ public normal_behavior
      @ requires searchDomain(mm, len, startGap);
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2 // none, or hugetlb's mask
      @          && alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @ ensures MapFlags.hasBit(flags, MapFlags.MAP_FIXED) ==> \result == addr;
      @ ensures !MapFlags.hasBit(flags, MapFlags.MAP_FIXED) && 0 < addr && addr % mm.pageSize == 0
      @         && (\bigint) addr + len <= (Arith.ugt(addr, mm.defaultMapWindow) ? mm.taskSizeMax : mm.defaultMapWindow)
      @         && Predicates.clearOfStartGaps(mm, addr, len)
      @         ==> \result == addr;
      @ ensures !MapFlags.hasBit(flags, MapFlags.MAP_FIXED)
      @         ==> \result == Errno.ENOMEM_VALUE || (0 <= \result
      @             && (\bigint) \result + len <= (Arith.ugt(addr, mm.defaultMapWindow) ? mm.taskSizeMax : mm.defaultMapWindow));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "arch_get_unmapped_area", file = "arch/x86/kernel/sys_x86_64.c")
    public static /*@ pure @*/ long x86GetUnmappedArea(MmState mm, long addr, long len, long pgoff, long flags,
            long startGap, long alignMask) {
        if (MapFlags.has(flags, MapFlags.MAP_FIXED)) {
            return addr;
        }
        ArchLemmas.domainFacts(mm, len, startGap); // lemma, no code: the domain's facts one by one
        long begin = mm.legacyBase;
        long end = x86SearchEnd(mm, addr);
        if (Arith.ugt(len, end)) {
            return Errno.ENOMEM_VALUE;
        }
        if (addr != 0) {
            long hint = Arith.alignUp(addr, mm.pageSize);
            if (x86HintFits(mm, hint, len, end)) {
                return hint;
            }
        }
        ArchLemmas.maskRule(mm.pageSize, alignMask, len, startGap); // lemma, no code: the search's mask rule
        return UnmappedArea.unmappedArea(mm, len, begin, end, alignMask, pgoff * mm.pageSize, startGap);
    }

    /**
     * The hint test of x86_64's {@code arch_get_unmapped_area} (arch/x86/kernel/sys_x86_64.c):
     * {@code end - len >= addr} and {@code [addr, addr + len)} below the next VMA's start gap.
     */
    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm);
      @ ensures 0 < len && 0 <= addr && (\bigint) addr + len <= end
      @         && 0 <= mm.stackGuardGap && 0 <= mm.pageSize && Predicates.clearOfStartGaps(mm, addr, len)
      @         ==> \result;
      @ ensures \result && 0 < len && len <= end ==> 0 <= addr && (\bigint) addr + len <= end;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "arch_get_unmapped_area", file = "arch/x86/kernel/sys_x86_64.c")
    public static /*@ pure @*/ boolean x86HintFits(MmState mm, long addr, long len, long end) {
        long room = end - len;
        if (!Arith.uge(room, addr)) {
            return false;
        }
        ArithLemmas.belowSigned(room, addr); // lemma, no code: addr is below 2^63
        return fitsBelowNext(mm, addr, len);
    }

    /**
     * x86_64 {@code arch_get_unmapped_area_topdown} (arch/x86/kernel/sys_x86_64.c): a valid free
     * hint (rounded down) is taken; else top-down below mmap_base (widened for a hint above the
     * default window); on failure, bottom-up with the original hint.
     *
     * <p>Proved on the search's domain (where the length and TASK_SIZE are positive, so the
     * unsigned test is the plain one): MAP_FIXED returns the address, a length above TASK_SIZE
     * gives -ENOMEM, and the hint rule (a non-zero, page-aligned hint below TASK_SIZE that does
     * not straddle DEFAULT_MAP_WINDOW and is free of every VMA's start gap comes back unchanged).
     */
    /*@ public normal_behavior
      @ requires searchDomain(mm, len, startGap) && topdownDomain(mm);
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2 // none, or hugetlb's mask
      @          && alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @ ensures len > mm.taskSize ==> \result == Errno.ENOMEM_VALUE;
      @ ensures len <= mm.taskSize && MapFlags.hasBit(flags, MapFlags.MAP_FIXED) ==> \result == addr0;
      @ ensures !MapFlags.hasBit(flags, MapFlags.MAP_FIXED) && 0 < addr0 && addr0 % mm.pageSize == 0
      @         && (\bigint) addr0 + len <= mm.taskSize
      @         && (addr0 > mm.defaultMapWindow) == ((\bigint) addr0 + len > mm.defaultMapWindow)
      @         && Predicates.clearOfStartGaps(mm, addr0, len)
      @         ==> \result == addr0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // In range, for best-effort: the answer is -ENOMEM, the caller's address (MAP_FIXED) or an
      @ // address whose range ends below 2^63, where mmap_min_addr lies below both ends a search
      @ // can have.
      @ requires searchDomain(mm, len, startGap) && topdownDomain(mm);
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2 // none, or hugetlb's mask
      @          && alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ ensures \result == Errno.ENOMEM_VALUE || \result == addr0 || (0 <= \result && (\bigint) \result + len <= Long.MAX_VALUE);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "arch_get_unmapped_area_topdown", file = "arch/x86/kernel/sys_x86_64.c")
    public static /*@ pure @*/ long x86GetUnmappedAreaTopdown(MmState mm, long addr0, long len, long pgoff,
            long flags, long startGap, long alignMask) {
        ArchLemmas.domainFacts(mm, len, startGap); // lemmas, no code: the domains' facts one by one
        ArchLemmas.topdownFacts(mm);
        if (Arith.ugt(len, mm.taskSize)) {
            return Errno.ENOMEM_VALUE;
        }
        if (MapFlags.has(flags, MapFlags.MAP_FIXED)) {
            return addr0;
        }
        long addr = addr0;
        if (addr != 0) {
            addr = Arith.alignDown(addr, mm.pageSize);
            ArithLemmas.alignDownKeeps(addr0, mm.pageSize, addr); // lemma, no code: an aligned hint stays
            if (mmapAddressHintValid(mm, addr, len) && fitsBelowNext(mm, addr, len)) {
                return addr;
            }
        }
        return x86SearchTopdown(mm, addr, addr0, len, pgoff, flags, startGap, alignMask);
    }

    /**
     * The search of x86_64's {@code arch_get_unmapped_area_topdown} (arch/x86/kernel/sys_x86_64.c)
     * once the hint is refused: top-down below mmap_base, widened to the full address space for a
     * hint ({@code addr}, as rounded down) above DEFAULT_MAP_WINDOW; if that fails, the bottom-up
     * {@code arch_get_unmapped_area} with the caller's hint {@code addr0}. A function of its own so
     * that the hint rule's proof does not carry the searches' posts. Its contract is the searches'
     * domain, which it passes on (the searches' own contracts give in-bounds and no-overlap).
     */
    /*@ public normal_behavior
      @ requires searchDomain(mm, len, startGap) && topdownDomain(mm);
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2 // none, or hugetlb's mask
      @          && alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // In range, for best-effort: the answer is -ENOMEM, the caller's address (MAP_FIXED) or an
      @ // address whose range ends below 2^63, where mmap_min_addr lies below both ends a search
      @ // can have.
      @ requires searchDomain(mm, len, startGap) && topdownDomain(mm);
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2 // none, or hugetlb's mask
      @          && alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ ensures \result == Errno.ENOMEM_VALUE || \result == addr0 || (0 <= \result && (\bigint) \result + len <= Long.MAX_VALUE);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "arch_get_unmapped_area_topdown", file = "arch/x86/kernel/sys_x86_64.c")
    public static /*@ pure @*/ long x86SearchTopdown(MmState mm, long addr, long addr0, long len, long pgoff,
            long flags, long startGap, long alignMask) {
        ArchLemmas.domainFacts(mm, len, startGap); // lemmas, no code: the domains' facts one by one
        ArchLemmas.topdownFacts(mm);
        long high = mm.mmapBase;
        if (Arith.ugt(addr, mm.defaultMapWindow)) {
            high = high + (mm.taskSizeMax - mm.defaultMapWindow);
        }
        ArchLemmas.maskRule(mm.pageSize, alignMask, len, startGap); // lemma, no code: the search's mask rule
        long r = UnmappedArea.unmappedAreaTopdown(mm, len, mm.pageSize, high, alignMask, pgoff * mm.pageSize, startGap);
        if (Arith.remU(r, mm.pageSize) == 0) {
            return r;
        }
        // The fallback passes vm_flags 0: no shadow-stack start gap.
        ArchLemmas.domainNoGap(mm, len, startGap); // lemma, no code: the domain holds without the gap
        return x86GetUnmappedArea(mm, addr0, len, pgoff, flags, 0, alignMask);
    }

    /**
     * {@code arch_get_mmap_end} of arm64 (arch/arm64/include/asm/processor.h): TASK_SIZE for a
     * hint above DEFAULT_MAP_WINDOW, else DEFAULT_MAP_WINDOW.
     */
    /*@ public normal_behavior
      @ requires MmState.fieldsInRange(mm);
      @ ensures \result == (Arith.ugt(addr, mm.defaultMapWindow) ? mm.taskSize : mm.defaultMapWindow);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "arch_get_mmap_end", file = "arch/arm64/include/asm/processor.h")
    public static /*@ pure @*/ long archGetMmapEnd(MmState mm, long addr) {
        return Arith.ugt(addr, mm.defaultMapWindow) ? mm.taskSize : mm.defaultMapWindow;
    }

    /**
     * The generic hint test ({@code generic_get_unmapped_area*}, mm/mmap.c): the rounded-up hint
     * fits below mmap_end, lies at or above mmap_min_addr, and clears the guard gaps of both
     * neighbours ({@code find_vma_prev}).
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires MmState.fieldsInRange(mm) && VmaTree.vmasValid(mm) && VmaTree.noGrowsUp(mm);
      @ requires \dl_inLong(mm.mmapMinAddr);
      @ ensures 0 < len && 0 <= addr && 0 <= mm.mmapMinAddr && mm.mmapMinAddr <= addr && (\bigint) addr + len <= mmapEnd
      @         && 0 <= mm.stackGuardGap && 0 <= mm.pageSize && Predicates.clearOfStartGaps(mm, addr, len)
      @         ==> \result;
      @ ensures \result && 0 < len && len <= mmapEnd ==> 0 <= addr && (\bigint) addr + len <= mmapEnd;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "find_vma_prev", file = "mm/mmap.c")
    public static /*@ pure @*/ boolean genericHintFits(MmState mm, long addr, long len, long mmapEnd) {
        long room = mmapEnd - len;
        if (!(Arith.uge(room, addr) && Arith.uge(addr, mm.mmapMinAddr))) {
            return false;
        }
        ArithLemmas.belowSigned(room, addr); // lemma, no code: addr is below 2^63
        // The next VMA's start gap: the test of fitsBelowNext (find_vma_prev's vma).
        if (!fitsBelowNext(mm, addr, len)) {
            return false;
        }
        VmaTreeLemmas.nearGap(mm, 0); // lemmas, no code: the arrays' shape and findVma's precondition
        VmaTreeLemmas.validBoundsInRange(mm);
        int vma = VmaTree.findVma(mm, addr);
        int prev = vma < 0 ? mm.vmStart.length - 1 : vma - 1;
        if (prev < 0) {
            return true;
        }
        VmaTreeLemmas.nearGap(mm, prev + 1); // lemmas, no code: VMA prev in range,
        VmaTreeLemmas.noGrowsUpAt(mm, prev); // and without an end gap
        return Arith.uge(addr, VmaTree.vmEndGap(mm, prev));
    }

    /**
     * {@code generic_get_unmapped_area} (mm/mmap.c): bottom-up from mm->mmap_base (the legacy
     * base) to mmap_end; no align offset from pgoff.
     */
    /*@ public normal_behavior
      @ requires searchDomain(mm, len, startGap);
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2 // none, or hugetlb's mask
      @          && alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @ ensures MapFlags.hasBit(flags, MapFlags.MAP_FIXED) ==> \result == addr || \result == Errno.ENOMEM_VALUE;
      @ ensures !MapFlags.hasBit(flags, MapFlags.MAP_FIXED) && 0 < addr && addr % mm.pageSize == 0
      @         && mm.mmapMinAddr <= addr
      @         && (\bigint) addr + len <= (Arith.ugt(addr, mm.defaultMapWindow) ? mm.taskSize : mm.defaultMapWindow)
      @         && Predicates.clearOfStartGaps(mm, addr, len)
      @         ==> \result == addr;
      @ ensures !MapFlags.hasBit(flags, MapFlags.MAP_FIXED)
      @         && mm.mmapMinAddr <= (Arith.ugt(addr, mm.defaultMapWindow) ? mm.taskSize : mm.defaultMapWindow)
      @         ==> \result == Errno.ENOMEM_VALUE || (0 <= \result
      @             && (\bigint) \result + len <= (Arith.ugt(addr, mm.defaultMapWindow) ? mm.taskSize : mm.defaultMapWindow));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "generic_get_unmapped_area", file = "mm/mmap.c")
    public static /*@ pure @*/ long genericGetUnmappedArea(MmState mm, long addr, long len, long flags,
            long startGap, long alignMask) {
        ArchLemmas.domainFacts(mm, len, startGap); // lemma, no code: the domain's facts one by one
        long mmapEnd = archGetMmapEnd(mm, addr);
        if (Arith.ugt(len, mmapEnd - mm.mmapMinAddr)) {
            return Errno.ENOMEM_VALUE;
        }
        if (MapFlags.has(flags, MapFlags.MAP_FIXED)) {
            return addr;
        }
        if (addr != 0) {
            long hint = Arith.alignUp(addr, mm.pageSize);
            if (genericHintFits(mm, hint, len, mmapEnd)) {
                return hint;
            }
        }
        ArchLemmas.maskRule(mm.pageSize, alignMask, len, startGap); // lemma, no code: the search's mask rule
        return UnmappedArea.unmappedArea(mm, len, mm.legacyBase, mmapEnd, alignMask, 0, startGap);
    }

    /**
     * {@code generic_get_unmapped_area_topdown} (mm/mmap.c): top-down below {@code
     * arch_get_mmap_base}, then bottom-up from TASK_UNMAPPED_BASE to mmap_end.
     */
    /*@ public normal_behavior
      @ requires searchDomain(mm, len, startGap) && topdownDomain(mm);
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2 // none, or hugetlb's mask
      @          && alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @ ensures MapFlags.hasBit(flags, MapFlags.MAP_FIXED) ==> \result == addr0 || \result == Errno.ENOMEM_VALUE;
      @ ensures !MapFlags.hasBit(flags, MapFlags.MAP_FIXED) && 0 < addr0 && addr0 % mm.pageSize == 0
      @         && mm.mmapMinAddr <= addr0
      @         && (\bigint) addr0 + len <= (Arith.ugt(addr0, mm.defaultMapWindow) ? mm.taskSize : mm.defaultMapWindow)
      @         && Predicates.clearOfStartGaps(mm, addr0, len)
      @         ==> \result == addr0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // In range, for best-effort: the answer is -ENOMEM, the caller's address (MAP_FIXED) or an
      @ // address whose range ends below 2^63, where mmap_min_addr lies below both ends a search
      @ // can have.
      @ requires searchDomain(mm, len, startGap) && topdownDomain(mm);
      @ requires alignMask == 0 || (0 < alignMask && alignMask < Arith.MAX_POW2 // none, or hugetlb's mask
      @          && alignMask % mm.pageSize == 0 && Arith.MAX_POW2 % (alignMask + mm.pageSize) == 0
      @          && (\bigint) len + alignMask + startGap <= Long.MAX_VALUE);
      @ requires mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize;
      @ ensures \result == Errno.ENOMEM_VALUE || \result == addr0 || (0 <= \result && (\bigint) \result + len <= Long.MAX_VALUE);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "generic_get_unmapped_area_topdown", file = "mm/mmap.c")
    public static /*@ pure @*/ long genericGetUnmappedAreaTopdown(MmState mm, long addr0, long len, long flags,
            long startGap, long alignMask) {
        ArchLemmas.domainFacts(mm, len, startGap); // lemmas, no code: the domains' facts one by one
        ArchLemmas.topdownFacts(mm);
        long mmapEnd = archGetMmapEnd(mm, addr0);
        if (Arith.ugt(len, mmapEnd - mm.mmapMinAddr)) {
            return Errno.ENOMEM_VALUE;
        }
        if (MapFlags.has(flags, MapFlags.MAP_FIXED)) {
            return addr0;
        }
        long addr = addr0;
        if (addr != 0) {
            addr = Arith.alignUp(addr, mm.pageSize);
            if (genericHintFits(mm, addr, len, mmapEnd)) {
                return addr;
            }
        }
        // arch_get_mmap_base: the hint (as rounded) above the window opens the upper range.
        long high = mm.mmapBase;
        if (Arith.ugt(addr, mm.defaultMapWindow)) {
            high = mm.mmapBase + mm.taskSize - mm.defaultMapWindow;
        }
        ArchLemmas.maskRule(mm.pageSize, alignMask, len, startGap); // lemma, no code: the search's mask rule
        long r = UnmappedArea.unmappedAreaTopdown(mm, len, mm.pageSize, high, alignMask, 0, startGap);
        if (Arith.remU(r, mm.pageSize) != 0) {
            r = UnmappedArea.unmappedArea(mm, len, mm.legacyBase, mmapEnd, alignMask, 0, startGap);
        }
        return r;
    }
}
