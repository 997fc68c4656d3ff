package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * The named statements the contracts and the property suites share, one definition each:
 * in-bounds, no-overlap, pgoff-congruence and the hint rule. Reviewers read these, not copies.
 */
public final class Predicates {
    private Predicates() {
    }

    /**
     * In-bounds: {@code [addr, addr + len)} lies inside {@code [low, high)} without wrapping.
     */
    /*@ public normal_behavior
      @ ensures \result <==> Arith.u(low) <= Arith.u(addr) && Arith.u(addr) + Arith.u(len) <= Arith.u(high);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean inBounds(long addr, long len, long low, long high) {
        return Arith.uge(addr, low) && Arith.ule(len, high) && Arith.ule(addr, high - len);
    }

    /**
     * No-overlap: {@code [addr, addr + len)}, {@code len > 0}, meets no VMA, ends at or below
     * {@code vm_start_gap} of the VMA above it and starts at or above {@code vm_end_gap} of the VMA
     * below it. Guard gaps are a relation between neighbours, as the kernel enforces them (mm/mmap.c
     * {@code expand_downwards} checks only the previous VMA): a stack's gap does not protect the
     * space below another VMA that lies inside it.
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires \dl_inLong(mm.stackGuardGap) && \dl_inLong(mm.pageSize);
      @ requires (\forall int i; 0 <= i && i < mm.vmStart.length; \dl_inLong(mm.vmStart[i])
      @              && \dl_inLong(mm.vmEnd[i]) && 0 <= mm.vmFlags[i] && mm.vmFlags[i] <= 7);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "vm_start_gap", file = "mm/mmap.c")
    public static /*@ pure @*/ boolean overlapsNothing(MmState mm, long addr, long len) {
        long last = addr + len - 1;
        if (len == 0 || Arith.ult(last, addr)) {
            return false;
        }
        int next = VmaTree.findVma(mm, addr);
        int prev = next < 0 ? mm.vmStart.length - 1 : next - 1;
        if (next >= 0 && Arith.ule(VmaTree.vmStartGap(mm, next), last)) {
            return false;
        }
        return prev < 0 || Arith.ule(VmaTree.vmEndGap(mm, prev), addr);
    }

    /*@ // Clear of every VMA's start gap: [addr, addr + len) ends at or below vm_start_gap of
      @ // every VMA that ends above addr (the gap is stack_guard_gap for VM_GROWSDOWN, a page
      @ // for VM_SHADOW_STACK, else none; a gap that reaches below 0 leaves no room). The hint
      @ // rule's "free", in plain arithmetic so that a contract states it without calling the
      @ // code it constrains.
      @ public static model pure boolean clearOfStartGaps(MmState mm, long addr, long len) {
      @     return (\forall int i; 0 <= i && i < mm.vmStart.length;
      @         mm.vmEnd[i] <= addr
      @         || (\bigint) addr + len <= (\bigint) mm.vmStart[i]
      @                - (mm.vmFlags[i] % 2 == 1 ? mm.stackGuardGap : ((mm.vmFlags[i] / 4) % 2 == 1 ? mm.pageSize : 0)));
      @ }
      @*/

    /*@ // What find_vma_intersection's -1 means (VmaTree.findVmaIntersection): the range
      @ // [start, end) is empty or wraps (end - 1 below start, unsigned: mt_find with max below
      @ // index finds nothing), or no VMA meets it (each ends at or below start or starts above
      @ // end - 1; the first as VmaTree.findVma's post states it). MAP_FIXED_NOREPLACE's guarantee
      @ // (DoMmap.doMmap), so that a post states it without calling the code it constrains.
      @ public static model pure boolean noVmaIntersection(MmState mm, long start, long end) {
      @     return Arith.u(start) > Arith.u((long) (end - 1))
      @         || (\forall int j; 0 <= j && j < mm.vmStart.length;
      @                !Arith.ugt(mm.vmEnd[j], start) || Arith.u((long) (end - 1)) < Arith.u(mm.vmStart[j]));
      @ }
      @*/

    /*@ // The state do_mmap and __get_unmapped_area are stated on: the VMA arrays present and of
      @ // one length, the page and PMD sizes each a divisor of 2^62 (Arith.MAX_POW2, so a power of
      @ // two no larger), and shmem's huge page size none (0) or such a divisor.
      @ public static model pure boolean mmapSizes(MmState mm) {
      @     return mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null
      @         && mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length
      @         && 0 < mm.pageSize && mm.pageSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pageSize == 0
      @         && 0 < mm.pmdSize && mm.pmdSize <= Arith.MAX_POW2 && Arith.MAX_POW2 % mm.pmdSize == 0
      @         && (mm.shmemHugeSize == 0 || (0 < mm.shmemHugeSize && mm.shmemHugeSize <= Arith.MAX_POW2
      @             && Arith.MAX_POW2 % mm.shmemHugeSize == 0));
      @ }
      @*/

    /*@ // The state __get_unmapped_area's and do_mmap's searches are proved on, beyond mmapSizes:
      @ // the search domain at length 1 (ArchLemmas.domainLonger carries it to any length up to
      @ // TASK_SIZE), the top-down domain for a top-down layout, mmap_min_addr at or below both ends
      @ // a search can have (for best-effort), and TASK_SIZE below 2^62, so that TASK_SIZE plus
      @ // PMD_SIZE or plus a hook's size (each at most 2^62) stays below 2^63.
      @ public static model pure boolean mmapDomain(MmState mm) {
      @     return ArchGetUnmappedArea.searchDomain(mm, 1, 0)
      @         && (mm.topdown ==> ArchGetUnmappedArea.topdownDomain(mm))
      @         && mm.mmapMinAddr <= mm.defaultMapWindow && mm.mmapMinAddr <= mm.taskSize
      @         && mm.taskSize < Arith.MAX_POW2;
      @ }
      @*/

    /*@ // The aligned hooks' sizes (GetUnmappedArea.getUnmappedAreaHook): each a divisor of 2^62,
      @ // and for a hugetlb file exactly one, a multiple of the page above it (its huge page size).
      @ public static model pure boolean hookSizes(MmState mm, int file, long[] sizes) {
      @     return (\forall int i; 0 <= i && i < sizes.length; 0 < sizes[i] && sizes[i] <= Arith.MAX_POW2
      @             && Arith.MAX_POW2 % sizes[i] == 0)
      @         && (file == GetUnmappedArea.FILE_HUGETLB || file == GetUnmappedArea.FILE_HUGETLB_612
      @             ==> sizes.length == 1 && mm.pageSize < sizes[0] && sizes[0] % mm.pageSize == 0);
      @ }
      @*/

    /**
     * Pgoff-congruence: {@code (addr - off) mod size == 0}, so every {@code size}-aligned block of
     * the file maps to a {@code size}-aligned virtual block.
     */
    /*@ public normal_behavior
      @ requires 0 < size && size <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % size == 0;
      @ ensures \result <==> Arith.remU((long) (addr - off), size) == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean pgoffCongruent(long addr, long off, long size) {
        return Arith.remU(addr - off, size) == 0;
    }

    /**
     * The hint rule's premise for the plain search of {@code mm}'s layout and architecture: a
     * page-aligned, non-zero hint that is valid (below the search's end, not straddling
     * DEFAULT_MAP_WINDOW on x86_64, at or above mmap_min_addr generically) and free (clear of
     * every VMA with guard gaps). Such a hint must come back unchanged.
     */
    /*@ public normal_behavior
      @ requires ArchGetUnmappedArea.searchDomain(mm, len, 0);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean hintFree(MmState mm, long hint, long len) {
        if (hint == 0 || Arith.remU(hint, mm.pageSize) != 0 || len == 0 || !overlapsNothing(mm, hint, len)) {
            return false;
        }
        if (mm.arch == MmState.ARCH_X86_64) {
            if (mm.topdown) {
                return Arith.ule(len, mm.taskSize) && ArchGetUnmappedArea.mmapAddressHintValid(mm, hint, len);
            }
            long end = ArchGetUnmappedArea.x86SearchEnd(mm, hint);
            return Arith.ule(len, end) && Arith.uge(end - len, hint);
        }
        long end = ArchGetUnmappedArea.archGetMmapEnd(mm, hint);
        return Arith.ule(len, end - mm.mmapMinAddr) && Arith.uge(end - len, hint) && Arith.uge(hint, mm.mmapMinAddr);
    }
}
