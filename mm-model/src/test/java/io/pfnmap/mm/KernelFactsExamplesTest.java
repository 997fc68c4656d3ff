package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pfnmap.arch.Arch;
import io.pfnmap.mm.core.MapFlags;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Worked examples from kernel-facts part 1, each with the value the kernel gives. */
class KernelFactsExamplesTest {
    private static final long PMD = 2L << 20;
    private static final MmConfig X86 = MmConfig.x86_64();
    private static final AddressSpace EMPTY = AddressSpace.of(X86, List.of());
    private static final long ANON = MapFlags.MAP_PRIVATE;

    private static String mmap(AddressSpace as, MmapRequest r) {
        return Mmap.doMmap(as, r).describe();
    }

    @Test
    void layoutConstantsOfTheseMachines() {
        assertEquals(0x7ffff7fff000L, X86.mmapBase());
        assertEquals(0x2aaaaaaab000L, X86.legacyBase());
        assertEquals(0x7ffffffff000L, X86.taskSize());
        MmConfig la57 = MmConfig.forArch(Arch.X86_64_LA57.config(), true, MmConfig.DEFAULT_STACK_RLIMIT, 0x10000, 0x1000);
        assertEquals((1L << 56) - 4096, la57.taskSize());
        assertEquals(0x7ffff7fff000L, la57.mmapBase());
        MmConfig arm = MmConfig.forArch(Arch.ARM64_4K.config(), true, MmConfig.DEFAULT_STACK_RLIMIT, 0x8000, 0x1000);
        assertEquals((1L << 48) - (128L << 20), arm.mmapBase());
        assertEquals(1L << 46, arm.legacyBase());
    }

    @Test
    void argumentChecks() {
        assertEquals("EINVAL", mmap(EMPTY, MmapRequest.anon(0, 0, ANON)));
        assertEquals("ENOMEM", mmap(EMPTY, MmapRequest.anon(0, -1L, ANON)), "PAGE_ALIGN wraps to 0");
        assertEquals("ENOMEM", mmap(EMPTY, MmapRequest.anon(0, X86.taskSize() + 1, ANON)));
        assertEquals("EOVERFLOW", mmap(EMPTY, MmapRequest.file(FileKind.THP_FILE, 0, 0x2000, -1L, MapFlags.MAP_SHARED)));
        // file_mmap_ok: pgoff above (MAX_LFS_FILESIZE - len) >> PAGE_SHIFT
        assertEquals("EOVERFLOW", mmap(EMPTY, MmapRequest.file(FileKind.THP_FILE, 0, 0x1000, 0x7ffffffffffffL,
                MapFlags.MAP_SHARED)));
        assertEquals("0x7ffff7ffe000", mmap(EMPTY, MmapRequest.file(FileKind.THP_FILE, 0, 0x1000, 0x7fffffffffffeL,
                MapFlags.MAP_SHARED)));
    }

    @Test
    void hintsBelowMinAddrAreRaised() {
        assertEquals("0x10000", mmap(EMPTY, MmapRequest.anon(0x1000, 0x1000, ANON)));
        assertEquals("0x10000", mmap(EMPTY, MmapRequest.anon(0xffff, 0x1000, ANON)));
    }

    @Test
    void fixedAddressesInTheErrorRangeComeBackAsErrors() {
        assertEquals("EPERM", mmap(EMPTY, MmapRequest.anon(-1L, 0x1000, ANON | MapFlags.MAP_FIXED_NOREPLACE)));
        assertEquals("ENOMEM", mmap(EMPTY, MmapRequest.anon(-12L, 0x1000, ANON | MapFlags.MAP_FIXED)));
        assertEquals("EINVAL", mmap(EMPTY, MmapRequest.anon(0x10001, 0x1000, ANON | MapFlags.MAP_FIXED)));
        AddressSpace one = AddressSpace.of(X86, List.of(Vma.of(0x400000, 0x401000)));
        assertEquals("EEXIST", mmap(one, MmapRequest.anon(0x3ff000, 0x2000, ANON | MapFlags.MAP_FIXED_NOREPLACE)));
        assertEquals("0x3ff000", mmap(one, MmapRequest.anon(0x3ff000, 0x2000, ANON | MapFlags.MAP_FIXED)));
    }

    @Test
    void anonymousPmdMultipleIsAlignedTopdownKeepingThePaddingBelow() {
        // len_pad = 4 MiB below mmap_base: ret = 0x7ffff7bff000, off_sub = 0x1000 -> 0x7ffff7c00000
        assertEquals("0x7ffff7c00000", mmap(EMPTY, MmapRequest.anon(0, PMD, ANON)));
        // not a PMD multiple: the plain search, flush under mmap_base
        assertEquals("0x7ffff7ffd000", mmap(EMPTY, MmapRequest.anon(0, 0x2000, ANON)));
        // legacy: bottom-up from the legacy base, rounded up to 2 MiB
        AddressSpace legacy = AddressSpace.of(X86.withTopdown(false), List.of());
        assertEquals("0x2aaaaac00000", mmap(legacy, MmapRequest.anon(0, PMD, ANON)));
        // ret = 0x7ffff7600000 is already aligned: it moves up one leaf, keeping the padding below (TOPDOWN_PAD_KEPT)
        AddressSpace below = AddressSpace.of(X86, List.of(Vma.of(0x7ffff7a00000L, 0x7ffff7fff000L)));
        assertEquals("0x7ffff7800000", mmap(below, MmapRequest.anon(0, PMD, ANON)));
    }

    @Test
    void fileMappingsArePgoffCongruent() {
        // pgoff 1: the range [4 KiB, 4 MiB + 4 KiB) covers the 2 MiB block [2 MiB, 4 MiB)
        String r = mmap(EMPTY, MmapRequest.file(FileKind.THP_FILE, 0, 4L << 20, 1, MapFlags.MAP_SHARED));
        assertEquals(0x1000, (Long.decode(r) - 0x1000) % PMD == 0 ? 0x1000 : -1);
        // 2 MiB at pgoff 1 covers no whole block: the plain search
        assertEquals("0x7ffff7dff000", mmap(EMPTY, MmapRequest.file(FileKind.THP_FILE, 0, PMD, 1, MapFlags.MAP_SHARED)));
    }

    @Test
    void offsetNearTheTopStillAlignsOnArm64With16kPages() {
        // kernel-facts: off = 2^63 - 8 MiB, len < 8 MiB came back congruent to 32 MiB (live, arm64 16K)
        MmConfig a16 = MmConfig.forArch(Arch.ARM64_16K.config(), true, MmConfig.DEFAULT_STACK_RLIMIT, 0x8000, 0x1000);
        AddressSpace as = AddressSpace.of(a16, List.of());
        long off = Long.MAX_VALUE - (8L << 20) + 1;
        long pgoff = off / (16 * 1024);
        long len = 4L << 20;
        long r = Long.decode(mmap(as, MmapRequest.file(FileKind.THP_FILE, 0, len, pgoff, MapFlags.MAP_SHARED)));
        assertEquals(0, Long.remainderUnsigned(r - off, 32L << 20));
    }

    @Test
    void hintTakenAndRefused() {
        AddressSpace one = AddressSpace.of(X86, List.of(Vma.of(0x400000, 0x500000)));
        assertEquals("0x500000", mmap(one, MmapRequest.anon(0x500000, 0x1000, ANON)));
        // overlapping hint: refused, top-down search instead
        assertEquals("0x7ffff7ffe000", mmap(one, MmapRequest.anon(0x4ff000, 0x1000, ANON)));
        // a stack's guard gap (1 MiB) refuses a hint just below it
        AddressSpace stack = AddressSpace.of(X86, List.of(Vma.of(0x7ffffffde000L, 0x7ffffffff000L, VmaFlag.GROWSDOWN)));
        assertEquals("0x7ffff7ffe000", mmap(stack, MmapRequest.anon(0x7ffffffdd000L, 0x1000, ANON)));
        assertEquals("0x7fffffedd000", mmap(stack, MmapRequest.anon(0x7fffffedd000L, 0x1000, ANON)));
    }

    @Test
    void thpFileHookRefusesAHintThatIsFreeOnlyWithoutPadding() {
        // [0x10000, 0x410000) is free but [0x10000, 0x10000 + 4 MiB + 2 MiB) is not: the padded
        // search goes top-down and the result is aligned elsewhere, not the hint.
        AddressSpace as = AddressSpace.of(X86, List.of(Vma.of(0x410000, 0x411000)));
        assertEquals("0x10000", mmap(as, MmapRequest.anon(0x10000, 4L << 20, ANON)));
        assertEquals("0x10000", mmap(as, MmapRequest.file(FileKind.PLAIN_FILE, 0x10000, 4L << 20, 0, MapFlags.MAP_SHARED)));
        assertEquals("0x7ffff7a00000", mmap(as, MmapRequest.file(FileKind.THP_FILE, 0x10000, 4L << 20, 0, MapFlags.MAP_SHARED)));
    }

    @Test
    void topdownRetryBelowALowStackWraps() {
        // A stack at [0x20000, 0x30000): vm_start_gap underflows to 0, the retry sets high_limit 0,
        // and the window [low, 2^64 - 1] finds the top of the address space.
        AddressSpace as = AddressSpace.of(X86, List.of(Vma.of(0x20000, 0x30000, VmaFlag.GROWSDOWN)));
        assertEquals("0xfffffffffffff000", Mmap.vmUnmappedArea(as, true, 0x1000, 0x10000, 0x20000, 0, 0, 0).describe());
        // do_mmap's own checks catch it: the mapping fails rather than landing there
        AddressSpace full = AddressSpace.of(X86, List.of(Vma.of(0x20000, 0x7ffff7fff000L, VmaFlag.GROWSDOWN)));
        assertEquals("ENOMEM", mmap(full, MmapRequest.anon(0, 0x1000, ANON)));
    }

    @Test
    void hugetlbMaskPadsByItselfNotByTheWidenedMask() {
        // Issue 25's case: VMAs [0x10000000, 0x10001000) and [0x10400000, 0x10401000), a bottom-up
        // search of 2 MiB from 0x10001000. hugetlbfs' mask 0x1ff000 pads the length to 0x3ff000,
        // which fits the hole exactly, and aligns to 0x10200000; the widened 0x1fffff does not fit.
        AddressSpace as = AddressSpace.of(X86, List.of(Vma.of(0x10000000L, 0x10001000L), Vma.of(0x10400000L, 0x10401000L)));
        long high = X86.taskSize();
        assertEquals("0x10200000", Mmap.vmUnmappedArea(as, false, 0x200000, 0x10001000L, high, 0x1ff000L, 0, 0).describe());
        assertEquals("0x10600000", Mmap.vmUnmappedArea(as, false, 0x200000, 0x10001000L, high, 0x1fffffL, 0, 0).describe());
        // top-down below the second VMA: the highest 2 MiB-aligned start that fits
        assertEquals("0x10200000", Mmap.vmUnmappedArea(as, true, 0x200000, 0x10001000L, 0x10400000L, 0x1ff000L, 0, 0).describe());
        // a mask the kernel never passes is refused, naming the field
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Mmap.vmUnmappedArea(as, false, 0x200000, 0x10001000L, high, 0x1fe000L, 0, 0));
        assertEquals("align_mask", e.field());
    }
}
