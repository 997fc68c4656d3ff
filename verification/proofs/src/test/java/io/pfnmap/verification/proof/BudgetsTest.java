package io.pfnmap.verification.proof;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** proofs/budgets.txt: parsed as written, malformed or stale lines fail the run. */
class BudgetsTest {

    @Test
    void aBudgetSetsTheLimitAboveOrBelowTheRunsOwn() {
        Budgets b = Budgets.parse(List.of("# comment", "", "A#m normal_behavior.0 | 30000 | why", "B#m normal_behavior.0 | 500 | why"));
        assertEquals(30000, b.steps("A#m normal_behavior.0", 10000));
        assertEquals(500, b.steps("B#m normal_behavior.0", 10000));
        assertEquals(10000, b.steps("C#m normal_behavior.0", 10000));
    }

    @Test
    void malformedLinesNameTheirNumberAndRule() {
        assertParseFails(List.of("A#m normal_behavior.0 | 30000", "B#m normal_behavior.0 | many | why"),
                "line 1: needs 'Class#method contract | steps | why'", "line 2: steps must be a number, not 'many'");
    }

    @Test
    void strategyOptionsAreReadAndUnknownOnesFail() {
        Budgets b = Budgets.parse(List.of("A#m normal_behavior.0 | 30000 | why | classAxiom=delayed query=off"));
        assertEquals(java.util.Map.of("classAxiom", "delayed", "query", "off"), b.options("A#m normal_behavior.0"));
        assertEquals(java.util.Map.of(), b.options("B#m normal_behavior.0"));
        assertParseFails(List.of("A#m normal_behavior.0 | 30000 | why | smt=z3", "B#m normal_behavior.0 | 1 | why | query=maybe"),
                "line 1: option 'smt=z3'", "line 2: option 'query=maybe'");
    }

    /** Parsing {@code lines} fails, with a message that holds each of {@code expected}. */
    private static void assertParseFails(List<String> lines, String... expected) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Budgets.parse(lines));
        for (String x : expected) {
            assertTrue(e.getMessage().contains(x), e.getMessage());
        }
    }

    @Test
    void anEntryNamingNoContractFailsUnlessFiltered() {
        Budgets b = Budgets.parse(List.of("Gone#m normal_behavior.0 | 30000 | why"));
        assertThrows(IllegalStateException.class, () -> b.checkAllUsed(List.of("A#m normal_behavior.0"), false));
        assertDoesNotThrow(() -> b.checkAllUsed(List.of("A#m normal_behavior.0"), true));
    }

    @Test
    void theProjectsBudgetsParse() {
        assertDoesNotThrow(Budgets::load);
    }
}
