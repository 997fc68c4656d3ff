package io.pfnmap.vfio;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.core.MapFlags;
import java.io.PrintStream;
import java.util.List;

/**
 * The demo's second half: the seed's question on one BAR. A 16 GiB BAR mmapped whole (no hint,
 * MAP_SHARED) under each of the six designs, on x86_64, arm64 4K and arm64 64K, in an empty and a
 * crowded process: where it lands, which leaves map it, how many faults that takes and what
 * address space the design spends. Every figure comes from {@link VfioMapping#outcome}.
 */
public final class BarDemo {
    private BarDemo() {
    }

    /** The BAR the demo maps: 16 GiB, BAR index 1. */
    static final long BAR = 16L << 30;

    public static void main(String[] args) {
        run(System.out, List.of("x86_64", "arm64-4k", "arm64-64k"));
    }

    static void run(PrintStream out, List<String> archIds) {
        VfioDevice dev = VfioDevice.of(VfioRegion.bar(1, BAR, true));
        for (String id : archIds) {
            ArchConfig a = Arch.byId(id).orElseThrow(() -> new IllegalArgumentException("unknown arch " + id));
            MmConfig mm = Compare.mmFor(a);
            long pgoff = (1L << 40) / a.pageSize(); // region 1 starts at 1 << VFIO_PCI_OFFSET_SHIFT
            MmapRequest r = MmapRequest.file(FileKind.PLAIN_DEVICE, 0, BAR, pgoff, MapFlags.MAP_SHARED);
            StringBuilder leaves = new StringBuilder();
            for (long s : a.pfnmapLeafSizesDescending()) {
                leaves.append(leaves.length() == 0 ? "" : ", ").append(Compare.size(s));
            }
            out.printf("%nVFIO-PCI BAR1 of 16 GiB mapped whole on %s (pfnmap leaves %s):%n", a.id(), leaves);
            out.printf("  %-8s %-10s %-16s %-24s %9s %9s  %s%n", "space", "design", "address", "leaves", "faults",
                    "padding", "best-effort");
            for (String space : new String[] {"empty", "crowded"}) {
                AddressSpace as = space.equals("empty") ? Compare.empty(mm) : Compare.crowded(mm, BAR);
                for (VfioPolicy p : VfioPolicy.values()) {
                    VfioOutcome o = VfioMapping.outcome(as, a, dev, p, r, true);
                    out.printf("  %-8s %-10s %-16s %-24s %9d %9s  %s%n", space, p.id(), o.result().describe(),
                            Compare.leaves(o), o.faults(), Compare.size(o.padding()),
                            o.failedWherePlainSucceeds() ? "FAILED where the plain search succeeds" : "ok");
                }
            }
        }
        out.println();
        out.println("crowded: one hole of 16 GiB + PMD_SIZE + PAGE_SIZE below mmap_base, so a PMD-padded search fits"
                + " and a PUD-padded one does not. The full table: ./oracle compare (or vfio-model Compare).");
    }
}
