package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * hugetlb on the mmap path as Linux 6.18 (6.13 and later) takes it: {@code ksys_mmap_pgoff}'s part
 * (mm/mmap.c: the hstate MAP_HUGE_* names, the length rounded up to the huge page before any other
 * check), the hugetlbfs file's {@code get_unmapped_area} hook ({@code hugetlb_get_unmapped_area},
 * fs/hugetlbfs/inode.c) and the checks its mmap hook makes once the address is chosen ({@code
 * hugetlbfs_file_mmap_prepare}). docs/notes/hugetlb-shmem-facts.md section 2 gives the sources
 * and what 6.12 does differently ({@link Hugetlb612}: x86 rounds the hint down).
 */
public final class Hugetlb {
    private Hugetlb() {
    }

    /** MAP_HUGETLB (include/uapi/asm-generic/mman-common.h; x86 and arm64 alike). */
    public static final long MAP_HUGETLB = 0x40000;
    /** 2^MAP_HUGE_SHIFT: the MAP_HUGE_* size log sits in flags bits 26..31. */
    public static final long MAP_HUGE_UNIT = 0x4000000L;
    /** MAP_HUGE_MASK + 1: six bits of size log. */
    public static final long MAP_HUGE_LOGS = 64;

    /**
     * {@code hstate_sizelog} (include/linux/hugetlb.h) as {@code ksys_mmap_pgoff} calls it: the
     * huge page size the MAP_HUGE_* bits of {@code flags} ask for, the default hstate ({@code
     * hsizes[0]}) when they are 0, or 0 when the kernel has no hstate of that size (then
     * -EINVAL). {@code hsizes} are the kernel's hstates, the default first (none: no
     * CONFIG_HUGETLB_PAGE).
     */
    /*@ public normal_behavior
      @ ensures \result == 0 || (\exists int i; 0 <= i && i < hsizes.length; hsizes[i] == \result);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hstate_sizelog", file = "include/linux/hugetlb.h")
    public static /*@ pure @*/ long hstateSizelog(long flags, long[] hsizes) {
        long log = Arith.remU(Arith.udiv(flags, MAP_HUGE_UNIT), MAP_HUGE_LOGS);
        if (log == 0) {
            return hsizes.length > 0 ? hsizes[0] : 0;
        }
        long want = pow2(log);
        /*@ loop_invariant 0 <= i && i <= hsizes.length;
          @ decreasing hsizes.length - i;
          @ assignable \strictly_nothing;
          @*/
        for (int i = 0; i < hsizes.length; i++) {
            if (hsizes[i] == want) {
                return want;
            }
        }
        return 0;
    }

    /** 2^log for log in [0, 63] (2^63 is Long.MIN_VALUE, which no hstate is): {@code 1UL << log}. */
    /*@ public normal_behavior
      @ requires 0 <= log && log < 64;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long pow2(long log) {
        long p = 1;
        /*@ loop_invariant 0 <= k && k <= log;
          @ decreasing log - k;
          @ assignable \strictly_nothing;
          @*/
        for (long k = 0; k < log; k++) {
            p = p * 2;
        }
        return p;
    }

    /**
     * {@code hugetlb_get_unmapped_area} (fs/hugetlbfs/inode.c, 6.13+): a length that is not a
     * multiple of the huge page is -EINVAL (mmap(2) has rounded it already), so is a MAP_FIXED
     * address that is not huge-aligned; a hint is rounded up to the huge page ({@code ALIGN}, 0 if
     * it wraps); then the task's plain search with {@code huge_page_mask_align} (PAGE_MASK &
     * ~huge_page_mask, i.e. {@code hsize - PAGE_SIZE}), no pgoff offset and no start gap.
     */
    /*@ public normal_behavior
      @ requires mm.pageSize < hsize && hsize <= Arith.MAX_POW2 && Arith.MAX_POW2 % hsize == 0;
      @ requires hsize % mm.pageSize == 0;
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires len <= Arith.MAX_POW2;
      @ // Not a whole number of huge pages: Java's % is 0 exactly where the unsigned remainder
      @ // is, as hsize divides 2^64.
      @ ensures len % hsize != 0 ==> \result == -22; // -EINVAL
      @ ensures MapFlags.hasBit(flags, MapFlags.MAP_FIXED) && addr % hsize != 0 ==> \result == -22;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hugetlb_get_unmapped_area", file = "fs/hugetlbfs/inode.c")
    public static /*@ pure @*/ long hugetlbGetUnmappedArea(MmState mm, long addr, long len, long flags, long hsize) {
        ArchLemmas.domainFacts(mm, len, 0); // lemma, no code: the domain's facts one by one
        if (Arith.remU(len, hsize) != 0) {
            return Errno.err(Errno.EINVAL);
        }
        if (MapFlags.has(flags, MapFlags.MAP_FIXED) && Arith.remU(addr, hsize) != 0) {
            return Errno.err(Errno.EINVAL);
        }
        long addr0 = 0;
        if (addr != 0) {
            addr0 = Arith.alignUp(addr, hsize);
        }
        HugetlbLemmas.maskAlignIsKernelMask(mm.pageSize, hsize); // lemma, no code: the mask's rule
        return ArchGetUnmappedArea.mmGetUnmappedAreaHugetlb(mm, addr0, len, flags, hsize - mm.pageSize);
    }

    /**
     * {@code region_chg} (mm/hugetlb.c; the count is {@code add_reservation_in_range}'s, which adds
     * nothing when asked only to count): how many huge pages of the file range [f, t) the file's
     * reserve map does not hold yet, i.e. what a shared mapping of that range must newly reserve
     * (the map keeps a shared range's reservation after munmap, until truncation). The map is the
     * inode's resv_map as sorted, disjoint, non-empty ranges [resvFrom[i], resvTo[i]) of huge-page
     * indices. The walk is the kernel's: a region starting before f only moves the accounted end,
     * the first region starting at or past t ends the walk, the hole before each other region is
     * counted, then the tail after the last one.
     */
    /*@ public normal_behavior
      @ requires resvFrom.length == resvTo.length;
      @ requires 0 <= f && f <= t;
      @ requires (\forall int i; 0 <= i && i < resvFrom.length; 0 <= resvFrom[i] && resvFrom[i] < resvTo[i]);
      @ requires (\forall int i; 0 <= i && i < resvFrom.length;
      @            (\forall int j; i < j && j < resvFrom.length; resvTo[i] <= resvFrom[j]));
      @ ensures 0 <= \result && \result <= t - f;
      @ // Nothing of [f, t) reserved: every page is charged.
      @ ensures (\forall int i; 0 <= i && i < resvFrom.length; resvTo[i] <= f || t <= resvFrom[i])
      @         ==> \result == t - f;
      @ // [f, t) inside one reserved region: nothing is charged.
      @ ensures (\exists int i; 0 <= i && i < resvFrom.length; resvFrom[i] <= f && t <= resvTo[i])
      @         ==> \result == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "region_chg", file = "mm/hugetlb.c")
    public static /*@ pure @*/ long regionChg(long[] resvFrom, long[] resvTo, long f, long t) {
        long chg = 0;
        long last = f; // the kernel's last_accounted_offset
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= resvFrom.length;
          @ loop_invariant f <= last && 0 <= chg && chg + f <= last && chg + f <= t;
          @ loop_invariant (\forall int j; i <= j && j < resvFrom.length; f <= resvFrom[j] ==> last <= resvFrom[j]);
          @ loop_invariant (\forall int j; 0 <= j && j < i; resvTo[j] <= f || t <= resvFrom[j])
          @                ==> last == f && chg == 0;
          @ loop_invariant (\forall int k; i <= k && k < resvFrom.length;
          @                  resvFrom[k] <= f && t <= resvTo[k] ==> last == f && chg == 0);
          @ loop_invariant (\forall int k; 0 <= k && k < i;
          @                  resvFrom[k] <= f && t <= resvTo[k] ==> t <= last && chg == 0);
          @ decreasing resvFrom.length - i;
          @ assignable \strictly_nothing;
          @*/
        while (i < resvFrom.length) {
            if (resvFrom[i] < f) {
                if (resvTo[i] > last) {
                    last = resvTo[i];
                }
            } else {
                if (resvFrom[i] >= t) {
                    break;
                }
                if (resvFrom[i] > last) {
                    chg = chg + (resvFrom[i] - last);
                }
                last = resvTo[i];
            }
            i++;
        }
        if (last < t) {
            chg = chg + (t - last);
        }
        return chg;
    }

    /**
     * The end {@code from + pages} of the file range a hugetlbfs mapping reserves, once {@link
     * #hugetlbfsFileMmap} has checked that it does not wrap: a method of its own so that its
     * caller's proof takes the sum from this contract rather than from Java's wrapping addition.
     */
    /*@ public normal_behavior
      @ requires 0 <= from && 0 <= pages && (\bigint) from + pages <= Long.MAX_VALUE;
      @ ensures \result == (\bigint) from + pages;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long fileRangeEnd(long from, long pages) {
        return from + pages;
    }

    /**
     * The checks of {@code hugetlbfs_file_mmap_prepare} (fs/hugetlbfs/inode.c), made in {@code
     * mmap_region} after the placement: a pgoff that is not a whole number of huge pages is
     * -EINVAL; then {@code hugetlb_reserve_pages} (mm/hugetlb.c) for the file's huge pages [from,
     * to): nothing with MAP_NORESERVE (VM_NORESERVE, which do_mmap sets for hugetlb whatever the
     * overcommit sysctl); for a shared mapping (VM_MAYSHARE) only the pages the file's reserve map
     * ({@code resvFrom}, {@code resvTo}: {@link #regionChg}) does not hold yet; for a private one
     * every page (a fresh resv_map of its own). It fails with -ENOMEM when fewer than that are
     * {@code available} (free and not reserved, plus the overcommit room; {@code
     * hugetlb_acct_memory} with 0 pages succeeds). Its loff_t overflow check (-EINVAL) cannot fail
     * after {@code file_mmap_ok}; it is kept, in huge pages, so that [from, to) is a range.
     */
    /*@ public normal_behavior
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires mm.pageSize < hsize && hsize <= Arith.MAX_POW2 && Arith.MAX_POW2 % hsize == 0;
      @ requires hsize % mm.pageSize == 0;
      @ requires 0 < hsize / mm.pageSize && hsize / mm.pageSize <= Arith.MAX_POW2; // pages per huge page
      @ requires Arith.MAX_POW2 % (hsize / mm.pageSize) == 0;
      @ requires resvFrom.length == resvTo.length;
      @ // Array elements are not known to be longs: the bound is stated for the range's end.
      @ requires (\forall int i; 0 <= i && i < resvFrom.length; 0 <= resvFrom[i] && resvFrom[i] < resvTo[i]
      @            && resvTo[i] <= Long.MAX_VALUE);
      @ requires (\forall int i; 0 <= i && i < resvFrom.length;
      @            (\forall int j; i < j && j < resvFrom.length; resvTo[i] <= resvFrom[j]));
      @ ensures \result == addr || \result == -22 || \result == Errno.ENOMEM_VALUE; // -EINVAL
      @ ensures MapFlags.hasBit(flags, MapFlags.MAP_NORESERVE) ==> \result == addr || \result == -22;
      @ // Private: every page is charged, whatever the file holds.
      @ ensures 0 <= pgoff && pgoff % (hsize / mm.pageSize) == 0 && 0 <= len && 0 <= available
      @         && !MapFlags.hasBit(flags, MapFlags.MAP_NORESERVE) && !MapFlags.hasBit(flags, MapFlags.MAP_SHARED)
      @         ==> (len / hsize > available ? \result == Errno.ENOMEM_VALUE : \result == addr);
      @ // Shared, and the file already holds the range's reservation: nothing to charge.
      @ ensures 0 <= pgoff && pgoff % (hsize / mm.pageSize) == 0 && 0 <= len
      @         && MapFlags.hasBit(flags, MapFlags.MAP_SHARED)
      @         && (\exists int k; 0 <= k && k < resvFrom.length; resvFrom[k] <= pgoff / (hsize / mm.pageSize)
      @               && pgoff / (hsize / mm.pageSize) + len / hsize <= resvTo[k])
      @         ==> \result == addr;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hugetlbfs_file_mmap_prepare", file = "fs/hugetlbfs/inode.c")
    public static /*@ pure @*/ long hugetlbfsFileMmap(MmState mm, long addr, long len, long pgoff, long flags,
            long hsize, long available, long[] resvFrom, long[] resvTo) {
        if (Arith.remU(pgoff, hsize / mm.pageSize) != 0) {
            return Errno.err(Errno.EINVAL);
        }
        if (MapFlags.has(flags, MapFlags.MAP_NORESERVE)) {
            return addr;
        }
        long pages = Arith.udiv(len, hsize);
        long chg = pages;
        if (MapFlags.has(flags, MapFlags.MAP_SHARED)) {
            long from = Arith.udiv(pgoff, hsize / mm.pageSize);
            // Both quotients are below 2^63 (the divisors exceed 1); the sign tests only spare the
            // prover that fact. from + pages past 2^63 is the loff_t overflow (unreachable, above).
            if (from < 0 || pages < 0 || pages > Long.MAX_VALUE - from) {
                return Errno.err(Errno.EINVAL);
            }
            chg = regionChg(resvFrom, resvTo, from, fileRangeEnd(from, pages));
        }
        if (Arith.ugt(chg, available)) {
            return Errno.ENOMEM_VALUE;
        }
        return addr;
    }

    /**
     * Whether {@code ksys_mmap_pgoff} (mm/mmap.c) maps hugetlb: a hugetlb file (of either series),
     * or anonymous memory with MAP_HUGETLB (it becomes one).
     */
    /*@ public normal_behavior
      @ ensures \result == (isHugetlbFile(file)
      @         || (file == GetUnmappedArea.FILE_ANON && MapFlags.hasBit(flags, MAP_HUGETLB)));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "ksys_mmap_pgoff", file = "mm/mmap.c")
    public static /*@ pure @*/ boolean isHugetlb(int file, long flags) {
        return isHugetlbFile(file) || (file == GetUnmappedArea.FILE_ANON && MapFlags.has(flags, MAP_HUGETLB));
    }

    /** Whether {@code file} is a hugetlb file: 6.18's hook ({@code FILE_HUGETLB}) or 6.12's. */
    /*@ public normal_behavior
      @ ensures \result == (file == GetUnmappedArea.FILE_HUGETLB || file == GetUnmappedArea.FILE_HUGETLB_612);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "is_file_hugepages", file = "include/linux/hugetlb.h")
    public static /*@ pure @*/ boolean isHugetlbFile(int file) {
        return file == GetUnmappedArea.FILE_HUGETLB || file == GetUnmappedArea.FILE_HUGETLB_612;
    }

    /**
     * The huge page of a hugetlb mapping ({@link #isHugetlb}): a hugetlbfs file's own hstate
     * ({@code hsizes[0]}; it ignores the MAP_HUGE_* bits), or the one {@link #hstateSizelog}
     * picks for MAP_HUGETLB (0: none). 0 for a mapping that is not hugetlb.
     */
    /*@ public normal_behavior
      @ requires isHugetlbFile(file) ==> hsizes.length == 1;
      @ ensures \result == 0 || (\exists int i; 0 <= i && i < hsizes.length; hsizes[i] == \result);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long hugeSize(int file, long flags, long[] hsizes) {
        if (isHugetlbFile(file)) {
            return hsizes[0];
        }
        if (file == GetUnmappedArea.FILE_ANON && MapFlags.has(flags, MAP_HUGETLB)) {
            return hstateSizelog(flags, hsizes);
        }
        return 0;
    }

    /**
     * The length of the VMA a placed mapping gets: {@code len} rounded up to its huge page
     * ({@link #hugeSize}) for hugetlb, else to the page, as {@code ksys_mmap_pgoff} and {@code
     * do_mmap} round it.
     */
    /*@ public normal_behavior
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires (\forall int i; 0 <= i && i < hsizes.length; 0 < hsizes[i] && hsizes[i] <= Arith.MAX_POW2
      @            && Arith.MAX_POW2 % hsizes[i] == 0);
      @ requires isHugetlbFile(file) ==> hsizes.length == 1;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "ksys_mmap_pgoff", file = "mm/mmap.c")
    public static /*@ pure @*/ long mappedLength(MmState mm, int file, long len, long flags, long[] hsizes) {
        long hsize = hugeSize(file, flags, hsizes);
        return Arith.alignUp(len, hsize != 0 ? hsize : mm.pageSize);
    }

    /**
     * {@code ksys_mmap_pgoff} (mm/mmap.c) and then {@code do_mmap}. A hugetlb mapping (a {@link
     * GetUnmappedArea#FILE_HUGETLB} file, or anonymous memory with MAP_HUGETLB, which becomes one)
     * has its length rounded up to its huge page first ({@code ALIGN}; near 2^64 it wraps to 0,
     * and do_mmap's -EINVAL follows), takes the hugetlbfs hooks in do_mmap, and then {@link
     * #hugetlbfsFileMmap}'s checks. MAP_HUGETLB on any other file is -EINVAL; everything else is
     * {@link DoMmap#doMmap}. {@code hsizes}: for a hugetlbfs file its one hstate; for MAP_HUGETLB
     * the kernel's hstates, the default first ({@link #hstateSizelog}). {@code available}: huge
     * pages the reservation may take. {@code resvFrom}, {@code resvTo}: the hugetlbfs file's reserve
     * map ({@link #regionChg}; empty for anonymous MAP_HUGETLB, whose file is new). {@code
     * hugetlbFile}: the hugetlb file this kernel makes for anonymous MAP_HUGETLB ({@code
     * FILE_HUGETLB}, or {@code FILE_HUGETLB_612} for 6.12's hooks).
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires VmaTree.boundsInRange(mm);
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires 0 < mm.pmdSize && mm.pmdSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % mm.pmdSize == 0;
      @ requires mm.shmemHugeSize == 0 || (0 < mm.shmemHugeSize && mm.shmemHugeSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.shmemHugeSize == 0);
      @ requires (\forall int i; 0 <= i && i < hsizes.length; mm.pageSize < hsizes[i] && hsizes[i] <= Arith.MAX_POW2
      @            && Arith.MAX_POW2 % hsizes[i] == 0 && hsizes[i] % mm.pageSize == 0
      @            && 0 < hsizes[i] / mm.pageSize && hsizes[i] / mm.pageSize <= Arith.MAX_POW2
      @            && Arith.MAX_POW2 % (hsizes[i] / mm.pageSize) == 0);
      @ requires isHugetlbFile(file) ==> hsizes.length == 1;
      @ requires isHugetlbFile(hugetlbFile);
      @ requires resvFrom.length == resvTo.length && (\forall int i; 0 <= i && i < resvFrom.length; 0 <= resvFrom[i] && resvFrom[i] < resvTo[i] && resvTo[i] <= Long.MAX_VALUE && (\forall int j; i < j && j < resvFrom.length; resvTo[i] <= resvFrom[j]));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "ksys_mmap_pgoff", file = "mm/mmap.c")
    public static /*@ pure @*/ long ksysMmapPgoff(MmState mm, int file, long addr, long len, long pgoff, long flags,
            long fileMaxSize, long[] hsizes, long available, int hugetlbFile, long[] resvFrom, long[] resvTo) {
        if (!isHugetlb(file, flags)) {
            if (file != GetUnmappedArea.FILE_ANON && MapFlags.has(flags, MAP_HUGETLB)) {
                return Errno.err(Errno.EINVAL);
            }
            return DoMmap.doMmap(mm, file, addr, len, pgoff, flags, fileMaxSize);
        }
        long hsize = hugeSize(file, flags, hsizes);
        if (hsize == 0) {
            return Errno.err(Errno.EINVAL);
        }
        long hlen = Arith.alignUp(len, hsize);
        long r = DoMmap.doMmapHook(mm, file == GetUnmappedArea.FILE_ANON ? hugetlbFile : file, addr, hlen, pgoff,
                flags, DoMmap.MAX_LFS_FILESIZE, new long[] {hsize}, 0);
        if (Arith.isErrValue(r)) {
            return r;
        }
        return hugetlbfsFileMmap(mm, r, hlen, pgoff, flags, hsize, available, resvFrom, resvTo);
    }
}
