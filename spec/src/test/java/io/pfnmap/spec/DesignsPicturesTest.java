package io.pfnmap.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.Vma;
import io.pfnmap.verification.oracle.Jsons;
import io.pfnmap.verification.oracle.Oracle;
import io.pfnmap.vfio.VfioDevice;
import io.pfnmap.vfio.VfioPolicy;
import io.pfnmap.vfio.VfioRegion;
import io.pfnmap.vfio.VfioSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The designs page's placement pictures show what each design searched (the padded window, the
 * userspace reservation) and where it landed, at the ranges the oracle reports for the same mmap.
 */
class DesignsPicturesTest {
    private static final long G = 1L << 30;
    private static final long G16 = 16 * G;
    private static final long M2 = 2L << 20;
    private static final ArchConfig X86 = Arch.X86_64.config();
    private static final String MM = "{\"arch\":\"x86_64\"}";
    private static final Pattern TITLE = Pattern.compile("<title>([^<]*) \\[0x([0-9a-f]+), 0x([0-9a-f]+)\\)</title>");

    /** The ranges of the picture's segments whose tooltip starts with {@code prefix}, as {start, end}. */
    static List<long[]> ranges(String svg, String prefix) {
        List<long[]> out = new ArrayList<>();
        Matcher m = TITLE.matcher(svg);
        while (m.find()) {
            if (m.group(1).startsWith(prefix)) {
                out.add(new long[] {Long.parseUnsignedLong(m.group(2), 16), Long.parseUnsignedLong(m.group(3), 16)});
            }
        }
        return out;
    }

    static VfioSplit.Scenario bar() {
        return new VfioSplit.Scenario("bar16g", "16 GiB BAR1", VfioDevice.of(VfioRegion.bar(1, G16, true)),
                com.google.common.collect.ImmutableList.of(new VfioSplit.Area(1, 0, G16)));
    }

    /** The oracle's explained answer to the 16 GiB BAR's mmap under {@code policy} in {@code vmas}. */
    static JsonNode oracle(List<Vma> vmas, VfioPolicy policy) throws Exception {
        String line = Examples.mmapLine("p", MM, vmas, null, 0, G16, (1L << 40) / 4096, "[\"MAP_SHARED\"]")
                .replace("\"file\":\"null\"", "\"file\":{\"vfio_pci\":{\"bars\":[{\"index\":1,\"size\":\"0x400000000\"}],"
                        + "\"policy\":\"" + policy.id() + "\"}}");
        return Jsons.MAPPER.readTree(new Oracle().answer(line));
    }

    static long hex(JsonNode n) {
        return Long.parseUnsignedLong(n.textValue().substring(2), 16);
    }

    static AddressSpace space(List<Vma> vmas) {
        return Examples.ask(Examples.mmapLine("s", MM, vmas, "anon", 0, 4096, 0,
                "[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]")).space();
    }

    @Test
    void emptySpaceShowsThePaddedWindowAndTheReservations() throws Exception {
        List<Vma> vmas = Examples.emptyProcess(Examples.configOnly(MM));
        String svg = DesignsDoc.placements("t.svg", "t", space(vmas), X86, bar()).svg();
        // order-hint: one padded search of len + 1 GiB, where the oracle says it ran, and the mapping
        // inside it at a 1 GiB boundary
        List<long[]> win = ranges(svg, "order-hint: searched: padded search len + 1G");
        assertEquals(1, win.size(), svg);
        JsonNode oh = oracle(vmas, VfioPolicy.ORDER_HINT);
        assertEquals(hex(oh.get("explain").get("tries").get(0).get("padded_result")), win.get(0)[0]);
        assertEquals(G16 + G, win.get(0)[1] - win.get(0)[0]);
        List<long[]> mapped = ranges(svg, "order-hint: mapped: 16 x 1G");
        assertEquals(1, mapped.size(), svg);
        assertEquals(hex(oh.get("result")), mapped.get(0)[0]);
        assertEquals(0, mapped.get(0)[0] % G);
        assertTrue(mapped.get(0)[0] >= win.get(0)[0] && mapped.get(0)[1] <= win.get(0)[1]);
        // QEMU and cloud-hypervisor: the reservation of len + 1 GiB, the oracle's, and the mapping at
        // its first 1 GiB boundary
        for (VfioPolicy p : List.of(VfioPolicy.QEMU, VfioPolicy.CLOUD_HYPERVISOR)) {
            List<long[]> res = ranges(svg, p.id() + ": searched: reservation len + 1G");
            assertEquals(1, res.size(), p.id());
            JsonNode a = oracle(vmas, p);
            assertEquals(hex(a.get("explain").get("reservation")), res.get(0)[0], p.id());
            assertEquals(G16 + G, res.get(0)[1] - res.get(0)[0]);
            long at = ranges(svg, p.id() + ": mapped: 16 x 1G").get(0)[0];
            assertEquals((res.get(0)[0] + G - 1) / G * G, at, p.id());
            assertEquals(hex(a.get("result")), at, p.id());
        }
        // the plain design searched nothing padded
        assertTrue(ranges(svg, "none: searched").isEmpty());
    }

    @Test
    void crowdedSpaceShowsThePmdWindowAndTheFailedReservations() throws Exception {
        AddressSpace crowded = io.pfnmap.vfio.Compare.crowded(io.pfnmap.vfio.Compare.mmFor(X86), G16);
        String svg = DesignsDoc.placements("t.svg", "t", crowded, X86, bar()).svg();
        // the 1 GiB-padded search cannot fit in the hole: order-hint's only window is the 2 MiB one
        assertTrue(ranges(svg, "order-hint: searched: padded search len + 1G").isEmpty(), svg);
        List<long[]> win = ranges(svg, "order-hint: searched: padded search len + 2M");
        assertEquals(1, win.size(), svg);
        assertEquals(G16 + M2, win.get(0)[1] - win.get(0)[0]);
        // no reservation fits: QEMU maps plainly, cloud-hypervisor fails and maps nothing
        assertTrue(ranges(svg, "qemu: searched").isEmpty());
        assertFalse(ranges(svg, "qemu: mapped").isEmpty());
        assertTrue(ranges(svg, "cloud-hypervisor: searched").isEmpty());
        assertTrue(ranges(svg, "cloud-hypervisor: mapped").isEmpty());
        assertTrue(svg.contains("cloud-hypervisor: reservation ENOMEM; area 0 ENOMEM;"), svg);
    }

    @Test
    void splitBarPictureShowsEveryArea() {
        VfioSplit.Scenario gpu = VfioSplit.scenarios(4096, false).get(0);
        AddressSpace as = io.pfnmap.vfio.Compare.empty(io.pfnmap.vfio.Compare.mmFor(X86));
        String svg = DesignsDoc.placements("t.svg", "t", as, X86, gpu).svg();
        // QEMU reserves once per area: as many reservations as areas (all fit in an empty space)
        assertEquals(gpu.areas().size(), ranges(svg, "qemu: searched: reservation").size(), svg);
        // the piece after the MSI-X table starts 0xb91000 into BAR0 and is 0x46f000 bytes (4 KiB times
        // an odd number): QEMU reserves 4 KiB of slack for it, cloud-hypervisor the next power of two
        // above it, 8 MiB
        long afterTable = gpu.areas().get(1).len();
        assertEquals(0x46f000L, afterTable);
        List<long[]> q = ranges(svg, "qemu: searched: reservation len + 4K");
        assertEquals(1, q.size(), svg);
        assertEquals(afterTable + 0x1000, q.get(0)[1] - q.get(0)[0]);
        List<long[]> ch = ranges(svg, "cloud-hypervisor: searched: reservation len + 8M");
        assertEquals(1, ch.size(), svg);
        assertEquals(afterTable + (8L << 20), ch.get(0)[1] - ch.get(0)[0]);
    }

    /** The designs page says where cloud-hypervisor's row comes from (file and function) and how it differs from QEMU's. */
    @Test
    void designsPageStatesCloudHypervisorsSource() {
        Doc d = new Doc("designs.html", "The designs compared");
        DesignsDoc.write(d, List.of());
        String md = d.markdown();
        for (String fact : List.of("pci/src/mmap.rs", "allocate_aligned_mapping", "find_alignment", "pci/src/vfio.rs",
                "no fallback", "64 KiB against 16 MiB")) {
            assertTrue(md.contains(fact), fact);
        }
        assertEquals(io.pfnmap.vfio.core.VfioDesigns.chAlign(0xb90000L, 4096), 16L << 20);
        assertEquals(io.pfnmap.vfio.core.VfioDesigns.qemuAlign(0xb90000L), 64L << 10);
    }

    /** The examples page's per-design pictures carry the same windows and reservations. */
    @Test
    void theExamplesPicturesShowTheWindowAndTheReservation() throws Exception {
        List<Vma> vmas = Examples.emptyProcess(Examples.configOnly(MM));
        List<Examples.Example> x86 = Examples.vfio().get(0);
        String oh = x86.stream().filter(e -> e.id().endsWith("-order-hint")).findFirst().orElseThrow().svg();
        List<long[]> win = ranges(oh, "searched (order-hint): padded search len + 1G");
        assertEquals(1, win.size(), oh);
        assertEquals(hex(oracle(vmas, VfioPolicy.ORDER_HINT).get("explain").get("tries").get(0).get("padded_result")),
                win.get(0)[0]);
        String qemu = x86.stream().filter(e -> e.id().endsWith("-qemu")).findFirst().orElseThrow().svg();
        List<long[]> res = ranges(qemu, "searched (qemu): reservation len + 1G");
        assertEquals(1, res.size(), qemu);
        assertEquals(hex(oracle(vmas, VfioPolicy.QEMU).get("explain").get("reservation")), res.get(0)[0]);
        assertEquals(G16 + G, res.get(0)[1] - res.get(0)[0]);
    }
}
