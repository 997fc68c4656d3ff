package io.pfnmap.seeded;

/**
 * Pgoff-congruence, seeded: the step of {@code unmapped_area} and of the aligned helper that
 * moves a free address up to the first one congruent to the file offset modulo the leaf size
 * ({@code gap + ((off - gap) mod size)}), written with {@code %} on non-negative values as the
 * proved cores write it. The control must close (congruent, not below {@code gap}, less than one
 * {@code size} above it). Its wrong variants, which subtract the other way round or forget to wrap
 * a negative difference, are one-line mutations of it (proofs/mutants.txt) and must stay open.
 */
public final class CongruenceSeed {
    private CongruenceSeed() {
    }

    /*@ public normal_behavior
      @ requires 0 <= gap && gap <= 4611686018427387904L && 0 <= off && 0 < size && size <= 4611686018427387904L;
      @ ensures \result % size == off % size && \result >= gap && \result - gap < size;
      @ assignable \nothing; @*/
    public static long controlAlignUp(long gap, long off, long size) {
        long d = off % size - gap % size;
        if (d < 0) {
            d = d + size;
        }
        return gap + d;
    }
}
