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
        return map.stream().mapToLong(ReservedRange::from).toArray();
    }

    /** The map's ends, as the core takes them. */
    public static long[] tos(ImmutableList<ReservedRange> map) {
        return map.stream().mapToLong(ReservedRange::to).toArray();
    }
}
