package io.pfnmap.benchmarks;

import io.pfnmap.verification.oracle.Bench;
import io.pfnmap.verification.oracle.Oracle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The oracle's protocol lines in process ({@code Oracle.serve}, what {@code ./oracle} runs
 * between stdin and stdout), {@link #LINES} lines of {@code oracle bench}'s stream per invocation,
 * so the score is ns per line: {@code DISTINCT}, every line carrying its own 64-VMA space (issue
 * 23's "each line carries its own recorded space"), and {@code REPLAY}, a session space edited on
 * half the lines. The start-up of the JVM is not in it.
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OracleLinesBenchmark extends BenchDefaults {
    /** Lines per invocation (the replay's session space is defined on the first). */
    public static final int LINES = 2_000;

    @Param({"DISTINCT", "REPLAY"})
    public String mode;

    byte[] input;

    @Setup(Level.Trial)
    public void setup() {
        input = Bench.requests(LINES, 42, Bench.Mode.valueOf(mode));
    }

    /** {@link #LINES} lines answered by a new stream (so a replay starts from its definition again). */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void serve() throws IOException {
        new Oracle().serve(new ByteArrayInputStream(input), OutputStream.nullOutputStream());
    }
}
