package io.pfnmap.benchmarks;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.Mmap;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.VmaFlag;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.vfio.VfioDevice;
import io.pfnmap.vfio.VfioMapping;
import io.pfnmap.vfio.VfioPolicy;
import io.pfnmap.vfio.VfioRegion;
import java.util.ArrayList;
import java.util.List;
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
 * The searches of the model at 64 to 65,530 VMAs (65,530 is the default vm.max_map_count), each
 * through the public API, with the gap index ({@code AddressSpace.of}) and with the linear scan
 * of every gap ({@link AddressSpace#withoutGapIndex}). The spaces make the search skip every VMA:
 * {@code vmas - 1} one-page VMAs with one-page holes between them lie where the search starts
 * (just below mmap_base top-down, just above the legacy base bottom-up) and the free area lies
 * past them, so a request of two pages or more fits none of the holes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xss8m", "-Xmx2g"})
public class GapSearchBenchmark {
    /** VMAs in the space, the stack included. */
    @Param({"64", "1024", "16384", "65530"})
    public int vmas;

    /** "index": the gap index (O(log n)); "linear": every gap scanned, the specification. */
    @Param({"index", "linear"})
    public String search;

    static final ArchConfig ARCH = Arch.X86_64.config();
    static final long PAGE = 4096;
    /** A plain request: two pages, which no one-page hole holds. */
    static final long LEN = 2 * PAGE;
    static final long BAR = 1L << 30;
    static final VfioDevice DEVICE = VfioDevice.of(VfioRegion.bar(1, BAR, true));
    /** The whole of BAR 1: region index 1 in the top bits of the offset (vfio_pci_priv.h). */
    static final MmapRequest VFIO_BAR = MmapRequest.file(FileKind.PLAIN_DEVICE, 0, BAR, (1L << 40) / PAGE,
            MapFlags.MAP_SHARED);
    static final MmapRequest ANON = MmapRequest.anon(0, LEN, MapFlags.MAP_PRIVATE);

    AddressSpace topdown;
    AddressSpace bottomUp;

    @Setup(Level.Trial)
    public void setup() {
        topdown = topdownSpace(vmas);
        bottomUp = bottomUpSpace(vmas);
        if (search.equals("linear")) {
            topdown = topdown.withoutGapIndex();
            bottomUp = bottomUp.withoutGapIndex();
        } else if (!search.equals("index")) {
            throw new IllegalArgumentException("search must be index or linear: " + search);
        }
    }

    /** x86_64, top-down: a stack at the top, the other VMAs packed below mmap_base. */
    public static AddressSpace topdownSpace(int n) {
        MmConfig c = MmConfig.x86_64();
        List<Vma> v = new ArrayList<>();
        long base = c.mmapBase() - c.mmapBase() % PAGE;
        for (int j = n - 2; j >= 0; j--) {
            v.add(Vma.of(base - (2L * j + 2) * PAGE, base - (2L * j + 1) * PAGE));
        }
        v.add(stack(c));
        return AddressSpace.of(c, v);
    }

    /** x86_64, legacy layout (bottom-up): the VMAs packed above the legacy base, a stack at the top. */
    public static AddressSpace bottomUpSpace(int n) {
        MmConfig c = MmConfig.x86_64().withTopdown(false);
        List<Vma> v = new ArrayList<>();
        long base = c.legacyBase() + (PAGE - c.legacyBase() % PAGE) % PAGE; // rounded up to a page
        for (int j = 0; j < n - 1; j++) {
            v.add(Vma.of(base + (2L * j + 1) * PAGE, base + (2L * j + 2) * PAGE));
        }
        v.add(stack(c));
        return AddressSpace.of(c, v);
    }

    private static Vma stack(MmConfig c) {
        long top = c.defaultMapWindow() - c.defaultMapWindow() % PAGE;
        return Vma.of(top - 33 * PAGE, top, VmaFlag.GROWSDOWN);
    }

    /** {@code unmapped_area} (mm/vma.c): the lowest fit above the legacy base. */
    @Benchmark
    public long unmappedArea() {
        return Mmap.vmUnmappedArea(bottomUp, false, LEN, bottomUp.config().legacyBase(), bottomUp.config().taskSize(),
                0, 0, 0).value();
    }

    /** {@code unmapped_area_topdown} (mm/vma.c): the highest fit below mmap_base. */
    @Benchmark
    public long unmappedAreaTopdown() {
        return Mmap.vmUnmappedArea(topdown, true, LEN, PAGE, topdown.config().mmapBase(), 0, 0, 0).value();
    }

    /** {@code __thp_get_unmapped_area} (mm/huge_memory.c): 2 MiB, PMD-aligned, top-down. */
    @Benchmark
    public long thpAligned() {
        return Mmap.getUnmappedAreaAligned(topdown, 0, 2L << 20, 0, MapFlags.MAP_PRIVATE | MapFlags.MAP_ANONYMOUS,
                2L << 20);
    }

    /** A 1 GiB VFIO-PCI BAR under the order-hint design: do_mmap with the hint's PUD-aligned search. */
    @Benchmark
    public long vfioOrderHint() {
        return VfioMapping.mmap(topdown, ARCH, DEVICE, VfioPolicy.ORDER_HINT, VFIO_BAR).value();
    }

    /** {@code do_mmap} (mm/mmap.c) of two anonymous pages, top-down. */
    @Benchmark
    public long doMmap() {
        return Mmap.doMmap(topdown, ANON).value();
    }
}
