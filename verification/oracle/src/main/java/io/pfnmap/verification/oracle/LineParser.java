package io.pfnmap.verification.oracle;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads one request line (UTF-8 bytes) into a {@link Node} with Jackson's streaming parser, or
 * refuses it as {@code line: not JSON: ...} naming the offset. Jackson checks the syntax, repeated
 * the nesting limit; this class refuses a member name given twice in an object (cheaper than
 * Jackson's detector on small objects, and it names the offset) and checks UTF-8 strictly (RFC
 * 3629: no overlongs, no surrogates), which Jackson does not.
 *
 * <p>A harness sends the same {@code "mm"} and {@code "vmas"} bytes line after line, and a 64-VMA
 * space is 3 KB of tokens. So the previous line's bytes of those two members are remembered: where
 * they occur again right after a {@code ':'}, Jackson reads a copy of the line with an empty
 * placeholder there, and the member's value is the previous {@link Node}, same instance. Exact: a
 * JSON object or array is self-delimiting, so if the placeholder turns out to be that member's
 * value, the original bytes would have parsed to the same value; if it does not (the bytes were
 * inside a string, say), the line is read again without placeholders. Not thread-safe.
 *
 * <p>A {@code "vmas"} array that is not the previous line's is read the same way when {@link
 * ScannedVmas} can read it (the plain form clients send): its bytes become a placeholder, and the
 * member's value is a node over the scanned VMAs. Exact for the same reason: the scanner accepts
 * only JSON that Jackson reads to the same values, and the placeholder must turn out to be the
 * top-level {@code "vmas"} member's value, else the line is read again without it.
 */
final class LineParser {
    private static final String[] MEMO = {"mm", "vmas"};

    private final byte[][] memoRaw = new byte[MEMO.length][];
    private final Node[] memoNode = new Node[MEMO.length];
    private byte[] scratch = new byte[1 << 12];
    /** Reads plain {@code "vmas"} arrays without Jackson; null: off (the reader before it, for tests). */
    private final ScannedVmas.Scanner scanner;
    /** The VMAs scanned for this line's {@code "vmas"} placeholder, or null. */
    private ScannedVmas scanned;
    private Node scannedNode;
    private static final byte[] VMAS_KEY = "\"vmas\"".getBytes(StandardCharsets.US_ASCII);

    /** The id's source text of the line being read, once read; null before. */
    private String id;

    // one attempt: the buffer Jackson reads, where it starts, the placeholders in it
    private byte[] buf;
    private int base;
    private int attemptLen;
    private final int[] holeAt = new int[MEMO.length];
    private final int[] holeShift = new int[MEMO.length];
    private final int[] holeLen = new int[MEMO.length];
    private final boolean[] holeUsed = new boolean[MEMO.length];
    private int holes;
    private boolean rootDone;

    LineParser() {
        this(new ScannedVmas.Scanner());
    }

    LineParser(ScannedVmas.Scanner scanner) {
        this.scanner = scanner;
    }

    /** The id (JSON source text) of the last line, if the reader got past it, else null. */
    String id() {
        return id;
    }

    Node read(byte[] line, int off, int end) {
        id = null;
        int p = off;
        while (p < end && isSpace(line[p])) {
            p++;
        }
        if (p == end) {
            throw new InvalidRequestException(null, "line", "empty: a request is one JSON object per line");
        }
        Node n = readScanned(line, off, end);
        return n != null ? n : readRemembered(line, off, end);
    }

    /**
     * The line read with its {@code "vmas"} scanned ({@link ScannedVmas}), when it parses so with
     * every placeholder in place; else null. On any failure (a syntax error anywhere, a
     * placeholder elsewhere than the member's value) the line is read by {@link #readRemembered} as if never scanned, so that
     * every message (Jackson's include offsets of the bytes it read) and the remembered members
     * are what they were without the scanner.
     */
    private Node readScanned(byte[] line, int off, int end) {
        if (splice(line, off, end, true) == 0 || scanned == null) {
            return null;
        }
        scannedNode = Node.of(scanned);
        byte[][] raws = memoRaw.clone(); // a member Jackson reads in the attempt is remembered: undone on failure
        Node[] nodes = memoNode.clone();
        try {
            Node n = attempt(scratch, 0, spliced);
            if (allHolesUsed()) {
                memoRaw[1] = scanned.raw; // remembered only now, as a member Jackson read is
                memoNode[1] = scannedNode;
                return n;
            }
        } catch (Syntax e) {
            // read again, exactly as without the scanner
        }
        System.arraycopy(raws, 0, memoRaw, 0, raws.length);
        System.arraycopy(nodes, 0, memoNode, 0, nodes.length);
        id = null;
        return null;
    }

    /** {@link #read} with the remembered members only (the reader before the scanner). */
    private Node readRemembered(byte[] line, int off, int end) {
        int holesFound = splice(line, off, end, false);
        if (holesFound > 0) {
            try {
                Node n = attempt(scratch, 0, spliced);
                if (allHolesUsed()) {
                    return n;
                }
            } catch (Syntax e) {
                if (allHolesUsed()) {
                    throw refuse(line, off, end, e);
                }
            }
            id = null;
        }
        holes = 0;
        try {
            return attempt(line, off, end - off);
        } catch (Syntax e) {
            throw refuse(line, off, end, e);
        }
    }

    private int spliced;

    /**
     * Copies the line into {@link #scratch} with a placeholder for each remembered value found,
     * and with {@code scan} for a {@code "vmas"} array the scanner reads when it is not remembered.
     */
    private int splice(byte[] line, int off, int end, boolean scan) {
        holes = 0;
        scanned = null;
        int[] at = new int[MEMO.length];
        int found = 0;
        for (int k = 0; k < MEMO.length; k++) {
            at[k] = memoRaw[k] == null ? -1 : afterColon(line, off, end, memoRaw[k]);
            holeLen[k] = at[k] < 0 ? 0 : memoRaw[k].length;
            found += at[k] >= 0 ? 1 : 0;
        }
        if (scan && scanner != null && at[1] < 0) {
            int a = vmasArray(line, off, end);
            scanned = a < 0 ? null : scanner.scan(line, a, end);
            if (scanned != null) {
                at[1] = a;
                holeLen[1] = scanner.end() - a;
                found++;
            }
        }
        if (found == 0) {
            return 0;
        }
        int first = at[1] >= 0 && (at[0] < 0 || at[1] < at[0]) ? 1 : 0;
        int second = 1 - first;
        if (at[second] >= 0 && at[second] < at[first] + holeLen[first]) {
            at[second] = -1; // overlapping: only the first
        }
        if (scratch.length < end - off) {
            scratch = new byte[Math.max(end - off, 2 * scratch.length)];
        }
        int from = off;
        int len = 0;
        int shift = 0;
        for (int k : new int[] {first, second}) {
            if (at[k] < 0) {
                continue;
            }
            System.arraycopy(line, from, scratch, len, at[k] - from);
            len += at[k] - from;
            // the value's first and last bytes: {} or [], as the remembered or scanned value begins and ends
            scratch[len] = line[at[k]];
            scratch[len + 1] = line[at[k] + holeLen[k] - 1];
            holeAt[k] = len;
            shift += holeLen[k] - 2;
            holeShift[k] = shift;
            len += 2;
            from = at[k] + holeLen[k];
            holes |= 1 << k;
        }
        System.arraycopy(line, from, scratch, len, end - from);
        spliced = len + end - from;
        return Integer.bitCount(holes);
    }

    private boolean allHolesUsed() {
        for (int k = 0; k < MEMO.length; k++) {
            if ((holes & (1 << k)) != 0 && !holeUsed[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the array after the line's first {@code "vmas"} and a ':' (whitespace around it)
     * begins, or -1; whether that is the top-level member is decided by the parse.
     */
    private static int vmasArray(byte[] b, int off, int end) {
        for (int i = off; i <= end - VMAS_KEY.length; i++) {
            if (b[i] == '"' && Arrays.equals(b, i, i + VMAS_KEY.length, VMAS_KEY, 0, VMAS_KEY.length)) {
                int j = i + VMAS_KEY.length;
                while (j < end && isSpace(b[j])) {
                    j++;
                }
                if (j == end || b[j] != ':') {
                    return -1;
                }
                j++;
                while (j < end && isSpace(b[j])) {
                    j++;
                }
                return j < end && b[j] == '[' ? j : -1;
            }
        }
        return -1;
    }

    /** The value of JSON bytes the scanner accepted, as Jackson reads it (no syntax error possible). */
    static Node parseValue(byte[] raw) {
        return new LineParser(null).attempt(raw, 0, raw.length);
    }

    /** The first occurrence of {@code raw} in the line that follows a ':' (and whitespace), or -1. */
    private static int afterColon(byte[] b, int off, int end, byte[] raw) {
        byte first = raw[0];
        for (int i = off; i <= end - raw.length; i++) {
            if (b[i] == first && Arrays.equals(b, i, i + raw.length, raw, 0, raw.length)) {
                int j = i - 1;
                while (j >= off && isSpace(b[j])) {
                    j--;
                }
                return j >= off && b[j] == ':' ? i : -1;
            }
        }
        return -1;
    }

    /** Parses {@code b[from, from + len)}: Jackson's syntax, then strict UTF-8 for what it let through. */
    private Node attempt(byte[] b, int from, int len) {
        buf = b;
        base = from;
        attemptLen = len;
        rootDone = false;
        Arrays.fill(holeUsed, false);
        int badUtf8 = Utf8.firstInvalid(b, from, from + len);
        JsonParser parser = null;
        try (JsonParser p = Jsons.FACTORY.createParser(b, from, len)) {
            parser = p;
            Node n = value(p, p.nextToken(), true);
            rootDone = true;
            if (p.nextToken() != null) {
                throw new Syntax((int) p.currentTokenLocation().getByteOffset(), Reason.AFTER_VALUE, null);
            }
            if (badUtf8 >= 0) {
                throw new Syntax(badUtf8 - from, Reason.UTF8, null);
            }
            return n;
        } catch (JsonProcessingException | Syntax e) {
            Syntax s = e instanceof Syntax x ? x : syntax((JsonProcessingException) e, parser);
            throw badUtf8 >= 0 && badUtf8 - from <= s.at ? new Syntax(badUtf8 - from, Reason.UTF8, null) : s;
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array does not fail to read
        }
    }

    private Node value(JsonParser p, JsonToken t, boolean top) throws IOException {
        switch (t) {
            case START_OBJECT: {
                // arrays grown by hand, not lists: a space of many VMAs is mostly small objects
                String[] names = new String[4];
                Node[] items = new Node[4];
                int n = 0;
                Set<String> many = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (many == null && n >= 16) {
                        many = new HashSet<>(Arrays.asList(names).subList(0, n));
                    }
                    if (many != null ? !many.add(name) : contains(names, n, name)) {
                        throw new Syntax((int) p.currentTokenLocation().getByteOffset(), Reason.FIXED,
                                "member \"" + name + "\" appears twice");
                    }
                    JsonToken v = p.nextToken();
                    if (n == names.length) {
                        names = Arrays.copyOf(names, 2 * n);
                        items = Arrays.copyOf(items, 2 * n);
                    }
                    names[n] = name;
                    items[n++] = top ? member(p, name, v) : value(p, v, false);
                }
                return new Node(Node.Kind.OBJECT, null, Arrays.copyOf(names, n), Arrays.copyOf(items, n));
            }
            case START_ARRAY: {
                Node[] items = new Node[8];
                int n = 0;
                JsonToken i;
                while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (n == items.length) {
                        items = Arrays.copyOf(items, 2 * n);
                    }
                    items[n++] = value(p, i, false);
                }
                return new Node(Node.Kind.ARRAY, null, null, Arrays.copyOf(items, n));
            }
            case VALUE_STRING:
                return new Node(Node.Kind.STRING, p.getText(), null, null);
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new Node(Node.Kind.NUMBER, p.getText(), null, null);
            case VALUE_TRUE:
                return Node.TRUE;
            case VALUE_FALSE:
                return Node.FALSE;
            default:
                return Node.NULL;
        }
    }

    private static boolean contains(String[] names, int n, String name) {
        for (int i = 0; i < n; i++) {
            if (names[i].equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** A member of the top-level object: the id's source text is kept, mm and vmas remembered. */
    private Node member(JsonParser p, String name, JsonToken t) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        if (name.equals("id") && !t.isStructStart()) {
            Node n = value(p, t, false);
            if (id == null) {
                id = new String(buf, base + start, (int) p.currentLocation().getByteOffset() - start,
                        StandardCharsets.UTF_8);
            }
            return n;
        }
        int k = name.equals("vmas") ? 1 : name.equals("mm") ? 0 : -1;
        if (k < 0 || !t.isStructStart()) {
            return value(p, t, false);
        }
        if ((holes & (1 << k)) != 0 && start == holeAt[k] && !holeUsed[k]) {
            p.skipChildren();
            holeUsed[k] = true;
            return k == 1 && scanned != null ? scannedNode : memoNode[k];
        }
        Node n = value(p, t, false);
        memoRaw[k] = Arrays.copyOfRange(buf, base + start, base + (int) p.currentLocation().getByteOffset());
        memoNode[k] = n;
        return n;
    }

    // ---- errors ----

    /** How a syntax error reads; the byte at its offset is described from the line as sent. */
    private enum Reason {
        UNEXPECTED, AFTER_VALUE, CONTROL, UTF8, FIXED
    }

    /** A syntax error at offset {@code at} of the parsed bytes. */
    private static final class Syntax extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int at;
        final Reason reason;
        final String text;

        Syntax(int at, Reason reason, String text) {
            super(text, null, false, false);
            this.at = at;
            this.reason = reason;
            this.text = text;
        }
    }

    private Syntax syntax(JsonProcessingException e, JsonParser p) {
        String m = e.getOriginalMessage();
        JsonLocation loc = e.getLocation();
        int at = loc == null ? -1 : (int) loc.getByteOffset();
        if (at < 0) { // Jackson gives no offset for a control byte between tokens: the first such byte
            at = 0;
            while (at < attemptLen - 1 && !(buf[base + at] >= 0 && buf[base + at] < 0x20 && !isSpace(buf[base + at]))) {
                at++;
            }
        }
        if (e instanceof StreamConstraintsException && m.contains("nesting depth")) {
            return new Syntax((int) p.currentTokenLocation().getByteOffset(), Reason.FIXED,
                    "nesting deeper than " + Jsons.MAX_DEPTH);
        }
        if (rootDone) {
            return new Syntax(at, Reason.AFTER_VALUE, null);
        }
        if (m.startsWith("Illegal unquoted character")) {
            return new Syntax(at, Reason.CONTROL, null);
        }
        if (m.contains("hex-digit for character escape")) {
            int escape = at;
            while (escape > 0 && buf[base + escape] != '\\') {
                escape--; // the offset of the escape, as the old reader gave it
            }
            return new Syntax(escape, Reason.FIXED, "\\u needs four hex digits");
        }
        boolean eof = m.contains("end-of-input");
        String expected = eof && !m.contains("VALUE_STRING") ? ", expected " + expectedAtEnd(m.contains("Array"))
                : m.contains("start field name") ? ", expected a member name (a string)"
                : m.contains("separate Object entries") || eof && m.contains("Object") ? ", expected ',' or '}'"
                : m.contains("separate Array entries") || eof && m.contains("Array") ? ", expected ',' or ']'"
                : m.contains("colon to separate") ? ", expected ':' after a member name"
                : eof && m.contains("VALUE_STRING") ? " in a string"
                : eof || m.contains("was expecting (JSON String") || m.contains("expected a value") ? ", expected a value"
                : ": " + m.replaceAll("\\s+", " ");
        return new Syntax(at, Reason.UNEXPECTED, expected);
    }

    /** What the line would need next where it ends: from its last byte, as the old reader said. */
    private String expectedAtEnd(boolean inArray) {
        int i = buf.length > 0 ? lastByte() : -1;
        byte c = i < 0 ? 0 : buf[i];
        return c == '{' || c == ',' && !inArray ? "a member name" : c == ':' || c == '[' || c == ',' ? "a value"
                : inArray ? "',' or ']'" : "',' or '}'";
    }

    private int lastByte() {
        int i = base + attemptLen - 1;
        while (i >= base && isSpace(buf[i])) {
            i--;
        }
        return i < base ? -1 : i;
    }

    /** The invalid answer for a syntax error, its offset in the line as sent. */
    private InvalidRequestException refuse(byte[] line, int off, int end, Syntax s) {
        int at = original(s.at);
        String b = describe(line, off, end, at);
        String what = switch (s.reason) {
            case UTF8 -> "invalid UTF-8 " + b;
            case CONTROL -> "control character " + b + " in a string (escape it)";
            case AFTER_VALUE -> "unexpected " + b + " after the JSON value";
            case FIXED -> s.text;
            default -> "unexpected " + b + s.text;
        };
        return new InvalidRequestException(id, "line", "not JSON: " + what + " at offset " + at);
    }

    /** An offset of the attempt's bytes as an offset of the line (placeholders were shorter). */
    private int original(int at) {
        int shift = 0;
        for (int k = 0; k < MEMO.length; k++) {
            if ((holes & (1 << k)) != 0 && at >= holeAt[k] + 2) {
                shift = Math.max(shift, holeShift[k]);
            }
        }
        return at + shift;
    }

    private static String describe(byte[] b, int off, int end, int at) {
        if (off + at >= end) {
            return "end of line";
        }
        int c = b[off + at] & 0xff;
        return c >= 0x21 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
