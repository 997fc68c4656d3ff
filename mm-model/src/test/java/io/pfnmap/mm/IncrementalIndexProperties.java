package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.common.collect.ImmutableSet;
import io.pfnmap.mm.core.GapIndex;
import io.pfnmap.mm.core.MmState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * A session's edits ({@link SpaceEdits}) derive the new space from the old one, the gap index
 * updated from the first changed gap ({@link GapIndex#masUpdateGaps}) instead of rebuilt: after
 * every edit of a random sequence (applied mmaps over and between VMAs, munmaps of ranges that
 * split, swallow or miss VMAs, counts crossing powers of two) the space is the one built afresh
 * from the specification's list ({@link VmaRanges#insert}/{@link VmaRanges#remove}): the same
 * VMAs, arrays and index, over spaces of up to 65,530 VMAs. The same statement over the arrays
 * alone rejects three seeded wrong updates.
 */
class IncrementalIndexProperties {

    /** A space of {@code n} VMAs from {@code seed}, then {@code edits} edits. */
    record Case(int n, long seed, int edits) {
    }

    @Provide
    static Arbitrary<Case> cases() {
        Arbitrary<Integer> n = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.integers().between(0, 9)),
                Tuple.of(6, Arbitraries.integers().between(10, 300)),
                Tuple.of(2, Arbitraries.of(31, 32, 63, 64, 127, 1023)),
                Tuple.of(1, Arbitraries.of(16384, 65530)));
        return Combinators.combine(n, Arbitraries.longs(), Arbitraries.integers().between(1, 40)).as(Case::new);
    }

    static final long PAGE = 4096;

    /** Page-aligned VMAs (growsdown now and then) with holes of 0 to a few pages or far larger, below 2^46. */
    static AddressSpace space(Case c, Random r) {
        MmConfig config = MmConfig.x86_64();
        List<Vma> v = new ArrayList<>();
        long p = PAGE * (1 + r.nextInt(1 << 20));
        for (int i = 0; i < c.n(); i++) {
            long end = p + PAGE * (1 + r.nextInt(8));
            v.add(r.nextInt(50) == 0 ? Vma.of(p, end, VmaFlag.GROWSDOWN) : Vma.of(p, end));
            p = end + PAGE * (r.nextInt(3) == 0 ? 0 : r.nextInt(4) == 0 ? r.nextInt(1 << 16) : 1 + r.nextInt(4));
        }
        return AddressSpace.of(config, v);
    }

    /** A range worth editing: at or around a VMA's edges, a few pages or many VMAs wide, or anywhere. */
    static long[] range(AddressSpace as, Random r) {
        List<Vma> v = as.vmas();
        long start;
        if (v.isEmpty() || r.nextInt(6) == 0) {
            start = PAGE * (1 + r.nextInt(1 << 22));
        } else {
            Vma a = v.get(r.nextInt(v.size()));
            start = switch (r.nextInt(4)) {
                case 0 -> a.start();
                case 1 -> a.end();
                case 2 -> a.start() + PAGE * r.nextInt((int) ((a.end() - a.start()) / PAGE));
                default -> a.start() - PAGE * (1 + r.nextInt(4));
            };
        }
        long len = PAGE * (r.nextInt(4) == 0 ? 1 + r.nextInt(1 << (1 + r.nextInt(20))) : 1 + r.nextInt(12));
        return new long[] {start, len};
    }

    /** The first edit after which the derived space differs from the one built afresh, or null. */
    static String firstMismatch(Case c) {
        Random r = new Random(c.seed());
        AddressSpace as = space(c, r);
        for (int e = 0; e < c.edits(); e++) {
            long[] g = range(as, r);
            long end = g[0] + g[1];
            boolean map = r.nextBoolean();
            AddressSpace next = map ? SpaceEdits.mapped(as, g[0], g[1]) : SpaceEdits.munmap(as, g[0], g[1]).space();
            List<Vma> spec = map ? VmaRanges.insert(as.vmas(), new Vma(g[0], end, ImmutableSet.of()))
                    : VmaRanges.remove(as.vmas(), g[0], end);
            AddressSpace fresh = AddressSpace.of(as.config(), spec);
            String what = "edit " + e + (map ? ": mmap " : ": munmap ") + Hex.of(g[0]) + "+" + Hex.of(g[1]) + " at "
                    + as.vmas().size() + " VMAs: ";
            if (!next.vmas().equals(spec)) {
                return what + "VMAs " + next.vmas() + ", the specification's " + spec;
            }
            MmState a = next.state();
            MmState b = fresh.state();
            if (!Arrays.equals(a.vmStart, b.vmStart) || !Arrays.equals(a.vmEnd, b.vmEnd)
                    || !Arrays.equals(a.vmFlags, b.vmFlags)) {
                return what + "arrays differ from the space built afresh";
            }
            if (!Arrays.equals(a.gapIndex, b.gapIndex)) {
                return what + "gap index differs from the one built afresh";
            }
            as = next;
        }
        return null;
    }

    @Property(tries = 300)
    void editsGiveTheSpaceBuiltAfresh(@ForAll("cases") Case c) {
        Statistics.label("VMAs").collect(c.n() < 10 ? "0-9" : c.n() <= 300 ? "10-300" : String.valueOf(c.n()));
        assertNull(firstMismatch(c));
    }

    /**
     * A VMA past task_size_max (a configuration whose task_size passes it, which the oracle
     * accepts) is refused by an edit with the message a space built afresh gives.
     */
    @Test
    void anEditRefusesAsTheSpaceBuiltAfresh() {
        MmConfig c = MmConfig.x86_64();
        AddressSpace as = AddressSpace.of(c, List.of(Vma.of(0x10000, 0x20000)));
        long top = c.taskSizeMax();
        String edit = null;
        String fresh = null;
        try {
            SpaceEdits.mapped(as, top - PAGE, 2 * PAGE);
        } catch (InvalidInputException e) {
            edit = e.field() + ": " + e.rule();
        }
        try {
            AddressSpace.of(c, VmaRanges.insert(as.vmas(), Vma.of(top - PAGE, top + PAGE)));
        } catch (InvalidInputException e) {
            fresh = e.field() + ": " + e.rule();
        }
        assertNotNull(fresh);
        assertEquals(fresh, edit);
    }

    /** An edit of the arrays' gaps after a splice: the model's update, or a seeded wrong one. */
    interface Update {
        void update(long[] tree, long[] start, long[] end, int from, int to);
    }

    /**
     * The arrays alone: random splices of a case's space (at random places, 0 to 3 VMAs removed
     * and 0 to 3 added, counts crossing powers of two), the index updated by {@code u} with the
     * range {@link AddressSpace#lastChangedGap} gives, and compared with the index built afresh:
     * the first difference, or null.
     */
    static String firstMismatch(Update u, Case c) {
        Random r = new Random(c.seed());
        MmState s = space(c, r).state();
        long[] start = s.vmStart;
        long[] end = s.vmEnd;
        long[] tree = GapIndex.build(start, end);
        for (int e = 0; e < c.edits(); e++) {
            int n = start.length;
            int first = r.nextInt(n + 1);
            int removed = r.nextInt(Math.min(3, n - first) + 1);
            int lo = first == 0 ? 0 : (int) (end[first - 1] / PAGE);
            int hi = first + removed == n ? lo + 64 : (int) (start[first + removed] / PAGE);
            int added = Math.min(r.nextInt(4), (hi - lo) / 2); // VMAs of one page with a page between
            int n2 = n - removed + added;
            long[] s2 = new long[n2];
            long[] e2 = new long[n2];
            System.arraycopy(start, 0, s2, 0, first);
            System.arraycopy(end, 0, e2, 0, first);
            for (int i = 0; i < added; i++) {
                s2[first + i] = (lo + 2L * i + 1) * PAGE;
                e2[first + i] = (lo + 2L * i + 2) * PAGE;
            }
            System.arraycopy(start, first + removed, s2, first + added, n - first - removed);
            System.arraycopy(end, first + removed, e2, first + added, n - first - removed);
            if (GapIndex.leafCount(n2) == tree.length / 2) {
                u.update(tree, s2, e2, first, AddressSpace.lastChangedGap(n, n2, first, added));
            } else {
                tree = GapIndex.build(s2, e2);
            }
            start = s2;
            end = e2;
            if (!Arrays.equals(tree, GapIndex.build(start, end))) {
                return "splice " + e + " at " + first + " (-" + removed + " +" + added + ") of " + n + " VMAs";
            }
        }
        return null;
    }

    static final Update MODEL = GapIndex::masUpdateGaps;

    @Property(tries = 300)
    void updatedIndexIsTheIndexBuiltAfresh(@ForAll("cases") Case c) {
        assertNull(firstMismatch(MODEL, c));
    }

    private static void rejects(String what, Update bug) {
        String found = cases().sampleStream().limit(2_000).map(c -> firstMismatch(bug, c))
                .filter(m -> m != null).findFirst().orElse(null);
        System.out.printf("seeded bug %-50s %s%n", what, found == null ? "NOT rejected" : "rejected (" + found + ")");
        assertNotNull(found, "the property did not reject the seeded bug: " + what);
    }

    @Test
    void rejectsAnUpdateThatForgetsTheMovedGaps() {
        rejects("only the gaps at the splice updated", (tree, s, e, from, to) ->
                GapIndex.masUpdateGaps(tree, s, e, from, Math.min(to, from + 3)));
    }

    @Test
    void rejectsAnUpdateWithoutTheNodesAbove() {
        rejects("leaves set, inner nodes not", (tree, s, e, from, to) -> {
            GapIndex.setLeafRange(tree, s, e, tree.length / 2, from, to);
            tree[0] = s.length;
        });
    }

    @Test
    void rejectsAnUpdateThatMissesALevelsFirstNode() {
        rejects("each level from its second node", (tree, s, e, from, to) -> {
            int m = tree.length / 2;
            GapIndex.setLeafRange(tree, s, e, m, from, to);
            for (int lo = (m + from) / 2, hi = (m + to) / 2; hi >= 1; lo /= 2, hi /= 2) {
                GapIndex.setMaxGapRange(tree, Math.max(1, lo + 1), hi);
            }
            tree[0] = s.length;
        });
    }

    @Test
    void theModelsUpdateIsExactOnTheSeededCases() {
        // the same cases the seeded bugs are rejected on pass with the model's update
        assertEquals(0L, cases().sampleStream().limit(200).map(c -> firstMismatch(MODEL, c))
                .filter(m -> m != null).count());
    }
}
