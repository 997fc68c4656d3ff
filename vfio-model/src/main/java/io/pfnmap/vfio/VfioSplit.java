package io.pfnmap.vfio;

import com.google.common.collect.ImmutableList;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.InvalidInputException;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.SpaceEdits;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.vfio.core.VfioPciOffset;
import io.pfnmap.vfio.core.VfioProfile;
import io.pfnmap.vfio.core.VfioSparse;
import java.util.ArrayList;
import java.util.List;

/**
 * BARs mapped in pieces: a device's mmap areas ({@link VfioSparse}), each mapped in turn into one
 * process under a design, as QEMU maps a device ({@code vfio_region_mmap} over a region's {@code
 * mmaps}, hw/vfio/region.c), and what the whole device gets: leaves, faults, handler calls (areas
 * share page-table entries: {@link VfioProfile#hugeFaultCalls} over all of them), and address
 * space spent.
 */
public final class VfioSplit {
    private VfioSplit() {
    }

    /** One mmap area: {@code len} bytes of BAR {@code bar} from byte {@code offset}. */
    public record Area(int bar, long offset, long len) {
    }

    /** A device and the areas userspace maps, in order. */
    public record Scenario(String id, String title, VfioDevice device, ImmutableList<Area> areas) {
    }

    /**
     * What one design gives the whole device.
     *
     * @param policy   the design
     * @param areas    each area's outcome, in mapping order
     * @param profile  the device's fault profile (leaves and faults summed, calls over shared entries)
     * @param padding  address space spent beside the areas (the areas' paddings summed)
     * @param span     from the lowest area start to the highest area end
     * @param failed   areas whose mmap failed
     */
    public record DeviceOutcome(VfioPolicy policy, ImmutableList<VfioOutcome> areas, FaultProfile profile,
            long padding, long span, int failed) {
    }

    /**
     * The areas of BAR {@code bar} whose MSI-X table spans {@code [tableStart, tableEnd)}: QEMU's
     * cut around the table, or the whole BAR when {@code mappable} ({@link VfioSparse#fixupMsixRegion}).
     */
    public static List<Area> msixAreas(int bar, long barSize, long tableStart, long tableEnd, long pageSize,
            boolean mappable) {
        if (tableStart < 0 || tableStart > tableEnd || tableEnd > barSize) {
            throw new InvalidInputException("msix", "the table must lie in the BAR: [" + tableStart + ", " + tableEnd
                    + ") in " + barSize + " bytes");
        }
        long[] a = VfioSparse.fixupMsixRegion(barSize, tableStart, tableEnd, pageSize, mappable);
        List<Area> out = new ArrayList<>();
        for (int k = 0; k + 1 < a.length; k += 2) {
            out.add(new Area(bar, a[k], a[k + 1]));
        }
        return out;
    }

    /** Maps every area of {@code s} in order into {@code as} under {@code policy}, each into the space the last left. */
    public static DeviceOutcome map(AddressSpace as, ArchConfig arch, Scenario s, VfioPolicy policy) {
        long page = arch.pageSize();
        long[] sizes = arch.pfnmapLeafSizesDescending();
        long[] counts = new long[sizes.length];
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        ImmutableList.Builder<VfioOutcome> outs = ImmutableList.builder();
        long padding = 0;
        int failed = 0;
        AddressSpace space = as;
        for (Area a : s.areas()) {
            long pgoff = VfioPciOffset.indexToPgoff(a.bar(), page) + a.offset() / page;
            MmapRequest r = MmapRequest.file(FileKind.PLAIN_DEVICE, 0, a.len(), pgoff, MapFlags.MAP_SHARED);
            VfioOutcome o = VfioMapping.outcome(space, arch, s.device(), policy, r, true);
            outs.add(o);
            if (o.result().isError()) {
                failed++;
                continue;
            }
            long len = Arith.alignUp(a.len(), page);
            VfioProfile.addTo(counts, coreCounts(o.profile(), sizes));
            starts.add(o.result().address());
            ends.add(o.result().address() + len);
            padding += o.padding();
            space = SpaceEdits.mapped(space, o.result().address(), len);
        }
        long[] st = starts.stream().mapToLong(Long::longValue).toArray();
        long[] en = ends.stream().mapToLong(Long::longValue).toArray();
        VfioProfile.sortRanges(st, en);
        long[] calls = VfioProfile.hugeFaultCalls(st, en, sizes, counts, true);
        FaultProfile profile = FaultProfile.of(sizes, page, counts, calls, VfioProfile.faults(counts));
        long span = st.length == 0 ? 0 : en[en.length - 1] - st[0];
        for (long e : en) {
            span = Math.max(span, e - st[0]);
        }
        return new DeviceOutcome(policy, outs.build(), profile, padding, span, failed);
    }

    /**
     * Why each area of {@code s} landed where it did under {@code policy}: {@link VfioExplanation}
     * of each area in mapping order, each in the space the areas before it left (the same sequence
     * as {@link #map}); a failed area leaves the space as it was.
     */
    public static List<VfioExplanation> explain(AddressSpace as, ArchConfig arch, Scenario s, VfioPolicy policy) {
        long page = arch.pageSize();
        List<VfioExplanation> out = new ArrayList<>();
        AddressSpace space = as;
        for (Area a : s.areas()) {
            long pgoff = VfioPciOffset.indexToPgoff(a.bar(), page) + a.offset() / page;
            MmapRequest r = MmapRequest.file(FileKind.PLAIN_DEVICE, 0, a.len(), pgoff, MapFlags.MAP_SHARED);
            VfioExplanation e = VfioExplanation.of(space, arch, s.device(), policy, r);
            out.add(e);
            if (!e.search().result().isError()) {
                space = SpaceEdits.mapped(space, e.search().result().address(), Arith.alignUp(a.len(), page));
            }
        }
        return out;
    }

    private static long[] coreCounts(FaultProfile p, long[] sizes) {
        long[] c = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            c[i] = p.leaves().getOrDefault(sizes[i], 0L);
        }
        return c;
    }

    /** A GPU's MSI-X table in BAR0, as lspci shows NVIDIA GPUs' ("Vector table: BAR=0 offset=00b90000"). */
    static final long GPU_TABLE = 0xb90000L;
    /** A NIC's MSI-X table two pages into BAR0 ("Vector table: BAR=0 offset=00002000"), 64 vectors of 16 bytes. */
    static final long NIC_TABLE = 0x2000L;
    /** The device memory of a Grace Hopper GPU as nvgrace-gpu exposes it: not a power of two (issue 24's example). */
    public static final long GRACE_MEMLENGTH = 0x2F00F00000L;

    /**
     * The split-BAR scenarios of the comparison: a GPU (16 MiB BAR0 with the MSI-X table, 16 GiB
     * BAR1, 32 MiB BAR3), a NIC (32 MiB BAR0, its table two pages in), and a Grace Hopper GPU under
     * nvgrace-gpu (BAR0 with the table; BAR2 256 GiB, the power of two above its device memory, of
     * which one sparse area of {@link #GRACE_MEMLENGTH} bytes is mappable:
     * {@code nvgrace_gpu_ioctl_get_region_info}, drivers/vfio/pci/nvgrace-gpu/main.c). With {@code
     * mappable} the MSI-X BARs are one area each.
     */
    public static List<Scenario> scenarios(long pageSize, boolean mappable) {
        String how = mappable ? " (MSI-X mappable)" : " (around the MSI-X table)";
        List<Scenario> out = new ArrayList<>();
        long m = 1L << 20;
        long g = 1L << 30;
        List<Area> gpu = new ArrayList<>(msixAreas(0, 16 * m, GPU_TABLE, GPU_TABLE + 6 * 16, pageSize, mappable));
        gpu.add(new Area(1, 0, 16 * g));
        gpu.add(new Area(3, 0, 32 * m));
        out.add(new Scenario(mappable ? "gpu" : "gpu-split", "GPU: BAR0 16M, BAR1 16G, BAR3 32M" + how,
                VfioDevice.of(VfioRegion.bar(0, 16 * m, true), VfioRegion.bar(1, 16 * g, true),
                        VfioRegion.bar(3, 32 * m, true)), ImmutableList.copyOf(gpu)));
        out.add(new Scenario(mappable ? "nic" : "nic-split", "NIC: BAR0 32M, table at 0x2000" + how,
                VfioDevice.of(VfioRegion.bar(0, 32 * m, true)),
                ImmutableList.copyOf(msixAreas(0, 32 * m, NIC_TABLE, NIC_TABLE + 64 * 16, pageSize, mappable))));
        List<Area> grace = new ArrayList<>(msixAreas(0, 16 * m, GPU_TABLE, GPU_TABLE + 6 * 16, pageSize, mappable));
        grace.add(new Area(2, 0, GRACE_MEMLENGTH));
        out.add(new Scenario(mappable ? "grace" : "grace-split", "nvgrace-gpu: BAR0 16M, BAR2 device memory 0x"
                + Long.toHexString(GRACE_MEMLENGTH) + " in 256G" + how,
                VfioDevice.of(VfioRegion.bar(0, 16 * m, true), VfioRegion.bar(2, 256 * g, true)),
                ImmutableList.copyOf(grace)));
        return out;
    }
}
