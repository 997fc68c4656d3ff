package io.pfnmap.mm;

import com.google.common.collect.ImmutableList;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.DoMmap;
import io.pfnmap.mm.core.GetUnmappedArea;
import io.pfnmap.mm.core.Hugetlb;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.mm.core.MmState;

/**
 * Why a request landed where it did: the branch of {@code __get_unmapped_area} (mm/mmap.c), the
 * hint after {@code round_hint_to_min}, and for the aligned paths each call of the aligned helper
 * ({@link AlignedTry}: leaf size, padding, congruence adjustment, outcome). Every value comes
 * from a core function; nothing here decides.
 *
 * @param search the search that ran ("file hook thp_get_unmapped_area", "anonymous THP", ...)
 * @param hint   the hint the search saw (0: none)
 * @param tries  the aligned helper's calls, in order (empty for the plain search)
 * @param result the final answer
 */
public record Explanation(String search, long hint, ImmutableList<AlignedTry> tries, Placement result) {

    /** The explanation of {@code do_mmap} (mm/mmap.c) for an anonymous or regular-file request. */
    public static Explanation of(AddressSpace as, MmapRequest r) {
        MmState mm = as.state();
        Placement result = Mmap.doMmap(as, r);
        long hint = hintSeen(mm, r.addr(), r.flags());
        long len = Arith.alignUp(r.len(), mm.pageSize);
        String early = earlyExit(mm, r.len(), r.pgoff());
        if (early != null) {
            return new Explanation(early, hint, ImmutableList.of(), result);
        }
        if (Hugetlb.isHugetlb(r.file().core(), r.flags())) {
            long hsize = Mmap.hugePageSize(as, r);
            return new Explanation(hsize == 0 ? "hugetlb: no hstate of the size MAP_HUGE_* asks for (-EINVAL)"
                    : "hugetlb_get_unmapped_area, huge page " + Hex.of(hsize) + " (length rounded up to it, "
                    + "hint rounded up, searched with huge_page_mask_align)", hint, ImmutableList.of(), result);
        }
        int kind = GetUnmappedArea.searchKind(mm, r.file().core(), hint, len, r.flags());
        String name;
        switch (kind) {
            case GetUnmappedArea.SEARCH_FILE_HOOK_THP -> name = "file hook thp_get_unmapped_area";
            case GetUnmappedArea.SEARCH_ANON_THP -> name = "anonymous THP (no hint, PMD-multiple length)";
            case GetUnmappedArea.SEARCH_SHMEM -> {
                long hpage = GetUnmappedArea.shmemHpage(mm, r.file().core());
                name = "shmem_get_unmapped_area, " + (hpage == 0 ? "not aligned (shmem huge pages off for it)"
                        : "aligned to " + Hex.of(hpage) + " when not fixed, not a taken hint and at least that long");
            }
            default -> name = plainName(mm);
        }
        ImmutableList<AlignedTry> tries = ImmutableList.of();
        if (kind == GetUnmappedArea.SEARCH_FILE_HOOK_THP || kind == GetUnmappedArea.SEARCH_ANON_THP) {
            long pgoff = r.file() == FileKind.ANON ? 0 : r.pgoff();
            // The padded search runs with the file (MapFlags.FILP: AMD F15h's va_align), not for anonymous memory.
            long flags = r.file() == FileKind.ANON ? effectiveFlags(r.flags())
                    : MapFlags.with(effectiveFlags(r.flags()), MapFlags.FILP);
            tries = ImmutableList.of(AlignedTry.of(as, hint, len, pgoff * mm.pageSize, flags, mm.pmdSize));
        }
        return new Explanation(name, hint, tries, result);
    }

    /**
     * The explanation of a search through a hook that calls the aligned helper at each of {@code
     * sizes} in turn and then the plain search ({@code AlignedHook.getUnmappedAreaAligned}); the
     * tries stop at the first the helper does not decline.
     */
    public static Explanation ofHook(AddressSpace as, long addr, long len0, long pgoff, long flags, String search,
            long[] sizes, long off, Placement result) {
        MmState mm = as.state();
        long hint = hintSeen(mm, addr, flags);
        String early = earlyExit(mm, len0, pgoff);
        if (early != null) {
            return new Explanation(early, hint, ImmutableList.of(), result);
        }
        long len = Arith.alignUp(len0, mm.pageSize);
        ImmutableList.Builder<AlignedTry> tries = ImmutableList.builder();
        for (long size : sizes) {
            // a device file's hook: the padded search runs with the file (MapFlags.FILP)
            AlignedTry t = AlignedTry.of(as, hint, len, off, MapFlags.with(effectiveFlags(flags), MapFlags.FILP), size);
            tries.add(t);
            if (!t.declined()) {
                break;
            }
        }
        return new Explanation(search, hint, tries.build(), result);
    }

    /** The hint the search sees: do_mmap's {@code round_hint_to_min}, or the fixed address. */
    public static long hintSeen(MmState mm, long addr, long flags) {
        boolean fixed = MapFlags.has(flags, MapFlags.MAP_FIXED) || MapFlags.has(flags, MapFlags.MAP_FIXED_NOREPLACE);
        return fixed ? addr : DoMmap.roundHintToMin(mm, addr);
    }

    /** The flags the search sees: do_mmap adds MAP_FIXED to MAP_FIXED_NOREPLACE. */
    public static long effectiveFlags(long flags) {
        return MapFlags.has(flags, MapFlags.MAP_FIXED_NOREPLACE) ? MapFlags.with(flags, MapFlags.MAP_FIXED) : flags;
    }

    /** The name of the task's plain search. */
    public static String plainName(MmState mm) {
        return "plain " + (mm.topdown ? "arch_get_unmapped_area_topdown" : "arch_get_unmapped_area");
    }

    /** do_mmap's checks before any search, when one of them ends the call. */
    private static String earlyExit(MmState mm, long len0, long pgoff) {
        long len = Arith.alignUp(len0, mm.pageSize);
        if (len0 == 0) {
            return "none: len 0 (EINVAL)";
        }
        if (len == 0) {
            return "none: PAGE_ALIGN(len) wraps to 0 (ENOMEM)";
        }
        if (Arith.ult(pgoff + Arith.udiv(len, mm.pageSize), pgoff)) {
            return "none: pgoff + len / PAGE_SIZE wraps (EOVERFLOW)";
        }
        if (Arith.ugt(len, mm.taskSize)) {
            return "none: len > TASK_SIZE (ENOMEM)";
        }
        return null;
    }

    /** The leaf size of the last aligned try, or 0. */
    public long alignedSize() {
        return tries.isEmpty() ? 0 : tries.get(tries.size() - 1).size();
    }

    /** What the last aligned try answered (0: declined, the plain search ran), or 0. */
    public long alignedResult() {
        return tries.isEmpty() ? 0 : tries.get(tries.size() - 1).answer();
    }

    /** One readable line. */
    public String describe() {
        StringBuilder b = new StringBuilder(search);
        if (hint != 0) {
            b.append(", hint ").append(Hex.of(hint));
        }
        for (AlignedTry t : tries) {
            b.append("; size ").append(Hex.of(t.size())).append(": ").append(t.outcome());
            if (t.outcome().equals(AlignedTry.ALIGNED) || t.outcome().equals(AlignedTry.TOPDOWN_PAD_KEPT)) {
                b.append(" (padded search at ").append(Hex.of(t.paddedResult())).append(", off_sub ")
                        .append(Hex.of(t.offSub())).append(")");
            }
        }
        if (!tries.isEmpty() && tries.get(tries.size() - 1).declined()) {
            b.append("; plain search");
        }
        return b.toString();
    }
}
