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
     * {@code FILE_PLAIN}; {@code fileMaxSize} is the file's {@code file_mmap_size_max}.
     */
    /*@ public normal_behavior
      @ requires Predicates.mmapSizes(mm);
      @ requires VmaTree.boundsInRange(mm);
      @ requires file != GetUnmappedArea.FILE_HUGETLB && file != GetUnmappedArea.FILE_HUGETLB_612; // see doMmapHook
      @ ensures len0 == 0 ==> \result == Errno.err(Errno.EINVAL);
      @ ensures !Arith.isErrValue(\result) ==> Arith.remU(\result, mm.pageSize) == 0;
      @ ensures !Arith.isErrValue(\result) && MapFlags.hasBit(flags0, MapFlags.MAP_FIXED_NOREPLACE)
      @         ==> VmaTree.findVmaIntersection(mm, \result, (long) (\result + Arith.alignUp(len0, mm.pageSize))) < 0;
      @ assignable \nothing; @*/
    @Kernel(fn = "do_mmap", file = "mm/mmap.c")
    public static /*@ pure @*/ long doMmap(MmState mm, int file, long addr0, long len0, long pgoff, long flags0,
            long fileMaxSize) {
        return doMmapHook(mm, file, addr0, len0, pgoff, flags0, fileMaxSize, new long[0], 0);
    }

    /**
     * {@code do_mmap} (mm/mmap.c) for any file, including the designs' aligned hooks ({@code
     * sizes}, {@code off}: see {@link GetUnmappedArea#getUnmappedAreaHook}).
     */
    /*@ public normal_behavior
      @ requires Predicates.mmapSizes(mm);
      @ requires VmaTree.boundsInRange(mm);
      @ requires Predicates.hookSizes(mm, file, sizes);
      @ ensures len0 == 0 ==> \result == Errno.err(Errno.EINVAL);
      @ ensures !Arith.isErrValue(\result) ==> Arith.remU(\result, mm.pageSize) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "do_mmap", file = "mm/mmap.c")
    public static /*@ pure @*/ long doMmapHook(MmState mm, int file, long addr0, long len0, long pgoff, long flags0,
            long fileMaxSize, long[] sizes, long off) {
        if (len0 == 0) {
            return Errno.err(Errno.EINVAL);
        }
        long flags = flags0;
        if (MapFlags.has(flags, MapFlags.MAP_FIXED_NOREPLACE)) {
            flags = MapFlags.with(flags, MapFlags.MAP_FIXED);
        }
        long addr = addr0;
        if (!MapFlags.has(flags, MapFlags.MAP_FIXED)) {
            addr = roundHintToMin(mm, addr);
        }
        long len = Arith.alignUp(len0, mm.pageSize);
        if (len == 0) {
            return Errno.ENOMEM_VALUE;
        }
        if (Arith.ult(pgoff + Arith.udiv(len, mm.pageSize), pgoff)) {
            return Errno.err(Errno.EOVERFLOW);
        }
        long r = GetUnmappedArea.getUnmappedAreaHook(mm, file, addr, len, pgoff, flags, sizes, off);
        if (Arith.isErrValue(r)) {
            return r;
        }
        if (MapFlags.has(flags, MapFlags.MAP_FIXED_NOREPLACE) && VmaTree.findVmaIntersection(mm, r, r + len) >= 0) {
            return Errno.err(Errno.EEXIST);
        }
        if (file != GetUnmappedArea.FILE_ANON && !fileMmapOk(mm, pgoff, len, fileMaxSize)) {
            return Errno.err(Errno.EOVERFLOW);
        }
        return r;
    }
}
