package io.pfnmap.verification.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A seed made from today's source: copied with its contract, one line changed, or a clear stop. */
class MutantsTest {
    static final String SOURCE = String.join("\n",
            "package p;",
            "public final class A {",
            "    /** doc */",
            "    /*@ public normal_behavior",
            "      @ ensures \\result > a;",
            "      @*/",
            "    /*+KeY@ assignable \\strictly_nothing; @*/",
            "    public static /*@ pure @*/ long next(long a) {",
            "        if (a < 0) { return 0; }",
            "        return a + 1;",
            "    }",
            "}",
            "");

    static Mutants.Mutant m(String line, String becomes) {
        return new Mutants.Mutant("wrongSame", "A", "next", "normal_behavior.0", line, becomes, "ensures");
    }

    @Test
    void theCopyHasTheContractTheNewNameAndTheChangedLine() {
        String out = Mutants.apply(SOURCE, m("return a + 1;", "return a;"));
        assertTrue(out.startsWith(SOURCE.substring(0, SOURCE.lastIndexOf('}'))), "the original stays as it is");
        String copy = out.substring(SOURCE.lastIndexOf('}'));
        assertTrue(copy.contains("@ ensures \\result > a;"), copy);
        assertTrue(copy.contains("/*+KeY@ assignable \\strictly_nothing; @*/"), copy);
        assertTrue(copy.contains("long seeded_wrongSame(long a) {"), copy);
        assertTrue(copy.contains("        return a;\n"), copy);
        assertTrue(!copy.contains("/** doc */"), "the Javadoc is not part of the contract");
        assertTrue(out.strip().endsWith("}"), out);
        assertEquals("A#seeded_wrongSame normal_behavior.0", m("x", "y").key());
    }

    @Test
    void aPackagePrivateMethodIsFoundToo() {
        String pkg = SOURCE.replace("    public static /*@ pure @*/ long next(", "    static /*@ pure @*/ long next(");
        String copy = Mutants.apply(pkg, m("return a + 1;", "return a;")).substring(pkg.lastIndexOf('}'));
        assertTrue(copy.contains("    static /*@ pure @*/ long seeded_wrongSame(long a) {"), copy);
        assertTrue(copy.contains("        return a;\n"), copy);
    }

    @Test
    void aLineThatIsNotInTheBodyStopsTheRun() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Mutants.apply(SOURCE, m("return a + 2;", "return a;")));
        assertTrue(e.getMessage().contains("occurs nowhere") && e.getMessage().contains("update the entry"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Mutants.apply(SOURCE, m("\\result > a", "true")));
        assertTrue(e.getMessage().contains("occurs nowhere"), "the contract is not mutable: " + e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Mutants.apply(SOURCE, m("return", "x")));
        assertTrue(e.getMessage().contains("more than once"), e.getMessage());
    }

    @Test
    void entriesAreParsedAndAnIncompleteOneNamesItsLine() {
        List<Mutants.Mutant> ms = Mutants.parse("# c\nseed: s\ncontract: A#next normal_behavior.1\nline: a\nbecomes: b\nbreaks: c\n");
        assertEquals(List.of(new Mutants.Mutant("s", "A", "next", "normal_behavior.1", "a", "b", "c")), ms);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Mutants.parse("\nseed: s\ncontract: A#next normal_behavior.1\nline: a\n"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("'becomes' is missing"), e.getMessage());
    }

    /**
     * Every entry of the real list applies to today's cores and hand-written seeds, as the run
     * prepares them (the run itself would stop otherwise).
     */
    @Test
    void everyEntryAppliesToTodaysCores() throws Exception {
        Path dir = ProofRun.prepareSources(CoreSources.projectRoot());
        for (Mutants.Mutant mu : Mutants.load()) {
            try (var s = Files.walk(dir)) {
                Path f = s.filter(p -> p.getFileName().toString().equals(mu.className() + ".java")).findFirst().orElseThrow();
                String src = Files.readString(f);
                assertTrue(src.contains(" " + mu.mutantMethod() + "(") && src.contains(mu.becomes()), mu.seed());
            }
        }
        assertTrue(Mutants.load().size() >= 5, "the list holds the seeds made from the cores");
    }
}
