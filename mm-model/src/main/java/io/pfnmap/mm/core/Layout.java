package io.pfnmap.mm.core;

import io.pfnmap.arch.core.Kernel;

/**
 * Where the mmap areas start, without randomisation: {@code mmap_base} and the legacy base of
 * arch/x86/mm/mmap.c ({@code arch_pick_mmap_layout}) and of mm/util.c (the generic one arm64
 * uses).
 */
public final class Layout {
    private Layout() {
    }

    /** SIZE_128M / MIN_GAP: the least room left for the stack. */
    public static final long GAP_MIN = 128L * 1024 * 1024;

    /** RLIM_INFINITY. */
    public static final long RLIM_INFINITY = -1L;

    /**
     * {@code mmap_base(rnd = 0, task_size, rlim_stack)} (arch/x86/mm/mmap.c; mm/util.c has the
     * same rule with STACK_TOP): below the top, leave the stack rlimit plus the guard gap (plus
     * stack randomisation, 0 here; the sum not taken if it wraps, so an unlimited stack keeps
     * RLIM_INFINITY and is clamped down), clamped to [128 MiB, 5/6 of the top]. Checked against
     * Linux 6.18 on x86_64 at 8 MiB, 64 MiB, 127.5 MiB, 1 GiB and unlimited (LiveLayoutTest).
     * Exact for every top whose 5/6 is at least 128 MiB (every 64-bit configuration: the top is
     * DEFAULT_MAP_WINDOW, 2^47 or more). Below that the kernels differ from this and from each
     * other: x86's {@code clamp} gives 5/6 of the top to a gap at or above it and 128 MiB to any
     * other; the generic code skips the floor ({@code MIN_GAP < MAX_GAP} fails) and lowers only a
     * gap above 5/6.
     */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % pageSize == 0;
      @ ensures Arith.u(\result) % pageSize == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mmap_base", file = "arch/x86/mm/mmap.c")
    public static /*@ pure @*/ long mmapBase(long top, long stackRlimit, long stackGuardGap, long pageSize) {
        long gap = stackRlimit;
        if (Arith.ugt(gap + stackGuardGap, gap)) {
            gap = gap + stackGuardGap;
        }
        long gapMax = Arith.udivAny(top, 6) * 5;
        if (Arith.ult(gap, GAP_MIN)) {
            gap = GAP_MIN;
        } else if (Arith.ugt(gap, gapMax)) {
            gap = gapMax;
        }
        return Arith.alignUp(top - gap, pageSize);
    }

    /** x86_64 {@code __TASK_UNMAPPED_BASE(task_size)}: {@code PAGE_ALIGN(task_size / 3)}. */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % pageSize == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mmap_legacy_base", file = "arch/x86/mm/mmap.c")
    public static /*@ pure @*/ long x86LegacyBase(long taskSize, long pageSize) {
        return Arith.alignUp(Arith.udivAny(taskSize, 3), pageSize);
    }

    /** arm64 TASK_UNMAPPED_BASE: {@code PAGE_ALIGN(DEFAULT_MAP_WINDOW / 4)}. */
    /*@ public normal_behavior
      @ requires 0 < pageSize && pageSize <= Arith.MAX_POW2;
      @ requires Arith.MAX_POW2 % pageSize == 0;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "TASK_UNMAPPED_BASE", file = "arch/arm64/include/asm/processor.h")
    public static /*@ pure @*/ long arm64TaskUnmappedBase(long defaultMapWindow, long pageSize) {
        return Arith.alignUp(Arith.udiv(defaultMapWindow, 4), pageSize);
    }

    /**
     * {@code mmap_is_legacy}: x86_64 (arch/x86/mm/mmap.c) reads only the personality and the
     * sysctl; the generic one (mm/util.c) also chooses legacy for an unlimited stack.
     */
    /*@ public normal_behavior
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    @Kernel(fn = "mmap_is_legacy", file = "arch/x86/mm/mmap.c")
    public static /*@ pure @*/ boolean mmapIsLegacy(int arch, boolean addrCompatLayout, boolean legacyVaLayout,
            long stackRlimit) {
        if (addrCompatLayout || legacyVaLayout) {
            return true;
        }
        return arch == MmState.ARCH_GENERIC && stackRlimit == RLIM_INFINITY;
    }
}
