package io.pfnmap.benchmarks;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.Mmap;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.vfio.VfioDevice;
import io.pfnmap.vfio.VfioMapping;
import io.pfnmap.vfio.VfioPolicy;
import io.pfnmap.vfio.VfioRegion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The searches of the model at 64 to 65,530 VMAs (65,530 is the default vm.max_map_count), each
 * through the public API, with the gap index ({@code AddressSpace.of}) and with the linear scan
 * of every gap ({@link AddressSpace#withoutGapIndex}), over {@link BenchSpaces}' spaces, where
 * the search skips every VMA.
 */
public class GapSearchBenchmark extends BenchSpaces {
    /** VMAs in the space, the stack included. */
    @Param({"64", "1024", "16384", "65530"})
    public int vmas;

    /** "index": the gap index (O(log n)); "linear": every gap scanned, the specification. */
    @Param({"index", "linear"})
    public String search;

    static final ArchConfig ARCH = Arch.X86_64.config();
    static final long BAR = 1L << 30;
    static final VfioDevice DEVICE = VfioDevice.of(VfioRegion.bar(1, BAR, true));
    /** The whole of BAR 1: region index 1 in the top bits of the offset (vfio_pci_priv.h). */
    static final MmapRequest VFIO_BAR = MmapRequest.file(FileKind.PLAIN_DEVICE, 0, BAR, (1L << 40) / PAGE,
            MapFlags.MAP_SHARED);
    static final MmapRequest ANON = MmapRequest.anon(0, LEN, MapFlags.MAP_PRIVATE);

    @Setup(Level.Trial)
    public void setup() {
        spaces(vmas);
        if (search.equals("linear")) {
            topdown = topdown.withoutGapIndex();
            bottomUp = bottomUp.withoutGapIndex();
        } else if (!search.equals("index")) {
            throw new IllegalArgumentException("search must be index or linear: " + search);
        }
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
