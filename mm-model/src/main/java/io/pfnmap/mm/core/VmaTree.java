package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * The questions the search asks of the VMA tree (lib/maple_tree.c, include/linux/mm.h,
 * mm/mmap.c), answered over the sorted arrays of {@link MmState}. The gaps of the tree are the
 * empty ranges between VMAs: gap {@code k} lies between VMA {@code k - 1} and VMA {@code k}, gap
 * 0 starts at address 0 and gap {@code n} ends at 2^64 - 1.
 */
public final class VmaTree {
    private VmaTree() {
    }

    /*@ // The VMAs the proofs cover: what AddressSpace guarantees (equal lengths, each VMA
      @ // non-empty, sorted and disjoint, in the neighbour form for the gap
      @ // queries and the all-pairs form, which no-overlap needs and which KeY cannot derive
      @ // from the other by induction), fewer than 2^31 - 1 of them, and all below 2^63 (and the guard-gap fields in range), where
      @ // the unsigned and the signed order agree (every user address of every architecture
      @ // is below 2^57). KeY does not assume a long array element is in range: stated here.
      @ public static model pure boolean vmasValid(MmState mm) {
      @     return mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null
      @         && mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length
      @         && mm.vmStart.length < 2147483647
      @         && \dl_inLong(mm.stackGuardGap) && \dl_inLong(mm.pageSize)
      @         && (\forall int i; 0 <= i && i < mm.vmStart.length;
      @                0 <= mm.vmStart[i] && mm.vmStart[i] < mm.vmEnd[i] && mm.vmEnd[i] <= Long.MAX_VALUE
      @                && 0 <= mm.vmFlags[i] && mm.vmFlags[i] <= 7)
      @         && (\forall int i; 0 < i && i < mm.vmStart.length; mm.vmEnd[i - 1] <= mm.vmStart[i])
      @         && sorted(mm);
      @ }
      @*/

    /*@ // Every VMA's start and end is a Java long: KeY knows no range for a long array element,
      @ // and findVma and findVmaIntersection must show one for each they pass to Arith's tests.
      @ public static model pure boolean boundsInRange(MmState mm) {
      @     return (\forall int j; 0 <= j && j < mm.vmEnd.length; \dl_inLong(mm.vmEnd[j]))
      @         && (\forall int j; 0 <= j && j < mm.vmStart.length; \dl_inLong(mm.vmStart[j]));
      @ }
      @*/

    /*@ // The all-pairs order on its own, so that a proof that needs only it (inGap) does not
      @ // meet vmasValid's other quantifiers.
      @ public static model pure boolean sorted(MmState mm) {
      @     return (\forall int i, j; 0 <= i && i < j && j < mm.vmStart.length; mm.vmEnd[i] <= mm.vmStart[j]);
      @ }
      @*/

    /*@ // No VMA grows up (VM_GROWSUP): true on x86_64 and arm64, where the flag is VM_NONE; the
      @ // searches' proofs assume it (the kernel's generic search also runs on parisc, where it is not).
      @ public static model pure boolean noGrowsUp(MmState mm) {
      @     return (\forall int i; 0 <= i && i < mm.vmStart.length; (mm.vmFlags[i] / 2) % 2 == 0);
      @ }
      @*/

    /*@ // What vmasValid says of the two VMAs around gap k, in one place for the search's
      @ // guard-gap test (so that its proof need not unfold vmasValid's quantifiers).
      @ public static model pure boolean near(MmState mm, int k) {
      @     return mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null
      @         && mm.vmStart.length == mm.vmEnd.length && mm.vmFlags.length == mm.vmStart.length
      @         && 0 <= k && k <= mm.vmStart.length
      @         && \dl_inLong(mm.stackGuardGap) && \dl_inLong(mm.pageSize)
      @         && (k < mm.vmStart.length ==> 0 <= mm.vmStart[k] && mm.vmStart[k] < mm.vmEnd[k]
      @                && mm.vmEnd[k] <= Long.MAX_VALUE && 0 <= mm.vmFlags[k] && mm.vmFlags[k] <= 7)
      @         && (k > 0 ==> 0 <= mm.vmEnd[k - 1] && mm.vmEnd[k - 1] <= Long.MAX_VALUE
      @                && mm.vmStart[k - 1] < mm.vmEnd[k - 1]
      @                && 0 <= mm.vmFlags[k - 1] && mm.vmFlags[k - 1] <= 7);
      @ }
      @*/

    /*@ // Gap k holds size bytes of the window [min, max], said without wrap-around: the gap
      @ // [G, H) (G the end of VMA k - 1 or 0, H the start of VMA k or 2^64) and the window
      @ // [min, max + 1) both reach size bytes beyond the larger start. What gapFits, areaLowest
      @ // and areaHighest promise; the searches build in-bounds and no-overlap on it.
      @ public static model pure boolean holds(MmState mm, int k, long min, long max, long size) {
      @     return (k == 0 ? 0 : mm.vmEnd[k - 1]) + size <= (k == mm.vmStart.length ? Arith.two64() : mm.vmStart[k])
      @         && (k == 0 ? 0 : mm.vmEnd[k - 1]) + size <= (\bigint) max + 1
      @         && min + size <= (k == mm.vmStart.length ? Arith.two64() : mm.vmStart[k])
      @         && min + size <= (\bigint) max + 1;
      @ }
      @*/

    /*@ public normal_behavior
      @ requires 0 <= i && i < flags.length;
      @ ensures \result <==> flags[i] % 2 == 1;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /** {@code vma->vm_flags & VM_GROWSDOWN}. */
    public static /*@ pure @*/ boolean growsDown(int[] flags, int i) {
        return flags[i] % 2 == 1;
    }

    /** {@code vma->vm_flags & VM_GROWSUP}. */
    /*@ public normal_behavior
      @ requires 0 <= i && i < flags.length && 0 <= flags[i] && flags[i] <= 7;
      @ ensures \result <==> (flags[i] / 2) % 2 == 1;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean growsUp(int[] flags, int i) {
        return (flags[i] / 2) % 2 == 1;
    }

    /** {@code vma->vm_flags & VM_SHADOW_STACK}. */
    /*@ public normal_behavior
      @ requires 0 <= i && i < flags.length && 0 <= flags[i] && flags[i] <= 7;
      @ ensures \result <==> (flags[i] / 4) % 2 == 1;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean shadowStack(int[] flags, int i) {
        return (flags[i] / 4) % 2 == 1;
    }

    /** {@code vma->vm_flags & VM_STARTGAP_FLAGS} (VM_GROWSDOWN | VM_SHADOW_STACK). */
    /*@ public normal_behavior
      @ requires 0 <= i && i < flags.length && 0 <= flags[i] && flags[i] <= 7;
      @ ensures \result <==> flags[i] % 2 == 1 || (flags[i] / 4) % 2 == 1;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean hasStartGap(int[] flags, int i) {
        return growsDown(flags, i) || shadowStack(flags, i);
    }

    /**
     * {@code vm_start_gap} (include/linux/mm.h): the start less the guard gap, 0 if that would
     * wrap.
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires 0 <= i && i < mm.vmStart.length && mm.vmFlags.length == mm.vmStart.length;
      @ requires \dl_inLong(mm.vmStart[i]) && \dl_inLong(mm.stackGuardGap) && \dl_inLong(mm.pageSize);
      @ requires 0 <= mm.vmFlags[i] && mm.vmFlags[i] <= 7;
      @ ensures Arith.u(\result) <= Arith.u(mm.vmStart[i]);
      @ ensures mm.vmFlags[i] % 2 == 1 && 0 <= mm.stackGuardGap && mm.stackGuardGap < mm.vmStart[i]
      @         ==> \result == mm.vmStart[i] - mm.stackGuardGap;
      @ ensures mm.vmFlags[i] % 2 != 1 && (mm.vmFlags[i] / 4) % 2 == 1 && 0 <= mm.pageSize && mm.pageSize < mm.vmStart[i]
      @         ==> \result == mm.vmStart[i] - mm.pageSize;
      @ ensures mm.vmFlags[i] % 2 != 1 && (mm.vmFlags[i] / 4) % 2 != 1 ==> \result == mm.vmStart[i];
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "vm_start_gap", file = "include/linux/mm.h")
    public static /*@ pure @*/ long vmStartGap(MmState mm, int i) {
        long gap = 0;
        if (growsDown(mm.vmFlags, i)) {
            gap = mm.stackGuardGap;
        } else if (shadowStack(mm.vmFlags, i)) {
            gap = mm.pageSize;
        }
        long start = mm.vmStart[i] - gap;
        if (Arith.ugt(start, mm.vmStart[i])) {
            start = 0;
        }
        return start;
    }

    /**
     * {@code vm_end_gap} (include/linux/mm.h): the end plus the guard gap for VM_GROWSUP,
     * {@code -PAGE_SIZE} if that would wrap.
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires 0 <= i && i < mm.vmEnd.length && mm.vmFlags.length == mm.vmEnd.length;
      @ requires \dl_inLong(mm.vmEnd[i]) && \dl_inLong(mm.stackGuardGap);
      @ requires 0 <= mm.vmFlags[i] && mm.vmFlags[i] <= 7;
      @ ensures (mm.vmFlags[i] / 2) % 2 != 1 ==> \result == mm.vmEnd[i];
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "vm_end_gap", file = "include/linux/mm.h")
    public static /*@ pure @*/ long vmEndGap(MmState mm, int i) {
        long end = mm.vmEnd[i];
        if (growsUp(mm.vmFlags, i)) {
            end = end + mm.stackGuardGap;
            if (Arith.ult(end, mm.vmEnd[i])) {
                end = -mm.pageSize;
            }
        }
        return end;
    }

    /**
     * {@code find_vma} (mm/mmap.c): the index of the first VMA with {@code vm_end > addr}, or -1.
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires boundsInRange(mm);
      @ ensures -1 <= \result && \result < mm.vmEnd.length;
      @ ensures \result >= 0 ==> Arith.ugt(mm.vmEnd[\result], addr);
      @ ensures (\forall int j; 0 <= j && j < mm.vmEnd.length && (\result < 0 || j < \result);
      @                         !Arith.ugt(mm.vmEnd[j], addr));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "find_vma", file = "mm/mmap.c")
    public static /*@ pure @*/ int findVma(MmState mm, long addr) {
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= mm.vmEnd.length;
          @ loop_invariant (\forall int j; 0 <= j && j < i; !Arith.ugt(mm.vmEnd[j], addr));
          @ decreases mm.vmEnd.length - i; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (i < mm.vmEnd.length) {
            if (Arith.ugt(mm.vmEnd[i], addr)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /**
     * {@code find_vma_intersection} (mm/mmap.c): the first VMA meeting {@code [start, end)}, or
     * -1; none when {@code end - 1 < start} ({@code mt_find} with max below index).
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmStart.length == mm.vmEnd.length;
      @ requires boundsInRange(mm);
      @ ensures -1 <= \result && \result < mm.vmEnd.length;
      @ ensures \result >= 0 ==> Arith.ugt(mm.vmEnd[\result], start) && Arith.ule(mm.vmStart[\result], (long) (end - 1))
      @                       && Arith.ule(start, (long) (end - 1));
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    /*@ also public normal_behavior
      @ // -1: no VMA meets [start, end) (or the range is empty or wraps); needs the order of the VMAs.
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length;
      @ requires boundsInRange(mm) && sorted(mm);
      @ requires (\forall int i; 0 <= i && i < mm.vmStart.length; 0 <= mm.vmStart[i] && mm.vmStart[i] < mm.vmEnd[i]);
      @ ensures \result < 0 ==> Predicates.noVmaIntersection(mm, start, end);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "find_vma_intersection", file = "mm/mmap.c")
    public static /*@ pure @*/ int findVmaIntersection(MmState mm, long start, long end) {
        long last = end - 1;
        if (Arith.ugt(start, last)) {
            return -1;
        }
        int i = findVma(mm, start);
        if (i >= 0 && Arith.ule(mm.vmStart[i], last)) {
            return i;
        }
        return -1;
    }

    /** Number of gaps, one more than the number of VMAs. */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length < 2147483647;
      @ ensures \result == mm.vmStart.length + 1;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ int gapCount(MmState mm) {
        return mm.vmStart.length + 1;
    }

    /** The first address of gap {@code k}: 0, or the end of the VMA before it. */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires 0 <= k && k <= mm.vmEnd.length;
      @ ensures k == 0 ==> \result == 0;
      @ ensures k > 0 ==> \result == mm.vmEnd[k - 1];
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long gapStart(MmState mm, int k) {
        return k == 0 ? 0 : mm.vmEnd[k - 1];
    }

    /** Whether gap {@code k} is empty (two VMAs touch, or the first VMA starts at 0). */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires 0 <= k && k <= mm.vmStart.length && mm.vmStart.length == mm.vmEnd.length;
      @ ensures \result <==> k < mm.vmStart.length && mm.vmStart[k] == (k == 0 ? 0 : mm.vmEnd[k - 1]);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean gapEmpty(MmState mm, int k) {
        return k < mm.vmStart.length && mm.vmStart[k] == gapStart(mm, k);
    }

    /** The last address of a non-empty gap {@code k}: the start of the next VMA less one, or 2^64 - 1. */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires 0 <= k && k <= mm.vmStart.length;
      @ requires k < mm.vmStart.length ==> \dl_inLong(mm.vmStart[k]);
      @ ensures k == mm.vmStart.length ==> \result == -1;
      @ ensures k < mm.vmStart.length ==> \result == (long) (mm.vmStart[k] - 1);
      @ ensures k == mm.vmStart.length ==> Arith.u(\result) == Arith.two64() - 1;
      @ ensures k < mm.vmStart.length && mm.vmStart[k] != 0 ==> Arith.u(\result) == Arith.u(mm.vmStart[k]) - 1;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long gapLast(MmState mm, int k) {
        return k == mm.vmStart.length ? -1L : mm.vmStart[k] - 1;
    }

    /**
     * Whether gap {@code k}, clipped to {@code [min, max]}, holds {@code size} bytes; when it does,
     * {@code holds} says so without wrap-around.
     */
    /*@ public normal_behavior
      @ requires mm.vmStart != null && mm.vmEnd != null && mm.vmFlags != null;
      @ requires mm.vmStart.length == mm.vmEnd.length && 0 <= k && k <= mm.vmStart.length;
      @ requires k > 0 ==> 0 <= mm.vmEnd[k - 1] && mm.vmEnd[k - 1] <= Long.MAX_VALUE;
      @ requires k < mm.vmStart.length ==> 0 <= mm.vmStart[k] && mm.vmStart[k] <= Long.MAX_VALUE;
      @ requires k > 0 && k < mm.vmStart.length ==> mm.vmStart[k] != 0;
      @ requires 0 <= min && 0 <= max && 0 < size;
      @ ensures \result ==> holds(mm, k, min, max, size);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean gapFits(MmState mm, int k, long min, long max, long size) {
        if (gapEmpty(mm, k)) {
            return false;
        }
        long s = Arith.umax(gapStart(mm, k), min);
        long e = Arith.umin(gapLast(mm, k), max);
        if (!Arith.ule(s, e)) {
            return false;
        }
        return Arith.uge(Arith.usub(e, s), Arith.usub(size, 1));
    }

    /**
     * {@code vma_iter_area_lowest} / {@code mas_empty_area} (lib/maple_tree.c): the lowest gap that
     * holds {@code size} bytes inside {@code [min, max]}; -1 (-EBUSY or -EINVAL) if none or if the
     * window is empty or too small. The address found is {@code max(gapStart(k), min)}. The
     * loop over every gap is the specification; a state with a gap index ({@link MmState#gapIndex})
     * is answered by {@link GapIndex#masEmptyArea} in O(log n), as the kernel's tree does.
     */
    /*@ public normal_behavior
      @ requires vmasValid(mm);
      @ requires 0 <= max && 0 < size;
      @ ensures -1 <= \result && \result <= mm.vmStart.length;
      @ ensures \result >= 0 ==> holds(mm, \result, min, max, size);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "vma_iter_area_lowest", file = "lib/maple_tree.c")
    public static /*@ pure @*/ int areaLowest(MmState mm, long min, long max, long size) {
        int indexed = GapIndex.masEmptyArea(mm, mm.gapIndex, min, max, size); // O(log n), the same answer
        if (indexed != GapIndex.NO_INDEX) {
            return indexed;
        }
        if (Arith.ugt(min, max) || size == 0 || Arith.ult(max - min, size - 1)) {
            return -1;
        }
        int k = 0;
        /*@ loop_invariant 0 <= k && k <= mm.vmStart.length + 1;
          @ decreases mm.vmStart.length + 1 - k; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (k <= mm.vmStart.length) {
            if (gapFits(mm, k, min, max, size)) {
                return k;
            }
            k++;
        }
        return -1;
    }

    /**
     * {@code vma_iter_area_highest} / {@code mas_empty_area_rev} (lib/maple_tree.c): the highest
     * gap that holds {@code size} bytes inside {@code [min, max]}, or -1. The range found ends at
     * {@code min(gapLast(k), max)}. With a gap index, {@link GapIndex#masEmptyAreaRev} answers.
     */
    /*@ public normal_behavior
      @ requires vmasValid(mm);
      @ requires 0 <= max && 0 < size;
      @ ensures -1 <= \result && \result <= mm.vmStart.length;
      @ ensures \result >= 0 ==> holds(mm, \result, min, max, size);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "vma_iter_area_highest", file = "lib/maple_tree.c")
    public static /*@ pure @*/ int areaHighest(MmState mm, long min, long max, long size) {
        int indexed = GapIndex.masEmptyAreaRev(mm, mm.gapIndex, min, max, size); // O(log n), the same answer
        if (indexed != GapIndex.NO_INDEX) {
            return indexed;
        }
        if (Arith.ugt(min, max) || size == 0 || Arith.ult(max - min, size - 1)) {
            return -1;
        }
        int k = mm.vmStart.length;
        /*@ loop_invariant -1 <= k && k <= mm.vmStart.length;
          @ decreases k + 1; @*/
        /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
        while (k >= 0) {
            if (gapFits(mm, k, min, max, size)) {
                return k;
            }
            k--;
        }
        return -1;
    }
}
