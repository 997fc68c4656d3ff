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

    /** Whether {@code map} is a reserve map as {@link #RULE} says. */
    public static boolean isReserveMap(ImmutableList<ReservedRange> map) {
        long end = 0;
        for (ReservedRange r : map) {
            if (r.from < end || r.from >= r.to) {
                return false;
            }
            end = r.to;
        }
        return true;
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
