package io.pfnmap.verification.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.vfio.Compare;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The script's other commands: compare (table and JSON), vectors, usage errors. */
class OracleCommandsTest {
    @TempDir
    Path tmp;

    static String[] run(String... args) throws Exception {
        Path script = Path.of("../../oracle").toAbsolutePath().normalize();
        if (!Files.isExecutable(script) || !Files.isDirectory(Path.of("../../vfio-model/target/classes"))
                || !Files.isDirectory(Path.of("target/lib"))) {
            String reason = "./oracle or the build output it runs is missing (run inside the reactor build)";
            System.out.println("SKIPPED oracle commands: " + reason);
            Assumptions.abort(reason);
        }
        List<String> cmd = new ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] err = new byte[0];
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        return new String[] {String.valueOf(p.exitValue()), out, new String(err, StandardCharsets.UTF_8)};
    }

    @Test
    void compareTableAndJsonHaveEveryRow() throws Exception {
        int rows = Compare.rows().size();
        String[] table = run("compare");
        assertEquals("0", table[0], table[2]);
        List<String> t = table[1].lines().toList();
        assertEquals(rows + 1, t.size(), "a header and one line per row");
        assertTrue(t.get(0).startsWith("arch") && t.get(0).contains("best-effort"));
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        Compare.print(new PrintStream(direct, true, StandardCharsets.UTF_8), Compare.rows());
        assertEquals(direct.toString(StandardCharsets.UTF_8), table[1], "the command prints vfio-model's Compare");
        String[] json = run("compare", "--json");
        assertEquals("0", json[0]);
        List<String> j = json[1].lines().toList();
        assertEquals(rows, j.size());
        for (String line : j) {
            com.fasterxml.jackson.databind.JsonNode o = Jsons.MAPPER.readTree(line);
            for (String m : new String[] {"arch", "bar_size", "within", "len", "space", "policy", "leaves", "faults",
                "padding", "failed_where_plain_succeeds"}) {
                assertTrue(o.get(m) != null, m + " in " + line);
            }
            assertTrue(o.get("result") != null || o.get("error") != null, line);
            assertEquals(o.get("result") != null, o.get("huge_fault_calls") != null, "calls of a placed mapping: " + line);
        }
        System.out.println("compare: " + rows + " rows, table and JSON");
    }

    @Test
    void vectorsAndUsageErrors() throws Exception {
        String[] v = run("vectors", "--seed", "5", "--out", tmp.toString(), "--random", "10");
        assertEquals("0", v[0], v[2]);
        assertTrue(Files.size(tmp.resolve("pfnmap_vectors.json")) > 0 && Files.size(tmp.resolve("pfnmap_vectors.h")) > 0);
        assertEquals("2", run("vectors", "--out", tmp.toString())[0], "--seed is required");
        String[] bad = run("frobnicate");
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("unknown command") && bad[2].contains("usage"), bad[2]);
        assertEquals("2", run("compare", "--xml")[0]);
        String[] help = run("help");
        assertEquals("0", help[0]);
        for (String c : new String[] {"serve", "bench", "compare", "vectors", "generate", "flat"}) {
            assertTrue(help[1].contains(c), "help names " + c);
        }
    }
}
