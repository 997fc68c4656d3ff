package io.pfnmap.mm;

import com.google.common.collect.ImmutableList;

/**
 * One range of a hugetlbfs file's reserve map (the inode's resv_map, mm/hugetlb.c): the huge
 * pages [from, to) of the file, in huge-page indices, that already hold a reservation (a shared
 * mapping made it; it stays after munmap until the file is truncated or removed).
 */
public record ReservedRange(long from, long to) {
    /** What a reserve map must be: the shape {@code Hugetlb.regionChg}'s precondition names. */
    public static final String RULE = "must be [from, to) pairs of huge-page indices below 2^63, each non-empty "
            + "(from < to), sorted and disjoint (each from at or past the previous to), as the file's resv_map "
            + "holds them";

    /**
     * What breaks {@link #RULE} in a reserve map, for an error message: the index of the range,
     * the part of it at fault ({@code ""} for the pair, {@code "[1]"} for its {@code to}), and the
     * rule with the values that break it.
     */
    public record Violation(int index, String part, String reason) {
    }

    /**
     * Why {@code [from, to)} cannot be range {@code index} of a reserve map whose range before it
     * ends at {@code prevEnd} (0 for the first), or null when it can. The one statement of
     * {@link #RULE}: the API ({@link MmapRequest}) and the oracle's decoder, which checks range
     * by range as it reads them, both ask it.
     */
    public static Violation violation(int index, long prevEnd, long from, long to) {
        if (to < 0) {
            return new Violation(index, "[1]", RULE + ", got " + Hex.of(to));
        }
        if (from < 0 || from >= to) {
            return new Violation(index, "", RULE + ": from < to, got [" + Hex.of(from) + ", " + Hex.of(to) + ")");
        }
        if (from < prevEnd) {
            return new Violation(index, "", RULE + ": starts at " + Hex.of(from) + ", below the end "
                    + Hex.of(prevEnd) + " of the range before it");
        }
        return null;
    }

    /** The first range of {@code map} that breaks {@link #RULE}, or null when it is a reserve map. */
    public static Violation violation(ImmutableList<ReservedRange> map) {
        long end = 0;
        for (int i = 0; i < map.size(); i++) {
            ReservedRange r = map.get(i);
            Violation v = violation(i, end, r.from, r.to);
            if (v != null) {
                return v;
            }
            end = r.to;
        }
        return null;
    }

    /** The map's starts, as the core takes them. */
    public static long[] froms(ImmutableList<ReservedRange> map) {
        return ends(map, true);
    }

    /** The map's ends, as the core takes them. */
    public static long[] tos(ImmutableList<ReservedRange> map) {
        return ends(map, false);
    }

    private static final long[] NONE = new long[0];

    /**
     * The starts or the ends of {@code map}. A plain loop and one shared empty array: every
     * {@code do_mmap} passes a map, nearly always empty, and a stream pipeline per call made
     * the gate's {@code GapSearchBenchmark.doMmap} 8 to 16 times slower in its short warm-up.
     */
    private static long[] ends(ImmutableList<ReservedRange> map, boolean from) {
        if (map.isEmpty()) {
            return NONE;
        }
        long[] out = new long[map.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = from ? map.get(i).from : map.get(i).to;
        }
        return out;
    }
}
