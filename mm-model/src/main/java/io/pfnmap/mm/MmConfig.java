package io.pfnmap.mm;

import io.pfnmap.arch.ArchConfig;
import io.pfnmap.arch.Arch;
import io.pfnmap.arch.CpuFeatures;
import io.pfnmap.arch.KernelSizes;
import io.pfnmap.arch.Search;
import io.pfnmap.mm.core.Layout;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.ShmemHuge;

/**
 * The per-task and per-kernel values placement reads (kernel-facts part 1), named as the kernel
 * names them. {@link #x86_64()} gives these machines' values (but hugetlb: {@link #forArch} takes
 * the hstates of a CPU with 1 GiB pages, {@code CpuFeatures.DEFAULT}; this host has none).
 */
public record MmConfig(Search.Kind arch, long pageSize, long pmdSize, long taskSize, long taskSizeMax,
        long defaultMapWindow, long mmapBase, long legacyBase, long mmapMinAddr, long dacMmapMinAddr,
        long stackGuardGap, boolean topdown, boolean thp, boolean capSysRawio, long shmemHugeSize, int shmemEnabled,
        Hstates hstates, VaAlign vaAlign) {

    /** The configuration without AMD F15h's {@code va_align} ({@link VaAlign#OFF}: every other CPU). */
    public MmConfig(Search.Kind arch, long pageSize, long pmdSize, long taskSize, long taskSizeMax,
            long defaultMapWindow, long mmapBase, long legacyBase, long mmapMinAddr, long dacMmapMinAddr,
            long stackGuardGap, boolean topdown, boolean thp, boolean capSysRawio, long shmemHugeSize,
            int shmemEnabled, Hstates hstates) {
        this(arch, pageSize, pmdSize, taskSize, taskSizeMax, defaultMapWindow, mmapBase, legacyBase, mmapMinAddr,
                dacMmapMinAddr, stackGuardGap, topdown, thp, capSysRawio, shmemHugeSize, shmemEnabled, hstates,
                VaAlign.OFF);
    }

    /** The configuration with the kernel's default hstates ({@link Hstates#defaults}). */
    public MmConfig(Search.Kind arch, long pageSize, long pmdSize, long taskSize, long taskSizeMax,
            long defaultMapWindow, long mmapBase, long legacyBase, long mmapMinAddr, long dacMmapMinAddr,
            long stackGuardGap, boolean topdown, boolean thp, boolean capSysRawio, long shmemHugeSize,
            int shmemEnabled) {
        this(arch, pageSize, pmdSize, taskSize, taskSizeMax, defaultMapWindow, mmapBase, legacyBase, mmapMinAddr,
                dacMmapMinAddr, stackGuardGap, topdown, thp, capSysRawio, shmemHugeSize, shmemEnabled,
                Hstates.defaults(pmdSize));
    }

    /**
     * The configuration with {@code shmem_enabled} at never: files follow their mount's {@code
     * huge=}; anonymous shared memory aligns to {@code shmemHugeSize} (0: not at all).
     */
    public MmConfig(Search.Kind arch, long pageSize, long pmdSize, long taskSize, long taskSizeMax,
            long defaultMapWindow, long mmapBase, long legacyBase, long mmapMinAddr, long dacMmapMinAddr,
            long stackGuardGap, boolean topdown, boolean thp, boolean capSysRawio, long shmemHugeSize) {
        this(arch, pageSize, pmdSize, taskSize, taskSizeMax, defaultMapWindow, mmapBase, legacyBase, mmapMinAddr,
                dacMmapMinAddr, stackGuardGap, topdown, thp, capSysRawio, shmemHugeSize, ShmemHuge.SHMEM_HUGE_NEVER);
    }

    /** 8 MiB, the default RLIMIT_STACK. */
    public static final long DEFAULT_STACK_RLIMIT = 8L << 20;

    public MmConfig {
        powerOfTwo("page_size", pageSize);
        powerOfTwo("pmd_size", pmdSize);
        if (shmemHugeSize != 0) {
            powerOfTwo("shmem_huge_size", shmemHugeSize);
        }
        if (shmemEnabled < ShmemHuge.SHMEM_HUGE_FORCE || shmemEnabled > ShmemHuge.SHMEM_HUGE_ADVISE) {
            throw new InvalidInputException("shmem_enabled", "must be one of ShmemHuge.SHMEM_HUGE_*, got "
                    + shmemEnabled);
        }
        atMost2to62("task_size_max", taskSizeMax);
        atMost2to62("stack_guard_gap", stackGuardGap);
        for (long h : hstates.sizes()) {
            Hstates.checkedSize("hugetlb_sizes", h, pageSize);
        }
        if (vaAlign == null) {
            throw new InvalidInputException("va_align", "must be given (VaAlign.OFF: not an AMD F15h)");
        }
        vaAlign.check("va_align.mask", pageSize);
        if (vaAlign.mask() != 0 && arch != Search.Kind.X86_64) {
            throw new InvalidInputException("va_align", "is x86_64's (arch/x86/kernel/sys_x86_64.c, AMD family 15h); "
                    + "the generic search has none");
        }
    }

    /** The largest task_size_max and stack_guard_gap accepted: 2^62. */
    public static final long MAX_BOUND = 1L << 62;

    /*
     * Why 2^62: every 64-bit user half is far below it (x86_64 5-level 2^56, arm64 2^52), and with
     * VMAs and the guard gap below it both searches end on every input (docs/oracle.md, "Inputs
     * the search always ends on"); above it a wrapped high_limit can find the same gap forever.
     */
    private static void atMost2to62(String field, long v) {
        if (Long.compareUnsigned(v, MAX_BOUND) > 0) {
            throw new InvalidInputException(field, "must be at most 2^62 (every 64-bit user address space is far "
                    + "below; the search's retry loop is bounded only then), got " + Hex.of(v));
        }
    }

    private static void powerOfTwo(String field, long v) {
        if (v <= 0 || Long.bitCount(v) != 1 || v > (1L << 62)) {
            throw new InvalidInputException(field, "must be a power of two in [1, 2^62], got " + Hex.of(v));
        }
    }

    /** x86_64 with 4-level paging as on these machines (Linux 6.18, no ASLR, top-down). */
    public static MmConfig x86_64() {
        return forArch(Arch.X86_64.config(), true);
    }

    /**
     * The effective {@code mmap_min_addr} (security/min_addr.c {@code update_mmap_min_addr}: the
     * larger of the sysctl and {@code CONFIG_LSM_MMAP_MIN_ADDR}) of the kernel each configuration
     * is checked against: 0x10000 on x86_64 (this host's 6.18 and Debian's amd64 6.12, LSM value
     * 65536); 0x8000 on arm64 (Debian's arm64 and arm64-16k 6.12 configs: LSM value 32768, as
     * Kconfig gives for ARM64 with COMPAT; the 64K granule, with no Debian kernel, is assumed
     * configured alike); 0x10000 (Kconfig's default) for the other configurations.
     */
    public static long defaultMmapMinAddr(ArchConfig a) {
        return a.id().startsWith("arm64-") ? 0x8000 : 0x10000;
    }

    /**
     * The {@code vm.mmap_min_addr} sysctl ({@code dac_mmap_min_addr}, default {@code
     * CONFIG_DEFAULT_MMAP_MIN_ADDR}) of those kernels: 0x1000 on this host's x86_64 6.18 and on
     * Debian's arm64 6.12 kernels, 0x10000 on Debian's amd64 6.12 (the 5-level paging boot); 0x1000
     * elsewhere.
     */
    public static long defaultDacMmapMinAddr(ArchConfig a) {
        return a.id().startsWith("x86_64-la57") ? 0x10000 : 0x1000;
    }

    /** {@link #forArch(ArchConfig, boolean, long, long, long)} with the configuration's defaults. */
    public static MmConfig forArch(ArchConfig arch, boolean topdown) {
        return forArch(arch, topdown, DEFAULT_STACK_RLIMIT, defaultMmapMinAddr(arch), defaultDacMmapMinAddr(arch));
    }

    /**
     * The values a configuration's kernel shows without randomisation, for the given layout and
     * stack rlimit; mmap_min_addr as effective value and sysctl.
     */
    public static MmConfig forArch(ArchConfig arch, boolean topdown, long stackRlimit, long mmapMinAddr,
            long dacMmapMinAddr) {
        Search s = arch.search().orElseThrow(() -> new InvalidInputException("arch",
                arch.id() + " has leaf sizes only; the search is modelled for x86_64 and arm64"));
        long page = arch.pageSize();
        long mmapBase = Layout.mmapBase(s.defaultMapWindow(), stackRlimit, s.stackGuardGap(), page);
        long legacyBase = legacyBase(s.kind(), s.defaultMapWindow(), page);
        return new MmConfig(s.kind(), page, s.pmdSize(), s.taskSize(), s.taskSizeMax(), s.defaultMapWindow(),
                mmapBase, legacyBase, mmapMinAddr, dacMmapMinAddr, s.stackGuardGap(), topdown, true, true, 0,
                ShmemHuge.SHMEM_HUGE_NEVER, KernelSizes.isModelled(arch)
                        ? Hstates.registered(KernelSizes.of(arch, CpuFeatures.DEFAULT).hugetlb(), s.pmdSize())
                        : Hstates.defaults(s.pmdSize()));
    }

/**
     * The legacy layout's base for a search kind: x86_64 {@code __TASK_UNMAPPED_BASE}
     * (arch/x86/mm/mmap.c, a third of the window), else arm64's {@code TASK_UNMAPPED_BASE} (a
     * quarter of {@code DEFAULT_MAP_WINDOW}).
     */
    public static long legacyBase(Search.Kind kind, long defaultMapWindow, long pageSize) {
        return kind == Search.Kind.X86_64 ? Layout.x86LegacyBase(defaultMapWindow, pageSize)
                : Layout.arm64TaskUnmappedBase(defaultMapWindow, pageSize);
    }

        public MmConfig withTopdown(boolean td) {
        return new MmConfig(arch, pageSize, pmdSize, taskSize, taskSizeMax, defaultMapWindow, mmapBase, legacyBase,
                mmapMinAddr, dacMmapMinAddr, stackGuardGap, td, thp, capSysRawio, shmemHugeSize, shmemEnabled, hstates, vaAlign);
    }

    public MmConfig withCapSysRawio(boolean cap) {
        return new MmConfig(arch, pageSize, pmdSize, taskSize, taskSizeMax, defaultMapWindow, mmapBase, legacyBase,
                mmapMinAddr, dacMmapMinAddr, stackGuardGap, topdown, thp, cap, shmemHugeSize, shmemEnabled, hstates, vaAlign);
    }

    /** This configuration with the kernel's hugetlb hstates {@code h}. */
    public MmConfig withHstates(Hstates h) {
        return new MmConfig(arch, pageSize, pmdSize, taskSize, taskSizeMax, defaultMapWindow, mmapBase, legacyBase,
                mmapMinAddr, dacMmapMinAddr, stackGuardGap, topdown, thp, capSysRawio, shmemHugeSize, shmemEnabled, h, vaAlign);
    }

    /**
     * This configuration under the top-level {@code shmem_enabled} knob {@code knob} (a {@code
     * ShmemHuge.SHMEM_HUGE_*} value) with the per-size knobs at their defaults (PMD_SIZE's at
     * inherit, the others never; all at inherit gives the same sizes): anonymous shared memory
     * aligns to {@link ShmemHuge#anonHugeSize} ({@code shm_mnt}'s {@code huge} is the knob, which
     * sets it, unless the knob is deny or force, which do not), and shmem files as {@link
     * FileKind#shmem} says.
     */
    public MmConfig withShmemEnabled(int knob) {
        int shmMnt = knob > ShmemHuge.SHMEM_HUGE_DENY ? knob : ShmemHuge.SHMEM_HUGE_NEVER;
        return new MmConfig(arch, pageSize, pmdSize, taskSize, taskSizeMax, defaultMapWindow, mmapBase, legacyBase,
                mmapMinAddr, dacMmapMinAddr, stackGuardGap, topdown, thp, capSysRawio,
                ShmemHuge.anonHugeSize(knob, shmMnt, 0, pmdSize, pmdSize), knob, hstates, vaAlign);
    }

    /**
     * This configuration on an AMD family 15h CPU with {@code va_align} {@code v} (x86_64 only):
     * a 64-bit task's file searches align to {@link VaAlign#effectiveMask} and add {@link
     * VaAlign#effectiveBits} (arch/x86/kernel/sys_x86_64.c {@code get_align_mask}, {@code
     * get_align_bits}).
     */
    public MmConfig withVaAlign(VaAlign v) {
        return new MmConfig(arch, pageSize, pmdSize, taskSize, taskSizeMax, defaultMapWindow, mmapBase, legacyBase,
                mmapMinAddr, dacMmapMinAddr, stackGuardGap, topdown, thp, capSysRawio, shmemHugeSize, shmemEnabled,
                hstates, v);
    }

    int coreArch() {
        return arch == Search.Kind.X86_64 ? MmState.ARCH_X86_64 : MmState.ARCH_GENERIC;
    }
}
