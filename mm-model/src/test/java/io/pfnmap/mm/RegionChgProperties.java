package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import io.pfnmap.mm.core.Hugetlb;
import io.pfnmap.mm.core.MapFlags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * What a shared hugetlbfs mapping is charged (issue 25): {@link Hugetlb#regionChg} counts the huge
 * pages of [f, t) its file's reserve map does not hold, page by page over random maps, and the
 * seeded wrong variant the proof rejects (mutants.txt {@code wrongRegionChgWholeRange}: the whole
 * range charged, reserved or not) fails the same property; then the charge as mmap answers it.
 */
class RegionChgProperties {
    private static final long PMD = 2L << 20;
    private static final AddressSpace EMPTY = AddressSpace.of(MmConfig.x86_64()
            .withHstates(new Hstates(ImmutableList.of(PMD), 0)), List.of());

    /** A reserve map of up to 5 ranges in [0, 40): sorted, disjoint, non-empty. */
    @Provide
    Arbitrary<long[][]> maps() {
        return Arbitraries.longs().between(0, 40).set().ofMaxSize(10).map(points -> {
            List<Long> p = List.copyOf(new TreeSet<>(points));
            int n = p.size() / 2;
            long[][] m = new long[2][n];
            for (int i = 0; i < n; i++) {
                m[0][i] = p.get(2 * i);
                m[1][i] = p.get(2 * i + 1);
            }
            return m;
        });
    }

    /** The pages of [f, t) in no range of the map, one by one. */
    private static long unreserved(long[][] m, long f, long t) {
        long n = 0;
        for (long page = f; page < t; page++) {
            boolean held = false;
            for (int i = 0; i < m[0].length; i++) {
                held |= m[0][i] <= page && page < m[1][i];
            }
            n += held ? 0 : 1;
        }
        return n;
    }

    /** The seeded variant: every page of the range charged, as if the file held no reservation. */
    private static long wholeRange(long[][] m, long f, long t) {
        return t - f;
    }

    @Property
    void regionChgCountsTheUnreservedPages(@ForAll("maps") long[][] m, @ForAll("points") long a,
            @ForAll("points") long b) {
        long f = Math.min(a, b);
        long t = Math.max(a, b);
        assertEquals(unreserved(m, f, t), Hugetlb.regionChg(m[0], m[1], f, t));
    }

    @Provide
    Arbitrary<Long> points() {
        return Arbitraries.longs().between(0, 45);
    }

    @Test
    void theWholeRangeVariantFailsTheProperty() {
        long[][] m = {{0, 6}, {4, 9}}; // pages 0..3 and 6..8 reserved
        assertEquals(1, Hugetlb.regionChg(m[0], m[1], 2, 5), "[2, 5): only page 4 is new");
        assertEquals(2, Hugetlb.regionChg(m[0], m[1], 3, 7), "[3, 7): pages 4 and 5 new, 3 and 6 held");
        assertEquals(0, Hugetlb.regionChg(m[0], m[1], 6, 9));
        assertEquals(10, Hugetlb.regionChg(m[0], m[1], 9, 19), "past the map: every page");
        assertTrue(wholeRange(m, 2, 5) != unreserved(m, 2, 5), "the seeded variant must fail the property");
    }

    private static String shared(long len, long pgoff, long flags, long available, ImmutableList<ReservedRange> r) {
        AddressSpace as = AddressSpace.of(EMPTY.config().withHstates(new Hstates(ImmutableList.of(PMD), available)),
                List.of());
        return Mmap.doMmap(as, MmapRequest.hugetlbfs(0, len, pgoff, flags, PMD, r)).describe();
    }

    private static void assertPlaced(String answer, String why) {
        assertTrue(answer.startsWith("0x"), why + ": " + answer);
    }

    @Test
    void mmapChargesASharedMappingOnlyItsUnreservedPages() {
        ImmutableList<ReservedRange> held = ImmutableList.of(new ReservedRange(0, 4));
        long shared = MapFlags.MAP_SHARED;
        assertEquals("ENOMEM", shared(2 * PMD, 0, shared, 0, ImmutableList.of()), "a new file: every page");
        assertPlaced(shared(4 * PMD, 0, shared, 0, held), "pages 0..3 held: nothing to charge");
        assertPlaced(shared(4 * PMD, 0, MapFlags.MAP_SHARED_VALIDATE, 0, held), "MAP_SHARED_VALIDATE is shared");
        assertEquals("ENOMEM", shared(3 * PMD, 1024, shared, 0, held), "pages 2..4: page 4 is new");
        assertPlaced(shared(3 * PMD, 1024, shared, 1, held), "page 4 from the one available");
        assertEquals("ENOMEM", shared(2 * PMD, 0, MapFlags.MAP_PRIVATE, 1, held), "private: every page");
        assertPlaced(shared(2 * PMD, 0, MapFlags.MAP_PRIVATE | MapFlags.MAP_NORESERVE, 0, held), "MAP_NORESERVE");
    }

    @Test
    void aBadReserveMapIsRefused() {
        // Each bad map with the range the error must name (ReservedRange.violation, which the
        // oracle's decoder asks too).
        Map<String, ImmutableList<ReservedRange>> bad = new LinkedHashMap<>();
        bad.put("hugetlbfs.reserved[0]", ImmutableList.of(new ReservedRange(4, 4)));
        bad.put("hugetlbfs.reserved[1]", ImmutableList.of(new ReservedRange(4, 6), new ReservedRange(0, 2)));
        bad.put("hugetlbfs.reserved[2]", ImmutableList.of(new ReservedRange(0, 1), new ReservedRange(1, 4),
                new ReservedRange(3, 6)));
        bad.put("hugetlbfs.reserved[0][1]", ImmutableList.of(new ReservedRange(0, -2)));
        bad.put("hugetlbfs.reserved[3]", ImmutableList.of(new ReservedRange(0, 1), new ReservedRange(2, 3),
                new ReservedRange(5, 6), new ReservedRange(-1, 2)));
        bad.forEach((field, map) -> {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> MmapRequest.hugetlbfs(0, PMD, 0, MapFlags.MAP_SHARED, PMD, map));
            assertEquals(field, e.field(), map.toString());
            assertTrue(e.getMessage().contains(ReservedRange.RULE), e.getMessage());
        });
        assertNull(ReservedRange.violation(ImmutableList.of(new ReservedRange(0, 1), new ReservedRange(1, 4))),
                "adjacent ranges (one ending where the next starts) are a reserve map");
        assertThrows(InvalidInputException.class, () -> new MmapRequest(0, PMD, 0, MapFlags.MAP_SHARED,
                FileKind.PLAIN_FILE, 0, ImmutableList.of(new ReservedRange(0, 1))));
    }
}
