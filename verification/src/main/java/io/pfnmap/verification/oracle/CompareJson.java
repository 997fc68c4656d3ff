package io.pfnmap.verification.oracle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.pfnmap.mm.Hex;
import io.pfnmap.vfio.Compare;
import io.pfnmap.vfio.VfioOutcome;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code oracle compare --json}: one JSON object per row of vfio-model's {@link Compare}, with
 * the fault profile's handler calls by order ({@code huge_fault_calls}, absent when the mmap failed). Here,
 * not in vfio-model, so that the model library needs no JSON library.
 */
public final class CompareJson {
    private CompareJson() {
    }

    /** A row as written: u64s as hex strings, {@code result} or {@code error}, leaves per size. */
    @JsonPropertyOrder({"arch", "bar_size", "within", "len", "space", "policy", "result", "error", "leaves", "faults",
        "huge_fault_calls", "padding", "failed_where_plain_succeeds"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Row(String arch, @JsonProperty("bar_size") String barSize, String within, String len, String space,
            String policy, String result, String error, Map<String, Long> leaves, long faults,
            @JsonProperty("huge_fault_calls") Map<String, Long> hugeFaultCalls, String padding,
            @JsonProperty("failed_where_plain_succeeds") boolean failedWherePlainSucceeds) {

        static Row of(Compare.Row r) {
            VfioOutcome o = r.outcome();
            Map<String, Long> leaves = new LinkedHashMap<>();
            o.leaves().forEach((size, n) -> leaves.put(Hex.of(size), n));
            Map<String, Long> calls = null;
            if (o.profile() != null) {
                calls = new LinkedHashMap<>();
                for (Map.Entry<Integer, Long> e : o.profile().hugeFaultCalls().entrySet()) {
                    calls.put(Integer.toString(e.getKey()), e.getValue());
                }
            }
            String describe = o.result().describe();
            return new Row(r.arch(), Hex.of(r.barSize()), Hex.of(r.within()), Hex.of(r.len()), r.space(),
                    o.policy().id(), o.result().isError() ? null : describe, o.result().isError() ? describe : null,
                    leaves, o.faults(), calls, Hex.of(o.padding()), o.failedWherePlainSucceeds());
        }
    }

    public static void print(PrintStream out, List<Compare.Row> rows) {
        try {
            for (Compare.Row r : rows) {
                out.println(Jsons.MAPPER.writeValueAsString(Row.of(r)));
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
