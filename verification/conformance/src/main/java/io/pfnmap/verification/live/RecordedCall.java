package io.pfnmap.verification.live;

import com.google.common.collect.ImmutableList;
import io.pfnmap.mm.Vma;

/**
 * One mmap() call a recorder made against a running kernel: the VMAs it saw just before, the
 * arguments, and what came back ({@code result} as the raw syscall return: an address or
 * {@code -errno}).
 */
public record RecordedCall(String source, int seq, boolean file, long flags, long addr, long len, long pgoff,
        ImmutableList<Vma> vmas, long result) {
}
