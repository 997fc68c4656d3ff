package io.pfnmap.verification.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.arch.Arch;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.Placement;
import io.pfnmap.mm.core.Layout;
import io.pfnmap.mm.core.MmState;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The acceptance test of the core model: a C recorder makes seeded random mmap() calls on the
 * running kernel (top-down under {@code setarch -R}, legacy under {@code setarch -L -R}) and the
 * model must predict every address and every errno. Skips loudly unless this is Linux 6.18 on
 * x86_64 with gcc and setarch.
 */
class LiveKernelConformanceTest {
    private static final int CALLS_PER_RUN = 1500;
    private static final long[] SEEDS = {1, 2};
    private static final int REQUIRED_CALLS = 2000;

    @Test
    void modelPredictsEveryRecordedCall() throws Exception {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        String release = Files.exists(Paths.get("/proc/sys/kernel/osrelease"))
                ? Files.readString(Paths.get("/proc/sys/kernel/osrelease")).trim() : "?";
        LiveTools.skipUnless("live kernel conformance", os.equals("Linux"), "not Linux (" + os + ")");
        LiveTools.skipUnless("live kernel conformance", arch.equals("amd64") || arch.equals("x86_64"), "not x86_64 (" + arch + ")");
        LiveTools.skipUnless("live kernel conformance", release.startsWith("6.18."), "kernel " + release + " is not the 6.18 series the model encodes");
        LiveTools.skipUnless("live kernel conformance", LiveTools.onPath("gcc") && LiveTools.onPath("setarch"), "gcc or setarch missing");

        Path work = Paths.get("target", "live").toAbsolutePath();
        Files.createDirectories(work);
        Path src = Paths.get("src", "test", "c", "mmap_recorder.c").toAbsolutePath();
        Path bin = work.resolve("mmap_recorder");
        LiveTools.run(List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", bin.toString(), src.toString()));
        Path data = work.resolve("rec.dat");
        String fsType = LiveTools.run(List.of("stat", "-f", "-c", "%T", work.toString())).trim();
        LiveTools.skipUnless("live kernel conformance", fsType.startsWith("ext2/ext3") || fsType.equals("xfs"),
                "the recorder's file lives on " + fsType + ", not on ext4/xfs (whose hook is thp_get_unmapped_area)");

        long lsmMin = LiveTools.lsmMmapMinAddr();
        boolean rawio = LiveTools.hasCapSysRawio();
        int total = 0;
        int fileCalls = 0;
        int fixedCalls = 0;
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        // Seeded wrong variants: the same recordings must expose a model with a wrong input.
        int[] wrongMinAddr = {0};
        int[] wrongNoThp = {0};
        for (boolean legacy : new boolean[] {false, true}) {
            for (long seed : SEEDS) {
                List<String> cmd = new ArrayList<>(List.of("setarch", "x86_64", "-R"));
                if (legacy) {
                    cmd.add(2, "-L");
                }
                cmd.addAll(List.of(bin.toString(), Long.toString(seed), Integer.toString(CALLS_PER_RUN), data.toString()));
                String source = (legacy ? "legacy" : "topdown") + "/seed" + seed;
                Recording rec = Recording.parse(source, new BufferedReader(new java.io.StringReader(LiveTools.run(cmd))));
                assertEquals(CALLS_PER_RUN, rec.declaredCalls(), source + ": recorder did not finish");
                assertEquals(CALLS_PER_RUN, rec.calls().size(), source + ": calls parsed");
                boolean compat = (rec.personality() & Recording.ADDR_COMPAT_LAYOUT) != 0;
                boolean isLegacy = Layout.mmapIsLegacy(MmState.ARCH_X86_64, compat, rec.legacyVaLayout(), rec.stackRlimit());
                assertEquals(legacy, isLegacy, source + ": layout");
                long effectiveMin = Math.max(rec.mmapMinAddrSysctl(), lsmMin);
                MmConfig config = MmConfig.forArch(Arch.X86_64.config(), !isLegacy, rec.stackRlimit(), effectiveMin,
                        rec.mmapMinAddrSysctl()).withCapSysRawio(rawio);
                for (RecordedCall c : rec.calls()) {
                    Placement model = Replay.predict(config, c);
                    total++;
                    fileCalls += c.file() ? 1 : 0;
                    fixedCalls += (c.flags() & 0x100010L) != 0 ? 1 : 0;
                    outcomes.merge(new Placement(c.result()).isError() ? new Placement(c.result()).describe() : "address", 1,
                            Integer::sum);
                    MmConfig sysctlOnly = MmConfig.forArch(Arch.X86_64.config(), !isLegacy, rec.stackRlimit(),
                            rec.mmapMinAddrSysctl(), rec.mmapMinAddrSysctl()).withCapSysRawio(rawio);
                    MmConfig noThp = new MmConfig(config.arch(), config.pageSize(), config.pmdSize(), config.taskSize(),
                            config.taskSizeMax(), config.defaultMapWindow(), config.mmapBase(), config.legacyBase(),
                            config.mmapMinAddr(), config.dacMmapMinAddr(), config.stackGuardGap(), config.topdown(),
                            false, config.capSysRawio(), 0);
                    wrongMinAddr[0] += Replay.predict(sysctlOnly, c).value() != c.result() ? 1 : 0;
                    wrongNoThp[0] += !c.file() && Replay.predict(noThp, c).value() != c.result() ? 1 : 0;
                    if (model.value() != c.result()) {
                        mismatches.add(String.format("%s call %d: %s flags=%s addr=%s len=%s pgoff=%s: kernel %s, model %s (%d vmas)",
                                source, c.seq(), c.file() ? "file" : "anon", Hex.of(c.flags()), Hex.of(c.addr()),
                                Hex.of(c.len()), Hex.of(c.pgoff()), new Placement(c.result()), model, c.vmas().size()));
                    }
                }
            }
        }
        System.out.printf("live conformance: %d calls (%d file, %d fixed), %d mismatches; kernel outcomes %s; "
                + "effective mmap_min_addr max(sysctl, %s), CAP_SYS_RAWIO %s%n", total, fileCalls, fixedCalls,
                mismatches.size(), outcomes, Hex.of(lsmMin), rawio);
        mismatches.stream().limit(25).forEach(m -> System.out.println("  MISMATCH " + m));
        System.out.printf("live conformance, seeded wrong variants: mmap_min_addr = sysctl only -> %d mismatches, "
                + "anonymous THP off -> %d mismatches%n", wrongMinAddr[0], wrongNoThp[0]);
        assertTrue(wrongMinAddr[0] > 0, "a model that reads vm.mmap_min_addr as the effective value must be caught");
        assertTrue(wrongNoThp[0] > 0, "a model without anonymous THP alignment must be caught");
        assertTrue(total >= REQUIRED_CALLS, "at least " + REQUIRED_CALLS + " recorded calls, got " + total);
        assertEquals(0, mismatches.size(), "model disagrees with the kernel on " + mismatches.size() + " of " + total
                + " calls; first: " + (mismatches.isEmpty() ? "" : mismatches.get(0)));
    }
}
