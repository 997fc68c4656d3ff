package io.pfnmap.verification.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pfnmap.arch.Arch;
import io.pfnmap.mm.Hex;
import io.pfnmap.vfio.core.VfioFault;
import io.pfnmap.vfio.core.VfioProfile;
import org.junit.jupiter.api.Test;

/**
 * Fault profiles of VFIO mappings in one session space (docs/oracle.md, "Fault profiles"): areas
 * that share a page-table block share its entry, so a profile counts no huge-fault call on an entry
 * an earlier profiled mapping of the space made a table; munmap frees tables as free_pgtables does.
 * Expected calls come from VfioProfile.hugeFaultCalls over all the areas at once (the count a
 * page-by-page walk of shared tables confirms, VfioProfileProperties).
 */
class OracleSessionProfileTest {
    private static final long M = 1L << 20;
    /** A PUD-aligned address well below mmap_base: the areas go at fixed addresses from here. */
    private static final long X = 0x7f0000000000L;
    private static final long[] X86 = Arch.X86_64.config().pfnmapLeafSizesDescending();
    private static final String FILE = "\"file\":{\"vfio_pci\":{\"bars\":[{\"index\":0,\"size\":\"0x4000000\"}]}}";

    private final Oracle oracle = new Oracle();

    private JsonNode ask(String line) throws Exception {
        return Jsons.MAPPER.readTree(oracle.answer(line));
    }

    /** A profiled MAP_FIXED mmap of BAR0 from byte {@code off}, {@code len} bytes at {@code at}, in space p1. */
    private JsonNode map(long at, long off, long len, boolean apply) throws Exception {
        return ask("{\"id\":1,\"op\":\"mmap\",\"space\":\"p1\"," + FILE + ",\"addr\":\"" + Hex.of(at) + "\",\"len\":\""
                + Hex.of(len) + "\",\"pgoff\":\"" + Hex.of(off / 4096) + "\",\"flags\":[\"MAP_SHARED\",\"MAP_FIXED\"],"
                + "\"profile\":true" + (apply ? ",\"apply\":true" : "") + "}");
    }

    private long calls(JsonNode a, int order) {
        return a.get("profile").get("huge_fault_calls").get(Integer.toString(order)).longValue();
    }

    /** What touching every page of all {@code ranges} (start, end, offset) costs at once, by leaf: the shared count. */
    private static long[] together(long[]... ranges) {
        long[] s = new long[ranges.length];
        long[] e = new long[ranges.length];
        long[] counts = new long[X86.length];
        for (int k = 0; k < ranges.length; k++) {
            s[k] = ranges[k][0];
            e[k] = ranges[k][1];
            VfioProfile.addTo(counts, VfioFault.leafCounts(s[k], e[k], ranges[k][2], 0, X86, true));
        }
        VfioProfile.sortRanges(s, e);
        return VfioProfile.hugeFaultCalls(s, e, X86, counts, true);
    }

    @Test
    void areasSharingABlockShareItsEntryAndMunmapFreesAsFreePgtables() throws Exception {
        ask("{\"id\":0,\"op\":\"space\",\"space\":\"p1\",\"mm\":{\"arch\":\"x86_64\"},\"vmas\":[]}");
        // A: 1 MiB at X (BAR offset 0); B: 3 MiB right after it (offset 1 MiB): they share the PMD
        // block [X, X + 2 MiB) and the PUD block [X, X + 1 GiB)
        JsonNode a = map(X, 0, M, true);
        JsonNode b = map(X + M, M, 3 * M, true);
        assertEquals(1, calls(a, 18)); // the PUD entry was none: create_huge_pud ran, fell back
        assertEquals(0, calls(b, 18)); // A's fault made it a table: no call for B
        assertEquals(1, calls(a, 9));
        assertEquals(1, calls(b, 9)); // B meets two PMD blocks, the first already a table
        long[] both = together(new long[] {X, X + M, 0}, new long[] {X + M, X + 4 * M, M});
        assertEquals(both[0], calls(a, 18) + calls(b, 18));
        assertEquals(both[1], calls(a, 9) + calls(b, 9));
        assertEquals(both[2], calls(a, 0) + calls(b, 0));
        // the same B asked of a space without A's faults (its own mm and vmas): empty tables
        JsonNode fresh = ask("{\"id\":2,\"op\":\"mmap\",\"mm\":{\"arch\":\"x86_64\"},\"vmas\":[]," + FILE + ",\"addr\":\""
                + Hex.of(X + M) + "\",\"len\":\"0x300000\",\"pgoff\":\"0x100\",\"flags\":[\"MAP_SHARED\",\"MAP_FIXED\"],"
                + "\"profile\":true}");
        assertEquals(1, calls(fresh, 18));
        assertEquals(2, calls(fresh, 9));
        // munmap A: B still holds the PMD and PUD blocks (its start is the ceiling), so they keep their
        // tables, and A mapped again takes no huge-fault call
        ask("{\"id\":3,\"op\":\"munmap\",\"space\":\"p1\",\"addr\":\"" + Hex.of(X) + "\",\"len\":\"0x100000\"}");
        JsonNode again = map(X, 0, M, false);
        assertEquals(0, calls(again, 18));
        assertEquals(0, calls(again, 9));
        // munmap B too: nothing else in the PUD block, every table under it freed; A again pays in full
        ask("{\"id\":4,\"op\":\"munmap\",\"space\":\"p1\",\"addr\":\"" + Hex.of(X + M) + "\",\"len\":\"0x300000\"}");
        JsonNode anew = map(X, 0, M, false);
        assertEquals(calls(a, 18), calls(anew, 18));
        assertEquals(calls(a, 9), calls(anew, 9));
        assertTrue(a.get("profile").get("faults").longValue() == anew.get("profile").get("faults").longValue());
    }

    @Test
    void aMappingWithoutProfileTouchesNothing() throws Exception {
        ask("{\"id\":0,\"op\":\"space\",\"space\":\"p1\",\"mm\":{\"arch\":\"x86_64\"},\"vmas\":[]}");
        ask("{\"id\":1,\"op\":\"mmap\",\"space\":\"p1\"," + FILE + ",\"addr\":\"" + Hex.of(X) + "\",\"len\":\"0x100000\","
                + "\"flags\":[\"MAP_SHARED\",\"MAP_FIXED\"],\"apply\":true}");
        JsonNode b = map(X + M, M, 3 * M, true);
        assertEquals(1, calls(b, 18));
        assertEquals(2, calls(b, 9));
        // C, MAP_FIXED exactly over B, unmaps B first (mmap_region frees B's tables between A's end and
        // no ceiling): the PMD block it shares with A keeps its table, the next one is freed, and the
        // PUD block keeps its table (A is in it)
        JsonNode c = map(X + M, M, 3 * M, false);
        assertEquals(0, calls(c, 18));
        assertEquals(1, calls(c, 9));
        assertEquals(1, c.get("profile").get("leaves").get("0x200000").longValue());
    }
}
