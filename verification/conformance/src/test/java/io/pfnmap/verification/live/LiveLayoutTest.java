package io.pfnmap.verification.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pfnmap.arch.Arch;
import io.pfnmap.arch.Search;
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
import org.junit.jupiter.api.Test;

/**
 * The layout computed from the stack rlimit, checked against the running kernel: the recorder
 * runs under {@code prlimit --stack} at 8 MiB, 64 MiB, 127.5 MiB, 1 GiB and unlimited, in the
 * top-down and the legacy layout ({@code setarch -L}: ADDR_COMPAT_LAYOUT), and once with the
 * {@code vm.legacy_va_layout} sysctl set instead, all under {@code setarch -R}. Every call goes
 * through the oracle with {@code "mm": {"layout", "stack_rlimit", ...}} and no {@code mmap_base}:
 * the oracle derives the base (mm-model {@code Layout.mmapBase}, arch/x86/mm/mmap.c
 * {@code mmap_base}) and the layout is the model's {@code Layout.mmapIsLegacy} of what the
 * recorder's ENV line reports. The answers must equal the kernel's, call for call; four wrong
 * layouts must each be caught by the same recordings.
 */
class LiveLayoutTest {
    private static final String WHAT = "live layout conformance";
    private static final int CALLS_PER_RUN = 1000;
    private static final long MIB = 1L << 20;
    /** The stack rlimits, as prlimit takes them, and their values. */
    private static final Map<String, Long> RLIMITS = new LinkedHashMap<>();

    static {
        RLIMITS.put(Long.toString(8 * MIB), 8 * MIB);
        RLIMITS.put(Long.toString(64 * MIB), 64 * MIB);
        // 127.5 MiB: below the 128 MiB floor, but above it once the guard gap is added
        RLIMITS.put(Long.toString(255 * MIB / 2), 255 * MIB / 2);
        RLIMITS.put(Long.toString(1024 * MIB), 1024 * MIB);
        RLIMITS.put("unlimited", Layout.RLIM_INFINITY);
    }

    private static final Path LEGACY_SYSCTL = Paths.get("/proc/sys/vm/legacy_va_layout");

    /** A wrong model of the layout: the mm it sends for a recording, and its name. */
    private interface Variant {
        ObjectNode mm(Recording rec, LiveLayoutTest t);
    }

    private long effectiveMin;
    private boolean rawio;

    /** The request's mm as the model derives it: layout from mmap_is_legacy, mmap_base left out. */
    ObjectNode mm(Recording rec, boolean legacy) {
        return LiveTools.recordedMm(rec, legacy, effectiveMin, rawio);
    }

    static boolean modelLegacy(Recording rec) {
        boolean compat = (rec.personality() & Recording.ADDR_COMPAT_LAYOUT) != 0;
        return Layout.mmapIsLegacy(MmState.ARCH_X86_64, compat, rec.legacyVaLayout(), rec.stackRlimit());
    }

    /** mm/util.c's mmap_base with the padding given (the kernel's is stack_guard_gap). */
    static long baseWithPad(long rlimit, long pad) {
        Search s = Arch.X86_64.config().search().orElseThrow();
        return Layout.mmapBase(s.defaultMapWindow(), rlimit, pad, Arch.X86_64.config().pageSize());
    }

    private static final Map<String, Variant> WRONG = new LinkedHashMap<>();

    static {
        Search s = Arch.X86_64.config().search().orElseThrow();
        long top = s.defaultMapWindow();
        // mmap_base without the guard gap in its padding
        WRONG.put("mmap_base without the guard gap", (rec, t) -> t.mm(rec, modelLegacy(rec))
                .put("mmap_base", Hex.of(baseWithPad(rec.stackRlimit(), 0))));
        // mmap_base with the guard gap added twice
        WRONG.put("mmap_base with the guard gap twice", (rec, t) -> t.mm(rec, modelLegacy(rec))
                .put("mmap_base", Hex.of(baseWithPad(rec.stackRlimit(), 2 * s.stackGuardGap()))));
        // no 128 MiB floor: top - (rlimit + guard gap), capped at 5/6 of the top
        WRONG.put("mmap_base without the 128 MiB floor", (rec, t) -> {
            long gap = rec.stackRlimit() + s.stackGuardGap();
            if (Long.compareUnsigned(gap, rec.stackRlimit()) < 0) {
                gap = rec.stackRlimit();
            }
            long max = top / 6 * 5;
            gap = Long.compareUnsigned(gap, max) > 0 ? max : gap;
            return t.mm(rec, modelLegacy(rec)).put("mmap_base", Hex.of((top - gap + 0xfff) & ~0xfffL));
        });
        // the generic mmap_is_legacy (mm/util.c): an unlimited stack picks the legacy layout
        WRONG.put("generic mmap_is_legacy on x86_64", (rec, t) -> t.mm(rec,
                Layout.mmapIsLegacy(MmState.ARCH_GENERIC, (rec.personality() & Recording.ADDR_COMPAT_LAYOUT) != 0,
                        rec.legacyVaLayout(), rec.stackRlimit())));
    }

    @Test
    void layoutFromTheStackRlimitMatchesTheKernel() throws Exception {
        LiveTools.skipUnlessLive6_18(WHAT, "gcc", "setarch", "prlimit");
        LiveTools.skipUnless(WHAT, LiveTools.hardStackUnlimited(),
                "the hard RLIMIT_STACK is not unlimited, so an unlimited soft limit cannot be set");
        Path bin = LiveTools.recorder("layout_recorder");
        Path data = Paths.get("target", "live", "layout.dat").toAbsolutePath();
        List<Recording> recs = new ArrayList<>();
        long seed = 11;
        for (Map.Entry<String, Long> r : RLIMITS.entrySet()) {
            for (boolean legacy : new boolean[] {false, true}) {
                String source = (legacy ? "legacy" : "topdown") + "/stack=" + r.getKey();
                Recording rec = LiveTools.parse(source, LiveTools.run(LiveTools.underRlimit(r.getKey(), legacy, bin,
                        Long.toString(seed++), Integer.toString(CALLS_PER_RUN), data.toString())), CALLS_PER_RUN);
                assertEquals(r.getValue(), rec.stackRlimit(), source + ": the rlimit the recorder ran under");
                if (!rec.legacyVaLayout()) {
                    assertEquals(legacy, modelLegacy(rec), source + ": layout");
                }
                recs.add(rec);
            }
        }
        check(recs, WRONG);
    }

    /**
     * The legacy layout chosen by the sysctl rather than the personality (x86_64's mmap_is_legacy
     * reads both). The sysctl is global: it is set just before the recorder starts and put back
     * as soon as the recorder has written its first line (after exec, where the layout is chosen),
     * a few milliseconds in which any other program started on this machine also gets the legacy
     * layout.
     */
    @Test
    void legacyLayoutFromTheSysctl() throws Exception {
        LiveTools.skipUnlessLive6_18(WHAT + " (vm.legacy_va_layout)", "gcc", "setarch", "prlimit");
        LiveTools.skipUnless(WHAT + " (vm.legacy_va_layout)", Files.isWritable(LEGACY_SYSCTL),
                LEGACY_SYSCTL + " is not writable (not root)");
        String before = Files.readString(LEGACY_SYSCTL).trim();
        LiveTools.skipUnless(WHAT + " (vm.legacy_va_layout)", before.equals("0"),
                "vm.legacy_va_layout is already " + before);
        Path bin = LiveTools.recorder("layout_recorder");
        Path data = Paths.get("target", "live", "layout.dat").toAbsolutePath();
        List<Recording> recs = new ArrayList<>();
        for (String stack : new String[] {"1073741824", "unlimited"}) {
            String source = "sysctl-legacy/stack=" + stack;
            Files.writeString(LEGACY_SYSCTL, "1");
            String out = LiveTools.runThen(LiveTools.underRlimit(stack, false, bin, "29",
                    Integer.toString(CALLS_PER_RUN), data.toString()), () -> restore(before));
            Recording rec = LiveTools.parse(source, out, CALLS_PER_RUN);
            assertTrue(rec.legacyVaLayout(), source + ": the recorder saw vm.legacy_va_layout = 1");
            assertEquals(0, rec.personality() & Recording.ADDR_COMPAT_LAYOUT, source + ": no ADDR_COMPAT_LAYOUT");
            assertTrue(modelLegacy(rec), source + ": the model's mmap_is_legacy");
            recs.add(rec);
        }
        assertEquals(before, Files.readString(LEGACY_SYSCTL).trim(), "vm.legacy_va_layout restored");
        Map<String, Variant> wrong = new LinkedHashMap<>();
        // an mmap_is_legacy that reads the personality only
        wrong.put("mmap_is_legacy without the sysctl", (rec, t) -> t.mm(rec,
                (rec.personality() & Recording.ADDR_COMPAT_LAYOUT) != 0));
        check(recs, wrong);
    }

    private static void restore(String value) {
        try {
            Files.writeString(LEGACY_SYSCTL, value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not restore vm.legacy_va_layout to " + value, e);
        }
    }

    private void check(List<Recording> recs, Map<String, Variant> wrongs) throws IOException {
        effectiveMin = Math.max(recs.get(0).mmapMinAddrSysctl(), LiveTools.lsmMmapMinAddr());
        rawio = LiveTools.hasCapSysRawio();
        OracleReplay oracle = new OracleReplay();
        JsonNode ext4 = TextNode.valueOf("thp_file");
        int total = 0;
        List<String> mismatches = new ArrayList<>();
        Map<String, Integer> caught = new LinkedHashMap<>();
        Map<String, Integer> perRun = new LinkedHashMap<>();
        for (Recording rec : recs) {
            ObjectNode mm = mm(rec, modelLegacy(rec));
            Map<String, ObjectNode> wrongMm = new LinkedHashMap<>();
            for (Map.Entry<String, Variant> w : wrongs.entrySet()) {
                wrongMm.put(w.getKey(), w.getValue().mm(rec, this));
            }
            int runMismatches = 0;
            for (RecordedCall c : rec.calls()) {
                total++;
                long model = oracle.answer(c, mm, ext4);
                if (model != c.result()) {
                    runMismatches++;
                    mismatches.add(String.format("%s call %d: %s flags=%s addr=%s len=%s pgoff=%s: kernel %s, oracle %s",
                            c.source(), c.seq(), c.file() ? "file" : "anon", Hex.of(c.flags()), Hex.of(c.addr()),
                            Hex.of(c.len()), Hex.of(c.pgoff()), Hex.of(c.result()), Hex.of(model)));
                }
                for (Map.Entry<String, ObjectNode> w : wrongMm.entrySet()) {
                    if (!w.getValue().equals(mm) && oracle.answer(c, w.getValue(), ext4) != c.result()) {
                        caught.merge(w.getKey(), 1, Integer::sum);
                    }
                }
            }
            perRun.put(rec.calls().get(0).source() + " (" + (modelLegacy(rec) ? "legacy" : "topdown") + ", mmap_base "
                    + Hex.of(baseWithPad(rec.stackRlimit(), Arch.X86_64.config().search().orElseThrow().stackGuardGap()))
                    + ")", runMismatches);
        }
        System.out.printf("%s: %d calls in %d runs through the oracle without mmap_base, %d mismatches%n", WHAT, total,
                recs.size(), mismatches.size());
        perRun.forEach((k, v) -> System.out.println("  " + k + ": " + v + " mismatches"));
        LiveTools.reportAndAssertNoMismatch(WHAT, total, mismatches, wrongs.keySet(), caught);
        LiveTools.assertEveryVariantCaught("layout", wrongs.keySet(), caught);
    }
}
