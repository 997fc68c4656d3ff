package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * {@code do_mmap} (mm/mmap.c) up to the point where the address is final: the argument checks,
 * the search, MAP_FIXED_NOREPLACE's overlap test and {@code file_mmap_ok}. What {@code
 * mmap_region} may still refuse afterwards (rlimits, accounting, map count) is outside the model.
 */
public final class DoMmap {
    private DoMmap() {
    }

    /** MAX_LFS_FILESIZE on 64-bit (include/linux/fs.h): the largest size of a regular file. */
    public static final long MAX_LFS_FILESIZE = Long.MAX_VALUE;

    /**
     * {@code round_hint_to_min} (mm/mmap.c): a hint rounded down to a page; a non-zero one below
     * mmap_min_addr becomes {@code PAGE_ALIGN(mmap_min_addr)}.
     */
    /*@ public normal_behavior
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires MmState.fieldsInRange(mm);
      @ ensures Arith.u(\result) % mm.pageSize == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "round_hint_to_min", file = "mm/mmap.c")
    public static /*@ pure @*/ long roundHintToMin(MmState mm, long hint) {
        long h = Arith.alignDown(hint, mm.pageSize);
        if (h != 0 && Arith.ult(h, mm.mmapMinAddr)) {
            return Arith.alignUp(mm.mmapMinAddr, mm.pageSize);
        }
        return h;
    }

    /**
     * {@code file_mmap_ok} (mm/mmap.c): {@code len} and the offset must fit below the file's
     * maximum size ({@code file_mmap_size_max}: MAX_LFS_FILESIZE for regular files, ULONG_MAX for
     * most devices, 0 meaning "unsigned offsets, no limit").
     */
    /*@ public normal_behavior
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % mm.pageSize == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "file_mmap_ok", file = "mm/mmap.c")
    public static /*@ pure @*/ boolean fileMmapOk(MmState mm, long pgoff, long len, long maxSize) {
        if (maxSize != 0 && Arith.ugt(len, maxSize)) {
            return false;
        }
        long rest = maxSize - len;
        return !Arith.ugt(pgoff, Arith.udiv(rest, mm.pageSize));
    }

    /**
     * {@code do_mmap} (mm/mmap.c): where an mmap request lands, or {@code -errno}, as the kernel
     * returns it. {@code file} is one of {@link GetUnmappedArea#FILE_ANON}, {@code FILE_THP},
     * {@code FILE_PLAIN}; {@code fileMaxSize} is the file's {@code file_mmap_size_max}. It takes no
     * array of sizes (see {@link GetUnmappedArea#getUnmappedArea}); {@link #doMmapHook} is the same
     * with the file's hook sizes, and the two share their checks ({@link #mmapArgsError}, {@link
     * #mmapFlags}, {@link #mmapHint}, {@link #mmapChecks}).
     */
    /*@ public normal_behavior
      @ requires Predicates.mmapSizes(mm);
      @ requires Predicates.mmapDomain(mm); // the searches' domain (GetUnmappedArea.getUnmappedArea)
      @ requires VmaTree.boundsInRange(mm);
      @ requires file != GetUnmappedArea.FILE_HUGETLB && file != GetUnmappedArea.FILE_HUGETLB_612; // see doMmapHook
      @ ensures len0 == 0 ==> \result == -22; // -EINVAL, as a literal: with queries off, Errno.err in a post is not evaluated
      @ ensures !Arith.isErrValue(\result) ==> Arith.remU(\result, mm.pageSize) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // MAP_FIXED_NOREPLACE: the range placed meets no VMA.
      @ requires Predicates.mmapSizes(mm);
      @ requires Predicates.mmapDomain(mm);
      @ requires VmaTree.boundsInRange(mm);
      @ requires file != GetUnmappedArea.FILE_HUGETLB && file != GetUnmappedArea.FILE_HUGETLB_612;
      @ // n is PAGE_ALIGN(len0), as Arith.alignUp's post gives it (a page multiple less than a page
      @ // above len0, which only it is): with queries off the post cannot name the code's call.
      @ ensures !Arith.isErrValue(\result) && MapFlags.hasBit(flags0, MapFlags.MAP_FIXED_NOREPLACE)
      @         ==> (\exists long n; Arith.u(n) % mm.pageSize == 0 && Arith.u(len0) <= Arith.u(n)
      @                && Arith.u(n) - Arith.u(len0) < mm.pageSize
      @                && Predicates.noVmaIntersection(mm, \result, (long) (\result + n)));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "do_mmap", file = "mm/mmap.c")
    public static /*@ pure @*/ long doMmap(MmState mm, int file, long addr0, long len0, long pgoff, long flags0,
            long fileMaxSize) {
        ArchLemmas.mmapSizesDef(mm); // a lemma, no code: the page size's facts
        long len = Arith.alignUp(len0, mm.pageSize);
        long err = mmapArgsError(mm, len0, len, pgoff);
        if (err != 0) {
            return err;
        }
        long flags = mmapFlags(flags0);
        long r = GetUnmappedArea.getUnmappedArea(mm, file, mmapHint(mm, addr0, flags), len, pgoff, flags);
        ArchLemmas.mmapDomainDef(mm); // lemmas, no code: the VMAs' order, for mmapChecks' MAP_FIXED_NOREPLACE case
        ArchLemmas.domainFacts(mm, 1, 0);
        ArchLemmas.vmasOrdered(mm);
        return mmapChecks(mm, file, r, len, pgoff, flags0, fileMaxSize); // flags0: see mmapChecks
    }

    /**
     * {@code do_mmap} (mm/mmap.c) for any file, including the designs' aligned hooks ({@code
     * sizes}, {@code off}: see {@link GetUnmappedArea#getUnmappedAreaHook}); {@link #doMmap} with
     * the hook's sizes.
     */
    /*@ public normal_behavior
      @ requires Predicates.mmapSizes(mm);
      @ requires Predicates.mmapDomain(mm); // the searches' domain (GetUnmappedArea.getUnmappedAreaHook)
      @ requires VmaTree.boundsInRange(mm);
      @ requires Predicates.hookSizes(mm, file, sizes);
      @ ensures len0 == 0 ==> \result == -22; // -EINVAL, as a literal: with queries off, Errno.err in a post is not evaluated
      @ ensures !Arith.isErrValue(\result) ==> Arith.remU(\result, mm.pageSize) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "do_mmap", file = "mm/mmap.c")
    public static /*@ pure @*/ long doMmapHook(MmState mm, int file, long addr0, long len0, long pgoff, long flags0,
            long fileMaxSize, long[] sizes, long off) {
        ArchLemmas.mmapSizesDef(mm); // a lemma, no code: the page size's facts
        long len = Arith.alignUp(len0, mm.pageSize);
        long err = mmapArgsError(mm, len0, len, pgoff);
        if (err != 0) {
            return err;
        }
        long flags = mmapFlags(flags0);
        long r = GetUnmappedArea.getUnmappedAreaHook(mm, file, mmapHint(mm, addr0, flags), len, pgoff, flags, sizes,
                off);
        return mmapChecks(mm, file, r, len, pgoff, flags0, fileMaxSize); // flags0: see mmapChecks
    }

    /**
     * {@code do_mmap}'s (mm/mmap.c) checks of the arguments before the search: 0 when they pass,
     * else the errno: a zero length, a length {@code len} (page-aligned {@code len0}) that wrapped
     * to 0, a file offset whose end wraps.
     */
    /*@ public normal_behavior
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ ensures len0 == 0 ==> \result == -22; // -EINVAL
      @ ensures \result == 0 ==> len != 0;
      @ ensures \result != 0 ==> Arith.isErrValue(\result);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "do_mmap", file = "mm/mmap.c")
    public static /*@ pure @*/ long mmapArgsError(MmState mm, long len0, long len, long pgoff) {
        if (len0 == 0) {
            return Errno.err(Errno.EINVAL);
        }
        if (len == 0) {
            return Errno.err(Errno.ENOMEM); // ENOMEM_VALUE, through err, whose post says it is an error value
        }
        if (Arith.ult(pgoff + Arith.udiv(len, mm.pageSize), pgoff)) {
            return Errno.err(Errno.EOVERFLOW);
        }
        return 0;
    }

    /** {@code do_mmap} (mm/mmap.c): MAP_FIXED_NOREPLACE implies MAP_FIXED. */
    /*@ public normal_behavior
      @ ensures true; // its callers need nothing of the flags
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "do_mmap", file = "mm/mmap.c")
    public static /*@ pure @*/ long mmapFlags(long flags0) {
        if (MapFlags.has(flags0, MapFlags.MAP_FIXED_NOREPLACE)) {
            return MapFlags.with(flags0, MapFlags.MAP_FIXED);
        }
        return flags0;
    }

    /** {@code do_mmap} (mm/mmap.c): a hint that is not MAP_FIXED goes through {@link #roundHintToMin}. */
    /*@ public normal_behavior
      @ requires Predicates.mmapSizes(mm);
      @ requires Predicates.mmapDomain(mm);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "do_mmap", file = "mm/mmap.c")
    public static /*@ pure @*/ long mmapHint(MmState mm, long addr0, long flags) {
        if (MapFlags.has(flags, MapFlags.MAP_FIXED)) {
            return addr0;
        }
        ArchLemmas.mmapSizesDef(mm); // lemmas, no code: the page size and fieldsInRange
        ArchLemmas.mmapDomainDef(mm);
        ArchLemmas.domainFacts(mm, 1, 0);
        return roundHintToMin(mm, addr0);
    }

    /**
     * {@code do_mmap}'s (mm/mmap.c) checks after the search's answer {@code r} for {@code len}
     * bytes: an error passes through; MAP_FIXED_NOREPLACE refuses a range that meets a VMA
     * (-EEXIST), and {@code file_mmap_ok} a file offset the file cannot have (-EOVERFLOW). {@code
     * flags} may be the caller's flags before {@link #mmapFlags}: MAP_FIXED_NOREPLACE, the one bit
     * read here, is set in both or in neither (mmapFlags adds MAP_FIXED only).
     */
    /*@ public normal_behavior
      @ requires Predicates.mmapSizes(mm);
      @ requires VmaTree.boundsInRange(mm);
      @ requires !Arith.isErrValue(r) ==> Arith.remU(r, mm.pageSize) == 0; // __get_unmapped_area's post
      @ ensures !Arith.isErrValue(\result) ==> Arith.remU(\result, mm.pageSize) == 0;
      @ ensures !Arith.isErrValue(\result) ==> \result == r;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // MAP_FIXED_NOREPLACE: an answer's range [r, r + len) meets no VMA.
      @ requires Predicates.mmapSizes(mm);
      @ requires VmaTree.boundsInRange(mm) && VmaTree.sorted(mm); // findVmaIntersection's -1 case
      @ requires (\forall int i; 0 <= i && i < mm.vmStart.length; 0 <= mm.vmStart[i] && mm.vmStart[i] < mm.vmEnd[i]);
      @ ensures !Arith.isErrValue(\result) && MapFlags.hasBit(flags, MapFlags.MAP_FIXED_NOREPLACE)
      @         ==> \result == r && Predicates.noVmaIntersection(mm, r, (long) (r + len));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "do_mmap", file = "mm/mmap.c")
    public static /*@ pure @*/ long mmapChecks(MmState mm, int file, long r, long len, long pgoff, long flags,
            long fileMaxSize) {
        ArchLemmas.errValueDef(r); // a lemma, no code: the post's IS_ERR_VALUE observer written out
        if (Arith.isErrValue(r)) {
            return r;
        }
        ArchLemmas.mmapSizesDef(mm); // a lemma, no code: the VMA arrays and the page size
        if (MapFlags.has(flags, MapFlags.MAP_FIXED_NOREPLACE) && VmaTree.findVmaIntersection(mm, r, r + len) >= 0) {
            return Errno.err(Errno.EEXIST);
        }
        if (file != GetUnmappedArea.FILE_ANON && !fileMmapOk(mm, pgoff, len, fileMaxSize)) {
            return Errno.err(Errno.EOVERFLOW);
        }
        return r;
    }
}
