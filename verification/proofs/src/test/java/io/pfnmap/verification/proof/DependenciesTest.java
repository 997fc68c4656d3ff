package io.pfnmap.verification.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A closed proof rests on every contract below it, through closed callees, that did not close. */
class DependenciesTest {

    static ContractResult row(String method, String status, String... uses) {
        return new ContractResult("mm-model", "A", method, "normal_behavior.0", status, 1, 1, "", "", List.of(),
                ContractResult.CLOSED, List.of(uses), List.of());
    }

    static String k(String method) {
        return "A#" + method + " normal_behavior.0";
    }

    @Test
    void restsOnFollowsClosedCalleesAndStopsAtTheFirstContractNotClosed() {
        List<ContractResult> rows = List.of(
                row("caller", ContractResult.CLOSED, k("middle"), k("leaf")),
                row("middle", ContractResult.CLOSED, k("excused")),
                row("excused", ContractResult.EXCUSED, k("below")),
                row("below", ContractResult.CLOSED),
                row("leaf", ContractResult.CLOSED),
                row("filtered", ContractResult.CLOSED, k("elsewhere")),
                row("cycle", ContractResult.CLOSED, k("cycle")));
        Map<String, ContractResult> out = ProofRun.withDependencies(rows).stream()
                .collect(Collectors.toMap(ContractResult::method, Function.identity()));
        assertEquals(List.of(k("excused")), out.get("caller").restsOn());
        assertEquals(List.of(k("excused")), out.get("middle").restsOn());
        assertEquals(List.of(), out.get("leaf").restsOn(), "a proof on no callee holds outright");
        assertEquals(List.of(), out.get("excused").restsOn(), "only closed rows rest on anything");
        assertEquals(List.of(k("elsewhere") + " (not in this run)"), out.get("filtered").restsOn());
        assertEquals(List.of(), out.get("cycle").restsOn(), "a proof does not rest on itself");
    }

    @Test
    void theReportCountsAndNamesWhatAClosedProofRestsOn() {
        List<ContractResult> rows = ProofRun.withDependencies(List.of(
                row("caller", ContractResult.CLOSED, k("excused")),
                row("excused", ContractResult.EXCUSED)));
        String table = Report.table(rows, false);
        assertTrue(table.contains("rests on " + k("excused")), table);
        String json = Report.json(rows);
        assertTrue(json.contains("\"restsOn\":[\"" + k("excused") + "\"]"), json);
        assertTrue(json.contains("\"uses\":[\"" + k("excused") + "\"]"), json);
    }
}
