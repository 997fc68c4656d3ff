package io.pfnmap.verification.proof;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code proofs/excused.txt} (test resources): contracts that may stay open, each with a reason
 * (what KeY left open) and an issue-style note (what would close it). One line per contract:
 * {@code Class#method contract | reason | note}; {@code #} starts a comment. A line that does not
 * have the three fields, or names a contract that does not exist, fails the run: excuses never
 * go stale silently.
 */
public final class Excused {
    public record Entry(String key, String reason, String note, int line) {
    }

    private final Map<String, Entry> entries;

    private Excused(Map<String, Entry> entries, String file) {
        this.file = file;
        this.entries = entries;
    }

    /** The list's file name, for messages. */
    private final String file;

    /** {@code proofs/excused.txt}: contracts not proved yet. */
    public static Excused load() {
        return load("excused.txt");
    }

    /**
     * {@code proofs/trusted.txt}: contracts that are not provable by design, each with what KeY
     * lacks and the written soundness argument (docs/proofs.md, "Trusted cases"); same format.
     */
    public static Excused loadTrusted() {
        return load("trusted.txt");
    }

    static Excused load(String file) {
        try (InputStream in = Excused.class.getResourceAsStream("/proofs/" + file)) {
            if (in == null) {
                throw new IllegalStateException("proofs/" + file + " is missing from the test resources");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList(), file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries of these lines of {@code file}; a malformed or repeated entry fails, naming its line. */
    static Excused parse(List<String> lines, String file) {
        Map<String, Entry> m = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (ListFile.Row r : ListFile.rows(lines)) {
            int n = r.number();
            String s = r.text();
            String[] f = r.fields();
            if (f.length != 3 || f[0].isBlank() || f[1].isBlank() || f[2].isBlank()) {
                errors.add(file + " line " + n + ": want 'Class#method contract | reason | note', got: " + s);
                continue;
            }
            String key = f[0].strip();
            if (m.put(key, new Entry(key, f[1].strip(), f[2].strip(), n)) != null) {
                errors.add(file + " line " + n + ": " + key + " is listed twice");
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException(String.join("\n", errors));
        }
        return new Excused(m, file);
    }

    public Entry get(String key) {
        return entries.get(key);
    }

    public int size() {
        return entries.size();
    }

    /** Every entry names a contract of the run (unless the run was filtered). */
    public void checkAllUsed(List<ContractResult> results, boolean filtered) {
        if (filtered) {
            return;
        }
        List<String> stale = new ArrayList<>();
        for (Entry e : entries.values()) {
            boolean found = false;
            for (ContractResult r : results) {
                if (r.key().equals(e.key())) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                stale.add(file + " line " + e.line() + ": no contract " + e.key());
            }
        }
        if (!stale.isEmpty()) {
            throw new IllegalStateException(String.join("\n", stale));
        }
    }
}
