package io.pfnmap.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings the benchmarks of the regression gate share: one shared state, the average time
 * in ns per operation, 3 warmup and 5 measured iterations of a second, one fork with an 8 MiB stack
 * and a 2 GiB heap. JMH reads them from this class for its subclasses; a subclass's own annotation
 * wins ({@link OracleLinesBenchmark}'s 2 s iterations).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xss8m", "-Xmx2g"})
public abstract class BenchDefaults {
}
