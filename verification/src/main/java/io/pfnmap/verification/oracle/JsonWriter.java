package io.pfnmap.verification.oracle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes compact JSON into a growable byte buffer: the answers of the protocol and any value of
 * {@link Json}. Every u64 is written as the protocol wants it, a lowercase {@code "0x..."}
 * string. Strings are escaped to pure ASCII (non-ASCII characters as {@code \\uXXXX}), so a line
 * written here is valid JSON whatever it holds. Commas between members and items are placed
 * automatically.
 */
public final class JsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DEPTH = 256;

    private byte[] buf = new byte[1 << 12];
    private int len;
    /** Per open container: whether the next member or item is the first. */
    private final boolean[] first = new boolean[MAX_DEPTH];
    private int depth;
    /** Set by {@link #name(String)}: the value that follows needs no comma. */
    private boolean afterName;

    /** Bytes written so far. */
    public int size() {
        return len;
    }

    /** Drops everything after the first {@code size} bytes (to undo a half-written line). */
    public void truncate(int size) {
        len = size;
        depth = 0;
        afterName = false;
    }

    public void reset() {
        truncate(0);
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, len);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    // ---- structure ----

    public JsonWriter beginObject() {
        beforeValue();
        put('{');
        open();
        return this;
    }

    public JsonWriter endObject() {
        depth--;
        put('}');
        return this;
    }

    public JsonWriter beginArray() {
        beforeValue();
        put('[');
        open();
        return this;
    }

    public JsonWriter endArray() {
        depth--;
        put(']');
        return this;
    }

    /** A member name inside an object; the value comes next. */
    public JsonWriter name(String name) {
        beforeValue();
        quoted(name);
        put(':');
        afterName = true;
        return this;
    }

    /** Ends a line: a newline byte (only between top-level values). */
    public JsonWriter newline() {
        put('\n');
        return this;
    }

    // ---- values ----

    public JsonWriter value(String s) {
        beforeValue();
        quoted(s);
        return this;
    }

    /** An unsigned 64-bit value as {@code "0x..."}, lowercase, no leading zeros. */
    public JsonWriter u64(long v) {
        beforeValue();
        ensure(20);
        buf[len++] = '"';
        buf[len++] = '0';
        buf[len++] = 'x';
        int digits = v == 0 ? 1 : (67 - Long.numberOfLeadingZeros(v)) / 4;
        for (int i = digits - 1; i >= 0; i--) {
            buf[len++] = HEX[(int) (v >>> (4 * i)) & 0xf];
        }
        buf[len++] = '"';
        return this;
    }

    public JsonWriter value(boolean v) {
        beforeValue();
        ascii(v ? "true" : "false");
        return this;
    }

    public JsonWriter nullValue() {
        beforeValue();
        ascii("null");
        return this;
    }

    /** Source text that is already one valid JSON value (an echoed id), written as is. */
    public JsonWriter rawValue(String json) {
        beforeValue();
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        return this;
    }

    /** Any {@link Json} value. */
    public JsonWriter value(Json v) {
        if (v instanceof Json.Obj o) {
            beginObject();
            for (int i = 0; i < o.size(); i++) {
                name(o.name(i));
                value(o.value(i));
            }
            endObject();
        } else if (v instanceof Json.Arr a) {
            beginArray();
            for (int i = 0; i < a.size(); i++) {
                value(a.get(i));
            }
            endArray();
        } else if (v instanceof Json.Str s) {
            value(s.value());
        } else if (v instanceof Json.Num n) {
            beforeValue();
            ascii(n.literal());
        } else if (v instanceof Json.Bool bo) {
            value(bo.value());
        } else {
            nullValue();
        }
        return this;
    }

    // ---- internals ----

    private void open() {
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("JsonWriter: nesting deeper than " + MAX_DEPTH);
        }
        first[depth++] = true;
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (first[depth - 1]) {
                first[depth - 1] = false;
            } else {
                put(',');
            }
        }
    }

    private void quoted(String s) {
        int n = s.length();
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                if (len == buf.length) {
                    ensure(1);
                }
                buf[len++] = (byte) c;
            } else {
                escaped(c);
            }
        }
        put('"');
    }

    private void escaped(char c) {
        ensure(6);
        buf[len++] = '\\';
        switch (c) {
            case '"' -> buf[len++] = '"';
            case '\\' -> buf[len++] = '\\';
            case '\n' -> buf[len++] = 'n';
            case '\r' -> buf[len++] = 'r';
            case '\t' -> buf[len++] = 't';
            case '\b' -> buf[len++] = 'b';
            case '\f' -> buf[len++] = 'f';
            default -> {
                buf[len++] = 'u';
                buf[len++] = HEX[(c >> 12) & 0xf];
                buf[len++] = HEX[(c >> 8) & 0xf];
                buf[len++] = HEX[(c >> 4) & 0xf];
                buf[len++] = HEX[c & 0xf];
            }
        }
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void put(char c) {
        if (len == buf.length) {
            ensure(1);
        }
        buf[len++] = (byte) c;
    }

    private void ensure(int more) {
        if (buf.length - len < more) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
