package io.pfnmap.vfio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The region encoding round-trips: for every index in [0, 2^24) and within-region offset in
 * [0, 2^40), encoding then decoding gives both back. A codec with a seeded wrong shift (39) is run
 * through the same property logic and must be rejected.
 */
class VfioPciOffsetProperties {
    private static final long K4 = 4096;

    /** An index/offset codec: the thing the property is about. */
    interface Codec {
        long encode(long index, long within);

        long index(long off);

        long within(long off);
    }

    /** The model: VFIO_PCI_INDEX_TO_OFFSET(index) + within, decoded with the core. */
    static final Codec MODEL = new Codec() {
        @Override
        public long encode(long index, long within) {
            return VfioPciOffset.indexToOffset(index) + within;
        }

        @Override
        public long index(long off) {
            return VfioPciOffset.offsetToIndex(off);
        }

        @Override
        public long within(long off) {
            return VfioPciOffset.offsetWithin(off);
        }
    };

    /** Seeded bug: VFIO_PCI_OFFSET_SHIFT taken as 39, consistently in encode and decode. */
    static final Codec SHIFT_39 = new Codec() {
        @Override
        public long encode(long index, long within) {
            return (index << 39) + within;
        }

        @Override
        public long index(long off) {
            return off >>> 39;
        }

        @Override
        public long within(long off) {
            return off & ((1L << 39) - 1);
        }
    };

    /** The property's logic, for any codec. */
    static boolean roundTrips(Codec c, long index, long within) {
        long off = c.encode(index, within);
        return c.index(off) == index && c.within(off) == within;
    }

    @Provide
    Arbitrary<Long> indices() {
        return Arbitraries.longs().between(0, VfioPciOffset.INDEX_LIMIT - 1).edgeCases(e -> e.includeOnly(0L, 8L,
                9L, VfioPciOffset.INDEX_LIMIT - 1));
    }

    @Provide
    Arbitrary<Long> withins() {
        return Arbitraries.longs().between(0, VfioPciOffset.OFFSET_SIZE - 1);
    }

    @Provide
    Arbitrary<Long> pageSizes() {
        return Arbitraries.of(4096L, 16384L, 65536L);
    }

    @Property
    boolean indexAndOffsetRoundTrip(@ForAll("indices") long index, @ForAll("withins") long within) {
        return roundTrips(MODEL, index, within);
    }

    @Property
    boolean pageOffsetsRoundTrip(@ForAll("indices") long index, @ForAll("withins") long within,
            @ForAll("pageSizes") long pageSize) {
        long pages = within / pageSize;
        long pgoff = VfioPciOffset.indexToPgoff(index, pageSize) + pages;
        return VfioPciOffset.pgoffToIndex(pgoff, pageSize) == index
                && VfioPciOffset.pgoffWithin(pgoff, pageSize) == pages * pageSize;
    }

    /** The core's {@code /} and {@code %} forms equal the kernel's shifts and masks on any long. */
    @Property
    boolean equalsTheKernelsShiftsAndMasks(@ForAll long off, @ForAll("pageSizes") long pageSize) {
        int pageShift = Long.numberOfTrailingZeros(pageSize);
        int pgShift = VfioPciOffset.OFFSET_SHIFT - pageShift;
        return VfioPciOffset.offsetToIndex(off) == off >>> VfioPciOffset.OFFSET_SHIFT
                && VfioPciOffset.offsetWithin(off) == (off & VfioPciOffset.OFFSET_MASK)
                && VfioPciOffset.pgoffToIndex(off, pageSize) == off >>> pgShift
                && VfioPciOffset.pgoffWithin(off, pageSize) == (off & ((1L << pgShift) - 1)) << pageShift;
    }

    /** Every byte offset splits into a region base and a within-region offset that add back up. */
    @Property
    boolean everyOffsetDecomposes(@ForAll long off) {
        return VfioPciOffset.indexToOffset(VfioPciOffset.offsetToIndex(off)) + VfioPciOffset.offsetWithin(off) == off;
    }

    /** Fixed edge samples plus 2,000 drawn from the property's own generators. */
    private List<long[]> samples() {
        List<long[]> s = new ArrayList<>();
        long[] edgeIndices = {0, 1, 5, 8, 9, 255, 1L << 23, VfioPciOffset.INDEX_LIMIT - 1};
        long[] edgeWithins = {0, 1, K4, (1L << 39) - 1, 1L << 39, VfioPciOffset.OFFSET_SIZE - 1};
        for (long i : edgeIndices) {
            for (long w : edgeWithins) {
                s.add(new long[] {i, w});
            }
        }
        List<Long> is = indices().sampleStream().limit(2000).toList();
        List<Long> ws = withins().sampleStream().limit(2000).toList();
        for (int k = 0; k < is.size(); k++) {
            s.add(new long[] {is.get(k), ws.get(k)});
        }
        return s;
    }

    @Example
    void theModelPassesEverySample() {
        for (long[] x : samples()) {
            assertTrue(roundTrips(MODEL, x[0], x[1]), () -> "index " + x[0] + " within " + x[1]);
        }
    }

    @Example
    void theSeededShift39IsRejected() {
        int failures = 0;
        for (long[] x : samples()) {
            if (!roundTrips(SHIFT_39, x[0], x[1])) {
                failures++;
            }
        }
        assertTrue(failures > 0, "the property must reject a 39-bit shift");
        // The explicit witness: the top within-region offset spills into the index.
        assertFalse(roundTrips(SHIFT_39, 0, VfioPciOffset.OFFSET_SIZE - 1));
        // It is not wrong everywhere: small offsets survive, so only the property's range finds it.
        assertTrue(roundTrips(SHIFT_39, 3, K4));
        assertEquals(1, SHIFT_39.index(SHIFT_39.encode(0, 1L << 39)));
    }
}
