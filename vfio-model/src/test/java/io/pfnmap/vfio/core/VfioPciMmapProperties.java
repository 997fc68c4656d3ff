package io.pfnmap.vfio.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/**
 * The core's checks equal a line-by-line transcription of the C of {@code vfio_pci_core_mmap}, with
 * masks and {@link Long#compareUnsigned}, over indices around every boundary and u64 edge values.
 */
class VfioPciMmapProperties {

    /** drivers/vfio/pci/vfio_pci_core.c, transcribed: shifts, masks, u64 compares. */
    static long transcription(long pgoff, long pageSize, long vmStart, long vmEnd, boolean shared, long[] size,
            boolean[] mmap) {
        int pageShift = Long.numberOfTrailingZeros(pageSize);
        long index = pgoff >>> (40 - pageShift);
        int numRegions = size.length - 9;
        if (Long.compareUnsigned(index, 9L + numRegions) >= 0) {
            return -22;
        }
        if (Long.compareUnsigned(vmEnd, vmStart) < 0) {
            return -22;
        }
        if (!shared) {
            return -22;
        }
        if (index >= 9) {
            return mmap[(int) index] ? 0 : -22;
        }
        if (index >= 6) {
            return -22;
        }
        if (!mmap[(int) index]) {
            return -22;
        }
        long physLen = (size[(int) index] + pageSize - 1) & ~(pageSize - 1);
        long reqLen = vmEnd - vmStart;
        long reqStart = (pgoff & ((1L << (40 - pageShift)) - 1)) << pageShift;
        if (Long.compareUnsigned(reqStart + reqLen, physLen) > 0) {
            return -22;
        }
        return 0;
    }

    @Provide
    Arbitrary<Long> pageSizes() {
        return Arbitraries.of(4096L, 16384L, 65536L);
    }

    @Provide
    Arbitrary<Long> u64() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(0, 1L << 32),
                Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x7fff_ffff_f000L, 1L << 40));
    }

    @Provide
    Arbitrary<Integer> indices() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 14));
    }

    @Provide
    Arbitrary<Long> lengths() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 1L << 16), Arbitraries.longs().between(0, 1L << 32),
                Arbitraries.longs().between(-(1L << 20), 1L << 32));
    }

    @Provide
    Arbitrary<Boolean> mostlyTrue() {
        return Arbitraries.of(true, true, true, false);
    }

    @Provide
    Arbitrary<Long> mostlySet() {
        return Arbitraries.longs().tuple2().map(t -> ~(t.get1() & t.get2()));
    }

    @Provide
    Arbitrary<Long> pagesInRegion() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 16), Arbitraries.longs().between(0, (1L << 28) - 1));
    }

    @Property(tries = 3000)
    boolean checksEqualTheTranscription(@ForAll @IntRange(min = 0, max = 14) int index,
            @ForAll("pagesInRegion") long pageInRegion, @ForAll("pageSizes") long pageSize,
            @ForAll("u64") long vmStart, @ForAll("lengths") long len, @ForAll("mostlyTrue") boolean shared, @ForAll @IntRange(min = 0, max = 3) int numRegions,
            @ForAll @IntRange(min = 0, max = 34) int barLog, @ForAll("mostlySet") long mmapBits) {
        long[] size = new long[9 + numRegions];
        boolean[] mmap = new boolean[9 + numRegions];
        for (int i = 0; i < size.length; i++) {
            size[i] = i < 6 ? 1L << (barLog + i % 3) : 4096;
            mmap[i] = ((mmapBits >>> i) & 1) != 0;
        }
        long regionPages = VfioPciOffset.OFFSET_SIZE / pageSize;
        long pgoff = VfioPciOffset.indexToPgoff(index, pageSize) + pageInRegion % regionPages;
        long vmEnd = vmStart + len;
        long expected = transcription(pgoff, pageSize, vmStart, vmEnd, shared, size, mmap);
        String outcome = expected == 0 ? (index >= 9 ? "OK device region" : "OK BAR") : "EINVAL";
        Statistics.collect(outcome);
        // Both answers, and both kinds of success, must be exercised, or the comparison proves little.
        Statistics.coverage(c -> {
            c.check("OK BAR").percentage(p -> p >= 3);
            c.check("OK device region").percentage(p -> p >= 1);
            c.check("EINVAL").percentage(p -> p >= 30);
        });
        return VfioPciMmap.vfioPciCoreMmap(pgoff, pageSize, vmStart, vmEnd, shared, size, mmap) == expected;
    }
}
