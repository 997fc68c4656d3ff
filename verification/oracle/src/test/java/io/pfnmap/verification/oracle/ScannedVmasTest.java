package io.pfnmap.verification.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.MmConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The scanner of {@code "vmas"} arrays ({@link ScannedVmas}) changes no answer: a stream of lines
 * read with it and without it (the reader before it) gives the same tree, the same refusal
 * (message and offset) and the same decoded VMAs or refusal of them, line after line, so that the
 * remembered members interleave as they do in a stream. The lines are VMA arrays in the plain form
 * and in every form next to it that the scanner must leave to Jackson: numbers, escapes, 17 hex
 * digits, "0x" alone, members unknown, missing or twice, unknown or repeated flags, whitespace,
 * truncations and byte flips, "vmas" inside strings or twice. Seeded wrong scanners (flags lost,
 * the last VMA lost) must be caught.
 */
class ScannedVmasTest {
    private static final int LINES = 20_000;

    @Test
    void theScannerChangesNoAnswer() {
        int[] scannedLines = {0};
        assertNull(firstDifference(scannerThen(s -> {
            scannedLines[0] += s == null ? 0 : 1;
            return s;
        }), 1));
        // the comparison means something only if the scanner took many of the lines
        assertTrue(scannedLines[0] > LINES / 4, "scanned " + scannedLines[0] + " of " + LINES);
    }

    @Test
    void rejectsAScannerThatLosesFlags() {
        assertNotNull(firstDifference(scannerThen(
                s -> s == null ? null : new ScannedVmas(s.raw, s.n, s.start, s.end, new int[s.n])), 1));
    }

    @Test
    void rejectsAScannerThatLosesTheLastVma() {
        assertNotNull(firstDifference(scannerThen(
                s -> s == null || s.n == 0 ? s : new ScannedVmas(s.raw, s.n - 1, s.start, s.end, s.mask)), 1));
    }

    /** The scanner whose every result (null where it leaves the line to Jackson) is passed through {@code then}. */
    private static ScannedVmas.Scanner scannerThen(UnaryOperator<ScannedVmas> then) {
        return new ScannedVmas.Scanner() {
            @Override
            ScannedVmas scan(byte[] b, int at, int lim) {
                return then.apply(super.scan(b, at, lim));
            }
        };
    }

    /** The first line of the seeded stream read differently with {@code scanner} than without, or null. */
    private static String firstDifference(ScannedVmas.Scanner scanner, long seed) {
        LineParser with = new LineParser(scanner);
        LineParser without = new LineParser(null);
        SplittableRandom r = new SplittableRandom(seed);
        String previous = null;
        for (int i = 0; i < LINES; i++) {
            // a line repeats the previous one's vmas now and then: the remembered member
            String line = previous != null && r.nextInt(4) == 0 ? previous : line(r, i);
            previous = line;
            byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
            String a = answer(with, b);
            String e = answer(without, b);
            if (!a.equals(e)) {
                return "line " + i + ": " + line + "\n  with the scanner:    " + a + "\n  without the scanner: " + e;
            }
        }
        return null;
    }

    /** What a reader makes of a line: its tree and decoded VMAs, or the refusal. */
    private static String answer(LineParser p, byte[] b) {
        Node n;
        try {
            n = p.read(b, 0, b.length);
        } catch (InvalidRequestException x) {
            return "refused " + x.getMessage() + " id " + p.id();
        }
        StringBuilder s = new StringBuilder("id ").append(p.id()).append(' ');
        render(n, s);
        Node v = n.is(Node.Kind.OBJECT) ? n.get("vmas") : null;
        if (v != null) {
            for (MmConfig config : new MmConfig[] {MmConfig.x86_64(), MmConfig.forArch(io.pfnmap.arch.Arch.ARM64_16K.config(), true)}) {
                try {
                    s.append(" -> ").append(SpaceDecoder.vmas(new Fields("1", "", n), v, config));
                } catch (InvalidRequestException x) {
                    s.append(" -> refused ").append(x.getMessage());
                }
            }
        }
        return s.toString();
    }

    private static void render(Node n, StringBuilder s) {
        s.append(n.kind()).append('(');
        if (n.is(Node.Kind.OBJECT)) {
            for (int i = 0; i < n.size(); i++) {
                s.append(n.name(i)).append('=');
                render(n.item(i), s);
                s.append(',');
            }
        } else if (n.is(Node.Kind.ARRAY)) {
            for (int i = 0; i < n.size(); i++) {
                render(n.item(i), s);
                s.append(',');
            }
        } else {
            s.append(n.text());
        }
        s.append(')');
    }

    /** Whether the line being made may deviate from the plain form (half of them): the rest must be scanned. */
    private static boolean deviant;

    /** A deviation's draw: 0 one time in {@code n} on a deviant line; {@code n} (no case of a deviation) on another. */
    private static int odd(SplittableRandom r, int n) {
        return deviant ? r.nextInt(n) : n;
    }

    private static final String[] WS = {"", "", "", " ", "\t", "\r\n", "  "};

    private static String ws(SplittableRandom r) {
        return r.nextInt(5) == 0 ? WS[r.nextInt(WS.length)] : "";
    }

    /** A request line with a VMA array in one of the forms above. */
    private static String line(SplittableRandom r, int id) {
        deviant = r.nextBoolean();
        int n = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(r.nextBoolean() ? 4 : 70);
        List<String> items = new ArrayList<>();
        long p = 0x10000L + ((long) r.nextInt(64) << 12);
        for (int i = 0; i < n; i++) {
            long start = p + (r.nextInt(10) == 0 ? 0 : (long) r.nextInt(32) << 12);
            long end = start + ((1L + r.nextInt(16)) << 12);
            if (odd(r, 40) == 0) {
                start += 1 + r.nextInt(4095); // not page-aligned
            }
            if (odd(r, 60) == 0) {
                end = start - 0x1000; // below its start
            }
            p = end;
            items.add(vma(r, start, end));
        }
        if (n > 0 && odd(r, 30) == 0) {
            items.add(r.nextInt(items.size()), "{\"start\":\"0x7ffffffff000\",\"end\":\"0x7ffffffff0000\"}");
        }
        StringBuilder b = new StringBuilder("[").append(ws(r));
        for (int i = 0; i < items.size(); i++) {
            b.append(i == 0 ? "" : ws(r) + "," + ws(r)).append(items.get(i));
        }
        String vmas = b.append(ws(r)).append(']').toString();
        String op = odd(r, 10) == 0 ? "\"op\":\"x\\\"vmas\\\":[]\"" : "\"op\":\"mmap\"";
        String mm = r.nextInt(3) == 0 ? ",\"mm\":{\"arch\":\"x86_64\"}" : "";
        String line = switch (deviant ? r.nextInt(12) : 0) {
            case 0 -> "{\"id\":" + id + "," + op + mm + ",\"vmas\"" + ws(r) + ":" + ws(r) + vmas + ",\"len\":4096}";
            case 1 -> "{\"vmas\":" + vmas + ",\"id\":" + id + "," + op + "}";
            case 2 -> "{\"id\":" + id + ",\"vmas\":" + vmas + ",\"vmas\":[]}";
            case 3 -> "{\"id\":" + id + ",\"x\":{\"vmas\":" + vmas + "},\"vmas\":[]}";
            default -> "{\"id\":" + id + "," + op + mm + ",\"vmas\":" + vmas + ",\"len\":4096}";
        };
        if (odd(r, 3) == 0) { // a byte deleted, changed or inserted
            char[] alphabet = " {}[]:,\"\\0x1fgX-.e\u00e9\u0001".toCharArray();
            int at = r.nextInt(line.length());
            int how = r.nextInt(3);
            String c = String.valueOf(alphabet[r.nextInt(alphabet.length)]);
            line = how == 0 ? line.substring(0, at) + line.substring(at + 1)
                    : how == 1 ? line.substring(0, at) + c + line.substring(at + 1)
                    : line.substring(0, at) + c + line.substring(at);
        }
        return line;
    }

    private static String vma(SplittableRandom r, long start, long end) {
        String s = "\"start\"" + ws(r) + ":" + ws(r) + value(r, start);
        String e = "\"end\"" + ws(r) + ":" + ws(r) + value(r, end);
        List<String> members = new ArrayList<>(List.of(s, e));
        if (r.nextInt(5) == 0) {
            members.add(flags(r));
        }
        switch (odd(r, 40)) {
            case 0 -> members.add("\"start\":\"0x1000\""); // twice
            case 1 -> members.remove(r.nextInt(members.size())); // missing
            case 2 -> members.add("\"x\":1"); // unknown
            case 3 -> members.add("\"flags\":[]");
            default -> { }
        }
        if (r.nextBoolean()) {
            java.util.Collections.shuffle(members, new java.util.Random(r.nextLong()));
        }
        StringBuilder b = new StringBuilder("{").append(ws(r));
        for (int i = 0; i < members.size(); i++) {
            b.append(i == 0 ? "" : ws(r) + "," + ws(r)).append(members.get(i));
        }
        return b.append(ws(r)).append('}').toString();
    }

    private static String value(SplittableRandom r, long v) {
        String hex = Long.toHexString(v);
        switch (odd(r, 30)) {
            case 0:
                return String.valueOf(v); // a JSON integer
            case 1:
                return "\"0X" + hex.toUpperCase() + "\"";
            case 2:
                return "\"0x" + "0".repeat(16 - hex.length()) + hex + "\""; // 16 digits
            case 3:
                return "\"0x" + "0".repeat(17 - hex.length()) + hex + "\""; // 17 digits
            case 4:
                return "\"0x\"";
            case 5:
                return "\"\\u0030x" + hex + "\""; // an escape
            case 6:
                return "\"0xffffffffffffffff\"";
            case 7:
                return "\"0x" + hex + "g\"";
            case 8:
                return "null";
            default:
                return "\"0x" + hex + "\"";
        }
    }

    private static String flags(SplittableRandom r) {
        String[] names = {"growsdown", "growsup", "shadow_stack", "growsdown", "stack", "GROWSDOWN"};
        int k = r.nextInt(4);
        StringBuilder b = new StringBuilder("\"flags\"").append(ws(r)).append(':').append(ws(r)).append('[');
        for (int i = 0; i < k; i++) {
            b.append(i == 0 ? "" : ",").append(ws(r)).append('"').append(names[r.nextInt(odd(r, 6) == 0 ? 6 : 3)])
                    .append('"');
        }
        return b.append(']').toString();
    }
}
