package io.pfnmap.vfio;

import io.pfnmap.arch.ArchConfig;
import io.pfnmap.vfio.core.VfioProfile;
import java.util.Arrays;

/**
 * The huge-level page-table entries of one process that are not none, as far as VFIO mappings made
 * them so: for each pfnmap leaf size above the page, the blocks whose entry is a leaf or points to a
 * table ({@link VfioProfile#populate}). A fault profile of a new mapping in the same process
 * counts no huge-fault call on such an entry ({@link VfioProfile#hugeFaultCallsIn}). What it
 * models: every page of a mapping made with a profile was touched once; other VMAs were never
 * touched (their entries stay none); munmap frees tables as {@code free_pgtables} does
 * ({@link VfioProfile#freePgtables}). What it leaves out: a munmap that splits a huge leaf (the
 * kernel clears the leaf; here its entry stays) and faults after the profile. Immutable.
 */
public final class PageTables {
    private final long[] sizes;
    private final long[][] populated;

    private PageTables(long[] sizes, long[][] populated) {
        this.sizes = sizes;
        this.populated = populated;
    }

    /** A process whose page tables hold no VFIO entries yet. */
    public static PageTables empty(ArchConfig arch) {
        long[] sizes = arch.pfnmapLeafSizesDescending();
        return new PageTables(sizes, new long[sizes.length][0]);
    }

    /** The block ranges per level (leaf sizes descending; the last, the page, always empty): a copy. */
    public long[][] populated() {
        long[][] c = new long[populated.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = populated[i].clone();
        }
        return c;
    }

    /** Whether no entry is recorded. */
    public boolean isEmpty() {
        for (long[] p : populated) {
            if (p.length != 0) {
                return false;
            }
        }
        return true;
    }

    /** After every page of {@code [start, end)} was touched. */
    public PageTables touched(long start, long end) {
        long[][] next = new long[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            next[i] = i == sizes.length - 1 ? new long[0] : VfioProfile.populate(populated[i], start, end, sizes[i]);
        }
        return new PageTables(sizes, next);
    }

    /** After munmap of {@code [start, end)} between the VMAs ending at {@code floor} and starting at {@code ceiling} (0: none). */
    public PageTables unmapped(long start, long end, long floor, long ceiling) {
        long[][] next = new long[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            next[i] = VfioProfile.freePgtables(populated[i], start, end, floor, ceiling, sizes[i]);
        }
        return new PageTables(sizes, next);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PageTables t && Arrays.equals(sizes, t.sizes) && Arrays.deepEquals(populated, t.populated);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(populated);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("PageTables[");
        for (int i = 0; i < sizes.length - 1; i++) {
            b.append(i == 0 ? "" : ", ").append("0x").append(Long.toHexString(sizes[i])).append(':');
            for (int k = 0; k < populated[i].length; k += 2) {
                b.append(" [0x").append(Long.toHexString(populated[i][k])).append(", 0x")
                        .append(Long.toHexString(populated[i][k + 1])).append(')');
            }
        }
        return b.append(']').toString();
    }
}
