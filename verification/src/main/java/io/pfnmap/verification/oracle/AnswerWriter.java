package io.pfnmap.verification.oracle;

import io.pfnmap.mm.Errnos;
import io.pfnmap.mm.Explanation;
import io.pfnmap.mm.Placement;

/**
 * Writes the protocol's answer lines (docs/oracle.md), each one compact JSON object and a newline:
 * <pre>
 * {"id":7,"result":"0x7ffff7a00000"}              an address
 * {"id":7,"error":"ENOMEM"}                       the kernel's errno, by name
 * {"id":7,"result":"0x...","explain":{...}}       with "explain": true
 * {"id":7,"invalid":"len: required"}              not a valid request
 * {"id":7,"internal_error":"..."}                 a fault in the oracle itself (never expected)
 * </pre>
 * The id is the request's id as its JSON source text ({@code null} when absent or unreadable).
 */
public final class AnswerWriter {
    private AnswerWriter() {
    }

    /** The model's answer, with the path taken when {@code explain} is not null. */
    public static void answer(JsonWriter w, String id, Placement p, Explanation explain) {
        w.beginObject().name("id").rawValue(id);
        if (p.isError()) {
            w.name("error").value(Errnos.name(p.errno()));
        } else {
            w.name("result").u64(p.address());
        }
        if (explain != null) {
            w.name("explain").beginObject()
                    .name("search").value(explain.search())
                    .name("hint").u64(explain.hint())
                    .name("aligned_size").u64(explain.alignedSize())
                    .name("aligned_result").u64(explain.alignedResult())
                    .name("summary").value(explain.describe())
                    .endObject();
        }
        w.endObject().newline();
    }

    /** {@code {"id":..,"invalid":"<field>: <rule>"}}. */
    public static void invalid(JsonWriter w, String id, String invalid) {
        w.beginObject().name("id").rawValue(id).name("invalid").value(invalid).endObject().newline();
    }

    /** {@code {"id":..,"internal_error":"..."}}: the oracle failed on a line it accepted. */
    public static void internalError(JsonWriter w, String id, String message) {
        w.beginObject().name("id").rawValue(id).name("internal_error").value(message).endObject().newline();
    }
}
