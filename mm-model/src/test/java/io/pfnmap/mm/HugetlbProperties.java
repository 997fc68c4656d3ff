package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.DoMmap;
import io.pfnmap.mm.core.GetUnmappedArea;
import io.pfnmap.mm.core.Hugetlb;
import io.pfnmap.mm.core.MapFlags;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * hugetlb on the mmap path (issue 25; docs/notes/hugetlb-shmem-facts.md section 2): the worked
 * cases of the research note's table (rows 10 to 18; the 6.18 column, which the live recordings
 * confirm on this host), and three properties of every placement over random spaces, each with a
 * seeded wrong variant that must fail it.
 */
class HugetlbProperties {
    private static final long PAGE = 4096;
    private static final long PMD = 2L << 20;
    private static final long PUD = 1L << 30;
    private static final MmConfig X86 = MmConfig.x86_64();
    private static final Hstates PMD_ONLY = new Hstates(ImmutableList.of(PMD), 0);
    private static final AddressSpace EMPTY = AddressSpace.of(X86.withHstates(PMD_ONLY), List.of());
    private static final long HUGE = MapFlags.MAP_PRIVATE | MapFlags.MAP_ANONYMOUS | Hugetlb.MAP_HUGETLB;
    private static final long NORESERVE = HUGE | MapFlags.MAP_NORESERVE;
    private static final long MAP_HUGE_1GB = 30L << 26;
    private static final Hstates GB = new Hstates(ImmutableList.of(PMD, PUD), 0);

    private static String mmap(AddressSpace as, long addr, long len, long pgoff, long flags, Hstates h) {
        return Mmap.doMmap(with(as, h), new MmapRequest(addr, len, pgoff, flags, FileKind.ANON)).describe();
    }

    private static String mmap(long addr, long len, long flags) {
        return mmap(EMPTY, addr, len, 0, flags, PMD_ONLY);
    }

    private static AddressSpace with(AddressSpace as, Hstates h) {
        return AddressSpace.of(as.config().withHstates(h), as.vmas());
    }

    @Test
    void theResearchNotesCases() {
        assertEquals("0x7ffff7c00000", mmap(0, 1, NORESERVE), "row 10: len 1 rounds to 2 MiB, 2 MiB aligned");
        assertEquals("0x7fff80000000", mmap(EMPTY, 0, 1, 0, NORESERVE | MAP_HUGE_1GB, GB), "row 11");
        assertEquals("EINVAL", mmap(0, 1, NORESERVE | MAP_HUGE_1GB), "row 12: no 1 GiB hstate");
        assertEquals("EINVAL", mmap(0, 1, NORESERVE | (22L << 26)), "row 12: no 4 MiB hstate");
        assertEquals("EINVAL", mmap(0, 0xffffffffffe00001L, NORESERVE), "row 13: ALIGN wraps to 0");
        assertEquals("ENOMEM", mmap(0, -4096L, MapFlags.MAP_PRIVATE | MapFlags.MAP_ANONYMOUS), "row 13's contrast");
        assertEquals("EINVAL", mmap(0x7f0000001000L, 1, NORESERVE | MapFlags.MAP_FIXED), "row 14");
        assertEquals("0x7f0000000000", mmap(0x7f0000000000L, 1, NORESERVE | MapFlags.MAP_FIXED), "row 14, aligned");
        assertEquals("0x10000200000", mmap(0x10000001000L, 1, NORESERVE), "row 15: 6.18 rounds the hint up");
        assertEquals("0x200000", mmap(0x100000, 1, NORESERVE), "row 16: 6.18");
        assertEquals("EINVAL", mmap(EMPTY, 0, 1, 1, NORESERVE, PMD_ONLY), "row 17: pgoff after placement");
        AddressSpace one = AddressSpace.of(X86, List.of(Vma.of(0x7f0000000000L, 0x7f0000001000L)));
        assertEquals("EEXIST", mmap(one, 0x7f0000000000L, 1, 1, NORESERVE | MapFlags.MAP_FIXED_NOREPLACE,
                PMD_ONLY), "row 17: NOREPLACE first");
        assertEquals("ENOMEM", mmap(0, 1, HUGE), "row 18: nr_hugepages 0, no MAP_NORESERVE");
        assertEquals("0x7ffff7c00000", mmap(EMPTY, 0, 1, 0, HUGE, new Hstates(ImmutableList.of(PMD), 1)), "row 18");
        assertEquals("ENOMEM", mmap(EMPTY, 0, PMD + 1, 0, HUGE, new Hstates(ImmutableList.of(PMD), 1)), "two pages");
    }

    @Test
    void theHooksOf6_12() {
        Hstates v612 = PMD_ONLY.withSeries(Hstates.V6_12);
        assertEquals("0x10000000000", mmap(EMPTY, 0x10000001000L, 1, 0, NORESERVE, v612), "row 15: x86 rounds down");
        AddressSpace noCap = AddressSpace.of(X86.withCapSysRawio(false), List.of());
        assertEquals("EPERM", mmap(noCap, 0x100000, 1, 0, NORESERVE, v612), "row 16: the hint rounds to 0");
        assertEquals("0x200000", mmap(noCap, 0x100000, 1, 0, NORESERVE, PMD_ONLY), "row 16: 6.18");
        assertEquals("0x7ffff7c00000", mmap(EMPTY, 0, 1, 0, NORESERVE, v612), "no hint: the same search");
        assertEquals("EINVAL", mmap(EMPTY, 0x7f0000001000L, 1, 0, NORESERVE | MapFlags.MAP_FIXED, v612), "row 14");
        MmConfig arm = MmConfig.forArch(io.pfnmap.arch.Arch.ARM64_4K.config(), true);
        AddressSpace armEmpty = AddressSpace.of(arm, List.of());
        assertEquals(mmap(armEmpty, 0x10000001000L, 1, 0, NORESERVE, arm.hstates()),
                mmap(armEmpty, 0x10000001000L, 1, 0, NORESERVE, arm.hstates().withSeries(Hstates.V6_12)),
                "arm64's generic hook rounds the hint up in both");
        assertEquals("0x10000200000", mmap(armEmpty, 0x10000001000L, 1, 0, NORESERVE,
                arm.hstates().withSeries(Hstates.V6_12)));
    }

    @Test
    void theKernelsRegisteredHstatesAreTheDefault() {
        assertEquals(List.of(PMD, PUD), X86.hstates().sizes(), "x86_64 with 1 GiB pages: PMD, the default, first");
        MmConfig arm = MmConfig.forArch(io.pfnmap.arch.Arch.ARM64_4K.config(), true);
        assertEquals(List.of(PMD, 64L << 10, 32L << 20, PUD), arm.hstates().sizes());
        assertEquals(0, X86.hstates().available(), "nr_hugepages 0");
    }

    @Test
    void hugetlbfsFilesAndTheirRules() {
        MmapRequest f = MmapRequest.hugetlbfs(0, 0x1000, 0, MapFlags.MAP_SHARED | MapFlags.MAP_NORESERVE, PMD);
        assertEquals("0x7ffff7c00000", Mmap.doMmap(EMPTY, f).describe());
        MmapRequest gb = MmapRequest.hugetlbfs(0, 0x1000, 512, MapFlags.MAP_SHARED | MapFlags.MAP_NORESERVE
                | MAP_HUGE_1GB, PMD);
        assertEquals("0x7ffff7c00000", Mmap.doMmap(EMPTY, gb).describe(), "the file's hstate, MAP_HUGE_* ignored");
        assertEquals("0x7ffff7c00000", Mmap.getUnmappedArea(EMPTY, MmapRequest.hugetlbfs(0, PMD, 0,
                MapFlags.MAP_SHARED, PMD)).describe(), "__get_unmapped_area through the file's hook");
        assertEquals("EINVAL", Mmap.getUnmappedArea(EMPTY, MmapRequest.hugetlbfs(0, 0x1000, 0, MapFlags.MAP_SHARED,
                PMD)).describe(), "the hook's own length check (mmap(2) rounds first)");
        MmapRequest odd = MmapRequest.hugetlbfs(0, 0x1000, 256, MapFlags.MAP_SHARED | MapFlags.MAP_NORESERVE, PMD);
        assertEquals("EINVAL", Mmap.doMmap(EMPTY, odd).describe(), "pgoff of half a huge page");
        MmapRequest ext4 = MmapRequest.file(FileKind.THP_FILE, 0, 0x1000, 0, MapFlags.MAP_SHARED | Hugetlb.MAP_HUGETLB);
        assertEquals("EINVAL", Mmap.doMmap(EMPTY, ext4).describe(), "MAP_HUGETLB on a file that is not hugetlbfs");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Mmap.doMmap(EMPTY, MmapRequest.hugetlbfs(0, 1, 0, MapFlags.MAP_SHARED, PUD)));
        assertEquals("hugetlbfs.page_size", e.field());
        assertThrows(InvalidInputException.class, () -> new Hstates(ImmutableList.of(PMD), -1));
        assertEquals("hugetlb_sizes", assertThrows(InvalidInputException.class,
                () -> X86.withHstates(new Hstates(ImmutableList.of(0x3000L), 0))).field());
        assertEquals("EINVAL", mmap(EMPTY, 0, 1, 0, NORESERVE, new Hstates(ImmutableList.of(), 0)),
                "no CONFIG_HUGETLB_PAGE: no hstate");
    }

    /** A hugetlb mmap as one of the variants computes it. */
    interface Impl {
        long mmap(AddressSpace as, long addr, long len, long flags, long hsize);
    }

    static final Impl MODEL = (as, addr, len, flags, hsize) -> Mmap.doMmap(with(as, hstates(as, hsize)),
            new MmapRequest(addr, len, 0, flags, FileKind.ANON)).value();
    /** Seeded: no huge mask (the search of a plain anonymous mapping of the rounded length). */
    static final Impl NO_MASK = (as, addr, len, flags, hsize) -> DoMmap.doMmap(as.state(), GetUnmappedArea.FILE_ANON,
            addr, Arith.alignUp(len, hsize), 0, flags & ~Hugetlb.MAP_HUGETLB, 0);
    /** Seeded: 6.12's x86 hint rounding, down instead of up. */
    static final Impl HINT_DOWN = (as, addr, len, flags, hsize) -> MODEL.mmap(as, Arith.alignDown(addr, hsize), len,
            flags, hsize);
    /** Seeded: the length not rounded before do_mmap (the hook then refuses a partial huge page). */
    static final Impl LEN_UNROUNDED = (as, addr, len, flags, hsize) -> DoMmap.doMmapHook(as.state(),
            GetUnmappedArea.FILE_HUGETLB, addr, len, 0, flags, DoMmap.MAX_LFS_FILESIZE, new long[] {hsize}, 0);

    static Hstates hstates(AddressSpace as, long hsize) {
        return new Hstates(hsize == as.config().pmdSize() ? ImmutableList.of(hsize)
                : ImmutableList.of(as.config().pmdSize(), hsize), 0);
    }

    record Case(AddressSpace space, long addr, long len, long hsize) {
        long flags() {
            long log = Long.numberOfTrailingZeros(hsize);
            return NORESERVE | (log << 26);
        }
    }

    @Provide
    static Arbitrary<Case> cases() {
        return Spaces.configs().flatMap(c -> {
            Arbitrary<Long> sizes = Arbitraries.of(c.pmdSize(), c.pmdSize() * 512 <= c.taskSize() / 64
                    ? c.pmdSize() * 512 : c.pmdSize());
            return Combinators.combine(Spaces.spaces(c), sizes, Arbitraries.longs().between(1, 8),
                    Arbitraries.longs().between(0, c.pageSize() * 4), Arbitraries.frequencyOf(
                            net.jqwik.api.Tuple.of(2, Arbitraries.just(0L)),
                            net.jqwik.api.Tuple.of(3, Spaces.pages(c).map(p -> p * c.pageSize()))))
                    .as((s, h, n, extra, addr) -> new Case(s, addr, Math.max(1, (n - 1) * h + extra), h));
        });
    }

    /** A placed hugetlb mapping starts on its huge page and its rounded range is free and below TASK_SIZE. */
    static void alignedAndFree(Impl impl, Case c) {
        long r = impl.mmap(c.space(), c.addr(), c.len(), c.flags(), c.hsize());
        if (Arith.isErrValue(r)) {
            return;
        }
        long hlen = Arith.alignUp(c.len(), c.hsize());
        assertEquals(0, Long.remainderUnsigned(r, c.hsize()), () -> "not huge-aligned: " + Long.toHexString(r));
        assertTrue(Long.compareUnsigned(r + hlen, c.space().config().taskSize()) <= 0);
        for (Vma v : c.space().vmas()) {
            assertFalse(Long.compareUnsigned(v.start(), r + hlen) < 0 && Long.compareUnsigned(r, v.end()) < 0,
                    () -> "overlaps " + v);
        }
    }

    /**
     * The hint rule: where the plain search takes a huge-aligned hint for the rounded length, hugetlb
     * takes the hint rounded up to the huge page, which is that address.
     */
    static void roundedHintTaken(Impl impl, Case c) {
        long hint = Arith.alignUp(c.addr(), c.hsize());
        long hlen = Arith.alignUp(c.len(), c.hsize());
        if (c.addr() == 0 || hint == 0) {
            return;
        }
        long plain = Mmap.doMmap(c.space(), MmapRequest.anon(hint, hlen, MapFlags.MAP_PRIVATE)).value();
        if (plain == hint) {
            assertEquals(hint, impl.mmap(c.space(), c.addr(), c.len(), c.flags(), c.hsize()),
                    () -> "hint " + Long.toHexString(c.addr()));
        }
    }

    /** Without a hint, hugetlb finds room wherever the plain search finds the padded length (no hint either). */
    static void foundWherePaddedFits(Impl impl, Case c) {
        long hlen = Arith.alignUp(c.len(), c.hsize());
        long padded = hlen + c.hsize() - c.space().config().pageSize();
        if (hlen == 0 || Long.compareUnsigned(padded, hlen) < 0) {
            return;
        }
        long plain = Mmap.doMmap(c.space(), MmapRequest.anon(0, padded, MapFlags.MAP_PRIVATE)).value();
        if (!Arith.isErrValue(plain)) {
            long r = impl.mmap(c.space(), 0, c.len(), c.flags(), c.hsize());
            assertFalse(Arith.isErrValue(r), () -> "refused: " + new Placement(r).describe());
        }
    }

    @Property(tries = 400)
    void placementsAreHugeAlignedAndFree(@ForAll("cases") Case c) {
        alignedAndFree(MODEL, c);
    }

    @Property(tries = 400)
    void aRoundedUpHintIsTaken(@ForAll("cases") Case c) {
        roundedHintTaken(MODEL, c);
    }

    @Property(tries = 400)
    void aPaddedFitIsFound(@ForAll("cases") Case c) {
        foundWherePaddedFits(MODEL, c);
    }

    @Example
    void eachSeededVariantFailsItsProperty() {
        assertTrue(fails(HugetlbProperties::alignedAndFree, NO_MASK), "no mask passed");
        assertTrue(fails(HugetlbProperties::roundedHintTaken, HINT_DOWN), "hint rounded down passed");
        assertTrue(fails(HugetlbProperties::foundWherePaddedFits, LEN_UNROUNDED), "unrounded length passed");
    }

    interface Check {
        void run(Impl impl, Case c);
    }

    /** Whether {@code check} rejects {@code impl} on one of up to 3,000 generated cases. */
    static boolean fails(Check check, Impl impl) {
        return cases().sampleStream().limit(3000).anyMatch(c -> {
            try {
                check.run(impl, c);
                return false;
            } catch (AssertionError e) {
                return true;
            }
        });
    }
}
