package io.pfnmap.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The property catalogue as data ({@code spec/catalogue.json}): one row per property, naming where
 * each part of it lives. The contract, the jqwik property and the seeded variant are read from
 * those places at build time (never copied here), and {@code CatalogueTest} checks that every reference still resolves.
 */
public final class Catalogue {
    private Catalogue() {
    }

    /**
     * One property.
     *
     * @param id           its anchor and short name
     * @param words        the promise in words
     * @param module       the module whose core holds the contract
     * @param coreClass    the core class (fully qualified)
     * @param coreMethod   the core method whose JML states (or carries) the property
     * @param testModule   the module holding the jqwik property
     * @param testClass    the test class (fully qualified)
     * @param testMethod   the {@code @Property} method
     * @param seededClass  the test class holding the seeded wrong variant
     * @param seededMethod the test method that runs it
     * @param seededLabel  the label of the variant as the test prints it (must occur in that method)
     */
    public record Property(String id, String words, String module, String coreClass, String coreMethod,
            String testModule, String testClass, String testMethod, String seededClass, String seededMethod,
            String seededLabel) {

        public String coreFile() {
            return Sources.mainFile(module, coreClass);
        }

        public String testFile() {
            return Sources.testFile(testModule, testClass);
        }

        public String seededFile() {
            return Sources.testFile(testModule, seededClass);
        }

        public String simpleCoreClass() {
            return coreClass.substring(coreClass.lastIndexOf('.') + 1);
        }
    }

    /** A row of {@code spec/catalogue.json}: a property and, where it needs one, its caveat. */
    private record Row(String id, String words, String module, String coreClass, String coreMethod,
            String testModule, String testClass, String testMethod, String seededClass, String seededMethod,
            String seededLabel, String caveat) {
        Property property() {
            return new Property(id, words, module, coreClass, coreMethod, testModule, testClass, testMethod,
                    seededClass, seededMethod, seededLabel);
        }
    }

    private static final List<Row> ROWS = rows();

    private static List<Row> rows() {
        try (InputStream in = Catalogue.class.getResourceAsStream("/spec/catalogue.json")) {
            if (in == null) {
                throw new IllegalStateException("spec/catalogue.json is missing from the resources");
            }
            return List.of(new ObjectMapper().readValue(in, Row[].class));
        } catch (IOException e) {
            throw new UncheckedIOException("spec/catalogue.json: " + e.getMessage(), e);
        }
    }

    /** Every property, in the order the document lists them (spec/catalogue.json). */
    public static final List<Property> PROPERTIES = ROWS.stream().map(Row::property).toList();

    /**
     * Properties whose proof status needs a word more than the report's (a row's {@code caveat}):
     * which contract states the property and what its proof trusts, so that "closed" is never read
     * as more than it is (docs/proofs.md, "Best-effort").
     */
    public static final Map<String, String> NOT_IN_CONTRACT = ROWS.stream().filter(r -> r.caveat() != null)
            .collect(Collectors.toUnmodifiableMap(Row::id, Row::caveat));

    /** The proof status of {@code p}'s contract, with what the contract does not state. */
    public static String proofStatus(Property p, ProofReport report) {
        String status = report.statusOf(p.coreClass(), p.coreMethod());
        String caveat = NOT_IN_CONTRACT.get(p.id());
        return caveat == null ? status : status + "; " + caveat;
    }

    /** A test method: the declaration whose annotations include @Property, @Test or @Example. */
    public static Optional<Sources.Method> testMethod(Sources src, String file, String name) {
        for (Sources.Method m : src.methods(file, name)) {
            String a = src.annotation(m);
            if (a.contains("@Property") || a.contains("@Test") || a.contains("@Example")) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** What no longer resolves in the sources, one line each (empty: the catalogue is current). */
    public static List<String> problems(Sources src) {
        return problems(src, PROPERTIES);
    }

    /** What no longer resolves for these properties. */
    public static List<String> problems(Sources src, List<Property> properties) {
        List<String> out = new ArrayList<>();
        for (Property p : properties) {
            Optional<Sources.Method> core = src.method(p.coreFile(), p.coreMethod());
            if (core.isEmpty()) {
                out.add(p.id() + ": no method " + p.coreMethod() + " in " + p.coreFile());
            } else if (core.get().jml().isEmpty()) {
                out.add(p.id() + ": " + p.coreClass() + "#" + p.coreMethod() + " has no JML block");
            }
            if (testMethod(src, p.testFile(), p.testMethod()).isEmpty()) {
                out.add(p.id() + ": no @Property/@Test " + p.testMethod() + " in " + p.testFile());
            }
            Optional<Sources.Method> seeded = testMethod(src, p.seededFile(), p.seededMethod());
            if (seeded.isEmpty()) {
                out.add(p.id() + ": no seeded-variant test " + p.seededMethod() + " in " + p.seededFile());
            } else if (!src.body(seeded.get()).contains(p.seededLabel())) {
                out.add(p.id() + ": the seeded test " + p.seededMethod() + " no longer holds \"" + p.seededLabel() + "\"");
            }
        }
        return out;
    }
}
