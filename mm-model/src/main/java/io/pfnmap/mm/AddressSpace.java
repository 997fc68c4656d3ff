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
            if (i > 0 && Long.compareUnsigned(vmas.get(i - 1).end(), v.start()) > 0) {
                throw new InvalidInputException("vmas", "must be sorted and disjoint: " + vmas.get(i - 1) + " overlaps or follows " + v);
            }
            if (Long.compareUnsigned(v.end(), config.taskSizeMax()) > 0) {
                throw new InvalidInputException("vmas", v + " must end at or below task_size_max "
                        + Hex.of(config.taskSizeMax()) + " (the kernel keeps every VMA below TASK_SIZE)");
            }
            starts[i] = v.start();
            ends[i] = v.end();
            flags[i] = v.coreFlags();
        }
        this.state = new MmState(config.coreArch(), config.pageSize(), config.pmdSize(), config.taskSize(),
                config.taskSizeMax(), config.defaultMapWindow(), config.mmapBase(), config.legacyBase(),
                config.mmapMinAddr(), config.dacMmapMinAddr(), config.stackGuardGap(), config.topdown(), config.thp(),
                config.capSysRawio(), config.shmemHugeSize(), starts, ends, flags,
                indexed && starts.length < GapIndex.MAX_VMAS ? GapIndex.build(starts, ends) : null);
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
