package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * The size {@code shmem_get_unmapped_area} (mm/shmem.c, Linux 6.18) aligns a mapping to, from the
 * knobs it reads: {@code shmem_huge} (the top-level
 * {@code /sys/kernel/mm/transparent_hugepage/shmem_enabled}), the {@code huge} of the
 * superblock ({@code SHMEM_SB(sb)->huge}: a tmpfs mount's {@code huge=}, or {@code shm_mnt}'s for
 * memfd and anonymous shared memory) and, for anonymous shared memory only, the per-size knobs
 * {@code hugepages-<size>/shmem_enabled} ({@code huge_shmem_orders_*}). 0 means "not aligned":
 * the function returns the plain search's address. {@code i_size} is not read: {@code
 * within_size} only matters when a fault allocates.
 */
public final class ShmemHuge {
    private ShmemHuge() {
    }

    /** SHMEM_HUGE_NEVER: no huge pages (a mount value and a knob value). */
    public static final int SHMEM_HUGE_NEVER = 0;
    /** SHMEM_HUGE_ALWAYS. */
    public static final int SHMEM_HUGE_ALWAYS = 1;
    /** SHMEM_HUGE_WITHIN_SIZE: huge pages within i_size (at fault time). */
    public static final int SHMEM_HUGE_WITHIN_SIZE = 2;
    /** SHMEM_HUGE_ADVISE: huge pages with MADV_HUGEPAGE (at fault time). */
    public static final int SHMEM_HUGE_ADVISE = 3;
    /** SHMEM_HUGE_DENY: the knob only; no huge pages for any mount. */
    public static final int SHMEM_HUGE_DENY = -1;
    /** SHMEM_HUGE_FORCE: the knob only; huge pages (PMD) for every mount. */
    public static final int SHMEM_HUGE_FORCE = -2;

    /**
     * {@code hpage_size} of {@code shmem_get_unmapped_area} for a shmem file (tmpfs, memfd): its
     * superblock's {@code huge} decides, unless the knob is {@code deny} (never aligned) or {@code
     * force} (always PMD). A file is aligned to HPAGE_PMD_SIZE or not at all: the per-size knobs
     * are read for anonymous memory only.
     */
    /*@ public normal_behavior
      @ requires 0 < pmdSize;
      @ ensures \result == 0 || \result == pmdSize;
      @ ensures shmemHuge == SHMEM_HUGE_DENY ==> \result == 0;
      @ ensures shmemHuge == SHMEM_HUGE_FORCE ==> \result == pmdSize;
      @ ensures shmemHuge != SHMEM_HUGE_DENY && shmemHuge != SHMEM_HUGE_FORCE
      @         ==> (\result == 0 <==> sbHuge == SHMEM_HUGE_NEVER);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hpage_size")
    public static /*@ pure @*/ long fileHugeSize(int shmemHuge, int sbHuge, long pmdSize) {
        if (shmemHuge == SHMEM_HUGE_DENY) {
            return 0;
        }
        if (shmemHuge == SHMEM_HUGE_FORCE || sbHuge != SHMEM_HUGE_NEVER) {
            return pmdSize;
        }
        return 0;
    }

    /**
     * {@code hpage_size} of {@code shmem_get_unmapped_area} for anonymous shared memory ({@code
     * file == NULL}, {@code shm_mnt}'s superblock): {@code PAGE_SIZE << highest_order(orders)}
     * where {@code orders} are the per-size knobs at {@code always}, {@code within_size} or
     * {@code advise}, and those at {@code inherit} unless {@code shm_mnt}'s {@code huge} is
     * never; with no such order, HPAGE_PMD_SIZE unless {@code shm_mnt}'s {@code huge} is never.
     * {@code explicitSize} is {@code PAGE_SIZE << highest_order} of the first three knobs' orders
     * and {@code inheritSize} that of the inherit orders (0 when a set is empty; the highest order
     * of a union is the larger of the two). {@code deny} and {@code force} decide before any of
     * it.
     */
    /*@ public normal_behavior
      @ ensures \result == 0 || \result == pmdSize || \result == explicitSize || \result == inheritSize;
      @ ensures shmemHuge == SHMEM_HUGE_DENY ==> \result == 0;
      @ ensures shmemHuge == SHMEM_HUGE_FORCE ==> \result == pmdSize;
      @ ensures shmemHuge != SHMEM_HUGE_DENY && shmemHuge != SHMEM_HUGE_FORCE && explicitSize == 0
      @         && shmMntHuge == SHMEM_HUGE_NEVER ==> \result == 0;
      @ ensures shmemHuge != SHMEM_HUGE_DENY && shmemHuge != SHMEM_HUGE_FORCE && explicitSize == 0
      @         && inheritSize == 0 && shmMntHuge != SHMEM_HUGE_NEVER ==> \result == pmdSize;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "hpage_size")
    public static /*@ pure @*/ long anonHugeSize(int shmemHuge, int shmMntHuge, long explicitSize, long inheritSize,
            long pmdSize) {
        if (shmemHuge == SHMEM_HUGE_DENY) {
            return 0;
        }
        if (shmemHuge == SHMEM_HUGE_FORCE) {
            return pmdSize;
        }
        long size = explicitSize;
        if (shmMntHuge != SHMEM_HUGE_NEVER && Arith.ugt(inheritSize, size)) {
            size = inheritSize;
        }
        if (size != 0) {
            return size;
        }
        if (shmMntHuge == SHMEM_HUGE_NEVER) {
            return 0;
        }
        return pmdSize;
    }
}
