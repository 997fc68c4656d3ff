package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.Errno;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link SpaceEdits} over the spaces and requests of {@link PlacementProperties}: a placed mmap
 * becomes one VMA and replaces exactly what it overlaps; munmap refuses what do_vmi_munmap refuses
 * (leaving the space as it was) and unmaps exactly its page-rounded range; and splitting a VMA in
 * two with the same flags (what the kernel's merging would undo) changes no placement.
 */
class SpaceEditsProperties {

    /** Bytes of {@code [start, end)} covered by the space's VMAs (exact, as a BigInteger over u64). */
    static BigInteger mapped(List<Vma> vmas, long start, long end) {
        BigInteger sum = BigInteger.ZERO;
        for (Vma v : vmas) {
            long s = Arith.ugt(v.start(), start) ? v.start() : start;
            long e = Arith.ult(v.end(), end) ? v.end() : end;
            if (Arith.ult(s, e)) {
                sum = sum.add(BigInteger.valueOf(e - s));
            }
        }
        return sum;
    }

    static BigInteger mapped(List<Vma> vmas) {
        return mapped(vmas, 0, -1L); // no VMA reaches the last byte: every one ends at or below task_size_max
    }

    @Provide
    static Arbitrary<long[]> munmaps() {
        return Spaces.configs().flatMap(c -> Combinators.combine(Spaces.hints(c), Spaces.lengths(c))
                .as((a, l) -> new long[] {a, l}));
    }

    @Property(tries = 3000)
    void aPlacedMmapBecomesOneVmaAndReplacesWhatItOverlaps(@ForAll("cases") PlacementProperties.Case c) {
        AddressSpace as = c.space();
        Placement p = Mmap.doMmap(as, new MmapRequest(c.addr(), c.len(), c.pgoff(), c.flags(), c.file()));
        if (p.isError()) {
            return;
        }
        long start = p.address();
        long end = start + c.pageLen();
        AddressSpace after = SpaceEdits.mapped(as, start, c.len());
        assertNull(VmaRangesProperties.invalid(as.config(), after.vmas()));
        assertTrue(after.vmas().contains(Vma.of(start, end)), () -> after + " lacks " + Hex.of(start));
        assertEquals(c.pageLen(), mapped(after.vmas(), start, end).longValue());
        // outside the new range nothing changed: the bytes mapped there are the old ones
        assertEquals(mapped(as.vmas()).subtract(mapped(as.vmas(), start, end)),
                mapped(after.vmas()).subtract(BigInteger.valueOf(c.pageLen())));
    }

    @Property(tries = 3000)
    void munmapRemovesExactlyItsRangeOrRefusesAndKeepsTheSpace(@ForAll("cases") PlacementProperties.Case c,
            @ForAll("munmaps") long[] m) {
        AddressSpace as = c.space();
        long page = as.config().pageSize();
        long taskSize = as.config().taskSize();
        SpaceEdits.Unmapped u = SpaceEdits.munmap(as, m[0], m[1]);
        boolean einval = m[0] % page != 0 || Arith.ugt(m[0], taskSize) || Arith.ugt(m[1], taskSize - m[0])
                || m[1] == 0;
        if (einval) {
            assertEquals(-Errno.EINVAL, u.result().value());
            assertSame(as, u.space());
            return;
        }
        assertEquals(0, u.result().value());
        long end = m[0] + Arith.alignUp(m[1], page);
        assertNull(VmaRangesProperties.invalid(as.config(), u.space().vmas()));
        assertEquals(BigInteger.ZERO, mapped(u.space().vmas(), m[0], end));
        assertEquals(mapped(as.vmas()).subtract(mapped(as.vmas(), m[0], end)), mapped(u.space().vmas()));
        assertEquals(as.config(), u.space().config());
    }

    /** The space with VMA {@code k % n} split at a page inside it, both parts with its flags. */
    static AddressSpace split(AddressSpace as, int k) {
        List<Vma> vmas = new ArrayList<>(as.vmas());
        long page = as.config().pageSize();
        for (int i = 0; i < vmas.size(); i++) {
            Vma v = vmas.get((k + i) % vmas.size());
            long pages = (v.end() - v.start()) / page;
            if (pages >= 2) {
                long at = v.start() + (1 + Math.floorMod(k, pages - 1)) * page;
                int idx = vmas.indexOf(v);
                vmas.set(idx, new Vma(at, v.end(), v.flags()));
                vmas.add(idx, new Vma(v.start(), at, v.flags()));
                return AddressSpace.of(as.config(), vmas);
            }
        }
        return as;
    }

    /** Why sessions need not merge: no placement reads a boundary between two adjacent VMAs. */
    @Property(tries = 3000)
    void splittingAVmaChangesNoAnswer(@ForAll("cases") PlacementProperties.Case c,
            @ForAll @IntRange(min = 0, max = 1 << 20) int k) {
        MmapRequest r = new MmapRequest(c.addr(), c.len(), c.pgoff(), c.flags(), c.file());
        AddressSpace split = split(c.space(), k);
        assertEquals(Mmap.doMmap(c.space(), r), Mmap.doMmap(split, r), () -> "split " + split);
    }

    @Provide
    static Arbitrary<PlacementProperties.Case> cases() {
        return PlacementProperties.cases();
    }

    // --- do_vmi_munmap's refusals, one by one, on x86_64 (TASK_SIZE 0x7ffffffff000) ---

    static final AddressSpace SPACE = AddressSpace.of(MmConfig.x86_64(),
            ImmutableList.of(Vma.of(0x400000, 0x800000), Vma.of(0x7ffffffde000L, 0x7ffffffff000L, VmaFlag.GROWSDOWN)));

    static long munmap(long start, long len) {
        return SpaceEdits.munmap(SPACE, start, len).result().value();
    }

    @Test
    void munmapRefusesWhatTheKernelRefuses() {
        long einval = -Errno.EINVAL;
        long task = MmConfig.x86_64().taskSize();
        assertEquals(einval, munmap(0x400001, 0x1000), "start not page-aligned");
        assertEquals(einval, munmap(0x400000, 0), "len 0: end == start");
        assertEquals(einval, munmap(task + 0x1000, 0x1000), "start above TASK_SIZE");
        assertEquals(einval, munmap(task - 0x1000, 0x1001), "len past TASK_SIZE before rounding");
        assertEquals(einval, munmap(task, 0), "start at TASK_SIZE, len 0");
        assertEquals(einval, munmap(0x400000, -1L), "len of 2^64 - 1");
        assertEquals(0, munmap(task - 0x1000, 0x1000), "the last page");
        assertEquals(0, munmap(0x10000000, 0x1000), "a hole: nothing to unmap, success");
    }

    @Test
    void munmapRoundsTheLengthUpToAPageAndSplits() {
        SpaceEdits.Unmapped u = SpaceEdits.munmap(SPACE, 0x500000, 1);
        assertEquals(List.of(Vma.of(0x400000, 0x500000), Vma.of(0x501000, 0x800000),
                Vma.of(0x7ffffffde000L, 0x7ffffffff000L, VmaFlag.GROWSDOWN)), u.space().vmas());
    }

    @Test
    void aFixedMappingAcrossTwoVmasReplacesTheirOverlappedParts() {
        AddressSpace after = SpaceEdits.mapped(SPACE, 0x600000, 0x7ffffffe0000L - 0x600000 - 1);
        assertEquals(List.of(Vma.of(0x400000, 0x600000), Vma.of(0x600000, 0x7ffffffe0000L),
                Vma.of(0x7ffffffe0000L, 0x7ffffffff000L, VmaFlag.GROWSDOWN)), after.vmas());
    }
}
