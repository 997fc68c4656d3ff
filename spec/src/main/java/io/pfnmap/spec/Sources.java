package io.pfnmap.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's Java sources, read as text: where a method is declared, the comment block (Javadoc
 * and JML) above it, and the body of a test method. The document quotes the sources through this
 * class, so a renamed method or a changed contract shows up in the next build (and a missing one
 * fails {@code CatalogueTest}).
 */
public final class Sources {
    private final Path root;
    private final Map<String, List<String>> cache = new HashMap<>();

    /** @param root the project root (the folder holding the modules) */
    public Sources(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** A method found in a file: its line (0-based), its declaration line and the comment block above it. */
    public record Method(String file, int line, String declaration, String javadoc, String jml) {
        /** The first sentence of the Javadoc, or "". */
        public String summary() {
            String j = javadoc.replaceAll("\\s+", " ").trim();
            int dot = firstSentenceEnd(j);
            return dot < 0 ? j : j.substring(0, dot + 1);
        }
    }

    private static int firstSentenceEnd(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ')') && depth > 0) {
                depth--;
            } else if (c == '.' && depth == 0 && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
                return i;
            }
        }
        return -1;
    }

    /** The lines of {@code file} (relative to the root); empty when it does not exist. */
    public List<String> lines(String file) {
        return cache.computeIfAbsent(file, f -> {
            Path p = root.resolve(f);
            if (!Files.isRegularFile(p)) {
                return List.of();
            }
            try {
                return Files.readAllLines(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        });
    }

    public boolean exists(String file) {
        return Files.isRegularFile(root.resolve(file));
    }

    /** The source file of a class, e.g. {@code mm-model} + {@code io.pfnmap.mm.core.UnmappedArea}. */
    public static String mainFile(String module, String className) {
        return module + "/src/main/java/" + className.replace('.', '/') + ".java";
    }

    public static String testFile(String module, String className) {
        return module + "/src/test/java/" + className.replace('.', '/') + ".java";
    }

    /** Every declaration of a method named {@code name} (overloads in order). */
    public List<Method> methods(String file, String name) {
        List<String> lines = lines(file);
        Pattern decl = Pattern.compile("^\\s*(public|protected|private|static|final|synchronized|/\\*@\\s*pure\\s*@\\*/|"
                + "\\s)*[\\w<>\\[\\], .]+\\s+" + Pattern.quote(name) + "\\s*\\(");
        List<Method> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.trim().startsWith("*") || l.trim().startsWith("//") || l.contains("return ") || l.contains(" = ")
                    || l.trim().startsWith("@") || l.trim().startsWith("/*")) {
                continue;
            }
            if (decl.matcher(l).find() && !l.contains(" new ")) {
                out.add(new Method(file, i, l.trim(), javadocAbove(lines, i), jmlAbove(lines, i)));
            }
        }
        return out;
    }

    /** The first declaration of {@code name}, if any. */
    public Optional<Method> method(String file, String name) {
        List<Method> m = methods(file, name);
        return m.isEmpty() ? Optional.empty() : Optional.of(m.get(0));
    }

    /** The comment lines directly above line {@code i} (annotations skipped), top to bottom. */
    private static List<String> blockAbove(List<String> lines, int i) {
        int j = i - 1;
        while (j >= 0 && isAnnotation(lines.get(j))) {
            j--; // annotations such as @Property(tries = 3000)
        }
        List<String> block = new ArrayList<>();
        boolean inComment = false;
        while (j >= 0) {
            String t = lines.get(j).trim();
            if (t.endsWith("*/")) {
                inComment = true;
            }
            if (!inComment) {
                break;
            }
            block.add(0, t);
            if (t.startsWith("/*")) {
                inComment = false;
            }
            j--;
        }
        return block;
    }

    /**
     * The start of a JML comment: {@code /*@}, or one keyed for KeY ({@code /*+KeY@}) or for every
     * other tool ({@code /*-KeY@}), as the cores' strict-purity line is.
     */
    static boolean isJml(String t) {
        return t.startsWith("/*@") || t.startsWith("/*+KeY@") || t.startsWith("/*-KeY@");
    }

    /** A Java annotation line ({@code @Property(...)}), not a JML line ({@code @ ensures ...}). */
    static boolean isAnnotation(String line) {
        String t = line.trim();
        return t.matches("@[A-Za-z].*") && !t.endsWith("*/");
    }

    private static String javadocAbove(List<String> lines, int i) {
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (String t : blockAbove(lines, i)) {
            if (t.startsWith("/**")) {
                in = true;
                t = t.substring(3);
            } else if (isJml(t)) {
                in = false;
            }
            if (in) {
                boolean end = t.endsWith("*/");
                if (end) {
                    t = t.substring(0, t.length() - 2);
                }
                t = t.startsWith("*") ? t.substring(1) : t;
                b.append(t.trim()).append('\n');
                if (end) {
                    in = false;
                }
            }
        }
        return b.toString().trim();
    }

    private static String jmlAbove(List<String> lines, int i) {
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (String t : blockAbove(lines, i)) {
            if (isJml(t)) {
                in = true;
            }
            if (in) {
                b.append(t).append('\n');
                if (t.endsWith("@*/")) {
                    in = false;
                }
            }
        }
        return b.toString().trim();
    }

    /** The text of the method starting at {@code m.line()}, up to its closing brace (by brace count). */
    public String body(Method m) {
        List<String> lines = lines(m.file());
        StringBuilder b = new StringBuilder();
        int depth = 0;
        boolean opened = false;
        for (int i = m.line(); i < lines.size(); i++) {
            String l = lines.get(i);
            b.append(l).append('\n');
            for (char c : l.toCharArray()) {
                if (c == '{') {
                    depth++;
                    opened = true;
                } else if (c == '}') {
                    depth--;
                }
            }
            if (opened && depth <= 0) {
                break;
            }
        }
        return b.toString();
    }

    /** The annotation line directly above a method ({@code @Property(tries = 3000)}), or "". */
    public String annotation(Method m) {
        List<String> lines = lines(m.file());
        int j = m.line() - 1;
        StringBuilder b = new StringBuilder();
        while (j >= 0 && isAnnotation(lines.get(j))) {
            b.insert(0, lines.get(j).trim() + " ");
            j--;
        }
        return b.toString().trim();
    }

    private static final Pattern KERNEL = Pattern.compile("\\{@code ([A-Za-z_][A-Za-z0-9_]*)\\}[^.(]{0,40}?\\(([a-z0-9_/\\-]+\\.[ch])");

    /** The kernel functions and files a Javadoc names: {@code {@code name} (path/file.c)}. */
    public static List<String[]> kernelRefs(String javadoc) {
        String j = javadoc.replaceAll("\\s+", " ").replace("/ ", "/");
        List<String[]> refs = new ArrayList<>();
        Matcher m = KERNEL.matcher(j);
        while (m.find()) {
            refs.add(new String[] {m.group(1), m.group(2)});
        }
        return refs;
    }
}
