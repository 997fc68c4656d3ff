package io.pfnmap.demos;

import io.pfnmap.mm.*;
import io.pfnmap.vfio.*;
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
 * MAP_SHARED) under each of the eight designs, on x86_64, arm64 4K and arm64 64K, in an empty and a
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
        runSplit(System.out, "x86_64");
    }

    /**
     * One split BAR: a NIC's 32 MiB BAR0 whose MSI-X table sits two pages in, mapped as QEMU maps it
     * when the table is not mappable (two areas, the second from offset 0x3000) under each design:
     * where each piece lands, its VA modulo 2 MiB, and what touching the device costs
     * ({@link VfioSplit#map}).
     */
    static void runSplit(PrintStream out, String archId) {
        ArchConfig a = Arch.byId(archId).orElseThrow(() -> new IllegalArgumentException("unknown arch " + archId));
        VfioSplit.Scenario s = VfioSplit.scenarios(a.pageSize(), false).get(1);
        out.printf("%nA split BAR on %s: %s; areas", a.id(), s.title());
        for (VfioSplit.Area ar : s.areas()) {
            out.printf(" [0x%x, 0x%x)", ar.offset(), ar.offset() + ar.len());
        }
        out.printf(":%n  %-16s %-34s %-20s %9s  %s%n", "design", "pieces' VA % 2M", "leaves", "faults",
                "huge_fault calls by order");
        for (VfioPolicy p : VfioPolicy.values()) {
            VfioSplit.DeviceOutcome o = VfioSplit.map(Compare.empty(Compare.mmFor(a)), a, s, p);
            StringBuilder at = new StringBuilder();
            for (VfioOutcome piece : o.areas()) {
                at.append(at.length() == 0 ? "" : ", ").append(piece.result().isError() ? piece.result().describe()
                        : "0x" + Long.toHexString(piece.result().address() % (2L << 20)));
            }
            out.printf("  %-16s %-34s %-20s %9d  %s%n", p.id(), at,
                    Compare.leaves(o.profile()), o.profile().faults(), Compare.calls(o.profile()));
        }
        out.println("The second piece starts 0x3000 into the BAR: only a VA congruent to it (VA % 2M == 0x3000) gets "
                + "PMD leaves. ./oracle compare --split has every device and configuration.");
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
            out.printf("  %-8s %-16s %-16s %-24s %9s %9s  %s%n", "space", "design", "address", "leaves", "faults",
                    "padding", "best-effort");
            for (String space : new String[] {"empty", "crowded"}) {
                AddressSpace as = space.equals("empty") ? Compare.empty(mm) : Compare.crowded(mm, BAR);
                for (VfioPolicy p : VfioPolicy.values()) {
                    VfioOutcome o = VfioMapping.outcome(as, a, dev, p, r, true);
                    out.printf("  %-8s %-16s %-16s %-24s %9d %9s  %s%n", space, p.id(), o.result().describe(),
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
