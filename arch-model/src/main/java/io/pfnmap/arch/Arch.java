package io.pfnmap.arch;

import com.google.common.collect.ImmutableList;
import io.pfnmap.arch.core.Leaves;
import java.util.Arrays;
import java.util.Optional;

import static io.pfnmap.arch.Sizes.G1;
import static io.pfnmap.arch.Sizes.K1;
import static io.pfnmap.arch.Sizes.K4;
import static io.pfnmap.arch.Sizes.M1;
import static io.pfnmap.arch.Sizes.M2;

/**
 * Every architecture and base-page configuration the model knows, as the kernel builds it with huge
 * pfnmap support where a release has it (kernel-facts part 2; arch/*&#47;Kconfig, mm/Kconfig
 * {@code ARCH_SUPPORTS_PMD_PFNMAP}/{@code ARCH_SUPPORTS_PUD_PFNMAP}, arch page-table headers).
 * {@link ArchConfig#withoutHugePfnmap()} gives the same configuration with the option off.
 */
public enum Arch {
    X86_64("x86_64", "x86_64, 4-level paging", K4, M2, G1, true, true, new long[0], Search.x86(47)),
    X86_64_LA57("x86_64-la57", "x86_64, 5-level paging (LA57)", K4, M2, G1, true, true, new long[0], Search.x86(56)),
    ARM64_4K("arm64-4k", "arm64, 4 KiB granule", K4, M2, G1, true, false, new long[] {32 * M1, 64 * K1},
            Search.arm64(K4, 48, 52, M2)),
    ARM64_16K("arm64-16k", "arm64, 16 KiB granule", 16 * K1, 32 * M1, 0, true, false, new long[] {G1, M2},
            Search.arm64(16 * K1, 47, 52, 32 * M1)),
    ARM64_64K("arm64-64k", "arm64, 64 KiB granule", 64 * K1, 512 * M1, 0, true, false, new long[] {16 * G1, M2},
            Search.arm64(64 * K1, 48, 52, 512 * M1)),
    PPC64_RADIX_4K("ppc64-radix-4k", "ppc64 Book3S radix, 4 KiB base", K4, M2, G1, false, false, new long[0], null),
    PPC64_RADIX_64K("ppc64-radix-64k", "ppc64 Book3S radix, 64 KiB base", 64 * K1, M2, G1, false, false, new long[0], null),
    RISCV64_SV39("riscv64-sv39", "riscv64 Sv39", K4, M2, G1, true, true, new long[] {64 * K1}, null),
    RISCV64_SV48("riscv64-sv48", "riscv64 Sv48", K4, M2, G1, true, true, new long[] {64 * K1}, null),
    RISCV64_SV57("riscv64-sv57", "riscv64 Sv57", K4, M2, G1, true, true, new long[] {64 * K1}, null),
    S390X("s390x", "s390x (segment 1 MiB, region-third 2 GiB)", K4, M1, 2 * G1, false, false, new long[0], null),
    LOONGARCH64_16K("loongarch64-16k", "loongarch64, 16 KiB pages, 3 levels", 16 * K1, 32 * M1, 0, false, false,
            new long[0], null);

    private final ArchConfig config;

    Arch(String id, String title, long page, long pmd, long pud, boolean pmdPfnmap, boolean pudPfnmap,
            long[] contiguous, Search search) {
        ImmutableList.Builder<Leaf> leaves = ImmutableList.builder();
        if (pud != 0) {
            leaves.add(new Leaf(Level.PUD, pud, pudPfnmap));
        }
        leaves.add(new Leaf(Level.PMD, pmd, pmdPfnmap));
        leaves.add(new Leaf(Level.PTE, page, true));
        long[] cont = contiguous.clone();
        Arrays.sort(cont);
        ImmutableList.Builder<Long> contList = ImmutableList.builder();
        for (int i = cont.length - 1; i >= 0; i--) {
            contList.add(cont[i]);
        }
        this.config = new ArchConfig(id, title, page, leaves.build(), contList.build(), pmdPfnmap || pudPfnmap,
                Optional.ofNullable(search));
    }

    /** The configuration with huge pfnmap support as released. */
    public ArchConfig config() {
        return config;
    }

    /** The configuration whose {@link ArchConfig#id()} is {@code id}, with or without huge pfnmap. */
    public static Optional<ArchConfig> byId(String id) {
        for (Arch a : values()) {
            if (a.config.id().equals(id)) {
                return Optional.of(a.config);
            }
            if (a.config.withoutHugePfnmap().id().equals(id)) {
                return Optional.of(a.config.withoutHugePfnmap());
            }
        }
        return Optional.empty();
    }

    /** Every configuration, each with and without huge pfnmap support. */
    public static ImmutableList<ArchConfig> allConfigs() {
        ImmutableList.Builder<ArchConfig> b = ImmutableList.builder();
        for (Arch a : values()) {
            b.add(a.config, a.config.withoutHugePfnmap());
        }
        return b.build();
    }

    /** Sanity of the table itself: every leaf list is strictly descending powers of two. */
    static boolean wellFormed(ArchConfig c) {
        return Leaves.isDescending(c.leafSizesDescending()) && c.leaves().stream()
                .allMatch(l -> Leaves.isPowerOfTwo(l.size()));
    }
}
