package io.pfnmap.verification.oracle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A JSON value (RFC 8259) as {@link JsonReader} parses it and {@link JsonWriter} writes it. Small on
 * purpose: objects keep their members in order (a name appears at most once), numbers keep the
 * literal as written so that nothing is lost before a field decides how to read it.
 */
public sealed interface Json permits Json.Obj, Json.Arr, Json.Str, Json.Num, Json.Bool, Json.Null {

    /** The JSON type's name, for messages: object, array, string, number, boolean, null. */
    String typeName();

    /** Compact JSON text of this value (numbers as written, strings re-escaped). */
    default String toJson() {
        JsonWriter w = new JsonWriter();
        w.value(this);
        return w.toString();
    }

    /** {@code {...}}: members in source order, names distinct. */
    final class Obj implements Json {
        private final String[] names;
        private final Json[] values;

        Obj(String[] names, Json[] values) {
            this.names = names;
            this.values = values;
        }

        public int size() {
            return names.length;
        }

        public String name(int i) {
            return names[i];
        }

        public Json value(int i) {
            return values[i];
        }

        /** The member called {@code name}, or null when there is none. */
        public Json get(String name) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(name)) {
                    return values[i];
                }
            }
            return null;
        }

        @Override
        public String typeName() {
            return "object";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Obj other && Arrays.equals(names, other.names) && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return toJson();
        }
    }

    /** {@code [...]}. */
    final class Arr implements Json {
        private final Json[] items;

        Arr(Json[] items) {
            this.items = items;
        }

        public int size() {
            return items.length;
        }

        public Json get(int i) {
            return items[i];
        }

        @Override
        public String typeName() {
            return "array";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Arr other && Arrays.equals(items, other.items);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(items);
        }

        @Override
        public String toString() {
            return toJson();
        }
    }

    /** A string, unescaped. */
    record Str(String value) implements Json {
        public Str {
            Objects.requireNonNull(value);
        }

        @Override
        public String typeName() {
            return "string";
        }
    }

    /** A number, kept as its literal (valid JSON number syntax). */
    record Num(String literal) implements Json {
        @Override
        public String typeName() {
            return "number";
        }

        /** Whether the literal is an integer: no fraction, no exponent. */
        public boolean isInteger() {
            for (int i = 0; i < literal.length(); i++) {
                char c = literal.charAt(i);
                if (c == '.' || c == 'e' || c == 'E') {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code true} or {@code false}. */
    record Bool(boolean value) implements Json {
        @Override
        public String typeName() {
            return "boolean";
        }
    }

    /** {@code null}. */
    enum Null implements Json {
        NULL;

        @Override
        public String typeName() {
            return "null";
        }
    }

    // ---- building values (tests, vectors, documents) ----

    Bool TRUE = new Bool(true);
    Bool FALSE = new Bool(false);

    static Str str(String s) {
        return new Str(s);
    }

    /** A number from its literal; it must be valid JSON number syntax. */
    static Num num(String literal) {
        Json v = JsonReader.parse(literal);
        if (!(v instanceof Num n)) {
            throw new IllegalArgumentException("not a JSON number: " + literal);
        }
        return n;
    }

    /** The unsigned 64-bit value {@code v} as a JSON number (decimal). */
    static Num u64Number(long v) {
        return new Num(Long.toUnsignedString(v));
    }

    /** The unsigned 64-bit value {@code v} as the protocol writes it: a "0x..." string. */
    static Str u64Hex(long v) {
        return new Str("0x" + Long.toHexString(v));
    }

    static Bool bool(boolean b) {
        return b ? TRUE : FALSE;
    }

    static Arr arr(Json... items) {
        return new Arr(items.clone());
    }

    static Arr arr(List<? extends Json> items) {
        return new Arr(items.toArray(new Json[0]));
    }

    /** An object from alternating names and values; a repeated name is refused. */
    static Obj obj(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate");
        }
        ObjBuilder b = new ObjBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.put((String) namesAndValues[i], (Json) namesAndValues[i + 1]);
        }
        return b.build();
    }

    /** Builds an object member by member. */
    final class ObjBuilder {
        private final List<String> names = new ArrayList<>();
        private final List<Json> values = new ArrayList<>();

        public ObjBuilder put(String name, Json value) {
            if (names.contains(name)) {
                throw new IllegalArgumentException("duplicate member " + name);
            }
            names.add(Objects.requireNonNull(name));
            values.add(Objects.requireNonNull(value));
            return this;
        }

        public Obj build() {
            return new Obj(names.toArray(new String[0]), values.toArray(new Json[0]));
        }
    }
}
