package io.pfnmap.vfio.core;

/**
 * What the designs read of the architecture's pfnmap leaves: PUD_SIZE, whether PMD and PUD
 * leaves can map a pfnmap ({@code CONFIG_ARCH_SUPPORTS_PMD_PFNMAP}, {@code _PUD_PFNMAP}), and
 * every leaf size a pfnmap fault can insert, descending. Plain fields so that a prover can see
 * them; the API builds it from an {@code ArchConfig} and never changes it afterwards.
 */
public final class PfnmapLeaves {
    public final long pudSize;
    public final boolean pmdPfnmap;
    public final boolean pudPfnmap;
    public final long[] descending;

    /*@ public normal_behavior
      @ ensures this.pudSize == pudSize && this.pmdPfnmap == pmdPfnmap && this.pudPfnmap == pudPfnmap;
      @ ensures this.descending == descending;
      @ pure @*/
    public PfnmapLeaves(long pudSize, boolean pmdPfnmap, boolean pudPfnmap, long[] descending) {
        this.pudSize = pudSize;
        this.pmdPfnmap = pmdPfnmap;
        this.pudPfnmap = pudPfnmap;
        this.descending = descending;
    }
}
