package io.pfnmap.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The sysfs sizes arch-model derives, against what Debian's 6.12 kernels printed under qemu
 * (docs/qemu.md) and this host's 6.18 printed, and the CPU-feature input.
 */
class KernelSizesTest {
    private static final long K = 1024;
    private static final long M = K * K;
    private static final long G = K * M;

    private static long[] pow2(long from, long to) {
        int n = Long.numberOfTrailingZeros(to) - Long.numberOfTrailingZeros(from) + 1;
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = from << i;
        }
        return v;
    }

    @Test
    void x86_64WithAndWithout1GiBPages() {
        KernelSizes gb = KernelSizes.of(Arch.X86_64.config(), CpuFeatures.DEFAULT);
        assertEquals(KernelSizes.reported(new long[] {2 * M, G}, pow2(8 * K, 2 * M), 2 * M), gb);
        KernelSizes nogb = KernelSizes.of(Arch.X86_64_LA57.config(), new CpuFeatures(false));
        assertEquals(KernelSizes.reported(new long[] {2 * M}, pow2(8 * K, 2 * M), 2 * M), nogb);
        // seeded wrong variant: ignoring the CPU feature gives the other answer
        assertNotEquals(gb.hugetlb(), nogb.hugetlb());
    }

    @Test
    void arm64Granules() {
        assertEquals(KernelSizes.reported(new long[] {64 * K, 2 * M, 32 * M, G}, pow2(8 * K, 2 * M), 2 * M),
                KernelSizes.of(Arch.ARM64_4K.config(), new CpuFeatures(false)), "arm64 ignores gbpages");
        assertEquals(KernelSizes.reported(new long[] {2 * M, 32 * M, G}, pow2(32 * K, 32 * M), 32 * M),
                KernelSizes.of(Arch.ARM64_16K.config(), CpuFeatures.DEFAULT));
        // 64 KiB: PMD_ORDER 13 above MAX_PAGECACHE_ORDER 11: anon orders reach 512M, file orders stop at 128M
        assertEquals(KernelSizes.reported(new long[] {2 * M, 512 * M, 16 * G}, pow2(128 * K, 512 * M), 512 * M),
                KernelSizes.of(Arch.ARM64_64K.config(), CpuFeatures.DEFAULT));
    }

    @Test
    void pudPfnmapHazardOnlyOnX86WithoutGbpages() {
        CpuFeatures nogb = CpuFeatures.fromCpuinfoFlags("fpu pse pae la57");
        assertFalse(nogb.gbpages());
        assertTrue(CpuFeatures.fromCpuinfoFlags("fpu pse pdpe1gb").gbpages());
        assertTrue(nogb.pudPfnmapWithoutHardware(Arch.X86_64.config()));
        assertFalse(nogb.pudPfnmapWithoutHardware(Arch.X86_64.config().withoutHugePfnmap()));
        assertFalse(nogb.pudPfnmapWithoutHardware(Arch.ARM64_4K.config()));
        assertFalse(CpuFeatures.DEFAULT.pudPfnmapWithoutHardware(Arch.X86_64.config()));
        // the kernel's pfnmap leaf table does not depend on the CPU (see CpuFeatures)
        assertEquals(G, Arch.X86_64.config().pfnmapLeafSizesDescending()[0]);
    }

    @Test
    void unmodelledArchitectureIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelSizes.of(Arch.S390X.config(), CpuFeatures.DEFAULT));
        assertTrue(e.getMessage().startsWith("arch:"), e.getMessage());
    }
}
