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

    /**
     * The malformed lines that are printable text, a row each: the field the invalid answer must
     * name, a space, the line as sent (a backslash written {@code \\}, as in any Java string).
     * {@code $M}, {@code $UA}, {@code $VFIO} and {@code $FAULT} stand for the members above; a row
     * that starts with {@code #} says what the rows below it try; a row ending in a backslash goes
     * on in the next.
     */
    static final String ROWS = """
            # not JSON
            line this is not JSON
            line {
            line {"id":1,
            line {"id":1,"op":"mmap"
            line {'id':1}
            line {"id":1}}
            line {"id":1} {"id":2}
            line {"id":1,"op":"mmap",}
            line [1,2,3]
            line "just a string"
            line 42
            line null
            line {"id":1,"op":"mmap","len":0x1000,$M}
            line {"id":1,"op":"m\\uZZZZ"}
            op {"id":1,"op":"\\ud800"}
            # duplicate keys, at the top and nested
            line {"id":1,"id":2,"op":"mmap"}
            line {"id":1,"op":"mmap","mm":{"arch":"x86_64","arch":"arm64-4k"},"len":1,$M}
            line {"id":1,"op":"mmap","len":1,"len":2,$M}
            # wrong types
            id {"id":{"a":1},"op":"mmap"}
            id {"id":[1],"op":"mmap"}
            op {"id":1,"op":7}
            len {"id":1,$M,"len":true}
            len {"id":1,$M,"len":null}
            len {"id":1,$M,"len":[4096]}
            len {"id":1,$M,"len":"4096"}
            len {"id":1,$M,"len":"0x"}
            len {"id":1,$M,"len":"0xg000"}
            len {"id":1,$M,"len":" 0x1000"}
            len {"id":1,$M,"len":4096.0}
            len {"id":1,$M,"len":4.096e3}
            len {"id":1,$M,"len":1E3}
            flags {"id":1,"op":"mmap","len":1,"flags":"MAP_PRIVATE"}
            flags[0] {"id":1,"op":"mmap","len":1,"flags":[1]}
            mm {"id":1,$M,"len":1,"mm":[1]}
            mm.layout {"id":1,$M,"len":1,"mm":{"layout":1}}
            mm.thp {"id":1,$M,"len":1,"mm":{"thp":"yes"}}
            vmas {"id":1,$M,"len":1,"vmas":{}}
            vmas[0] {"id":1,$M,"len":1,"vmas":[7]}
            vmas[0].flags {"id":1,$M,"len":1,"vmas":[{"start":"0x1000","end":"0x2000","flags":"growsdown"}]}
            explain {"id":1,$M,"len":1,"explain":"yes"}
            file {"id":1,$M,"len":1,"file":7}
            info {"id":1,$UA[]}
            info.flags {"id":1,$UA{"flags":"topdown","length":1,"low_limit":0,"high_limit":1}}
            # missing fields
            op {"id":1}
            len {"id":1,$M}
            flags {"id":1,"op":"mmap","len":1}
            file {"id":1,"op":"mmap","len":1,"flags":["MAP_PRIVATE"]}
            vmas[0].end {"id":1,$M,"len":1,"vmas":[{"start":"0x1000"}]}
            info.length {"id":1,$UA{"low_limit":0,"high_limit":1}}
            info {"id":1,"op":"unmapped_area"}
            file.vfio_pci.bars {"id":1,$VFIO{"vfio_pci":{}}}
            file.vfio_pci.bars[0].index {"id":1,$VFIO{"vfio_pci":{"bars":[{"size":"0x1000"}]}}}
            addr {"id":1,$FAULT"vm_start":"0x0","vm_end":"0x1000"}
            size {"id":1,"op":"aligned","len":"0x1000"}
            # negative numbers
            len {"id":1,$M,"len":-1}
            len {"id":1,$M,"len":-0}
            addr {"id":1,$M,"len":1,"addr":-4096}
            mm.task_size {"id":1,$M,"len":1,"mm":{"task_size":-1}}
            # over 2^64
            len {"id":1,$M,"len":18446744073709551616}
            len {"id":1,$M,"len":99999999999999999999999999}
            len {"id":1,$M,"len":"0x10000000000000000"}
            pgoff {"id":1,$M,"len":1,"pgoff":"0x1ffffffffffffffff"}
            info.high_limit {"id":1,$UA{"length":1,"low_limit":0,"high_limit":18446744073709551616}}
            # inputs on which the kernel's retry loop would not end: VMAs above TASK_SIZE_MAX (the
            # reproducer of the top-down hang: a stack below stack_guard_gap and a VMA to 2^64-0x800),
            # length 0, and bounds above 2^62
            vmas[1].end {"id":1,"mm":{"arch":"arm64-4k","mmap_min_addr":0,"stack_guard_gap":"0x100000"},\
            "vmas":[{"start":"0x1000","end":"0x2000","flags":["growsdown"]},{"start":"0x2000",\
            "end":"0xfffffffffffff000"}],$UA{"flags":["topdown"],"length":"0x1000","low_limit":0,\
            "high_limit":"0x10000"}}
            info.start_gap {"id":1,$UA{"length":1,"low_limit":0,"high_limit":"0x10000",\
            "start_gap":"0xfffffffffffff000"}}
            info.length {"id":1,$UA{"length":0,"low_limit":0,"high_limit":"0x10000"}}
            mm.stack_guard_gap {"id":1,$M,"len":1,"mm":{"stack_guard_gap":"0x8000000000000000"}}
            mm.task_size_max {"id":1,$M,"len":1,"mm":{"task_size_max":"0xfffffffffffff000"}}
            # unknown ops, flags, members, values
            op {"id":1,"op":"mremap"}
            # the session ops: a space that is not named, unknown, or named beside a carried space
            space {"id":1,"op":"munmap"}
            space {"id":1,"op":"space"}
            space {"id":1,"op":"space","space":""}
            space {"id":1,"op":"space","space":7}
            space {"id":1,"op":"space","space":"nope","vmas":[],"append":true}
            space {"id":1,"op":"munmap","space":"nope","addr":0,"len":4096}
            space {"id":1,"op":"mmap","space":"nope","len":4096,"flags":["MAP_PRIVATE","MAP_ANONYMOUS"]}
            apply {"id":1,"op":"mmap","len":4096,"flags":["MAP_PRIVATE","MAP_ANONYMOUS"],"apply":true}
            op {"id":1,"op":"MMAP"}
            flags[1] {"id":1,"op":"mmap","flags":["MAP_PRIVATE","MAP_HUGE_4MB","MAP_ANONYMOUS"],"len":1}
            flags[1] {"id":1,"op":"mmap","flags":["MAP_PRIVATE","MAP_PRIVATE","MAP_ANONYMOUS"],"len":1}
            flags {"id":1,"op":"mmap","flags":["MAP_ANONYMOUS"],"len":1}
            flags {"id":1,"op":"mmap","flags":["MAP_SHARED","MAP_PRIVATE","MAP_ANONYMOUS"],"len":1}
            prot {"id":1,$M,"len":1,"prot":3}
            info {"id":1,$M,"len":1,"info":{}}
            mm.page_size {"id":1,$M,"len":1,"mm":{"page_size":"0x1000"}}
            mm.arch {"id":1,$M,"len":1,"mm":{"arch":"sparc64"}}
            mm.arch {"id":1,$M,"len":1,"mm":{"arch":"riscv64-sv48"}}
            mm.layout {"id":1,$M,"len":1,"mm":{"layout":"bottomup"}}
            file {"id":1,$M,"len":1,"file":"hugetlbfs"}
            vmas[0].name {"id":1,$M,"len":1,"vmas":[{"start":"0x1000","end":"0x2000","name":"[heap]"}]}
            vmas[0].flags[0] {"id":1,$M,"len":1,"vmas":[{"start":"0x1000","end":"0x2000","flags":["locked"]}]}
            info.flags[0] {"id":1,$UA{"length":1,"low_limit":0,"high_limit":1,"flags":["bottomup"]}}
            info.align {"id":1,$UA{"length":1,"low_limit":0,"high_limit":1,"align":1}}
            info.align_mask {"id":1,$UA{"length":1,"low_limit":0,"high_limit":1,"align_mask":"0x5000"}}
            file {"id":1,$VFIO{"vfio":{}}}
            file.vfio_pci.policy {"id":1,$VFIO{"vfio_pci":{"bars":[],"policy":"v3"}}}
            file.vfio_pci.device {"id":1,$VFIO{"vfio_pci":{"bars":[],"device":"x"}}}
            file.vfio_pci.bars[0].index {"id":1,$VFIO{"vfio_pci":{"bars":[{"index":6,"size":"0x1000"}]}}}
            file.vfio_pci.bars[1].index {"id":1,$VFIO{"vfio_pci":{"bars":[{"index":1,"size":"0x1000"},{"index":1,\
            "size":"0x2000"}]}}}
            file.vfio_pci.bars[0].size {"id":1,$VFIO{"vfio_pci":{"bars":[{"index":1,"size":"0x0"}]}}}
            file.vfio_pci.bars[0].flags[0] {"id":1,$VFIO{"vfio_pci":{"bars":[{"index":1,"size":"0x1000",\
            "flags":["io"]}]}}}
            flags {"id":1,"op":"mmap","len":1,"flags":["MAP_SHARED","MAP_ANONYMOUS"],"file":{"vfio_pci":{"bars":[]}}}
            policy {"id":1,$FAULT"vm_start":"0x0","vm_end":"0x1000","addr":"0x0","policy":"v1"}
            file.vfio_pci.policy {"id":1,"op":"fault","file":{"vfio_pci":{"bars":[],"policy":"v1"}},"vm_start":0,\
            "vm_end":4096,"addr":0}
            # values the model refuses
            vmas[0].start {"id":1,$M,"len":1,"vmas":[{"start":"0x1001","end":"0x2000"}]}
            vmas[0] {"id":1,$M,"len":1,"vmas":[{"start":"0x2000","end":"0x2000"}]}
            vmas[1] {"id":1,$M,"len":1,"vmas":[{"start":"0x1000","end":"0x3000"},{"start":"0x2000","end":"0x4000"}]}
            mm.mmap_base {"id":1,$M,"len":1,"mm":{"mmap_base":"0x1234"}}
            addr {"id":1,$FAULT"vm_start":"0x0","vm_end":"0x1000","addr":"0x1000"}
            vm_end {"id":1,$FAULT"vm_start":"0x1000","vm_end":"0x1000","addr":"0x1000"}
            pgoff {"id":1,$FAULT"vm_start":"0x0","vm_end":"0x1000","addr":"0x0","pgoff":"0x30000000"}
            size {"id":1,"op":"aligned","len":"0x1000","size":"0x3000"}
            len {"id":1,"op":"aligned","len":"0x1001","size":"0x200000"}
            """;

    /** {line bytes, the field the invalid answer must start with}. */
    static List<Object[]> cases() {
        List<Object[]> c = new ArrayList<>();
        for (String row : ROWS.lines().filter(r -> !r.startsWith("#")).toList()) {
            int sp = row.indexOf(' ');
            add(c, row.substring(sp + 1).replace("$VFIO", VFIO).replace("$FAULT", FAULT).replace("$UA", UA)
                    .replace("$M", M), row.substring(0, sp));
        }
        // the lines a row does not hold: a control character, empty and blank lines, deep nesting
        add(c, "{\"id\":1,\"op\":\"mmap\",\"len\":\"0x1000\u0001\"," + M + "}", "line");
        add(c, "", "line");
        add(c, "   \t ", "line");
        add(c, "{\"id\":1,\"op\":\"mmap\",\"vmas\":" + "[".repeat(100) + "]".repeat(100) + "}", "line");
        add(c, "[".repeat(5000) + "]".repeat(5000), "line");
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
