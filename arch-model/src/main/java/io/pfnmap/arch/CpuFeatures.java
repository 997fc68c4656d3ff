package io.pfnmap.arch;

/**
 * The CPU features that change what a configuration's kernel offers, as inputs of the model.
 *
 * <p>{@code gbpages}: x86_64 {@code X86_FEATURE_GBPAGES} ({@code pdpe1gb} in /proc/cpuinfo), 1 GiB
 * pages at the PUD level. In Linux 6.12 it decides the 1 GiB hugetlb size only
 * (arch/x86/mm/hugetlbpage.c {@code arch_hugetlb_valid_size}, {@code gigantic_pages_init}); the
 * huge pfnmap fault path does not read it: {@code __handle_mm_fault} (mm/memory.c) offers
 * PUD_ORDER when {@code thp_vma_allowable_order} allows it, and {@code __thp_vma_allowable_orders}
 * (mm/huge_memory.c) only asks {@code thp_disabled_by_hw()}, which {@code hugepage_init} sets from
 * {@code has_transparent_hugepage()} = {@code boot_cpu_has(X86_FEATURE_PSE)}
 * (arch/x86/include/asm/pgtable.h); {@code create_huge_pud} then calls the driver's
 * {@code huge_fault} (drivers/vfio/pci/vfio_pci_core.c {@code vfio_pci_mmap_huge_fault}) and
 * {@code vmf_insert_pfn_pud} (mm/huge_memory.c) installs the PUD leaf with no CPU test. So the
 * pfnmap leaf table ({@link ArchConfig#pfnmapLeafSizesDescending()}) does not depend on this
 * feature, and {@link #pudPfnmapWithoutHardware(ArchConfig)} says where that is a hazard.
 * Ignored on arm64, whose PUD blocks depend on the granule only ({@code pud_sect_supported}).
 *
 * @param gbpages whether the CPU has 1 GiB pages (x86_64 {@code pdpe1gb})
 */
public record CpuFeatures(boolean gbpages) {

    /** A CPU with every feature the table assumes (the model's behaviour before this input). */
    public static final CpuFeatures DEFAULT = new CpuFeatures(true);

    /** From the {@code flags} line of /proc/cpuinfo (x86: {@code pdpe1gb}). */
    public static CpuFeatures fromCpuinfoFlags(String flags) {
        boolean gb = false;
        for (String f : flags.trim().split("\\s+")) {
            gb |= f.equals("pdpe1gb");
        }
        return new CpuFeatures(gb);
    }

    /**
     * True when the kernel of {@code arch} would insert a PUD pfnmap leaf that this CPU cannot walk:
     * x86_64 with PUD pfnmap built in and no 1 GiB pages. The kernel inserts it anyway (see the
     * class comment); the CPU then takes a reserved-bit page fault on the first access
     * (arch/x86/mm/fault.c {@code do_user_addr_fault}: {@code X86_PF_RSVD} -> {@code pgtable_bad}).
     */
    public boolean pudPfnmapWithoutHardware(ArchConfig arch) {
        return arch.id().startsWith("x86_64") && arch.pudPfnmap() && !gbpages;
    }
}
