package io.pfnmap.mm;

import com.google.common.collect.ImmutableSet;

/**
 * One VMA, {@code [start, end)} as {@code vm_start}/{@code vm_end}, with the flags the search
 * reads. Addresses are unsigned.
 */
public record Vma(long start, long end, ImmutableSet<VmaFlag> flags) {
    public Vma {
        if (Long.compareUnsigned(start, end) >= 0) {
            throw new InvalidInputException("vmas", "start " + Hex.of(start) + " must be below end " + Hex.of(end));
        }
        flags = ImmutableSet.copyOf(flags);
    }

    public static Vma of(long start, long end, VmaFlag... flags) {
        return new Vma(start, end, ImmutableSet.copyOf(flags));
    }

    int coreFlags() {
        int f = 0;
        for (VmaFlag flag : flags) {
            f += flag.bit();
        }
        return f;
    }

    @Override
    public String toString() {
        return Hex.of(start) + "-" + Hex.of(end) + (flags.isEmpty() ? "" : " " + flags);
    }
}
