package io.pfnmap.benchmarks;

import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.SpaceEdits;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a session's edit costs (the oracle's {@code "apply": true} and {@code munmap}, through
 * {@link SpaceEdits}): a one-page MAP_FIXED mapping placed in the middle hole of {@link
 * BenchSpaces#topdownSpace}'s space, then unmapped again, so every invocation makes two edits
 * from the same space, one adding a VMA and one removing it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xss8m", "-Xmx2g"})
public class SpaceEditBenchmark {
    @Param({"64", "1024", "16384", "65530"})
    public int vmas;

    AddressSpace space;
    /** The middle one-page hole of the space. */
    long hole;

    @Setup(Level.Trial)
    public void setup() {
        space = BenchSpaces.topdownSpace(vmas);
        int mid = space.vmas().size() / 2;
        hole = space.vmas().get(mid - 1).end();
        if (hole == space.vmas().get(mid).start()) {
            throw new IllegalStateException("no hole at VMA " + mid);
        }
    }

    /** A one-page mapping applied in the hole, then its munmap: two edits. */
    @Benchmark
    public int mapAndUnmap() {
        AddressSpace mapped = SpaceEdits.mapped(space, hole, BenchSpaces.PAGE);
        return SpaceEdits.munmap(mapped, hole, BenchSpaces.PAGE).space().vmas().size();
    }
}
