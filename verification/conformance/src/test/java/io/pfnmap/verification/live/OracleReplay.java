package io.pfnmap.verification.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pfnmap.mm.Errnos;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.VmaFlag;
import io.pfnmap.verification.oracle.Oracle;
import io.pfnmap.verification.oracle.RequestParser;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Replays recorded calls through the oracle's protocol, as a user of {@code ./oracle} would send
 * them: each call becomes one {@code mmap} request line carrying the VMAs the recorder saw, the
 * request, and an {@code "mm"} that the caller builds (so a check can leave {@code mmap_base} out
 * and let the oracle derive it from {@code stack_rlimit}). The answer is turned back into the raw
 * syscall return the recorder wrote: an address, or {@code -errno}.
 */
final class OracleReplay {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Oracle oracle = new Oracle();

    /** The request line for {@code c}: {@code file} is the JSON value of "file" for a file call. */
    static String line(RecordedCall c, ObjectNode mm, JsonNode file) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", c.seq());
        r.put("op", "mmap");
        r.set("mm", mm);
        ArrayNode vmas = r.putArray("vmas");
        for (Vma v : c.vmas()) {
            ObjectNode o = vmas.addObject();
            o.put("start", Hex.of(v.start()));
            o.put("end", Hex.of(v.end()));
            if (v.flags().contains(VmaFlag.GROWSDOWN)) {
                o.putArray("flags").add("growsdown");
            }
        }
        if (c.file()) {
            r.set("file", file);
        } else {
            r.put("file", "anon");
        }
        r.put("addr", Hex.of(c.addr()));
        r.put("len", Hex.of(c.len()));
        r.put("pgoff", Hex.of(c.pgoff()));
        ArrayNode flags = r.putArray("flags");
        long left = c.flags();
        // MAP_HUGE_*: one name for the whole size log (bits 26..31), not every name whose bits it holds
        long hugeLog = c.flags() & (0x3fL << 26);
        for (Map.Entry<String, Long> f : RequestParser.MAP_FLAGS.entrySet()) {
            if (f.getKey().startsWith("MAP_HUGE_")) {
                if (hugeLog != 0 && f.getValue() == hugeLog) {
                    flags.add(f.getKey());
                    left &= ~hugeLog;
                }
                continue;
            }
            long bit = f.getValue();
            boolean type = bit <= 3;
            if (type ? (c.flags() & 3) == bit : (c.flags() & bit) == bit) {
                flags.add(f.getKey());
                left &= ~bit;
            }
        }
        if (left != 0) {
            throw new IllegalArgumentException(c.source() + " call " + c.seq() + ": flags " + Hex.of(left)
                    + " have no name in the protocol");
        }
        try {
            return JSON.writeValueAsString(r);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The oracle's answer to {@code c} as the raw syscall return (an address, or {@code -errno}).
     * An answer that is not a result or an errno (an {@code invalid} refusal, an internal error)
     * fails with the answer in the message: every recorded call is a request a kernel caller made.
     */
    long answer(RecordedCall c, ObjectNode mm, JsonNode file) {
        return answerLine(c, line(c, mm, file));
    }

    /** The oracle's answer to the request {@code line} made for {@code c} (perhaps edited), as a syscall return. */
    long answerLine(RecordedCall c, String line) {
        String a = oracle.answer(line);
        JsonNode n;
        try {
            n = JSON.readTree(a);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        if (n.has("result")) {
            return Long.parseUnsignedLong(n.get("result").asText().substring(2), 16);
        }
        if (n.has("error")) {
            String name = n.get("error").asText();
            int e = Errnos.byName(name);
            if (e < 0) {
                e = Integer.parseInt(name.substring(1));
            }
            return -e;
        }
        throw new AssertionError(c.source() + " call " + c.seq() + ": the oracle did not answer a recorded call: " + a
                + " (request without its vmas: " + line.replaceAll("\"vmas\":\\[[^\\]]*\\]", "\"vmas\":[...]") + ")");
    }
}
