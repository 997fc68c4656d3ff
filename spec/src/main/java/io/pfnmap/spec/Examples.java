package io.pfnmap.spec;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.Mmap;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Placement;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.VmaTree;
import com.fasterxml.jackson.databind.JsonNode;
import io.pfnmap.verification.oracle.Jsons;
import io.pfnmap.verification.oracle.Oracle;
import io.pfnmap.verification.oracle.Request;
import io.pfnmap.verification.oracle.RequestParser;
import io.pfnmap.vfio.VfioDevice;
import io.pfnmap.vfio.VfioMapping;
import io.pfnmap.vfio.VfioOutcome;
import io.pfnmap.vfio.VfioPolicy;
import io.pfnmap.vfio.VfioRegion;
import io.pfnmap.vfio.core.VfioFault;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * The worked examples: each is a request line of the oracle protocol (docs/oracle.md), answered by
 * {@link Oracle#answer}, decoded by the oracle's own {@link RequestParser} so the picture shows the
 * very address space the oracle answered for. VFIO designs are not in the protocol yet: their
 * outcomes come from {@link VfioMapping#outcome} on that same space, and the oracle's answer is the
 * plain placement (design none) they are compared with.
 */
public final class Examples {
    private Examples() {
    }

    /** One worked example: what was asked, what came back, and its picture. */
    public record Example(String id, String title, String prose, String request, String answer, String svgName,
            String svg, List<String> head, List<List<String>> rows) {
    }

    /** The BAR index the VFIO examples map (BAR1, as Compare does). */
    static final int BAR = 1;

    /** The oracle's answer and the decoded request of one line. */
    record Asked(String line, String answer, AddressSpace space, MmapRequest request, Placement placement) {
    }

    static Asked ask(String line) {
        String answer = new Oracle().answer(line);
        Request r = new RequestParser().parse(line);
        Request.Mmap m = (Request.Mmap) r;
        Placement p = Oracle.evaluate(r);
        JsonNode res = tree(answer).get("result");
        // the answer line and the model agree, or the document says so loudly
        String expect = p.isError() ? null : Hex.of(p.address());
        if (p.isError() ? res != null : !(res != null && res.isTextual() && res.textValue().equalsIgnoreCase(expect))) {
            throw new IllegalStateException("the oracle's answer " + answer + " differs from the model's " + p);
        }
        return new Asked(line, answer, m.space(), m.request(), p);
    }

    static String vmasJson(List<Vma> vmas) {
        StringBuilder b = new StringBuilder("[");
        for (Vma v : vmas) {
            b.append(b.length() == 1 ? "" : ",").append("{\"start\":\"").append(Hex.of(v.start())).append("\",\"end\":\"")
                    .append(Hex.of(v.end())).append('"');
            if (!v.flags().isEmpty()) {
                b.append(",\"flags\":[");
                int i = 0;
                for (var f : v.flags()) {
                    b.append(i++ == 0 ? "" : ",").append('"').append(f.name().toLowerCase()).append('"');
                }
                b.append(']');
            }
            b.append('}');
        }
        return b.append(']').toString();
    }

    static String mmapLine(String id, String mm, List<Vma> vmas, String file, long addr, long len, long pgoff,
            String flags) {
        return "{\"id\":\"" + id + "\",\"op\":\"mmap\",\"mm\":" + mm + ",\"vmas\":" + vmasJson(vmas) + ",\"file\":\""
                + file + "\"" + (addr != 0 ? ",\"addr\":\"" + Hex.of(addr) + "\"" : "") + ",\"len\":\"" + Hex.of(len)
                + "\"" + (pgoff != 0 ? ",\"pgoff\":\"" + Hex.of(pgoff) + "\"" : "") + ",\"flags\":" + flags
                + ",\"explain\":true}";
    }

    /** The README demo's small process on x86_64 (program, heap, ld.so, stack). */
    static List<Vma> process() {
        return List.of(Vma.of(0x555555554000L, 0x555555559000L), Vma.of(0x555555559000L, 0x55555557a000L),
                Vma.of(0x7ffff7fc5000L, 0x7ffff7fff000L),
                Vma.of(0x7ffffffde000L, 0x7ffffffff000L, io.pfnmap.mm.VmaFlag.GROWSDOWN));
    }

    /** An empty process of a configuration: only its stack, 33 pages below DEFAULT_MAP_WINDOW. */
    static List<Vma> emptyProcess(AddressSpace cfgOnly) {
        long top = cfgOnly.config().defaultMapWindow();
        long page = cfgOnly.config().pageSize();
        long end = top - Long.remainderUnsigned(top, page);
        return List.of(Vma.of(end - 33 * page, end, io.pfnmap.mm.VmaFlag.GROWSDOWN));
    }

    /** Everything from mmap_min_addr to mmap_base mapped but one hole of {@code hole} bytes below it. */
    static List<Vma> crowded(AddressSpace cfgOnly, long hole) {
        var c = cfgOnly.config();
        long holeEnd = c.mmapBase();
        List<Vma> v = new ArrayList<>();
        v.add(Vma.of(c.mmapMinAddr(), holeEnd - hole));
        v.add(Vma.of(holeEnd, holeEnd + c.pageSize()));
        v.addAll(emptyProcess(cfgOnly));
        return v;
    }

    /** The configuration alone (a request with no VMAs), decoded by the oracle's parser. */
    static AddressSpace configOnly(String mm) {
        return new RequestParser().parse("{\"op\":\"mmap\",\"mm\":" + mm + ",\"len\":4096,\"flags\":[\"MAP_PRIVATE\","
                + "\"MAP_ANONYMOUS\"]}").space();
    }

    // ---- leaves ----

    /** Runs of equal leaves over {@code [start, end)}: {@code sizeAt} is the model's fault answer. */
    static List<long[]> leafRuns(long start, long end, LongUnaryOperator sizeAt, long smallestHuge, long page) {
        List<long[]> runs = new ArrayList<>(); // {start, end, size, count}
        long a = start;
        while (Long.compareUnsigned(a, end) < 0) {
            long s = sizeAt.applyAsLong(a);
            long e;
            long n;
            if (s > page) {
                e = Arith.alignDown(a, s) + s;
                n = 1;
            } else {
                e = smallestHuge == 0 ? end : Arith.alignDown(a, smallestHuge) + smallestHuge;
                if (Long.compareUnsigned(e, end) > 0 || Long.compareUnsigned(e, a) <= 0) {
                    e = end;
                }
                n = (e - a) / page;
            }
            long[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last[2] == s && last[1] == a) {
                last[1] = e;
                last[3] += n;
            } else {
                runs.add(new long[] {a, e, s, n});
            }
            a = e;
        }
        return runs;
    }

    static String leafStyle(ArchConfig arch, long size) {
        if (size == arch.pageSize()) {
            return "leaf-pte";
        }
        var pud = arch.sizeAt(io.pfnmap.arch.Level.PUD);
        if (pud.isPresent() && pud.get() == size) {
            return "leaf-pud";
        }
        var pmd = arch.sizeAt(io.pfnmap.arch.Level.PMD);
        return pmd.isPresent() && pmd.get() == size ? "leaf-pmd" : "leaf-other";
    }

    static List<Svg.Seg> leafSegs(ArchConfig arch, List<long[]> runs) {
        List<Svg.Seg> out = new ArrayList<>();
        for (long[] r : runs) {
            out.add(new Svg.Seg(r[0], r[1], leafStyle(arch, r[2]), r[3] + " x " + LeafTableDoc.size(r[2])));
        }
        return out;
    }

    static String runsText(List<long[]> runs) {
        StringBuilder b = new StringBuilder();
        for (long[] r : runs) {
            b.append(b.length() == 0 ? "" : ", ").append(r[3]).append(" x ").append(LeafTableDoc.size(r[2]))
                    .append(" at ").append(Hex.of(r[0]));
        }
        return b.toString();
    }

    // ---- the address-space tracks ----

    static List<Svg.Seg> vmaSegs(AddressSpace as) {
        MmState mm = as.state();
        List<Svg.Seg> out = new ArrayList<>();
        for (int i = 0; i < mm.vmStart.length; i++) {
            long gapStart = VmaTree.vmStartGap(mm, i);
            if (gapStart != mm.vmStart[i]) {
                out.add(new Svg.Seg(gapStart, mm.vmStart[i], "gap", "guard gap"));
            }
            long gapEnd = VmaTree.vmEndGap(mm, i);
            if (gapEnd != mm.vmEnd[i]) {
                out.add(new Svg.Seg(mm.vmEnd[i], gapEnd, "gap", "guard gap"));
            }
            out.add(new Svg.Seg(mm.vmStart[i], mm.vmEnd[i], "vma", "VMA"));
        }
        return out;
    }

    /** The zoom window: the ranges of interest, widened by a quarter on each side. */
    static long[] zoom(long top, long... ranges) {
        long lo = -1L;
        long hi = 0;
        for (int i = 0; i + 1 < ranges.length; i += 2) {
            if (Long.compareUnsigned(ranges[i], lo) < 0) {
                lo = ranges[i];
            }
            if (Long.compareUnsigned(ranges[i + 1], hi) > 0) {
                hi = ranges[i + 1];
            }
        }
        long span = Math.max(hi - lo, 1);
        long margin = span / 4;
        long zlo = Long.compareUnsigned(lo, margin) < 0 ? 0 : lo - margin;
        long zhi = Long.compareUnsigned(top - hi, margin) < 0 ? top : hi + margin;
        return new long[] {zlo, zhi};
    }

    // ---- the mm examples ----

    private static final String X86 = "{\"arch\":\"x86_64\"}";
    private static final String X86_LEGACY = "{\"arch\":\"x86_64\",\"layout\":\"legacy\"}";
    private static final String PRIVATE_ANON = "[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]";
    private static final String SHARED = "[\"MAP_SHARED\"]";

    /** A u64 field of an oracle answer ("0x..."). */
    private static long hexField(JsonNode o, String name) {
        return Long.parseUnsignedLong(o.get(name).textValue().substring(2), 16);
    }

    /** An oracle answer line, read. */
    private static JsonNode tree(String answer) {
        try {
            return Jsons.MAPPER.readTree(answer);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the oracle's answer is not JSON: " + answer, e);
        }
    }

    static Example mmExample(String id, String title, String prose, String line) {
        Asked q = ask(line);
        AddressSpace as = q.space();
        MmapRequest r = q.request();
        var cfg = as.config();
        long page = cfg.pageSize();
        long len = Arith.alignUp(r.len(), page);
        long top = cfg.taskSize();
        JsonNode ex = tree(q.answer()).get("explain");
        long hint = hexField(ex, "hint");
        // the first aligned try the oracle reports (the mm examples make at most one): its size, the
        // padded search's answer (0: declined before or by the search) and the helper's answer
        JsonNode tries = ex.get("tries");
        JsonNode try0 = tries.size() == 0 ? null : tries.get(0);
        long alignedSize = try0 == null ? 0 : hexField(try0, "size");
        long paddedResult = try0 == null ? 0 : hexField(try0, "padded_result");
        long alignedResult = try0 == null ? 0 : hexField(try0, "answer");
        String summary = ex.get("summary").textValue();
        List<Svg.Track> tracks = new ArrayList<>();
        List<Svg.Seg> overview = new ArrayList<>();
        List<Svg.Seg> vmas = vmaSegs(as);
        overview.addAll(vmas);
        tracks.add(new Svg.Track("VMAs, guard gaps", vmas));
        List<Long> ranges = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        notes.add("search: " + summary);
        if (hint != 0) {
            tracks.add(new Svg.Track("hint", List.of(new Svg.Seg(hint, hint + len, "plain", "hint " + Hex.of(hint)))));
            ranges.add(hint);
            ranges.add(hint + len);
        }
        if (alignedSize != 0) {
            if (paddedResult != 0) {
                tracks.add(new Svg.Track("padded search", List.of(new Svg.Seg(paddedResult, paddedResult + len
                        + alignedSize, "window", "len + " + LeafTableDoc.size(alignedSize)))));
                ranges.add(paddedResult);
                ranges.add(paddedResult + len + alignedSize);
                rows.add(List.of("padded search window (len + " + LeafTableDoc.size(alignedSize) + ")",
                        Hex.of(paddedResult) + " - " + Hex.of(paddedResult + len + alignedSize)));
            } else {
                rows.add(List.of("padded search window (len + " + LeafTableDoc.size(alignedSize) + ")",
                        try0.get("outcome").textValue() + ": the aligned helper declines"));
            }
        }
        Placement plain = Mmap.mmGetUnmappedArea(as, hint, len, r.pgoff(), r.flags());
        if (!plain.isError()) {
            tracks.add(new Svg.Track("plain search", List.of(new Svg.Seg(plain.address(), plain.address() + len, "plain",
                    "plain " + Hex.of(plain.address())))));
            ranges.add(plain.address());
            ranges.add(plain.address() + len);
        }
        rows.add(List.of("plain search (no alignment) would give", plain.describe()));
        Placement p = q.placement();
        rows.add(List.of("do_mmap answers", p.describe()));
        rows.add(List.of("aligned helper", alignedSize == 0 ? "not called" : alignedResult == 0 ? "declined (0)"
                : Hex.of(alignedResult)));
        if (!p.isError()) {
            long start = p.address();
            tracks.add(new Svg.Track("result", List.of(new Svg.Seg(start, start + len, "result", Hex.of(start)))));
            ranges.add(start);
            ranges.add(start + len);
            overview.add(new Svg.Seg(start, start + len, "result", ""));
            // the leaf a fault can get: an aligned PMD block inside the VMA whose file offset (anonymous
            // memory: any) is PMD-aligned; the same rule as the huge fault's, asked of VfioFault
            long within = r.file() == io.pfnmap.mm.FileKind.ANON ? start : r.pgoff() * page;
            long[] leaves = {cfg.pmdSize(), page};
            List<long[]> runs = leafRuns(start, start + len, a -> VfioFault.faultSize(start, start + len, within, 0, a,
                    leaves, true), cfg.pmdSize(), page);
            tracks.add(new Svg.Track("THP leaves", leafSegs(Arch.X86_64.config(), runs)));
            rows.add(List.of("leaves a THP can map", runsText(runs)));
            rows.add(List.of("(addr - pgoff * PAGE_SIZE) mod PMD_SIZE", Hex.of(Long.remainderUnsigned(start
                    - r.pgoff() * page, cfg.pmdSize()))));
        }
        long[] z = zoom(top, ranges.stream().mapToLong(Long::longValue).toArray());
        String svg = Svg.picture(title, top, overview, z[0], z[1], tracks, notes);
        return new Example(id, title, prose, line, q.answer(), id + ".svg", svg, List.of("what", "value"), rows);
    }

    /** The mm examples of the issue, in order. */
    public static List<Example> mm() {
        List<Example> out = new ArrayList<>();
        long m4 = 4L << 20;
        out.add(mmExample("anon-topdown", "Anonymous 4 MiB (a 2 MiB multiple), top-down",
                "No hint and a PMD-multiple length: `__get_unmapped_area` sends anonymous memory to the THP helper, "
                        + "which searches len + PMD_SIZE top-down and keeps the padding below an aligned start.",
                mmapLine("anon-topdown", X86, process(), "anon", 0, m4, 0, PRIVATE_ANON)));
        out.add(mmExample("anon-legacy", "Anonymous 4 MiB, legacy (bottom-up) layout",
                "The same request with `setarch -L`: the search runs bottom-up from mmap_legacy_base; the aligned "
                        + "start is the first PMD boundary inside the padded window.",
                mmapLine("anon-legacy", X86_LEGACY, process(), "anon", 0, m4, 0, PRIVATE_ANON)));
        out.add(mmExample("ext4-odd-pgoff", "An ext4 file, 6 MiB at the odd pgoff 3",
                "ext4's hook is `thp_get_unmapped_area`: the start is chosen congruent to the file offset "
                        + "(3 pages) modulo PMD_SIZE, so each PMD-aligned block of the file maps to a PMD-aligned "
                        + "virtual block; the first and last partial blocks take base pages.",
                mmapLine("ext4-odd-pgoff", X86, process(), "thp_file", 0, 6L << 20, 3, SHARED)));
        out.add(mmExample("hint-taken", "A hint taken: ext4 file 4 MiB at hint 0x600000000000",
                "The hint is free even with its PMD padding: the aligned helper returns it as it is (a free hint "
                        + "is never moved to align it).",
                mmapLine("hint-taken", X86, process(), "thp_file", 0x600000000000L, m4, 0, SHARED)));
        out.add(mmExample("hint-refused", "A hint refused: 2 MiB anonymous at a hint inside ld.so",
                "The hint overlaps a VMA: it is not taken, and with a hint the anonymous THP path does not run: "
                        + "the plain top-down search places the mapping.",
                mmapLine("hint-refused", X86, process(), "anon", 0x7ffff7fd0000L, 2L << 20, 0, PRIVATE_ANON)));
        return out;
    }

    // ---- the VFIO examples ----

    /** One design's row of a VFIO example's table. */
    public static List<String> designRow(VfioOutcome o) {
        return List.of(o.policy().id(), o.result().describe(), leavesText(o), Long.toString(o.faults()),
                o.result().isError() ? "-" : LeafTableDoc.size(o.padding()), o.failedWherePlainSucceeds()
                        ? "FAILED where plain succeeds" : "ok");
    }

    /** Leaves of an outcome, largest first: {@code 16x1G + 2x2M}; "-" for an error. */
    public static String leavesText(VfioOutcome o) {
        return io.pfnmap.vfio.Compare.leaves(o, LeafTableDoc::size);
    }

    public static final List<String> DESIGN_HEAD = List.of("design", "result", "leaves", "faults", "padding",
            "best-effort");

    /** A BAR mapping under every design: one table, one picture per design. */
    static List<Example> vfioExample(String id, String title, String prose, ArchConfig arch, long bar, long len,
            List<Vma> vmas, String mm) {
        long page = arch.pageSize();
        long pgoff = (1L << 40) / page; // BAR1, from its start
        String line = mmapLine(id, mm, vmas, "device", 0, len, pgoff, SHARED);
        Asked q = ask(line);
        AddressSpace as = q.space();
        VfioDevice dev = VfioDevice.of(VfioRegion.bar(BAR, bar, true));
        List<List<String>> rows = new ArrayList<>();
        List<VfioOutcome> outs = new ArrayList<>();
        for (VfioPolicy p : VfioPolicy.values()) {
            VfioOutcome o = VfioMapping.outcome(as, arch, dev, p, q.request(), true);
            outs.add(o);
            rows.add(designRow(o));
        }
        List<Example> out = new ArrayList<>();
        long[] pfnLeaves = arch.pfnmapLeafSizesDescending();
        long smallestHuge = pfnLeaves.length > 1 ? pfnLeaves[pfnLeaves.length - 2] : 0;
        long top = as.config().taskSize();
        boolean nopfnmap = arch.id().endsWith("-nopfnmap");
        String archMm = nopfnmap ? mm.replace(arch.id(), arch.id().substring(0, arch.id().length() - "-nopfnmap".length()))
                : mm;
        for (VfioOutcome o : outs) {
            // the same mmap asked of the oracle as a VFIO-PCI request under this design; its answer
            // must be the outcome's result, or generation fails
            String file = "{\"vfio_pci\":{\"bars\":[{\"index\":" + BAR + ",\"size\":\"" + Hex.of(bar) + "\"}],"
                    + "\"policy\":\"" + o.policy().id() + "\"" + (nopfnmap ? ",\"huge_pfnmap\":false" : "") + "}}";
            String vline = mmapLine(id + "-" + o.policy().id(), archMm, vmas, null, 0, len, pgoff, SHARED)
                    .replace("\"file\":\"null\"", "\"file\":" + file);
            String vanswer = new Oracle().answer(vline);
            JsonNode vres = tree(vanswer).get("result");
            boolean agrees = o.result().isError() ? vres == null
                    : vres != null && vres.isTextual() && vres.textValue().equalsIgnoreCase(Hex.of(o.result().address()));
            if (!agrees) {
                throw new IllegalStateException("the oracle's answer " + vanswer + " to " + vline
                        + " differs from vfio-model's " + o.result());
            }
            List<Svg.Seg> vmaSegs = vmaSegs(as);
            List<Svg.Seg> overview = new ArrayList<>(vmaSegs);
            List<Svg.Track> tracks = new ArrayList<>();
            tracks.add(new Svg.Track("VMAs, guard gaps", vmaSegs));
            List<Long> ranges = new ArrayList<>();
            long alen = Arith.alignUp(len, page);
            if (!o.plain().isError()) {
                tracks.add(new Svg.Track("plain (design none)", List.of(new Svg.Seg(o.plain().address(),
                        o.plain().address() + alen, "plain", Hex.of(o.plain().address())))));
                ranges.add(o.plain().address());
                ranges.add(o.plain().address() + alen);
            }
            // what the design searched: its padded windows, or QEMU's / cloud-hypervisor's reservation
            List<Svg.Seg> searched = DesignsDoc.searchedSegs(io.pfnmap.vfio.VfioExplanation.of(as, arch, dev,
                    o.policy(), q.request()), alen);
            if (!searched.isEmpty()) {
                tracks.add(new Svg.Track("searched (" + o.policy().id() + ")", searched));
                for (Svg.Seg g : searched) {
                    ranges.add(g.start());
                    ranges.add(g.end());
                }
            }
            List<String> notes = new ArrayList<>();
            notes.add(o.policy().id() + ": " + o.policy().summary());
            if (o.result().isError()) {
                notes.add("result: " + o.result().describe());
            } else {
                long start = o.result().address();
                tracks.add(new Svg.Track("result (" + o.policy().id() + ")", List.of(new Svg.Seg(start, start + alen,
                        "result", Hex.of(start)))));
                overview.add(new Svg.Seg(start, start + alen, "result", ""));
                ranges.add(start);
                ranges.add(start + alen);
                List<long[]> runs = leafRuns(start, start + alen, a -> VfioMapping.faultSize(arch, dev, pgoff, start,
                        start + alen, a, true), smallestHuge, page);
                tracks.add(new Svg.Track("leaves on fault", leafSegs(arch, runs)));
                notes.add("leaves: " + leavesText(o) + "; faults " + o.faults() + "; address space spent beside the "
                        + "mapping: " + LeafTableDoc.size(o.padding()));
            }
            if (ranges.isEmpty()) {
                ranges.add(as.config().mmapBase() - alen);
                ranges.add(as.config().mmapBase());
            }
            long[] z = zoom(top, ranges.stream().mapToLong(Long::longValue).toArray());
            String name = id + "-" + o.policy().id() + ".svg";
            String svg = Svg.picture(title + " - " + o.policy().id(), top, overview, z[0], z[1], tracks, notes);
            out.add(new Example(id + "-" + o.policy().id(), title + ": " + o.policy().id(), o.policy().summary(),
                    vline, vanswer, name, svg, null, null));
        }
        out.add(0, new Example(id, title, prose, line, q.answer(), null, null, DESIGN_HEAD, rows));
        return out;
    }

    /** Where an x86_64/arm64 request's mm member names the configuration. */
    static String mmOf(ArchConfig a) {
        return "{\"arch\":\"" + a.id() + "\"}";
    }

    /**
     * The VFIO examples: a 16 GiB BAR on x86_64, arm64 4K and arm64 64K; a crowded space on x86_64
     * (alignment gives way); a 64 KiB BAR (no over-alignment). Each list starts with the table
     * example, followed by one picture per design.
     */
    public static List<List<Example>> vfio() {
        List<List<Example>> out = new ArrayList<>();
        long g16 = 16L << 30;
        for (ArchConfig a : List.of(Arch.X86_64.config(), Arch.ARM64_4K.config(), Arch.ARM64_64K.config())) {
            String mm = mmOf(a);
            AddressSpace c = configOnly(mm);
            out.add(vfioExample("bar16g-" + a.id(), "16 GiB BAR, whole, " + a.id(),
                    "BAR1 of 16 GiB mapped whole (pgoff at region 1) in an empty process (only its stack), under "
                            + "each design. pfnmap leaves of " + a.id() + ": "
                            + LeafTableDoc.sizes(a.pfnmapLeafSizesDescending()) + ".",
                    a, g16, g16, emptyProcess(c), mm));
        }
        ArchConfig x86 = Arch.X86_64.config();
        AddressSpace c = configOnly(mmOf(x86));
        long pmd = c.config().pmdSize();
        long page = c.config().pageSize();
        out.add(vfioExample("crowded-pmd", "16 GiB BAR in a crowded space: a hole of len + 2 MiB + 4 KiB",
                "Everything from mmap_min_addr to mmap_base is mapped except one hole: a 1 GiB-padded search "
                        + "cannot fit, a 2 MiB-padded one can. Alignment must give way, from PUD to PMD or to none; "
                        + "no design may fail where the plain search succeeds.",
                x86, g16, g16, crowded(c, g16 + pmd + page), mmOf(x86)));
        out.add(vfioExample("crowded-tight", "16 GiB BAR in a tight hole: len + 4 KiB",
                "Only the plain search fits: every design must fall back to it (best-effort).",
                x86, g16, g16, crowded(c, g16 + page), mmOf(x86)));
        out.add(vfioExample("bar64k", "64 KiB BAR on x86_64",
                "A BAR smaller than any huge leaf: a design must not align it to 2 MiB or 1 GiB (no "
                        + "over-alignment); only base pages can map it.",
                x86, 64L << 10, 64L << 10, emptyProcess(c), mmOf(x86)));
        return out;
    }
}
