package io.pfnmap.vfio.core;

import static io.pfnmap.vfio.SeededVariants.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The fault profile ({@link VfioProfile}): the counted calls equal a page-by-page walk of the
 * page tables in every touch order, and over several mappings that share page-table entries; each
 * statement rejects a seeded wrong variant ({@link #seededVariantsAreRejected}). Leaf tables are
 * scaled down (1 MiB, 64 KiB, 4 KiB stand for PUD, PMD, PTE) so that a walk stays small; the
 * model is generic over the table.
 */
class VfioProfileProperties {
    static final long[] THREE = {1L << 20, 1L << 16, 1L << 12};
    static final long[] TWO = {1L << 16, 1L << 12};
    static final long[] ONE = {1L << 12};

    /** One mapping: leaves, VMA, its region offset and BAR address, huge faults allowed, touch order. */
    record Case(long[] leaves, long vmStart, long vmEnd, long within, long barPhys, boolean huge, int order,
            long seed) {
        @Override
        public String toString() {
            return "Case[leaves=" + Arrays.toString(leaves) + ", vm=[0x" + Long.toHexString(vmStart) + ", 0x"
                    + Long.toHexString(vmEnd) + "), within=0x" + Long.toHexString(within) + ", phys=0x"
                    + Long.toHexString(barPhys) + ", huge=" + huge + ", order=" + order + ", seed=" + seed + "]";
        }
    }

    /** Counts, calls and faults of a case: {counts, calls, {faults}}. */
    interface Profiler {
        long[][] of(Case c);
    }

    @Provide
    static Arbitrary<Case> cases() {
        Arbitrary<long[]> leaves = Arbitraries.of(THREE, TWO, ONE);
        Arbitrary<Long> start = Arbitraries.longs().between(0, 1 << 9).map(p -> (1L << 32) + p * 4096);
        Arbitrary<Long> pages = Arbitraries.longs().between(1, 1 << 10);
        Arbitrary<Long> within = Arbitraries.longs().between(0, 1 << 8).map(p -> p * 4096);
        Arbitrary<Long> phys = Arbitraries.oneOf(Arbitraries.just(1L << 40),
                Arbitraries.longs().between(0, 1 << 12).map(p -> (1L << 40) + p * 4096));
        Arbitrary<Integer> order = Arbitraries.of(VfioProfile.ASCENDING, VfioProfile.DESCENDING, VfioProfile.RANDOM);
        return Combinators.combine(leaves, start, pages, within, phys, Arbitraries.of(true, true, false), order,
                Arbitraries.longs()).as((l, s, n, w, p, h, o, seed) -> new Case(l, s, s + n * 4096, w, p, h, o, seed));
    }

    static final Profiler COUNTED = c -> {
        long[] counts = VfioFault.leafCounts(c.vmStart(), c.vmEnd(), c.within(), c.barPhys(), c.leaves(), c.huge());
        long[] calls = VfioProfile.hugeFaultCalls(new long[] {c.vmStart()}, new long[] {c.vmEnd()}, c.leaves(), counts,
                c.huge());
        return new long[][] {counts, calls, {VfioProfile.faults(counts)}};
    };

    static final Profiler WALKED = c -> {
        long[] counts = new long[c.leaves().length];
        long[] calls = new long[c.leaves().length];
        long faults = VfioProfile.touch(c.vmStart(), c.vmEnd(), c.within(), c.barPhys(), c.leaves(), c.huge(), c.order(),
                c.seed(), counts, calls);
        return new long[][] {counts, calls, {faults}};
    };

    /** The counted profile equals the walked one, whatever the touch order. */
    static boolean countedEqualsWalked(Profiler counted, Profiler walked, Case c) {
        long[][] a = counted.of(c);
        long[][] b = walked.of(c);
        return Arrays.equals(a[0], b[0]) && Arrays.equals(a[1], b[1]) && a[2][0] == b[2][0];
    }

    @Property(tries = 600)
    void theCountedProfileIsTheWalkInEveryOrder(@ForAll("cases") Case c) {
        assertTrue(countedEqualsWalked(COUNTED, WALKED, c), c::toString);
    }

    /** Several mappings of one BAR in one process (sorted, disjoint), touched one after another. */
    record Areas(long[] leaves, long[] starts, long[] ends, long[] withins, long barPhys) {
        @Override
        public String toString() {
            return "Areas[leaves=" + Arrays.toString(leaves) + ", starts=" + Arrays.toString(starts) + ", ends="
                    + Arrays.toString(ends) + ", withins=" + Arrays.toString(withins) + "]";
        }
    }

    @Provide
    static Arbitrary<Areas> areas() {
        Arbitrary<long[]> leaves = Arbitraries.of(THREE, TWO);
        // each area: a gap before it (often none: neighbours share entries) and a length, in pages
        Arbitrary<long[]> area = Combinators.combine(Arbitraries.oneOf(Arbitraries.just(0L),
                Arbitraries.longs().between(0, 600)), Arbitraries.longs().between(1, 400))
                .as((gap, n) -> new long[] {gap, n});
        return Combinators.combine(leaves, area.list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.longs().between(0, 300)).as((l, list, first) -> {
                    int k = list.size();
                    long[] s = new long[k];
                    long[] e = new long[k];
                    long[] w = new long[k];
                    long at = (1L << 32) + first * 4096;
                    long off = 0;
                    for (int i = 0; i < k; i++) {
                        at += list.get(i)[0] * 4096;
                        s[i] = at;
                        e[i] = at + list.get(i)[1] * 4096;
                        w[i] = off;
                        off += (e[i] - s[i]) + 4096; // the next area starts a page further in the BAR
                        at = e[i];
                    }
                    return new Areas(l, s, e, w, 1L << 40);
                });
    }

    /** The areas' calls: the model's count over all of them, with the leaves summed. */
    interface AreaCalls {
        long[] of(Areas a, long[] counts);
    }

    static final AreaCalls COUNTED_AREAS = (a, counts) -> VfioProfile.hugeFaultCalls(a.starts(), a.ends(), a.leaves(),
            counts, true);

    /** Reference: a walk of the areas in order, ascending, over page tables the areas share. */
    static long[] walkAreas(Areas a, long[] countsOut) {
        long[] leaves = a.leaves();
        int last = leaves.length - 1;
        long[] calls = new long[leaves.length];
        List<Map<Long, Integer>> state = new ArrayList<>();
        for (int i = 0; i < last; i++) {
            state.add(new HashMap<>());
        }
        Map<Long, Boolean> ptes = new HashMap<>();
        for (int k = 0; k < a.starts().length; k++) {
            for (long p = a.starts()[k]; p < a.ends()[k]; p += leaves[last]) {
                boolean mapped = ptes.containsKey(p);
                for (int i = 0; i < last; i++) {
                    mapped |= state.get(i).getOrDefault(p / leaves[i], 0) == 2;
                }
                if (mapped) {
                    continue;
                }
                boolean done = false;
                for (int i = 0; i < last && !done; i++) {
                    if (state.get(i).getOrDefault(p / leaves[i], 0) == 0) {
                        calls[i]++;
                        if (VfioFault.leafFits(a.starts()[k], a.ends()[k], a.withins()[k], a.barPhys(), p, leaves[i])) {
                            state.get(i).put(p / leaves[i], 2);
                            countsOut[i]++;
                            done = true;
                        } else {
                            state.get(i).put(p / leaves[i], 1);
                        }
                    }
                }
                if (!done) {
                    calls[last]++;
                    countsOut[last]++;
                    ptes.put(p, true);
                }
            }
        }
        return calls;
    }

    static boolean areasAgree(AreaCalls f, Areas a) {
        long[] walkedCounts = new long[a.leaves().length];
        long[] walked = walkAreas(a, walkedCounts);
        long[] counts = new long[a.leaves().length];
        for (int k = 0; k < a.starts().length; k++) {
            long[] c = VfioFault.leafCounts(a.starts()[k], a.ends()[k], a.withins()[k], a.barPhys(), a.leaves(), true);
            for (int i = 0; i < c.length; i++) {
                counts[i] += c[i];
            }
        }
        return Arrays.equals(counts, walkedCounts) && Arrays.equals(f.of(a, counts), walked);
    }

    @Property(tries = 400)
    void areasOfOneProcessShareTheirEntries(@ForAll("areas") Areas a) {
        assertTrue(areasAgree(COUNTED_AREAS, a), a::toString);
    }

    /**
     * One mapping's calls in a process whose page tables hold {@code populated} (leaf sizes
     * descending): the model's {@link VfioProfile#hugeFaultCallsIn}, or a wrong variant.
     */
    interface CallsIn {
        long[] of(long start, long end, long[] leaves, long[] counts, long[][] populated);
    }

    static final CallsIn COUNTED_IN = (s, e, l, c, pop) -> VfioProfile.hugeFaultCallsIn(s, e, l, c, true, pop);

    /**
     * A session: the areas mapped one after another into one process, each profiled in the page
     * tables the ones before it left ({@link VfioProfile#populate} after each); the calls summed
     * equal the walk of all of them over shared page tables, and each area's own count equals its
     * walk ({@link VfioProfile#touchIn}) from those tables.
     */
    static boolean sessionAgrees(CallsIn f, Areas a) {
        long[] leaves = a.leaves();
        long[][] pop = new long[leaves.length][0];
        long[] total = new long[leaves.length];
        for (int k = 0; k < a.starts().length; k++) {
            long[] counts = VfioFault.leafCounts(a.starts()[k], a.ends()[k], a.withins()[k], a.barPhys(), leaves, true);
            long[] calls = f.of(a.starts()[k], a.ends()[k], leaves, counts, pop);
            long[] wc = new long[leaves.length];
            long[] wcalls = new long[leaves.length];
            VfioProfile.touchIn(a.starts()[k], a.ends()[k], a.withins()[k], a.barPhys(), leaves, true,
                    VfioProfile.DESCENDING, 0, wc, wcalls, pop);
            if (!Arrays.equals(calls, wcalls) || !Arrays.equals(counts, wc)) {
                return false;
            }
            for (int i = 0; i < leaves.length; i++) {
                total[i] += calls[i];
                pop[i] = i == leaves.length - 1 ? pop[i] : VfioProfile.populate(pop[i], a.starts()[k], a.ends()[k],
                        leaves[i]);
            }
        }
        return Arrays.equals(total, walkAreas(a, new long[leaves.length]));
    }

    @Property(tries = 400)
    void aSessionsAreasShareEntriesAcrossMappings(@ForAll("areas") Areas a) {
        assertTrue(sessionAgrees(COUNTED_IN, a), a::toString);
    }

    /** munmap's freeing at one level, a block at a time: freed iff it meets the range and lies in [floor, ceiling). */
    record Unmap(long[] pairs, long start, long end, long floor, long ceiling, long size) {
        @Override
        public String toString() {
            return "Unmap[pairs=" + Arrays.toString(pairs) + ", [0x" + Long.toHexString(start) + ", 0x"
                    + Long.toHexString(end) + "), floor=0x" + Long.toHexString(floor) + ", ceiling=0x"
                    + Long.toHexString(ceiling) + ", size=0x" + Long.toHexString(size) + "]";
        }
    }

    @Provide
    static Arbitrary<Unmap> unmaps() {
        long size = 1L << 16;
        long base = 1L << 32;
        Arbitrary<long[]> pairs = Arbitraries.longs().between(0, 40).list().ofMaxSize(8).map(bs -> {
            long[][] pop = {new long[0]};
            for (long b : bs) {
                pop[0] = VfioProfile.populate(pop[0], base + b * size, base + (b + 1) * size, size);
            }
            return pop[0];
        });
        // the hole [floor, ceiling) around the unmapped range, in pages
        return Combinators.combine(pairs, Arbitraries.longs().between(0, 300), Arbitraries.longs().between(1, 300),
                Arbitraries.longs().between(0, 100), Arbitraries.longs().between(0, 100), Arbitraries.of(true, false))
                .as((p, s, n, below, above, last) -> {
                    long start = base + s * 4096;
                    long end = start + n * 4096;
                    long floor = Math.max(0, start - below * 4096);
                    return new Unmap(p, start, end, floor, last ? 0 : end + above * 4096, size);
                });
    }

    interface Free {
        long[] of(Unmap u);
    }

    static final Free FREE = u -> VfioProfile.freePgtables(u.pairs(), u.start(), u.end(), u.floor(), u.ceiling(),
            u.size());

    static boolean freesBlockByBlock(Free f, Unmap u) {
        long[] after = f.of(u);
        long size = u.size();
        for (long b = (1L << 32) - 4 * size; b < (1L << 32) + 80 * size; b += size) {
            boolean before = VfioProfile.populatedBlocks(u.pairs(), b, b + size, size) != 0;
            boolean meets = b < u.end() && b + size > u.start();
            boolean within = b >= u.floor() && (u.ceiling() == 0 || b + size <= u.ceiling());
            boolean want = before && !(meets && within);
            if (want != (VfioProfile.populatedBlocks(after, b, b + size, size) != 0)) {
                return false;
            }
        }
        return true;
    }

    @Property(tries = 600)
    void munmapFreesTheTablesWithinTheHole(@ForAll("unmaps") Unmap u) {
        assertTrue(freesBlockByBlock(FREE, u), u::toString);
    }

    @Test
    void sessionVariantsAreRejected() {
        // each area profiled on empty page tables (what "profile" did before sessions kept them)
        rejects("session areas profiled on empty tables", areas(), a -> sessionAgrees(
                (s, e, l, c, pop) -> VfioProfile.hugeFaultCalls(new long[] {s}, new long[] {e}, l, c, true), a));
        // munmap freeing every table the range meets, neighbours or not
        rejects("munmap frees the neighbours' tables", unmaps(), u -> freesBlockByBlock(x -> VfioProfile
                .freePgtables(x.pairs(), x.start(), x.end(), 0, 0, x.size()), u));
    }

    @Test
    void aTwoGigBarTouchedInAnyOrderOnX86() {
        long[] x86 = {1L << 30, 1L << 21, 1L << 12};
        long phys = 1L << 40;
        long pud = 0x7f0000000000L;
        for (int order : new int[] {VfioProfile.ASCENDING, VfioProfile.DESCENDING, VfioProfile.RANDOM}) {
            // one page off a PMD boundary: the pfn is never aligned, every fault a PTE
            Case off = new Case(x86, pud + 4096, pud + 4096 + (2L << 30), 0, phys, true, order, 7);
            long[][] w = WALKED.of(off);
            assertEquals(524_288L, w[2][0]);
            assertArrayEquals(COUNTED.of(off)[1], w[1]);
            // PUD-aligned: two PUD leaves, two calls
            Case aligned = new Case(x86, pud, pud + (2L << 30), 0, phys, true, order, 7);
            assertArrayEquals(new long[] {2, 0, 0}, WALKED.of(aligned)[0]);
            assertArrayEquals(new long[] {2, 0, 0}, WALKED.of(aligned)[1]);
        }
    }

    @Test
    void seededVariantsAreRejected() {
        // counting PMD calls inside PUD leaves (forgetting that a larger leaf's blocks are never reached)
        rejects("calls counted inside larger leaves", cases(), c -> countedEqualsWalked(x -> {
            long[][] r = COUNTED.of(x);
            for (int i = 0; i < x.leaves().length - 1 && x.huge(); i++) {
                r[1][i] = VfioProfile.blocks(x.vmStart(), x.vmEnd(), x.leaves()[i]);
            }
            return r;
        }, WALKED, c));
        // a handler offered at every fault, as if the entries were none each time
        rejects("huge fault offered at every fault", cases(), c -> countedEqualsWalked(COUNTED, x -> {
            long[][] r = WALKED.of(x);
            for (int i = 0; i < x.leaves().length - 1 && x.huge(); i++) {
                long below = 0;
                for (int j = i + 1; j < x.leaves().length; j++) {
                    below += r[0][j];
                }
                r[1][i] = r[0][i] + below;
            }
            return r;
        }, c));
        // several areas counted one by one, as if no two shared an entry
        rejects("areas counted apart (shared entries twice)", areas(), a -> areasAgree((x, counts) -> {
            long[] sum = new long[x.leaves().length];
            for (int k = 0; k < x.starts().length; k++) {
                long[] c = VfioFault.leafCounts(x.starts()[k], x.ends()[k], x.withins()[k], x.barPhys(), x.leaves(), true);
                long[] calls = VfioProfile.hugeFaultCalls(new long[] {x.starts()[k]}, new long[] {x.ends()[k]},
                        x.leaves(), c, true);
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += calls[i];
                }
            }
            return sum;
        }, a));
    }
}
