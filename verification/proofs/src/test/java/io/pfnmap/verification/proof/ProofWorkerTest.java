package io.pfnmap.verification.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pipe between a proof run and its worker process: what crosses it, and how a worker starts. */
class ProofWorkerTest {

    @Test
    void anOutcomeCrossesThePipeUnchangedUpToLayoutCharacters() {
        KeyProver.Outcome o = new KeyProver.Outcome(false, 20115, 32760,
                List.of("Post (doMmapHook) / Post (ule) (x11)", "goal\twith\ttabs\nand a newline"), KeyProver.INT_RULES);
        String line = ProofWorker.encode("DoMmap#doMmap normal_behavior.0", o);
        assertTrue(line.startsWith(ProofWorker.RESULT));
        assertEquals(1, line.split("\n", -1).length, "one line per result");
        Map.Entry<String, KeyProver.Outcome> back = ProofWorker.decode(line);
        assertEquals("DoMmap#doMmap normal_behavior.0", back.getKey());
        assertEquals(new KeyProver.Outcome(false, 20115, 32760,
                List.of("Post (doMmapHook) / Post (ule) (x11)", "goal with tabs and a newline"), KeyProver.INT_RULES),
                back.getValue());
        KeyProver.Outcome closed = new KeyProver.Outcome(true, 643, 1331, List.of(), KeyProver.INT_RULES,
                List.of("Arith#remU normal_behavior.0", "Arith#ugt normal_behavior.0"), false);
        assertEquals(closed, ProofWorker.decode(ProofWorker.encode("VfioPciOffset#indexToPgoff normal_behavior.0", closed)).getValue());
        KeyProver.Outcome stopped = new KeyProver.Outcome(false, 1306, 900_000, List.of("stopped by the wall-clock safety net"),
                KeyProver.INT_RULES, List.of(), true);
        assertEquals(stopped, ProofWorker.decode(ProofWorker.encode("Leaves#isDescending normal_behavior.0", stopped)).getValue());
    }

    @Test
    void aMalformedResultLineIsRefusedWithTheLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProofWorker.decode(ProofWorker.RESULT + "A#m normal_behavior.0\ttrue"));
        assertTrue(e.getMessage().contains("malformed worker result"), e.getMessage());
    }

    @Test
    void aWorkerRunsThisJavaOnTheTestClassPathWithTheRunsSettings() {
        List<String> cmd = ProofWorker.command(Path.of("/tmp/sources"), 10000, 15, Path.of("/tmp/home-1"));
        assertTrue(cmd.contains("-Duser.home=/tmp/home-1"), "a home of its own: " + cmd);
        assertEquals(1, cmd.stream().filter(a -> a.startsWith("-Duser.home=")).count(), "one user.home: " + cmd);
        assertTrue(cmd.get(0).endsWith("java"), cmd.get(0));
        assertEquals(List.of(ProofWorker.class.getName(), "/tmp/sources", "10000", "15"), cmd.subList(cmd.size() - 4, cmd.size()));
        int cp = cmd.indexOf("-cp");
        assertTrue(cp > 0 && cmd.get(cp + 1).contains("test-classes"), "test class path: " + cmd);
        assertTrue(cmd.stream().anyMatch(a -> a.startsWith("-Dproofs.projectRoot=")), "proofs.* settings: " + cmd);
        assertTrue(cmd.containsAll(ProofWorker.DETERMINISTIC_JVM), "a reproducible JVM (no thread or compilation left to timing): " + cmd);
        assertFalse(cmd.stream().anyMatch(a -> a.startsWith("-XX:+UseG1GC") || a.startsWith("-XX:ParallelGCThreads")),
                "no GC option of the parent that starts GC threads: " + cmd);
    }

    @Test
    void theReadyLineCarriesTheContractsInOrder() {
        String line = ProofWorker.encodeTargets(List.of());
        assertEquals(Map.of(), ProofWorker.decodeTargets(line));
        Map<String, ProofRun.Target> back = ProofWorker.decodeTargets(ProofWorker.READY
                + "\tio.pfnmap.mm.core\u001fVmaTree\u001ffindVma\u001fnormal_behavior.0"
                + "\tio.pfnmap.seeded\u001fLoopSeed\u001fwrongRetryFromGap\u001fnormal_behavior.0");
        assertEquals(List.of("VmaTree#findVma normal_behavior.0", "LoopSeed#wrongRetryFromGap normal_behavior.0"),
                List.copyOf(back.keySet()));
        assertEquals(new ProofRun.Target("io.pfnmap.seeded", "LoopSeed", "wrongRetryFromGap", "normal_behavior.0"),
                back.get("LoopSeed#wrongRetryFromGap normal_behavior.0"));
        assertThrows(IllegalStateException.class, () -> ProofWorker.decodeTargets(ProofWorker.READY + "\tA\u001fB"));
    }
}
