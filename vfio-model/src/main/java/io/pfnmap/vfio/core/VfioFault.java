package io.pfnmap.vfio.core;

import io.pfnmap.arch.core.Kernel;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.ArithLemmas;

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

    /*@ // fits: a leaf of size bytes for a fault at a, that is at the size-aligned block around a
      @ // (ALIGN_DOWN(vmf->address, PAGE_SIZE << order)), lies inside the VMA [vmStart, vmEnd) and maps
      @ // a physical address aligned to size: the two tests vfio_pci_mmap_huge_fault makes before it
      @ // inserts a PMD or PUD leaf (else VM_FAULT_FALLBACK). User addresses lie below 2^63 on every
      @ // architecture (TASK_SIZE is at most 2^57), so the block is a - a % size without wrap-around.
      @ public static model pure boolean fits(long vmStart, long vmEnd, long within, long barPhys, long a,
      @         long size) {
      @     return a - a % size >= vmStart && size <= vmEnd - (a - a % size)
      @         && Arith.remUOf((long) (barPhys + within + ((long) (a - a % size) - vmStart)), size) == 0;
      @ }
      @ // pow2Leaves: the leaves are powers of two up to 2^62 (the pfnmap leaf sizes, PAGE_SIZE last).
      @ public static model pure boolean pow2Leaves(long[] leaves) {
      @     return leaves.length > 0 && (\forall int i; 0 <= i && i < leaves.length;
      @         0 < leaves[i] && leaves[i] <= Arith.MAX_POW2 && Arith.MAX_POW2 % leaves[i] == 0);
      @ }
      @*/

    /**
     * The physical address behind virtual {@code a} of a VMA that starts at {@code vmStart} and
     * maps the region from {@code within} (the BAR's start pfn plus the within-region page offset),
     * wrapping as the kernel's u64 sum does.
     */
    /*@ public normal_behavior
      @ ensures \result == (long) (barPhys + within + (a - vmStart));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long physOf(long barPhys, long within, long vmStart, long a) {
        return barPhys + within + (a - vmStart);
    }

    /**
     * Whether a leaf of {@code size} bytes can map the fault at {@code a}: the aligned block around
     * {@code a} lies inside the VMA and maps an aligned pfn ({@code vfio_pci_mmap_huge_fault},
     * drivers/vfio/pci/vfio_pci_core.c: the range and {@code pfn & ((1 << order) - 1)} tests).
     */
    /*@ public normal_behavior
      @ requires 0 < size && size <= Arith.MAX_POW2 && Arith.MAX_POW2 % size == 0;
      @ requires 0 <= vmStart && vmStart <= a && a < vmEnd;
      @ ensures \result <==> fits(vmStart, vmEnd, within, barPhys, a, size);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "vfio_pci_mmap_huge_fault", file = "drivers/vfio/pci/vfio_pci_core.c")
    public static /*@ pure @*/ boolean leafFits(long vmStart, long vmEnd, long within, long barPhys, long a,
            long size) {
        long block = a - Arith.remU(a, size); // ALIGN_DOWN(a, size): a & ~(size - 1)
        ArithLemmas.remAtMost(a, size); // a lemma, no code: 0 <= block <= a
        return Arith.uge(block, vmStart) && Arith.ule(size, Arith.usub(vmEnd, block))
                && Arith.remU(physOf(barPhys, within, vmStart, block), size) == 0;
    }

    /**
     * The index in {@code leaves} (descending, the architecture's pfnmap leaves, ending with
     * PAGE_SIZE) of the leaf a fault at {@code a} inserts: the largest that fits the VMA and maps an
     * aligned pfn, in the order {@code __handle_mm_fault} (mm/memory.c) offers them (PUD, then PMD,
     * then a PTE after VM_FAULT_FALLBACK); huge leaves only when {@code hugeAllowed} (the THP sysfs
     * policy of 6.18 lets them through).
     */
    /*@ public normal_behavior
      @ requires leaves != null && leaves.length > 0 && pow2Leaves(leaves);
      @ requires 0 <= vmStart && vmStart <= a && a < vmEnd;
      @ ensures 0 <= \result && \result < leaves.length;
      @ ensures \result < leaves.length - 1 ==> hugeAllowed && fits(vmStart, vmEnd, within, barPhys, a, leaves[\result]);
      @ ensures hugeAllowed ==> (\forall int j; 0 <= j && j < \result; !fits(vmStart, vmEnd, within, barPhys, a, leaves[j]));
      @ ensures !hugeAllowed ==> \result == leaves.length - 1;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "__handle_mm_fault", file = "mm/memory.c")
    public static /*@ pure @*/ int faultIndex(long vmStart, long vmEnd, long within, long barPhys, long a,
            long[] leaves, boolean hugeAllowed) {
        VfioFaultLemmas.pow2At(leaves, 0); // a lemma, no code: leaves is not empty
        if (!hugeAllowed) {
            return leaves.length - 1;
        }
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= leaves.length - 1;
          @ loop_invariant (\forall int j; 0 <= j && j < i; !fits(vmStart, vmEnd, within, barPhys, a, leaves[j]));
          @ decreases leaves.length - 1 - i; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (i < leaves.length - 1) {
            VfioFaultLemmas.pow2At(leaves, i); // a lemma, no code
            if (leafFits(vmStart, vmEnd, within, barPhys, a, leaves[i])) {
                return i;
            }
            i++;
        }
        return leaves.length - 1;
    }

    /** The leaf size a fault at {@code a} inserts: {@code leaves[faultIndex(...)]}, whose contract says which. */
    /*@ public normal_behavior
      @ requires leaves != null && leaves.length > 0 && pow2Leaves(leaves);
      @ requires 0 <= vmStart && vmStart <= a && a < vmEnd;
      @ ensures (\exists int k; 0 <= k && k < leaves.length; \result == leaves[k]);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long faultSize(long vmStart, long vmEnd, long within, long barPhys, long a,
            long[] leaves, boolean hugeAllowed) {
        return leaves[faultIndex(vmStart, vmEnd, within, barPhys, a, leaves, hugeAllowed)];
    }

    /**
     * How many leaves of each size map {@code [vmStart, vmEnd)} when every page is touched:
     * {@code counts[i]} for {@code leaves[i]}. Each fault inserts one leaf, so the sum is the
     * number of faults. Runs of PTEs are counted a huge-block at a time.
     */
    /*@ public normal_behavior
      @ requires leaves != null && leaves.length > 0 && pow2Leaves(leaves);
      @ requires 0 <= vmStart && vmStart <= vmEnd;
      @ ensures \result.length == leaves.length;
      @ ensures \fresh(\result);
      @ assignable \nothing; @*/
    public static long[] leafCounts(long vmStart, long vmEnd, long within, long barPhys, long[] leaves,
            boolean hugeAllowed) {
        VfioFaultLemmas.pow2At(leaves, leaves.length - 1); // lemmas, no code: the facts of the two smallest leaves
        if (leaves.length > 1) {
            VfioFaultLemmas.pow2At(leaves, leaves.length - 2);
        }
        long[] counts = new long[leaves.length];
        int last = leaves.length - 1;
        long page = leaves[last];
        long step = last > 0 ? leaves[last - 1] : 0;
        long a = vmStart;
        /*@ loop_invariant counts != null && counts.length == leaves.length && counts != leaves && \fresh(counts);
          @ loop_invariant vmStart <= a && a <= vmEnd;
          @ loop_invariant pow2Leaves(leaves) && last == leaves.length - 1;
          @ loop_invariant 0 < page && page <= Arith.MAX_POW2 && Arith.MAX_POW2 % page == 0;
          @ loop_invariant last > 0 ==> 0 < step && step <= Arith.MAX_POW2 && Arith.MAX_POW2 % step == 0;
          @ loop_invariant last == 0 ==> step == 0;
          @ decreases vmEnd - a;
          @ assignable counts[*]; @*/
        while (Arith.ult(a, vmEnd)) {
            int k = faultIndex(vmStart, vmEnd, within, barPhys, a, leaves, hugeAllowed);
            VfioFaultLemmas.pow2At(leaves, k); // a lemma, no code
            long next;
            if (k != last) {
                // the leaf's block lies inside the VMA: the next fault is at its end
                counts[k]++;
                next = Arith.alignDown(a, leaves[k]) + leaves[k];
            } else {
                // no huge leaf can start before the next boundary of the smallest huge size
                next = step == 0 ? vmEnd : Arith.alignDown(a, step) + step;
            }
            // past the VMA or wrapped: the rest of the VMA (for a huge leaf never taken, as its block
            // lies inside the VMA; kept so that the progress of the count is evident to the prover)
            if (Arith.ugt(next, vmEnd) || Arith.ule(next, a)) {
                next = vmEnd;
            }
            if (k == last) {
                counts[last] += Arith.udiv(next - a, page);
            }
            a = next;
        }
        return counts;
    }
}
