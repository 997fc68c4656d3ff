package io.pfnmap.verification.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pfnmap.mm.Hex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pfnmap.mm.Hex;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * What the live checks of the layout ({@link LiveLayoutTest}) and of shmem ({@link LiveShmemTest})
 * share: the skip rules (Linux 6.18 on x86_64 with gcc, setarch and prlimit), building the
 * recorder, running it, and the effective {@code mmap_min_addr} and CAP_SYS_RAWIO of this host.
 */
final class LiveTools {
    private LiveTools() {
    }

    /** Skips loudly, printing the reason, unless this is Linux 6.18 on x86_64 with the tools the runs need. */
    static void skipUnlessLive6_18(String what, String... tools) throws IOException {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        String release = Files.exists(Paths.get("/proc/sys/kernel/osrelease"))
                ? Files.readString(Paths.get("/proc/sys/kernel/osrelease")).trim() : "?";
        skipUnless(what, os.equals("Linux"), "not Linux (" + os + ")");
        skipUnless(what, arch.equals("amd64") || arch.equals("x86_64"), "not x86_64 (" + arch + ")");
        skipUnless(what, release.startsWith("6.18."), "kernel " + release + " is not the 6.18 series the model encodes");
        for (String t : tools) {
            skipUnless(what, onPath(t), t + " missing");
        }
    }

    static void skipUnless(String what, boolean ok, String reason) {
        if (!ok) {
            System.out.println("SKIPPED " + what + ": " + reason);
        }
        Assumptions.assumeTrue(ok, what + ": " + reason);
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Paths.get(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Builds verification/conformance/src/test/c/mmap_recorder.c into target/live/{@code name}. */
    static Path recorder(String name) throws IOException, InterruptedException {
        Path work = Paths.get("target", "live").toAbsolutePath();
        Files.createDirectories(work);
        Path src = Paths.get("src", "test", "c", "mmap_recorder.c").toAbsolutePath();
        Path bin = work.resolve(name);
        run(List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", bin.toString(), src.toString()));
        return bin;
    }

    /**
     * The {@code "mm"} of a recorded x86_64 call as the model derives it: the layout given, the
     * stack rlimit the recorder ran under (mmap_base left out, so the oracle computes it), the
     * effective mmap_min_addr and the sysctl, and whether the task has CAP_SYS_RAWIO.
     */
    static ObjectNode recordedMm(Recording rec, boolean legacy, long effectiveMin, boolean rawio) {
        ObjectNode mm = OracleReplay.JSON.createObjectNode();
        mm.put("arch", "x86_64");
        mm.put("layout", legacy ? "legacy" : "topdown");
        mm.put("stack_rlimit", Hex.of(rec.stackRlimit()));
        mm.put("mmap_min_addr", Hex.of(effectiveMin));
        mm.put("dac_mmap_min_addr", Hex.of(rec.mmapMinAddrSysctl()));
        mm.put("cap_sys_rawio", rawio);
        return mm;
    }

    /** Parses a finished recorder run and checks it made all {@code calls}. */
    static Recording parse(String source, String out, int calls) throws IOException {
        Recording rec = Recording.parse(source, new BufferedReader(new StringReader(out)));
        assertEquals(calls, rec.declaredCalls(), source + ": recorder did not finish");
        assertEquals(calls, rec.calls().size(), source + ": calls parsed");
        return rec;
    }

    /**
     * CONFIG_LSM_MMAP_MIN_ADDR when CONFIG_SECURITY is on (security/min_addr.c), from
     * /proc/config.gz; else 65536 as kernel-facts records for these machines.
     */
    static long lsmMmapMinAddr() throws IOException {
        Path cfg = Paths.get("/proc/config.gz");
        if (!Files.isReadable(cfg)) {
            return 65536;
        }
        boolean security = false;
        long lsm = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(cfg)),
                StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                if (l.equals("CONFIG_SECURITY=y")) {
                    security = true;
                } else if (l.startsWith("CONFIG_LSM_MMAP_MIN_ADDR=")) {
                    lsm = Long.parseLong(l.substring(l.indexOf('=') + 1));
                }
            }
        }
        return security ? lsm : 0;
    }

    /** Bit 17 (CAP_SYS_RAWIO) of CapEff in /proc/self/status; the recorder inherits it. */
    static boolean hasCapSysRawio() throws IOException {
        for (String l : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (l.startsWith("CapEff:")) {
                return ((Long.parseUnsignedLong(l.substring(7).trim(), 16) >> 17) & 1) != 0;
            }
        }
        return false;
    }

    /** Runs {@code cmd} to its end; its stdout. Fails on a non-zero exit or after 120 s. */
    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), "failed: " + cmd);
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Runs {@code cmd}; once the recorder has written its first line (the ENV line, written after
     * exec, so after the kernel chose the layout and read every knob the run depends on) calls
     * {@code started}, then reads the rest. Used to keep a global sysctl set for as short a time
     * as possible.
     */
    static String runThen(List<String> cmd, Runnable started) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String first = in.readLine();
            started.run();
            if (first != null) {
                out.append(first).append('\n');
                char[] buf = new char[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.append(buf, 0, n);
                }
            }
        } finally {
            started.run();
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), "failed: " + cmd);
        return out.toString();
    }

    /** Whether this process's hard RLIMIT_STACK is unlimited (/proc/self/limits), so any soft limit can be set. */
    static boolean hardStackUnlimited() throws IOException {
        for (String l : Files.readAllLines(Paths.get("/proc/self/limits"))) {
            if (l.startsWith("Max stack size")) {
                String[] w = l.substring("Max stack size".length()).trim().split("\\s+");
                return w.length > 1 && w[1].equals("unlimited");
            }
        }
        return false;
    }

    /**
     * The command that runs the recorder under {@code setarch -R} (and {@code -L} for the legacy
     * layout) with the soft RLIMIT_STACK {@code stack} ({@code prlimit --stack=SOFT:}: the hard
     * limit is left as it is; the rlimit current at exec is the one the layout is computed from).
     */
    static List<String> underRlimit(String stack, boolean legacy, Path bin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("prlimit", "--stack=" + stack + ":", "setarch", "x86_64"));
        if (legacy) {
            cmd.add("-L");
        }
        cmd.add("-R");
        cmd.add(bin.toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Prints the first 25 mismatches and each seeded wrong variant's count, and asserts that the
     * oracle agreed with the kernel on all {@code total} calls.
     */
    static void reportAndAssertNoMismatch(String what, int total, List<String> mismatches, Collection<String> variants,
            Map<String, Integer> caught) {
        mismatches.stream().limit(25).forEach(m -> System.out.println("  MISMATCH " + m));
        for (String w : variants) {
            System.out.printf("%s, seeded wrong variant \"%s\": %d mismatches%n", what, w, caught.getOrDefault(w, 0));
        }
        assertEquals(0, mismatches.size(), "the oracle disagrees with the kernel on " + mismatches.size() + " of "
                + total + " calls; first: " + (mismatches.isEmpty() ? "" : mismatches.get(0)));
    }

    /** Asserts that every seeded wrong {@code kind} ("model", "layout") disagreed with the kernel at least once. */
    static void assertEveryVariantCaught(String kind, Collection<String> variants, Map<String, Integer> caught) {
        for (String w : variants) {
            assertTrue(caught.getOrDefault(w, 0) > 0, "the wrong " + kind + " \"" + w + "\" must be caught");
        }
    }
}
