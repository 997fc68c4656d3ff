package io.pfnmap.mm.core;

/**
 * The parts of a {@code struct mm_struct} and of the kernel configuration that placement reads:
 * the VMAs (sorted, disjoint, non-empty {@code [vmStart[i], vmEnd[i])}), the layout, the bases
 * and limits. Plain fields so that a prover can see them; the API in {@code io.pfnmap.mm} builds
 * it from validated records and never changes it afterwards.
 */
public final class MmState {
    /** The x86_64 {@code arch_get_unmapped_area*} (arch/x86/kernel/sys_x86_64.c). */
    public static final int ARCH_X86_64 = 0;
    /** The generic {@code generic_get_unmapped_area*} (mm/mmap.c): arm64, riscv and others. */
    public static final int ARCH_GENERIC = 1;

    /** VM_GROWSDOWN: a stack growing down; its start gap is stack_guard_gap. */
    public static final int VM_GROWSDOWN = 1;
    /** VM_GROWSUP: a stack growing up (never on x86_64 or arm64); its end gap is stack_guard_gap. */
    public static final int VM_GROWSUP = 2;
    /** VM_SHADOW_STACK: its start gap is one page. */
    public static final int VM_SHADOW_STACK = 4;

    public final int arch;
    /** PAGE_SIZE, a power of two. */
    public final long pageSize;
    /** PMD_SIZE (HPAGE_PMD_SIZE), a power of two. */
    public final long pmdSize;
    /** TASK_SIZE of the task. */
    public final long taskSize;
    /** TASK_SIZE_MAX (x86_64; the generic search does not read it). */
    public final long taskSizeMax;
    /** DEFAULT_MAP_WINDOW. */
    public final long defaultMapWindow;
    /** mm->mmap_base of the top-down layout. */
    public final long mmapBase;
    /** The bottom-up base: mm->mmap_legacy_base (x86_64) or TASK_UNMAPPED_BASE (generic). */
    public final long legacyBase;
    /** The effective mmap_min_addr: max(vm.mmap_min_addr, CONFIG_LSM_MMAP_MIN_ADDR) with LSMs. */
    public final long mmapMinAddr;
    /** dac_mmap_min_addr, the sysctl: below it a fixed address needs CAP_SYS_RAWIO. */
    public final long dacMmapMinAddr;
    /** stack_guard_gap. */
    public final long stackGuardGap;
    /** MMF_TOPDOWN: the default layout; false under {@code setarch -L}. */
    public final boolean topdown;
    /** CONFIG_TRANSPARENT_HUGEPAGE. */
    public final boolean thp;
    /** Whether the task has CAP_SYS_RAWIO (security/commoncap.c cap_mmap_addr). */
    public final boolean capSysRawio;
    /**
     * The size shmem aligns anonymous shared mappings to (HPAGE_PMD_SIZE or the largest enabled
     * shmem mTHP size), or 0 when shmem huge pages are off (mm/shmem.c).
     */
    public final long shmemHugeSize;
    /**
     * AMD family 15h's {@code va_align} as a 64-bit task's file searches see it (arch/x86/kernel/
     * sys_x86_64.c {@code get_align_mask(NULL)}): {@code va_align.mask}, {@code (upperbit - 1) &
     * PAGE_MASK} from arch/x86/kernel/cpu/amd.c {@code bsp_init_amd}, when {@code va_align.flags}
     * (the {@code align_va_addr=} boot option) has ALIGN_VA_64 and the task has PF_RANDOMIZE;
     * else 0 (every other CPU: {@code va_align.flags} stays -1). x86_64 only.
     */
    public final long vaAlignMask;
    /**
     * {@code get_align_bits()} (arch/x86/kernel/sys_x86_64.c): {@code va_align.bits &
     * get_align_mask(NULL)}, the bits drawn once per boot ({@code get_random_u32() &
     * va_align.mask}, amd.c) that a file search adds to its {@code align_offset}; 0 when off.
     */
    public final long vaAlignBits;
    public final long[] vmStart;
    public final long[] vmEnd;
    /** Sums of VM_GROWSDOWN, VM_GROWSUP, VM_SHADOW_STACK. */
    public final int[] vmFlags;
    /**
     * The gap index over these VMAs ({@link GapIndex#build}), or null: then the gap searches
     * ({@link VmaTree#areaLowest}, {@link VmaTree#areaHighest}) scan every gap, the linear
     * specification; with it they take O(log n), as the maple tree does.
     */
    public final long[] gapIndex;

    /*@ // Every long field holds a Java long. Always true; stated for KeY 2.12.3, which knows no
      @ // range for a long field it reads from the heap and must show one whenever such a field is
      @ // passed to a method (a long parameter's implicit precondition).
      @ public static model pure boolean fieldsInRange(MmState mm) {
      @     return \dl_inLong(mm.pageSize) && \dl_inLong(mm.pmdSize) && \dl_inLong(mm.taskSize)
      @         && \dl_inLong(mm.taskSizeMax) && \dl_inLong(mm.defaultMapWindow) && \dl_inLong(mm.mmapBase)
      @         && \dl_inLong(mm.legacyBase) && \dl_inLong(mm.mmapMinAddr) && \dl_inLong(mm.dacMmapMinAddr)
      @         && \dl_inLong(mm.stackGuardGap) && \dl_inLong(mm.shmemHugeSize);
      @ }
      @*/

    /*@ public normal_behavior
      @ ensures this.vmStart == vmStart && this.vmEnd == vmEnd && this.vmFlags == vmFlags;
      @ ensures this.gapIndex == gapIndex;
      @ pure @*/
    public MmState(int arch, long pageSize, long pmdSize, long taskSize, long taskSizeMax,
            long defaultMapWindow, long mmapBase, long legacyBase, long mmapMinAddr, long dacMmapMinAddr,
            long stackGuardGap, boolean topdown, boolean thp, boolean capSysRawio, long shmemHugeSize,
            long vaAlignMask, long vaAlignBits, long[] vmStart, long[] vmEnd, int[] vmFlags, long[] gapIndex) {
        this.arch = arch;
        this.pageSize = pageSize;
        this.pmdSize = pmdSize;
        this.taskSize = taskSize;
        this.taskSizeMax = taskSizeMax;
        this.defaultMapWindow = defaultMapWindow;
        this.mmapBase = mmapBase;
        this.legacyBase = legacyBase;
        this.mmapMinAddr = mmapMinAddr;
        this.dacMmapMinAddr = dacMmapMinAddr;
        this.stackGuardGap = stackGuardGap;
        this.topdown = topdown;
        this.thp = thp;
        this.capSysRawio = capSysRawio;
        this.shmemHugeSize = shmemHugeSize;
        this.vaAlignMask = vaAlignMask;
        this.vaAlignBits = vaAlignBits;
        this.vmStart = vmStart;
        this.vmEnd = vmEnd;
        this.vmFlags = vmFlags;
        this.gapIndex = gapIndex;
    }

    /** A copy of this state with another layout (for the fallbacks that change nothing else). */
    public MmState withTopdown(boolean td) {
        return new MmState(arch, pageSize, pmdSize, taskSize, taskSizeMax, defaultMapWindow, mmapBase,
                legacyBase, mmapMinAddr, dacMmapMinAddr, stackGuardGap, td, thp, capSysRawio, shmemHugeSize,
                vaAlignMask, vaAlignBits, vmStart, vmEnd, vmFlags, gapIndex);
    }

    /** A copy of this state with another gap index (null: the linear scan), the VMAs unchanged. */
    public MmState withGapIndex(long[] index) {
        return new MmState(arch, pageSize, pmdSize, taskSize, taskSizeMax, defaultMapWindow, mmapBase,
                legacyBase, mmapMinAddr, dacMmapMinAddr, stackGuardGap, topdown, thp, capSysRawio, shmemHugeSize,
                vaAlignMask, vaAlignBits, vmStart, vmEnd, vmFlags, index);
    }
}
