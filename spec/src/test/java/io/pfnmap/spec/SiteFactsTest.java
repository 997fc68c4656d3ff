package io.pfnmap.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.VmaFlag;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.verification.oracle.Oracle;
import io.pfnmap.vfio.VfioDevice;
import io.pfnmap.vfio.VfioMapping;
import io.pfnmap.vfio.VfioOutcome;
import io.pfnmap.vfio.VfioPolicy;
import io.pfnmap.vfio.VfioRegion;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * "Generated, never stale": the document the build wrote holds the facts the models compute now,
 * recomputed here on address spaces built independently of the generator.
 */
class SiteFactsTest {
    private static final long G16 = 16L << 30;

    /** An empty process of {@code a}: its stack only, 33 pages below DEFAULT_MAP_WINDOW. */
    private static AddressSpace empty(ArchConfig a) {
        long page = a.pageSize();
        long min = a.id().startsWith("x86") ? 0x10000 : page >= 0x10000 ? 0x10000 : 0x8000;
        long dac = a.id().startsWith("x86") ? 0x1000 : page >= 0x10000 ? 0x10000 : 0x1000;
        MmConfig c = MmConfig.forArch(a, true, MmConfig.DEFAULT_STACK_RLIMIT, min, dac);
        long top = c.defaultMapWindow() - c.defaultMapWindow() % page;
        return AddressSpace.of(c, List.of(Vma.of(top - 33 * page, top, VmaFlag.GROWSDOWN)));
    }

    private static String size(long v) {
        return LeafTableDoc.size(v);
    }

    /** The Markdown row the document must show for one design, formatted here from the outcome. */
    private static String row(VfioOutcome o) {
        StringBuilder leaves = new StringBuilder();
        for (Map.Entry<Long, Long> e : o.leaves().entrySet()) {
            if (e.getValue() > 0) {
                leaves.append(leaves.length() == 0 ? "" : " + ").append(e.getValue()).append('x').append(size(e.getKey()));
            }
        }
        String result = o.result().isError() ? o.result().describe() : Hex.of(o.result().address());
        return "| " + o.policy().id() + " | " + result + " | " + (o.result().isError() ? "-" : leaves) + " | "
                + o.faults() + " | " + (o.result().isError() ? "-" : size(o.padding())) + " | "
                + (o.failedWherePlainSucceeds() ? "FAILED where plain succeeds" : "ok") + " |";
    }

    @Test
    void the16GiBBarRowsAreTheModelsRows() {
        String md = Site.read("spec.md");
        for (ArchConfig a : List.of(Arch.X86_64.config(), Arch.ARM64_4K.config(), Arch.ARM64_64K.config())) {
            AddressSpace as = empty(a);
            VfioDevice dev = VfioDevice.of(VfioRegion.bar(1, G16, true));
            MmapRequest r = MmapRequest.file(FileKind.PLAIN_DEVICE, 0, G16, (1L << 40) / a.pageSize(), MapFlags.MAP_SHARED);
            int found = 0;
            for (VfioPolicy p : VfioPolicy.values()) {
                VfioOutcome o = VfioMapping.outcome(as, a, dev, p, r, true);
                assertTrue(md.contains(row(o)), a.id() + ": the document lacks " + row(o));
                found++;
            }
            assertEquals(VfioPolicy.values().length, found);
        }
    }

    @Test
    void theSeedAnswerNamesTheDesignsWith16PudLeaves() {
        ArchConfig x86 = Arch.X86_64.config();
        AddressSpace as = empty(x86);
        VfioDevice dev = VfioDevice.of(VfioRegion.bar(1, G16, true));
        MmapRequest r = MmapRequest.file(FileKind.PLAIN_DEVICE, 0, G16, (1L << 40) / 4096, MapFlags.MAP_SHARED);
        List<String> pud = new ArrayList<>();
        for (VfioPolicy p : VfioPolicy.values()) {
            if (VfioMapping.outcome(as, x86, dev, p, r, true).leavesOf(1L << 30) == 16) {
                pud.add("`" + p.id() + "`");
            }
        }
        assertTrue(!pud.isEmpty() && pud.size() < VfioPolicy.values().length, "the models give " + pud); // some designs, not all
        String md = Site.read("spec.md");
        assertTrue(md.contains("16 PUD (1 GiB) leaves: " + String.join(", ", pud) + "."), "seed answer: " + pud);
    }

    @Test
    void everyRequestLineGetsTheOraclesAnswerOfThisBuild() {
        String md = Site.read("spec.md");
        String[] lines = md.split("\n");
        int checked = 0;
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("request: ")) {
                String request = lines[i].substring("request: ".length());
                assertTrue(lines[i + 1].startsWith("answer:  "), lines[i + 1]);
                assertEquals(new Oracle().answer(request), lines[i + 1].substring("answer:  ".length()), request);
                checked++;
            }
        }
        // one line per mm example; per VFIO group, the plain device line and one vfio_pci line per design
        int expected = Examples.mm().size() + Examples.vfio().stream().mapToInt(List::size).sum();
        assertEquals(expected, checked, "request lines in the document");
    }

    @Test
    void theContractsAreTheSourcesContracts() throws Exception {
        String md = Site.read("spec.md");
        // each JML line of UnmappedArea#unmappedAreaTopdown, read here straight from the file
        List<String> src = Files.readAllLines(Site.root().resolve(
                "mm-model/src/main/java/io/pfnmap/mm/core/UnmappedArea.java"));
        int decl = -1;
        for (int i = 0; i < src.size(); i++) {
            if (src.get(i).contains("long unmappedAreaTopdown(")) {
                decl = i;
            }
        }
        assertTrue(decl > 0);
        int n = 0;
        for (int i = decl - 1; i >= 0 && !src.get(i).trim().startsWith("*/") && !src.get(i).trim().startsWith("/**"); i--) {
            if (src.get(i).trim().startsWith("@Kernel(")) {
                continue; // the kernel function it stands for, shown on the kernel page, not part of the contract
            }
            assertTrue(md.contains(src.get(i).trim()), "missing contract line: " + src.get(i).trim());
            n++;
        }
        assertTrue(n >= 5, "contract lines checked: " + n);
    }

    @Test
    void theComparisonTablesHoldTheComparesOutcome() {
        String md = Site.read("spec.md");
        for (io.pfnmap.vfio.Compare.Row r : io.pfnmap.vfio.Compare.rows()) {
            if (r.arch().equals("arm64-64k") && r.barSize() == G16 && r.within() == 0 && r.space().equals("empty")) {
                assertTrue(md.contains(DesignsDoc.cell(r.outcome())), r.toString());
                if (r.outcome().policy() == VfioPolicy.ORDER_HINT) {
                    // 16 GiB / 512 MiB PMD leaves of the 64K granule
                    assertEquals(32, r.outcome().leavesOf(512L << 20));
                    assertTrue(md.contains("32x512M / 32 faults"), "arm64-64k order-hint cell");
                }
            }
        }
    }

    @Test
    void pagesAndPicturesAreWritten() throws Exception {
        for (String[] p : SiteGenerator.PAGES) {
            assertTrue(Files.size(Site.dir().resolve(p[0])) > 1000, p[0]);
        }
        long svgs;
        try (var s = Files.list(Site.dir().resolve("img"))) {
            svgs = s.filter(f -> f.toString().endsWith(".svg")).count();
        }
        assertTrue(svgs >= 5 + 5 * 6 + 1, "pictures: " + svgs);
        System.out.println("spec site: " + SiteGenerator.PAGES.size() + " pages, " + svgs + " pictures");
    }
}
