package io.pfnmap.verification.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Placement;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.verification.oracle.RequestGenerator;
import io.pfnmap.vfio.VfioDevice;
import io.pfnmap.vfio.VfioMapping;
import io.pfnmap.vfio.VfioPolicy;
import io.pfnmap.vfio.VfioRegion;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protocol answers what the models answer: VFIO mmaps and faults through the protocol equal
 * vfio-model's API on the same device, design and configuration (pgoff carrying the region index
 * as the kernel encodes it); an explained answer has the same result as the plain one; ids are
 * echoed verbatim; a u64 reads the same as a number and as hex.
 */
class OracleProtocolTest {
    final Oracle oracle = new Oracle();

    static String h(long v) {
        return "\"" + Hex.of(v) + "\"";
    }

    static String answerOf(Placement p) {
        return p.isError() ? "\"error\":\"" + io.pfnmap.mm.Errnos.name(p.errno()) + "\"}" : "\"result\":" + h(p.address())
                + "}";
    }

    /** The configurations of the architectures the protocol names ({@link RequestGenerator#ARCHES}). */
    static List<ArchConfig> arches() {
        return Arrays.stream(RequestGenerator.ARCHES).map(id -> Arch.byId(id).orElseThrow()).toList();
    }

    @Test
    void vfioMmapsThroughTheProtocolAreVfioModelsAnswers() {
        int n = 0;
        for (ArchConfig a : arches()) {
            String arch = a.id();
            long page = a.pageSize();
            AddressSpace empty = AddressSpace.of(RequestGenerator.config(arch, true), List.of());
            for (boolean huge : new boolean[] {true, false}) {
                ArchConfig ac = huge ? a : a.withoutHugePfnmap();
                for (long bar : new long[] {page, 2L << 20, 64L << 20, 1L << 30, 16L << 30}) {
                    for (int index : new int[] {0, 1, 5}) {
                        VfioDevice dev = VfioDevice.of(VfioRegion.bar(index, bar, true));
                        for (long within : new long[] {0, bar / 2, page}) {
                            for (long len : new long[] {bar - within, page, bar}) {
                                long pgoff = ((long) index << 40) / page + within / page;
                                for (VfioPolicy p : VfioPolicy.values()) {
                                    String line = "{\"id\":1,\"op\":\"mmap\",\"mm\":{\"arch\":\"" + arch + "\"},\"file\":"
                                            + "{\"vfio_pci\":{\"bars\":[{\"index\":" + index + ",\"size\":" + h(bar)
                                            + "}],\"policy\":\"" + p.id() + "\",\"huge_pfnmap\":" + huge + "}},\"len\":"
                                            + h(len) + ",\"pgoff\":" + h(pgoff) + ",\"flags\":[\"MAP_SHARED\"]}";
                                    Placement want = VfioMapping.mmap(empty, ac, dev, p, new MmapRequest(0, len, pgoff,
                                            MapFlags.MAP_SHARED, FileKind.PLAIN_DEVICE));
                                    String got = oracle.answer(line);
                                    assertEquals("{\"id\":1," + answerOf(want), got, line);
                                    String explained = oracle.answer(line.substring(0, line.length() - 1)
                                            + ",\"explain\":true}");
                                    assertTrue(explained.startsWith(got.substring(0, got.length() - 1)),
                                            "explain gives the same result: " + explained);
                                    n++;
                                }
                            }
                        }
                    }
                }
            }
        }
        System.out.println("protocol: " + n + " VFIO mmaps equal vfio-model's answers");
    }

    @Test
    void faultsThroughTheProtocolAreVfioModelsAnswers() {
        int n = 0;
        for (ArchConfig a : arches()) {
            long page = a.pageSize();
            long bar = 16L << 30;
            VfioDevice dev = VfioDevice.of(VfioRegion.bar(1, bar, true));
            long pgoff = (1L << 40) / page;
            for (long start : new long[] {0x7ffbc0000000L, 0x7ffbf7fff000L - 0x7ffbf7fff000L % page,
                0x7ffbf7e00000L}) {
                long end = start + bar;
                for (long addr : new long[] {start, start + page, start + (1L << 30) + 5 * page, end - page}) {
                    for (boolean allowed : new boolean[] {true, false}) {
                        String line = "{\"id\":2,\"op\":\"fault\",\"mm\":{\"arch\":\"" + a.id() + "\"},\"file\":{\"vfio_pci\":"
                                + "{\"bars\":[{\"index\":1,\"size\":" + h(bar) + "}]}},\"vm_start\":" + h(start)
                                + ",\"vm_end\":" + h(end) + ",\"pgoff\":" + h(pgoff) + ",\"addr\":" + h(addr)
                                + ",\"huge_allowed\":" + allowed + "}";
                        long size = VfioMapping.faultSize(a, dev, pgoff, start, end, addr, allowed);
                        int order = Long.numberOfTrailingZeros(size) - Long.numberOfTrailingZeros(page);
                        assertEquals("{\"id\":2,\"result\":" + h(size) + ",\"order\":" + order + "}", oracle.answer(line));
                        n++;
                    }
                }
            }
        }
        System.out.println("protocol: " + n + " faults equal vfio-model's answers");
    }

    @Test
    void explainedAnswersHaveThePlainAnswersResult() {
        RequestGenerator g = new RequestGenerator(99);
        int n = 0;
        for (int i = 0; i < 5000; i++) {
            String line = g.next();
            if (line.contains("\"op\":\"unmapped_area\"")) {
                continue;
            }
            String plain = oracle.answer(line);
            String explained = oracle.answer(line.substring(0, line.length() - 1) + ",\"explain\":true}");
            assertTrue(explained.startsWith(plain.substring(0, plain.length() - 1) + ",\"explain\":{"), line + "\n"
                    + plain + "\n" + explained);
            n++;
        }
        assertTrue(n > 3000);
    }

    /**
     * The explanation's steps agree with the core's answer: a declined try answers 0, a taken hint
     * the hint, an aligned one {@code padded_result + off_sub}, a kept pad {@code padded_result +
     * size}; the result is congruent to {@code off} at {@code size} when aligned.
     */
    @Test
    void everyAlignedTryIsConsistentWithTheCoresAnswer() {
        RequestGenerator g = new RequestGenerator(4242);
        RequestParser parser = new RequestParser();
        int tries = 0;
        for (int i = 0; i < 20000; i++) {
            Request r = parser.parse(g.next());
            List<io.pfnmap.mm.AlignedTry> ts;
            if (r instanceof Request.Aligned a) {
                ts = List.of(io.pfnmap.mm.AlignedTry.of(a.space(), a.addr(), a.len(), a.off(), a.flags(), a.size()));
                assertEquals(io.pfnmap.mm.Mmap.getUnmappedAreaAligned(a.space(), a.addr(), a.len(), a.off(), a.flags(),
                        a.size()), ts.get(0).answer());
            } else if (r instanceof Request.Mmap m) {
                io.pfnmap.mm.Explanation e = io.pfnmap.mm.Explanation.of(m.space(), m.request());
                assertEquals(io.pfnmap.mm.Mmap.doMmap(m.space(), m.request()), e.result());
                ts = e.tries();
            } else {
                continue;
            }
            for (io.pfnmap.mm.AlignedTry t : ts) {
                String o = t.outcome();
                boolean declined = !o.equals(io.pfnmap.mm.AlignedTry.HINT_TAKEN) && !o.equals(io.pfnmap.mm.AlignedTry.ALIGNED)
                        && !o.equals(io.pfnmap.mm.AlignedTry.TOPDOWN_PAD_KEPT);
                assertEquals(declined, t.declined(), o);
                if (o.equals(io.pfnmap.mm.AlignedTry.ALIGNED)) {
                    assertEquals(t.paddedResult() + t.offSub(), t.answer());
                }
                if (o.equals(io.pfnmap.mm.AlignedTry.TOPDOWN_PAD_KEPT)) {
                    assertEquals(t.paddedResult() + t.size(), t.answer());
                    assertEquals(0, t.offSub());
                }
                if (o.equals(io.pfnmap.mm.AlignedTry.HINT_TAKEN) || o.equals(io.pfnmap.mm.AlignedTry.HINT_ZERO)) {
                    assertEquals(t.paddedResult(), t.answer());
                }
                if (!t.declined() && !o.equals(io.pfnmap.mm.AlignedTry.HINT_TAKEN)) {
                    assertEquals(0, Long.remainderUnsigned(t.answer() - t.off(), t.size()), "congruent to off");
                }
                tries++;
            }
        }
        assertTrue(tries > 2000, "enough tries: " + tries);
    }

    @Test
    void idsAreEchoedVerbatimAndU64sReadTheSameInBothForms() {
        for (String id : new String[] {"7", "\"seven\"", "null", "true", "1.50", "-3", "\"\\u00e9\\n\""}) {
            String a = oracle.answer("{\"id\":" + id + ",\"op\":\"mmap\",\"len\":4096,\"flags\":[\"MAP_PRIVATE\","
                    + "\"MAP_ANONYMOUS\"]}");
            assertTrue(a.startsWith("{\"id\":" + id + ",\"result\":"), a);
        }
        String dec = oracle.answer("{\"op\":\"mmap\",\"addr\":105553116266496,\"len\":18446744073709551615,"
                + "\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]}");
        String hex = oracle.answer("{\"op\":\"mmap\",\"addr\":\"0x600000000000\",\"len\":\"0xFFFFFFFFFFFFFFFF\","
                + "\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]}");
        assertEquals(hex, dec);
        assertEquals("{\"id\":null,\"error\":\"ENOMEM\"}", hex);
    }

    @Test
    void everyModelledArchitectureIsAnsweredAndItsPmdSizeUsed() {
        for (String arch : RequestGenerator.ARCHES) {
            long pmd = RequestGenerator.config(arch, true).pmdSize();
            String a = oracle.answer("{\"id\":1,\"op\":\"mmap\",\"mm\":{\"arch\":\"" + arch + "\"},\"file\":\"thp_file\","
                    + "\"len\":" + h(2 * pmd) + ",\"flags\":[\"MAP_SHARED\"]}");
            long result = Long.parseUnsignedLong(a.substring(a.indexOf("0x") + 2, a.lastIndexOf('"')), 16);
            assertEquals(0, result % pmd, arch + ": a THP file is PMD-aligned: " + a);
        }
    }
}
