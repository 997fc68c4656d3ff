package io.pfnmap.verification.proof;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Declarations KeY's own Java library (its "JavaRedux") lacks and the cores use: the
 * meta-annotation types of {@code java.lang.annotation} that the cores' {@code @Kernel} annotation
 * is declared with ({@code Annotation} itself KeY has). KeY reads them from a class path folder
 * next to the sources; they carry no code and no contract.
 */
final class KeyStubs {
    private KeyStubs() {
    }

    static final Map<String, String> STUBS = Map.of(
            "ElementType", "public enum ElementType {\n    TYPE, FIELD, METHOD, PARAMETER, CONSTRUCTOR, LOCAL_VARIABLE,\n"
                    + "    ANNOTATION_TYPE, PACKAGE, TYPE_PARAMETER, TYPE_USE, MODULE, RECORD_COMPONENT\n}\n",
            "RetentionPolicy", "public enum RetentionPolicy {\n    SOURCE, CLASS, RUNTIME\n}\n",
            "Retention", "public @interface Retention {\n    RetentionPolicy value();\n}\n",
            "Target", "public @interface Target {\n    ElementType[] value();\n}\n");

    /** The class path folder for the source root {@code dir}: written once, beside it. */
    static File classPathFor(File dir) {
        Path cp = dir.toPath().resolveSibling(dir.getName() + "-classpath");
        Path pkg = cp.resolve("java/lang/annotation");
        try {
            Files.createDirectories(pkg);
            for (Map.Entry<String, String> e : STUBS.entrySet()) {
                Path f = pkg.resolve(e.getKey() + ".java");
                if (!Files.exists(f)) {
                    Files.writeString(f, "package java.lang.annotation;\n\n" + e.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cp.toFile();
    }
}
