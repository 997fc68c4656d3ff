package io.pfnmap.verification.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.CpuFeatures;
import io.pfnmap.arch.KernelSizes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The leaf sizes this x86_64 host's kernel reports in sysfs (hugetlb hstates, mTHP sizes,
 * hpage_pmd_size) against arch-model's {@link KernelSizes} for x86_64 with this CPU's features
 * (pdpe1gb from /proc/cpuinfo). Skips loudly off x86_64 Linux or without THP in sysfs.
 */
class HostSizesTest {

    @Test
    void sysfsSizesAreArchModels() throws IOException {
        String arch = System.getProperty("os.arch");
        skipUnless(System.getProperty("os.name").equals("Linux"), "not Linux");
        skipUnless(arch.equals("amd64") || arch.equals("x86_64"), "not x86_64 (" + arch + ")");
        Path thp = Paths.get("/sys/kernel/mm/transparent_hugepage");
        skipUnless(Files.isReadable(thp.resolve("hpage_pmd_size")), "no THP in sysfs (" + thp + ")");
        String flags = Files.readAllLines(Paths.get("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags"))
                .findFirst().orElseThrow(() -> new AssertionError("/proc/cpuinfo has no flags line"));
        CpuFeatures cpu = CpuFeatures.fromCpuinfoFlags(flags.substring(flags.indexOf(':') + 1));
        boolean la57 = (" " + flags + " ").contains(" la57 ");
        KernelSizes reported = KernelSizes.reported(dirSizes(Paths.get("/sys/kernel/mm/hugepages")), dirSizes(thp),
                Long.parseLong(Files.readString(thp.resolve("hpage_pmd_size")).trim()));
        KernelSizes expected = KernelSizes.of((la57 ? Arch.X86_64_LA57 : Arch.X86_64).config(), cpu);
        KernelSizes wrong = KernelSizes.of(Arch.X86_64.config(), new CpuFeatures(!cpu.gbpages()));
        System.out.printf("host sizes: reported %s; arch-model (%s) %s; PUD pfnmap leaf without CPU support: %s%n",
                reported, cpu, expected, cpu.pudPfnmapWithoutHardware(Arch.X86_64.config()));
        assertEquals(expected, reported, "the sizes this kernel reports");
        assertNotEquals(wrong, reported, "a model that ignores the CPU's 1 GiB pages must be caught");
    }

    /** The sizes of the {@code hugepages-<N>kB} entries of {@code dir}, ascending, as bytes. */
    static long[] dirSizes(Path dir) throws IOException {
        List<Long> v = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.matches("hugepages-[0-9]+kB"))
                        .forEach(n -> v.add(Long.parseLong(n.substring(10, n.length() - 2)) * 1024));
            }
        }
        return v.stream().sorted().mapToLong(Long::longValue).toArray();
    }

    private static void skipUnless(boolean ok, String reason) {
        if (!ok) {
            System.out.println("SKIPPED live host sizes: " + reason);
        }
        Assumptions.assumeTrue(ok, reason);
    }
}
