package io.pfnmap.spec;

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
 * file its Javadoc names, and the rule it encodes (its Javadoc, in the model's names), with the
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
                String classDoc = classJavadoc(lines);
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
                    String kf = kernelName(doc);
                    boolean classLevel = false;
                    String kfile = kf.isEmpty() ? "" : fileAfter(doc, kf);
                    if (kfile.isEmpty() && !kf.isEmpty()) {
                        kfile = fileAfter(classDoc, kf);
                    }
                    if (kfile.isEmpty() && !kf.isEmpty()) {
                        kfile = firstFile(doc);
                    }
                    if (kf.isEmpty()) {
                        // the method names none: the class's function, said to be the class's
                        String ckf = kernelName(classDoc);
                        if (!ckf.isEmpty() && kernelNames(classDoc) == 1 && !classDoc.contains("no single kernel function")) {
                            kfile = fileAfter(classDoc, ckf);
                            kf = ckf;
                            classLevel = true;
                        }
                    }
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
                    out.add(new Entry(core[0], cls, name, rel, i + 1, classLevel ? kf + " (the class's)" : kf, kfile,
                            text(doc), heading));
                }
            }
        }
        return out;
    }

    private static final Pattern KERNEL_NAME = Pattern.compile("\\{@code ([a-z_][a-z0-9_]*_[a-z0-9_]*|[A-Z][A-Z0-9]*_[A-Z0-9_]+)[}(]");
    private static final Pattern PATH = Pattern.compile("(?<![A-Za-z0-9_./])((?:[a-z0-9_\\-]+/)+[a-z0-9_\\-]+\\.[ch])");

    /** The first kernel-style name a Javadoc quotes as code ({@code do_mmap}, {@code VFIO_PCI_OFFSET_TO_INDEX}). */
    static String kernelName(String javadoc) {
        Matcher m = KERNEL_NAME.matcher(javadoc.replaceAll("\\s+", " "));
        while (m.find()) {
            String n = m.group(1);
            if (!n.equals("x86_64") && !n.endsWith("_t")) {
                return n;
            }
        }
        return "";
    }

    /** How many distinct kernel-style names a Javadoc quotes (a class naming several is no fallback). */
    static int kernelNames(String javadoc) {
        java.util.Set<String> names = new java.util.HashSet<>();
        Matcher m = KERNEL_NAME.matcher(javadoc.replaceAll("\\s+", " "));
        while (m.find()) {
            if (!m.group(1).equals("x86_64") && !m.group(1).endsWith("_t")) {
                names.add(m.group(1));
            }
        }
        return names.size();
    }

    /** The first kernel file named after {@code name} in {@code text}, or "". */
    static String fileAfter(String text, String name) {
        String t = text.replaceAll("\\s+", " ").replace("/ ", "/").replace("&#47;", "/");
        int i = t.indexOf("{@code " + name);
        if (i < 0) {
            return "";
        }
        Matcher m = PATH.matcher(t);
        if (m.find(i)) {
            // only when no other quoted name comes between (then the file belongs to that one)
            String between = t.substring(i + name.length() + 8, m.start());
            if (!between.contains("{@code") || between.length() < 60) {
                return m.group(1);
            }
        }
        return "";
    }

    static String firstFile(String text) {
        Matcher m = PATH.matcher(text.replaceAll("\\s+", " ").replace("/ ", "/").replace("&#47;", "/"));
        return m.find() ? m.group(1) : "";
    }

    static String classJavadoc(List<String> lines) {
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (String l : lines) {
            String t = l.trim();
            if (t.startsWith("/**")) {
                in = true;
                t = t.substring(3);
            }
            if (in) {
                boolean end = t.endsWith("*/");
                t = end ? t.substring(0, t.length() - 2) : t;
                b.append(t.startsWith("*") ? t.substring(1) : t).append('\n');
                if (end) {
                    break;
                }
            }
            if (t.startsWith("public final class")) {
                break;
            }
        }
        return b.toString();
    }

    /** Javadoc as document text: {@code x} and {@link x} become `x`, tags dropped. */
    public static String text(String javadoc) {
        return javadoc.replaceAll("\\s+", " ").replaceAll("\\{@(?:code|link|linkplain|value) ([^{}]*)\\}", "`$1`")
                .replaceAll("</?p>|</?i>|</?b>", " ").replace("&#47;", "/").replace("&lt;", "<").replace("&gt;", ">")
                .replaceAll("\\s+", " ").trim();
    }
}
