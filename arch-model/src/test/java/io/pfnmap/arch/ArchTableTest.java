package io.pfnmap.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.arch.core.Leaves;
import org.junit.jupiter.api.Test;

/** The table against kernel-facts part 2, and the queries on it. */
class ArchTableTest {
    private static final long K = 1024;
    private static final long M = K * K;
    private static final long G = K * M;

    @Test
    void everyConfigurationIsWellFormed() {
        assertEquals(Arch.values().length * 2, Arch.allConfigs().size());
        for (ArchConfig c : Arch.allConfigs()) {
            assertTrue(Arch.wellFormed(c), c.id());
            long[] pf = c.pfnmapLeafSizesDescending();
            assertEquals(c.pageSize(), pf[pf.length - 1], c.id() + ": PTE is always a pfnmap leaf");
            assertEquals(c.id(), Arch.byId(c.id()).orElseThrow().id());
        }
    }

    @Test
    void x86_64HasPmdAndPudPfnmap() {
        ArchConfig x = Arch.X86_64.config();
        assertArrayEquals(new long[] {G, 2 * M, 4 * K}, x.leafSizesDescending());
        assertArrayEquals(new long[] {G, 2 * M, 4 * K}, x.pfnmapLeafSizesDescending());
        assertTrue(x.pmdPfnmap() && x.pudPfnmap());
        ArchConfig off = x.withoutHugePfnmap();
        assertArrayEquals(new long[] {4 * K}, off.pfnmapLeafSizesDescending());
        assertFalse(off.isPfnmapLeaf(2 * M));
        assertEquals("x86_64-nopfnmap", off.id());
        assertEquals(off, off.withoutHugePfnmap());
    }

    @Test
    void arm64GranulesHaveNoPudPfnmapAndTheirContiguousSizes() {
        ArchConfig a4 = Arch.ARM64_4K.config();
        assertArrayEquals(new long[] {G, 2 * M, 4 * K}, a4.leafSizesDescending());
        assertArrayEquals(new long[] {2 * M, 4 * K}, a4.pfnmapLeafSizesDescending());
        assertEquals(java.util.List.of(32 * M, 64 * K), a4.contiguousSizes());
        ArchConfig a16 = Arch.ARM64_16K.config();
        assertArrayEquals(new long[] {32 * M, 16 * K}, a16.leafSizesDescending());
        assertEquals(java.util.List.of(G, 2 * M), a16.contiguousSizes());
        ArchConfig a64 = Arch.ARM64_64K.config();
        assertArrayEquals(new long[] {512 * M, 64 * K}, a64.pfnmapLeafSizesDescending());
        assertEquals(java.util.List.of(16 * G, 2 * M), a64.contiguousSizes());
    }

    @Test
    void architecturesWithoutReleasedHugePfnmap() {
        for (Arch a : new Arch[] {Arch.PPC64_RADIX_4K, Arch.PPC64_RADIX_64K, Arch.S390X, Arch.LOONGARCH64_16K}) {
            assertFalse(a.config().hugePfnmap(), a.name());
            assertEquals(1, a.config().pfnmapLeafSizesDescending().length, a.name());
        }
        assertArrayEquals(new long[] {2 * G, M, 4 * K}, Arch.S390X.config().leafSizesDescending());
        assertArrayEquals(new long[] {32 * M, 16 * K}, Arch.LOONGARCH64_16K.config().leafSizesDescending());
    }

    @Test
    void largestLeafNotAboveOrder() {
        ArchConfig x = Arch.X86_64.config();
        assertEquals(4 * K, x.largestPfnmapLeafNotAboveOrder(0));
        assertEquals(4 * K, x.largestPfnmapLeafNotAboveOrder(8));
        assertEquals(2 * M, x.largestPfnmapLeafNotAboveOrder(9));
        assertEquals(2 * M, x.largestPfnmapLeafNotAboveOrder(17));
        assertEquals(G, x.largestPfnmapLeafNotAboveOrder(18));
        assertEquals(G, x.largestPfnmapLeafNotAboveOrder(60));
        assertEquals(2 * M, Arch.ARM64_4K.config().largestPfnmapLeafNotAboveOrder(30));
        assertEquals(0, Leaves.largestLeafNotAbove(new long[] {G, 2 * M}, 4 * K));
        assertEquals(Leaves.MAX_SIZE, Leaves.orderToSize(4 * K, 200));
    }

    @Test
    void tableChecksRejectWrongTables() {
        assertFalse(Leaves.isDescending(new long[] {2 * M, G}));
        assertFalse(Leaves.isDescending(new long[] {G, G}));
        assertFalse(Leaves.isDescending(new long[] {0}));
        assertFalse(Leaves.isPowerOfTwo(3 * M));
        assertTrue(Leaves.isPowerOfTwo(1));
    }
}
