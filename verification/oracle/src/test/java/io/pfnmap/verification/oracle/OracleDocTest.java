package io.pfnmap.verification.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.Hex;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.verification.oracle.RequestGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/oracle.md cannot drift: every {@code ```oracle} block's request lines ({@code > }) are
 * answered by one {@link Oracle#serve} stream and must give exactly the block's answer lines
 * ({@code < }); the per-arch defaults table must be what the parser uses.
 */
class OracleDocTest {
    static final Path DOC = Path.of("../../docs/oracle.md");

    static List<String> doc() throws Exception {
        return Files.readAllLines(DOC, StandardCharsets.UTF_8);
    }

    @Test
    void everyExampleInTheDocGetsTheAnswerShown() throws Exception {
        List<String> lines = doc();
        int blocks = 0;
        int examples = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```oracle")) {
                continue;
            }
            List<String> requests = new ArrayList<>();
            List<String> answers = new ArrayList<>();
            int j = i + 1;
            for (; !lines.get(j).equals("```"); j++) {
                String l = lines.get(j);
                if (l.equals(">") || l.startsWith("> ")) {
                    requests.add(l.length() > 2 ? l.substring(2) : "");
                } else if (l.startsWith("< ")) {
                    answers.add(l.substring(2));
                } else {
                    throw new AssertionError("docs/oracle.md line " + (j + 1) + ": not '> ' or '< ': " + l);
                }
            }
            assertEquals(requests.size(), answers.size(), "block at line " + (i + 1) + ": one answer per request");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new Oracle().serve(new ByteArrayInputStream((String.join("\n", requests) + "\n")
                    .getBytes(StandardCharsets.UTF_8)), out);
            List<String> got = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(answers.size(), got.size(), "block at line " + (i + 1));
            for (int k = 0; k < answers.size(); k++) {
                assertEquals(answers.get(k), got.get(k), "docs/oracle.md block at line " + (i + 1) + ", request "
                        + requests.get(k));
            }
            blocks++;
            examples += requests.size();
            i = j;
        }
        System.out.println("docs/oracle.md: " + examples + " examples in " + blocks + " blocks, all answered as shown");
        assertTrue(examples >= 40, "the doc keeps its examples: " + examples);
    }

    @Test
    void theDefaultsTableIsWhatTheParserUses() throws Exception {
        List<String> lines = doc();
        int start = lines.indexOf("<!-- defaults-table -->");
        int end = lines.indexOf("<!-- /defaults-table -->");
        assertTrue(start >= 0 && end > start + 2, "the defaults table is marked");
        int rows = 0;
        for (String row : lines.subList(start + 3, end)) {
            String[] c = row.split("\\|");
            String arch = c[1].trim();
            MmConfig m = RequestGenerator.config(arch, true);
            long[] want = {m.pageSize(), m.pmdSize(), m.taskSize(), m.taskSizeMax(), m.defaultMapWindow(),
                m.mmapBase(), m.legacyBase(), m.mmapMinAddr(), m.dacMmapMinAddr(), m.stackGuardGap()};
            for (int k = 0; k < want.length; k++) {
                assertEquals(Hex.of(want[k]), c[k + 2].trim(), arch + " column " + (k + 2));
            }
            rows++;
        }
        assertEquals(RequestGenerator.ARCHES.length, rows, "one row per configuration");
    }
}
