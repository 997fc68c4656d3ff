package io.pfnmap.verification.live;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pfnmap.mm.Errnos;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.core.Layout;
import io.pfnmap.mm.core.MmState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * hugetlb on the mmap path (issue 25; docs/notes/hugetlb-shmem-facts.md section 2) checked against
 * the running kernel: the recorder's anonymous calls carry MAP_HUGETLB (a quarter of them with
 * MAP_HUGE_2MB or MAP_HUGE_1GB) and its file calls map a file on a hugetlbfs mount this test makes
 * (pagesize=2M, unmounted afterwards), with MAP_NORESERVE in seven of eight file calls and in every
 * anonymous one. Each call goes through the oracle with {@code "mm": {"hugetlb_sizes", ...}} read
 * from /sys/kernel/mm/hugepages (the default, /proc/meminfo's Hugepagesize, first) and {@code
 * "file": {"hugetlbfs": {"page_size"}}}, in both layouts, without {@code mmap_base} (the oracle
 * derives it from the stack rlimit), and must get the kernel's answer. The host must have no huge
 * pages set aside (nr_hugepages and nr_overcommit_hugepages 0 for every size, the kernel's
 * default), so that every reservation fails: the oracle is sent {@code hugepages_available} 0.
 * Four wrong models must each be caught by the same recordings.
 */
class LiveHugetlbTest {
    private static final String WHAT = "live hugetlb conformance";
    private static final int CALLS_PER_RUN = 500;
    private static final Path HUGEPAGES = Paths.get("/sys/kernel/mm/hugepages");

    private record Run(boolean legacy, Recording rec) {
    }

    /** What a model sends: the mm's hstates and how it rewrites a call's request line. */
    private record Sent(List<Long> hstates, UnaryOperator<ObjectNode> edit) {
    }

    @Test
    void hugetlbPlacementMatchesTheKernel() throws Exception {
        LiveTools.skipUnlessLive6_18(WHAT, "gcc", "setarch", "prlimit", "mount", "umount");
        LiveTools.skipUnless(WHAT, Files.isDirectory(HUGEPAGES), HUGEPAGES + " missing (no CONFIG_HUGETLB_PAGE)");
        String reserved = hugePagesSetAside();
        LiveTools.skipUnless(WHAT, reserved == null, "huge pages are set aside (" + reserved + "): the check "
                + "needs every reservation to fail, as with the kernel's default nr_hugepages 0");
        List<Long> hstates = hstates();
        LiveTools.skipUnless(WHAT, hstates.contains(2L << 20), "no 2 MiB hstate");
        Path bin = LiveTools.recorder("hugetlb_recorder");
        Path dir = Paths.get("target", "live", "hugetlbfs").toAbsolutePath();
        Files.createDirectories(dir);
        List<Run> runs = new ArrayList<>();
        try {
            LiveTools.run(List.of("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "pfnmap-hugetlbfs", dir.toString()));
        } catch (AssertionError e) {
            LiveTools.skipUnless(WHAT, false, "cannot mount hugetlbfs (" + e.getMessage() + ")");
        }
        try {
            long seed = 2500;
            for (boolean legacy : new boolean[] {false, true}) {
                for (String stack : new String[] {"8388608", "1073741824", "unlimited"}) {
                    String source = (legacy ? "legacy" : "topdown") + ", stack " + stack;
                    Recording rec = LiveTools.parse(source, LiveTools.run(LiveTools.underRlimit(stack, legacy, bin,
                            Long.toString(seed++), Integer.toString(CALLS_PER_RUN), dir.resolve("f").toString(),
                            "hugetlb")), CALLS_PER_RUN);
                    runs.add(new Run(legacy, rec));
                }
            }
        } finally {
            LiveTools.run(List.of("umount", dir.toString()));
        }
        check(runs, hstates);
    }

    private void check(List<Run> runs, List<Long> hstates) throws IOException {
        long effectiveMin = Math.max(runs.get(0).rec.mmapMinAddrSysctl(), LiveTools.lsmMmapMinAddr());
        boolean rawio = LiveTools.hasCapSysRawio();
        Map<String, Sent> wrong = new LinkedHashMap<>();
        // 6.12's x86 hook rounds the hint down; sent as a hint already rounded down to 2 MiB
        wrong.put("the hint rounded down (6.12's x86 hook)", new Sent(hstates, LiveHugetlbTest::hintRoundedDown));
        wrong.put("a 1 GiB hstate on a CPU without one", new Sent(List.of(2L << 20, 1L << 30), r -> r));
        wrong.put("MAP_HUGETLB ignored (a plain anonymous mapping)", new Sent(hstates, LiveHugetlbTest::dropHugetlb));
        wrong.put("the reservation not checked (as if huge pages were free)", new Sent(hstates,
                r -> addFlag(r, "MAP_NORESERVE")));
        OracleReplay oracle = new OracleReplay();
        int total = 0;
        int anon = 0;
        int placed = 0;
        Map<String, Integer> errors = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        Map<String, Integer> caught = new LinkedHashMap<>();
        for (Run r : runs) {
            Recording rec = r.rec;
            boolean compat = (rec.personality() & Recording.ADDR_COMPAT_LAYOUT) != 0;
            boolean legacy = Layout.mmapIsLegacy(MmState.ARCH_X86_64, compat, rec.legacyVaLayout(), rec.stackRlimit());
            for (RecordedCall c : rec.calls()) {
                total++;
                anon += c.file() ? 0 : 1;
                if (c.result() < 0 && c.result() >= -4095) {
                    errors.merge(Errnos.name((int) -c.result()), 1, Integer::sum);
                } else {
                    placed++;
                }
                long model = answer(oracle, c, mm(rec, legacy, effectiveMin, rawio, hstates), r2 -> r2);
                if (model != c.result()) {
                    mismatches.add(String.format("%s call %d: %s flags=%s addr=%s len=%s pgoff=%s: kernel %s, "
                            + "oracle %s", c.source(), c.seq(), c.file() ? "file" : "anon", Hex.of(c.flags()),
                            Hex.of(c.addr()), Hex.of(c.len()), Hex.of(c.pgoff()), Hex.of(c.result()), Hex.of(model)));
                }
                for (Map.Entry<String, Sent> w : wrong.entrySet()) {
                    Sent s = w.getValue();
                    if (answer(oracle, c, mm(rec, legacy, effectiveMin, rawio, s.hstates()), s.edit()) != c.result()) {
                        caught.merge(w.getKey(), 1, Integer::sum);
                    }
                }
            }
        }
        System.out.printf("%s: %d calls (%d anonymous MAP_HUGETLB, %d on a hugetlbfs file) in %d runs through the "
                + "oracle, %d placed, errors %s, %d mismatches%n", WHAT, total, anon, total - anon, runs.size(), placed,
                errors, mismatches.size());
        LiveTools.reportAndAssertNoMismatch(WHAT, total, mismatches, wrong.keySet(), caught);
        assertTrue(placed > total / 4, "too few calls placed (" + placed + "): the runs check little placement");
        LiveTools.assertEveryVariantCaught("model", wrong.keySet(), caught);
    }

    /** The oracle's answer to the call's request line after {@code edit}. */
    private static long answer(OracleReplay oracle, RecordedCall c, ObjectNode mm, UnaryOperator<ObjectNode> edit)
            throws IOException {
        ObjectNode file = OracleReplay.JSON.createObjectNode();
        file.putObject("hugetlbfs").put("page_size", Hex.of(2L << 20));
        ObjectNode line = (ObjectNode) OracleReplay.JSON.readTree(OracleReplay.line(c, mm, file));
        return oracle.answerLine(c, OracleReplay.JSON.writeValueAsString(edit.apply(line)));
    }

    private static ObjectNode hintRoundedDown(ObjectNode r) {
        long addr = Long.parseUnsignedLong(r.get("addr").asText().substring(2), 16);
        if (addr != 0 && !hasFlag(r, "MAP_FIXED") && !hasFlag(r, "MAP_FIXED_NOREPLACE")) {
            r.put("addr", Hex.of(addr & -(2L << 20)));
        }
        return r;
    }

    private static boolean hasFlag(ObjectNode r, String name) {
        for (JsonNode f : r.get("flags")) {
            if (f.asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode dropHugetlb(ObjectNode r) {
        ArrayNode flags = OracleReplay.JSON.createArrayNode();
        for (JsonNode f : r.get("flags")) {
            if (!f.asText().startsWith("MAP_HUGE")) {
                flags.add(f);
            }
        }
        r.set("flags", flags);
        return r;
    }

    private static ObjectNode addFlag(ObjectNode r, String name) {
        if (!hasFlag(r, name)) {
            ((ArrayNode) r.get("flags")).add(name);
        }
        return r;
    }

    private static ObjectNode mm(Recording rec, boolean legacy, long effectiveMin, boolean rawio, List<Long> hstates) {
        ObjectNode mm = LiveTools.recordedMm(rec, legacy, effectiveMin, rawio);
        ArrayNode sizes = mm.putArray("hugetlb_sizes");
        hstates.forEach(h -> sizes.add(Hex.of(h)));
        mm.put("hugepages_available", 0);
        return mm;
    }

    /** The kernel's hstates, the default (/proc/meminfo Hugepagesize) first. */
    static List<Long> hstates() throws IOException {
        long dflt = 0;
        for (String l : Files.readAllLines(Paths.get("/proc/meminfo"))) {
            if (l.startsWith("Hugepagesize:")) {
                dflt = Long.parseLong(l.replaceAll("[^0-9]", "")) << 10;
            }
        }
        List<Long> sizes = new ArrayList<>();
        sizes.add(dflt);
        try (var dirs = Files.newDirectoryStream(HUGEPAGES, "hugepages-*kB")) {
            for (Path d : dirs) {
                long s = Long.parseLong(d.getFileName().toString().replaceAll("[^0-9]", "")) << 10;
                if (s != dflt) {
                    sizes.add(s);
                }
            }
        }
        return sizes;
    }

    /** null when no size has huge pages set aside, else the first that has. */
    private static String hugePagesSetAside() throws IOException {
        try (var dirs = Files.newDirectoryStream(HUGEPAGES, "hugepages-*kB")) {
            for (Path d : dirs) {
                for (String k : new String[] {"nr_hugepages", "nr_overcommit_hugepages"}) {
                    String v = Files.readString(d.resolve(k)).trim();
                    if (!v.equals("0")) {
                        return d.getFileName() + "/" + k + " = " + v;
                    }
                }
            }
        }
        return null;
    }
}
