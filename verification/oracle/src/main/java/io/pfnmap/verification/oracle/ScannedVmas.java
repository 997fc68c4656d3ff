package io.pfnmap.verification.oracle;

import io.pfnmap.mm.VmaFlag;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A {@code "vmas"} array in the form clients send it, read straight from the line's bytes: VMA
 * objects of {@code "start"} and {@code "end"} as {@code "0x"} strings and optional {@code
 * "flags"} of known names, each member once, JSON whitespace between tokens. A space carried on
 * every line is most of the line, and Jackson's tokens, the strings and nodes made of them and the
 * hex read back from those strings were half the oracle's time (JFR, issue 23) for such lines.
 *
 * <p>Exact by construction: {@link #scan} accepts a strict subset of JSON (no escapes, no
 * numbers, no other members or names: printable ASCII only) and gives up, returning null, on
 * anything else, which then goes to Jackson and the decoders as before; the values it decodes are
 * those {@code SpaceDecoder.plainVma} reads from the same text. The nodes of the items, which only
 * a refusal's message needs, are Jackson's, parsed from the same bytes on first use ({@link #tree}).
 */
final class ScannedVmas {
    /** The flag names of {@link RequestParser#VMA_FLAGS} as bytes, and their masks (1 << ordinal). */
    private static final byte[][] FLAG_NAMES;
    private static final int[] FLAG_MASKS;

    static {
        int n = RequestParser.VMA_FLAGS.size();
        FLAG_NAMES = new byte[n][];
        FLAG_MASKS = new int[n];
        int i = 0;
        for (Map.Entry<String, VmaFlag> e : RequestParser.VMA_FLAGS.entrySet()) {
            FLAG_NAMES[i] = e.getKey().getBytes(StandardCharsets.US_ASCII);
            FLAG_MASKS[i++] = 1 << e.getValue().ordinal();
        }
    }

    /** A byte's hex digit value (either case), or -1. */
    private static final int[] HEX = new int[256];

    static {
        Arrays.fill(HEX, -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = c - '0';
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = c - 'a' + 10;
            HEX[c - 'a' + 'A'] = c - 'a' + 10;
        }
    }

    private static final byte[] START = "start".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "end".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FLAGS = "flags".getBytes(StandardCharsets.US_ASCII);

    /** The array's bytes, {@code [} to {@code ]}. */
    final byte[] raw;
    /** The number of VMAs. */
    final int n;
    /** Each VMA's start and end as plain hex gives them, and its flags as a mask of ordinals. */
    final long[] start;
    final long[] end;
    final int[] mask;
    private Node tree;

    ScannedVmas(byte[] raw, int n, long[] start, long[] end, int[] mask) {
        this.raw = raw;
        this.n = n;
        this.start = start;
        this.end = end;
        this.mask = mask;
    }

    /** The array as Jackson reads it (the nodes {@link LineParser} would have made), parsed once. */
    Node tree() {
        if (tree == null) {
            tree = LineParser.parseValue(raw);
        }
        return tree;
    }

    /**
     * The scanner, with arrays reused from line to line: one per {@link LineParser} (not final:
     * the tests seed wrong ones).
     */
    static class Scanner {
        private long[] start = new long[64];
        private long[] end = new long[64];
        private int[] mask = new int[64];
        private int pos;

        /** Where the array that {@link #scan} accepted ended (one past its {@code ]}). */
        int end() {
            return pos;
        }

        /**
         * The VMAs of the array at {@code b[at]} (a {@code [}), read in the plain form, or null when
         * the bytes up to {@code lim} are not in that form (then nothing is decided: Jackson reads them).
         */
        ScannedVmas scan(byte[] b, int at, int lim) {
            int p = at + 1;
            int n = 0;
            p = ws(b, p, lim);
            if (p >= lim) {
                return null;
            }
            if (b[p] != ']') {
                while (true) {
                    if (n == start.length) {
                        start = Arrays.copyOf(start, 2 * n);
                        end = Arrays.copyOf(end, 2 * n);
                        mask = Arrays.copyOf(mask, 2 * n);
                    }
                    p = object(b, p, lim, n);
                    if (p < 0) {
                        return null;
                    }
                    n++;
                    p = ws(b, p, lim);
                    if (p >= lim) {
                        return null;
                    }
                    if (b[p] == ']') {
                        break;
                    }
                    if (b[p] != ',') {
                        return null;
                    }
                    p = ws(b, p + 1, lim);
                }
            }
            pos = p + 1;
            return new ScannedVmas(Arrays.copyOfRange(b, at, pos), n, Arrays.copyOf(start, n),
                    Arrays.copyOf(end, n), Arrays.copyOf(mask, n));
        }

        /** One VMA object at {@code b[p]} into slot {@code i}: the position after its {@code }}, or -1. */
        private int object(byte[] b, int p, int lim, int i) {
            if (p >= lim || b[p] != '{') {
                return -1;
            }
            int seen = 0; // 1 start, 2 end, 4 flags
            p = ws(b, p + 1, lim);
            while (true) {
                int member = p < lim - 2 && b[p] == '"' ? name(b, p + 1, lim) : -1;
                if (member < 0 || (seen & member) != 0) {
                    return -1; // another member, or one twice: Jackson and the decoders say which
                }
                seen |= member;
                p = p + 2 + (member == 1 ? START.length : member == 2 ? END.length : FLAGS.length);
                p = ws(b, p, lim);
                if (p >= lim || b[p] != ':') {
                    return -1;
                }
                p = ws(b, p + 1, lim);
                if (member == 4) {
                    p = flags(b, p, lim, i);
                } else {
                    p = hex(b, p, lim, i, member == 1);
                }
                if (p < 0) {
                    return -1;
                }
                p = ws(b, p, lim);
                if (p >= lim) {
                    return -1;
                }
                if (b[p] == '}') {
                    if ((seen & 3) != 3) {
                        return -1; // no start or no end: refused by the decoders, with the name
                    }
                    if ((seen & 4) == 0) {
                        mask[i] = 0;
                    }
                    return p + 1;
                }
                if (b[p] != ',') {
                    return -1;
                }
                p = ws(b, p + 1, lim);
            }
        }

        /** The member name at {@code b[p]} (after its opening quote) with its closing quote: 1, 2, 4, or -1. */
        private static int name(byte[] b, int p, int lim) {
            if (is(b, p, lim, START)) {
                return 1;
            }
            if (is(b, p, lim, END)) {
                return 2;
            }
            return is(b, p, lim, FLAGS) ? 4 : -1;
        }

        /** Whether {@code b[p..]} is {@code word} and a closing quote (byte by byte: the words are short). */
        private static boolean is(byte[] b, int p, int lim, byte[] word) {
            int n = word.length;
            if (p + n >= lim || b[p + n] != '"') {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (b[p + i] != word[i]) {
                    return false;
                }
            }
            return true;
        }

        /**
         * A {@code "0x"} string of 1 to 16 hex digits (either case, "0X" too) at {@code b[p]}, as
         * {@code SpaceDecoder.hex} reads it, into slot {@code i}: the position after its closing
         * quote, or -1 for any other value.
         */
        private int hex(byte[] b, int p, int lim, int i, boolean isStart) {
            if (p + 4 >= lim || b[p] != '"' || b[p + 1] != '0' || (b[p + 2] | 0x20) != 'x') {
                return -1;
            }
            long r = 0;
            int q = p + 3;
            int stop = Math.min(lim, p + 3 + 17); // 16 digits and the quote at most
            while (q < stop && b[q] != '"') {
                int d = HEX[b[q] & 0xff];
                if (d < 0) {
                    return -1;
                }
                r = (r << 4) | d;
                q++;
            }
            if (q >= stop || q == p + 3) {
                return -1; // no closing quote within 16 digits, or no digit
            }
            if (isStart) {
                start[i] = r;
            } else {
                end[i] = r;
            }
            return q + 1;
        }

        /** A {@code "flags"} array of known names, each once, at {@code b[p]}: the position after it, or -1. */
        private int flags(byte[] b, int p, int lim, int i) {
            if (p >= lim || b[p] != '[') {
                return -1;
            }
            int m = 0;
            p = ws(b, p + 1, lim);
            if (p < lim && b[p] == ']') {
                mask[i] = 0;
                return p + 1;
            }
            while (true) {
                int f = p < lim && b[p] == '"' ? flag(b, p + 1, lim) : -1;
                if (f < 0 || (m & FLAG_MASKS[f]) != 0) {
                    return -1; // an unknown flag or one twice: the decoders refuse it, naming it
                }
                m |= FLAG_MASKS[f];
                p = ws(b, p + 2 + FLAG_NAMES[f].length, lim);
                if (p >= lim) {
                    return -1;
                }
                if (b[p] == ']') {
                    mask[i] = m;
                    return p + 1;
                }
                if (b[p] != ',') {
                    return -1;
                }
                p = ws(b, p + 1, lim);
            }
        }

        private static int flag(byte[] b, int p, int lim) {
            for (int f = 0; f < FLAG_NAMES.length; f++) {
                if (is(b, p, lim, FLAG_NAMES[f])) {
                    return f;
                }
            }
            return -1;
        }

        /** The first position at or after {@code p} that is not JSON whitespace. */
        private static int ws(byte[] b, int p, int lim) {
            while (p < lim && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r' || b[p] == '\n')) {
                p++;
            }
            return p;
        }
    }
}
