package io.pfnmap.verification.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.Hex;
import io.pfnmap.mm.MmConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oracle vectors}: the same seed gives byte-identical files; every flag and every u64
 * edge value of every configuration is present; every expected answer is what the oracle
 * answers for the case's request; every flag agrees with the protocol's own explanation of the
 * case.
 */
class VectorsTest {
    static final long SEED = 7;

    @TempDir
    static Path tmp;
    static List<Vectors.Case> cases;
    static JsonNode doc;

    @BeforeAll
    static void write() throws Exception {
        cases = Vectors.write(SEED, 400, tmp.resolve("a"));
        doc = Jsons.MAPPER.readTree(Files.readString(tmp.resolve("a").resolve(Vectors.JSON_FILE)));
    }

    @Test
    void theSameSeedGivesByteIdenticalFilesAndAnotherSeedOthers() throws Exception {
        Vectors.write(SEED, 400, tmp.resolve("b"));
        Vectors.write(SEED + 1, 400, tmp.resolve("c"));
        for (String f : new String[] {Vectors.JSON_FILE, Vectors.HEADER_FILE}) {
            byte[] a = Files.readAllBytes(tmp.resolve("a").resolve(f));
            assertArrayEquals(a, Files.readAllBytes(tmp.resolve("b").resolve(f)), f + " is reproducible");
            assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(tmp.resolve("c").resolve(f))),
                    f + " depends on the seed");
        }
    }

    @Test
    void theJsonHasTheWycheproofShape() {
        assertEquals(Vectors.SCHEMA_VERSION, doc.get("schemaVersion").intValue());
        assertEquals(SEED, doc.get("seed").longValue());
        assertEquals(cases.size(), doc.get("numberOfTests").intValue());
        assertTrue(doc.get("header").isArray() && doc.get("notes").isObject());
        JsonNode groups = doc.get("testGroups");
        int tests = 0;
        Set<String> ids = new HashSet<>();
        for (int g = 0; g < groups.size(); g++) {
            JsonNode group = groups.get(g);
            for (String m : new String[] {"type", "op", "arch", "layout", "mm", "tests"}) {
                assertTrue(group.get(m) != null, "group member " + m);
            }
            JsonNode t = group.get("tests");
            for (int i = 0; i < t.size(); i++) {
                JsonNode c = t.get(i);
                for (String m : new String[] {"tcId", "comment", "flags", "request", "expected", "expected_raw"}) {
                    assertTrue(c.get(m) != null, "case member " + m);
                }
                assertTrue(ids.add(c.get("tcId").asText()), "tcIds are distinct");
                tests++;
            }
        }
        assertEquals(cases.size(), tests);
        System.out.println("vectors: seed " + SEED + ", " + tests + " cases in " + groups.size() + " groups");
    }

    @Test
    void everyFlagAppears() {
        for (String flag : Vectors.NOTES.keySet()) {
            long n = cases.stream().filter(c -> c.flags().contains(flag)).count();
            System.out.println("vectors: " + flag + " " + n);
            assertTrue(n > 0, "some case has " + flag);
        }
    }

    @Test
    void everyEdgeValueOfEveryConfigurationIsAnInput() {
        int checked = 0;
        for (String arch : RequestGenerator.ARCHES) {
            for (boolean topdown : new boolean[] {true, false}) {
                MmConfig c = RequestGenerator.config(arch, topdown);
                String group = " " + arch + " " + (topdown ? "topdown" : "legacy");
                for (Object[] e : RequestGenerator.edgeValues(c)) {
                    String hex = ":\"" + Hex.of((Long) e[1]) + "\"";
                    assertTrue(cases.stream().anyMatch(k -> k.group().endsWith(group) && k.line().contains(hex)),
                            e[0] + " (" + hex + ") is an input of" + group);
                    checked++;
                }
                // fixed addresses in the top 4,095 values, read as error codes
                for (long addr : new long[] {-1L, -4095L}) {
                    String fixed = "\"addr\":\"" + Hex.of(addr) + "\"";
                    assertTrue(cases.stream().anyMatch(k -> k.group().endsWith(group) && k.line().contains(fixed)
                            && k.flags().contains("FIXED_ADDR_IS_ERRNO")), "MAP_FIXED at " + Hex.of(addr) + group);
                }
            }
        }
        assertTrue(cases.stream().anyMatch(k -> k.flags().contains("FILE_OFFSET_AT_LIMIT")));
        System.out.println("vectors: " + checked + " edge values, each an input of its configuration");
    }

    @Test
    void everyExpectedAnswerIsTheOraclesAndEveryFlagAgreesWithItsExplanation() throws Exception {
        Oracle oracle = new Oracle();
        for (Vectors.Case c : cases) {
            String answer = oracle.answer(c.line());
            String body = answer.substring(answer.indexOf(',') + 1);
            String want = c.expected().isError() ? "\"error\":\"" + io.pfnmap.mm.Errnos.name(c.expected().errno()) + "\"}"
                    : "\"result\":\"" + Hex.of(c.expected().address()) + "\"}";
            assertEquals(want, body, "tcId " + c.tcId());
            if (c.line().contains("\"op\":\"unmapped_area\"")) {
                continue;
            }
            String explained = oracle.answer(c.line().substring(0, c.line().length() - 1) + ",\"explain\":true}");
            check(c, "TOPDOWN_PAD_KEPT", explained.contains("top-down, off_sub 0: ret + size"));
            check(c, "LEN_PAD_WRAPS", explained.contains("len + size wraps"));
            check(c, "OFF_LEN_PAD_WRAPS", explained.contains("off + len_pad wraps"));
            check(c, "OFF_END_NOT_PAST_ALIGN", explained.contains("off_end <= off_align"));
            check(c, "PADDED_SEARCH_FAILED", explained.contains("padded search failed"));
            check(c, "HINT_ZERO_DECLINED", explained.contains("returned hint 0"));
            if (c.flags().contains("HINT_TAKEN")) {
                JsonNode a = Jsons.MAPPER.readTree(explained);
                JsonNode e = a.get("explain");
                if (explained.contains("hint free with padding")) {
                    continue; // the aligned helper took the hint (a later check may still fail the mmap)
                }
                assertEquals(e.get("hint").textValue(), a.get("result").textValue(),
                        "HINT_TAKEN: the result is the hint, tcId " + c.tcId());
            }
        }
    }

    private static void check(Vectors.Case c, String flag, boolean explained) {
        assertEquals(explained, c.flags().contains(flag), flag + " of tcId " + c.tcId() + " (" + c.comment() + ")");
    }

    @Test
    void theHeaderHoldsTheSameCases() throws Exception {
        String h = Files.readString(tmp.resolve("a").resolve(Vectors.HEADER_FILE), StandardCharsets.UTF_8);
        assertEquals(cases.size(), h.split("\\{ \\.tc_id = ", -1).length - 1);
        for (Vectors.Case c : cases) {
            assertTrue(h.contains("{ .tc_id = " + c.tcId() + ", "), "tcId " + c.tcId());
        }
        assertTrue(h.contains("#define PFNMAP_VECTORS_SEED " + SEED + "LL"));
    }

    /** The C header's comments are C literals: control bytes and non-ASCII as octal escapes, quotes escaped. */
    @Test
    void theHeadersCommentsAreCStringLiterals() {
        assertEquals("\"plain 0x10 hint\"", Vectors.cString("plain 0x10 hint"));
        assertEquals("\"a\\001b \\\"q\\\" \\\\ \\303\\251\"", Vectors.cString("a\u0001b \"q\" \\ \u00e9"));
        assertEquals("\"\\0121\"", Vectors.cString("\n1"));
    }
}
