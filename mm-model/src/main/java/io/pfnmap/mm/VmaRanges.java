package io.pfnmap.mm;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;

/**
 * The bookkeeping of mmap and munmap over a VMA list sorted and disjoint as {@link AddressSpace}
 * requires: pure functions, each returning a new list in the same order. Addresses are unsigned;
 * every range is {@code [start, end)} with {@code start < end}.
 *
 * <p>Adjacent VMAs with the same flags are not merged (the kernel merges them when their files,
 * offsets and anon_vmas agree too): no search reads a boundary between two adjacent VMAs, only the
 * holes and the flags of the VMAs beside each hole, so merging changes no answer of the model
 * ({@code VmaRangesProperties#splittingAVmaChangesNoAnswer}).
 */
public final class VmaRanges {
    private VmaRanges() {
    }

    /** The index of the first VMA ending above {@code addr} ({@code vmas.size()} if none): find_vma. */
    public static int firstEndingAbove(List<Vma> vmas, long addr) {
        int lo = 0;
        int hi = vmas.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(vmas.get(mid).end(), addr) > 0) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * The list with {@code [start, end)} unmapped: VMAs inside it go, a VMA across an edge is split
     * there and keeps its part outside (both parts keep the flags, as {@code __split_vma} copies
     * them). VMAs outside the range are the same objects.
     */
    public static ImmutableList<Vma> remove(List<Vma> vmas, long start, long end) {
        requireRange(start, end);
        int first = firstEndingAbove(vmas, start);
        int last = first; // one past the last VMA meeting the range
        while (last < vmas.size() && Long.compareUnsigned(vmas.get(last).start(), end) < 0) {
            last++;
        }
        if (first == last) {
            return ImmutableList.copyOf(vmas); // nothing mapped there: munmap succeeds and changes nothing
        }
        ImmutableList.Builder<Vma> b = ImmutableList.builderWithExpectedSize(vmas.size() + 1);
        b.addAll(vmas.subList(0, first));
        Vma left = vmas.get(first);
        if (Long.compareUnsigned(left.start(), start) < 0) {
            b.add(new Vma(left.start(), start, left.flags()));
        }
        Vma right = vmas.get(last - 1);
        if (Long.compareUnsigned(right.end(), end) > 0) {
            b.add(new Vma(end, right.end(), right.flags()));
        }
        b.addAll(vmas.subList(last, vmas.size()));
        return b.build();
    }

    /**
     * The list with {@code vma} added, after unmapping what it overlaps: a MAP_FIXED mapping
     * replaces the parts of the VMAs it covers (mmap_region unmaps them first); any other placed
     * range meets no VMA, and this only inserts it.
     */
    public static ImmutableList<Vma> insert(List<Vma> vmas, Vma vma) {
        return add(remove(vmas, vma.start(), vma.end()), vma);
    }

    /** The list with {@code vma} added at its place; no VMA of the list may overlap it. */
    public static ImmutableList<Vma> add(List<Vma> vmas, Vma vma) {
        int at = firstEndingAbove(vmas, vma.start());
        ImmutableList.Builder<Vma> b = ImmutableList.builderWithExpectedSize(vmas.size() + 1);
        b.addAll(vmas.subList(0, at));
        b.add(vma);
        b.addAll(vmas.subList(at, vmas.size()));
        return b.build();
    }

    /** An edit of a sorted VMA list: the VMAs {@code [first, first + removed)} give way to {@code added}. */
    public record Splice(int first, int removed, List<Vma> added) {
    }

    /**
     * {@link #insert} of {@code vma} (or, {@code vma} null, {@link #remove} of {@code [start,
     * end)}) as the splice that turns {@code vmas} into that list: the VMAs meeting the range go,
     * and their parts outside it, split at its edges, come back around {@code vma}. Found by
     * bisection and a walk over the VMAs the range meets, so that an edit need not copy the list
     * to describe itself ({@link AddressSpace}'s edits copy arrays around it, not the VMAs).
     */
    public static Splice splice(List<Vma> vmas, long start, long end, Vma vma) {
        requireRange(start, end);
        int first = firstEndingAbove(vmas, start);
        int last = first; // one past the last VMA meeting the range
        while (last < vmas.size() && Long.compareUnsigned(vmas.get(last).start(), end) < 0) {
            last++;
        }
        List<Vma> added = new ArrayList<>(3);
        if (first < last && Long.compareUnsigned(vmas.get(first).start(), start) < 0) {
            added.add(new Vma(vmas.get(first).start(), start, vmas.get(first).flags()));
        }
        if (vma != null) {
            added.add(vma);
        }
        if (first < last && Long.compareUnsigned(vmas.get(last - 1).end(), end) > 0) {
            added.add(new Vma(end, vmas.get(last - 1).end(), vmas.get(last - 1).flags()));
        }
        return new Splice(first, last - first, added);
    }

    private static void requireRange(long start, long end) {
        if (Long.compareUnsigned(start, end) >= 0) {
            throw new IllegalArgumentException("empty range " + Hex.of(start) + "-" + Hex.of(end));
        }
    }
}
