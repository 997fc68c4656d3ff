package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * The maple tree's gap bookkeeping (lib/maple_tree.c, MT_FLAGS_ALLOC_RANGE): each node of the
 * kernel's tree keeps, per child, the largest gap below it ({@code ma_gaps}), so that {@code
 * mas_empty_area} and {@code mas_empty_area_rev} skip every subtree whose largest gap is too small
 * and find a gap in O(log n). Here the same idea over the sorted arrays of {@link MmState}: an
 * implicit binary tree in a {@code long[]} (node 1 the root, node p's children 2p and 2p + 1, the
 * {@code m} leaves at {@code m .. 2m - 1}, {@code m} a power of two above the VMA count), each
 * node holding the largest (unsigned) gap length below it. Slot 0 holds the VMA count the index
 * was built for.
 *
 * <p>The tree only decides which gaps are worth testing: every gap it proposes is tested with
 * {@link VmaTree#gapFits} before it is returned, so the searches' contracts are those of {@link
 * VmaTree#areaLowest} and {@link VmaTree#areaHighest} whatever the tree holds, and a tree that
 * overstates a gap costs time, never a wrong answer. That the answers are the linear scan's, gap
 * for gap, is checked by properties (GapIndexProperties), not proved.
 *
 * <p>Leaf k holds gap k's length {@code vmStart[k] - gapStart(k)}; the last gap, which ends at
 * 2^64 - 1 and whose length (up to 2^64) does not fit a long, holds {@code -1} (2^64 - 1
 * unsigned): it is always tested. Leaves past the last gap hold 0 and are never tested (the size
 * is at least 1). Array elements are compared inline (unsigned, as {@link Arith#ult} does), not
 * passed to Arith: KeY knows no range for a long array element, and a call would have to show one.
 */
public final class GapIndex {
    private GapIndex() {
    }

    /** The largest VMA count an index is built for, so that 2m fits an int with room: 2^28. */
    public static final int MAX_VMAS = 268435456;

    /** The largest index length the searches accept (2^30): the children 2p + 1 then fit an int. */
    public static final int MAX_LENGTH = 1073741824;

    /** What the searches return when the index does not fit the space ({@link #fits}): scan instead. */
    public static final int NO_INDEX = -2;

    /**
     * {@code mas_leaf_max_gap} (lib/maple_tree.c) for one gap: the length of gap {@code k},
     * {@code vmStart[k]} less the end of the VMA before it (or 0); -1 (unsigned 2^64 - 1, "always
     * test it") for the last gap, which reaches 2^64 - 1.
     */
    /*@ public normal_behavior
      @ requires vmStart != null && vmEnd != null && vmStart.length == vmEnd.length;
      @ requires 0 <= k && k <= vmStart.length;
      @ ensures k == vmStart.length ==> \result == -1;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mas_leaf_max_gap", file = "lib/maple_tree.c")
    public static /*@ pure @*/ long masLeafMaxGap(long[] vmStart, long[] vmEnd, int k) {
        if (k == vmStart.length) {
            return -1L;
        }
        return k == 0 ? vmStart[k] : vmStart[k] - vmEnd[k - 1];
    }

    /**
     * The index over the gaps of {@code [vmStart[i], vmEnd[i])} (sorted, disjoint): every leaf
     * from {@link #masLeafMaxGap}, every inner node the larger of its children ({@code
     * ma_max_gap}, lib/maple_tree.c), built once in O(n) as the kernel's tree is kept as it is
     * built. The kernel has no single function for it: its tree is built store by store.
     */
    /*@ public normal_behavior
      @ requires vmStart != null && vmEnd != null && vmStart.length == vmEnd.length;
      @ requires vmStart.length < MAX_VMAS;
      @ ensures \result != null && 2 <= \result.length && \result.length <= MAX_LENGTH;
      @ ensures vmStart.length < \result.length / 2;
      @ ensures \fresh(\result);
      @ assignable \nothing; @*/
    @Kernel(fn = "ma_max_gap", file = "lib/maple_tree.c")
    public static long[] build(long[] vmStart, long[] vmEnd) {
        int m = leafCount(vmStart.length);
        long[] tree = new long[2 * m];
        setLeafGaps(tree, vmStart, vmEnd, m);
        setMaxGaps(tree, m);
        tree[0] = vmStart.length;
        return tree;
    }

    /**
     * The number of leaves of an index over {@code n} VMAs: the least power of two above {@code n}
     * (at most 2^29, so that the index's 2m longs fit an int). Bounded by a constant, not by
     * {@code 2n + 1}: KeY left the latter open.
     */
    /*@ public normal_behavior
      @ requires 0 <= n && n < MAX_VMAS;
      @ ensures n < \result && \result <= 536870912;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ int leafCount(int n) {
        int m = 1;
        /*@ loop_invariant 1 <= m && m <= 536870912;
          @ decreases 536870912 - m; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (m <= n) {
            m = m + m;
        }
        return m;
    }

    /**
     * The leaves of the index: leaf {@code k} (at {@code m + k}) takes {@link #masLeafMaxGap} for
     * each of the {@code n + 1} gaps, as the kernel's leaf nodes record their gaps.
     */
    /*@ public normal_behavior
      @ requires vmStart != null && vmEnd != null && vmStart.length == vmEnd.length;
      @ requires tree != null && vmStart.length < m && tree.length == 2 * m && m < MAX_LENGTH;
      @ assignable tree[*]; @*/
    public static void setLeafGaps(long[] tree, long[] vmStart, long[] vmEnd, int m) {
        int k = 0;
        /*@ loop_invariant 0 <= k && k <= vmStart.length + 1;
          @ decreases vmStart.length + 1 - k;
          @ assignable tree[*]; @*/
        while (k <= vmStart.length) {
            tree[m + k] = masLeafMaxGap(vmStart, vmEnd, k);
            k++;
        }
    }

    /**
     * The inner nodes of the index, from the last to the root: each the larger of its two children
     * ({@code ma_max_gap}, lib/maple_tree.c), unsigned and inline (see the class comment).
     */
    /*@ public normal_behavior
      @ requires tree != null && 1 <= m && tree.length == 2 * m && m < MAX_LENGTH;
      @ assignable tree[*]; @*/
    @Kernel(fn = "ma_max_gap", file = "lib/maple_tree.c")
    public static void setMaxGaps(long[] tree, int m) {
        int p = m - 1;
        /*@ loop_invariant 0 <= p && p <= m - 1;
          @ decreases p;
          @ assignable tree[*]; @*/
        while (p >= 1) {
            tree[p] = tree[2 * p] + Arith.TOP >= tree[2 * p + 1] + Arith.TOP ? tree[2 * p] : tree[2 * p + 1];
            p--;
        }
    }

    /**
     * {@code mas_update_gap} / {@code mas_parent_gap} (lib/maple_tree.c): leaf {@code k} takes the
     * value {@code gap} (a new {@link #masLeafMaxGap} after a VMA grew or shrank, as {@code
     * expand_downwards} or {@code vma_expand} do), and every node above it the larger of its
     * children again: O(log n). A VMA added or removed changes the gap count: {@link
     * #masUpdateGaps}.
     */
    /*@ public normal_behavior
      @ requires tree != null && 2 <= tree.length && tree.length <= MAX_LENGTH && tree.length % 2 == 0;
      @ requires 0 <= k && k < tree.length / 2;
      @ ensures tree[tree.length / 2 + k] == gap;
      @ assignable tree[*]; @*/
    @Kernel(fn = "mas_update_gap", file = "lib/maple_tree.c")
    public static void masUpdateGap(long[] tree, int k, long gap) {
        int leaf = tree.length / 2 + k;
        tree[leaf] = gap;
        int p = leaf / 2;
        /*@ loop_invariant 0 <= p && p < leaf && 2 * p + 1 < tree.length && tree[leaf] == gap;
          @ decreases p;
          @ assignable tree[*]; @*/
        while (p >= 1) {
            tree[p] = tree[2 * p] + Arith.TOP >= tree[2 * p + 1] + Arith.TOP ? tree[2 * p] : tree[2 * p + 1];
            p = p / 2;
        }
    }

    /**
     * {@code mas_update_gap} (lib/maple_tree.c) after a store that added, removed or split VMAs
     * from VMA {@code from} on: the leaves {@code from} to {@code to} re-derived from the new
     * arrays ({@link #masLeafMaxGap}, 0 past the last gap), the nodes above them recomputed level
     * by level ({@link #setMaxGapRange}), and the VMA count in slot 0 set. The leaves outside
     * {@code [from, to]} must already hold the new arrays' gaps: an edit whose VMA count stays
     * changes gaps {@code from} to {@code from + added} only, O(added + log n); one that adds or
     * removes VMAs moves every later gap by as many places, and {@code to} is the larger of the
     * two gap counts, O(n - from), where the kernel's tree, which keys by address, not by place,
     * stays O(log n). The tree must have the leaves for the new count (else {@link #build}).
     */
    /*@ public normal_behavior
      @ requires vmStart != null && vmEnd != null && vmStart.length == vmEnd.length;
      @ requires tree != null && 2 <= tree.length && tree.length <= MAX_LENGTH && tree.length % 2 == 0;
      @ requires vmStart.length < tree.length / 2;
      @ requires 0 <= from && from <= to && to < tree.length / 2;
      @ ensures tree[0] == vmStart.length;
      @ assignable tree[*]; @*/
    @Kernel(fn = "mas_update_gap", file = "lib/maple_tree.c")
    public static void masUpdateGaps(long[] tree, long[] vmStart, long[] vmEnd, int from, int to) {
        int m = tree.length / 2;
        setLeafRange(tree, vmStart, vmEnd, m, from, to);
        int lo = (m + from) / 2;
        int hi = (m + to) / 2;
        /*@ loop_invariant 0 <= lo && lo <= hi + 1 && 0 <= hi && hi < m;
          @ decreases hi;
          @ assignable tree[*]; @*/
        while (hi >= 1) {
            setMaxGapRange(tree, lo < 1 ? 1 : lo, hi);
            lo = lo / 2;
            hi = hi / 2;
        }
        tree[0] = vmStart.length;
    }

    /** Leaves {@code from} to {@code to} (at {@code m + k}): {@link #masLeafMaxGap}, 0 past the last gap. */
    /*@ public normal_behavior
      @ requires vmStart != null && vmEnd != null && vmStart.length == vmEnd.length;
      @ requires tree != null && tree.length == 2 * m && 1 <= m && m < MAX_LENGTH;
      @ requires 0 <= from && to < m;
      @ assignable tree[*]; @*/
    public static void setLeafRange(long[] tree, long[] vmStart, long[] vmEnd, int m, int from, int to) {
        int k = from;
        /*@ loop_invariant from <= k && (from <= to ==> k <= to + 1);
          @ decreases to + 1 - k;
          @ assignable tree[*]; @*/
        while (k <= to) {
            tree[m + k] = k <= vmStart.length ? masLeafMaxGap(vmStart, vmEnd, k) : 0;
            k++;
        }
    }

    /** Inner nodes {@code lo} to {@code hi} of one level: each the larger of its children ({@code ma_max_gap}). */
    /*@ public normal_behavior
      @ requires tree != null && 2 <= tree.length && tree.length <= MAX_LENGTH && tree.length % 2 == 0;
      @ requires 1 <= lo && hi < tree.length / 2;
      @ assignable tree[*]; @*/
    @Kernel(fn = "ma_max_gap")
    public static void setMaxGapRange(long[] tree, int lo, int hi) {
        int p = lo;
        /*@ loop_invariant lo <= p && (lo <= hi ==> p <= hi + 1);
          @ decreases hi + 1 - p;
          @ assignable tree[*]; @*/
        while (p <= hi) {
            tree[p] = tree[2 * p] + Arith.TOP >= tree[2 * p + 1] + Arith.TOP ? tree[2 * p] : tree[2 * p + 1];
            p++;
        }
    }

    /**
     * Whether {@code tree} can serve the searches of {@code mm}: an index of the right shape,
     * built for as many VMAs as {@code mm} has. The searches' results never depend on it for
     * soundness (each candidate is tested); this keeps a tree of another space from being used.
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null;
      @ ensures \result ==> tree != null && 2 <= tree.length && tree.length <= MAX_LENGTH
      @                     && mm.vmStart.length < tree.length / 2;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean fits(MmState mm, /*@ nullable @*/ long[] tree) {
        return tree != null && 2 <= tree.length && tree.length <= MAX_LENGTH
                && mm.vmStart.length < tree.length / 2 && tree[0] == mm.vmStart.length;
    }

    /**
     * {@code mas_anode_descend} (lib/maple_tree.c), recursively: the lowest leaf at or after
     * {@code from} in node {@code node}'s subtree (leaves {@code [lo, hi)}) whose value is at
     * least {@code size}, or -1. A subtree whose value is below {@code size} is skipped whole.
     */
    /*@ public normal_behavior
      @ requires tree != null && tree.length <= MAX_LENGTH;
      @ requires 1 <= node && 0 <= lo && lo < hi;
      @ ensures \result == -1 || (lo <= \result && \result < hi && from <= \result);
      @ measured_by hi - lo;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mas_anode_descend", file = "lib/maple_tree.c")
    public static /*@ pure @*/ int masAnodeDescend(long[] tree, int node, int lo, int hi, int from, long size) {
        if (hi <= from || node >= tree.length || tree[node] + Arith.TOP < size + Arith.TOP) {
            return -1;
        }
        if (hi - lo == 1) {
            return lo;
        }
        int mid = lo + (hi - lo) / 2;
        int r = masAnodeDescend(tree, 2 * node, lo, mid, from, size);
        if (r >= 0) {
            return r;
        }
        return masAnodeDescend(tree, 2 * node + 1, mid, hi, from, size);
    }

    /**
     * {@code mas_rev_awalk} (lib/maple_tree.c), recursively: the highest leaf at or before
     * {@code to} in node {@code node}'s subtree (leaves {@code [lo, hi)}) whose value is at least
     * {@code size}, or -1.
     */
    /*@ public normal_behavior
      @ requires tree != null && tree.length <= MAX_LENGTH;
      @ requires 1 <= node && 0 <= lo && lo < hi;
      @ ensures \result == -1 || (lo <= \result && \result < hi && \result <= to);
      @ measured_by hi - lo;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mas_rev_awalk", file = "lib/maple_tree.c")
    public static /*@ pure @*/ int masRevAwalk(long[] tree, int node, int lo, int hi, int to, long size) {
        if (to < lo || node >= tree.length || tree[node] + Arith.TOP < size + Arith.TOP) {
            return -1;
        }
        if (hi - lo == 1) {
            return lo;
        }
        int mid = lo + (hi - lo) / 2;
        int r = masRevAwalk(tree, 2 * node + 1, mid, hi, to, size);
        if (r >= 0) {
            return r;
        }
        return masRevAwalk(tree, 2 * node, lo, mid, to, size);
    }

    /**
     * The first index whose bound is above {@code addr} (unsigned), or {@code bounds.length}, by
     * bisection over a sorted array; the kernel's descent skips such ranges by its pivots ("Not
     * within lower bounds" in {@code mas_anode_descend}). Over {@code vmStart} at {@code min}: the
     * first gap that reaches {@code min} (the gaps before it end below it). Over {@code vmEnd} at
     * {@code max}: the last gap that starts at or below {@code max} (the gaps after it start above).
     */
    /*@ public normal_behavior
      @ requires bounds != null;
      @ ensures 0 <= \result && \result <= bounds.length;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mas_anode_descend")
    public static /*@ pure @*/ int firstAbove(long[] bounds, long addr) {
        int lo = 0;
        int hi = bounds.length;
        /*@ loop_invariant 0 <= lo && lo <= hi && hi <= bounds.length;
          @ decreases hi - lo; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (bounds[mid] + Arith.TOP > addr + Arith.TOP) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * The checks both searches begin with (the {@code -EINVAL} and {@code -EBUSY} returns of
     * {@code mas_empty_area} and {@code mas_empty_area_rev}, lib/maple_tree.c, before the walk):
     * -1 when the window {@code [min, max]} is empty or shorter than {@code size}, {@link
     * #NO_INDEX} when {@code tree} does not fit {@code mm}, else 0, with the facts the walks need.
     */
    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm);
      @ requires 0 <= max && 0 < size;
      @ ensures \result == -1 || \result == NO_INDEX || \result == 0;
      @ ensures \result == 0 ==> 0 <= min && mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null
      @         && mm.vmStart.length == mm.vmEnd.length && tree != null && 2 <= tree.length
      @         && tree.length <= MAX_LENGTH && mm.vmStart.length < tree.length / 2;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mas_empty_area", file = "lib/maple_tree.c")
    public static /*@ pure @*/ int masEmptyAreaStart(MmState mm, /*@ nullable @*/ long[] tree, long min, long max,
            long size) {
        if (Arith.ugt(min, max) || size == 0 || Arith.ult(max - min, size - 1)) {
            return -1;
        }
        VmaTreeLemmas.gapFitsDomain(mm, 0); // lemmas, no code: the arrays' shape, and 0 <= min
        ArithLemmas.belowSigned(max, min);
        return fits(mm, tree) ? 0 : NO_INDEX;
    }

    /**
     * {@code mas_empty_area} (lib/maple_tree.c) over the index: the lowest gap that holds
     * {@code size} bytes inside {@code [min, max]}, or -1; what {@link VmaTree#areaLowest}
     * answers, or {@link #NO_INDEX} when {@code tree} does not fit {@code mm}. The gaps that meet
     * the window are found by {@link #firstAbove}; the tree proposes the next one at least {@code size} long, and each proposal
     * is tested with {@link VmaTree#gapFits} (only the two end gaps, clipped by the window, can
     * fail it).
     */
    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm);
      @ requires 0 <= max && 0 < size;
      @ ensures NO_INDEX <= \result && \result <= mm.vmStart.length;
      @ ensures \result >= 0 ==> VmaTree.holds(mm, \result, min, max, size);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mas_empty_area", file = "lib/maple_tree.c")
    public static /*@ pure @*/ int masEmptyArea(MmState mm, /*@ nullable @*/ long[] tree, long min, long max,
            long size) {
        int start = masEmptyAreaStart(mm, tree, min, max, size);
        if (start != 0) {
            return start;
        }
        int m = tree.length / 2;
        int last = firstAbove(mm.vmEnd, max);
        int from = firstAbove(mm.vmStart, min);
        /*@ loop_invariant 0 <= from && from <= m;
          @ decreases m - from; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (true) {
            int k = masAnodeDescend(tree, 1, 0, m, from, size);
            if (k < 0 || k > last) {
                return -1;
            }
            VmaTreeLemmas.gapFitsDomain(mm, k); // a lemma: gapFits' preconditions, no code
            if (VmaTree.gapFits(mm, k, min, max, size)) {
                return k;
            }
            from = k + 1;
        }
    }

    /**
     * {@code mas_empty_area_rev} (lib/maple_tree.c) over the index: the highest gap that holds
     * {@code size} bytes inside {@code [min, max]}, or -1; what {@link VmaTree#areaHighest}
     * answers (or {@link #NO_INDEX}), found as {@link #masEmptyArea} finds the lowest.
     */
    /*@ public normal_behavior
      @ requires VmaTree.vmasValid(mm);
      @ requires 0 <= max && 0 < size;
      @ ensures NO_INDEX <= \result && \result <= mm.vmStart.length;
      @ ensures \result >= 0 ==> VmaTree.holds(mm, \result, min, max, size);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mas_empty_area_rev", file = "lib/maple_tree.c")
    public static /*@ pure @*/ int masEmptyAreaRev(MmState mm, /*@ nullable @*/ long[] tree, long min, long max,
            long size) {
        int start = masEmptyAreaStart(mm, tree, min, max, size);
        if (start != 0) {
            return start;
        }
        int m = tree.length / 2;
        int first = firstAbove(mm.vmStart, min);
        int to = firstAbove(mm.vmEnd, max);
        /*@ loop_invariant -1 <= to && to <= mm.vmStart.length;
          @ decreases to + 1; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (true) {
            int k = masRevAwalk(tree, 1, 0, m, to, size);
            if (k < first) {
                return -1;
            }
            VmaTreeLemmas.gapFitsDomain(mm, k); // a lemma: gapFits' preconditions, no code
            if (VmaTree.gapFits(mm, k, min, max, size)) {
                return k;
            }
            to = k - 1;
        }
    }
}
