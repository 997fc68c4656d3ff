package io.pfnmap.mm;

import io.pfnmap.arch.Arch;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators: address spaces (empty, sparse, crowded, full and nearly full, with stacks)
 * under every modelled configuration and layout, and u64 values that include the edges.
 */
public final class Spaces {
    private Spaces() {
    }

    static final long PAGE = 4096;
    static final long PMD = 2L << 20;

    /** The configurations the search is modelled for, each in both layouts. */
    public static Arbitrary<MmConfig> configs() {
        return Arbitraries.of(
                MmConfig.x86_64(), MmConfig.x86_64().withTopdown(false),
                MmConfig.forArch(Arch.X86_64_LA57.config(), true, MmConfig.DEFAULT_STACK_RLIMIT, 0x10000, 0x1000),
                MmConfig.forArch(Arch.ARM64_4K.config(), true, MmConfig.DEFAULT_STACK_RLIMIT, 0x8000, 0x1000),
                MmConfig.forArch(Arch.ARM64_4K.config(), false, MmConfig.DEFAULT_STACK_RLIMIT, 0x8000, 0x1000),
                MmConfig.forArch(Arch.ARM64_16K.config(), true, MmConfig.DEFAULT_STACK_RLIMIT, 0x8000, 0x1000),
                MmConfig.forArch(Arch.ARM64_64K.config(), false));
    }

    /** Page-aligned address spaces of up to 64 VMAs under a random configuration. */
    public static Arbitrary<AddressSpace> spaces() {
        return configs().flatMap(Spaces::spaces);
    }

    public static Arbitrary<AddressSpace> spaces(MmConfig c) {
        return Arbitraries.oneOf(sparse(c), crowded(c), full(c));
    }

    /** Interesting addresses of a configuration, to scatter VMAs around. */
    static Arbitrary<Long> pages(MmConfig c) {
        long p = c.pageSize();
        long top = c.arch() == io.pfnmap.arch.Search.Kind.X86_64 ? c.taskSizeMax() : c.taskSize();
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, top / p)),
                Tuple.of(3, Arbitraries.longs().between(-4096, 4096).map(d -> c.mmapBase() / p + d)),
                Tuple.of(2, Arbitraries.longs().between(-4096, 4096).map(d -> c.legacyBase() / p + d)),
                Tuple.of(1, Arbitraries.longs().between(0, 4096).map(d -> c.mmapMinAddr() / p + d)),
                Tuple.of(1, Arbitraries.longs().between(-2048, 64).map(d -> c.defaultMapWindow() / p + d)))
                .map(x -> Math.max(0, Math.min(x, top / p)));
    }

    static Arbitrary<AddressSpace> sparse(MmConfig c) {
        return pages(c).list().ofMinSize(0).ofMaxSize(128).flatMap(ps -> {
            TreeSet<Long> set = new TreeSet<>(ps);
            List<Long> sorted = new ArrayList<>(set);
            return Arbitraries.integers().between(0, 1 << 20).map(stackBits -> build(c, sorted, stackBits));
        });
    }

    /** Many small VMAs with small gaps near the bases: searches must retry and fall back. */
    static Arbitrary<AddressSpace> crowded(MmConfig c) {
        return Combinators.combine(Arbitraries.longs().between(1, 64).list().ofMinSize(2).ofMaxSize(128),
                Arbitraries.of(c.mmapBase(), c.legacyBase(), c.mmapMinAddr(), c.defaultMapWindow() / 2),
                Arbitraries.integers().between(0, 1 << 20)).as((steps, base, stackBits) -> {
                    List<Long> sorted = new ArrayList<>();
                    long p = base / c.pageSize() - 64L * steps.size() / 2;
                    for (long s : steps) {
                        p += s;
                        sorted.add(Math.max(0, p));
                    }
                    return build(c, new ArrayList<>(new TreeSet<>(sorted)), stackBits);
                });
    }

    /** The whole space mapped but for a few holes: full and nearly-full spaces. */
    static Arbitrary<AddressSpace> full(MmConfig c) {
        long top = (c.arch() == io.pfnmap.arch.Search.Kind.X86_64 ? c.taskSizeMax() : c.taskSize()) / c.pageSize();
        return Arbitraries.longs().between(1, top - 1).list().ofMaxSize(6).flatMap(holes -> Arbitraries.longs()
                .between(0, 600).list().ofSize(holes.size()).map(widths -> {
                    List<Vma> vmas = new ArrayList<>();
                    TreeSet<Long> cuts = new TreeSet<>();
                    for (int i = 0; i < holes.size(); i++) {
                        cuts.add(holes.get(i));
                        cuts.add(Math.min(top, holes.get(i) + widths.get(i) + 1));
                    }
                    long p = c.pageSize();
                    long start = 0;
                    boolean mapped = true;
                    for (long cut : cuts) {
                        if (mapped && cut > start) {
                            vmas.add(Vma.of(start * p, cut * p));
                        }
                        start = cut;
                        mapped = !mapped;
                    }
                    if (mapped && start < top) {
                        vmas.add(Vma.of(start * p, top * p));
                    }
                    return AddressSpace.of(c, merge(vmas));
                }));
    }

    private static List<Vma> merge(List<Vma> vmas) {
        List<Vma> out = new ArrayList<>();
        for (Vma v : vmas) {
            if (!out.isEmpty() && out.get(out.size() - 1).end() == v.start()) {
                Vma last = out.remove(out.size() - 1);
                out.add(Vma.of(last.start(), v.end()));
            } else {
                out.add(v);
            }
        }
        return out;
    }

    private static AddressSpace build(MmConfig c, List<Long> sortedPages, int stackBits) {
        List<Vma> vmas = new ArrayList<>();
        long p = c.pageSize();
        for (int i = 0; i + 1 < sortedPages.size(); i += 2) {
            long s = sortedPages.get(i) * p;
            long e = sortedPages.get(i + 1) * p;
            // a stack (VM_GROWSDOWN) now and then, as the top VMA is in a real process
            boolean stack = ((stackBits >> (i / 2 % 20)) & 1) == 1 && (i + 3 >= sortedPages.size() || i % 7 == 0);
            vmas.add(stack ? Vma.of(s, e, VmaFlag.GROWSDOWN) : Vma.of(s, e));
        }
        return AddressSpace.of(c, vmas);
    }

    /** u64 values: small and page-multiple lengths, PMD multiples, and the 64-bit edges. */
    public static Arbitrary<Long> lengths(MmConfig c) {
        long p = c.pageSize();
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(1, 512).map(n -> n * p)),
                Tuple.of(3, Arbitraries.longs().between(1, 512).map(n -> n * c.pmdSize())),
                Tuple.of(2, Arbitraries.longs().between(1, 1L << 20)),
                Tuple.of(1, Arbitraries.longs().between(1, c.taskSize() / p).map(n -> n * p)),
                Tuple.of(2, edges(c)));
    }

    /** The u64 edge values every property must survive. */
    public static Arbitrary<Long> edges(MmConfig c) {
        long p = c.pageSize();
        return Arbitraries.of(0L, 1L, p - 1, p, p + 1, 1L << 63, -1L, -p, -p - 1, -4095L, -4096L, c.taskSize(),
                c.taskSize() - 1, c.taskSize() + 1, c.taskSize() - p, c.taskSize() + p, c.defaultMapWindow(),
                c.defaultMapWindow() + p, c.mmapBase(), c.legacyBase(), c.mmapMinAddr(), c.mmapMinAddr() - 1,
                Long.MAX_VALUE, Long.MAX_VALUE - p + 1, c.pmdSize(), c.pmdSize() - p, 1L << 30);
    }

    /** Hints: 0, page-aligned or not, near the bases, and the edges. */
    public static Arbitrary<Long> hints(MmConfig c) {
        long p = c.pageSize();
        long top = c.arch() == io.pfnmap.arch.Search.Kind.X86_64 ? c.taskSizeMax() : c.taskSize();
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(0L)),
                Tuple.of(3, Arbitraries.longs().between(0, top / p).map(n -> n * p)),
                Tuple.of(2, Arbitraries.longs().between(0, top)),
                Tuple.of(2, pages(c).map(n -> n * p)),
                Tuple.of(2, edges(c)));
    }

    /** File offsets in pages, including those that overflow the byte offset and the file size. */
    public static Arbitrary<Long> pgoffs(MmConfig c) {
        long maxPg = Long.MAX_VALUE / c.pageSize();
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 4096)),
                Tuple.of(2, Arbitraries.longs().between(0, 1L << 40)),
                Tuple.of(1, Arbitraries.longs().between(-600, 8).map(d -> maxPg + d)),
                Tuple.of(1, Arbitraries.of(-1L, 1L << 52, (1L << 52) - 1, Long.MIN_VALUE, -(1L << 20))));
    }
}
