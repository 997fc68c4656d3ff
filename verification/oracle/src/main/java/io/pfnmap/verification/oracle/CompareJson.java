package io.pfnmap.verification.oracle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.pfnmap.mm.Hex;
import io.pfnmap.vfio.Compare;
import io.pfnmap.vfio.VfioOutcome;
import io.pfnmap.vfio.VfioSplit;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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

    /** A split-BAR row: the device, the design, each area's result, and the device's totals. */
    @JsonPropertyOrder({"arch", "device", "title", "policy", "areas", "failed", "leaves", "faults", "huge_fault_calls",
        "padding", "span"})
    record DeviceRow(String arch, String device, String title, String policy, List<Map<String, String>> areas,
            int failed, Map<String, Long> leaves, long faults,
            @JsonProperty("huge_fault_calls") Map<String, Long> hugeFaultCalls, String padding, String span) {

        static DeviceRow of(Compare.DeviceRow r) {
            VfioSplit.DeviceOutcome o = r.outcome();
            List<Map<String, String>> areas = new ArrayList<>();
            for (int i = 0; i < o.areas().size(); i++) {
                VfioSplit.Area a = r.scenario().areas().get(i);
                Map<String, String> m = new LinkedHashMap<>();
                m.put("bar", Integer.toString(a.bar()));
                m.put("offset", Hex.of(a.offset()));
                m.put("len", Hex.of(a.len()));
                String d = o.areas().get(i).result().describe();
                m.put(o.areas().get(i).result().isError() ? "error" : "result", d);
                areas.add(m);
            }
            Map<String, Long> leaves = new LinkedHashMap<>();
            o.profile().leaves().forEach((size, n) -> leaves.put(Hex.of(size), n));
            Map<String, Long> calls = new LinkedHashMap<>();
            o.profile().hugeFaultCalls().forEach((order, n) -> calls.put(Integer.toString(order), n));
            return new DeviceRow(r.arch(), r.scenario().id(), r.scenario().title(), o.policy().id(), areas, o.failed(),
                    leaves, o.profile().faults(), calls, Hex.of(o.padding()), Hex.of(o.span()));
        }
    }

    /** The split BARs' rows ({@code oracle compare --split --json}), one JSON line each. */
    public static void printDevices(PrintStream out, List<Compare.DeviceRow> rows) {
        printLines(out, rows, DeviceRow::of);
    }

    /** The whole-BAR rows ({@code oracle compare --json}), one JSON line each. */
    public static void print(PrintStream out, List<Compare.Row> rows) {
        printLines(out, rows, Row::of);
    }

    /** Each row as {@code asJson} makes it, written as one JSON line. */
    private static <T> void printLines(PrintStream out, List<T> rows, Function<T, Object> asJson) {
        try {
            for (T r : rows) {
                out.println(Jsons.MAPPER.writeValueAsString(asJson.apply(r)));
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
