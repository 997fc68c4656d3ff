package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.arch.Arch;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.ArchGetUnmappedArea;
import io.pfnmap.mm.core.GetUnmappedArea;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.ShmemHuge;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@code shmem_get_unmapped_area} (mm/shmem.c, 6.18): what it must do whatever the space, each
 * statement over an implementation so that wrong variants can be shown rejected; the knob
 * decisions of {@link ShmemHuge} in full; and the worked values of
 * docs/notes/hugetlb-shmem-facts.md (checks 19 to 24), several of which {@code LiveShmemTest}
 * confirmed on 6.18.
 */
class ShmemProperties {

    /** One shmem request: the space, the hpage shmem aligns it to (0: none), and the request. */
    record Case(AddressSpace space, long hpage, long addr, long len, long pgoff, long flags) {
        MmState mm() {
            return space.state();
        }

        /** The plain search shmem starts with (the file's pgoff; vm_flags 0). */
        long plain() {
            return ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm(), addr, len, pgoff, flags, 0);
        }

        long offset() {
            return hpage == 0 ? 0 : Arith.remU(pgoff * mm().pageSize, hpage);
        }
    }

    /** A shmem_get_unmapped_area implementation: the model or a seeded wrong variant. */
    interface Impl {
        long run(Case c);
    }

    static final Impl MODEL = c -> GetUnmappedArea.shmemGetUnmappedArea(c.mm(), c.addr, c.len, c.pgoff, c.flags,
            c.hpage);

    /**
     * The model's algorithm written again with its steps as switches, to seed bugs: {@code
     * highEnd} places the mapping at the top of the inflated area as THP's top-down step does;
     * {@code noOffset} aligns to 0 instead of the file offset; {@code hintRealigned} aligns a
     * taken hint too.
     */
    static long variant(Case c, boolean highEnd, boolean noOffset, boolean hintRealigned) {
        MmState mm = c.mm();
        long len = c.len;
        long hpage = c.hpage;
        if (Arith.ugt(len, mm.taskSize)) {
            return -12;
        }
        long addr = c.plain();
        if (!mm.thp || hpage == 0 || Arith.isErrValue(addr) || Arith.remU(addr, mm.pageSize) != 0
                || Arith.ugt(addr, mm.taskSize - len) || MapFlags.has(c.flags, MapFlags.MAP_FIXED)
                || c.addr == addr && !hintRealigned) {
            return addr;
        }
        if (Arith.ult(len, hpage)) {
            return addr;
        }
        long offset = noOffset ? 0 : c.offset();
        if (offset != 0 && Arith.ult(offset + len, 2 * hpage)) {
            return addr;
        }
        if (Arith.remU(addr, hpage) == offset) {
            return addr;
        }
        long inflatedLen = len + hpage - mm.pageSize;
        if (Arith.ugt(inflatedLen, mm.taskSize) || Arith.ult(inflatedLen, len)) {
            return addr;
        }
        long inflated = ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(mm, c.addr, inflatedLen, 0, c.flags, 0);
        if (Arith.isErrValue(inflated) || Arith.remU(inflated, mm.pageSize) != 0) {
            return addr;
        }
        long io = Arith.remU(inflated, hpage);
        inflated = inflated + offset - io;
        if (Arith.ugt(io, offset)) {
            inflated += hpage;
        }
        if (highEnd && mm.topdown && io == offset) {
            inflated += hpage; // __thp_get_unmapped_area: top-down with off_sub 0 returns ret + size
        }
        if (Arith.ugt(inflated, mm.taskSize - len)) {
            return addr;
        }
        return inflated;
    }

    /** Congruence: an answer other than the plain one is congruent to the file offset modulo hpage. */
    static boolean congruent(Impl impl, Case c) {
        long r = impl.run(c);
        return Arith.isErrValue(r) || r == c.plain() || Arith.remU(r - c.offset(), c.hpage) == 0;
    }

    /**
     * The low end: an answer other than the plain one lies in the area the inflated search found,
     * less than hpage above its start (no top-down {@code + size} step).
     */
    static boolean lowEnd(Impl impl, Case c) {
        long r = impl.run(c);
        if (Arith.isErrValue(r) || r == c.plain()) {
            return true;
        }
        long inflatedLen = c.len + c.hpage - c.mm().pageSize;
        long inflated = ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(c.mm(), c.addr, inflatedLen, 0, c.flags, 0);
        return !Arith.isErrValue(inflated) && Arith.ult(r - inflated, c.hpage)
                && Arith.ule(r - inflated + c.len, inflatedLen);
    }

    /**
     * Fallback: MAP_FIXED, a taken hint and hpage 0 give the plain answer unchanged (a length above
     * TASK_SIZE is shmem's own -ENOMEM first).
     */
    static boolean plainWhenNotAligned(Impl impl, Case c) {
        if (Arith.ugt(c.len, c.mm().taskSize)) {
            return impl.run(c) == -12;
        }
        long plain = c.plain();
        boolean keep = c.hpage == 0 || MapFlags.has(c.flags, MapFlags.MAP_FIXED) || plain == c.addr;
        return !keep || impl.run(c) == plain;
    }

    @Provide
    static Arbitrary<Case> cases() {
        return Spaces.configs().flatMap(c -> Combinators.combine(Spaces.spaces(c),
                Arbitraries.of(0L, c.pmdSize(), c.pmdSize(), c.pageSize() * 16, c.pageSize() * 2),
                Spaces.hints(c), Spaces.lengths(c), Spaces.pgoffs(c),
                Arbitraries.of(0L, 0L, 0L, MapFlags.MAP_FIXED))
                .as((sp, hpage, addr, len, pgoff, fixed) -> {
                    long p = c.pageSize();
                    long l = Arith.alignUp(len, p);
                    return new Case(sp, hpage, addr, l == 0 ? p : l, pgoff, MapFlags.MAP_SHARED | fixed);
                }));
    }

    @Property(tries = 3000)
    void modelCongruent(@ForAll("cases") Case c) {
        assertTrue(congruent(MODEL, c));
    }

    @Property(tries = 3000)
    void modelLowEnd(@ForAll("cases") Case c) {
        assertTrue(lowEnd(MODEL, c));
    }

    @Property(tries = 3000)
    void modelPlainWhenNotAligned(@ForAll("cases") Case c) {
        assertTrue(plainWhenNotAligned(MODEL, c));
    }

    /** The variant without bugs is the model, so each seeded variant differs by its bug alone. */
    @Property(tries = 3000)
    void variantWithoutBugsIsTheModel(@ForAll("cases") Case c) {
        assertEquals(MODEL.run(c), variant(c, false, false, false));
    }

    private static void rejects(String what, Predicate<Case> property) {
        SeededVariants.rejects(what, cases(), property);
    }

    @Test
    void lowEndRejectsThpTopdownStep() {
        rejects("shmem: placed at the high end (THP's top-down + size)",
                c -> lowEnd(x -> variant(x, true, false, false), c));
    }

    @Test
    void congruenceRejectsIgnoredOffset() {
        rejects("shmem: aligned to 0, not to the file offset", c -> congruent(x -> variant(x, false, true, false), c));
    }

    @Test
    void fallbackRejectsRealignedHint() {
        rejects("shmem: a taken hint realigned",
                c -> plainWhenNotAligned(x -> variant(x, false, false, true), c));
    }

    // --- the knobs (mm/shmem.c shmem_get_unmapped_area, shmem_enabled_store) ---

    private static final int[] KNOBS = {ShmemHuge.SHMEM_HUGE_NEVER, ShmemHuge.SHMEM_HUGE_ALWAYS,
        ShmemHuge.SHMEM_HUGE_WITHIN_SIZE, ShmemHuge.SHMEM_HUGE_ADVISE, ShmemHuge.SHMEM_HUGE_DENY,
        ShmemHuge.SHMEM_HUGE_FORCE};
    private static final int[] MOUNTS = {ShmemHuge.SHMEM_HUGE_NEVER, ShmemHuge.SHMEM_HUGE_ALWAYS,
        ShmemHuge.SHMEM_HUGE_WITHIN_SIZE, ShmemHuge.SHMEM_HUGE_ADVISE};
    private static final long PMD = 2L << 20;

    @Test
    void fileAlignsToPmdByItsMountUnlessDenyOrForce() {
        for (int knob : KNOBS) {
            for (int mount : MOUNTS) {
                long want = knob == ShmemHuge.SHMEM_HUGE_DENY ? 0 : knob == ShmemHuge.SHMEM_HUGE_FORCE ? PMD
                        : mount == ShmemHuge.SHMEM_HUGE_NEVER ? 0 : PMD;
                assertEquals(want, ShmemHuge.fileHugeSize(knob, mount, PMD), "knob " + knob + ", mount " + mount);
                assertEquals(want == 0 ? FileKind.SHMEM : FileKind.SHMEM_HUGE, FileKind.shmem(knob, mount, PMD));
            }
        }
    }

    @Test
    void anonymousFollowsTheKnobAndThePerSizeOrders() {
        // the protocol's shmem_enabled: PMD at inherit, shm_mnt set by the knob (deny/force keep it)
        for (int knob : KNOBS) {
            long want = knob == ShmemHuge.SHMEM_HUGE_NEVER || knob == ShmemHuge.SHMEM_HUGE_DENY ? 0 : PMD;
            assertEquals(want, MmConfig.x86_64().withShmemEnabled(knob).shmemHugeSize(), "knob " + knob);
        }
        // check 21: never, but hugepages-64kB/shmem_enabled=always: 64 KiB
        assertEquals(64 << 10, ShmemHuge.anonHugeSize(ShmemHuge.SHMEM_HUGE_NEVER, ShmemHuge.SHMEM_HUGE_NEVER,
                64 << 10, PMD, PMD));
        // inherit orders count only when shm_mnt is not never; the larger of the two sets wins
        assertEquals(PMD, ShmemHuge.anonHugeSize(ShmemHuge.SHMEM_HUGE_ALWAYS, ShmemHuge.SHMEM_HUGE_ALWAYS,
                64 << 10, PMD, PMD));
        assertEquals(64 << 10, ShmemHuge.anonHugeSize(ShmemHuge.SHMEM_HUGE_ALWAYS, ShmemHuge.SHMEM_HUGE_ALWAYS,
                64 << 10, 0, PMD));
        // shm_mnt not never and no order at all: PMD; deny and force before any of it
        assertEquals(PMD, ShmemHuge.anonHugeSize(ShmemHuge.SHMEM_HUGE_ADVISE, ShmemHuge.SHMEM_HUGE_ADVISE, 0, 0, PMD));
        assertEquals(0, ShmemHuge.anonHugeSize(ShmemHuge.SHMEM_HUGE_DENY, ShmemHuge.SHMEM_HUGE_ALWAYS, 64 << 10, PMD,
                PMD));
        assertEquals(PMD, ShmemHuge.anonHugeSize(ShmemHuge.SHMEM_HUGE_FORCE, ShmemHuge.SHMEM_HUGE_NEVER, 64 << 10, 0,
                PMD));
    }

    // --- the worked values (x86_64, top-down, empty space, base 0x7ffff7fff000) ---

    private static long place(MmConfig c, FileKind f, long len, long pgoff, long flags) {
        return Mmap.doMmap(AddressSpace.of(c, java.util.List.of()), new MmapRequest(0, len, pgoff, flags, f)).value();
    }

    @Test
    void workedValues() {
        long anon = MapFlags.MAP_SHARED | MapFlags.MAP_ANONYMOUS;
        MmConfig x = MmConfig.x86_64();
        // 19: never: the plain address
        assertEquals(0x7ffff7bff000L, place(x.withShmemEnabled(ShmemHuge.SHMEM_HUGE_NEVER), FileKind.ANON, 4 << 20, 0,
                anon));
        // 20: always or force: 2 MiB-aligned at the low end of a len + 2 MiB - 4 KiB area
        assertEquals(0x7ffff7a00000L, place(x.withShmemEnabled(ShmemHuge.SHMEM_HUGE_ALWAYS), FileKind.ANON, 4 << 20,
                0, anon));
        assertEquals(0x7ffff7a00000L, place(x.withShmemEnabled(ShmemHuge.SHMEM_HUGE_FORCE), FileKind.ANON, 4 << 20,
                0, anon));
        // 22: tmpfs within_size, i_size not read: aligned
        FileKind withinSize = FileKind.shmem(ShmemHuge.SHMEM_HUGE_NEVER, ShmemHuge.SHMEM_HUGE_WITHIN_SIZE, PMD);
        assertEquals(0x7ffff7a00000L, place(x, withinSize, 4 << 20, 0, MapFlags.MAP_SHARED));
        // 23: huge=always, offset 1 MiB: 2 MiB left alone, 3 MiB at 1 MiB mod 2 MiB
        FileKind always = FileKind.shmem(ShmemHuge.SHMEM_HUGE_NEVER, ShmemHuge.SHMEM_HUGE_ALWAYS, PMD);
        assertEquals(0x7ffff7dff000L, place(x, always, 2 << 20, 0x100, MapFlags.MAP_SHARED));
        assertEquals(0x7ffff7b00000L, place(x, always, 3 << 20, 0x100, MapFlags.MAP_SHARED));
        // 24: huge=always under deny: the plain address
        assertEquals(0x7ffff7bff000L, place(x, FileKind.shmem(ShmemHuge.SHMEM_HUGE_DENY, ShmemHuge.SHMEM_HUGE_ALWAYS,
                PMD), 4 << 20, 0, MapFlags.MAP_SHARED));
    }

    @Test
    void devZeroSharedIsShmemWithItsPgoffAndPrivateIsTheThpHook() {
        MmConfig always = MmConfig.x86_64().withShmemEnabled(ShmemHuge.SHMEM_HUGE_ALWAYS);
        // shared: the anonymous size, but congruent to the 1 MiB offset (anonymous memory has pgoff 0)
        assertEquals(0x7ffff7b00000L, place(always, FileKind.DEV_ZERO, 4 << 20, 0x100, MapFlags.MAP_SHARED));
        assertEquals(0x7ffff7a00000L, place(always, FileKind.ANON, 4 << 20, 0,
                MapFlags.MAP_SHARED | MapFlags.MAP_ANONYMOUS));
        // shared under never: the plain address; private: THP-aligned to the offset whatever the knob
        MmConfig never = MmConfig.x86_64();
        assertEquals(0x7ffff7bff000L, place(never, FileKind.DEV_ZERO, 4 << 20, 0x100, MapFlags.MAP_SHARED));
        assertEquals(0x7ffff7b00000L, place(never, FileKind.DEV_ZERO, 4 << 20, 0x100, MapFlags.MAP_PRIVATE));
        assertEquals(-1L, FileKind.DEV_ZERO.maxSize(), "a character device: file_mmap_size_max is ULONG_MAX");
    }

    @Test
    void mmapBaseFromTheStackRlimit() {
        // docs/notes/hugetlb-shmem-facts.md section 4, checks 1 to 7 (x86_64 confirmed by LiveLayoutTest)
        long mib = 1L << 20;
        for (long r : new long[] {8 * mib, 64 * mib, 127 * mib}) {
            assertEquals(0x7ffff7fff000L, base(Arch.X86_64, r), "rlimit " + r);
        }
        assertEquals(0x7ffff7eff000L, base(Arch.X86_64, 128 * mib));
        assertEquals(0x7fffbfeff000L, base(Arch.X86_64, 1024 * mib));
        assertEquals(0x155555556000L, base(Arch.X86_64, -1L));
        assertEquals(0x2aaaaaaab000L, MmConfig.x86_64().legacyBase());
        assertEquals(0xffffbff00000L, base(Arch.ARM64_4K, 1024 * mib));
        assertEquals(0xfffff8000000L, base(Arch.ARM64_4K, 8 * mib));
        assertEquals(0x7fffbfc00000L, base(Arch.ARM64_16K, 1024 * mib));
        assertEquals(0x7ffff8000000L, base(Arch.ARM64_16K, 8 * mib));
    }

    private static long base(Arch a, long rlimit) {
        return MmConfig.forArch(a.config(), true, rlimit, 0x10000, 0x1000).mmapBase();
    }
}
