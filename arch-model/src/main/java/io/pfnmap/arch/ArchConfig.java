package io.pfnmap.arch;

import com.google.common.collect.ImmutableList;
import io.pfnmap.arch.core.Leaves;
import java.util.Optional;

/**
 * One architecture and base-page configuration: its PAGE_SIZE, the leaves Linux maps user memory
 * with, its contiguous-bit (TLB-hint) sizes, and which leaves a huge pfnmap fault may insert.
 *
 * @param id               the name the oracle protocol uses (suffix {@code -nopfnmap}: option off)
 * @param title            a readable name
 * @param pageSize         PAGE_SIZE
 * @param leaves           the leaves, largest first (PUD, PMD, PTE as the configuration has them)
 * @param contiguousSizes  contiguous-bit sizes, largest first (arm64 CONT_PTE/CONT_PMD, Svnapot)
 * @param hugePfnmap       whether ARCH_SUPPORTS_HUGE_PFNMAP is on in this configuration
 * @param search           the mmap search constants, for the configurations the mm model runs
 */
public record ArchConfig(String id, String title, long pageSize, ImmutableList<Leaf> leaves,
        ImmutableList<Long> contiguousSizes, boolean hugePfnmap, Optional<Search> search) {

    /** The same configuration built without huge pfnmap: a pfnmap fault then inserts PTEs only. */
    public ArchConfig withoutHugePfnmap() {
        if (!hugePfnmap && id.endsWith("-nopfnmap")) {
            return this;
        }
        ImmutableList.Builder<Leaf> b = ImmutableList.builder();
        for (Leaf l : leaves) {
            b.add(new Leaf(l.level(), l.size(), l.level() == Level.PTE));
        }
        return new ArchConfig(id + "-nopfnmap", title + ", without huge pfnmap", pageSize, b.build(),
                contiguousSizes, false, search);
    }

    /** PMD pfnmap: huge pfnmap and PMD-level THP (mm/Kconfig ARCH_SUPPORTS_PMD_PFNMAP). */
    public boolean pmdPfnmap() {
        return pfnmapAt(Level.PMD);
    }

    /** PUD pfnmap: huge pfnmap and PUD-level THP (mm/Kconfig ARCH_SUPPORTS_PUD_PFNMAP). */
    public boolean pudPfnmap() {
        return pfnmapAt(Level.PUD);
    }

    /*
     * Loops, not streams, in these accessors: every VFIO mmap reads four of them, and a stream
     * pipeline each made VfioMapping.mmap about 4 us where its search takes 0.3 (JFR).
     */
    private boolean pfnmapAt(Level level) {
        for (Leaf l : leaves) {
            if (l.level() == level && l.pfnmap()) {
                return true;
            }
        }
        return false;
    }

    /** The size of the leaf at {@code level}, if the configuration has one there. */
    public Optional<Long> sizeAt(Level level) {
        for (Leaf l : leaves) {
            if (l.level() == level) {
                return Optional.of(l.size());
            }
        }
        return Optional.empty();
    }

    /** Every leaf size, largest first. */
    public long[] leafSizesDescending() {
        long[] s = new long[leaves.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = leaves.get(i).size();
        }
        return s;
    }

    /** The sizes a huge pfnmap fault may insert, largest first (always ends with PAGE_SIZE). */
    public long[] pfnmapLeafSizesDescending() {
        int n = 0;
        for (Leaf l : leaves) {
            n += l.pfnmap() ? 1 : 0;
        }
        long[] s = new long[n];
        n = 0;
        for (Leaf l : leaves) {
            if (l.pfnmap()) {
                s[n++] = l.size();
            }
        }
        return s;
    }

    /** Whether a pfnmap fault may insert a leaf of {@code size} bytes. */
    public boolean isPfnmapLeaf(long size) {
        return Leaves.isLeaf(pfnmapLeafSizesDescending(), size);
    }

    /** The largest leaf (any kind) not above {@code size} bytes; 0 if none. */
    public long largestLeafNotAbove(long size) {
        return Leaves.largestLeafNotAbove(leafSizesDescending(), size);
    }

    /** The largest pfnmap leaf not above {@code PAGE_SIZE << order}; 0 if none. */
    public long largestPfnmapLeafNotAboveOrder(int order) {
        return Leaves.largestLeafNotAbove(pfnmapLeafSizesDescending(), Leaves.orderToSize(pageSize, order));
    }

    /** log2(PAGE_SIZE). */
    public int pageShift() {
        return Long.numberOfTrailingZeros(pageSize);
    }
}
