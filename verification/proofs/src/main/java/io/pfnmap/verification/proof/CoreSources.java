package io.pfnmap.verification.proof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the proved cores live and how a proof run gathers them: the three {@code core} packages
 * (plain Java over {@code java.lang}; vfio's core uses mm's {@code Arith} and {@code Errno}) copied
 * into one source root that KeY loads as a whole.
 */
public final class CoreSources {
    private CoreSources() {
    }

    /** Module, and the core package's path below {@code src/main/java}. */
    public static final Map<String, String> CORES = Map.of(
            "arch-model", "io/pfnmap/arch/core",
            "mm-model", "io/pfnmap/mm/core",
            "vfio-model", "io/pfnmap/vfio/core");

    /** The module a class of the cores (or a seeded variant) belongs to, by package. */
    public static String moduleOf(String packageName) {
        for (Map.Entry<String, String> e : CORES.entrySet()) {
            if (packageName.equals(e.getValue().replace('/', '.'))) {
                return e.getKey();
            }
        }
        return packageName.endsWith(".seeded") ? "seeded" : "?";
    }

    /**
     * The project root: {@code -Dproofs.projectRoot}, else the nearest folder up from the working
     * folder that holds mm-model (Maven runs tests in the module's folder, verification/proofs).
     */
    public static Path projectRoot() {
        String p = System.getProperty("proofs.projectRoot");
        if (p != null && !p.isBlank()) {
            return Paths.get(p).toAbsolutePath().normalize();
        }
        Path cwd = Paths.get("").toAbsolutePath();
        for (Path d = cwd; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("mm-model"))) {
                return d;
            }
        }
        return cwd;
    }

    /** Copies the three cores into {@code dest} (a fresh source root) and returns it. */
    public static Path copyCores(Path root, Path dest) {
        try {
            for (Map.Entry<String, String> e : CORES.entrySet()) {
                Path from = root.resolve(e.getKey()).resolve("src/main/java").resolve(e.getValue());
                if (!Files.isDirectory(from)) {
                    throw new IllegalStateException("core sources not found: " + from);
                }
                copyJava(from, dest.resolve(e.getValue()));
            }
            return dest;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Copies every {@code .java} file directly in {@code from} to {@code to}. */
    public static void copyJava(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            List<Path> java = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            for (Path f : java) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
    }
}
