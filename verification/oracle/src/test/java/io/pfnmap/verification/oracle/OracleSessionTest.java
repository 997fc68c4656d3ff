package io.pfnmap.verification.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.Mmap;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.VmaFlag;
import io.pfnmap.mm.VmaRanges;
import io.pfnmap.mm.core.MapFlags;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sessions (docs/oracle.md): a space of vm.max_map_count VMAs is reachable over lines within the
 * 1 MiB limit; replaying mmaps and munmaps through a session answers as lines that each carry the
 * space; refused lines leave the space as it was; spaces are independent.
 */
class OracleSessionTest {
    static final String ANON = "\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]";

    static String vmasJson(List<Vma> vmas) {
        StringBuilder b = new StringBuilder(vmas.size() * 56).append('[');
        for (int i = 0; i < vmas.size(); i++) {
            Vma v = vmas.get(i);
            b.append(i == 0 ? "" : ",").append("{\"start\":\"").append(Hex.of(v.start())).append("\",\"end\":\"")
                    .append(Hex.of(v.end())).append('"');
            if (v.flags().contains(VmaFlag.GROWSDOWN)) {
                b.append(",\"flags\":[\"growsdown\"]");
            }
            b.append('}');
        }
        return b.append(']').toString();
    }

    /** The answers of one stream (one Oracle) to these lines. */
    static List<String> serve(List<String> lines) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Oracle().serve(new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)),
                out);
        List<String> got = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(lines.size(), got.size(), "one answer per line");
        return got;
    }

    /** 65,530 one-page VMAs with one-page holes from 0x10000000, and a stack at the top. */
    static List<Vma> maxMapCount() {
        List<Vma> vmas = new ArrayList<>();
        for (int i = 0; i < 65_529; i++) {
            long s = 0x10000000L + i * 0x2000L;
            vmas.add(Vma.of(s, s + 0x1000));
        }
        vmas.add(Vma.of(0x7ffffffde000L, 0x7ffffffff000L, VmaFlag.GROWSDOWN));
        return vmas;
    }

    @Test
    void aSpaceOfMaxMapCountVmasIsSentInLinesUnderTheLimit() throws Exception {
        List<Vma> all = maxMapCount();
        assertTrue(vmasJson(all).length() > Oracle.MAX_LINE_BYTES, "one line could not carry it");
        List<String> lines = new ArrayList<>();
        int chunk = 16_384;
        for (int from = 0; from < all.size(); from += chunk) {
            String vmas = vmasJson(all.subList(from, Math.min(all.size(), from + chunk)));
            lines.add(from == 0 ? "{\"id\":" + from + ",\"op\":\"space\",\"space\":\"big\",\"vmas\":" + vmas + "}"
                    : "{\"id\":" + from + ",\"op\":\"space\",\"space\":\"big\",\"vmas\":" + vmas + ",\"append\":true}");
        }
        // a hint in the middle of the VMAs, a PMD-sized search, and a MAP_FIXED_NOREPLACE on one of them
        long hint = 0x10000000L + 30_000 * 0x2000L + 0x1000;
        lines.add("{\"id\":\"h\",\"op\":\"mmap\",\"space\":\"big\",\"addr\":\"" + Hex.of(hint) + "\",\"len\":\"0x1000\","
                + ANON + "}");
        lines.add("{\"id\":\"p\",\"op\":\"mmap\",\"space\":\"big\",\"len\":\"0x200000\"," + ANON + "}");
        lines.add("{\"id\":\"n\",\"op\":\"mmap\",\"space\":\"big\",\"addr\":\"0x10002000\",\"len\":\"0x1000\","
                + "\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\",\"MAP_FIXED_NOREPLACE\"]}");
        for (String l : lines) {
            assertTrue(l.length() <= Oracle.MAX_LINE_BYTES, "a line of " + l.length() + " bytes");
        }
        List<String> got = serve(lines);
        int defs = lines.size() - 3;
        assertEquals("{\"id\":" + (defs - 1) * chunk + ",\"space\":\"big\",\"vmas\":" + all.size() + "}",
                got.get(defs - 1));
        AddressSpace as = AddressSpace.of(MmConfig.x86_64(), all);
        long anon = MapFlags.MAP_PRIVATE | MapFlags.MAP_ANONYMOUS;
        assertEquals(answer("\"h\"", Mmap.doMmap(as, MmapRequest.anon(hint, 0x1000, anon))), got.get(defs));
        assertEquals(answer("\"p\"", Mmap.doMmap(as, MmapRequest.anon(0, 0x200000, anon))), got.get(defs + 1));
        assertEquals("{\"id\":\"n\",\"error\":\"EEXIST\"}", got.get(defs + 2));
    }

    static String answer(String id, io.pfnmap.mm.Placement p) {
        return p.isError() ? "{\"id\":" + id + ",\"error\":\"" + io.pfnmap.mm.Errnos.name(p.errno()) + "\"}"
                : "{\"id\":" + id + ",\"result\":\"" + Hex.of(p.address()) + "\"}";
    }

    /**
     * A seeded random replay (mmaps with apply, MAP_FIXED among them, and munmaps) through a
     * session answers each mmap exactly as the same request carrying the space, which the test
     * tracks with {@link VmaRanges} from the session's answers; after every line the session holds
     * as many VMAs as the tracked space.
     */
    @Test
    void replayThroughASessionAnswersAsLinesCarryingTheSpace() {
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            List<Vma> vmas = List.of(Vma.of(0x555555554000L, 0x555555559000L),
                    Vma.of(0x7ffffffde000L, 0x7ffffffff000L, VmaFlag.GROWSDOWN));
            String mm = "{\"layout\":\"" + (seed % 2 == 0 ? "legacy" : "topdown") + "\"}";
            Oracle session = new Oracle();
            Oracle carrier = new Oracle();
            assertEquals("{\"id\":0,\"space\":\"s\",\"vmas\":2}", session.answer("{\"id\":0,\"op\":\"space\","
                    + "\"space\":\"s\",\"mm\":" + mm + ",\"vmas\":" + vmasJson(vmas) + "}"));
            List<Long> placed = new ArrayList<>();
            int munmaps = 0;
            int fixed = 0;
            for (int i = 1; i <= 300; i++) {
                long len = (1 + rnd.nextInt(600)) * 0x1000L - (rnd.nextBoolean() ? 0 : 0xfff);
                long pageLen = (len + 0xfff) & ~0xfffL;
                long near = placed.isEmpty() ? 0 : placed.get(rnd.nextInt(placed.size())) + rnd.nextInt(8) * 0x1000L;
                int kind = placed.isEmpty() ? 2 : rnd.nextInt(5); // 0: munmap, 1: MAP_FIXED, else a search
                if (kind == 0) {
                    munmaps++;
                    String line = "{\"id\":" + i + ",\"op\":\"munmap\",\"space\":\"s\",\"addr\":\"" + Hex.of(near)
                            + "\",\"len\":\"" + Hex.of(len) + "\"}";
                    assertEquals("{\"id\":" + i + ",\"result\":\"0x0\"}", session.answer(line), line);
                    vmas = VmaRanges.remove(vmas, near, near + pageLen);
                } else {
                    fixed += kind == 1 ? 1 : 0;
                    String file = kind == 1 || rnd.nextBoolean() ? "\"file\":\"anon\",\"flags\":[\"MAP_PRIVATE\","
                            + "\"MAP_ANONYMOUS\"" + (kind == 1 ? ",\"MAP_FIXED\"" : "") + "]"
                            : "\"file\":\"thp_file\",\"flags\":[\"MAP_SHARED\"]";
                    String body = "\"op\":\"mmap\"," + file + ",\"addr\":\"" + Hex.of(kind == 1 ? near : 0)
                            + "\",\"len\":\"" + Hex.of(len) + "\"}";
                    String line = "{\"id\":" + i + ",\"space\":\"s\",\"apply\":true," + body;
                    String got = session.answer(line);
                    assertEquals(carrier.answer("{\"id\":" + i + ",\"mm\":" + mm + ",\"vmas\":" + vmasJson(vmas) + ","
                            + body), got, line);
                    if (got.contains("\"result\"")) {
                        long r = Long.decode(got.replaceAll(".*\"result\":\"(0x[0-9a-f]+)\".*", "$1"));
                        placed.add(r);
                        vmas = VmaRanges.insert(vmas, Vma.of(r, r + pageLen));
                    }
                }
                // a no-op append answers the VMA count the session holds
                assertEquals("{\"id\":\"c\",\"space\":\"s\",\"vmas\":" + vmas.size() + "}", session.answer(
                        "{\"id\":\"c\",\"op\":\"space\",\"space\":\"s\",\"vmas\":[],\"append\":true}"), "after line " + i);
            }
            assertTrue(munmaps > 20 && fixed > 20, "the replay exercised munmap and MAP_FIXED: " + munmaps + ", " + fixed);
        }
    }

    /** Every refused line and every failed call leaves the space as it was; other spaces are untouched. */
    @Test
    void refusalsAndFailuresChangeNoSpaceAndSpacesAreIndependent() {
        Oracle o = new Oracle();
        String probe = "{\"id\":\"p\",\"op\":\"mmap\",\"space\":\"a\",\"len\":\"0x200000\"," + ANON + "}";
        o.answer("{\"id\":1,\"op\":\"space\",\"space\":\"a\",\"vmas\":[{\"start\":\"0x7ffff7e00000\","
                + "\"end\":\"0x7ffff7fff000\"}]}");
        o.answer("{\"id\":2,\"op\":\"space\",\"space\":\"b\"}");
        String before = o.answer(probe);
        List<String> refused = List.of(
                // invalid lines: a bad flag with apply, an overlapping append, an unknown member, a bad len
                "{\"id\":3,\"op\":\"mmap\",\"space\":\"a\",\"apply\":true,\"len\":\"0x1000\",\"flags\":[\"MAP_HUGETLB\"]}",
                "{\"id\":4,\"op\":\"space\",\"space\":\"a\",\"append\":true,\"vmas\":[{\"start\":\"0x1000\",\"end\":\"0x2000\"}]}",
                "{\"id\":5,\"op\":\"munmap\",\"space\":\"a\",\"addr\":\"0x7ffff7e00000\",\"len\":\"0x1000\",\"x\":1}",
                "{\"id\":6,\"op\":\"munmap\",\"space\":\"a\",\"addr\":\"0x7ffff7e00000\",\"len\":-1}",
                "{\"id\":7,\"op\":\"space\",\"space\":\"a\",\"mm\":{\"arch\":\"nope\"}}",
                // the kernel's refusals: munmap EINVAL, mmap ENOMEM with apply
                "{\"id\":8,\"op\":\"munmap\",\"space\":\"a\",\"addr\":\"0x7ffff7e00800\",\"len\":\"0x1000\"}",
                "{\"id\":9,\"op\":\"mmap\",\"space\":\"a\",\"apply\":true,\"len\":\"0x7ffffffff0000000\"," + ANON + "}",
                // edits of another space
                "{\"id\":10,\"op\":\"mmap\",\"space\":\"b\",\"apply\":true,\"len\":\"0x200000\"," + ANON + "}",
                "{\"id\":11,\"op\":\"space\",\"space\":\"b\",\"drop\":true}");
        // what each line must be answered: the first seven refused or failed, the last two done (in space b)
        List<String> kinds = List.of("invalid", "invalid", "invalid", "invalid", "invalid", "error", "error", "result",
                "dropped");
        for (int i = 0; i < refused.size(); i++) {
            String l = refused.get(i);
            String a = o.answer(l);
            assertTrue(a.contains("\"" + kinds.get(i) + "\""), l + " -> " + a);
            assertEquals(before, o.answer(probe), "after " + l + " (" + a + ")");
        }
        // a space whose task_size passes task_size_max (no kernel's): a fixed range above the bound is refused
        o.answer("{\"id\":13,\"op\":\"space\",\"space\":\"t\",\"mm\":{\"task_size\":\"0x800000000000\"}}");
        assertTrue(o.answer("{\"id\":14,\"op\":\"mmap\",\"space\":\"t\",\"apply\":true,\"addr\":\"0x7ffffffff000\","
                + "\"len\":\"0x1000\",\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\",\"MAP_FIXED\"]}")
                .startsWith("{\"id\":14,\"invalid\":\"apply: "));
        assertEquals("{\"id\":15,\"space\":\"t\",\"vmas\":0}", o.answer("{\"id\":15,\"op\":\"space\",\"space\":\"t\","
                + "\"vmas\":[],\"append\":true}"));
        // and an applied mmap does change the answer
        o.answer("{\"id\":12,\"op\":\"mmap\",\"space\":\"a\",\"apply\":true,\"len\":\"0x200000\"," + ANON + "}");
        assertNotEquals(before, o.answer(probe));
    }

    /** A MAP_FIXED mapping splits the VMA it lands in; munmap of it reopens exactly that hole. */
    @Test
    void fixedMappingsAndMunmapSplitAtTheEdges() {
        Oracle o = new Oracle();
        o.answer("{\"id\":1,\"op\":\"space\",\"space\":\"f\",\"vmas\":[{\"start\":\"0x10000000\",\"end\":\"0x10010000\"}]}");
        String noreplace = "\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\",\"MAP_FIXED_NOREPLACE\"]";
        o.answer("{\"id\":2,\"op\":\"munmap\",\"space\":\"f\",\"addr\":\"0x10004000\",\"len\":\"0x2000\"}");
        assertEquals("{\"id\":3,\"result\":\"0x10004000\"}", o.answer("{\"id\":3,\"op\":\"mmap\",\"space\":\"f\","
                + "\"addr\":\"0x10004000\",\"len\":\"0x2000\"," + noreplace + "}"));
        for (String at : new String[] {"0x10003000", "0x10006000"}) {
            assertEquals("{\"id\":4,\"error\":\"EEXIST\"}", o.answer("{\"id\":4,\"op\":\"mmap\",\"space\":\"f\","
                    + "\"addr\":\"" + at + "\",\"len\":\"0x1000\"," + noreplace + "}"), "the pieces either side stay");
        }
        assertEquals("{\"id\":5,\"space\":\"f\",\"vmas\":2}", o.answer("{\"id\":5,\"op\":\"space\",\"space\":\"f\","
                + "\"vmas\":[],\"append\":true}"));
        o.answer("{\"id\":6,\"op\":\"mmap\",\"space\":\"f\",\"apply\":true,\"addr\":\"0x10002000\",\"len\":\"0x6000\","
                + "\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\",\"MAP_FIXED\"]}");
        assertEquals("{\"id\":7,\"space\":\"f\",\"vmas\":3}", o.answer("{\"id\":7,\"op\":\"space\",\"space\":\"f\","
                + "\"vmas\":[],\"append\":true}"), "0x10000000-0x10002000, the new VMA, 0x10008000-0x10010000");
    }
}
