package io.pfnmap.verification.proof;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the output of {@code openjml --esc} (src/test/openjml/run.sh) into the rows of the proof
 * report: one row per public method of the cores, {@code closed} unless a {@code verify:} line
 * names it ({@code File.java:N: verify: The prover cannot establish an assertion (Postcondition:
 * ...) in method m}), then {@code open} with the failed assertions as its branches.
 */
public final class OpenJmlRun {
    private OpenJmlRun() {
    }

    private static final Pattern VERIFY = Pattern.compile("^(?:.*/)?(\\w+)\\.java:(\\d+): verify: (.*?)(?: in method (\\w+))?\\s*$");
    private static final Pattern METHOD = Pattern.compile("^\\s*public\\s+(?:static\\s+)?(?:/\\*@[^@]*@\\*/\\s*)?[\\w\\[\\]]+\\s+(\\w+)\\(");

    /** Failed assertions by {@code Class#method}, from OpenJML's output. */
    public static Map<String, List<String>> failures(String output) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            Matcher x = VERIFY.matcher(line);
            if (x.matches() && x.group(4) != null) {
                m.computeIfAbsent(x.group(1) + "#" + x.group(4), k -> new ArrayList<>())
                        .add(x.group(3) + " (line " + x.group(2) + ")");
            }
        }
        return m;
    }

    /** The rows: every public method of every core class, with its OpenJML outcome. */
    public static List<ContractResult> rows(Path root, String output) throws IOException {
        Map<String, List<String>> failed = failures(output);
        List<ContractResult> rows = new ArrayList<>();
        for (Map.Entry<String, String> core : new java.util.TreeMap<>(CoreSources.CORES).entrySet()) {
            Path dir = root.resolve(core.getKey()).resolve("src/main/java").resolve(core.getValue());
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            }
            for (Path f : files) {
                String cls = f.getFileName().toString().replace(".java", "");
                for (String line : Files.readAllLines(f)) {
                    Matcher x = METHOD.matcher(line);
                    if (!x.find()) {
                        continue;
                    }
                    String key = cls + "#" + x.group(1);
                    List<String> open = failed.getOrDefault(key, List.of());
                    rows.add(new ContractResult(core.getKey(), cls, x.group(1), "esc",
                            open.isEmpty() ? ContractResult.CLOSED : ContractResult.OPEN, 0, 0, "", "", open,
                            ContractResult.CLOSED));
                }
            }
        }
        return rows;
    }
}
