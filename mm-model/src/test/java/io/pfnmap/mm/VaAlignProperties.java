package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.arch.Arch;
import io.pfnmap.mm.core.ArchGetUnmappedArea;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.GetUnmappedArea;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.mm.core.MmState;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * AMD family 15h's {@code va_align} (arch/x86/kernel/sys_x86_64.c {@code get_align_mask}, {@code
 * get_align_bits}; amd.c {@code bsp_init_amd}) over random x86_64 spaces: a file search lands
 * congruent to {@code (pgoff << PAGE_SHIFT) + bits} modulo {@code mask + PAGE_SIZE}; it fails only
 * where the search padded by the mask fails; anonymous and MAP_FIXED requests do not see it; with
 * it off (the default, {@code align_va_addr=32} or {@code off}, no PF_RANDOMIZE) every answer is
 * today's. Each property is shown to reject a seeded wrong variant. No live check: this machine's
 * CPU is not an F15h (and the live recorders run under {@code setarch -R}, no PF_RANDOMIZE, where
 * even an F15h does not align).
 */
class VaAlignProperties {

    /** One request: the space with va_align on, the same space with it off, and the request. */
    record Case(AddressSpace on, AddressSpace off, long addr, long len, long pgoff, long flags) {
        MmState mm() {
            return on.state();
        }

        long modulus() {
            return mm().vaAlignMask + mm().pageSize;
        }

        /** The offset the kernel aligns to: {@code (pgoff << PAGE_SHIFT) + get_align_bits()}. */
        long offset() {
            return pgoff * mm().pageSize + mm().vaAlignBits;
        }

        boolean fixed() {
            return MapFlags.has(flags, MapFlags.MAP_FIXED);
        }
    }

    /** A file search ({@code mm_get_unmapped_area_vmflags} with a file): the model or a seeded wrong variant. */
    interface Impl {
        long run(Case c);
    }

    static final Impl MODEL = c -> ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(c.mm(), c.addr, c.len, c.pgoff,
            c.flags | MapFlags.FILP, 0);

    /** Seeded bug: the mask applied, the boot-time bits ignored (offset pgoff << PAGE_SHIFT alone). */
    static final Impl BITS_IGNORED = c -> {
        MmState m = c.mm();
        MmState noBits = new MmState(m.arch, m.pageSize, m.pmdSize, m.taskSize, m.taskSizeMax, m.defaultMapWindow,
                m.mmapBase, m.legacyBase, m.mmapMinAddr, m.dacMmapMinAddr, m.stackGuardGap, m.topdown, m.thp,
                m.capSysRawio, m.shmemHugeSize, m.vaAlignMask, 0, m.vmStart, m.vmEnd, m.vmFlags, m.gapIndex);
        return ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(noBits, c.addr, c.len, c.pgoff, c.flags | MapFlags.FILP, 0);
    };

    /** Seeded bug: the bits added but not the mask's padding (aligned down inside an unpadded gap). */
    static final Impl NOT_PADDED = c -> {
        long r = ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(c.off.state(), c.addr, c.len, c.pgoff, c.flags, 0);
        if (Arith.isErrValue(r) || r == c.addr || c.fixed()) {
            return r;
        }
        return r - Arith.remU(r - c.offset(), c.modulus());
    };

    /**
     * Congruence: a file search that succeeds lands at {@code (pgoff << PAGE_SHIFT) + bits} modulo
     * {@code mask + PAGE_SIZE}, unless it returned the caller's address (MAP_FIXED, or a free hint,
     * taken as it is).
     */
    static boolean congruent(Impl impl, Case c) {
        long r = impl.run(c);
        return Arith.isErrValue(r) || r == Arith.alignUp(c.addr, c.mm().pageSize)
                || r == Arith.alignDown(c.addr, c.mm().pageSize) || c.fixed()
                || Arith.remU(r - c.offset(), c.modulus()) == 0;
    }

    /**
     * Room: where the search of {@code len + 2 * mask} bytes without va_align succeeds, the
     * va_align search of {@code len} bytes does too, and overlaps no VMA. Twice the mask, not once:
     * {@code unmapped_area} (mm/vma.c) checks a next VMA with a start gap (a stack) against the
     * aligned start plus the padded length, so below a stack a gap of {@code len + mask} bytes can
     * be refused (found by this property: a legacy-layout space whose only room lay under the stack).
     */
    static boolean fitsWherePaddedFits(Impl impl, Case c) {
        long padded = ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(c.off.state(), c.addr,
                c.len + 2 * c.mm().vaAlignMask, c.pgoff, c.flags, 0);
        if (Arith.isErrValue(padded) || c.fixed()) {
            return true;
        }
        long r = impl.run(c);
        if (Arith.isErrValue(r)) {
            return false;
        }
        MmState m = c.mm();
        for (int i = 0; i < m.vmStart.length; i++) {
            if (Arith.ult(r, m.vmEnd[i]) && Arith.ult(m.vmStart[i], r + c.len)) {
                return false;
            }
        }
        return true;
    }

    @Provide
    static Arbitrary<Case> cases() {
        Arbitrary<MmConfig> base = Arbitraries.of(MmConfig.x86_64(), MmConfig.x86_64().withTopdown(false),
                MmConfig.forArch(Arch.X86_64_LA57.config(), true, MmConfig.DEFAULT_STACK_RLIMIT, 0x10000, 0x1000),
                MmConfig.forArch(Arch.X86_64_LA57.config(), false, MmConfig.DEFAULT_STACK_RLIMIT, 0x10000, 0x1000));
        Arbitrary<Long> upperbits = Arbitraries.of(0x2000L, 0x8000L, 0x8000L, 0x10000L, 0x200000L);
        return Combinators.combine(base, upperbits, Arbitraries.longs().between(0, Long.MAX_VALUE)).as(
                (c, up, rnd) -> c.withVaAlign(VaAlign.f15h(up, c.pageSize(), rnd & (up - c.pageSize()))))
                .flatMap(c -> Combinators.combine(Spaces.spaces(c), Spaces.hints(c), Spaces.lengths(c),
                        Spaces.pgoffs(c), Arbitraries.of(0L, 0L, 0L, MapFlags.MAP_FIXED),
                        Arbitraries.of(MapFlags.MAP_SHARED, MapFlags.MAP_PRIVATE))
                        .as((sp, addr, len, pgoff, fixed, kind) -> {
                            long p = c.pageSize();
                            long l = Arith.alignUp(len, p);
                            AddressSpace off = AddressSpace.of(c.withVaAlign(VaAlign.OFF), sp.vmas());
                            return new Case(sp, off, addr, l == 0 || Arith.ugt(l, c.taskSize()) ? p : l, pgoff,
                                    kind | fixed);
                        }));
    }

    @Property(tries = 3000)
    void fileSearchCongruent(@ForAll("cases") Case c) {
        assertTrue(congruent(MODEL, c), () -> "not congruent: " + Hex.of(MODEL.run(c)));
    }

    @Property(tries = 3000)
    void fileSearchFitsWherePaddedFits(@ForAll("cases") Case c) {
        assertTrue(fitsWherePaddedFits(MODEL, c), () -> "failed or overlaps: " + Hex.of(MODEL.run(c)));
    }

    /**
     * Anonymous memory (private, shared, THP-sized) and MAP_FIXED do not see va_align: {@code
     * __get_unmapped_area} answers as with it off.
     */
    static boolean anonymousAndFixedUnaffected(java.util.function.BiFunction<AddressSpace, MmapRequest, Long> doMmap,
            Case c) {
        MmapRequest anon = MmapRequest.anon(c.addr, c.len, c.flags | MapFlags.MAP_ANONYMOUS);
        if (doMmap.apply(c.on, anon) != Mmap.getUnmappedArea(c.off, anon).value()) {
            return false;
        }
        MmapRequest fixedFile = MmapRequest.file(FileKind.PLAIN_FILE, c.addr, c.len, c.pgoff & 0xffff,
                c.flags | MapFlags.MAP_FIXED);
        return doMmap.apply(c.on, fixedFile) == Mmap.getUnmappedArea(c.off, fixedFile).value();
    }

    @Property(tries = 2000)
    void anonymousAndFixedUnaffected(@ForAll("cases") Case c) {
        assertTrue(anonymousAndFixedUnaffected((as, r) -> Mmap.getUnmappedArea(as, r).value(), c));
    }

    /** {@code __get_unmapped_area} on {@code mm} answers as on the space without va_align, for every file kind. */
    static boolean sameAsOff(MmState mm, Case c) {
        for (FileKind k : new FileKind[] {FileKind.ANON, FileKind.THP_FILE, FileKind.PLAIN_FILE, FileKind.SHMEM,
                FileKind.DEV_ZERO}) {
            long pgoff = k == FileKind.ANON ? 0 : c.pgoff & 0xffff;
            long flags = k == FileKind.ANON ? c.flags | MapFlags.MAP_ANONYMOUS : c.flags;
            if (GetUnmappedArea.getUnmappedArea(mm, k.core(), c.addr, c.len, pgoff, flags)
                    != GetUnmappedArea.getUnmappedArea(c.off.state(), k.core(), c.addr, c.len, pgoff, flags)) {
                return false;
            }
        }
        return true;
    }

    /** Off: the mask given but not enabled for a 64-bit task, or no PF_RANDOMIZE: every file kind as today. */
    @Property(tries = 2000)
    void offIsToday(@ForAll("cases") Case c, @ForAll("disabled") VaAlign disabled) {
        AddressSpace d = AddressSpace.of(c.off.config().withVaAlign(disabled), c.off.vmas());
        assertEquals(0, d.state().vaAlignMask);
        assertTrue(sameAsOff(d.state(), c));
        MmapRequest r = MmapRequest.file(FileKind.PLAIN_FILE, c.addr, c.len, c.pgoff & 0xffff, c.flags);
        assertEquals(Mmap.doMmap(c.off, r), Mmap.doMmap(d, r));
    }

    /** Seeded bug: {@code va_align.mask} taken whatever {@code align_va_addr=} and PF_RANDOMIZE say. */
    @Test
    void offRejectsFlagsIgnored() {
        VaAlign[] disabled = {new VaAlign(0x7000, 0x3000, VaAlign.ALIGN_VA_32, true),
            new VaAlign(0x7000, 0x5000, 0, true), new VaAlign(0x7000, 0x1000, VaAlign.ON, false)};
        long[] i = {0};
        rejects("va_align: align_va_addr= and PF_RANDOMIZE ignored", c -> {
            VaAlign v = disabled[(int) (i[0]++ % disabled.length)];
            MmState m = c.off.state();
            MmState wrong = new MmState(m.arch, m.pageSize, m.pmdSize, m.taskSize, m.taskSizeMax, m.defaultMapWindow,
                    m.mmapBase, m.legacyBase, m.mmapMinAddr, m.dacMmapMinAddr, m.stackGuardGap, m.topdown, m.thp,
                    m.capSysRawio, m.shmemHugeSize, v.mask(), v.bits(), m.vmStart, m.vmEnd, m.vmFlags, m.gapIndex);
            return sameAsOff(wrong, c);
        });
    }

    @Provide
    static Arbitrary<VaAlign> disabled() {
        return Arbitraries.of(new VaAlign(0x7000, 0x3000, VaAlign.ALIGN_VA_32, true),
                new VaAlign(0x7000, 0x3000, 0, true), new VaAlign(0x7000, 0x3000, VaAlign.ON, false), VaAlign.OFF);
    }

    private static void rejects(String what, Predicate<Case> property) {
        SeededVariants.rejects(what, cases(), property);
    }

    @Test
    void congruenceRejectsIgnoredBits() {
        rejects("va_align: the boot-time bits ignored", c -> congruent(BITS_IGNORED, c));
    }

    @Test
    void roomRejectsUnpaddedSearch() {
        rejects("va_align: searched unpadded, then aligned down", c -> fitsWherePaddedFits(NOT_PADDED, c));
    }

    @Test
    void anonymousRejectsVaAlignOnAnonymous() {
        // the bug: __get_unmapped_area marking anonymous searches as a file's (filp != NULL)
        rejects("va_align: applied to anonymous memory", c -> anonymousAndFixedUnaffected((as, r) ->
                GetUnmappedArea.getUnmappedArea(as.state(), r.file().core(), r.addr(), r.len(), r.pgoff(),
                        r.flags() | MapFlags.FILP), c));
    }

    /**
     * 6.18's hugetlb rule: {@code get_align_mask(filp)} gives a hugetlb file its own mask, but
     * {@code get_align_bits()} is still added to the offset, so the mapping lands {@code bits} past
     * a huge page boundary (fixed in June 2026, "arch,x86: skip setting align_offset for hugetlb
     * mappings"); with va_align off it is huge-aligned.
     */
    @Property(tries = 500)
    void hugetlbTakesTheBits6_18(@ForAll("cases") Case c) {
        long huge = c.on.config().pmdSize();
        long len = Arith.alignUp(c.len, huge);
        if (len == 0 || Arith.ugt(len, c.on.config().taskSize())) {
            return;
        }
        MmapRequest r = MmapRequest.hugetlbfs(0, len, 0, MapFlags.MAP_SHARED | MapFlags.MAP_NORESERVE, huge);
        long on = Mmap.doMmap(c.on, r).value();
        long off = Mmap.doMmap(c.off, r).value();
        if (!Arith.isErrValue(off)) {
            assertEquals(0, Arith.remU(off, huge), Hex.of(off));
        }
        if (!Arith.isErrValue(on)) {
            assertEquals(c.mm().vaAlignBits, Arith.remU(on, huge), Hex.of(on));
        }
    }

    /** The worked F15h value: upperbit 32 KiB on 4 KiB pages gives the mask 0x7000. */
    @Test
    void f15hMask() {
        assertEquals(0x7000, VaAlign.f15h(0x8000, 0x1000, 0).mask());
        assertEquals(0x3000, new VaAlign(0x7000, 0x3000, VaAlign.ON, true).effectiveBits());
        assertEquals(0, new VaAlign(0x7000, 0x3000, VaAlign.ALIGN_VA_32, true).effectiveBits());
    }

    @Test
    void badInputNamesFieldAndRule() {
        InvalidInputException bits = assertThrows(InvalidInputException.class,
                () -> new VaAlign(0x7000, 0x8000, VaAlign.ON, true));
        assertEquals("bits", bits.field());
        InvalidInputException mask = assertThrows(InvalidInputException.class,
                () -> MmConfig.x86_64().withVaAlign(new VaAlign(0x6000, 0, VaAlign.ON, true)));
        assertEquals("va_align.mask", mask.field());
        assertTrue(mask.rule().contains("upperbit"), mask.rule());
        InvalidInputException arch = assertThrows(InvalidInputException.class,
                () -> MmConfig.forArch(Arch.ARM64_4K.config(), true).withVaAlign(VaAlign.f15h(0x8000, 0x1000, 0)));
        assertEquals("va_align", arch.field());
        assertThrows(InvalidInputException.class, () -> new VaAlign(0x7000, 0, 4, true));
    }
}
