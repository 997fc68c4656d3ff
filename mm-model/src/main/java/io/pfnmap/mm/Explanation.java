package io.pfnmap.mm;

import io.pfnmap.mm.core.AlignedArea;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.DoMmap;
import io.pfnmap.mm.core.GetUnmappedArea;
import io.pfnmap.mm.core.MapFlags;

/**
 * Why a request landed where it did: the branch of {@code __get_unmapped_area}, the hint after
 * {@code round_hint_to_min}, and for the THP paths what the aligned helper answered. Every value
 * comes from a core function; nothing here decides.
 *
 * @param search        which search ran ("file hook thp_get_unmapped_area", "anonymous THP", ...)
 * @param hint          the hint the search saw (0: none)
 * @param alignedSize   the leaf size the aligned helper tried, or 0
 * @param alignedResult what the helper returned (0: it declined and the plain search ran)
 * @param result        the final answer
 */
public record Explanation(String search, long hint, long alignedSize, long alignedResult, Placement result) {

    public static Explanation of(AddressSpace as, MmapRequest r) {
        var mm = as.state();
        Placement result = Mmap.doMmap(as, r);
        boolean fixed = MapFlags.has(r.flags(), MapFlags.MAP_FIXED) || MapFlags.has(r.flags(), MapFlags.MAP_FIXED_NOREPLACE);
        long hint = fixed ? r.addr() : DoMmap.roundHintToMin(mm, r.addr());
        long len = Arith.alignUp(r.len(), mm.pageSize);
        if (r.len() == 0 || len == 0) {
            return new Explanation("none (argument check)", hint, 0, 0, result);
        }
        if (Arith.ugt(len, mm.taskSize)) {
            return new Explanation("none: len > TASK_SIZE", hint, 0, 0, result);
        }
        int kind = GetUnmappedArea.searchKind(mm, r.file().core(), hint, len, r.flags());
        String name;
        long size = 0;
        long aligned = 0;
        switch (kind) {
            case GetUnmappedArea.SEARCH_FILE_HOOK_THP -> name = "file hook thp_get_unmapped_area";
            case GetUnmappedArea.SEARCH_ANON_THP -> name = "anonymous THP (no hint, PMD-multiple length)";
            case GetUnmappedArea.SEARCH_SHMEM -> name = "shmem_get_unmapped_area";
            default -> name = "plain " + (mm.topdown ? "arch_get_unmapped_area_topdown" : "arch_get_unmapped_area");
        }
        if (kind == GetUnmappedArea.SEARCH_FILE_HOOK_THP || kind == GetUnmappedArea.SEARCH_ANON_THP) {
            size = mm.pmdSize;
            long pgoff = r.file() == FileKind.ANON ? 0 : r.pgoff();
            aligned = AlignedArea.thpGetUnmappedAreaAligned(mm, hint, len, pgoff * mm.pageSize, r.flags(), size, 0);
        }
        return new Explanation(name, hint, size, aligned, result);
    }

    /** One readable line. */
    public String describe() {
        StringBuilder b = new StringBuilder(search);
        if (hint != 0) {
            b.append(", hint ").append(Hex.of(hint));
        }
        if (alignedSize != 0) {
            b.append(alignedResult == 0 ? ", aligned helper declined: plain search"
                    : alignedResult == hint && hint != 0 ? ", hint free with padding: taken unaligned"
                            : ", padded by " + Hex.of(alignedSize) + " and aligned");
        }
        return b.toString();
    }
}
