package io.pfnmap.verification.oracle;

import io.pfnmap.mm.AlignedTry;
import io.pfnmap.mm.Errnos;
import io.pfnmap.mm.Explanation;
import io.pfnmap.mm.Placement;
import io.pfnmap.vfio.VfioExplanation;

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
    public static void answer(JsonWriter w, String id, Placement p, Explanation explain, VfioExplanation vfio) {
        w.beginObject().name("id").rawValue(id);
        if (p.isError()) {
            w.name("error").value(Errnos.name(p.errno()));
        } else {
            w.name("result").u64(p.address());
        }
        if (explain != null) {
            w.name("explain").beginObject();
            if (vfio != null) {
                w.name("policy").value(vfio.policy().id())
                        .name("region").rawValue(Long.toString(vfio.index()))
                        .name("within").u64(vfio.within());
                if (vfio.orderHint() >= 0) {
                    w.name("order_hint").rawValue(Integer.toString(vfio.orderHint()));
                }
                w.name("sizes").beginArray();
                for (long s : vfio.sizes()) {
                    w.u64(s);
                }
                w.endArray();
                if (vfio.reservation() != null) {
                    w.name("qemu_align").u64(vfio.qemuAlign());
                    if (vfio.reservation().isError()) {
                        w.name("reservation_error").value(Errnos.name(vfio.reservation().errno()));
                    } else {
                        w.name("reservation").u64(vfio.reservation().address());
                    }
                }
            }
            w.name("search").value(explain.search())
                    .name("hint").u64(explain.hint())
                    .name("tries").beginArray();
            for (AlignedTry t : explain.tries()) {
                w.beginObject()
                        .name("size").u64(t.size())
                        .name("off").u64(t.off())
                        .name("len_pad").u64(t.lenPad())
                        .name("padded_result").u64(t.paddedResult())
                        .name("off_sub").u64(t.offSub())
                        .name("outcome").value(t.outcome())
                        .name("answer").u64(t.answer())
                        .endObject();
            }
            w.endArray()
                    .name("summary").value(explain.describe())
                    .endObject();
        }
        w.endObject().newline();
    }

    /** A fault's answer: the leaf size inserted and its order ({@code log2(size / PAGE_SIZE)}). */
    public static void fault(JsonWriter w, String id, long size, long pageSize) {
        w.beginObject().name("id").rawValue(id).name("result").u64(size)
                .name("order").rawValue(Integer.toString(Long.numberOfTrailingZeros(size)
                        - Long.numberOfTrailingZeros(pageSize)))
                .endObject().newline();
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
