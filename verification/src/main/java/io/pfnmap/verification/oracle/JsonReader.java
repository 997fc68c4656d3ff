package io.pfnmap.verification.oracle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads exactly one JSON value (RFC 8259) from a line of UTF-8 bytes: objects, arrays, strings
 * with every escape, numbers (kept as their literal), {@code true}, {@code false}, {@code null},
 * surrounded by optional whitespace and nothing else. It refuses invalid UTF-8, control
 * characters in strings, repeated member names, and nesting deeper than its limit.
 *
 * <p>Two conveniences for a stream of requests, both about the members of the top-level object:
 * <ul>
 * <li>{@link #memoize(String...) memoized} members: when the bytes of such a member's value (an
 *     object or an array) repeat the previous line's exactly, the previous parsed value is returned
 *     again, same instance, without re-parsing. This is exact: an object or array is
 *     self-delimiting, so if the previous value's bytes occur here, parsing here would read the
 *     same bytes to the same end and build an equal value.</li>
 * <li>a {@link #recover(String) recovered} member: the source text of a scalar member (the
 *     request id), kept even when the line fails later, so an error answer can still name it.</li>
 * </ul>
 * An instance is not thread-safe; use one per stream.
 */
public final class JsonReader {
    /** The default nesting limit: objects and arrays inside one another. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    private final int maxDepth;
    private String[] memoNames = new String[0];
    private byte[][] memoRaw = new byte[0][];
    private Json[] memoValue = new Json[0];
    private String recoverName;
    private String recovered;

    private byte[] b;
    private int p;
    private int end;
    private int base;
    private final StringBuilder sb = new StringBuilder();

    public JsonReader() {
        this(DEFAULT_MAX_DEPTH);
    }

    public JsonReader(int maxDepth) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1");
        }
        this.maxDepth = maxDepth;
    }

    /** Parses a whole string as one JSON value with the default limits. */
    public static Json parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new JsonReader().read(bytes, 0, bytes.length);
    }

    /** Reuse the previous line's value of these top-level members when their bytes repeat. */
    public JsonReader memoize(String... names) {
        memoNames = names.clone();
        memoRaw = new byte[names.length][];
        memoValue = new Json[names.length];
        return this;
    }

    /** Keep the source text of this top-level scalar member; see {@link #recovered()}. */
    public JsonReader recover(String name) {
        recoverName = name;
        return this;
    }

    /**
     * The source text of the {@link #recover(String) recovered} member of the last line read, if
     * the reader got past it and it is a scalar (even when the line failed afterwards); else null.
     */
    public String recovered() {
        return recovered;
    }

    /** Reads {@code buf[off, end)} as exactly one JSON value. */
    public Json read(byte[] buf, int off, int end) {
        this.b = buf;
        this.p = off;
        this.end = end;
        this.base = off;
        this.recovered = null;
        try {
            skipWs();
            if (p == end) {
                throw err("no JSON value (the line is empty or only whitespace)");
            }
            Json v = value(0, true);
            skipWs();
            if (p != end) {
                throw err("unexpected " + describe(p) + " after the JSON value");
            }
            return v;
        } finally {
            this.b = null;
        }
    }

    private Json value(int depth, boolean top) {
        if (p >= end) {
            throw err("unexpected end of line, expected a value");
        }
        byte c = b[p];
        switch (c) {
            case '{':
                return object(depth, top);
            case '[':
                return array(depth);
            case '"':
                return new Json.Str(string());
            case 't':
                literal("true");
                return Json.TRUE;
            case 'f':
                literal("false");
                return Json.FALSE;
            case 'n':
                literal("null");
                return Json.Null.NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw err("unexpected " + describe(p) + ", expected a value");
        }
    }

    private Json.Obj object(int depth, boolean top) {
        if (depth + 1 > maxDepth) {
            throw err("nesting deeper than " + maxDepth);
        }
        p++;
        skipWs();
        if (p < end && b[p] == '}') {
            p++;
            return new Json.Obj(new String[0], new Json[0]);
        }
        List<String> names = new ArrayList<>(12);
        List<Json> values = new ArrayList<>(12);
        Set<String> seen = null;
        while (true) {
            if (p >= end || b[p] != '"') {
                throw err(p >= end ? "unexpected end of line, expected a member name"
                        : "unexpected " + describe(p) + ", expected a member name (a string)");
            }
            int nameAt = p;
            String name = string();
            if (seen == null && names.size() >= 16) {
                seen = new HashSet<>(names);
            }
            if (seen != null ? !seen.add(name) : names.contains(name)) {
                p = nameAt;
                throw err("member \"" + name + "\" appears twice");
            }
            skipWs();
            expect(':', "':' after a member name");
            skipWs();
            int start = p;
            Json v;
            int memo = top ? memoIndex(name) : -1;
            if (memo >= 0 && memoRaw[memo] != null && matches(memoRaw[memo])) {
                v = memoValue[memo];
                p += memoRaw[memo].length;
            } else {
                v = value(depth + 1, false);
                if (memo >= 0 && (v instanceof Json.Obj || v instanceof Json.Arr)) {
                    memoRaw[memo] = Arrays.copyOfRange(b, start, p);
                    memoValue[memo] = v;
                }
            }
            if (top && recovered == null && name.equals(recoverName)
                    && !(v instanceof Json.Obj) && !(v instanceof Json.Arr)) {
                recovered = new String(b, start, p - start, StandardCharsets.UTF_8);
            }
            names.add(name);
            values.add(v);
            skipWs();
            if (p >= end) {
                throw err("unexpected end of line, expected ',' or '}'");
            }
            byte c = b[p++];
            if (c == '}') {
                return new Json.Obj(names.toArray(new String[0]), values.toArray(new Json[0]));
            }
            if (c != ',') {
                p--;
                throw err("unexpected " + describe(p) + ", expected ',' or '}'");
            }
            skipWs();
        }
    }

    private Json.Arr array(int depth) {
        if (depth + 1 > maxDepth) {
            throw err("nesting deeper than " + maxDepth);
        }
        p++;
        skipWs();
        if (p < end && b[p] == ']') {
            p++;
            return new Json.Arr(new Json[0]);
        }
        List<Json> items = new ArrayList<>();
        while (true) {
            items.add(value(depth + 1, false));
            skipWs();
            if (p >= end) {
                throw err("unexpected end of line, expected ',' or ']'");
            }
            byte c = b[p++];
            if (c == ']') {
                return new Json.Arr(items.toArray(new Json[0]));
            }
            if (c != ',') {
                p--;
                throw err("unexpected " + describe(p) + ", expected ',' or ']'");
            }
            skipWs();
        }
    }

    private boolean matches(byte[] raw) {
        return end - p >= raw.length && Arrays.equals(b, p, p + raw.length, raw, 0, raw.length);
    }

    private int memoIndex(String name) {
        for (int i = 0; i < memoNames.length; i++) {
            if (memoNames[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** A string starting at the opening quote; returns it unescaped. */
    private String string() {
        int open = p;
        p++;
        int s = p;
        while (p < end) {
            byte c = b[p];
            if (c == '"') {
                String r = new String(b, s, p - s, StandardCharsets.ISO_8859_1);
                p++;
                return r;
            }
            if (c == '\\' || c < 0x20) { // c < 0x20 also catches every byte >= 0x80 (signed)
                break;
            }
            p++;
        }
        sb.setLength(0);
        for (int i = s; i < p; i++) {
            sb.append((char) b[i]);
        }
        while (true) {
            if (p >= end) {
                p = open;
                throw err("unterminated string");
            }
            int c = b[p] & 0xff;
            if (c == '"') {
                p++;
                return sb.toString();
            }
            if (c == '\\') {
                escape();
            } else if (c < 0x20) {
                throw err("control character " + describe(p) + " in a string (escape it)");
            } else if (c < 0x80) {
                sb.append((char) c);
                p++;
            } else {
                utf8(c);
            }
        }
    }

    private void escape() {
        if (p + 1 >= end) {
            throw err("unterminated escape");
        }
        byte e = b[p + 1];
        switch (e) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                if (p + 6 > end) {
                    throw err("\\u needs four hex digits");
                }
                int v = 0;
                for (int i = p + 2; i < p + 6; i++) {
                    int d = Character.digit(b[i], 16);
                    if (d < 0 || b[i] < 0) {
                        throw err("\\u needs four hex digits");
                    }
                    v = v * 16 + d;
                }
                sb.append((char) v);
                p += 6;
                return;
            }
            default -> throw err("invalid escape \\" + (e >= 0x21 && e < 0x7f ? String.valueOf((char) e)
                    : String.format("(byte 0x%02x)", e & 0xff)));
        }
        p += 2;
    }

    /** One UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
    private void utf8(int c0) {
        int n;
        int lo = 0x80;
        int hi = 0xbf;
        int cp;
        if (c0 >= 0xc2 && c0 <= 0xdf) {
            n = 1;
            cp = c0 & 0x1f;
        } else if (c0 >= 0xe0 && c0 <= 0xef) {
            n = 2;
            cp = c0 & 0x0f;
            if (c0 == 0xe0) {
                lo = 0xa0;
            } else if (c0 == 0xed) {
                hi = 0x9f;
            }
        } else if (c0 >= 0xf0 && c0 <= 0xf4) {
            n = 3;
            cp = c0 & 0x07;
            if (c0 == 0xf0) {
                lo = 0x90;
            } else if (c0 == 0xf4) {
                hi = 0x8f;
            }
        } else {
            throw err("invalid UTF-8 " + describe(p));
        }
        if (p + n >= end) {
            throw err("invalid UTF-8: truncated sequence");
        }
        for (int i = 1; i <= n; i++) {
            int c = b[p + i] & 0xff;
            if (c < (i == 1 ? lo : 0x80) || c > (i == 1 ? hi : 0xbf)) {
                p += i;
                throw err("invalid UTF-8 " + describe(p));
            }
            cp = (cp << 6) | (c & 0x3f);
        }
        sb.appendCodePoint(cp);
        p += n + 1;
    }

    private Json.Num number() {
        int s = p;
        if (b[p] == '-') {
            p++;
        }
        if (p < end && b[p] == '0') {
            p++;
        } else if (p < end && b[p] >= '1' && b[p] <= '9') {
            digits();
        } else {
            throw err("invalid number: expected a digit");
        }
        if (p < end && b[p] == '.') {
            p++;
            if (!(p < end && b[p] >= '0' && b[p] <= '9')) {
                throw err("invalid number: expected a digit after '.'");
            }
            digits();
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            if (!(p < end && b[p] >= '0' && b[p] <= '9')) {
                throw err("invalid number: expected a digit in the exponent");
            }
            digits();
        }
        if (p < end && (b[p] >= '0' && b[p] <= '9')) {
            throw err("invalid number: leading zero");
        }
        return new Json.Num(new String(b, s, p - s, StandardCharsets.ISO_8859_1));
    }

    private void digits() {
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            p++;
        }
    }

    private void literal(String word) {
        int n = word.length();
        if (end - p < n) {
            throw err("unexpected " + describe(p) + ", expected a value");
        }
        for (int i = 0; i < n; i++) {
            if (b[p + i] != word.charAt(i)) {
                throw err("unexpected " + describe(p) + ", expected a value");
            }
        }
        p += n;
    }

    private void expect(char c, String what) {
        if (p >= end) {
            throw err("unexpected end of line, expected " + what);
        }
        if (b[p] != c) {
            throw err("unexpected " + describe(p) + ", expected " + what);
        }
        p++;
    }

    private void skipWs() {
        while (p < end) {
            byte c = b[p];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            p++;
        }
    }

    private String describe(int at) {
        if (at >= end) {
            return "end of line";
        }
        int c = b[at] & 0xff;
        if (c >= 0x21 && c < 0x7f) {
            return "'" + (char) c + "'";
        }
        return String.format("byte 0x%02x", c);
    }

    private JsonSyntaxException err(String message) {
        int off = p - base;
        return new JsonSyntaxException(message + " at offset " + off, off);
    }
}
