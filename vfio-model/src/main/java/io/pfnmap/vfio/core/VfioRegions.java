package io.pfnmap.vfio.core;

/**
 * A VFIO-PCI device's regions as {@code vfio_pci_core_mmap} (drivers/vfio/pci/vfio_pci_core.c)
 * and the designs read them, one row per region index: {@code size[i]} (0 when absent), {@code
 * mmap[i]} (the region may be mmapped), and for a BAR {@code phys[i]}, its physical address
 * (naturally aligned). Plain fields so that a prover can see them, as {@code MmState}'s; the API
 * builds it from a validated device and never changes it afterwards.
 */
public final class VfioRegions {
    public final long[] size;
    public final boolean[] mmap;
    public final long[] phys;

    /*@ public normal_behavior
      @ ensures this.size == size && this.mmap == mmap && this.phys == phys;
      @ pure @*/
    public VfioRegions(long[] size, boolean[] mmap, long[] phys) {
        this.size = size;
        this.mmap = mmap;
        this.phys = phys;
    }
}
