package io.pfnmap.verification.proof;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Seeded wrong variants made from today's sources ({@code proofs/mutants.txt}): each entry names
 * a core method's contract, a line of its body and what that line becomes. At every proof run the
 * method, its contract included, is copied within its own class (in the run's source copy, never
 * in the repository) as {@code seeded_<name>}, with that one line changed; the copy's contract
 * must stay open. A seed thus always tests the contract the core has today: when the line changes,
 * the run stops and says so, instead of testing an old copy.
 *
 * <p>An entry is a block of {@code key: value} lines, blocks separated by a blank line:
 * <pre>
 * seed: wrongRetryFromGap
 * contract: UnmappedArea#unmappedArea normal_behavior.0
 * line: low = next;
 * becomes: low = gap;
 * breaks: the loop's measure: ...
 * </pre>
 * {@code line} must occur exactly once in the method's body (after its signature). The mutant is
 * proved with the original contract's budget and options (budgets.txt), so only the bug keeps it
 * open.
 */
public final class Mutants {
    private Mutants() {
    }

    /** The prefix of a mutant's method name. */
    public static final String PREFIX = "seeded_";

    /** One mutation: the seed's name, the contract it copies, the line and its replacement. */
    public record Mutant(String seed, String className, String method, String contract, String line, String becomes,
            String breaks) {
        /** The copy's method name. */
        public String mutantMethod() {
            return PREFIX + seed;
        }

        /** The copy's contract, as the report names it. */
        public String key() {
            return className + "#" + mutantMethod() + " " + contract;
        }

        /** The original's contract. */
        public String originalKey() {
            return className + "#" + method + " " + contract;
        }
    }

    private static List<Mutant> loaded;

    /** The entries of {@code proofs/mutants.txt} (a classpath resource). */
    public static synchronized List<Mutant> load() {
        if (loaded == null) {
            try (InputStream in = Mutants.class.getResourceAsStream("/proofs/mutants.txt")) {
                if (in == null) {
                    throw new IllegalStateException("proofs/mutants.txt is missing from the resources");
                }
                loaded = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return loaded;
    }

    /** Parses the blocks; an incomplete or unknown field names its line. */
    static List<Mutant> parse(String text) {
        List<Mutant> out = new ArrayList<>();
        Map<String, String> f = new LinkedHashMap<>();
        int n = 0;
        int start = 0;
        for (String raw : (text + "\n\n").split("\n", -1)) {
            n++;
            String l = raw.strip();
            if (l.startsWith("#")) {
                continue;
            }
            if (l.isEmpty()) {
                if (!f.isEmpty()) {
                    out.add(mutant(f, start));
                    f.clear();
                }
                continue;
            }
            if (f.isEmpty()) {
                start = n;
            }
            int c = l.indexOf(':');
            String k = c < 0 ? "" : l.substring(0, c).strip();
            if (!List.of("seed", "contract", "line", "becomes", "breaks").contains(k)) {
                throw new IllegalStateException("mutants.txt line " + n + ": needs 'seed|contract|line|becomes|breaks: value'");
            }
            f.put(k, l.substring(c + 1).strip());
        }
        return List.copyOf(out);
    }

    private static Mutant mutant(Map<String, String> f, int line) {
        for (String k : List.of("seed", "contract", "line", "becomes", "breaks")) {
            if (f.getOrDefault(k, "").isEmpty()) {
                throw new IllegalStateException("mutants.txt entry at line " + line + ": '" + k + "' is missing");
            }
        }
        String c = f.get("contract");
        int hash = c.indexOf('#');
        int space = c.indexOf(' ');
        if (hash <= 0 || space < hash) {
            throw new IllegalStateException("mutants.txt entry at line " + line + ": contract must read 'Class#method contract'");
        }
        return new Mutant(f.get("seed"), c.substring(0, hash), c.substring(hash + 1, space), c.substring(space + 1).strip(),
                f.get("line"), f.get("becomes"), f.get("breaks"));
    }

    /** Whether the method {@code method} is a mutant's copy (named with {@link #PREFIX}). */
    public static boolean isMutant(String method) {
        return method.startsWith(PREFIX);
    }

    /** The key whose budget and options a key uses: a mutant's original, else itself. */
    public static String budgetKey(String key) {
        for (Mutant m : load()) {
            if (m.key().equals(key)) {
                return m.originalKey();
            }
        }
        return key;
    }

    /** Whether a run proves {@code key}: every contract but a mutant's copies other than its own. */
    public static boolean proved(String key, String method) {
        if (!isMutant(method)) {
            return true;
        }
        return load().stream().anyMatch(m -> m.key().equals(key));
    }

    /** Adds every mutant to its class in the source copy {@code dir}. */
    public static void applyAll(Path dir, List<Mutant> mutants) {
        for (Mutant m : mutants) {
            Path file = find(dir, m.className());
            try {
                Files.writeString(file, apply(Files.readString(file), m));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Path find(Path dir, String className) {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> hits = s.filter(p -> p.getFileName().toString().equals(className + ".java")).toList();
            if (hits.size() != 1) {
                throw new IllegalStateException("mutants.txt: class " + className + " found " + hits.size()
                        + " times in the cores and the hand-written seeds");
            }
            return hits.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The class source with the mutant added before its last closing brace: the method's
     * contract lines (the JML comments right above its signature), its signature with the new
     * name, and its body with the one line changed.
     */
    static String apply(String source, Mutant m) {
        String[] lines = source.split("\n", -1);
        int sig = -1;
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].strip();
            // " " + t: a package-private method's signature starts with "static"
            if ((" " + t).contains(" static ") && t.contains(" " + m.method() + "(") && !t.startsWith("*") && !t.startsWith("@")) {
                if (sig >= 0) {
                    throw new IllegalStateException(where(m) + "two methods named " + m.method());
                }
                sig = i;
            }
        }
        if (sig < 0) {
            throw new IllegalStateException(where(m) + "no method " + m.method() + " in " + m.className());
        }
        int first = sig;
        while (first > 0 && isContractLine(lines[first - 1].strip())) {
            first--;
        }
        int depth = 0;
        boolean opened = false;
        int last = -1;
        for (int i = sig; i < lines.length && last < 0; i++) {
            for (char ch : lines[i].toCharArray()) {
                if (ch == '{') {
                    depth++;
                    opened = true;
                } else if (ch == '}') {
                    depth--;
                    if (opened && depth == 0) {
                        last = i;
                        break;
                    }
                }
            }
        }
        if (last < 0) {
            throw new IllegalStateException(where(m) + "the body of " + m.method() + " does not end");
        }
        StringBuilder contract = new StringBuilder();
        for (int i = first; i < sig; i++) {
            contract.append(lines[i]).append('\n');
        }
        StringBuilder body = new StringBuilder();
        for (int i = sig; i <= last; i++) {
            body.append(lines[i]).append('\n');
        }
        String b = body.toString();
        int brace = b.indexOf('{');
        String head = b.substring(0, brace);
        String rest = b.substring(brace);
        int at = rest.indexOf(m.line());
        if (at < 0 || rest.indexOf(m.line(), at + 1) >= 0) {
            throw new IllegalStateException(where(m) + "the line '" + m.line() + "' occurs " + (at < 0 ? "nowhere" : "more than once")
                    + " in the body of " + m.className() + "." + m.method() + ": today's source changed, so update the entry");
        }
        rest = rest.substring(0, at) + m.becomes() + rest.substring(at + m.line().length());
        head = head.replace(" " + m.method() + "(", " " + m.mutantMethod() + "(");
        int end = source.lastIndexOf('}');
        String copy = "\n    // seeded (proofs/mutants.txt): " + m.seed() + "\n" + contract + head + rest;
        return source.substring(0, end) + copy + source.substring(end);
    }

    private static boolean isContractLine(String t) {
        return t.startsWith("/*@") || t.startsWith("@") || t.startsWith("/*+KeY@") || t.startsWith("/*-KeY@")
                || t.startsWith("//@");
    }

    private static String where(Mutant m) {
        return "mutants.txt seed " + m.seed() + ": ";
    }
}
