package io.pfnmap.verification.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * The run's schedule is fixed by the contracts and their estimated costs alone: the same for any
 * order of the keys, every key once, heaviest first in each process, and balanced as the
 * longest-first rule balances (no process more than the heaviest single cost above the others).
 */
class ScheduleTest {

    static final Map<String, Long> COSTS = Map.of("A#a n.0", 70_000L, "B#b n.0", 70_000L, "C#c n.0", 40_000L,
            "D#d n.0", 5_000L, "E#e n.0", 5_000L, "F#f n.0", 10_000L, "G#g n.0", 5_000L);

    @Test
    void theScheduleDependsOnTheContractsAndCostsOnly() {
        ToLongFunction<String> cost = COSTS::get;
        List<String> keys = new ArrayList<>(COSTS.keySet());
        List<List<String>> first = ProofRun.schedule(keys, cost, 2);
        Random r = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(keys, r);
            assertEquals(first, ProofRun.schedule(keys, cost, 2), "order of the keys " + keys);
        }
        assertEquals(List.of(List.of("A#a n.0", "C#c n.0"), List.of("B#b n.0", "F#f n.0", "D#d n.0", "E#e n.0", "G#g n.0")),
                first);
    }

    @Test
    void everyKeyOnceHeaviestFirstAndBalanced() {
        ToLongFunction<String> cost = COSTS::get;
        for (int workers = 1; workers <= 3; workers++) {
            List<List<String>> plan = ProofRun.schedule(List.copyOf(COSTS.keySet()), cost, workers);
            assertEquals(workers, plan.size());
            List<String> all = new ArrayList<>();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (List<String> p : plan) {
                all.addAll(p);
                long sum = 0;
                for (int i = 0; i < p.size(); i++) {
                    sum += cost.applyAsLong(p.get(i));
                    if (i > 0) {
                        assertTrue(cost.applyAsLong(p.get(i - 1)) >= cost.applyAsLong(p.get(i)), "heaviest first: " + p);
                    }
                }
                min = Math.min(min, sum);
                max = Math.max(max, sum);
            }
            Collections.sort(all);
            List<String> keys = new ArrayList<>(COSTS.keySet());
            Collections.sort(keys);
            assertEquals(keys, all, "every key once");
            assertTrue(max - min <= 70_000L, "balanced: " + plan);
        }
    }

    @Test
    void anExcusedContractCountsItsWholeLimitAClosingOneHalf() {
        Budgets budgets = Budgets.parse(List.of("UnmappedArea#unmappedArea normal_behavior.0 | 140000 | the loop"));
        Excused none = Excused.parse(List.of(), "excused.txt");
        Excused excused = Excused.parse(List.of("VmaTree#findVma normal_behavior.0 | open | close it"), "excused.txt");
        Excused trusted = Excused.parse(List.of("A#m normal_behavior.2 | determinism | pure"), "trusted.txt");
        assertEquals(70_000L, ProofRun.cost("UnmappedArea#unmappedArea normal_behavior.0", budgets, none, none, 10_000));
        assertEquals(5_000L, ProofRun.cost("Arith#remU normal_behavior.0", budgets, none, none, 10_000));
        assertEquals(10_000L, ProofRun.cost("VmaTree#findVma normal_behavior.0", budgets, excused, none, 10_000));
        assertEquals(10_000L, ProofRun.cost("A#m normal_behavior.2", budgets, none, trusted, 10_000));
    }

    @Test
    void measuredCostsAreReadAndAMalformedLineFails() {
        Map<String, Long> m = ProofRun.parseCosts(List.of("# comment", "", "A#m normal_behavior.0 | 1234"));
        assertEquals(Map.of("A#m normal_behavior.0", 1234L), m);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> ProofRun.parseCosts(List.of("A#m normal_behavior.0 | fast")));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void theProjectsCostsParseAndBalanceTheLastRunBetterThanTheEstimate() {
        Map<String, Long> costs = ProofRun.costs();
        assertTrue(costs.size() > 100, "costs.txt lists the run's contracts: " + costs.size());
        List<String> keys = new ArrayList<>(costs.keySet());
        List<List<String>> plan = ProofRun.schedule(keys, costs::get, 2);
        long[] load = new long[2];
        for (int w = 0; w < 2; w++) {
            for (String k : plan.get(w)) {
                load[w] += costs.get(k);
            }
        }
        long heaviest = Collections.max(costs.values());
        assertTrue(Math.abs(load[0] - load[1]) <= heaviest, "balanced on measured costs: " + load[0] + " / " + load[1]);
    }
}
