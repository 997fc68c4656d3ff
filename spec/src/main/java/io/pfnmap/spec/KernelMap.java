package io.pfnmap.spec;

import io.pfnmap.arch.core.Kernel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The kernel side by side: every public static method of the proved cores, the kernel function and
 * file its {@link Kernel} annotation names (read by reflection), and the rule it encodes (its Javadoc, in the model's names), with the
 * heading of kernel-facts.md that states the kernel's side when that file is beside the clone.
 */
public final class KernelMap {
    private KernelMap() {
    }

    /** The core packages, as module and source folder. */
    public static final List<String[]> CORES = List.of(
            new String[] {"arch-model", "arch-model/src/main/java/io/pfnmap/arch/core"},
            new String[] {"mm-model", "mm-model/src/main/java/io/pfnmap/mm/core"},
            new String[] {"vfio-model", "vfio-model/src/main/java/io/pfnmap/vfio/core"});

    /** One model function. */
    public record Entry(String module, String className, String method, String file, int line, String kernelFunction,
            String kernelFile, String rule, String factsHeading) {
    }

    private static final Pattern PUBLIC_STATIC = Pattern.compile(
            "^\\s*public static (?:/\\*@ pure @\\*/ )?[\\w\\[\\]<>]+ (\\w+)\\(");

    /** Where kernel-facts.md is: beside the clone (../shared) or inside it (shared/); null if neither. */
    public static Path factsFile(Path root) {
        for (Path p : List.of(root.resolve("../shared/kernel-facts.md"), root.resolve("shared/kernel-facts.md"))) {
            if (Files.isRegularFile(p)) {
                return p.normalize();
            }
        }
        return null;
    }

    /** Every entry, core by core, class by class, in source order. */
    public static List<Entry> entries(Sources src) {
        List<String> headings = new ArrayList<>();
        Path facts = factsFile(src.root());
        if (facts != null) {
            try {
                for (String l : Files.readAllLines(facts)) {
                    if (l.startsWith("#")) {
                        headings.add(l.replaceFirst("^#+\\s*", ""));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<Entry> out = new ArrayList<>();
        for (String[] core : CORES) {
            List<Path> files;
            try (Stream<Path> s = Files.list(src.root().resolve(core[1]))) {
                files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + core[1], e);
            }
            for (Path f : files) {
                String rel = core[1] + "/" + f.getFileName();
                String cls = f.getFileName().toString().replace(".java", "");
                List<String> lines = src.lines(rel);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = PUBLIC_STATIC.matcher(lines.get(i));
                    if (!m.find()) {
                        continue;
                    }
                    String name = m.group(1);
                    Sources.Method meth = null;
                    for (Sources.Method x : src.methods(rel, name)) {
                        if (x.line() == i) {
                            meth = x;
                        }
                    }
                    String doc = meth == null ? "" : meth.javadoc();
                    Kernel k = kernelOf(core[1].substring(core[1].indexOf("io/")).replace('/', '.') + "." + cls, name);
                    String kf = k == null ? "" : k.fn();
                    String kfile = k == null ? "" : k.file();
                    String heading = "";
                    if (!kf.isEmpty()) {
                        Pattern word = Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(kf) + "(?![A-Za-z0-9_])");
                        for (String h : headings) {
                            if (word.matcher(h).find()) {
                                heading = h;
                                break;
                            }
                        }
                    }
                    out.add(new Entry(core[0], cls, name, rel, i + 1, kf, kfile,
                            text(doc), heading));
                }
            }
        }
        return out;
    }

    /**
     * The {@link Kernel} annotation of the public static method {@code name} of core class {@code
     * className}, read by reflection; null for a method of the model's own.
     */
    static Kernel kernelOf(String className, String name) {
        try {
            for (java.lang.reflect.Method m : Class.forName(className).getDeclaredMethods()) {
                if (m.getName().equals(name) && java.lang.reflect.Modifier.isStatic(m.getModifiers())
                        && java.lang.reflect.Modifier.isPublic(m.getModifiers())) {
                    return m.getAnnotation(Kernel.class);
                }
            }
            return null;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("core class " + className + " is not on spec's class path", e);
        }
    }

    /** Javadoc as document text: {@code x} and {@link x} become `x`, tags dropped. */
    public static String text(String javadoc) {
        return javadoc.replaceAll("\\s+", " ").replaceAll("\\{@(?:code|link|linkplain|value) ([^{}]*)\\}", "`$1`")
                .replaceAll("</?p>|</?i>|</?b>", " ").replace("&#47;", "/").replace("&lt;", "<").replace("&gt;", ">")
                .replaceAll("\\s+", " ").trim();
    }
}
