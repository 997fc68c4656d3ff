package io.pfnmap.verification.oracle;

import io.pfnmap.mm.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the members of one JSON object of a request, refusing a bad one as {@code
 * <path><name>: <rule>} with the request's id: the small reader every decoder shares, so that
 * none passes the id and the path around for its messages.
 */
final class Fields {
    static final String U64_RULE = "must be a u64: a string \"0x\" with 1 to 16 hex digits, "
            + "or a JSON integer in [0, 2^64-1]";

    final String id;
    /** The object's path and a dot ({@code "mm."}), or empty at the top. */
    final String path;
    final Node object;

    Fields(String id, String path, Node object) {
        this.id = id;
        this.path = path;
        this.object = object;
    }

    /** The value at {@code field} (a path below this object) must be an object: its reader. */
    Fields object(Node v, String field) {
        if (!v.is(Node.Kind.OBJECT)) {
            throw invalid(field, "must be an object, got " + v.typeName());
        }
        return new Fields(id, path + field + ".", v);
    }

    InvalidRequestException invalid(String field, String rule) {
        return new InvalidRequestException(id, path + field, rule);
    }

    Node get(String name) {
        return object.get(name);
    }

    /** Every member is one of {@code known}; else the first other is refused: {@code rule} and the known ones. */
    void onlyKnown(Set<String> known, String rule) {
        for (int i = 0; i < object.size(); i++) {
            if (!known.contains(object.name(i))) {
                throw invalid(object.name(i), rule + String.join(", ", known));
            }
        }
    }

    long u64(String name, long dflt) {
        Node v = object.get(name);
        return v == null ? dflt : u64(v, name);
    }

    long required(String name) {
        Node v = object.get(name);
        if (v == null) {
            throw invalid(name, "required");
        }
        return u64(v, name);
    }

    /**
     * An array of names from {@code known}, each once (flags of every kind), {@code field[i]} naming
     * a bad one. {@code arrayRule} follows "must be an array" (null: " of " and the known names);
     * {@code knownText} lists them in a message (null: the known names).
     */
    List<String> names(Node v, String field, Set<String> known, String arrayRule, String knownText) {
        if (!v.is(Node.Kind.ARRAY)) {
            throw invalid(field, "must be an array" + (arrayRule != null ? arrayRule : " of " + String.join(", ", known))
                    + ", got " + v.typeName());
        }
        List<String> names = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            String at = field + "[" + i + "]";
            String name = string(v.item(i), at);
            if (!known.contains(name)) {
                throw invalid(at, "unknown flag " + quote(name) + "; known: "
                        + (knownText != null ? knownText : String.join(", ", known)));
            }
            if (names.contains(name)) {
                throw invalid(at, quote(name) + " is given twice");
            }
            names.add(name);
        }
        return names;
    }

    /** A u64 that must be a multiple of {@code page}. */
    long pageMultiple(String name, long dflt, long page) {
        long v = u64(name, dflt);
        if (v % page != 0) {
            throw invalid(name, "must be a multiple of PAGE_SIZE (" + Hex.of(page) + "), got " + Hex.of(v));
        }
        return v;
    }

    boolean bool(String name, boolean dflt) {
        Node v = object.get(name);
        if (v == null) {
            return dflt;
        }
        if (!v.is(Node.Kind.BOOLEAN)) {
            throw invalid(name, "must be true or false, got " + v.typeName());
        }
        return v == Node.TRUE;
    }

    String string(Node v, String field) {
        if (!v.is(Node.Kind.STRING)) {
            throw invalid(field, "must be a string, got " + v.typeName());
        }
        return v.text();
    }

    /**
     * A u64: a string {@code "0x"} (or {@code "0X"}) with 1 to 16 hex digits of either case, or a
     * JSON integer (no fraction, no exponent, no minus sign) at most 2^64-1. Nothing else: no
     * decimal strings, no {@code -0}.
     */
    long u64(Node v, String field) {
        String t = v.text();
        if (v.is(Node.Kind.STRING)) {
            int n = t.length();
            if (n >= 3 && n <= 18 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')) {
                long r = 0;
                for (int i = 2; i < n; i++) {
                    int d = Character.digit(t.charAt(i), 16);
                    if (d < 0 || t.charAt(i) > 'f') {
                        throw invalid(field, U64_RULE + ", got " + quote(t));
                    }
                    r = (r << 4) | d;
                }
                return r;
            }
            throw invalid(field, U64_RULE + ", got " + quote(t));
        }
        if (v.is(Node.Kind.NUMBER)) {
            if (t.charAt(0) == '-') {
                throw invalid(field, "must not be negative (a u64), got " + cut(t));
            }
            if (!v.isInteger()) {
                throw invalid(field, "must be an integer: no fraction or exponent (a u64), got " + cut(t));
            }
            try {
                if (t.length() <= 20) {
                    return Long.parseUnsignedLong(t);
                }
            } catch (NumberFormatException e) {
                // over 2^64-1: below
            }
            throw invalid(field, "exceeds 2^64-1, got " + cut(t));
        }
        throw invalid(field, U64_RULE + ", got " + v.typeName());
    }

    /** A value quoted for a message, cut at 40 characters. */
    static String quote(String s) {
        return "\"" + cut(s) + "\"";
    }

    static String cut(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
