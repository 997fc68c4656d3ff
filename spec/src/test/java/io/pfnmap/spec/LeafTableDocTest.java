package io.pfnmap.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeafTableDocTest {
    /** Columns: id, PAGE_SIZE, leaf sizes, contiguous sizes, PMD pfnmap, PUD pfnmap. */
    private static Map<String, String[]> rowsById(String md) {
        Map<String, String[]> rows = new HashMap<>();
        for (String line : md.split("\n")) {
            if (!line.startsWith("| ") || line.startsWith("| id ")) {
                continue;
            }
            String[] cells = line.substring(2, line.length() - 2).split(" \\| ", -1);
            assertEquals(6, cells.length, line);
            rows.put(cells[0], cells);
        }
        return rows;
    }

    /** Readable sizes written out independently of the generator. */
    private static String readable(long bytes) {
        Map<Long, String> names = Map.ofEntries(Map.entry(4096L, "4K"), Map.entry(16384L, "16K"),
                Map.entry(65536L, "64K"), Map.entry(1L << 20, "1M"), Map.entry(2L << 20, "2M"),
                Map.entry(32L << 20, "32M"), Map.entry(512L << 20, "512M"), Map.entry(1L << 30, "1G"),
                Map.entry(2L << 30, "2G"), Map.entry(16L << 30, "16G"));
        String s = names.get(bytes);
        assertNotNull(s, "a size the test does not know: " + bytes);
        return s;
    }

    @Test
    void everyConfigurationAppearsWithItsLeafSizes() {
        Map<String, String[]> rows = rowsById(LeafTableDoc.markdown());
        assertEquals(Arch.allConfigs().size(), rows.size());
        for (ArchConfig c : Arch.allConfigs()) {
            String[] row = rows.get(c.id());
            assertNotNull(row, "missing " + c.id());
            assertEquals(readable(c.pageSize()), row[1], c.id());
            StringBuilder leaves = new StringBuilder();
            for (long size : c.leafSizesDescending()) {
                leaves.append(leaves.length() > 0 ? ", " : "").append(readable(size));
            }
            assertEquals(leaves.toString(), row[2], c.id());
            StringBuilder cont = new StringBuilder();
            for (long size : c.contiguousSizes()) {
                cont.append(cont.length() > 0 ? ", " : "").append(readable(size));
            }
            assertEquals(cont.length() == 0 ? "none" : cont.toString(), row[3], c.id());
            assertEquals(c.pmdPfnmap() ? "yes" : "no", row[4], c.id());
            assertEquals(c.pudPfnmap() ? "yes" : "no", row[5], c.id());
        }
    }

    @Test
    void knownRows() {
        Map<String, String[]> rows = rowsById(LeafTableDoc.markdown());
        String[] x86 = rows.get("x86_64");
        assertEquals("4K", x86[1]);
        assertEquals("1G, 2M, 4K", x86[2]);
        assertEquals("none", x86[3]);
        assertEquals("yes", x86[4]);
        assertEquals("yes", x86[5], "x86_64 has PUD pfnmap");
        String[] arm = rows.get("arm64-4k");
        assertEquals("1G, 2M, 4K", arm[2]);
        assertEquals("32M, 64K", arm[3]);
        assertEquals("yes", arm[4]);
        assertEquals("no", arm[5], "arm64-4k has no PUD pfnmap");
        assertEquals("no", rows.get("x86_64-nopfnmap")[5]);
        assertEquals("2G, 1M, 4K", rows.get("s390x")[2]);
        assertEquals("512M, 64K", rows.get("arm64-64k")[2]);
    }

    @Test
    void sizesAreReadable() {
        assertEquals("4K", LeafTableDoc.size(4096));
        assertEquals("2M", LeafTableDoc.size(2L << 20));
        assertEquals("1G", LeafTableDoc.size(1L << 30));
        assertEquals("16G", LeafTableDoc.size(16L << 30));
        assertEquals("1T", LeafTableDoc.size(1L << 40));
        assertEquals("1536K", LeafTableDoc.size(1536L * 1024));
        assertEquals("100B", LeafTableDoc.size(100));
        assertEquals("none", LeafTableDoc.sizes(new long[0]));
    }

    @Test
    void mainWritesTheFile(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("nested/leaf-sizes.md");
        LeafTableDoc.main(new String[] {out.toString()});
        String written = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(LeafTableDoc.markdown(), written);
        assertTrue(written.contains("| id | PAGE_SIZE | leaf sizes | contiguous sizes | PMD pfnmap | PUD pfnmap |"));
    }
}
