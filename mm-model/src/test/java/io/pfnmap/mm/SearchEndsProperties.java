package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.UnmappedArea;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Both searches end on every input {@link AddressSpace} and {@link MmConfig} accept (VMAs at or
 * below task_size_max, task_size_max and stack_guard_gap at most 2^62, a non-zero length), even
 * adversarial ones: stacks below stack_guard_gap (the top-down retry then wraps high_limit to 0),
 * VM_GROWSUP VMAs, any u64 limits, offsets and start gaps. The kernel's loops have no bound of
 * their own; these rules are what the oracle relies on not to hang. Beyond them the search can
 * loop forever, and {@link #beyondTheRulesTheSearchLoops} keeps the reproducer that shows it.
 *
 * <p>The deadline is a hang detector, not a speed measurement: one search takes microseconds.
 */
class SearchEndsProperties {

    record Input(AddressSpace space, boolean topdown, long length, long low, long high, long alignMask,
            long alignOffset, long startGap) {
    }

    private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "search-ends");
        t.setDaemon(true); // a search that does not end must not keep the fork alive
        return t;
    });

    static long search(Input i) {
        return UnmappedArea.vmUnmappedArea(i.space().state(), i.topdown(), i.length(), i.low(), i.high(),
                i.alignMask(), i.alignOffset(), i.startGap());
    }

    @Provide
    static Arbitrary<Input> adversarial() {
        Arbitrary<MmConfig> configs = Spaces.configs().flatMap(c -> Arbitraries.of(0L, c.pageSize(), 256 * c.pageSize(),
                1L << 40, MmConfig.MAX_BOUND - MmConfig.MAX_BOUND % c.pageSize()).map(gap -> new MmConfig(c.arch(),
                        c.pageSize(), c.pmdSize(), c.taskSize(), c.taskSizeMax(), c.defaultMapWindow(), c.mmapBase(),
                        c.legacyBase(), gap == 0 ? 0 : c.mmapMinAddr(), c.dacMmapMinAddr(), gap, c.topdown(), c.thp(),
                        c.capSysRawio(), c.shmemHugeSize())));
        return configs.flatMap(c -> Combinators.combine(spaces(c), Arbitraries.of(true, false), u64s(c).filter(l -> l != 0),
                u64s(c), u64s(c), Arbitraries.of(0L, c.pageSize() - 1, c.pmdSize() - 1, (1L << 30) - 1), u64s(c),
                Arbitraries.of(0L, c.pageSize(), 1L << 61, MmConfig.MAX_BOUND)).as(Input::new));
    }

    /** Every kind of u64: small, page-sized, near the bases and TASK_SIZE, near 2^63 and 2^64. */
    static Arbitrary<Long> u64s(MmConfig c) {
        return Arbitraries.oneOf(Spaces.hints(c), Arbitraries.longs(), Arbitraries.of(0L, 1L, -1L, 1L << 63,
                c.taskSizeMax(), -c.pageSize()));
    }

    /** Stacks and VM_GROWSUP VMAs low down, anything in the middle, and often a VMA up to task_size_max. */
    static Arbitrary<AddressSpace> spaces(MmConfig c) {
        long p = c.pageSize();
        long top = c.taskSizeMax() / p;
        Arbitrary<long[]> vma = Combinators.combine(Arbitraries.frequency(
                net.jqwik.api.Tuple.of(3, 0L), net.jqwik.api.Tuple.of(3, 1L), net.jqwik.api.Tuple.of(1, 2L),
                net.jqwik.api.Tuple.of(1, 4L)),
                Arbitraries.oneOf(Arbitraries.longs().between(0, 64), Arbitraries.longs().between(0, top - 1)),
                Arbitraries.longs().between(1, 64)).as((f, s, w) -> new long[] {s, Math.min(top, s + w), f});
        return Combinators.combine(vma.list().ofMaxSize(6), Arbitraries.of(true, false)).as((vs, toTop) -> {
            List<long[]> sorted = new ArrayList<>(vs);
            sorted.sort((a, b) -> Long.compare(a[0], b[0]));
            List<Vma> out = new ArrayList<>();
            long end = 0;
            for (long[] v : sorted) {
                if (v[0] >= end && v[1] > v[0]) {
                    out.add(flags(v[0] * p, v[1] * p, (int) v[2]));
                    end = v[1];
                }
            }
            if (toTop && end < top) {
                out.add(Vma.of(Math.max(end, top - 4096) * p, top * p));
            }
            return AddressSpace.of(c, out);
        });
    }

    static Vma flags(long s, long e, int f) {
        return f == 1 ? Vma.of(s, e, VmaFlag.GROWSDOWN) : f == 2 ? Vma.of(s, e, VmaFlag.GROWSUP)
                : f == 4 ? Vma.of(s, e, VmaFlag.SHADOW_STACK) : Vma.of(s, e);
    }

    @Property(tries = 5000)
    void bothSearchesEnd(@ForAll("adversarial") Input i) throws Exception {
        Future<Long> f = RUNNER.submit(() -> search(i));
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the search did not end within 10 s on an accepted input: " + i);
        }
        assertTrue(f.isDone());
    }

    /**
     * The rules are needed. Top-down: a stack below stack_guard_gap, a VMA up to 2^64 - 0x800
     * (above any task_size_max). Bottom-up: a start_gap of 2^64 - 0x1000, which wraps the padded
     * length past the kernel's own overflow check (a counterexample this property found before the
     * rule existed). Both loop forever, in the model as in the kernel's loop. Each runs in a child
     * JVM killed after 3 s, so the spinning thread cannot slow the build; the child builds the core
     * state directly because the API now refuses both inputs.
     */
    @Test
    void beyondTheRulesTheSearchLoops() throws Exception {
        for (String shape : new String[] {"topdown", "startgap"}) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Loop.class.getName(),
                    shape).redirectErrorStream(true).start();
            boolean ended = p.waitFor(3, TimeUnit.SECONDS);
            if (ended) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                throw new AssertionError(shape + ": the reproducer ended, so the rule it motivates is untested: " + out);
            }
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // and the API refuses both inputs, naming the field
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AddressSpace.of(MmConfig.x86_64(),
                List.of(Vma.of(0x1000, 0x2000, VmaFlag.GROWSDOWN), Vma.of(0x2000, 0xfffffffffffff000L))));
        assertEquals("vmas", e.field());
        InvalidInputException g = assertThrows(InvalidInputException.class, () -> Mmap.vmUnmappedArea(
                AddressSpace.of(MmConfig.x86_64(), List.of()), false, 1, 0, 0x10000, 0, 0, -0x1000L));
        assertEquals("start_gap", g.field());
        InvalidInputException l = assertThrows(InvalidInputException.class, () -> Mmap.vmUnmappedArea(
                AddressSpace.of(MmConfig.x86_64(), List.of()), false, 0, 0, 0x10000, 0, 0, 0));
        assertEquals("length", l.field());
    }

    /** The child of {@link #beyondTheRulesTheSearchLoops}: the input named by the argument. */
    public static final class Loop {
        public static void main(String[] args) {
            long r;
            if (args[0].equals("topdown")) {
                MmState mm = new MmState(MmState.ARCH_GENERIC, 4096, 1L << 21, 1L << 47, 1L << 47, 1L << 47, 1L << 46,
                        1L << 40, 0, 0, 0x100000, true, false, true, 0, 0, 0, new long[] {0x1000, 0x2000},
                        new long[] {0x2000, 0xfffffffffffff800L}, new int[] {MmState.VM_GROWSDOWN, 0}, null);
                r = UnmappedArea.unmappedAreaTopdown(mm, 0x1000, 0, 0x10000, 0, 0, 0);
            } else {
                MmState mm = new MmState(MmState.ARCH_GENERIC, 4096, 1L << 21, 1L << 52, 1L << 52, 1L << 48, 1L << 46,
                        1L << 40, 0x8000, 0x1000, 0x100000, false, false, true, 0, 0, 0,
                        new long[] {0x7000, 0xf000, 0xfffffff000000L}, new long[] {0xe000, 0x14000, 1L << 52},
                        new int[] {MmState.VM_GROWSUP, MmState.VM_SHADOW_STACK, 0}, null);
                r = UnmappedArea.unmappedArea(mm, 1, 1L << 52, 0x92256c34a04fec7dL, (1L << 21) - 1, -1, -0x1000L);
            }
            System.out.println("ended: " + Long.toHexString(r));
        }
    }
}
