package io.pfnmap.verification.oracle;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pfnmap.mm.AlignedTry;
import io.pfnmap.mm.Errnos;
import io.pfnmap.mm.Explanation;
import io.pfnmap.mm.Placement;
import io.pfnmap.vfio.FaultProfile;
import io.pfnmap.vfio.VfioExplanation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the protocol's answer lines (docs/oracle.md), each one compact JSON object and a newline,
 * with a Jackson generator into a buffer the oracle sends in blocks:
 * <pre>
 * {"id":7,"result":"0x7ffff7a00000"}              an address
 * {"id":7,"error":"ENOMEM"}                       the kernel's errno, by name
 * {"id":7,"result":"0x...","explain":{...}}       with "explain": true
 * {"id":7,"invalid":"len: required"}              not a valid request
 * {"id":7,"internal_error":"..."}                 a fault in the oracle itself (never expected)
 * </pre>
 * The id is the request's id as its JSON source text ({@code null} when absent or unreadable).
 * Every u64 is a lowercase {@code "0x..."} string. Not thread-safe; one per stream.
 */
public final class AnswerWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** The lines written so far; {@link #truncate} cuts back a half-written one. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(1 << 12);
        }

        void truncate(int size) {
            count = size;
        }
    }

    private final Buffer buf = new Buffer();
    private final char[] hex = new char[18];
    private JsonGenerator g = Jsons.generator(buf);

    /** Bytes of whole lines written so far. */
    public int size() {
        return buf.size();
    }

    /** Drops everything after the first {@code size} bytes (a half-written line, on a failure). */
    public void truncate(int size) {
        if (!g.getOutputContext().inRoot()) {
            g = Jsons.generator(buf); // the old one is inside the half-written object: never flushed again
        }
        buf.truncate(size);
    }

    public void reset() {
        truncate(0);
    }

    public void writeTo(OutputStream out) throws IOException {
        buf.writeTo(out);
    }

    @Override
    public String toString() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** The model's answer, with the path taken when {@code explain} is not null. */
    public void answer(String id, Placement p, Explanation explain, VfioExplanation vfio) {
        answer(id, p, explain, vfio, null);
    }

    /** The model's answer, with the path taken and, when not null, a VFIO mapping's fault profile. */
    public void answer(String id, Placement p, Explanation explain, VfioExplanation vfio, FaultProfile profile) {
        try {
            g.writeStartObject();
            g.writeFieldName("id");
            g.writeRawValue(id);
            if (p.isError()) {
                g.writeStringField("error", Errnos.name(p.errno()));
            } else {
                u64("result", p.address());
            }
            if (explain != null) {
                g.writeObjectFieldStart("explain");
                if (vfio != null) {
                    vfio(vfio);
                }
                g.writeStringField("search", explain.search());
                u64("hint", explain.hint());
                g.writeArrayFieldStart("tries");
                for (AlignedTry t : explain.tries()) {
                    g.writeStartObject();
                    u64("size", t.size());
                    u64("off", t.off());
                    u64("len_pad", t.lenPad());
                    u64("padded_result", t.paddedResult());
                    u64("off_sub", t.offSub());
                    g.writeStringField("outcome", t.outcome());
                    u64("answer", t.answer());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeStringField("summary", explain.describe());
                g.writeEndObject();
            }
            if (profile != null) {
                profile(profile);
            }
            endLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code "profile": {"faults": N, "leaves": {"0x200000": n, ...}, "huge_fault_calls": {"9": n, ...}}}. */
    private void profile(FaultProfile f) throws IOException {
        g.writeObjectFieldStart("profile");
        g.writeNumberField("faults", f.faults());
        g.writeObjectFieldStart("leaves");
        for (java.util.Map.Entry<Long, Long> e : f.leaves().entrySet()) {
            g.writeNumberField("0x" + Long.toHexString(e.getKey()), e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("huge_fault_calls");
        for (java.util.Map.Entry<Integer, Long> e : f.hugeFaultCalls().entrySet()) {
            g.writeNumberField(Integer.toString(e.getKey()), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private void vfio(VfioExplanation vfio) throws IOException {
        g.writeStringField("policy", vfio.policy().id());
        g.writeNumberField("region", vfio.index());
        u64("within", vfio.within());
        if (vfio.orderHint() >= 0) {
            g.writeNumberField("order_hint", vfio.orderHint());
        }
        g.writeArrayFieldStart("sizes");
        for (long s : vfio.sizes()) {
            u64(s);
        }
        g.writeEndArray();
        if (vfio.reservation() != null) {
            u64(vfio.policy() == io.pfnmap.vfio.VfioPolicy.QEMU ? "qemu_align" : "reservation_align", vfio.qemuAlign());
            if (vfio.reservation().isError()) {
                g.writeStringField("reservation_error", Errnos.name(vfio.reservation().errno()));
            } else {
                u64("reservation", vfio.reservation().address());
            }
        }
    }

    /** A fault's answer: the leaf size inserted and its order ({@code log2(size / PAGE_SIZE)}). */
    public void fault(String id, long size, long pageSize) {
        try {
            g.writeStartObject();
            g.writeFieldName("id");
            g.writeRawValue(id);
            u64("result", size);
            g.writeNumberField("order", Long.numberOfTrailingZeros(size) - Long.numberOfTrailingZeros(pageSize));
            endLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Op {@code "space"}'s answer: {@code {"id":..,"space":"p1","vmas":N}}, the VMAs the space now
     * holds, or {@code {"id":..,"space":"p1","dropped":true}} when {@code vmas} is negative.
     */
    public void space(String id, String name, int vmas) {
        try {
            g.writeStartObject();
            g.writeFieldName("id");
            g.writeRawValue(id);
            g.writeStringField("space", name);
            if (vmas < 0) {
                g.writeBooleanField("dropped", true);
            } else {
                g.writeNumberField("vmas", vmas);
            }
            endLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"id":..,"invalid":"<field>: <rule>"}}. */
    public void invalid(String id, String invalid) {
        message(id, "invalid", invalid);
    }

    /** {@code {"id":..,"internal_error":"..."}}: the oracle failed on a line it accepted. */
    public void internalError(String id, String message) {
        message(id, "internal_error", message);
    }

    private void message(String id, String kind, String text) {
        try {
            g.writeStartObject();
            g.writeFieldName("id");
            g.writeRawValue(id);
            g.writeStringField(kind, text);
            endLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void endLine() throws IOException {
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush(); // into the buffer, so that size() counts whole lines
    }

    private void u64(String name, long v) throws IOException {
        g.writeFieldName(name);
        u64(v);
    }

    /** {@code "0x..."}, lowercase, no leading zeros. */
    private void u64(long v) throws IOException {
        int digits = v == 0 ? 1 : (67 - Long.numberOfLeadingZeros(v)) / 4;
        hex[0] = '0';
        hex[1] = 'x';
        for (int i = 0; i < digits; i++) {
            hex[2 + i] = HEX[(int) (v >>> (4 * (digits - 1 - i))) & 0xf];
        }
        g.writeString(hex, 0, digits + 2);
    }
}
