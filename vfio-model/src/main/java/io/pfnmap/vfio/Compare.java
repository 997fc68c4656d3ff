package io.pfnmap.vfio;

import com.google.common.collect.ImmutableList;
import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.arch.Search;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.VmaFlag;
import io.pfnmap.mm.core.MapFlags;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The designs side by side: for every architecture configuration (with and without huge
 * pfnmap), BAR sizes from 4 KiB to 256 GiB, whole and partial mappings, in an empty and in a
 * crowded address space, what each design gives: leaves of each size, faults, padding, and
 * whether it failed where the plain search succeeded. {@code main} prints the table; {@code
 * oracle compare --json} (verification's CompareJson) one JSON object per row.
 */
public final class Compare {
    private Compare() {
    }

    /** One row: a case and one design's outcome. */
    public record Row(String arch, long barSize, long within, long len, String space, VfioOutcome outcome) {
    }

    static final long[] BAR_SIZES = {4L << 10, 64L << 10, 2L << 20, 32L << 20, 1L << 30, 16L << 30, 256L << 30};

    /** The configurations compared: each with its own search, or the generic search with assumed constants. */
    public static List<ArchConfig> configs() {
        return Arch.allConfigs();
    }

    /** The mm of a configuration: its measured constants, or (no search modelled) a generic 47-bit one. */
    public static MmConfig mmFor(ArchConfig a) {
        if (a.search().isPresent()) {
            return MmConfig.forArch(a, true);
        }
        long pmd = a.leaves().stream().filter(l -> l.level() == io.pfnmap.arch.Level.PMD).findFirst().orElseThrow().size();
        Search assumed = new Search(Search.Kind.GENERIC, 1L << 47, 1L << 47, 1L << 47, pmd, 256 * a.pageSize());
        ArchConfig withSearch = new ArchConfig(a.id(), a.title(), a.pageSize(), a.leaves(), a.contiguousSizes(),
                a.hugePfnmap(), java.util.Optional.of(assumed));
        return MmConfig.forArch(withSearch, true);
    }

    /** An empty process: only its stack. */
    public static AddressSpace empty(MmConfig c) {
        long top = c.defaultMapWindow();
        long stackEnd = top - (top % c.pageSize());
        return AddressSpace.of(c, List.of(Vma.of(stackEnd - 33 * c.pageSize(), stackEnd, VmaFlag.GROWSDOWN)));
    }

    /**
     * A crowded process: everything from mmap_min_addr up to mmap_base is mapped except one hole
     * of {@code len + PMD_SIZE + PAGE_SIZE} bytes: the PMD-padded search fits, a PUD-padded one
     * does not.
     */
    public static AddressSpace crowded(MmConfig c, long len) {
        long hole = len + c.pmdSize() + c.pageSize();
        long holeEnd = c.mmapBase();
        long holeStart = holeEnd - hole;
        List<Vma> v = new ArrayList<>();
        if (Long.compareUnsigned(holeStart, c.mmapMinAddr()) > 0) {
            v.add(Vma.of(c.mmapMinAddr(), holeStart));
        }
        v.add(Vma.of(holeEnd, holeEnd + c.pageSize()));
        long top = c.defaultMapWindow() - c.defaultMapWindow() % c.pageSize();
        v.add(Vma.of(top - 33 * c.pageSize(), top, VmaFlag.GROWSDOWN));
        return AddressSpace.of(c, v);
    }

    /** Every row of the comparison. */
    public static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (ArchConfig a : configs()) {
            MmConfig mm = mmFor(a);
            for (long bar : BAR_SIZES) {
                if (bar < a.pageSize()) {
                    continue;
                }
                VfioDevice dev = VfioDevice.of(VfioRegion.bar(1, bar, true));
                long[][] parts = {{0, bar}, {bar / 2, bar / 2}, {a.pageSize(), bar - a.pageSize()}};
                for (long[] part : parts) {
                    if (part[1] <= 0 || part[0] % a.pageSize() != 0) {
                        continue;
                    }
                    long pgoff = (1L << 40) / a.pageSize() + part[0] / a.pageSize(); // region 1 (BAR1)
                    MmapRequest r = MmapRequest.file(FileKind.PLAIN_DEVICE, 0, part[1], pgoff, MapFlags.MAP_SHARED);
                    for (String space : new String[] {"empty", "crowded"}) {
                        AddressSpace as = space.equals("empty") ? empty(mm) : crowded(mm, part[1]);
                        for (VfioPolicy p : VfioPolicy.values()) {
                            rows.add(new Row(a.id(), bar, part[0], part[1], space,
                                    VfioMapping.outcome(as, a, dev, p, r, true)));
                        }
                    }
                }
            }
        }
        return rows;
    }

    public static String size(long v) {
        String[] units = {"", "K", "M", "G", "T", "P", "E"};
        int u = 0;
        while (v != 0 && v % 1024 == 0 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return v + units[u];
    }

    /** Leaves of an outcome, largest first: {@code 16x1G + 2x2M}; "-" for an error. */
    public static String leaves(VfioOutcome o) {
        return leaves(o, Compare::size);
    }

    /** {@link #leaves(VfioOutcome)} with each leaf size written by {@code size}. */
    public static String leaves(VfioOutcome o, LongFunction<String> size) {
        if (o.result().isError()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Long, Long> e : o.leaves().entrySet()) {
            if (e.getValue() != 0) {
                b.append(b.length() == 0 ? "" : " + ").append(e.getValue()).append("x").append(size.apply(e.getKey()));
            }
        }
        return b.toString();
    }

    /** The handler calls by order, {@code "o18:2 o9:0 o0:0"}, or "-" when the mmap failed. */
    public static String calls(VfioOutcome o) {
        if (o.profile() == null) {
            return "-";
        }
        return calls(o.profile());
    }

    public static void print(PrintStream out, List<Row> rows) {
        out.printf("%-22s %-5s %-13s %-8s %-10s %-16s %-26s %9s %-28s %8s %s%n", "arch", "BAR", "mapping", "space",
                "design", "result", "leaves", "faults", "huge_fault calls by order", "padding", "best-effort");
        for (Row r : rows) {
            VfioOutcome o = r.outcome();
            out.printf("%-22s %-5s %-13s %-8s %-10s %-16s %-26s %9d %-28s %8s %s%n", r.arch(), size(r.barSize()),
                    "+" + size(r.within()) + " " + size(r.len()), r.space(), o.policy().id(), o.result().describe(),
                    leaves(o), o.faults(), calls(o), size(o.padding()),
                    o.failedWherePlainSucceeds() ? "FAILED where plain succeeds" : "ok");
        }
    }

    /** One split-BAR row: a device scenario mapped area by area under one design ({@link VfioSplit}). */
    public record DeviceRow(String arch, VfioSplit.Scenario scenario, VfioSplit.DeviceOutcome outcome) {
    }

    /** Every split-BAR row: each configuration, each scenario around the MSI-X table and mappable, each design. */
    public static List<DeviceRow> deviceRows() {
        List<DeviceRow> rows = new ArrayList<>();
        for (ArchConfig a : configs()) {
            MmConfig mm = mmFor(a);
            for (boolean mappable : new boolean[] {false, true}) {
                for (VfioSplit.Scenario s : VfioSplit.scenarios(a.pageSize(), mappable)) {
                    for (VfioPolicy p : VfioPolicy.values()) {
                        rows.add(new DeviceRow(a.id(), s, VfioSplit.map(empty(mm), a, s, p)));
                    }
                }
            }
        }
        return rows;
    }

    /** Leaves of a profile, largest first: {@code 16x1G + 2x2M}. */
    public static String leaves(FaultProfile p) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Long, Long> e : p.leaves().entrySet()) {
            if (e.getValue() != 0) {
                b.append(b.length() == 0 ? "" : " + ").append(e.getValue()).append("x").append(size(e.getKey()));
            }
        }
        return b.length() == 0 ? "-" : b.toString();
    }

    public static String calls(FaultProfile p) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Integer, Long> e : p.hugeFaultCalls().entrySet()) {
            b.append(b.length() == 0 ? "" : " ").append("o").append(e.getKey()).append(":").append(e.getValue());
        }
        return b.toString();
    }

    public static void printDevices(PrintStream out, List<DeviceRow> rows) {
        out.printf("%-22s %-12s %-10s %-6s %-34s %9s %-28s %8s %8s%n", "arch", "device", "design", "failed",
                "leaves", "faults", "huge_fault calls by order", "padding", "span");
        for (DeviceRow r : rows) {
            VfioSplit.DeviceOutcome o = r.outcome();
            out.printf("%-22s %-12s %-10s %-6s %-34s %9d %-28s %8s %8s%n", r.arch(), r.scenario().id(),
                    o.policy().id(), o.failed() + "/" + o.areas().size(), leaves(o.profile()), o.profile().faults(),
                    calls(o.profile()), size(o.padding()), size(o.span()));
        }
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--split")) {
            printDevices(System.out, deviceRows());
            return;
        }
        print(System.out, ImmutableList.copyOf(rows()));
    }
}
