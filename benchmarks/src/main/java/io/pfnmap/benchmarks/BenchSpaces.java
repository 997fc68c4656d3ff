package io.pfnmap.benchmarks;

import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.VmaFlag;
import java.util.ArrayList;
import java.util.List;

/**
 * The address spaces the search benchmarks share ({@link GapSearchBenchmark}, {@link
 * YardstickBenchmark}, {@link SpaceEditBenchmark}), so that the model and the kernel's C, and the
 * gate's figures, are measured on the same ones. Each makes the search skip every VMA: {@code
 * n - 1} one-page VMAs with one-page holes between them lie where the search starts (just below
 * mmap_base top-down, just above the legacy base bottom-up) and the free area lies past them, so
 * a request of two pages or more fits none of the holes.
 */
public abstract class BenchSpaces extends BenchDefaults {
    static final long PAGE = 4096;
    /** A plain request: two pages, which no one-page hole holds. */
    static final long LEN = 2 * PAGE;

    AddressSpace topdown;
    AddressSpace bottomUp;

    /** Both spaces at {@code n} VMAs. */
    void spaces(int n) {
        topdown = topdownSpace(n);
        bottomUp = bottomUpSpace(n);
    }

    /** x86_64, top-down: a stack at the top, the other VMAs packed below mmap_base. */
    public static AddressSpace topdownSpace(int n) {
        MmConfig c = MmConfig.x86_64();
        List<Vma> v = new ArrayList<>();
        long base = c.mmapBase() - c.mmapBase() % PAGE;
        for (int j = n - 2; j >= 0; j--) {
            v.add(Vma.of(base - (2L * j + 2) * PAGE, base - (2L * j + 1) * PAGE));
        }
        v.add(stack(c));
        return AddressSpace.of(c, v);
    }

    /** x86_64, legacy layout (bottom-up): the VMAs packed above the legacy base, a stack at the top. */
    public static AddressSpace bottomUpSpace(int n) {
        MmConfig c = MmConfig.x86_64().withTopdown(false);
        List<Vma> v = new ArrayList<>();
        long base = c.legacyBase() + (PAGE - c.legacyBase() % PAGE) % PAGE; // rounded up to a page
        for (int j = 0; j < n - 1; j++) {
            v.add(Vma.of(base + (2L * j + 1) * PAGE, base + (2L * j + 2) * PAGE));
        }
        v.add(stack(c));
        return AddressSpace.of(c, v);
    }

    private static Vma stack(MmConfig c) {
        long top = c.defaultMapWindow() - c.defaultMapWindow() % PAGE;
        return Vma.of(top - 33 * PAGE, top, VmaFlag.GROWSDOWN);
    }
}
