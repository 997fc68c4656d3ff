package io.pfnmap.verification.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.arch.CpuFeatures;
import io.pfnmap.arch.KernelSizes;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.Hstates;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.Placement;
import io.pfnmap.mm.core.Layout;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.ShmemHuge;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Live conformance beyond this machine (issue 8): Debian's Linux 6.12 kernels for arm64 with 4 KiB
 * and 16 KiB pages and for amd64 with 5-level paging, booted under qemu (TCG) with the recorder
 * as /init ({@code src/test/qemu/record-all.sh}). For each kernel the model, with that
 * configuration's mm values, must predict every one of at least 2,000 recorded mmap() calls
 * (both layouts), and the leaf sizes the kernel reports in sysfs must be those arch-model gives
 * for that configuration and CPU. Skips loudly (reason printed) where qemu, the cross compiler
 * or the kernel packages are missing; {@code .ci/run} installs them. Recordings are cached
 * outside the clone by record.sh, keyed by kernel package, recorder sources, call count and seeds.
 */
class QemuConformanceTest {
    private static final int REQUIRED_CALLS = 2000;
    private static final Map<String, String> STATUS = new HashMap<>();
    private static Path out;
    private static String setupSkip;

    @BeforeAll
    static void recordAll() throws Exception {
        if (!System.getProperty("os.name").equals("Linux")) {
            setupSkip = "not Linux";
            return;
        }
        Path script = Paths.get("src", "test", "qemu", "record-all.sh").toAbsolutePath();
        out = Paths.get("target", "qemu").toAbsolutePath();
        Files.createDirectories(out);
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), out.toString()));
        cmd.addAll(flavours());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true).redirectOutput(out.resolve("record-all.log").toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(25, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("record-all.sh did not finish in 25 minutes; see " + out.resolve("record-all.log"));
        }
        System.out.printf("qemu conformance: record-all.sh exit %d in %.1f s (log %s)%n", p.exitValue(),
                (System.nanoTime() - t0) / 1e9, out.resolve("record-all.log"));
        Files.readAllLines(out.resolve("record-all.log")).forEach(l -> System.out.println("  " + l));
        assertEquals(0, p.exitValue(), "record-all.sh itself failed; see " + out.resolve("record-all.log"));
    }

    /**
     * The flavours to boot: {@code PFNMAP_QEMU_FLAVOURS} (space-separated), else Debian's three
     * kernels plus the amd64 one on a CPU without 1 GiB pages. With {@code PFNMAP_KERNEL_IMAGE}
     * (a developer-built kernel, docs/qemu.md) the flavour must be named.
     */
    static List<String> flavours() {
        String env = System.getenv("PFNMAP_QEMU_FLAVOURS");
        if (env != null && !env.isBlank()) {
            return List.of(env.trim().split("\\s+"));
        }
        if (System.getenv("PFNMAP_KERNEL_IMAGE") != null) {
            throw new IllegalArgumentException("PFNMAP_KERNEL_IMAGE is set: name its configuration in PFNMAP_QEMU_FLAVOURS"
                    + " (one of arm64-4k, arm64-16k, arm64-64k, x86_64-la57)");
        }
        return List.of("arm64-4k", "arm64-16k", "x86_64-la57", "x86_64-la57-nopdpe1gb");
    }

    /** The arch-model configuration a flavour boots (a CPU variant shares its kernel's). */
    static String archIdOf(String flavour) {
        return flavour.endsWith("-nopdpe1gb") ? flavour.substring(0, flavour.length() - "-nopdpe1gb".length()) : flavour;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavours")
    void modelPredictsEveryCallOfTheBootedKernel(String flavour) throws Exception {
        if (setupSkip != null) {
            skip(flavour, setupSkip);
        }
        Path dir = out.resolve(flavour);
        Path statusFile = dir.resolve("status");
        assertTrue(Files.exists(statusFile), flavour + ": record-all.sh wrote no status");
        String status = Files.readString(statusFile).trim();
        if (status.startsWith("skip")) {
            skip(flavour, status.substring(4).trim());
        }
        assertEquals("ok", status, flavour + ": recording failed (" + dir + ".log)");
        Map<String, String> meta = keyValues(dir.resolve("meta"));
        ArchConfig arch = Arch.byId(archIdOf(flavour)).orElseThrow(
                () -> new IllegalArgumentException("flavour " + flavour + ": arch-model has no configuration " + archIdOf(flavour)));
        KernelConfig kconfig = KernelConfig.read(dir.resolve("config"));

        int total = 0;
        int fileCalls = 0;
        int aboveWindow = 0;
        int wrongMinAddr = 0;
        int wrongArch = 0;
        int wrongNoThp = 0;
        int wrongPad = 0;
        int wrongLegacy = 0;
        int wrongShmem = 0;
        int shmemCalls = 0;
        boolean minAddrDiffers = false;
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        Recording first = null;
        // stack1g and stackinf: the layout from RLIMIT_STACK (1 GiB, unlimited), mmap_base derived
        // shmemfile and shmemmemfd: shmem_enabled=always, anonymous MAP_SHARED, tmpfs huge=within_size or a memfd
        // hugetlb and hugetlblegacy: anonymous MAP_HUGETLB and a hugetlbfs file under 6.12's hooks
        int hugetlbCalls = 0;
        int wrongHugetlb = 0;
        for (String layout : new String[] {"topdown", "legacy", "stack1g", "stackinf", "shmemfile", "shmemmemfd",
            "hugetlb", "hugetlblegacy"}) {
            Recording rec;
            try (BufferedReader r = Files.newBufferedReader(dir.resolve(layout + ".txt"), StandardCharsets.UTF_8)) {
                rec = Recording.parse(flavour + "/" + layout, r);
            }
            first = first == null ? rec : first;
            assertEquals(rec.declaredCalls(), rec.calls().size(), flavour + "/" + layout + ": calls parsed");
            boolean compat = (rec.personality() & Recording.ADDR_COMPAT_LAYOUT) != 0;
            int coreArch = arch.search().orElseThrow().kind() == io.pfnmap.arch.Search.Kind.X86_64
                    ? MmState.ARCH_X86_64 : MmState.ARCH_GENERIC;
            boolean legacy = Layout.mmapIsLegacy(coreArch, compat, rec.legacyVaLayout(), rec.stackRlimit());
            // an unlimited stack picks the legacy layout on arm64 (mm/util.c), not on x86_64
            boolean legacyExpected = layout.endsWith("legacy") || layout.equals("stackinf") && coreArch == MmState.ARCH_GENERIC;
            assertEquals(legacyExpected, legacy, flavour + "/" + layout + ": layout");
            if (layout.startsWith("stack")) {
                assertEquals(layout.equals("stack1g") ? 1L << 30 : Layout.RLIM_INFINITY, rec.stackRlimit(),
                        flavour + "/" + layout + ": the rlimit the recorder ran under");
            }
            long sysctl = rec.mmapMinAddrSysctl();
            long effective = kconfig.security ? Math.max(sysctl, kconfig.lsmMmapMinAddr) : sysctl;
            boolean rawio = ((Long.parseUnsignedLong(rec.fact("task", "cap_eff").substring(2), 16) >> 17) & 1) != 0;
            boolean shmem = layout.startsWith("shmem");
            boolean hugetlb = layout.startsWith("hugetlb");
            // the guest's hstates, its default (HPAGE_SIZE, the PMD) first, none set aside, 6.12's hooks
            Hstates hstates = Hstates.registered(Arrays.stream(sizes(rec.fact("hugetlb", "sizes"))).boxed().toList(),
                    Long.parseLong(rec.fact("thp", "hpage_pmd_size"))).withSeries(Hstates.V6_12);
            MmConfig plainConfig = MmConfig.forArch(arch, !legacy, rec.stackRlimit(), effective, sysctl)
                    .withCapSysRawio(rawio).withHstates(hstates);
            // shmem runs: the knob at always; both files align (within_size mount; memfd on shm_mnt, now always)
            MmConfig config = shmem ? plainConfig.withShmemEnabled(ShmemHuge.SHMEM_HUGE_ALWAYS) : plainConfig;
            FileKind fileKind = hugetlb ? FileKind.HUGETLBFS : !shmem ? FileKind.THP_FILE
                    : FileKind.shmem(ShmemHuge.SHMEM_HUGE_ALWAYS, layout.equals("shmemfile")
                    ? ShmemHuge.SHMEM_HUGE_WITHIN_SIZE : ShmemHuge.SHMEM_HUGE_ALWAYS, config.pmdSize());
            // seeded wrong variant: 6.18's hooks on this 6.12 kernel
            MmConfig v618 = config.withHstates(hstates.withSeries(Hstates.V6_18));
            // The recorder's own view of the layout constants must be the model's.
            assertEquals(Hex.of(config.pageSize()), rec.fact("recorder", "page_size"), flavour + ": PAGE_SIZE");
            assertEquals(Hex.of(config.taskSize()), rec.fact("recorder", "task_size"), flavour + ": TASK_SIZE");
            assertEquals(Hex.of(config.defaultMapWindow()), rec.fact("recorder", "map_window"),
                    flavour + ": DEFAULT_MAP_WINDOW");
            assertEquals(Hex.of(config.pmdSize()), rec.fact("recorder", "pmd_size"), flavour + ": PMD_SIZE");
            // Seeded wrong variants the same recording must expose.
            MmConfig sysctlOnly = MmConfig.forArch(arch, !legacy, rec.stackRlimit(), sysctl, sysctl)
                    .withCapSysRawio(rawio).withHstates(hstates);
            sysctlOnly = shmem ? sysctlOnly.withShmemEnabled(ShmemHuge.SHMEM_HUGE_ALWAYS) : sysctlOnly;
            minAddrDiffers |= sysctl != effective;
            MmConfig noThp = new MmConfig(config.arch(), config.pageSize(), config.pmdSize(), config.taskSize(),
                    config.taskSizeMax(), config.defaultMapWindow(), config.mmapBase(), config.legacyBase(),
                    config.mmapMinAddr(), config.dacMmapMinAddr(), config.stackGuardGap(), config.topdown(), false,
                    config.capSysRawio(), 0).withHstates(hstates);
            MmConfig otherArch = MmConfig.forArch(wrongArchFor(flavour), !legacy, rec.stackRlimit(), effective, sysctl)
                    .withCapSysRawio(rawio);
            // the layout from the rlimit, wrong: mmap_base without the guard gap; x86_64's mmap_is_legacy everywhere
            MmConfig noPad = new MmConfig(config.arch(), config.pageSize(), config.pmdSize(), config.taskSize(),
                    config.taskSizeMax(), config.defaultMapWindow(), Layout.mmapBase(config.defaultMapWindow(),
                    rec.stackRlimit(), 0, config.pageSize()), config.legacyBase(), config.mmapMinAddr(),
                    config.dacMmapMinAddr(), config.stackGuardGap(), config.topdown(), config.thp(),
                    config.capSysRawio(), 0).withHstates(hstates);
            boolean x86Rule = Layout.mmapIsLegacy(MmState.ARCH_X86_64, compat, rec.legacyVaLayout(), rec.stackRlimit());
            MmConfig x86Legacy = MmConfig.forArch(arch, !x86Rule, rec.stackRlimit(), effective, sysctl)
                    .withCapSysRawio(rawio).withHstates(hstates);
            for (RecordedCall c : rec.calls()) {
                Placement model = Replay.predict(config, c, fileKind);
                total++;
                fileCalls += c.file() ? 1 : 0;
                Placement k = new Placement(c.result());
                aboveWindow += !k.isError() && Long.compareUnsigned(c.result(), config.defaultMapWindow()) >= 0 ? 1 : 0;
                outcomes.merge(k.isError() ? k.describe() : "address", 1, Integer::sum);
                wrongMinAddr += Replay.predict(sysctlOnly, c, fileKind).value() != c.result() ? 1 : 0;
                wrongNoThp += !c.file() && Replay.predict(noThp, c).value() != c.result() ? 1 : 0;
                wrongArch += wrongArchMisses(otherArch, c) ? 1 : 0;
                wrongPad += !shmem && Replay.predict(noPad, c).value() != c.result() ? 1 : 0;
                shmemCalls += shmem ? 1 : 0;
                hugetlbCalls += hugetlb ? 1 : 0;
                wrongHugetlb += hugetlb && Replay.predict(v618, c, fileKind).value() != c.result() ? 1 : 0;
                // seeded wrong variant: shmem huge pages off (the knob never, the files unaligned)
                wrongShmem += shmem && Replay.predict(plainConfig, c, FileKind.SHMEM).value() != c.result() ? 1 : 0;
                wrongLegacy += x86Rule != legacy && Replay.predict(x86Legacy, c).value() != c.result() ? 1 : 0;
                if (model.value() != c.result()) {
                    mismatches.add(String.format("%s call %d: %s flags=%s addr=%s len=%s pgoff=%s: kernel %s, model %s",
                            c.source(), c.seq(), c.file() ? "file" : "anon", Hex.of(c.flags()), Hex.of(c.addr()),
                            Hex.of(c.len()), Hex.of(c.pgoff()), k, model));
                }
            }
        }
        System.out.printf("qemu conformance %s: kernel %s, boot %s s%s, %d calls (%d file, %d placed at or above "
                + "DEFAULT_MAP_WINDOW), %d mismatches; outcomes %s%n", flavour, meta.get("release"),
                meta.get("boot_seconds"), "1".equals(meta.get("cached")) ? " (cached recording)" : "", total, fileCalls,
                aboveWindow, mismatches.size(), outcomes);
        mismatches.stream().limit(25).forEach(m -> System.out.println("  MISMATCH " + m));
        System.out.printf("qemu conformance %s, seeded wrong variants: mmap_min_addr = sysctl only -> %d mismatches, "
                + "anonymous THP off -> %d, %s's mm values -> %d mismatches%n", flavour, wrongMinAddr, wrongNoThp,
                wrongArchFor(flavour).id(), wrongArch);

        // The leaf sizes the kernel reports.
        CpuFeatures cpu = cpuOf(flavour, first);
        KernelSizes expected = KernelSizes.of(arch, cpu);
        KernelSizes reported = KernelSizes.reported(sizes(first.fact("hugetlb", "sizes")), sizes(first.fact("thp", "sizes")),
                Long.parseLong(first.fact("thp", "hpage_pmd_size")));
        System.out.printf("qemu conformance %s: sizes reported %s, arch-model (%s) %s%n", flavour, reported, cpu,
                expected);
        KernelSizes wrongCpu = KernelSizes.of(arch, new CpuFeatures(!cpu.gbpages()));

        if (minAddrDiffers) {
            // Where the sysctl equals CONFIG_LSM_MMAP_MIN_ADDR (Debian amd64: both 65536) this variant is no bug.
            assertTrue(wrongMinAddr > 0, flavour + ": a model reading vm.mmap_min_addr as the effective value must be caught");
        }
        assertTrue(wrongNoThp > 0, flavour + ": a model without anonymous THP alignment must be caught");
        System.out.printf("qemu conformance %s, seeded wrong layouts: mmap_base without the guard gap -> %d "
                + "mismatches, x86_64's mmap_is_legacy -> %d%n", flavour, wrongPad, wrongLegacy);
        assertTrue(wrongPad > 0, flavour + ": an mmap_base without the guard gap must be caught (stack1g)");
        System.out.printf("qemu conformance %s, shmem: %d calls with shmem_enabled=always; seeded wrong variant "
                + "shmem huge pages off -> %d mismatches%n", flavour, shmemCalls, wrongShmem);
        assertTrue(wrongShmem > 0, flavour + ": a model with shmem huge pages off must be caught (shmem runs)");
        System.out.printf("qemu conformance %s, hugetlb: %d calls (MAP_HUGETLB and a hugetlbfs file, 6.12's hooks); "
                + "seeded wrong variant 6.18's hooks -> %d mismatches%n", flavour, hugetlbCalls, wrongHugetlb);
        assertTrue(hugetlbCalls > 0, flavour + ": the hugetlb runs recorded no call");
        if (arch.search().orElseThrow().kind() == io.pfnmap.arch.Search.Kind.X86_64) {
            // x86_64's 6.12 hook rounds a hint down, 6.18's up: hinted calls tell them apart
            assertTrue(wrongHugetlb > 0, flavour + ": 6.18's hugetlb hooks on 6.12 must be caught (hinted calls)");
        }
        if (arch.search().orElseThrow().kind() != io.pfnmap.arch.Search.Kind.X86_64) {
            assertTrue(wrongLegacy > 0, flavour + ": x86_64's mmap_is_legacy (blind to an unlimited stack) must be "
                    + "caught (stackinf)");
        }
        assertTrue(wrongArch > 0, flavour + ": a model with another configuration's mm values must be caught");
        assertTrue(total >= REQUIRED_CALLS, flavour + ": at least " + REQUIRED_CALLS + " recorded calls, got " + total);
        assertEquals(0, mismatches.size(), flavour + ": model disagrees with the kernel on " + mismatches.size() + " of "
                + total + " calls; first: " + (mismatches.isEmpty() ? "" : mismatches.get(0)));
        assertEquals(expected, reported, flavour + ": the sizes the kernel reports");
        if (flavour.startsWith("x86_64")) {
            assertTrue(!wrongCpu.equals(reported), flavour + ": a model that ignores the CPU's 1 GiB pages must be caught");
        } else {
            // seeded wrong variant: hugetlb sizes from the leaves alone, without the contiguous-bit sizes
            List<Long> leavesOnly = new ArrayList<>(expected.hugetlb());
            leavesOnly.removeAll(arch.contiguousSizes());
            assertTrue(!leavesOnly.equals(reported.hugetlb()),
                    flavour + ": a model without arm64's contiguous hugetlb sizes must be caught");
        }
    }

    /**
     * Whether the seeded wrong-architecture model misses this call: it answers differently, or it
     * refuses the recorded VMAs because they lie above its task_size_max (a 5-level space read as
     * 4-level), which is as much a miss.
     */
    private static boolean wrongArchMisses(MmConfig otherArch, RecordedCall c) {
        try {
            return Replay.predict(otherArch, c).value() != c.result();
        } catch (io.pfnmap.mm.InvalidInputException e) {
            return true;
        }
    }

    /** The configuration whose mm values a seeded wrong model uses for {@code flavour}. */
    private static ArchConfig wrongArchFor(String flavour) {
        switch (archIdOf(flavour)) {
            case "arm64-4k":
                return Arch.X86_64_LA57.config();
            case "arm64-16k":
            case "arm64-64k":
                return Arch.ARM64_4K.config();
            default:
                return Arch.X86_64.config();
        }
    }

    /** x86 CPU features from the guest's /proc/cpuinfo (FACT cpu); arm64 has none the sizes read. */
    private static CpuFeatures cpuOf(String flavour, Recording rec) {
        if (!flavour.startsWith("x86_64")) {
            return CpuFeatures.DEFAULT;
        }
        String gb = rec.fact("cpu", "pdpe1gb");
        assertNotNull(gb, flavour + ": the recording has no FACT cpu pdpe1gb line");
        return new CpuFeatures("1".equals(gb));
    }

    static long[] sizes(String list) {
        if (list == null || list.isEmpty()) {
            return new long[0];
        }
        String[] f = list.split(",");
        long[] v = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = Long.parseLong(f[i]);
        }
        return v;
    }

    private static Map<String, String> keyValues(Path p) throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String l : Files.readAllLines(p)) {
            int eq = l.indexOf('=');
            if (eq > 0) {
                m.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return m;
    }

    private static void skip(String flavour, String reason) {
        System.out.println("SKIPPED live qemu conformance " + flavour + ": " + reason);
        Assumptions.abort(flavour + ": " + reason);
    }

    /** What the replay reads from the kernel's config (boot/config-* of the package). */
    private record KernelConfig(boolean security, long lsmMmapMinAddr) {
        /** CONFIG_LSM_MMAP_MIN_ADDR counts when CONFIG_SECURITY is on (security/min_addr.c). */
        static KernelConfig read(Path p) throws IOException {
            assertTrue(Files.exists(p), "no kernel config beside the recording: " + p
                    + " (for a developer-built Image give PFNMAP_KERNEL_CONFIG)");
            boolean security = false;
            long lsm = 0;
            for (String l : Files.readAllLines(p)) {
                if (l.equals("CONFIG_SECURITY=y")) {
                    security = true;
                } else if (l.startsWith("CONFIG_LSM_MMAP_MIN_ADDR=")) {
                    lsm = Long.parseLong(l.substring(l.indexOf('=') + 1));
                }
            }
            return new KernelConfig(security, lsm);
        }
    }
}
