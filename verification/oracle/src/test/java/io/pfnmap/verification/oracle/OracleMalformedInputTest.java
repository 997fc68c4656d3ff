package io.pfnmap.verification.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Malformed input of every kind gets an {@code invalid} line naming the field and the rule, and
 * the rest of the batch is answered: each malformed line is followed by a valid request, the
 * whole batch goes through one {@link Oracle#serve} stream (and once through the real {@code
 * ./oracle} script as a process), and there is exactly one answer per line, in order.
 */
class OracleMalformedInputTest {

    static final String OK = "{\"id\":\"ok\",\"op\":\"mmap\",\"len\":\"0x1000\",\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]}";
    static final String M = "\"op\":\"mmap\",\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]";
    static final String VFIO = "\"op\":\"mmap\",\"flags\":[\"MAP_SHARED\"],\"len\":\"0x1000\",\"file\":";
    static final String FAULT = "\"op\":\"fault\",\"file\":{\"vfio_pci\":{\"bars\":[{\"index\":1,\"size\":\"0x400000\"}]}},";
    static final String UA = "\"op\":\"unmapped_area\",\"info\":";

    /** {line bytes, the field the invalid answer must start with}. */
    static List<Object[]> cases() {
        List<Object[]> c = new ArrayList<>();
        // not JSON
        add(c, "this is not JSON", "line");
        add(c, "{", "line");
        add(c, "{\"id\":1,", "line");
        add(c, "{\"id\":1,\"op\":\"mmap\"", "line");
        add(c, "{'id':1}", "line");
        add(c, "{\"id\":1}}", "line");
        add(c, "{\"id\":1} {\"id\":2}", "line");
        add(c, "{\"id\":1,\"op\":\"mmap\",}", "line");
        add(c, "[1,2,3]", "line");
        add(c, "\"just a string\"", "line");
        add(c, "42", "line");
        add(c, "null", "line");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"len\":0x1000," + M + "}", "line");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"len\":\"0x1000\u0001\"," + M + "}", "line");
        add(c, "{\"id\":1,\"op\":\"m\\uZZZZ\"}", "line");
        add(c, "{\"id\":1,\"op\":\"\\ud800\"}", "op"); // a lone surrogate escape reads as a string: an unknown op
        // empty and blank lines
        add(c, "", "line");
        add(c, "   \t ", "line");
        // duplicate keys, at the top and nested
        add(c, "{\"id\":1,\"id\":2,\"op\":\"mmap\"}", "line");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"mm\":{\"arch\":\"x86_64\",\"arch\":\"arm64-4k\"},\"len\":1," + M + "}", "line");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"len\":1,\"len\":2," + M + "}", "line");
        // deep nesting
        add(c, "{\"id\":1,\"op\":\"mmap\",\"vmas\":" + "[".repeat(100) + "]".repeat(100) + "}", "line");
        add(c, "[".repeat(5000) + "]".repeat(5000), "line");
        // wrong types
        add(c, "{\"id\":{\"a\":1},\"op\":\"mmap\"}", "id");
        add(c, "{\"id\":[1],\"op\":\"mmap\"}", "id");
        add(c, "{\"id\":1,\"op\":7}", "op");
        add(c, "{\"id\":1," + M + ",\"len\":true}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":null}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":[4096]}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":\"4096\"}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":\"0x\"}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":\"0xg000\"}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":\" 0x1000\"}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":4096.0}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":4.096e3}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":1E3}", "len");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"len\":1,\"flags\":\"MAP_PRIVATE\"}", "flags");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"len\":1,\"flags\":[1]}", "flags[0]");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"mm\":[1]}", "mm");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"mm\":{\"layout\":1}}", "mm.layout");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"mm\":{\"thp\":\"yes\"}}", "mm.thp");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"vmas\":{}}", "vmas");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"vmas\":[7]}", "vmas[0]");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"vmas\":[{\"start\":\"0x1000\",\"end\":\"0x2000\",\"flags\":\"growsdown\"}]}",
                "vmas[0].flags");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"explain\":\"yes\"}", "explain");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"file\":7}", "file");
        add(c, "{\"id\":1," + UA + "[]}", "info");
        add(c, "{\"id\":1," + UA + "{\"flags\":\"topdown\",\"length\":1,\"low_limit\":0,\"high_limit\":1}}", "info.flags");
        // missing fields
        add(c, "{\"id\":1}", "op");
        add(c, "{\"id\":1," + M + "}", "len");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"len\":1}", "flags");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"len\":1,\"flags\":[\"MAP_PRIVATE\"]}", "file");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"vmas\":[{\"start\":\"0x1000\"}]}", "vmas[0].end");
        add(c, "{\"id\":1," + UA + "{\"low_limit\":0,\"high_limit\":1}}", "info.length");
        add(c, "{\"id\":1,\"op\":\"unmapped_area\"}", "info");
        add(c, "{\"id\":1," + VFIO + "{\"vfio_pci\":{}}}", "file.vfio_pci.bars");
        add(c, "{\"id\":1," + VFIO + "{\"vfio_pci\":{\"bars\":[{\"size\":\"0x1000\"}]}}}", "file.vfio_pci.bars[0].index");
        add(c, "{\"id\":1," + FAULT + "\"vm_start\":\"0x0\",\"vm_end\":\"0x1000\"}", "addr");
        add(c, "{\"id\":1,\"op\":\"aligned\",\"len\":\"0x1000\"}", "size");
        // negative numbers
        add(c, "{\"id\":1," + M + ",\"len\":-1}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":-0}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"addr\":-4096}", "addr");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"mm\":{\"task_size\":-1}}", "mm.task_size");
        // over 2^64
        add(c, "{\"id\":1," + M + ",\"len\":18446744073709551616}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":99999999999999999999999999}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":\"0x10000000000000000\"}", "len");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"pgoff\":\"0x1ffffffffffffffff\"}", "pgoff");
        add(c, "{\"id\":1," + UA + "{\"length\":1,\"low_limit\":0,\"high_limit\":18446744073709551616}}",
                "info.high_limit");
        // inputs on which the kernel's retry loop would not end: VMAs above TASK_SIZE_MAX (the
        // reproducer of the top-down hang: a stack below stack_guard_gap and a VMA to 2^64-0x800),
        // length 0, and bounds above 2^62
        add(c, "{\"id\":1,\"mm\":{\"arch\":\"arm64-4k\",\"mmap_min_addr\":0,\"stack_guard_gap\":\"0x100000\"},"
                + "\"vmas\":[{\"start\":\"0x1000\",\"end\":\"0x2000\",\"flags\":[\"growsdown\"]},"
                + "{\"start\":\"0x2000\",\"end\":\"0xfffffffffffff000\"}]," + UA
                + "{\"flags\":[\"topdown\"],\"length\":\"0x1000\",\"low_limit\":0,\"high_limit\":\"0x10000\"}}",
                "vmas[1].end");
        add(c, "{\"id\":1," + UA + "{\"length\":1,\"low_limit\":0,\"high_limit\":\"0x10000\",\"start_gap\":"
                + "\"0xfffffffffffff000\"}}", "info.start_gap");
        add(c, "{\"id\":1," + UA + "{\"length\":0,\"low_limit\":0,\"high_limit\":\"0x10000\"}}", "info.length");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"mm\":{\"stack_guard_gap\":\"0x8000000000000000\"}}",
                "mm.stack_guard_gap");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"mm\":{\"task_size_max\":\"0xfffffffffffff000\"}}",
                "mm.task_size_max");
        // unknown ops, flags, members, values
        add(c, "{\"id\":1,\"op\":\"mremap\"}", "op");
        // the session ops: a space that is not named, unknown, or named beside a carried space
        add(c, "{\"id\":1,\"op\":\"munmap\"}", "space");
        add(c, "{\"id\":1,\"op\":\"space\"}", "space");
        add(c, "{\"id\":1,\"op\":\"space\",\"space\":\"\"}", "space");
        add(c, "{\"id\":1,\"op\":\"space\",\"space\":7}", "space");
        add(c, "{\"id\":1,\"op\":\"space\",\"space\":\"nope\",\"vmas\":[],\"append\":true}", "space");
        add(c, "{\"id\":1,\"op\":\"munmap\",\"space\":\"nope\",\"addr\":0,\"len\":4096}", "space");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"space\":\"nope\",\"len\":4096,\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]}",
                "space");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"len\":4096,\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"],\"apply\":true}",
                "apply");
        add(c, "{\"id\":1,\"op\":\"MMAP\"}", "op");
        add(c, "{\"id\":1," + M.replace("MAP_PRIVATE\"", "MAP_PRIVATE\",\"MAP_HUGE_4MB\"") + ",\"len\":1}", "flags[1]");
        add(c, "{\"id\":1," + M.replace("MAP_PRIVATE\"", "MAP_PRIVATE\",\"MAP_PRIVATE\"") + ",\"len\":1}", "flags[1]");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"flags\":[\"MAP_ANONYMOUS\"],\"len\":1}", "flags");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"flags\":[\"MAP_SHARED\",\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"],\"len\":1}", "flags");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"prot\":3}", "prot");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"info\":{}}", "info");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"mm\":{\"page_size\":\"0x1000\"}}", "mm.page_size");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"mm\":{\"arch\":\"sparc64\"}}", "mm.arch");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"mm\":{\"arch\":\"riscv64-sv48\"}}", "mm.arch");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"mm\":{\"layout\":\"bottomup\"}}", "mm.layout");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"file\":\"hugetlbfs\"}", "file");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"vmas\":[{\"start\":\"0x1000\",\"end\":\"0x2000\",\"name\":\"[heap]\"}]}",
                "vmas[0].name");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"vmas\":[{\"start\":\"0x1000\",\"end\":\"0x2000\",\"flags\":[\"locked\"]}]}",
                "vmas[0].flags[0]");
        add(c, "{\"id\":1," + UA + "{\"length\":1,\"low_limit\":0,\"high_limit\":1,\"flags\":[\"bottomup\"]}}",
                "info.flags[0]");
        add(c, "{\"id\":1," + UA + "{\"length\":1,\"low_limit\":0,\"high_limit\":1,\"align\":1}}", "info.align");
        add(c, "{\"id\":1," + UA + "{\"length\":1,\"low_limit\":0,\"high_limit\":1,\"align_mask\":\"0x5000\"}}",
                "info.align_mask");
        add(c, "{\"id\":1," + VFIO + "{\"vfio\":{}}}", "file");
        add(c, "{\"id\":1," + VFIO + "{\"vfio_pci\":{\"bars\":[],\"policy\":\"v3\"}}}", "file.vfio_pci.policy");
        add(c, "{\"id\":1," + VFIO + "{\"vfio_pci\":{\"bars\":[],\"device\":\"x\"}}}", "file.vfio_pci.device");
        add(c, "{\"id\":1," + VFIO + "{\"vfio_pci\":{\"bars\":[{\"index\":6,\"size\":\"0x1000\"}]}}}",
                "file.vfio_pci.bars[0].index");
        add(c, "{\"id\":1," + VFIO + "{\"vfio_pci\":{\"bars\":[{\"index\":1,\"size\":\"0x1000\"},{\"index\":1,"
                + "\"size\":\"0x2000\"}]}}}", "file.vfio_pci.bars[1].index");
        add(c, "{\"id\":1," + VFIO + "{\"vfio_pci\":{\"bars\":[{\"index\":1,\"size\":\"0x0\"}]}}}",
                "file.vfio_pci.bars[0].size");
        add(c, "{\"id\":1," + VFIO + "{\"vfio_pci\":{\"bars\":[{\"index\":1,\"size\":\"0x1000\",\"flags\":[\"io\"]}]}}}",
                "file.vfio_pci.bars[0].flags[0]");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"len\":1,\"flags\":[\"MAP_SHARED\",\"MAP_ANONYMOUS\"],\"file\":{\"vfio_pci\":"
                + "{\"bars\":[]}}}", "flags");
        add(c, "{\"id\":1," + FAULT + "\"vm_start\":\"0x0\",\"vm_end\":\"0x1000\",\"addr\":\"0x0\",\"policy\":\"v1\"}",
                "policy");
        add(c, "{\"id\":1,\"op\":\"fault\",\"file\":{\"vfio_pci\":{\"bars\":[],\"policy\":\"v1\"}},\"vm_start\":0,"
                + "\"vm_end\":4096,\"addr\":0}", "file.vfio_pci.policy");
        // values the model refuses
        add(c, "{\"id\":1," + M + ",\"len\":1,\"vmas\":[{\"start\":\"0x1001\",\"end\":\"0x2000\"}]}", "vmas[0].start");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"vmas\":[{\"start\":\"0x2000\",\"end\":\"0x2000\"}]}", "vmas[0]");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"vmas\":[{\"start\":\"0x1000\",\"end\":\"0x3000\"},{\"start\":\"0x2000\","
                + "\"end\":\"0x4000\"}]}", "vmas[1]");
        add(c, "{\"id\":1," + M + ",\"len\":1,\"mm\":{\"mmap_base\":\"0x1234\"}}", "mm.mmap_base");
        add(c, "{\"id\":1," + FAULT + "\"vm_start\":\"0x0\",\"vm_end\":\"0x1000\",\"addr\":\"0x1000\"}", "addr");
        add(c, "{\"id\":1," + FAULT + "\"vm_start\":\"0x1000\",\"vm_end\":\"0x1000\",\"addr\":\"0x1000\"}", "vm_end");
        add(c, "{\"id\":1," + FAULT + "\"vm_start\":\"0x0\",\"vm_end\":\"0x1000\",\"addr\":\"0x0\",\"pgoff\":\"0x30000000\"}",
                "pgoff");
        add(c, "{\"id\":1,\"op\":\"aligned\",\"len\":\"0x1000\",\"size\":\"0x3000\"}", "size");
        add(c, "{\"id\":1,\"op\":\"aligned\",\"len\":\"0x1001\",\"size\":\"0x200000\"}", "len");
        // invalid UTF-8 and other bytes
        c.add(new Object[] {new byte[] {'{', '"', 'i', 'd', '"', ':', '1', ',', '"', (byte) 0xff, '"', ':', '1', '}'},
            "line"});
        c.add(new Object[] {new byte[] {'{', '"', (byte) 0xc3, '"', '}'}, "line"});
        c.add(new Object[] {new byte[] {'{', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', ':', '1', '}'}, "line"});
        c.add(new Object[] {new byte[] {'{', '"', (byte) 0xc0, (byte) 0xaf, '"', ':', '1', '}'}, "line"});
        c.add(new Object[] {new byte[] {'{', 0, '}'}, "line"});
        // a very long line: over the 1 MiB limit, and a long but valid-length one
        add(c, "{\"id\":1,\"op\":\"mmap\",\"pad\":\"" + "x".repeat(Oracle.MAX_LINE_BYTES) + "\"}", "line");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"pad\":\"" + "x".repeat(100_000) + "\"," + M.substring(12) + ",\"len\":1}",
                "pad");
        return c;
    }

    private static void add(List<Object[]> c, String line, String field) {
        c.add(new Object[] {line.getBytes(StandardCharsets.UTF_8), field});
    }

    static byte[] batch(List<Object[]> cases) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Object[] c : cases) {
            byte[] l = (byte[]) c[0];
            b.write(l, 0, l.length);
            b.write('\n');
            byte[] ok = OK.getBytes(StandardCharsets.UTF_8);
            b.write(ok, 0, ok.length);
            b.write('\n');
        }
        return b.toByteArray();
    }

    static void check(List<Object[]> cases, List<String> answers) {
        assertEquals(2 * cases.size(), answers.size(), "one answer line per input line");
        for (int i = 0; i < cases.size(); i++) {
            String a = answers.get(2 * i);
            String field = (String) cases.get(i)[1];
            String shown = new String((byte[]) cases.get(i)[0], StandardCharsets.UTF_8);
            shown = shown.length() > 120 ? shown.substring(0, 120) + "..." : shown;
            assertTrue(a.contains("\"invalid\":\"" + field + ": "), "case " + i + " " + shown + "\n  answered " + a
                    + "\n  expected invalid naming " + field);
            assertTrue(a.length() > field.length() + 30, "the rule is stated: " + a);
            assertTrue(!a.contains("Exception") && !a.contains("\tat "), "no stack trace: " + a);
            assertEquals("{\"id\":\"ok\",\"result\":\"0x7ffff7ffe000\"}", answers.get(2 * i + 1),
                    "the line after case " + i + " is answered");
        }
    }

    @Test
    void everyMalformedLineIsAnsweredInvalidAndTheBatchGoesOn() throws IOException {
        List<Object[]> cases = cases();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Oracle().serve(new ByteArrayInputStream(batch(cases)), out);
        check(cases, out.toString(StandardCharsets.UTF_8).lines().toList());
        System.out.println("malformed input: " + cases.size() + " kinds, each answered invalid naming its field");
        assertTrue(cases.size() >= 100);
    }

    @Test
    void aLastLineWithoutNewlineAndCrLfLinesAreAnswered() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Oracle().serve(new ByteArrayInputStream((OK + "\r\n{\"id\":2,\"op\":\"nope\"}\r\n" + OK)
                .getBytes(StandardCharsets.UTF_8)), out);
        List<String> a = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, a.size());
        assertEquals("{\"id\":\"ok\",\"result\":\"0x7ffff7ffe000\"}", a.get(0));
        assertTrue(a.get(1).startsWith("{\"id\":2,\"invalid\":\"op: "), a.get(1));
        assertEquals(a.get(0), a.get(2));
    }

    @Test
    void theRealOracleScriptAnswersTheSameBatch() throws Exception {
        Path script = Path.of("../../oracle").toAbsolutePath().normalize();
        Path lib = Path.of("target/lib");
        boolean built = Files.isDirectory(Path.of("../../vfio-model/target/classes"))
                && Files.isDirectory(lib) && Files.list(lib).anyMatch(p -> p.getFileName().toString()
                        .startsWith("jackson-core-"));
        if (!Files.isExecutable(script) || !built) {
            String reason = "./oracle or the build output it runs is missing (run inside the reactor build)";
            System.out.println("SKIPPED oracle script process: " + reason);
            Assumptions.abort(reason);
        }
        List<Object[]> cases = cases();
        Path in = Files.createTempFile("oracle-malformed", ".jsonl");
        Path outFile = Files.createTempFile("oracle-malformed", ".out");
        try {
            Files.write(in, batch(cases));
            Process p = new ProcessBuilder(script.toString()).redirectInput(in.toFile())
                    .redirectOutput(outFile.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "./oracle timed out");
            assertEquals(0, p.exitValue(), "./oracle exit status; stderr: " + err);
            assertEquals("", err, "nothing on stderr");
            check(cases, Files.readAllLines(outFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(outFile);
        }
    }
}
