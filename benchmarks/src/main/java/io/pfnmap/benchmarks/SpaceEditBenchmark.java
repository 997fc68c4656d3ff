package io.pfnmap.benchmarks;

import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.SpaceEdits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * What a session's edit costs (the oracle's {@code "apply": true} and {@code munmap}, through
 * {@link SpaceEdits}): a one-page MAP_FIXED mapping placed in the middle hole of {@link
 * BenchSpaces#topdownSpace}'s space, then unmapped again, so every invocation makes two edits
 * from the same space, one adding a VMA and one removing it.
 */
public class SpaceEditBenchmark extends BenchSpaces {
    @Param({"64", "1024", "16384", "65530"})
    public int vmas;

    AddressSpace space;
    /** The middle one-page hole of the space. */
    long hole;

    @Setup(Level.Trial)
    public void setup() {
        space = topdownSpace(vmas);
        int mid = space.vmas().size() / 2;
        hole = space.vmas().get(mid - 1).end();
        if (hole == space.vmas().get(mid).start()) {
            throw new IllegalStateException("no hole at VMA " + mid);
        }
    }

    /** A one-page mapping applied in the hole, then its munmap: two edits. */
    @Benchmark
    public int mapAndUnmap() {
        AddressSpace mapped = SpaceEdits.mapped(space, hole, PAGE);
        return SpaceEdits.munmap(mapped, hole, PAGE).space().vmas().size();
    }
}
