package io.pfnmap.arch;

/**
 * The virtual-address constants the mmap search of a configuration uses, as the kernels of
 * kernel-facts part 1 show them without randomisation.
 *
 * @param kind               which search: the x86_64 {@code arch_get_unmapped_area*}
 *                           (arch/x86/kernel/sys_x86_64.c) or the generic one (mm/mmap.c
 *                           {@code generic_get_unmapped_area*})
 * @param taskSize           TASK_SIZE of a 64-bit task
 * @param taskSizeMax        TASK_SIZE_MAX (x86_64; equal to taskSize elsewhere)
 * @param defaultMapWindow   DEFAULT_MAP_WINDOW
 * @param pmdSize            PMD_SIZE (the THP size the anonymous and file THP paths align to)
 * @param stackGuardGap      the default stack_guard_gap, 256 pages (mm/mmap.c)
 */
public record Search(Kind kind, long taskSize, long taskSizeMax, long defaultMapWindow, long pmdSize,
        long stackGuardGap) {

    /** Which arch_get_unmapped_area pair a configuration uses. */
    public enum Kind {
        X86_64,
        GENERIC
    }

    static Search x86(int vaBits) {
        long taskSize = (1L << vaBits) - 4096;
        return new Search(Kind.X86_64, taskSize, taskSize, (1L << 47) - 4096, 2L << 20, 256L * 4096);
    }

    static Search arm64(long pageSize, int windowBits, int vaBits, long pmdSize) {
        return new Search(Kind.GENERIC, 1L << vaBits, 1L << vaBits, 1L << windowBits, pmdSize, 256L * pageSize);
    }
}
