package io.pfnmap.spec;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.AlignedTry;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.vfio.VfioDevice;
import io.pfnmap.vfio.VfioExplanation;
import io.pfnmap.vfio.VfioMapping;
import io.pfnmap.vfio.VfioRegion;
import io.pfnmap.vfio.core.VfioPciOffset;
import io.pfnmap.vfio.Compare;
import io.pfnmap.vfio.VfioOutcome;
import io.pfnmap.vfio.VfioPolicy;
import io.pfnmap.vfio.VfioSplit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The designs compared: vfio-model's {@link Compare#rows()} as tables and plots, per architecture
 * configuration. Grouping and formatting only.
 */
public final class DesignsDoc {
    private DesignsDoc() {
    }

    /** A written picture: file name and SVG text. */
    public record Picture(String name, String alt, String svg) {
    }

    static String key(Compare.Row r) {
        return r.arch() + "|" + r.barSize() + "|" + r.within() + "|" + r.len() + "|" + r.space();
    }

    /** Rows of one configuration, whole BAR, one space: BAR size -> design -> outcome. */
    static Map<Long, Map<VfioPolicy, VfioOutcome>> whole(List<Compare.Row> rows, String arch, String space) {
        Map<Long, Map<VfioPolicy, VfioOutcome>> m = new LinkedHashMap<>();
        for (Compare.Row r : rows) {
            if (r.arch().equals(arch) && r.space().equals(space) && r.within() == 0 && r.len() == r.barSize()) {
                m.computeIfAbsent(r.barSize(), k -> new LinkedHashMap<>()).put(r.outcome().policy(), r.outcome());
            }
        }
        return m;
    }

    /** The cell of one design: leaves / faults / padding, or the errno. */
    public static String cell(VfioOutcome o) {
        if (o.result().isError()) {
            return o.result().describe() + (o.failedWherePlainSucceeds() ? " (FAILED where plain succeeds)" : "");
        }
        return Examples.leavesText(o) + " / " + o.faults() + " faults / " + LeafTableDoc.size(o.padding()) + " spent";
    }

    /** Writes the page's sections into {@code d}; returns the pictures to write. */
    public static List<Picture> write(Doc d, List<Compare.Row> rows) {
        List<Picture> pics = new ArrayList<>();
        intro(d);
        failures(d, rows, pics);
        pictures(d, pics);
        for (ArchConfig a : Compare.configs()) {
            configuration(d, rows, a, pics);
        }
        return pics;
    }

    /** The designs' ids, in the order of the tables' columns. */
    static List<String> designs() {
        List<String> designs = new ArrayList<>();
        for (VfioPolicy p : VfioPolicy.values()) {
            designs.add(p.id());
        }
        return designs;
    }

    static void intro(Doc d) {
        d.p("Every row below is computed at build time by vfio-model's `io.pfnmap.vfio.Compare.rows()`: for each "
                + "configuration (with and without huge pfnmap), BAR sizes from 4 KiB to 256 GiB, whole and partial "
                + "mappings (the second half; all but the first page), in an empty and in a crowded space (one hole "
                + "of len + PMD_SIZE + PAGE_SIZE below mmap_base). Cells: leaves when every page is touched / faults "
                + "(one leaf per fault) / address space the design spends beside the mapping (distance from the "
                + "plain placement; QEMU: its reservation's slack).");
        List<String> bullets = new ArrayList<>();
        for (VfioPolicy p : VfioPolicy.values()) {
            bullets.add("`" + p.id() + "`: " + p.summary());
        }
        d.bullets(bullets);
        d.h2("userspace", "Userspace alignment: QEMU and cloud-hypervisor");
        d.p(CLOUD_HYPERVISOR_NOTE);
    }

    /** Per configuration (in the rows' order), the cases and each design's failures where plain succeeds. */
    record Failures(String arch, int cases, int[] fails) {
    }

    /** The counts the failures section shows: computed apart from the rendering. */
    static List<Failures> failureCounts(List<Compare.Row> rows) {
        List<String> archs = new ArrayList<>();
        for (Compare.Row r : rows) {
            if (!archs.contains(r.arch())) {
                archs.add(r.arch());
            }
        }
        List<Failures> out = new ArrayList<>();
        for (String arch : archs) {
            int[] fails = new int[VfioPolicy.values().length];
            int cases = 0;
            for (Compare.Row r : rows) {
                if (r.arch().equals(arch)) {
                    if (r.outcome().policy() == VfioPolicy.NONE) {
                        cases++;
                    }
                    if (r.outcome().failedWherePlainSucceeds()) {
                        fails[r.outcome().policy().ordinal()]++;
                    }
                }
            }
            out.add(new Failures(arch, cases, fails));
        }
        return out;
    }

    static void failures(Doc d, List<Compare.Row> rows, List<Picture> pics) {
        d.h2("failures", "Failures where the plain search succeeds (best-effort), all cases");
        List<Failures> counts = failureCounts(rows);
        List<String> archs = new ArrayList<>();
        List<List<String>> frows = new ArrayList<>();
        List<double[]> fseries = new ArrayList<>();
        for (VfioPolicy p : VfioPolicy.values()) {
            fseries.add(new double[counts.size()]);
        }
        for (int i = 0; i < counts.size(); i++) {
            Failures f = counts.get(i);
            archs.add(f.arch());
            List<String> row = new ArrayList<>();
            row.add(f.arch());
            for (VfioPolicy p : VfioPolicy.values()) {
                row.add(f.fails()[p.ordinal()] + " of " + f.cases());
                fseries.get(p.ordinal())[i] = f.fails()[p.ordinal()];
            }
            frows.add(row);
        }
        List<String> fhead = new ArrayList<>(List.of("configuration"));
        fhead.addAll(designs());
        d.table("failures", fhead, frows);
        Picture fp = new Picture("designs-failures.svg", "Failures where the plain search succeeds, per configuration "
                + "and design", Svg.plot("Failures where the plain search succeeds (count of cases)", "failures",
                        archs, designs(), fseries, false));
        add(d, pics, fp);
    }

    /** Where each design searched and landed, drawn (x86_64, a 16 GiB BAR mapped whole). */
    static void pictures(Doc d, List<Picture> pics) {
        ArchConfig x86 = Arch.X86_64.config();
        long g16 = 16L << 30;
        VfioSplit.Scenario bar = new VfioSplit.Scenario("bar16g", "16 GiB BAR1, whole",
                VfioDevice.of(VfioRegion.bar(1, g16, true)),
                com.google.common.collect.ImmutableList.of(new VfioSplit.Area(1, 0, g16)));
        d.h2("pictures", "Where each design searched and landed (x86_64, a 16 GiB BAR mapped whole)");
        d.p("Per design, two tracks: what it searched (the padded window of each aligned try the helper ran, "
                + "`len + size` from the padded search's answer; for QEMU and cloud-hypervisor the anonymous "
                + "reservation of `len + align`), then where the mapping landed, drawn as the leaves its faults "
                + "insert. Hover a bar for its exact range. In the crowded space one hole of len + 2 MiB + 4 KiB is "
                + "free: a 1 GiB-padded window does not fit there, a 2 MiB-padded one does.");
        for (String space : List.of("empty", "crowded")) {
            AddressSpace as = space.equals("empty") ? Compare.empty(Compare.mmFor(x86))
                    : Compare.crowded(Compare.mmFor(x86), g16);
            add(d, pics, placements("designs-placements-" + space + ".svg", "x86_64: 16 GiB BAR, " + space
                    + " space: windows, reservations, results", as, x86, bar));
        }
    }

    /** One configuration: whole BARs in both spaces (tables and plots), then partial mappings. */
    static void configuration(Doc d, List<Compare.Row> rows, ArchConfig a, List<Picture> pics) {
        d.h2("cfg-" + a.id(), a.id() + ": " + a.title());
        d.p("pfnmap leaves: " + LeafTableDoc.sizes(a.pfnmapLeafSizesDescending()) + "; all leaves: "
                + LeafTableDoc.sizes(a.leafSizesDescending()) + (a.search().isPresent() ? ""
                        : "; the mm search of this configuration is not modelled: Compare assumes the generic "
                                + "search with a 47-bit window"));
        for (String space : List.of("empty", "crowded")) {
            Map<Long, Map<VfioPolicy, VfioOutcome>> m = whole(rows, a.id(), space);
            List<List<String>> trows = new ArrayList<>();
            for (Map.Entry<Long, Map<VfioPolicy, VfioOutcome>> e : m.entrySet()) {
                trows.add(row(LeafTableDoc.size(e.getKey()), e.getValue()));
            }
            List<String> head = new ArrayList<>(List.of("BAR (whole), " + space));
            head.addAll(designs());
            d.table("designs " + space + " " + a.id(), head, trows);
            List<String> xs = new ArrayList<>();
            for (Long s : m.keySet()) {
                xs.add(LeafTableDoc.size(s));
            }
            if (space.equals("crowded")) {
                add(d, pics, new Picture("designs-crowded-faults-" + a.id() + ".svg", a.id() + ": faults to map a "
                        + "whole BAR in the crowded space (alignment gives way)", Svg.plot(a.id() + ": faults to map "
                                + "a whole BAR (crowded space)", "faults (log10)", xs, designs(),
                                series(m, VfioOutcome::faults), true)));
            } else {
                add(d, pics, new Picture("designs-faults-" + a.id() + ".svg", a.id() + ": faults (= leaves) to map "
                        + "a whole BAR, per BAR size and design", Svg.plot(a.id() + ": faults to map a whole BAR "
                                + "(empty space)", "faults (log10)", xs, designs(), series(m, VfioOutcome::faults),
                                true)));
                add(d, pics, new Picture("designs-spent-" + a.id() + ".svg", a.id() + ": address space spent beside "
                        + "the mapping, bytes, per BAR size and design", Svg.plot(a.id() + ": address space spent "
                                + "beside the mapping (empty space)", "bytes (log10)", xs, designs(),
                                series(m, VfioOutcome::padding), true)));
            }
        }
        partial(d, rows, a);
    }

    /** Per design, one value per BAR size; NaN where the design failed. */
    static List<double[]> series(Map<Long, Map<VfioPolicy, VfioOutcome>> m,
            java.util.function.ToDoubleFunction<VfioOutcome> value) {
        List<double[]> out = new ArrayList<>();
        for (VfioPolicy p : VfioPolicy.values()) {
            double[] v = new double[m.size()];
            int i = 0;
            for (Map<VfioPolicy, VfioOutcome> byP : m.values()) {
                VfioOutcome o = byP.get(p);
                v[i++] = o.result().isError() ? Double.NaN : value.applyAsDouble(o);
            }
            out.add(v);
        }
        return out;
    }

    /** Partial mappings in the empty space: a compact table. */
    static void partial(Doc d, List<Compare.Row> rows, ArchConfig a) {
        Map<String, Map<VfioPolicy, VfioOutcome>> partial = new LinkedHashMap<>();
        for (Compare.Row r : rows) {
            if (r.arch().equals(a.id()) && r.space().equals("empty") && r.within() != 0) {
                partial.computeIfAbsent(LeafTableDoc.size(r.barSize()) + " BAR, +" + LeafTableDoc.size(r.within())
                        + " " + LeafTableDoc.size(r.len()), k -> new LinkedHashMap<>()).put(r.outcome().policy(),
                                r.outcome());
            }
        }
        List<List<String>> prows = new ArrayList<>();
        for (Map.Entry<String, Map<VfioPolicy, VfioOutcome>> e : partial.entrySet()) {
            prows.add(row(e.getKey(), e.getValue()));
        }
        List<String> head = new ArrayList<>(List.of("partial mapping, empty"));
        head.addAll(designs());
        d.table("designs partial " + a.id(), head, prows);
    }

    /** A table row: its label, then each design's cell. */
    static List<String> row(String label, Map<VfioPolicy, VfioOutcome> byDesign) {
        List<String> row = new ArrayList<>();
        row.add(label);
        for (VfioPolicy p : VfioPolicy.values()) {
            row.add(cell(byDesign.get(p)));
        }
        return row;
    }

    /** Adds a picture to the page and to the pictures to write. */
    static void add(Doc d, List<Picture> pics, Picture p) {
        pics.add(p);
        d.img("img/" + p.name(), p.alt());
    }

    /**
     * What cloud-hypervisor does and why it is a design of its own rather than QEMU's row: read in
     * cloud-hypervisor's pci/src/mmap.rs (after its pull request 8435, "Align VFIO HVA to a huge page
     * boundary", merged June 2026) and pci/src/vfio.rs; vfio-model's {@code VfioDesigns.chPlace}.
     */
    static final String CLOUD_HYPERVISOR_NOTE = "cloud-hypervisor aligns its VFIO mappings too, but not as QEMU "
            + "does, so it has a row of its own (`cloud-hypervisor`, vfio-model `VfioDesigns.chPlace`). Read in "
            + "cloud-hypervisor's pci/src/mmap.rs, `allocate_aligned_mapping` (from its pull request 8435, \"Align "
            + "VFIO HVA to a huge page boundary\", merged June 2026), which `MmapRegion::mmap` runs for every sparse "
            + "mmap area of a BAR (pci/src/vfio.rs maps each area on its own): `find_alignment` takes 1 GiB for an "
            + "area of 1 GiB or more, else the smallest power of two not below the area's length (at least a "
            + "page); at page alignment it maps plainly; else `reserve_mapping` reserves len + align of "
            + "PROT_NONE anonymous memory (MAP_NORESERVE), `trim_mapping` unmaps the head and the tail, and the "
            + "area is mapped MAP_FIXED at the first aligned address. Where it parts from QEMU's row: (1) the "
            + "alignment: QEMU takes the largest power of two dividing the length, cloud-hypervisor the smallest "
            + "above it (the 0xb90000-byte piece before a GPU's MSI-X table: 64 KiB against 16 MiB; nvgrace-gpu's "
            + "0x2F00F00000 bytes of device memory: 1 MiB against 1 GiB); on power-of-two lengths the two agree; "
            + "(2) no fallback: when len + align does not fit, the reservation's error is the answer and the "
            + "device is not mapped, where QEMU maps plainly (the crowded rows below: FAILED where plain "
            + "succeeds). Neither looks at the area's offset in the BAR, so a piece that starts off a huge "
            + "boundary gets an aligned VA but no huge leaves. CloudHypervisorDesignTest states each difference "
            + "as a property with a seeded wrong variant.";

    /**
     * What one mmap under a design searched, as segments: the userspace reservation ({@code len +
     * align} from where it landed) or the padded window of each aligned try whose padded search
     * ran ({@code len + size} from its answer). Empty for the plain search, a failed reservation,
     * and dax (its own search, without the helper's tries).
     */
    static List<Svg.Seg> searchedSegs(VfioExplanation e, long len) {
        List<Svg.Seg> out = new ArrayList<>();
        if (e.reservation() != null) {
            if (!e.reservation().isError()) {
                long r0 = e.reservation().address();
                out.add(new Svg.Seg(r0, r0 + len + e.qemuAlign(), "reservation", "reservation len + "
                        + LeafTableDoc.size(e.qemuAlign())));
            }
            return out;
        }
        for (AlignedTry t : e.search().tries()) {
            if (t.paddedResult() != 0 && !Arith.isErrValue(t.paddedResult())) {
                out.add(new Svg.Seg(t.paddedResult(), t.paddedResult() + t.lenPad(), "window", "padded search len + "
                        + LeafTableDoc.size(t.size())));
            }
        }
        return out;
    }

    /** The track label of a design's searches. */
    static String searchedTrack(VfioPolicy p) {
        return p.id() + ": searched";
    }

    /** The track label of a design's mapped areas. */
    static String mappedTrack(VfioPolicy p) {
        return p.id() + ": mapped";
    }

    /**
     * The picture of scenario {@code s}'s areas mapped in order into {@code as} under every design
     * ({@link VfioSplit#explain}): per design a track of what it searched (each aligned try's padded
     * window from its padded answer, or the userspace reservation) and a track of the leaves of each
     * placed area ({@link VfioMapping#faultSize}). Drawing only: every range is the model's.
     */
    static Picture placements(String name, String title, AddressSpace as, ArchConfig arch, VfioSplit.Scenario s) {
        long page = arch.pageSize();
        long[] pfnLeaves = arch.pfnmapLeafSizesDescending();
        long smallestHuge = pfnLeaves.length > 1 ? pfnLeaves[pfnLeaves.length - 2] : 0;
        List<Svg.Seg> vmas = Examples.vmaSegs(as);
        List<Svg.Seg> overview = new ArrayList<>(vmas);
        List<Svg.Track> tracks = new ArrayList<>();
        tracks.add(new Svg.Track("VMAs, guard gaps", vmas));
        List<Long> ranges = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (VfioPolicy p : VfioPolicy.values()) {
            List<Svg.Seg> searched = new ArrayList<>();
            List<Svg.Seg> mapped = new ArrayList<>();
            StringBuilder note = new StringBuilder(p.id() + ":");
            List<VfioExplanation> es = VfioSplit.explain(as, arch, s, p);
            for (int k = 0; k < es.size(); k++) {
                VfioExplanation e = es.get(k);
                long len = Arith.alignUp(s.areas().get(k).len(), page);
                if (e.reservation() != null && e.reservation().isError()) {
                    note.append(" reservation ").append(e.reservation().describe()).append(';');
                }
                for (Svg.Seg g : searchedSegs(e, len)) {
                    searched.add(g);
                    ranges.add(g.start());
                    ranges.add(g.end());
                }
                if (e.search().result().isError()) {
                    note.append(" area ").append(k).append(' ').append(e.search().result().describe()).append(';');
                    continue;
                }
                long start = e.search().result().address();
                long pgoff = VfioPciOffset.indexToPgoff(e.index(), page) + e.within() / page;
                List<long[]> runs = Examples.leafRuns(start, start + len, a -> VfioMapping.faultSize(arch, s.device(),
                        pgoff, start, start + len, a, true), smallestHuge, page);
                mapped.addAll(Examples.leafSegs(arch, runs));
                overview.add(new Svg.Seg(start, start + len, "result", ""));
                ranges.add(start);
                ranges.add(start + len);
                note.append(" area ").append(k).append(" at ").append(Hex.of(start)).append(';');
            }
            tracks.add(new Svg.Track(searchedTrack(p), searched));
            tracks.add(new Svg.Track(mappedTrack(p), mapped));
            notes.add(note.toString());
        }
        long top = as.config().taskSize();
        if (ranges.isEmpty()) {
            ranges.add(as.config().mmapBase() - page);
            ranges.add(as.config().mmapBase());
        }
        long[] z = Examples.zoom(top, ranges.stream().mapToLong(Long::longValue).toArray());
        return new Picture(name, title, Svg.picture(title, top, overview, z[0], z[1], tracks, notes));
    }

    /** A split-BAR cell: the device's leaves / faults / huge-fault calls by order / space spent. */
    static String deviceCell(VfioSplit.DeviceOutcome o) {
        StringBuilder calls = new StringBuilder();
        for (Map.Entry<Integer, Long> e : o.profile().hugeFaultCalls().entrySet()) {
            calls.append(calls.length() == 0 ? "" : " ").append("o").append(e.getKey()).append(":").append(e.getValue());
        }
        StringBuilder leaves = new StringBuilder();
        for (Map.Entry<Long, Long> e : o.profile().leaves().entrySet()) {
            if (e.getValue() != 0) {
                leaves.append(leaves.length() == 0 ? "" : " + ").append(e.getValue()).append('x')
                        .append(LeafTableDoc.size(e.getKey()));
            }
        }
        return (o.failed() > 0 ? o.failed() + " of " + o.areas().size() + " areas failed; " : "") + leaves + " / "
                + o.profile().faults() + " faults / calls " + calls + " / " + LeafTableDoc.size(o.padding()) + " spent";
    }

    /** The configurations the split-BAR tables show (each page size and both x86 page-table depths). */
    static final List<String> SPLIT_CONFIGS = List.of("x86_64", "x86_64-nopfnmap", "arm64-4k", "arm64-16k", "arm64-64k");

    /** Writes the split-BAR section ({@link Compare#deviceRows()}); returns its pictures. */
    public static List<Picture> writeSplit(Doc d, List<Compare.DeviceRow> rows) {
        List<Picture> pics = new ArrayList<>();
        List<String> designs = new ArrayList<>();
        for (VfioPolicy p : VfioPolicy.values()) {
            designs.add(p.id());
        }
        d.h2("split", "BARs mapped in pieces: whole devices");
        d.p("Userspace maps a BAR's mmap areas, not the BAR: QEMU maps around the MSI-X table unless the kernel "
                + "reports it mappable (`vfio_pci_fixup_msix_region`, hw/vfio/pci.c; the kernel's `msix_mappable_cap`), "
                + "and variant drivers report sparse areas (nvgrace-gpu: its device memory, 0x2F00F00000 bytes, in a "
                + "256 GiB BAR). Each row maps every area of the device, in order, into one empty process under the "
                + "design (`io.pfnmap.vfio.VfioSplit`); a piece after the table starts at an offset that is no multiple "
                + "of the huge size, so only a VA congruent to that offset gets huge leaves. Cells: the device's "
                + "leaves / faults when every page is touched / calls of `vfio_pci_mmap_huge_fault` by order, the "
                + "fallbacks included (areas share page-table entries) / address space spent beside the areas.");
        Map<String, Map<String, Map<VfioPolicy, VfioSplit.DeviceOutcome>>> byScenario = new LinkedHashMap<>();
        Map<String, String> titles = new LinkedHashMap<>();
        Map<String, VfioSplit.Scenario> scenarios = new LinkedHashMap<>();
        for (Compare.DeviceRow r : rows) {
            if (r.arch().equals("x86_64")) {
                scenarios.put(r.scenario().id(), r.scenario());
            }
            if (SPLIT_CONFIGS.contains(r.arch())) {
                byScenario.computeIfAbsent(r.scenario().id(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.arch(), k -> new LinkedHashMap<>()).put(r.outcome().policy(), r.outcome());
                titles.put(r.scenario().id(), r.scenario().title());
            }
        }
        for (Map.Entry<String, Map<String, Map<VfioPolicy, VfioSplit.DeviceOutcome>>> e : byScenario.entrySet()) {
            d.h3("split-" + e.getKey(), titles.get(e.getKey()));
            List<List<String>> trows = new ArrayList<>();
            List<String> xs = new ArrayList<>();
            List<double[]> faults = new ArrayList<>();
            for (VfioPolicy p : VfioPolicy.values()) {
                faults.add(new double[e.getValue().size()]);
            }
            int i = 0;
            for (Map.Entry<String, Map<VfioPolicy, VfioSplit.DeviceOutcome>> c : e.getValue().entrySet()) {
                List<String> row = new ArrayList<>();
                row.add(c.getKey());
                xs.add(c.getKey());
                for (VfioPolicy p : VfioPolicy.values()) {
                    VfioSplit.DeviceOutcome o = c.getValue().get(p);
                    row.add(deviceCell(o));
                    faults.get(p.ordinal())[i] = o.profile().faults();
                }
                trows.add(row);
                i++;
            }
            List<String> head = new ArrayList<>(List.of("configuration"));
            head.addAll(designs);
            d.table("split " + e.getKey(), head, trows);
            Picture at = placements("designs-split-placements-" + e.getKey() + ".svg", e.getKey() + " on x86_64, "
                    + "empty space: each area's window or reservation, then its leaves", Compare.empty(Compare.mmFor(
                            Arch.X86_64.config())), Arch.X86_64.config(), scenarios.get(e.getKey()));
            pics.add(at);
            d.img("img/" + at.name(), at.alt());
            Picture f = new Picture("designs-split-" + e.getKey() + ".svg", e.getKey() + ": faults to touch the whole "
                    + "device, per configuration and design", Svg.plot(e.getKey() + ": faults to touch every area",
                            "faults (log10)", xs, designs, faults, true));
            pics.add(f);
            d.img("img/" + f.name(), f.alt());
        }
        return pics;
    }

    /** The configurations in the comparison, for the navigation. */
    public static List<String> configIds() {
        TreeSet<String> s = new TreeSet<>();
        for (ArchConfig a : Compare.configs()) {
            s.add(a.id());
        }
        return new ArrayList<>(s);
    }
}
