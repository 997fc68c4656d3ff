package io.pfnmap.mm;

import io.pfnmap.mm.core.AlignedArea;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.ArchGetUnmappedArea;
import io.pfnmap.mm.core.MmState;

/**
 * One call of the aligned helper ({@code __thp_get_unmapped_area}, mm/huge_memory.c; the
 * huge-pfnmap series' {@code mm_get_unmapped_area_aligned}) step by step, for explanations. The
 * answer is the core's ({@link AlignedArea#thpGetUnmappedAreaAligned}); the steps are the values
 * the helper computes on the way, each from a core function, so that a reader (and the test
 * vectors' edge-case flags) can see which branch was taken.
 *
 * @param size         the leaf size tried
 * @param off          the file offset in bytes the congruence is taken against
 * @param offAlign     {@code round_up(off, size)} as the helper computes it
 * @param offEnd       {@code off + len}
 * @param lenPad       {@code len + size}, the padded length searched
 * @param paddedResult what the padded search returned (0 when it did not run)
 * @param offSub       {@code (off - ret) & (size - 1)}, the congruence adjustment (0 when not reached)
 * @param outcome      the branch: {@link #OFF_END_NOT_PAST_ALIGN}, {@link #BLOCK_NOT_COVERED},
 *                     {@link #LEN_PAD_WRAPS}, {@link #OFF_PAD_WRAPS}, {@link #PADDED_SEARCH_FAILED},
 *                     {@link #HINT_ZERO}, {@link #HINT_TAKEN}, {@link #TOPDOWN_PAD_KEPT}, {@link #ALIGNED}
 * @param answer       the helper's answer: an address, or 0 ("fall back")
 */
public record AlignedTry(long size, long off, long offAlign, long offEnd, long lenPad, long paddedResult,
        long offSub, String outcome, long answer) {

    /** {@code off_end <= off_align}: the mapping ends before the first aligned file block. */
    public static final String OFF_END_NOT_PAST_ALIGN = "off_end <= off_align: declined";
    /** {@code off_end - off_align < size}: no whole aligned block is mapped. */
    public static final String BLOCK_NOT_COVERED = "off_end - off_align < size: declined";
    /** {@code len + size} wraps. */
    public static final String LEN_PAD_WRAPS = "len + size wraps: declined";
    /** {@code off + len_pad} wraps. */
    public static final String OFF_PAD_WRAPS = "off + len_pad wraps: declined";
    /** The padded search returned an error: the caller retries without padding. */
    public static final String PADDED_SEARCH_FAILED = "padded search failed: declined";
    /** The padded search returned the hint: taken as is, unaligned. */
    public static final String HINT_TAKEN = "hint free with padding: taken unaligned";
    /**
     * The padded search returned the hint and the hint is 0 (MAP_FIXED at 0): the helper returns
     * 0, which its caller reads as "declined".
     */
    public static final String HINT_ZERO = "padded search returned hint 0: read as declined";
    /** Top-down and {@code off_sub == 0}: the result moves up by {@code size} (the pad is kept below). */
    public static final String TOPDOWN_PAD_KEPT = "top-down, off_sub 0: ret + size";
    /** {@code ret + off_sub}. */
    public static final String ALIGNED = "ret + off_sub";

    /** Whether the helper declined (the caller falls back). */
    public boolean declined() {
        return answer == AlignedArea.NO_ALIGNED_AREA;
    }

    /**
     * The helper at {@code size} for a search at hint {@code addr} (as do_mmap passes it) of a
     * page-aligned {@code len} at file offset {@code off} bytes.
     */
    public static AlignedTry of(AddressSpace as, long addr, long len, long off, long flags, long size) {
        MmState mm = as.state();
        long answer = AlignedArea.thpGetUnmappedAreaAligned(mm, addr, len, off, flags, size, 0);
        long offAlign = AlignedArea.offAlign(off, size);
        long offEnd = off + len;
        long lenPad = len + size;
        if (!AlignedArea.coversAlignedBlock(off, len, size)) {
            String why = offEnd <= offAlign ? OFF_END_NOT_PAST_ALIGN : BLOCK_NOT_COVERED;
            return new AlignedTry(size, off, offAlign, offEnd, lenPad, 0, 0, why, answer);
        }
        if (Arith.ult(lenPad, len)) {
            return new AlignedTry(size, off, offAlign, offEnd, lenPad, 0, 0, LEN_PAD_WRAPS, answer);
        }
        if (Arith.ult(off + lenPad, off)) {
            return new AlignedTry(size, off, offAlign, offEnd, lenPad, 0, 0, OFF_PAD_WRAPS, answer);
        }
        long ret = ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, addr, lenPad, Arith.asr(off, mm.pageSize),
                flags, 0);
        if (Arith.isErrValue(ret)) {
            return new AlignedTry(size, off, offAlign, offEnd, lenPad, ret, 0, PADDED_SEARCH_FAILED, answer);
        }
        if (ret == addr) {
            return new AlignedTry(size, off, offAlign, offEnd, lenPad, ret, 0, addr == 0 ? HINT_ZERO : HINT_TAKEN,
                    answer);
        }
        long offSub = Arith.remU(off - ret, size);
        String outcome = answer == ret + offSub ? ALIGNED : TOPDOWN_PAD_KEPT;
        return new AlignedTry(size, off, offAlign, offEnd, lenPad, ret, offSub, outcome, answer);
    }
}
