package io.pfnmap.mm;

import com.google.common.collect.ImmutableList;
import io.pfnmap.mm.core.GapIndex;
import io.pfnmap.mm.core.MmState;
import java.util.List;

/**
 * A task's address space: its configuration and its VMAs, sorted and disjoint (as the maple tree
 * holds them). Immutable; {@link #state()} is the core's view of it, with the gap index built once
 * here so that every search over the space takes O(log n).
 */
public final class AddressSpace {
    private final MmConfig config;
    private final ImmutableList<Vma> vmas;
    private final MmState state;

    private AddressSpace(MmConfig config, ImmutableList<Vma> vmas, boolean indexed) {
        this.config = config;
        this.vmas = vmas;
        long[] starts = new long[vmas.size()];
        long[] ends = new long[vmas.size()];
        int[] flags = new int[vmas.size()];
        for (int i = 0; i < vmas.size(); i++) {
            Vma v = vmas.get(i);
            check(i > 0 ? vmas.get(i - 1) : null, v);
            starts[i] = v.start();
            ends[i] = v.end();
            flags[i] = v.coreFlags();
        }
        this.state = state(config, starts, ends, flags,
                indexed && starts.length < GapIndex.MAX_VMAS ? GapIndex.build(starts, ends) : null);
    }

    /** VMA {@code v} follows {@code prev} (null: none) without overlap and ends at or below task_size_max. */
    private void check(Vma prev, Vma v) {
        if (prev != null && Long.compareUnsigned(prev.end(), v.start()) > 0) {
            throw new InvalidInputException("vmas", "must be sorted and disjoint: " + prev + " overlaps or follows " + v);
        }
        if (Long.compareUnsigned(v.end(), config.taskSizeMax()) > 0) {
            throw new InvalidInputException("vmas", v + " must end at or below task_size_max "
                    + Hex.of(config.taskSizeMax()) + " (the kernel keeps every VMA below TASK_SIZE)");
        }
    }

    private AddressSpace(MmConfig config, ImmutableList<Vma> vmas, MmState state) {
        this.config = config;
        this.vmas = vmas;
        this.state = state;
    }

    private static MmState state(MmConfig config, long[] starts, long[] ends, int[] flags, long[] index) {
        return new MmState(config.coreArch(), config.pageSize(), config.pmdSize(), config.taskSize(),
                config.taskSizeMax(), config.defaultMapWindow(), config.mmapBase(), config.legacyBase(),
                config.mmapMinAddr(), config.dacMmapMinAddr(), config.stackGuardGap(), config.topdown(), config.thp(),
                config.capSysRawio(), config.shmemHugeSize(), config.vaAlign().effectiveMask(),
                config.vaAlign().effectiveBits(), starts, ends, flags, index);
    }

    /**
     * The space with its VMAs {@code [first, first + removed)} replaced by {@code added} (what
     * munmap and mmap_region leave: sorted, between the neighbours, below task_size_max), derived
     * from this one instead of built anew: the arrays are copied around the change and the gap
     * index, when the space has one, is updated from the first changed gap ({@link
     * GapIndex#masUpdateGaps}) rather than rebuilt (built only when the count passes a power of
     * two). Only the added VMAs are checked and converted. An edit at 65,530 VMAs took about 1 ms
     * when every edit built the space again.
     */
    AddressSpace spliced(int first, int removed, List<Vma> added) {
        int n = vmas.size();
        int n2 = n - removed + added.size();
        // by array copies: a builder fed the sublists took half the edit's time, element by element
        Vma[] old = vmas.toArray(new Vma[0]);
        Vma[] all = new Vma[n2];
        System.arraycopy(old, 0, all, 0, first);
        for (int i = 0; i < added.size(); i++) {
            all[first + i] = added.get(i);
        }
        System.arraycopy(old, first + removed, all, first + added.size(), n - first - removed);
        ImmutableList<Vma> list = ImmutableList.copyOf(all);
        long[] starts = new long[n2];
        long[] ends = new long[n2];
        int[] flags = new int[n2];
        int tail = n - first - removed;
        System.arraycopy(state.vmStart, 0, starts, 0, first);
        System.arraycopy(state.vmEnd, 0, ends, 0, first);
        System.arraycopy(state.vmFlags, 0, flags, 0, first);
        System.arraycopy(state.vmStart, first + removed, starts, first + added.size(), tail);
        System.arraycopy(state.vmEnd, first + removed, ends, first + added.size(), tail);
        System.arraycopy(state.vmFlags, first + removed, flags, first + added.size(), tail);
        // the constructor's checks, in its order, where they can fail: at the added VMAs and the one after
        for (int at = first; at <= first + added.size() && at < n2; at++) {
            check(at > 0 ? list.get(at - 1) : null, list.get(at));
        }
        for (int i = 0; i < added.size(); i++) {
            Vma v = added.get(i);
            int at = first + i;
            starts[at] = v.start();
            ends[at] = v.end();
            flags[at] = v.coreFlags();
        }
        return new AddressSpace(config, list, state(config, starts, ends, flags, index(n, starts, ends, first,
                added.size())));
    }

    /**
     * The gap index of a space derived by {@link #spliced}: this space's, updated where the gaps
     * changed (gaps {@code first} to {@code first + added} when the count stays, else up to the
     * larger count, as every later gap moved), or built anew when the leaves no longer fit.
     */
    private long[] index(int n, long[] starts, long[] ends, int first, int added) {
        long[] old = state.gapIndex;
        int n2 = starts.length;
        if (old == null || n2 >= GapIndex.MAX_VMAS) {
            return null;
        }
        if (GapIndex.leafCount(n2) != old.length / 2) {
            return GapIndex.build(starts, ends);
        }
        long[] tree = old.clone();
        GapIndex.masUpdateGaps(tree, starts, ends, first, lastChangedGap(n, n2, first, added));
        return tree;
    }

    /**
     * The last gap (or past-the-end leaf) whose value changes when {@code n} VMAs become {@code
     * n2} by a splice at {@code first} adding {@code added}: the gap after the added VMAs when the
     * count stays, else every later gap moved, up to the larger count.
     */
    static int lastChangedGap(int n, int n2, int first, int added) {
        return n2 == n ? first + added : Math.max(n, n2);
    }

    /** An address space with these VMAs; they must be sorted and disjoint. */
    public static AddressSpace of(MmConfig config, List<Vma> vmas) {
        return new AddressSpace(config, ImmutableList.copyOf(vmas), true);
    }

    /**
     * The same space without the gap index: its searches scan every gap, the specification the
     * index must agree with (for benchmarks and checks; the answers are the same).
     */
    public AddressSpace withoutGapIndex() {
        return new AddressSpace(config, vmas, false);
    }

    public MmConfig config() {
        return config;
    }

    public ImmutableList<Vma> vmas() {
        return vmas;
    }

    /** The core's view (do not modify the arrays). */
    public MmState state() {
        return state;
    }

    /** The same space with one more VMA {@code [start, end)} (merging is not modelled). */
    public AddressSpace plus(Vma vma) {
        ImmutableList.Builder<Vma> b = ImmutableList.builder();
        boolean added = false;
        for (Vma v : vmas) {
            if (!added && Long.compareUnsigned(vma.start(), v.start()) < 0) {
                b.add(vma);
                added = true;
            }
            b.add(v);
        }
        if (!added) {
            b.add(vma);
        }
        return new AddressSpace(config, b.build(), state.gapIndex != null);
    }

    @Override
    public String toString() {
        return "AddressSpace[" + config.arch() + (config.topdown() ? " topdown" : " legacy") + ", vmas=" + vmas + "]";
    }
}
