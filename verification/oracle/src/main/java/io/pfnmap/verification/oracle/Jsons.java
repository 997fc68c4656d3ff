package io.pfnmap.verification.oracle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The project's one JSON library, Jackson, set up once: the protocol's rules for reading (nesting
 * at most 64 deep; a member twice is refused by {@link LineParser}, which reads every member) and
 * for writing (pure ASCII, lowercase {@code \\u}
 * escapes, as the hand-written writer did, so answers keep their bytes), and a databind mapper for
 * reports, vectors and comparisons.
 */
public final class Jsons {
    private Jsons() {
    }

    /** The nesting limit of a request: objects and arrays inside one another. */
    public static final int MAX_DEPTH = 64;

    /** Streaming parsers and generators of the protocol. */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            // keep CANONICALIZE_FIELD_NAMES on: without it Jackson reads bytes through a Reader, and byte
            // offsets (the messages', the id's source text, the remembered members) are lost
            // the line limit (1 MiB) bounds names, strings and numbers; only the depth is Jackson's to check
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxNameLength(Oracle.MAX_LINE_BYTES).maxNumberLength(Oracle.MAX_LINE_BYTES)
                    .maxStringLength(Oracle.MAX_LINE_BYTES).build())
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    /** Databind over the same factory: records in and out. */
    public static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY).build();

    /** One line, a space after each ':' and ',' (reports and vectors a person reads: {@code {"a": 1, "b": [2, 3]}}). */
    public static final ObjectWriter SPACED = MAPPER.writer(new MinimalPrettyPrinter() {
        private static final long serialVersionUID = 1L;

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    });

    /** {@code value} on one line as {@link #SPACED} writes it. */
    public static String spaced(Object value) {
        try {
            return SPACED.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Also escapes DEL (0x7f), as the writer this replaces did: an answer line is printable ASCII. */
    private static final CharacterEscapes ASCII = new CharacterEscapes() {
        private static final long serialVersionUID = 1L;
        private final int[] codes = standardAsciiEscapesWithDel();

        @Override
        public int[] getEscapeCodesForAscii() {
            return codes;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
            return null;
        }
    };

    private static int[] standardAsciiEscapesWithDel() {
        int[] c = CharacterEscapes.standardAsciiEscapesForJSON();
        c[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
        return c;
    }

    /** A compact generator: no separator between top-level values (the caller writes the newlines). */
    public static JsonGenerator generator(OutputStream out) {
        try {
            JsonGenerator g = FACTORY.createGenerator(out);
            g.setRootValueSeparator(null);
            g.setCharacterEscapes(ASCII);
            g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code s} as a JSON string literal, escaped as the answers are. */
    public static String string(String s) {
        try {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(s.length() + 8);
            try (JsonGenerator g = generator(b)) {
                g.writeString(s);
            }
            return b.toString(java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
