package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link VmaRanges}: sequences of mmaps (MAP_FIXED included) and munmaps over a window of 48
 * pages keep the list valid as {@link AddressSpace} requires and equal to a page-by-page
 * reference; a seeded wrong munmap (the right edge not split) is rejected by the same statement.
 */
class VmaRangesProperties {
    static final long PAGE = 4096;
    static final int PAGES = 48;
    /** The window's first page: at 0, and just below x86_64's TASK_SIZE (u64 order near the top). */
    static final long[] BASES = {0, 0x7ffffffff000L - PAGES * PAGE};

    /** One edit: map (with flags, replacing what it overlaps) or unmap pages {@code [first, first + n)}. */
    record Op(boolean map, int first, int n, ImmutableSet<VmaFlag> flags) {
        @Override
        public String toString() {
            return (map ? "map " : "unmap ") + first + "+" + n + (map && !flags.isEmpty() ? " " + flags : "");
        }
    }

    record Case(long base, List<Op> ops) {
    }

    /** How a list is unmapped: the model's {@link VmaRanges#remove}, or a seeded wrong variant. */
    interface Remove {
        List<Vma> remove(List<Vma> vmas, long start, long end);
    }

    static final Remove MODEL = VmaRanges::remove;

    @Provide
    static Arbitrary<Case> cases() {
        Arbitrary<ImmutableSet<VmaFlag>> flags = Arbitraries.of(ImmutableSet.<VmaFlag>of(), ImmutableSet.of(),
                ImmutableSet.of(VmaFlag.GROWSDOWN), ImmutableSet.of(VmaFlag.GROWSUP),
                ImmutableSet.of(VmaFlag.SHADOW_STACK));
        Arbitrary<Op> op = Combinators.combine(Arbitraries.of(true, true, false), Arbitraries.integers().between(0,
                PAGES - 1), Arbitraries.integers().between(1, 12), flags)
                .as((map, first, n, f) -> new Op(map, first, Math.min(n, PAGES - first), f));
        return Combinators.combine(Arbitraries.of(BASES[0], BASES[1]), op.list().ofMinSize(1).ofMaxSize(24))
                .as(Case::new);
    }

    /**
     * Null if every prefix of the case's edits leaves a valid list equal to the reference (page
     * {@code p} owned by the last map covering it and unmapped since, each map a VMA of its own,
     * split only where later edits cut it), else what went wrong.
     */
    static String firstMismatch(Remove impl, Case c) {
        List<Vma> vmas = ImmutableList.of();
        int[] owner = new int[PAGES]; // 0: unmapped; else the index + 1 of the op that mapped it
        for (int k = 0; k < c.ops().size(); k++) {
            Op op = c.ops().get(k);
            long start = c.base() + op.first() * PAGE;
            long end = start + op.n() * PAGE;
            List<Vma> rest = impl.remove(vmas, start, end);
            vmas = op.map() ? VmaRanges.add(rest, new Vma(start, end, op.flags())) : rest;
            for (int p = op.first(); p < op.first() + op.n(); p++) {
                owner[p] = op.map() ? k + 1 : 0;
            }
            String bad = invalid(MmConfig.x86_64(), vmas);
            if (bad == null) {
                List<Vma> expected = reference(c, owner);
                bad = expected.equals(vmas) ? null : "expected " + expected;
            }
            if (bad != null) {
                return "after " + c.ops().subList(0, k + 1) + ": " + vmas + ": " + bad;
            }
        }
        return null;
    }

    /** The VMAs the reference holds: each maximal run of pages mapped by the same op. */
    private static List<Vma> reference(Case c, int[] owner) {
        List<Vma> out = new ArrayList<>();
        for (int p = 0; p < PAGES; ) {
            int q = p + 1;
            while (q < PAGES && owner[q] == owner[p]) {
                q++;
            }
            if (owner[p] != 0) {
                out.add(new Vma(c.base() + p * PAGE, c.base() + q * PAGE, c.ops().get(owner[p] - 1).flags()));
            }
            p = q;
        }
        return out;
    }

    /** What {@link AddressSpace} requires (sorted, disjoint, below task_size_max), and page alignment. */
    static String invalid(MmConfig c, List<Vma> vmas) {
        long page = c.pageSize();
        for (int i = 0; i < vmas.size(); i++) {
            Vma v = vmas.get(i);
            if (v.start() % page != 0 || v.end() % page != 0) {
                return "vmas[" + i + "] " + v + " is not page-aligned";
            }
            if (i > 0 && Long.compareUnsigned(vmas.get(i - 1).end(), v.start()) > 0) {
                return "vmas[" + i + "] " + v + " starts below the end of vmas[" + (i - 1) + "]";
            }
        }
        try {
            AddressSpace.of(c, vmas);
        } catch (InvalidInputException e) {
            return "AddressSpace refuses it: " + e.getMessage();
        }
        return null;
    }

    @Property(tries = 3000)
    void editsKeepTheListValidAndEqualToTheReference(@ForAll("cases") Case c) {
        assertNull(firstMismatch(MODEL, c));
    }

    /** The right edge not split: a VMA across {@code end} is kept whole, as if it lay outside. */
    static List<Vma> removeWithoutRightSplit(List<Vma> vmas, long start, long end) {
        List<Vma> out = new ArrayList<>();
        for (Vma v : vmas) {
            boolean inside = Long.compareUnsigned(v.start(), start) >= 0 && Long.compareUnsigned(v.end(), end) <= 0;
            boolean acrossStart = Long.compareUnsigned(v.start(), start) < 0 && Long.compareUnsigned(v.end(), start) > 0;
            if (acrossStart) {
                out.add(new Vma(v.start(), start, v.flags()));
            } else if (!inside) {
                out.add(v);
            }
        }
        return out;
    }

    @Test
    void rejectsMunmapThatForgetsTheRightEdge() {
        long[] n = {0};
        String[] found = {null};
        boolean rejected = cases().sampleStream().limit(2_000).anyMatch(c -> {
            n[0]++;
            found[0] = firstMismatch(VmaRangesProperties::removeWithoutRightSplit, c);
            return found[0] != null;
        });
        System.out.printf("seeded bug munmap without the right split %s after %d cases (%s)%n",
                rejected ? "rejected" : "NOT rejected", n[0], found[0]);
        assertTrue(rejected, "the property did not reject a munmap that forgets to split the right edge");
    }

    @Test
    void removeOfAHoleReturnsTheSameVmas() {
        ImmutableList<Vma> vmas = ImmutableList.of(Vma.of(0x1000, 0x3000), Vma.of(0x8000, 0x9000));
        assertSame(vmas, VmaRanges.remove(vmas, 0x3000, 0x8000));
    }

    @Test
    void removeInsideOneVmaSplitsItInTwoWithItsFlags() {
        List<Vma> vmas = List.of(Vma.of(0x10000, 0x20000, VmaFlag.GROWSDOWN));
        assertEquals(List.of(Vma.of(0x10000, 0x14000, VmaFlag.GROWSDOWN), Vma.of(0x15000, 0x20000, VmaFlag.GROWSDOWN)),
                VmaRanges.remove(vmas, 0x14000, 0x15000));
    }
}
