package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * {@code __get_unmapped_area} (mm/mmap.c): which search a request takes, and the checks on its
 * answer. Also {@code shmem_get_unmapped_area} (mm/shmem.c) for anonymous shared memory.
 */
public final class GetUnmappedArea {
    private GetUnmappedArea() {
    }

    /** Anonymous memory: no file. */
    public static final int FILE_ANON = 0;
    /** A file whose {@code get_unmapped_area} is {@code thp_get_unmapped_area} (ext4, xfs, ...). */
    public static final int FILE_THP = 1;
    /** A file with no hook of its own (a VFIO device file in 6.18): the plain search. */
    public static final int FILE_PLAIN = 2;
    /**
     * A device file whose {@code get_unmapped_area} tries the aligned helper at given sizes, then
     * the plain search (the June 2025 series' VFIO hook, the order-hint design, THP's hook on a
     * device file).
     */
    public static final int FILE_ALIGNED_HOOK = 3;
    /**
     * A file with no hook but a {@code get_mapping_order} (the December 2025 series): {@code
     * __get_unmapped_area} aligns at the order's size when there is no hint and THP is built in.
     */
    public static final int FILE_MAPPING_ORDER = 4;
    /**
     * A shmem file (tmpfs, memfd: {@code shmem_file_operations}, whose hook is {@code
     * shmem_get_unmapped_area}) that shmem leaves unaligned: its superblock's {@code huge} is never,
     * or {@code shmem_enabled} is deny ({@link ShmemHuge#fileHugeSize}).
     */
    public static final int FILE_SHMEM = 5;
    /** A shmem file that {@code shmem_get_unmapped_area} aligns to HPAGE_PMD_SIZE. */
    public static final int FILE_SHMEM_HUGE = 6;
    /**
     * /dev/zero (drivers/char/mem.c {@code get_unmapped_area_zero}): MAP_SHARED takes {@code
     * shmem_get_unmapped_area(NULL, ...)} as anonymous shared memory does, but with the request's
     * pgoff; MAP_PRIVATE takes {@code thp_get_unmapped_area} with the file, as ext4 does.
     */
    public static final int FILE_DEV_ZERO = 7;
    /**
     * A hugetlb file (hugetlbfs, or the file {@code ksys_mmap_pgoff} makes for anonymous
     * MAP_HUGETLB): its hook is {@link Hugetlb#hugetlbGetUnmappedArea}, at the huge page size
     * given as the hook's one size.
     */
    public static final int FILE_HUGETLB = 8;
    /** A hugetlb file of Linux 6.12, whose hook is {@link Hugetlb612#hugetlbGetUnmappedArea}. */
    public static final int FILE_HUGETLB_612 = 9;

    /** Which search a request took, for explanations (recorded by {@link #searchKind}). */
    public static final int SEARCH_FILE_HOOK_THP = 1;
    public static final int SEARCH_SHMEM = 2;
    public static final int SEARCH_ANON_THP = 3;
    public static final int SEARCH_PLAIN = 4;
    public static final int SEARCH_ALIGNED_HOOK = 5;
    public static final int SEARCH_MAPPING_ORDER = 6;
    public static final int SEARCH_HUGETLB = 7;

    /**
     * The branch of {@code __get_unmapped_area} a request takes: the file's hook, shmem for
     * anonymous shared memory, the THP helper for anonymous memory with no hint and a PMD-multiple
     * length (THP built in), or the plain {@code mm_get_unmapped_area_vmflags}.
     */
    /*@ public normal_behavior
      @ requires 0 < mm.pmdSize && mm.pmdSize <= Arith.MAX_POW2;
      @ requires 0 < mm.pmdSize && mm.pmdSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pmdSize == 0;
      @ ensures SEARCH_FILE_HOOK_THP <= \result && \result <= SEARCH_HUGETLB;
      @ ensures \result == SEARCH_HUGETLB <==> (file == FILE_HUGETLB || file == FILE_HUGETLB_612); // its one size: hookSizes
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "__get_unmapped_area", file = "mm/mmap.c")
    public static /*@ pure @*/ int searchKind(MmState mm, int file, long addr, long len, long flags) {
        if (file == FILE_THP) {
            return SEARCH_FILE_HOOK_THP;
        }
        if (file == FILE_ALIGNED_HOOK) {
            return SEARCH_ALIGNED_HOOK;
        }
        if (file == FILE_HUGETLB || file == FILE_HUGETLB_612) {
            return SEARCH_HUGETLB;
        }
        if (file == FILE_MAPPING_ORDER && mm.thp && addr == 0) {
            return SEARCH_MAPPING_ORDER;
        }
        if (file == FILE_SHMEM || file == FILE_SHMEM_HUGE) {
            return SEARCH_SHMEM;
        }
        if (file == FILE_DEV_ZERO) {
            if (MapFlags.has(flags, MapFlags.MAP_SHARED)) {
                return SEARCH_SHMEM;
            }
            return SEARCH_FILE_HOOK_THP;
        }
        if (file == FILE_ANON && MapFlags.has(flags, MapFlags.MAP_SHARED)) {
            return SEARCH_SHMEM;
        }
        if (mm.thp && file == FILE_ANON && addr == 0 && Arith.remU(len, mm.pmdSize) == 0) {
            return SEARCH_ANON_THP;
        }
        return SEARCH_PLAIN;
    }

    /**
     * {@code __get_unmapped_area} (mm/mmap.c) for a file whose hook takes no sizes (every kind but
     * {@link #FILE_ALIGNED_HOOK}, {@link #FILE_MAPPING_ORDER} and the hugetlb files, for which an
     * empty list of sizes is the plain search). {@code len} is already page-aligned and non-zero
     * (do_mmap). The result is an address or an error value; a non-error result {@code r} has
     * {@code r + len <= TASK_SIZE}, is page-aligned, and passed {@code security_mmap_addr}. It
     * takes no array, so that callers with none need not allocate one (an allocation changes the
     * heap, and a caller's proof with the model predicates folded does not carry them across it).
     */
    /*@ public normal_behavior
      @ requires Predicates.mmapSizes(mm);
      @ requires Predicates.mmapDomain(mm); // the searches' domain (at len by domainLonger)
      @ requires len != 0; // do_mmap's
      @ requires file != FILE_HUGETLB && file != FILE_HUGETLB_612; // a hugetlb file's size: getUnmappedAreaHook
      @ ensures Arith.u(len) > Arith.u(mm.taskSize) ==> \result == Errno.ENOMEM_VALUE; // ugt, as its post states it (queries off)
      @ ensures !Arith.isErrValue(\result) ==> Arith.ule(\result, (long) (mm.taskSize - len))
      @                                     && Arith.remU(\result, mm.pageSize) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "__get_unmapped_area", file = "mm/mmap.c")
    public static /*@ pure @*/ long getUnmappedArea(MmState mm, int file, long addr, long len, long pgoff0,
            long flags0) {
        ArchLemmas.mmapSizesDef(mm); // lemmas, no code: the folded predicates' facts one by one
        ArchLemmas.mmapDomainDef(mm);
        ArchLemmas.domainFacts(mm, 1, 0);
        if (Arith.ugt(len, mm.taskSize)) {
            return Errno.err(Errno.ENOMEM); // ENOMEM_VALUE, through err, whose post says it is an error value
        }
        ArithLemmas.belowSigned(mm.taskSize, len); // lemmas, no code: 0 < len <= TASK_SIZE,
        ArchLemmas.domainLonger(mm, 1, len, 0); // so the searches' domain holds at len
        // Anonymous memory always searches with pgoff 0.
        long pgoff = file == FILE_ANON ? 0 : pgoff0;
        int kind = searchKind(mm, file, addr, len, flags0);
        // The searches' filp (MapFlags.FILP): every file's, but anonymous memory's and shared
        // /dev/zero's (get_unmapped_area_zero passes NULL to shmem).
        long flags = flags0;
        if (file != FILE_ANON && !(file == FILE_DEV_ZERO && MapFlags.has(flags0, MapFlags.MAP_SHARED))) {
            flags = MapFlags.with(flags0, MapFlags.FILP);
        }
        long r;
        if (kind == SEARCH_FILE_HOOK_THP || kind == SEARCH_ANON_THP) {
            r = AlignedArea.thpGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, 0);
        } else if (kind == SEARCH_SHMEM) {
            r = shmemGetUnmappedArea(mm, addr, len, pgoff, flags, shmemHpage(mm, file));
        } else {
            // The plain search; for an aligned hook or a mapping order with no sizes too, as
            // AlignedHook.getUnmappedAreaAligned tries none and then searches with the same arguments.
            r = ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, 0);
        }
        return checkAnswer(mm, r, len);
    }

    /**
     * {@code __get_unmapped_area} (mm/mmap.c) for any file, including the designs' aligned hooks:
     * {@code sizes} and {@code off} say what a {@link #FILE_ALIGNED_HOOK} or {@link
     * #FILE_MAPPING_ORDER} file aligns to; for a {@link #FILE_HUGETLB} file, {@code sizes} is its
     * one huge page size (ignored for the others, which take {@link #getUnmappedArea}).
     */
    /*@ public normal_behavior
      @ requires Predicates.mmapSizes(mm);
      @ requires Predicates.mmapDomain(mm); // the searches' domain (at len by domainLonger)
      @ requires Predicates.hookSizes(mm, file, sizes);
      @ requires len != 0; // do_mmap's
      @ ensures Arith.u(len) > Arith.u(mm.taskSize) ==> \result == Errno.ENOMEM_VALUE; // ugt, as its post states it (queries off)
      @ ensures !Arith.isErrValue(\result) ==> Arith.ule(\result, (long) (mm.taskSize - len))
      @                                     && Arith.remU(\result, mm.pageSize) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "__get_unmapped_area", file = "mm/mmap.c")
    public static /*@ pure @*/ long getUnmappedAreaHook(MmState mm, int file, long addr, long len, long pgoff0,
            long flags0, long[] sizes, long off) {
        ArchLemmas.mmapSizesDef(mm); // lemmas, no code: the folded predicates' facts one by one
        int kind = searchKind(mm, file, addr, len, flags0);
        if (kind != SEARCH_ALIGNED_HOOK && kind != SEARCH_MAPPING_ORDER && kind != SEARCH_HUGETLB) {
            return getUnmappedArea(mm, file, addr, len, pgoff0, flags0); // reads no size
        }
        ArchLemmas.mmapDomainDef(mm);
        ArchLemmas.hookSizesDef(mm, file, sizes);
        ArchLemmas.domainFacts(mm, 1, 0);
        if (Arith.ugt(len, mm.taskSize)) {
            return Errno.err(Errno.ENOMEM); // ENOMEM_VALUE, through err, whose post says it is an error value
        }
        ArithLemmas.belowSigned(mm.taskSize, len); // lemmas, no code: 0 < len <= TASK_SIZE,
        ArchLemmas.domainLonger(mm, 1, len, 0); // so the searches' domain holds at len
        long r;
        if (kind == SEARCH_HUGETLB) {
            // A hugetlb file's hook reads its own filp; pgoff is not searched with.
            r = file == FILE_HUGETLB_612 ? Hugetlb612.hugetlbGetUnmappedArea(mm, addr, len, flags0, sizes[0])
                    : Hugetlb.hugetlbGetUnmappedArea(mm, addr, len, flags0, sizes[0]);
        } else {
            // A device file (never anonymous): its pgoff, and its filp for the searches.
            r = AlignedHook.getUnmappedAreaAligned(mm, addr, len, pgoff0, MapFlags.with(flags0, MapFlags.FILP), sizes,
                    off);
        }
        return checkAnswer(mm, r, len);
    }

    /**
     * What {@code __get_unmapped_area} (mm/mmap.c) checks of the search's answer {@code r} for a
     * request of {@code len} bytes: an error passes through, an answer whose range would end above
     * TASK_SIZE is -ENOMEM, one that is not page-aligned -EINVAL, and the rest is {@link
     * #securityMmapAddr}'s.
     */
    /*@ public normal_behavior
      @ requires MmState.fieldsInRange(mm);
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ ensures !Arith.isErrValue(\result) ==> \result == r && Arith.ule(\result, (long) (mm.taskSize - len))
      @                                     && Arith.remU(\result, mm.pageSize) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "__get_unmapped_area", file = "mm/mmap.c")
    public static /*@ pure @*/ long checkAnswer(MmState mm, long r, long len) {
        if (Arith.isErrValue(r)) {
            return r;
        }
        if (Arith.ugt(r, mm.taskSize - len)) {
            return Errno.ENOMEM_VALUE;
        }
        if (Arith.remU(r, mm.pageSize) != 0) {
            return Errno.err(Errno.EINVAL);
        }
        return securityMmapAddr(mm, r);
    }

    /**
     * {@code security_mmap_addr} with the capability module (security/commoncap.c {@code
     * cap_mmap_addr}): below dac_mmap_min_addr the task needs CAP_SYS_RAWIO, else -EPERM.
     */
    /*@ public normal_behavior
      @ requires MmState.fieldsInRange(mm);
      @ ensures \result == addr || \result == Errno.err(Errno.EPERM);
      @ ensures \result == addr <==> (!Arith.ult(addr, mm.dacMmapMinAddr) || mm.capSysRawio);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "security_mmap_addr", file = "security/commoncap.c")
    public static /*@ pure @*/ long securityMmapAddr(MmState mm, long addr) {
        if (Arith.ult(addr, mm.dacMmapMinAddr) && !mm.capSysRawio) {
            return Errno.err(Errno.EPERM);
        }
        return addr;
    }

    /**
     * The {@code hpage_size} {@code shmem_get_unmapped_area} aligns a request of {@code file} to
     * (0: not aligned): {@code mm.shmemHugeSize} for anonymous shared memory and shared /dev/zero
     * (both with no file, {@code shm_mnt}'s superblock; {@link
     * ShmemHuge#anonHugeSize} of the knobs), HPAGE_PMD_SIZE for a {@link #FILE_SHMEM_HUGE} file
     * ({@link ShmemHuge#fileHugeSize}), 0 for a {@link #FILE_SHMEM} one.
     */
    /*@ public normal_behavior
      @ ensures file == FILE_ANON || file == FILE_DEV_ZERO ==> \result == mm.shmemHugeSize;
      @ ensures file == FILE_SHMEM_HUGE ==> \result == mm.pmdSize;
      @ ensures file != FILE_ANON && file != FILE_DEV_ZERO && file != FILE_SHMEM_HUGE ==> \result == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hpage_size")
    public static /*@ pure @*/ long shmemHpage(MmState mm, int file) {
        if (file == FILE_ANON || file == FILE_DEV_ZERO) {
            return mm.shmemHugeSize;
        }
        if (file == FILE_SHMEM_HUGE) {
            return mm.pmdSize;
        }
        return 0;
    }

    /**
     * {@code shmem_get_unmapped_area} (mm/shmem.c, Linux 6.18) for anonymous shared memory ({@code
     * pgoff} 0) and shmem files: the plain search (with the file's pgoff), then, when shmem aligns
     * the request ({@code hpage != 0}, {@link #shmemHpage}) and it is neither fixed nor a taken
     * hint, an inflated search (no file, pgoff 0, the same hint) placed at the lowest address
     * congruent to the file offset modulo {@code hpage}. Every way out of the second part returns
     * the plain address. {@code i_size} is not read. Proved: the answer is the plain search's, or
     * (shmem aligning) an address whose range ends at or below TASK_SIZE.
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0); // both searches' domain (the inflated one by domainLonger)
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires hpage == 0 || (0 < hpage && hpage <= Arith.MAX_POW2 && Arith.MAX_POW2 % hpage == 0);
      @ ensures len > mm.taskSize ==> \result == -12; // -ENOMEM, as a literal: with queries off a pure call in a post is not evaluated
      @ ensures len <= mm.taskSize ==> \result == ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, uaddr, len, pgoff, flags, 0)
      @         || (hpage != 0 && 0 <= \result && \result <= mm.taskSize - len);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "shmem_get_unmapped_area", file = "mm/shmem.c")
    public static /*@ pure @*/ long shmemGetUnmappedArea(MmState mm, long uaddr, long len, long pgoff, long flags,
            long hpage) {
        ArchLemmas.domainFacts(mm, len, 0); // a lemma, no code: searchDomain's facts one by one
        if (Arith.ugt(len, mm.taskSize)) {
            return Errno.ENOMEM_VALUE;
        }
        long addr = ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, uaddr, len, pgoff, flags, 0);
        if (!mm.thp || hpage == 0 || Arith.isErrValue(addr) || Arith.remU(addr, mm.pageSize) != 0
                || Arith.ugt(addr, mm.taskSize - len) || MapFlags.has(flags, MapFlags.MAP_FIXED) || uaddr == addr) {
            return addr;
        }
        return shmemInflated(mm, uaddr, len, pgoff, flags, hpage, addr);
    }

    /**
     * The second part of {@code shmem_get_unmapped_area} (mm/shmem.c, Linux 6.18), once the plain
     * search found {@code addr} and shmem aligns ({@code hpage != 0}): the inflated search moved up
     * to the first address congruent to the file offset, or {@code addr} on every other way out. A
     * method of its own so that each proof meets one of the two searches; the move of the inflated
     * answer is {@link #shmemMove}.
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0); // the inflated search's by domainLonger
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires 0 < hpage && hpage <= Arith.MAX_POW2 && Arith.MAX_POW2 % hpage == 0;
      @ requires len <= mm.taskSize; // shmemGetUnmappedArea's length test
      @ ensures \result == addr || (0 <= \result && \result <= mm.taskSize - len);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "shmem_get_unmapped_area", file = "mm/shmem.c")
    static /*@ pure @*/ long shmemInflated(MmState mm, long uaddr, long len, long pgoff, long flags, long hpage,
            long addr) {
        ArchLemmas.domainFacts(mm, len, 0); // a lemma, no code: searchDomain's facts one by one
        // remURange is remU (the same value) with only its range: the post needs no remainder's value.
        if (Arith.ult(len, hpage)) {
            return addr;
        }
        long offset = Arith.remURange(pgoff * mm.pageSize, hpage);
        if (offset != 0 && Arith.ult(offset + len, 2 * hpage)) {
            return addr;
        }
        if (Arith.remURange(addr, hpage) == offset) {
            return addr;
        }
        long inflatedLen = len + hpage - mm.pageSize;
        if (Arith.ugt(inflatedLen, mm.taskSize) || Arith.ult(inflatedLen, len)) {
            return addr;
        }
        ArithLemmas.belowSigned(mm.taskSize, inflatedLen); // lemmas, no code: len <= inflatedLen <= TASK_SIZE,
        ArchLemmas.domainLonger(mm, len, inflatedLen, 0); // so the search's domain holds at inflatedLen
        // No file for the inflated search (mm_get_unmapped_area(current->mm, NULL, ...)).
        long noFile = MapFlags.has(flags, MapFlags.FILP) ? flags - MapFlags.FILP : flags;
        long inflatedAddr = ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, uaddr, inflatedLen, 0, noFile, 0);
        return shmemMove(addr, inflatedAddr, offset, hpage, len, mm.taskSize, mm.pageSize);
    }

    /**
     * The end of {@code shmem_get_unmapped_area} (mm/shmem.c, Linux 6.18), once the inflated
     * search answered {@code inflatedAddr}: {@code addr} for an error or an unaligned answer, else
     * the answer moved up to the first address congruent to {@code offset} modulo {@code hpage}
     * (inflated_offset and the two additions), kept only when its range ends at or below {@code
     * taskSize}. A method of its own so that the remainder arithmetic over the symbolic {@code
     * hpage} is proved apart from the searches (shmemInflated's proof stopped at 130,000 nodes).
     */
    /*@ public normal_behavior
      @ requires 0 < hpage && hpage <= Arith.MAX_POW2 && Arith.MAX_POW2 % hpage == 0;
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % pageSize == 0;
      @ requires 0 <= offset && offset < hpage;
      @ requires 0 <= len && len <= taskSize;
      @ ensures \result == addr || (0 <= \result && \result <= taskSize - len);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "shmem_get_unmapped_area", file = "mm/shmem.c")
    static /*@ pure @*/ long shmemMove(long addr, long inflatedAddr, long offset, long hpage, long len, long taskSize,
            long pageSize) {
        if (Arith.isErrValue(inflatedAddr) || Arith.remURange(inflatedAddr, pageSize) != 0) {
            return addr;
        }
        long inflatedOffset = Arith.remURange(inflatedAddr, hpage);
        inflatedAddr = inflatedAddr + offset - inflatedOffset;
        if (Arith.ugt(inflatedOffset, offset)) {
            inflatedAddr = inflatedAddr + hpage;
        }
        if (Arith.ugt(inflatedAddr, taskSize - len)) {
            return addr;
        }
        ArithLemmas.belowSigned(taskSize - len, inflatedAddr); // a lemma, no code: 0 <= inflatedAddr <= TASK_SIZE - len
        return inflatedAddr;
    }
}
