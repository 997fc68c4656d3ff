package io.pfnmap.vfio.core;

import io.pfnmap.mm.core.Arith;

/**
 * The huge fault of a VFIO-PCI mapping: {@code vfio_pci_mmap_huge_fault} (drivers/vfio/pci/
 * vfio_pci_core.c, 6.15+) with the order {@code __handle_mm_fault} (mm/memory.c) offers: PUD
 * first, then PMD, then a PTE. A leaf of size {@code L} is inserted for a fault at {@code a} when
 * the {@code L}-aligned block around {@code a} lies inside the VMA and its pfn is a multiple of
 * {@code L / PAGE_SIZE}. From that, the leaves a whole mapping needs when every page is touched.
 */
public final class VfioFault {
    private VfioFault() {
    }

    /**
     * The physical address behind virtual {@code a} of a VMA that starts at {@code vmStart} and
     * maps the region from {@code within} (the BAR's start pfn plus the within-region page offset).
     */
    /*@ public normal_behavior
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long physOf(long barPhys, long within, long vmStart, long a) {
        return barPhys + within + (a - vmStart);
    }

    /**
     * The leaf size a fault at {@code a} inserts: the largest of {@code leaves} (descending, the
     * architecture's pfnmap leaves, ending with PAGE_SIZE) whose aligned block fits the VMA and maps
     * an aligned pfn; huge orders only when {@code hugeAllowed} (the THP sysfs policy of 6.18 lets
     * them through). Returns PAGE_SIZE when no huge leaf fits.
     */
    /*@ public normal_behavior
      @ requires leaves.length > 0;
      @ requires (\forall int i; 0 <= i && i < leaves.length; 0 < leaves[i] && leaves[i] <= Arith.MAX_POW2);
      @ ensures (\exists int i; 0 <= i && i < leaves.length; leaves[i] == \result);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long faultSize(long vmStart, long vmEnd, long within, long barPhys, long a,
            long[] leaves, boolean hugeAllowed) {
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= leaves.length - 1;
          @ decreases leaves.length - 1 - i; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (i < leaves.length - 1) {
            long size = leaves[i];
            long block = Arith.alignDown(a, size);
            if (hugeAllowed && Arith.uge(block, vmStart) && Arith.ule(size, vmEnd - block)
                    && Arith.remU(physOf(barPhys, within, vmStart, block), size) == 0) {
                return size;
            }
            i++;
        }
        return leaves[leaves.length - 1];
    }

    /**
     * How many leaves of each size map {@code [vmStart, vmEnd)} when every page is touched:
     * {@code counts[i]} for {@code leaves[i]}. Each fault inserts one leaf, so the sum is the
     * number of faults. Runs of PTEs are counted a huge-block at a time.
     */
    /*@ public normal_behavior
      @ requires leaves.length > 0;
      @ ensures \result.length == leaves.length;
      @ assignable \nothing; @*/
    public static long[] leafCounts(long vmStart, long vmEnd, long within, long barPhys, long[] leaves,
            boolean hugeAllowed) {
        long[] counts = new long[leaves.length];
        int last = leaves.length - 1;
        long page = leaves[last];
        long step = last > 0 ? leaves[last - 1] : 0;
        long a = vmStart;
        while (Arith.ult(a, vmEnd)) {
            long size = faultSize(vmStart, vmEnd, within, barPhys, a, leaves, hugeAllowed);
            if (size != page) {
                int i = 0;
                while (leaves[i] != size) {
                    i++;
                }
                counts[i]++;
                a = Arith.alignDown(a, size) + size;
            } else {
                // no huge leaf can start before the next boundary of the smallest huge size
                long next = step == 0 ? vmEnd : Arith.alignDown(a, step) + step;
                if (Arith.ugt(next, vmEnd) || Arith.ule(next, a)) {
                    next = vmEnd;
                }
                counts[last] += Arith.udiv(next - a, page);
                a = next;
            }
        }
        return counts;
    }
}
