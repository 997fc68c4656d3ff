package io.pfnmap.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proof status is read from the report, and said plainly to be absent when there is none. */
class ProofReportTest {
    @Test
    void absentReportSaysSo(@TempDir Path root) {
        ProofReport r = ProofReport.load(root.resolve("report.json"));
        assertFalse(r.present());
        assertEquals(ProofReport.ABSENT, r.statusOf("io.pfnmap.mm.core.DoMmap", "doMmap"));
    }

    @Test
    void statusesAreRead(@TempDir Path root) throws Exception {
        Path p = root.resolve("report.json");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "[{\"module\":\"mm-model\",\"class\":\"DoMmap\",\"method\":\"doMmap\",\"contract\":\"c0\","
                + "\"status\":\"closed\",\"nodes\":1234,\"millis\":56,\"reason\":\"\"},"
                + "{\"module\":\"mm-model\",\"class\":\"io.pfnmap.mm.core.UnmappedArea\",\"method\":\"unmappedArea\","
                + "\"contract\":\"c0\",\"status\":\"excused\",\"nodes\":60000,\"millis\":9000,\"reason\":\"loop\"},"
                + "{\"module\":\"mm-model\",\"class\":\"AlignedArea\",\"method\":\"thpGetUnmappedAreaVmflags\","
                + "\"contract\":\"c1\",\"status\":\"closed\",\"nodes\":1859,\"millis\":2410,\"reason\":null,"
                + "\"restsOn\":[\"ArchGetUnmappedArea#mmGetUnmappedAreaVmflags normal_behavior.2\"]}]");
        ProofReport r = ProofReport.load(root.resolve("report.json"));
        assertTrue(r.present());
        assertEquals("closed (1234 nodes, 56 ms)", r.statusOf("io.pfnmap.mm.core.DoMmap", "doMmap"));
        assertEquals("excused (60000 nodes, 9000 ms, loop)", r.statusOf("io.pfnmap.mm.core.UnmappedArea", "unmappedArea"));
        assertEquals("no contract of this method in the proof report", r.statusOf("io.pfnmap.mm.core.DoMmap", "x"));
        assertEquals("closed (1859 nodes, 2410 ms, resting on ArchGetUnmappedArea#mmGetUnmappedAreaVmflags"
                + " normal_behavior.2, not closed)", r.statusOf("AlignedArea", "thpGetUnmappedAreaVmflags"));
    }

    /** A property whose contract closes without stating it never shows as a bare "closed". */
    @Test
    void aClosedContractThatDoesNotStateItsPropertySaysSo(@TempDir Path root) throws Exception {
        Path p = root.resolve("report.json");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "[{\"module\":\"mm-model\",\"class\":\"AlignedArea\",\"method\":\"thpGetUnmappedAreaVmflags\","
                + "\"contract\":\"c0\",\"status\":\"closed\",\"nodes\":982,\"millis\":1446,\"reason\":\"\"}]");
        ProofReport r = ProofReport.load(root.resolve("report.json"));
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Catalogue.Property q : Catalogue.PROPERTIES) {
            ids.add(q.id());
        }
        assertTrue(ids.containsAll(Catalogue.NOT_IN_CONTRACT.keySet()), "caveats name catalogue properties");
        Catalogue.Property thp = Catalogue.PROPERTIES.stream().filter(q -> q.id().equals("thp-best-effort")).findFirst()
                .orElseThrow();
        String status = Catalogue.proofStatus(thp, r);
        assertTrue(status.startsWith("closed (982 nodes, 1446 ms); "), status);
        assertTrue(status.contains("trusted"), status);
    }

    @Test
    void malformedReportIsNotProofs(@TempDir Path root) throws Exception {
        Path p = root.resolve("report.json");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "{\"not\":\"a list\"}");
        ProofReport r = ProofReport.load(root.resolve("report.json"));
        assertFalse(r.present());
        assertTrue(r.statusOf("DoMmap", "doMmap").startsWith("proof report unreadable"));
    }

    @Test
    void theBuiltCatalogueShowsTheReportOrItsAbsence() {
        ProofReport r = ProofReport.published();
        // the page renders `code` spans of a reason as <code>: compare without the markup
        String page = Site.read("properties.html").replace("<code>", "").replace("</code>", "");
        for (Catalogue.Property p : Catalogue.PROPERTIES) {
            String status = Doc.esc(r.statusOf(p.coreClass(), p.coreMethod()).replace("`", ""));
            assertTrue(page.contains(status), p.id() + ": " + status);
        }
        if (!r.present()) {
            System.out.println("NOTE spec: " + ProofReport.ABSENT + " (" + ProofReport.PATH + "): the catalogue says so");
        }
    }
}
