/*
 * The differential harness's "C under test": the mmap address search of Linux 6.18 as
 * /work/shared/kernel-facts.md (docs/oracle.md) describes it, written for this repository from
 * those facts (no kernel code is copied). x86_64 (4- and 5-level paging) and the generic search
 * that arm64 uses; the THP-aligned helper; anonymous THP alignment; the hint and MAP_FIXED paths;
 * vm_unmapped_area bottom-up and top-down with align_mask, align_offset, start_gap and the
 * guard gaps of VM_GROWSDOWN / VM_GROWSUP / VM_SHADOW_STACK VMAs.
 *
 * Out of scope (documented in docs/oracle.md): hugetlbfs, shmem huge pages (shmem is searched
 * plainly, as with shmem_enabled=never), MPX/compat tasks, randomisation, AMD F15h's va_align (a
 * file mmap with it stops the stand-in, exit 4), the VFIO designs.
 */
#ifndef PFNMAP_VMA_SEARCH_H
#define PFNMAP_VMA_SEARCH_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t u64;

enum { PFN_ARCH_X86_64 = 0, PFN_ARCH_GENERIC = 1 };
enum { PFN_VM_GROWSDOWN = 1, PFN_VM_GROWSUP = 2, PFN_VM_SHADOW_STACK = 4 };
enum { PFN_FILE_ANON = 0, PFN_FILE_THP = 1, PFN_FILE_PLAIN = 2 };

#define PFN_MAP_SHARED          0x01ULL
#define PFN_MAP_PRIVATE         0x02ULL
#define PFN_MAP_FIXED           0x10ULL
#define PFN_MAP_ANONYMOUS       0x20ULL
#define PFN_MAP_FIXED_NOREPLACE 0x100000ULL

#define PFN_EPERM     1
#define PFN_ENOMEM   12
#define PFN_EEXIST   17
#define PFN_EINVAL   22
#define PFN_EOVERFLOW 75

/* The address space and the per-task values the search reads. VMAs are sorted and disjoint. */
struct pfn_mm {
	int arch;                 /* PFN_ARCH_* */
	u64 page_size, pmd_size;
	u64 task_size, task_size_max, default_map_window;
	u64 mmap_base, legacy_base;   /* legacy_base: mmap_legacy_base (x86) / TASK_UNMAPPED_BASE */
	u64 mmap_min_addr, dac_mmap_min_addr, stack_guard_gap;
	int topdown, thp, cap_sys_rawio;
	u64 shmem_huge_size;          /* 0: shmem huge pages off; else shmem's THP size (kernel-tree glue only) */
	/* AMD family 15h's va_align (kernel-tree glue only; the flat line's optional trailing "v" group):
	 * va_align.flags (-1: not an F15h, the group absent; else align_va_addr's ALIGN_VA_32 1 |
	 * ALIGN_VA_64 2), .mask, .bits, and whether the task has PF_RANDOMIZE */
	int va_align_flags;
	u64 va_align_mask, va_align_bits;
	int pf_randomize;
	size_t nr_vmas;
	const u64 *vm_start, *vm_end;
	const unsigned *vm_flags;     /* PFN_VM_* */
};

/* vm_unmapped_area with a raw info struct; returns an address or -errno. */
u64 pfn_vm_unmapped_area(const struct pfn_mm *mm, int topdown, u64 length, u64 low_limit, u64 high_limit,
			 u64 align_mask, u64 align_offset, u64 start_gap);

/* The plain search of the task's layout (mm_get_unmapped_area_vmflags). */
u64 pfn_mm_get_unmapped_area(const struct pfn_mm *mm, u64 addr, u64 len, u64 pgoff, u64 flags);

/* The THP-aligned helper at leaf size `size` (__thp_get_unmapped_area); 0: declined. */
u64 pfn_thp_get_unmapped_area_aligned(const struct pfn_mm *mm, u64 addr, u64 len, u64 off, u64 flags, u64 size);

/* do_mmap up to the address: returns the address or -errno. */
u64 pfn_do_mmap(const struct pfn_mm *mm, int file, u64 addr, u64 len, u64 pgoff, u64 flags, u64 file_max_size);

#endif
