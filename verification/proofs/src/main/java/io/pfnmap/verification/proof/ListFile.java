package io.pfnmap.verification.proof;

import java.util.ArrayList;
import java.util.List;

/**
 * The lists under {@code proofs/} (budgets.txt, excused.txt, trusted.txt, costs.txt): one entry a
 * line, fields split at {@code |}, {@code #} starting a comment line. Each list checks its own
 * fields; this reads the lines once for all of them, keeping each entry's line number for errors.
 */
final class ListFile {
    private ListFile() {
    }

    /** One entry: its line number (from 1), the stripped line and its fields (unstripped). */
    record Row(int number, String text, String[] fields) {
    }

    /** The entries of these lines: blank lines and comments left out. */
    static List<Row> rows(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        int n = 0;
        for (String line : lines) {
            n++;
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                rows.add(new Row(n, t, t.split("\\|", -1)));
            }
        }
        return rows;
    }
}
