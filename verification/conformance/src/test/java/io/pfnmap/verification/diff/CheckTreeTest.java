package io.pfnmap.verification.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./oracle check-tree} ({@link CheckTree}) end to end on the cached Debian tree (the one
 * {@link KernelTreeHarnessTest} fetches): a small run agrees and prints one table row per
 * function with its file:line, and runs clean under the sanitizers (exit 0); with a seeded bug
 * it exits 1 and prints each function's first disagreement shrunk to at most 3 VMAs, which
 * still disagrees on that bug's driver; bad arguments, a directory that is not a kernel tree and
 * a tree without one of the cut functions are one-line errors with exit 2. Skips loudly
 * ("SKIPPED ...") when the tree, gcc or liburcu cannot be had.
 */
class CheckTreeTest {
    static final Path OUT = Path.of("target/check-tree-test");
    static String tree;

    record Run(int status, String out, String err) {
    }

    static Run checkTree(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = CheckTree.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        Run r = new Run(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        System.out.println("$ oracle check-tree " + String.join(" ", args) + "   (exit " + status + ")\n" + r.out()
                + r.err());
        return r;
    }

    @BeforeAll
    static void theCachedTree() throws Exception {
        KernelTree k = new KernelTree(KernelTree.scripts(KernelTree.root()), OUT);
        try {
            tree = k.fetch();
            // gcc and liburcu: build.sh says what is missing (exit 77)
            k.build(tree, null, false);
        } catch (KernelTree.Unavailable e) {
            System.out.println("SKIPPED check-tree: " + e.getMessage());
            Assumptions.abort(e.getMessage());
        }
    }

    @Test
    void aSmallRunAgreesOnEveryFunctionAndRunsCleanUnderTheSanitizers() {
        Run r = checkTree(tree, "--cases", "2000", "--out", OUT.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("function ") && r.out().contains("tree file:line"), "table header");
        for (KernelTree.Function f : KernelTree.FUNCTIONS) {
            String row = r.out().lines().filter(l -> l.startsWith(f.name() + " ")).findFirst()
                    .orElseGet(() -> fail("no row for " + f.name()));
            String[] c = row.trim().split("\\s+");
            assertEquals(c[c.length - 2], c[c.length - 1], "cases == agree: " + row);
            assertTrue(row.matches(".*\\s(mm|arch/x86)/\\S+\\.c:\\d+\\s.*"), "the tree's file:line: " + row);
        }
        assertTrue(r.out().contains("sanitizers: 5,000 requests"), "the sanitizer run");
        assertTrue(r.out().contains("no report"), "no sanitizer report");
        assertTrue(r.out().contains("agrees with the model on all"), r.out());
    }

    @Test
    void aSeededBugsDisagreementsAreShrunkToAFewVmasThatStillDisagree() throws Exception {
        Run r = checkTree(tree, "--cases", "2000", "--mutation", "no-stack-gap", "--no-sanitize", "--out",
                OUT.toString());
        assertEquals(1, r.status(), r.err());
        List<String> shrunk = r.out().lines().filter(l -> l.startsWith("  {")).map(String::strip).toList();
        assertFalse(shrunk.isEmpty(), "a shrunk disagreement");
        assertTrue(r.out().contains("unmapped_area (mm/"), "the bottom-up search's disagreement, with its file:line");
        KernelTree k = new KernelTree(KernelTree.scripts(KernelTree.root()), OUT);
        Path mutant = k.build(tree, "no-stack-gap", false);
        for (String line : shrunk) {
            assertTrue(KernelTree.vmaCount(line) <= 3, "at most 3 VMAs: " + line);
            assertTrue(k.disagrees(mutant, line), "still disagrees on the mutant: " + line);
        }
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        for (String[] args : List.of(new String[] {}, new String[] {tree, "--cases", "x"},
                new String[] {tree, "--cases", "0"}, new String[] {tree, "--functions", "nope"},
                new String[] {tree, "--mutation", "nope"}, new String[] {tree, "--bogus"},
                new String[] {"/nonexistent/linux"}, new String[] {"."})) {
            Run r = checkTree(args);
            assertEquals(2, r.status(), String.join(" ", args));
            assertEquals("", r.out());
            assertEquals(1, r.err().lines().count(), "one line: " + r.err());
            assertTrue(r.err().startsWith("oracle check-tree: "), r.err());
        }
    }

    /** A tree whose mm/mmap.c no longer defines unmapped_area_topdown (renamed): the error names it and the files searched. */
    @Test
    void aFunctionMissingFromTheTreeIsNamedWithTheFilesSearched(@TempDir Path tmp) throws IOException {
        Path t = Path.of(tree);
        Path fake = tmp.resolve("linux");
        Files.createDirectories(fake.resolve("mm"));
        try (Stream<Path> top = Files.list(t)) {
            for (Path p : top.toList()) {
                if (!p.getFileName().toString().equals("mm")) {
                    Files.createSymbolicLink(fake.resolve(p.getFileName().toString()), p);
                }
            }
        }
        try (Stream<Path> mm = Files.list(t.resolve("mm"))) {
            for (Path p : mm.toList()) {
                Path to = fake.resolve("mm").resolve(p.getFileName().toString());
                if (p.getFileName().toString().equals("mmap.c")) {
                    Files.writeString(to, Files.readString(p).replaceAll("\\bunmapped_area_topdown\\b",
                            "unmapped_area_topdown_renamed"));
                } else {
                    Files.createSymbolicLink(to, p);
                }
            }
        }
        Run r = checkTree(fake.toString(), "--cases", "100", "--out", tmp.resolve("out").toString());
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains("unmapped_area_topdown not found") && r.err().contains("mm/mmap.c mm/vma.c"),
                r.err());
    }
}
