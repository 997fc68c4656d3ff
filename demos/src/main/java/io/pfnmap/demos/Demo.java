package io.pfnmap.demos;

import io.pfnmap.mm.*;
import io.pfnmap.vfio.*;
import io.pfnmap.mm.core.MapFlags;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's demo: a small process-like address space on x86_64 (Linux 6.18, no ASLR), a few
 * mmap requests in a row, where each lands and why. Each successful mapping is added before the
 * next request, as the kernel would.
 */
public final class Demo {
    private Demo() {
    }

    private static final long SHARED = MapFlags.MAP_SHARED;
    private static final long PRIVATE = MapFlags.MAP_PRIVATE;

    public static void main(String[] args) {
        run(System.out, MmConfig.x86_64());
        System.out.println();
        run(System.out, MmConfig.x86_64().withTopdown(false));
    }

    static void run(PrintStream out, MmConfig config) {
        AddressSpace as = AddressSpace.of(config, List.of(
                Vma.of(0x555555554000L, 0x555555559000L),          // the program
                Vma.of(0x555555559000L, 0x55555557a000L),          // [heap]
                Vma.of(0x7ffff7fc5000L, 0x7ffff7fff000L),          // ld.so and friends
                Vma.of(0x7ffffffde000L, 0x7ffffffff000L, VmaFlag.GROWSDOWN))); // [stack]
        out.printf("x86_64, %s layout: mmap_base %s, legacy base %s, mmap_min_addr %s, TASK_SIZE %s%n",
                config.topdown() ? "top-down" : "legacy (setarch -L)", Hex.of(config.mmapBase()),
                Hex.of(config.legacyBase()), Hex.of(config.mmapMinAddr()), Hex.of(config.taskSize()));
        List<String[]> rows = new ArrayList<>();
        Object[][] requests = {
            {"anon 8 KiB, no hint", MmapRequest.anon(0, 0x2000, PRIVATE)},
            {"anon 4 MiB (PMD multiple), no hint", MmapRequest.anon(0, 4L << 20, PRIVATE)},
            {"anon 4 MiB with hint 0x600000000000", MmapRequest.anon(0x600000000000L, 4L << 20, PRIVATE)},
            {"anon 4 KiB, hint 0x1000 (below mmap_min_addr)", MmapRequest.anon(0x1000, 0x1000, PRIVATE)},
            {"ext4 file 6 MiB at pgoff 3", MmapRequest.file(FileKind.THP_FILE, 0, 6L << 20, 3, SHARED)},
            {"ext4 file 1 MiB at pgoff 0 (no whole 2 MiB block)", MmapRequest.file(FileKind.THP_FILE, 0, 1L << 20, 0, SHARED)},
            {"VFIO BAR 16 GiB (6.18: no hook)", MmapRequest.file(FileKind.PLAIN_DEVICE, 0, 16L << 30, 1L << 28, SHARED)},
            {"MAP_FIXED_NOREPLACE onto the heap", MmapRequest.anon(0x555555560000L, 0x1000,
                    PRIVATE | MapFlags.MAP_FIXED_NOREPLACE)},
            {"anon 256 TiB (beyond TASK_SIZE)", MmapRequest.anon(0, 1L << 48, PRIVATE)},
        };
        for (Object[] q : requests) {
            MmapRequest r = (MmapRequest) q[1];
            Explanation e = Explanation.of(as, r);
            Placement p = e.result();
            String where = p.isError() ? p.describe() : Hex.of(p.address()) + "-" + Hex.of(p.address()
                    + io.pfnmap.mm.core.Arith.alignUp(r.len(), config.pageSize()));
            rows.add(new String[] {(String) q[0], where, e.describe()});
            if (!p.isError()) {
                as = as.plus(Vma.of(p.address(), p.address() + io.pfnmap.mm.core.Arith.alignUp(r.len(), config.pageSize())));
            }
        }
        int w0 = rows.stream().mapToInt(x -> x[0].length()).max().orElse(0);
        int w1 = rows.stream().mapToInt(x -> x[1].length()).max().orElse(0);
        for (String[] row : rows) {
            out.printf("  %-" + w0 + "s  ->  %-" + w1 + "s  %s%n", row[0], row[1], row[2]);
        }
    }
}
