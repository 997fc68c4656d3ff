package io.pfnmap.vfio.core;

import io.pfnmap.arch.core.Kernel;
import io.pfnmap.mm.core.ArchGetUnmappedArea;
import io.pfnmap.mm.core.ArchLemmas;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.ArithLemmas;
import io.pfnmap.mm.core.DoMmap;
import io.pfnmap.mm.core.Errno;
import io.pfnmap.mm.core.GetUnmappedArea;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.VmaTree;

/**
 * The device-dax precedent as a seventh design: the kernel's own aligned search for device memory,
 * {@code dax_get_unmapped_area} (drivers/dax/device.c), as a VFIO BAR's file hook, aligning to
 * one size, the device's alignment (here the largest pfnmap leaf not above the BAR). It differs
 * from the order-hint design (core mm's {@code mm_get_unmapped_area_aligned} at the leaves the
 * order allows, {@link io.pfnmap.mm.core.AlignedHook}): any hint turns the alignment off (the
 * plain search runs with it); one size only, no smaller size after a failed padded search; the
 * padded search's answer is moved up by {@code (off - ret) mod align} and never by a whole
 * {@code align} (no top-down step: the padding stays above the mapping); no {@code len + align}
 * wrap check besides {@code off + len + align}; no THP condition (the hook is the file's own).
 */
public final class VfioDax {
    private VfioDax() {
    }

    /**
     * The index in {@code leaves} (the pfnmap leaves, descending, PAGE_SIZE last) of the device's
     * alignment: for a BAR request starting inside the BAR, the largest leaf not above the BAR's
     * length; the last (PAGE_SIZE) otherwise. device-dax's {@code dev_dax->align} is a property of
     * the device, one of the sizes the architecture can map.
     */
    /*@ public normal_behavior
      @ requires leaves != null && leaves.length > 0 && VfioFault.pow2Leaves(leaves);
      @ ensures 0 <= \result && \result < leaves.length;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ int daxAlignIndex(long index, long barLen, long within, long[] leaves) {
        int last = leaves.length - 1;
        if (index >= VfioPciOffset.ROM || !Arith.ult(within, barLen)) {
            return last;
        }
        int i = 0;
        /*@ loop_invariant leaves != null && last == leaves.length - 1 && 0 <= i && i <= last;
          @ decreases last - i; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (i < last) {
            VfioFaultLemmas.pow2At(leaves, i); // a lemma, no code: leaves[i] is a long in range
            if (!Arith.ugt(leaves[i], barLen)) {
                return i; // the first (largest) leaf not above the BAR
            }
            i++;
        }
        return last;
    }

    /**
     * The device's alignment: {@code leaves[daxAlignIndex(...)]}, a power of two as every pfnmap
     * leaf is (what {@link #doMmap} requires of it).
     */
    /*@ public normal_behavior
      @ requires leaves != null && leaves.length > 0 && VfioFault.pow2Leaves(leaves);
      @ ensures (\exists int k; 0 <= k && k < leaves.length; \result == leaves[k]);
      @ ensures 0 < \result && \result <= Arith.MAX_POW2 && Arith.MAX_POW2 % \result == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long daxAlign(long index, long barLen, long within, long[] leaves) {
        return leaves[daxAlignIndex(index, barLen, within, leaves)];
    }

    /**
     * {@code dax_get_unmapped_area} (drivers/dax/device.c) with {@code align} for {@code
     * dev_dax->align}: with no hint and a file range holding a whole aligned block, the plain
     * search for {@code len + align} moved up to the first address congruent to the file offset
     * modulo {@code align}; else (or when that search fails) the plain search.
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires VmaTree.boundsInRange(mm);
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires 0 < align && align <= Arith.MAX_POW2 && Arith.MAX_POW2 % align == 0;
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires (\bigint) len + align <= Long.MAX_VALUE; // the padding: len is at most TASK_SIZE (2^57), align a leaf
      @ ensures addr != 0 || align <= mm.pageSize ==> \result == ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, 0);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "dax_get_unmapped_area", file = "drivers/dax/device.c")
    public static /*@ pure @*/ long daxGetUnmappedArea(MmState mm, long addr, long len, long pgoff, long flags,
            long align) {
        if (addr == 0 && align > mm.pageSize) {
            long off = pgoff * mm.pageSize;
            if (paddingFits(off, len, align)) {
                long lenAlign = len + align;
                ArchLemmas.domainLonger(mm, len, lenAlign, 0); // a lemma, no code: the padded search's domain
                long r = ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, lenAlign, pgoff, flags, 0);
                if (!Arith.isErrValue(r)) {
                    return r + Arith.remU(off - r, align);
                }
            }
        }
        return ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, len, pgoff, flags, 0);
    }

    /**
     * {@code dax_get_unmapped_area}'s tests before its padded search (drivers/dax/device.c): the
     * file range {@code [off, off + len)} holds a whole {@code align}-aligned block ({@code off_end
     * > off_align} and {@code off_end - off_align >= align}, with {@code off_align = round_up(off,
     * align)}), and {@code off + len_align} does not wrap ({@code len_align = len + align}).
     */
    /*@ public normal_behavior
      @ requires 0 < align && align <= Arith.MAX_POW2 && Arith.MAX_POW2 % align == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    static /*@ pure @*/ boolean paddingFits(long off, long len, long align) {
        long offEnd = off + len;
        long offAlign = Arith.alignUp(off, align);
        long lenAlign = len + align;
        return Arith.ugt(offEnd, offAlign) && Arith.uge(offEnd - offAlign, align) && !Arith.ult(off + lenAlign, off);
    }

    /**
     * {@code do_mmap} (mm/mmap.c) of a file whose {@code get_unmapped_area} is {@link
     * #daxGetUnmappedArea}: do_mmap's checks around {@code __get_unmapped_area}'s, as {@link
     * DoMmap#doMmapHook} and {@link GetUnmappedArea#getUnmappedAreaHook} make them (a file hook is
     * called whatever the THP setting or the hint). Returns the address or {@code -errno}.
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires VmaTree.boundsInRange(mm);
      @ requires 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0;
      @ requires 0 < align && align <= Arith.MAX_POW2 && Arith.MAX_POW2 % align == 0;
      @ requires ArchGetUnmappedArea.searchDomain(mm, 1, 0); // the search's domain at the least length
      @ requires mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm);
      @ requires (\bigint) mm.taskSize + align <= Long.MAX_VALUE; // the padding: TASK_SIZE is 2^57 at most, align a leaf
      @ ensures len0 == 0 ==> \result == -22; // -EINVAL, as a literal: with queries off, Errno.err in a post is not evaluated
      @ assignable \nothing; @*/
    @Kernel(fn = "do_mmap", file = "mm/mmap.c")
    public static /*@ pure @*/ long doMmap(MmState mm, long addr0, long len0, long pgoff, long flags0, long align,
            long fileMaxSize) {
        if (len0 == 0) {
            return Errno.err(Errno.EINVAL);
        }
        ArchLemmas.domainFacts(mm, 1, 0); // a lemma, no code: the domain's facts one by one
        long flags = flags0;
        if (MapFlags.has(flags, MapFlags.MAP_FIXED_NOREPLACE)) {
            flags = MapFlags.with(flags, MapFlags.MAP_FIXED);
        }
        long addr = addr0;
        if (!MapFlags.has(flags, MapFlags.MAP_FIXED)) {
            addr = DoMmap.roundHintToMin(mm, addr);
        }
        long len = Arith.alignUp(len0, mm.pageSize);
        if (len == 0) {
            return Errno.ENOMEM_VALUE;
        }
        if (Arith.ult(pgoff + Arith.udiv(len, mm.pageSize), pgoff)) {
            return Errno.err(Errno.EOVERFLOW);
        }
        // __get_unmapped_area: the length against TASK_SIZE, the file's hook, the answer's checks
        if (Arith.ugt(len, mm.taskSize)) {
            return Errno.ENOMEM_VALUE;
        }
        ArithLemmas.belowSigned(mm.taskSize, len); // lemmas, no code: 0 <= len <= TASK_SIZE (unsigned is plain here),
        ArchLemmas.domainLonger(mm, 1, len, 0); // so the search's domain holds at len
        // dax_get_unmapped_area searches with its filp (MapFlags.FILP: AMD F15h's va_align applies).
        long r = daxGetUnmappedArea(mm, addr, len, pgoff, MapFlags.with(flags, MapFlags.FILP), align);
        r = GetUnmappedArea.checkAnswer(mm, r, len);
        if (Arith.isErrValue(r)) {
            return r;
        }
        if (MapFlags.has(flags, MapFlags.MAP_FIXED_NOREPLACE) && VmaTree.findVmaIntersection(mm, r, r + len) >= 0) {
            return Errno.err(Errno.EEXIST);
        }
        if (!DoMmap.fileMmapOk(mm, pgoff, len, fileMaxSize)) {
            return Errno.err(Errno.EOVERFLOW);
        }
        return r;
    }
}
