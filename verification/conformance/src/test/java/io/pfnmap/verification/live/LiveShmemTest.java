package io.pfnmap.verification.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.core.Layout;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.ShmemHuge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * shmem_get_unmapped_area (mm/shmem.c) checked against the running kernel: the recorder runs with
 * its anonymous calls MAP_SHARED (shmem without a file) and its file calls on a memfd or on a file
 * of a tmpfs mounted with each {@code huge=} value, under each value of
 * /sys/kernel/mm/transparent_hugepage/shmem_enabled (the per-size knobs at their defaults). Every
 * call goes through the oracle with {@code "mm": {"shmem_enabled"}} and {@code "file": {"shmem":
 * {"huge", "i_size"}}} (a memfd's {@code huge} is the internal mount's: the last of never, always,
 * within_size, advise written to the knob), and must get the kernel's answer. Three more settings
 * turn a per-size knob to always (64 KiB under never, 2 MiB under never, 64 KiB under always):
 * there the anonymous calls are sent with the {@code shmem_huge_size} that {@code
 * ShmemHuge.anonHugeSize} derives from the knobs. Six wrong models of the knobs must each be
 * caught by the same recordings. The knobs are global: they are changed only while the recorder
 * runs (about ten seconds) and put back afterwards, also if the JVM exits.
 */
class LiveShmemTest {
    private static final String WHAT = "live shmem conformance";
    private static final int CALLS_PER_RUN = 500;
    private static final Path THP = Paths.get("/sys/kernel/mm/transparent_hugepage");
    private static final Path KNOB = THP.resolve("shmem_enabled");
    /** The knob's values in the order they are set: deny and force come after advise, so shm_mnt stays "advise". */
    private static final String[] KNOBS = {"never", "always", "within_size", "advise", "deny", "force"};
    private static final String[] MOUNTS = {"never", "always", "within_size", "advise"};
    private static final long FILE_SIZE = 1L << 20;
    private static final long PMD = 2L << 20;
    /** The "huge" of a /dev/zero run: its file is the protocol's "dev_zero". */
    private static final String DEV_ZERO = "dev_zero";

    /**
     * One recorder run: the knob, the file's mount huge= (for a memfd, shm_mnt's), the file, the
     * recording, and for the per-size runs the size anonymous shared memory aligns to (sent as
     * shmem_huge_size; -1: the knob decides, sent as shmem_enabled).
     */
    private record Run(String knob, String huge, String file, Recording rec, long anonSize) {
    }

    /** What a model sends for a call: the knob, the file's huge, and shmem_huge_size (-1: the knob). */
    private record Sent(String knob, String huge, long anonSize) {
    }

    /** A wrong model: what it sends for a call of a run. */
    private interface Variant {
        Sent sent(Run r, RecordedCall c);
    }

    private static final Map<String, Variant> WRONG = new LinkedHashMap<>();

    static {
        WRONG.put("shmem huge pages ignored (every knob and mount read as never)",
                (r, c) -> new Sent("never", "never", -1));
        WRONG.put("deny read as never (the mount still decides)",
                (r, c) -> new Sent(r.knob.equals("deny") ? "never" : r.knob, r.huge, r.anonSize));
        WRONG.put("force read as never (the mount still decides)",
                (r, c) -> new Sent(r.knob.equals("force") ? "never" : r.knob, r.huge, r.anonSize));
        WRONG.put("within_size reads i_size (no alignment past the end of the file)", (r, c) -> new Sent(r.knob,
                r.huge.equals("within_size") && Long.compareUnsigned(c.pgoff() * 4096 + c.len(), FILE_SIZE) > 0
                        ? "never" : r.huge, r.anonSize));
        WRONG.put("a memfd on a mount of its own (huge never), not the internal mount", (r, c) -> new Sent(r.knob,
                r.file.startsWith("memfd:") ? "never" : r.huge, r.anonSize));
        WRONG.put("the per-size knobs ignored (anonymous memory follows the top-level knob only)",
                (r, c) -> new Sent(r.knob, r.huge, -1));
        WRONG.put("/dev/zero as a device without a hook", (r, c) -> new Sent(r.knob,
                r.huge.equals(DEV_ZERO) ? "device" : r.huge, r.anonSize));
    }

    @Test
    void shmemPlacementMatchesTheKernel() throws Exception {
        LiveTools.skipUnlessLive6_18(WHAT, "gcc", "setarch", "mount", "umount");
        LiveTools.skipUnless(WHAT, Files.isWritable(KNOB), KNOB + " is not writable (not root, or no THP)");
        String perSize = perSizeNotDefault();
        LiveTools.skipUnless(WHAT, perSize == null, "the per-size shmem knobs are not at their defaults (" + perSize
                + "), which the protocol's shmem_enabled assumes");
        String before = selected(Files.readString(KNOB));
        Path bin = LiveTools.recorder("shmem_recorder");
        Path root = Paths.get("target", "live", "shmem").toAbsolutePath();
        List<Path> mounted = new ArrayList<>();
        List<Run> runs = new ArrayList<>();
        Thread restore = new Thread(() -> restoreAll(before));
        Runtime.getRuntime().addShutdownHook(restore);
        try {
            for (String huge : MOUNTS) {
                Path dir = root.resolve(huge);
                Files.createDirectories(dir);
                LiveTools.run(List.of("mount", "-t", "tmpfs", "-o", "huge=" + huge + ",size=16m", "pfnmap-" + huge,
                        dir.toString()));
                mounted.add(dir);
            }
            String shmMnt = null;
            long seed = 41;
            for (String knob : KNOBS) {
                writeKnob(knob);
                assertEquals(knob, selected(Files.readString(KNOB)), "shmem_enabled set");
                if (!knob.equals("deny") && !knob.equals("force")) {
                    shmMnt = knob;
                }
                List<String[]> files = new ArrayList<>();
                files.add(new String[] {"memfd:pfnmap", shmMnt});
                for (String huge : MOUNTS) {
                    files.add(new String[] {root.resolve(huge).resolve("f.dat").toString(), huge});
                }
                // /dev/zero: shared, shmem without a file but with the pgoff; private, the THP hook
                files.add(new String[] {"/dev/zero", DEV_ZERO});
                for (String[] f : files) {
                    String source = "shmem_enabled=" + knob + "/" + (f[0].startsWith("memfd:") ? "memfd"
                            : f[1].equals(DEV_ZERO) ? "/dev/zero" : "tmpfs huge=" + f[1]);
                    Recording rec = LiveTools.parse(source, LiveTools.run(List.of("setarch", "x86_64", "-R",
                            bin.toString(), Long.toString(seed++), Integer.toString(CALLS_PER_RUN), f[0],
                            f[1].equals(DEV_ZERO) ? "anon-shared,file-private" : "anon-shared")), CALLS_PER_RUN);
                    runs.add(new Run(knob, f[1], f[0], rec, -1));
                }
            }
            // the per-size knobs: anonymous memory takes the largest enabled size (inherit counts
            // when shm_mnt is not never); files ignore them. {top, per-size dir, value}
            String[][] perSizeRuns = {{"never", "hugepages-64kB", "always"}, {"never", "hugepages-2048kB", "always"},
                {"always", "hugepages-64kB", "always"}};
            for (String[] p : perSizeRuns) {
                writeKnob(p[0]);
                Path k = THP.resolve(p[1]).resolve("shmem_enabled");
                write(k, p[2]);
                assertEquals(p[2], selected(Files.readString(k)), k + " set");
                int top = p[0].equals("never") ? ShmemHuge.SHMEM_HUGE_NEVER : ShmemHuge.SHMEM_HUGE_ALWAYS;
                boolean pmdKnob = p[1].equals("hugepages-2048kB");
                long anon = ShmemHuge.anonHugeSize(top, top, pmdKnob ? PMD : 64 << 10, pmdKnob ? 0 : PMD, PMD);
                String[][] files = {{"memfd:pfnmap", p[0]}, {root.resolve("always").resolve("f.dat").toString(),
                    "always"}};
                for (String[] f : files) {
                    String source = "shmem_enabled=" + p[0] + "+" + p[1] + "=" + p[2] + "/"
                            + (f[0].startsWith("memfd:") ? "memfd" : "tmpfs huge=" + f[1]);
                    Recording rec = LiveTools.parse(source, LiveTools.run(List.of("setarch", "x86_64", "-R",
                            bin.toString(), Long.toString(seed++), Integer.toString(CALLS_PER_RUN), f[0], "anon-shared")),
                            CALLS_PER_RUN);
                    runs.add(new Run(p[0], f[1], f[0], rec, anon));
                }
                write(k, p[1].equals("hugepages-2048kB") ? "inherit" : "never");
            }
        } finally {
            restoreAll(before);
            Runtime.getRuntime().removeShutdownHook(restore);
            for (Path dir : mounted) {
                LiveTools.run(List.of("umount", dir.toString()));
            }
        }
        assertEquals(before, selected(Files.readString(KNOB)), "shmem_enabled restored");
        assertEquals(null, perSizeNotDefault(), "the per-size knobs restored");
        check(runs);
    }

    private void check(List<Run> runs) throws IOException {
        long effectiveMin = Math.max(runs.get(0).rec.mmapMinAddrSysctl(), LiveTools.lsmMmapMinAddr());
        boolean rawio = LiveTools.hasCapSysRawio();
        OracleReplay oracle = new OracleReplay();
        int total = 0;
        int anon = 0;
        int file = 0;
        int aligned = 0;
        List<String> mismatches = new ArrayList<>();
        Map<String, Integer> caught = new LinkedHashMap<>();
        Map<String, Integer> perRun = new TreeMap<>();
        for (Run r : runs) {
            Recording rec = r.rec;
            boolean compat = (rec.personality() & Recording.ADDR_COMPAT_LAYOUT) != 0;
            boolean legacy = Layout.mmapIsLegacy(MmState.ARCH_X86_64, compat, rec.legacyVaLayout(), rec.stackRlimit());
            int runMismatches = 0;
            for (RecordedCall c : rec.calls()) {
                total++;
                anon += c.file() ? 0 : 1;
                file += c.file() ? 1 : 0;
                long model = oracle.answer(c, mm(rec, legacy, effectiveMin, rawio, new Sent(r.knob, r.huge, r.anonSize)),
                        fileJson(r.huge));
                if (model != c.result()) {
                    runMismatches++;
                    mismatches.add(String.format("%s call %d: %s flags=%s addr=%s len=%s pgoff=%s: kernel %s, oracle %s",
                            c.source(), c.seq(), c.file() ? "file" : "anon", Hex.of(c.flags()), Hex.of(c.addr()),
                            Hex.of(c.len()), Hex.of(c.pgoff()), Hex.of(c.result()), Hex.of(model)));
                }
                long plain = oracle.answer(c, mm(rec, legacy, effectiveMin, rawio, new Sent("never", "never", -1)),
                        fileJson(r.huge.equals(DEV_ZERO) ? "device" : "never"));
                aligned += plain != c.result() ? 1 : 0;
                for (Map.Entry<String, Variant> w : WRONG.entrySet()) {
                    Sent kh = w.getValue().sent(r, c);
                    if (!kh.equals(new Sent(r.knob, r.huge, r.anonSize))
                            && oracle.answer(c, mm(rec, legacy, effectiveMin, rawio, kh), fileJson(kh.huge()))
                                    != c.result()) {
                        caught.merge(w.getKey(), 1, Integer::sum);
                    }
                }
            }
            perRun.merge(r.rec.calls().get(0).source().replaceAll("/.*", "") + (r.anonSize >= 0
                    ? " (anonymous: shmem_huge_size " + Hex.of(r.anonSize) + ")" : ""), runMismatches, Integer::sum);
        }
        System.out.printf("%s: %d calls (%d anonymous MAP_SHARED, %d on shmem files and /dev/zero) in %d runs through the oracle, "
                + "%d placed otherwise than the plain search would, %d mismatches%n", WHAT, total, anon, file,
                runs.size(), aligned, mismatches.size());
        perRun.forEach((k, v) -> System.out.println("  " + k + ": " + v + " mismatches"));
        LiveTools.reportAndAssertNoMismatch(WHAT, total, mismatches, WRONG.keySet(), caught);
        assertTrue(aligned > 0, "some calls must be aligned by shmem, or the runs check nothing of it");
        LiveTools.assertEveryVariantCaught("model", WRONG.keySet(), caught);
    }

    private static ObjectNode mm(Recording rec, boolean legacy, long effectiveMin, boolean rawio, Sent sent) {
        ObjectNode mm = LiveTools.recordedMm(rec, legacy, effectiveMin, rawio);
        if (sent.anonSize() >= 0) {
            mm.put("shmem_huge_size", Hex.of(sent.anonSize()));
        } else {
            mm.put("shmem_enabled", sent.knob());
        }
        return mm;
    }

    /** The run's "file": "dev_zero" or "device" as named, else {"shmem": {"huge", "i_size"}}. */
    private static JsonNode fileJson(String huge) {
        if (huge.equals(DEV_ZERO) || huge.equals("device")) {
            return TextNode.valueOf(huge);
        }
        return shmemFile(huge);
    }

    private static ObjectNode shmemFile(String huge) {
        ObjectNode f = OracleReplay.JSON.createObjectNode();
        ObjectNode s = f.putObject("shmem");
        s.put("huge", huge);
        s.put("i_size", Hex.of(FILE_SIZE));
        return f;
    }

    private static final Pattern SELECTED = Pattern.compile("\\[([a-z_]+)\\]");

    /** The bracketed value of a sysfs choice ("always [never] deny" gives "never"). */
    static String selected(String sysfs) {
        Matcher m = SELECTED.matcher(sysfs);
        if (!m.find()) {
            throw new IllegalStateException("no selected value in " + sysfs.trim());
        }
        return m.group(1);
    }

    /** null if every hugepages-SIZE/shmem_enabled is at its default (PMD_SIZE's inherit, the others never), else the first that is not. */
    private static String perSizeNotDefault() throws IOException {
        try (var dirs = Files.newDirectoryStream(THP, "hugepages-*")) {
            for (Path d : dirs) {
                Path k = d.resolve("shmem_enabled");
                if (!Files.exists(k)) {
                    continue;
                }
                String v = selected(Files.readString(k));
                String want = d.getFileName().toString().equals("hugepages-2048kB") ? "inherit" : "never";
                if (!v.equals(want)) {
                    return d.getFileName() + "/shmem_enabled = " + v;
                }
            }
        }
        return null;
    }

    private static void writeKnob(String v) {
        write(KNOB, v);
    }

    private static void write(Path knob, String v) {
        try {
            Files.writeString(knob, v);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not write " + v + " to " + knob, e);
        }
    }

    /** The knobs as they were: the top level's value, the per-size ones at their defaults (checked before the runs). */
    private static void restoreAll(String top) {
        write(THP.resolve("hugepages-64kB").resolve("shmem_enabled"), "never");
        write(THP.resolve("hugepages-2048kB").resolve("shmem_enabled"), "inherit");
        writeKnob(top);
    }
}
