package io.pfnmap.verification.live;

import com.google.common.collect.ImmutableList;
import io.pfnmap.mm.Vma;

/**
 * One mmap() call a recorder made against a running kernel: the VMAs it saw just before, the
 * arguments, and what came back ({@code result} as the raw syscall return: an address or
 * {@code -errno}); {@code hugePools}: each hstate's pool just before the call (the recorder's
 * mode {@code hugetlb-reserve}; empty otherwise).
 */
public record RecordedCall(String source, int seq, boolean file, long flags, long addr, long len, long pgoff,
        ImmutableList<Vma> vmas, long result, ImmutableList<HugePool> hugePools) {

    /** A call recorded without the hstates' pools. */
    public RecordedCall(String source, int seq, boolean file, long flags, long addr, long len, long pgoff,
            ImmutableList<Vma> vmas, long result) {
        this(source, seq, file, flags, addr, len, pgoff, vmas, result, ImmutableList.of());
    }

    /** The pool of the hstate of {@code size} read before the call; null if none was recorded. */
    public HugePool hugePool(long size) {
        return hugePools.stream().filter(p -> p.size() == size).findFirst().orElse(null);
    }
}
