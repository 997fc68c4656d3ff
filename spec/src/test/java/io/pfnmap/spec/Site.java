package io.pfnmap.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build wrote the site (exec-maven-plugin, phase process-classes) and the project root. */
final class Site {
    private Site() {
    }

    /** The module folder: surefire runs in it; {@code basedir} when set. */
    static Path module() {
        String b = System.getProperty("basedir");
        Path p = b != null ? Path.of(b) : Path.of("").toAbsolutePath();
        if (!Files.isDirectory(p.resolve("src/main/java/io/pfnmap/spec")) && Files.isDirectory(p.resolve("spec"))) {
            p = p.resolve("spec");
        }
        return p.toAbsolutePath().normalize();
    }

    static Path root() {
        return module().getParent();
    }

    static Path dir() {
        return module().resolve("target/site");
    }

    static String read(String name) {
        Path p = dir().resolve(name);
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the build did not write " + p + " (the generator runs at process-classes)", e);
        }
    }
}
