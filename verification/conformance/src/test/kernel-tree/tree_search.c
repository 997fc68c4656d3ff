/*
 * The kernel-tree harness's glue: vma_search.h (the differential harness's four functions)
 * implemented over a real kernel tree's own mmap search, so verification/conformance/src/test/c/harness/
 * driver.c runs that code unchanged on the flat lines of the Java model.
 *
 * Only glue is written here. The search itself (unmapped_area, unmapped_area_topdown,
 * vm_unmapped_area, the VMA iterator and guard-gap helpers, and the layers above as far as
 * cut.spec lists them) is cut out of the tree by extract.sh into cut.c at build time and
 * #included below, with #line markers pointing at the tree's files; the maple tree is the tree's
 * own lib/maple_tree.c, compiled by tools/testing/shared/maple-shim.c as the kernel's userland
 * harnesses (tools/testing/vma, tools/testing/radix-tree) build it, over liburcu.
 *
 * The glue provides what those functions read from the rest of the kernel: a minimal
 * struct mm_struct and struct vm_area_struct (as tools/testing/vma/vma_internal.h does),
 * `current` with its mm, the sysctl-like globals mmap_min_addr and stack_guard_gap, the page
 * and task-size constants (from the request, so one binary serves x86_64 4- and 5-level and
 * arm64 4K/16K/64K), the VM_* and MAP_* bits, and the shmem settings the tree's own
 * shmem_get_unmapped_area reads (from the request's shmem_huge_size: pfn_shmem_enter()), and AMD
 * family 15h's va_align global and current's PF_RANDOMIZE, which the tree's get_align_mask and
 * get_align_bits read (from the request's va_align: pfn_va_align_enter()). Each request's VMAs are linked into the maple
 * tree with the tree's vma_iter_prealloc()/vma_iter_store(), as vma_link() does.
 */
#include "maple-shared.h"
#include <linux/maple_tree.h>
#include <linux/math.h>
#include <linux/sizes.h>
#include <assert.h>
#include <string.h>
#include <urcu.h>

#include "vma_search.h"

/* ---- the request's machine: every constant below reads it ---- */
static const struct pfn_mm *pfn_cur;

#undef PAGE_SHIFT
#undef PAGE_SIZE
#undef PAGE_MASK
#undef PAGE_ALIGN
#undef offset_in_page
#define PAGE_SIZE ((unsigned long)pfn_cur->page_size)
#define PAGE_SHIFT ((unsigned)__builtin_ctzl(PAGE_SIZE))
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(addr) (((addr) + PAGE_SIZE - 1) & PAGE_MASK)
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)
#define PMD_SIZE ((unsigned long)pfn_cur->pmd_size)
#define PMD_SHIFT ((unsigned)__builtin_ctzl(PMD_SIZE))
#define TASK_SIZE ((unsigned long)pfn_cur->task_size)
#define TASK_SIZE_MAX ((unsigned long)pfn_cur->task_size_max)
#define DEFAULT_MAP_WINDOW ((unsigned long)pfn_cur->default_map_window)
/* arm64's and the generic search's bottom-up base (mm/util.c: the legacy layout's mmap_base) */
#define TASK_UNMAPPED_BASE ((unsigned long)pfn_cur->legacy_base)

/* IS_ENABLED() of the options the cut code tests, read per request where the model has an input */
#undef IS_ENABLED
#define IS_ENABLED(option) pfn_config_##option
#define pfn_config_CONFIG_64BIT 1
#define pfn_config_CONFIG_TRANSPARENT_HUGEPAGE (pfn_cur->thp != 0)
/* for the #ifdef in shmem_get_unmapped_area: a THP kernel (Debian's); the request's thp is read
 * by the IS_ENABLED() above it, which returns first when THP is off */
#define CONFIG_TRANSPARENT_HUGEPAGE 1

/* ---- VM_* bits (include/linux/mm.h values) ---- */
typedef unsigned long vm_flags_t;
#define VM_NONE 0x00000000UL
#define VM_SHARED 0x00000008UL
#define VM_GROWSDOWN 0x00000100UL
/* VM_GROWSUP exists only with CONFIG_STACK_GROWSUP (parisc's VM_ARCH_1); the model takes an
 * upward stack on any architecture, so it is a real bit here. */
#define VM_GROWSUP 0x01000000UL
/* x86's and arm64's VM_HIGH_ARCH_5 */
#define VM_SHADOW_STACK (1UL << 37)

/* ---- MAP_* bits (uapi; x86's MAP_32BIT/MAP_ABOVE4G) ---- */
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_32BIT 0x40
#define MAP_ABOVE4G 0x80
#define MAP_FIXED_NOREPLACE 0x100000

/* ---- the mm, its VMAs, current (as tools/testing/vma/vma_internal.h, with what the search reads) ---- */
#define MMF_TOPDOWN 31
struct mm_struct {
	struct maple_tree mm_mt;
	unsigned long mmap_base;          /* the base of this layout's search */
	unsigned long mmap_legacy_base;   /* x86: the bottom-up base */
	unsigned long flags;              /* MMF_TOPDOWN */
};

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	struct mm_struct *vm_mm;
	vm_flags_t vm_flags;
};

struct file {
	const struct file_operations *f_op;
	u64 pfn_max_size;                 /* the file's maximum size (file_mmap_size_max) */
};

struct task_struct {
	struct mm_struct *mm;
	unsigned int flags;               /* PF_RANDOMIZE from the request's va_align.pf_randomize
					   * (what get_align_mask reads; the model draws no random base) */
};
#define PF_RANDOMIZE 0x00400000
static struct mm_struct pfn_mm_struct;
static struct task_struct pfn_task = {.mm = &pfn_mm_struct};
#define current (&pfn_task)

unsigned long mmap_min_addr;          /* security/min_addr.c: the effective value */
unsigned long dac_mmap_min_addr;
unsigned long stack_guard_gap;        /* mm/mmap.c: 256 pages by default */

#define trace_vm_unmapped_area(addr, info) do { } while (0)
#define VM_BUG_ON(cond) assert(!(cond))

#if PFNMAP_TREE_UPPER
/* ---- what the layers above read: a 64-bit native task, no randomisation ---- */
typedef unsigned long pgoff_t;
/* shmem (mm/shmem.c, include/linux/shmem_fs.h): only what shmem_get_unmapped_area reads */
struct super_block {
	void *s_fs_info;                  /* struct shmem_sb_info of a tmpfs superblock */
};
struct shmem_sb_info {
	unsigned char huge;               /* the mount's huge= option (SHMEM_HUGE_*) */
};
struct vfsmount {
	struct super_block *mnt_sb;
};
struct inode {
	struct super_block *i_sb;
};
struct file_operations {
	unsigned long (*get_unmapped_area)(struct file *, unsigned long, unsigned long, unsigned long,
					   unsigned long);
};
#define in_32bit_syscall() false
#define in_compat_syscall() false
#define mmap_is_ia32() 0
#define randomize_page(start, range) (start)
#define arch_mmap_check(addr, len, flags) 0
#define mmap_assert_locked(mm) do { } while (0)
#define ____cacheline_aligned
static unsigned long task_size_32bit(void) { abort(); }
/* AMD family 15h's va_align (arch/x86/kernel/cpu/amd.c bsp_init_amd, the align_va_addr= option):
 * set per request by pfn_enter() from the flat line's "v" group; flags -1 (not an F15h) without it */
extern struct va_alignment va_align;
/* each kernel links one arch_get_unmapped_area[_topdown]: the glue's pick the request's architecture */
unsigned long arch_get_unmapped_area(struct file *filp, unsigned long addr, unsigned long len,
				     unsigned long pgoff, unsigned long flags, vm_flags_t vm_flags);
unsigned long arch_get_unmapped_area_topdown(struct file *filp, unsigned long addr, unsigned long len,
					     unsigned long pgoff, unsigned long flags, vm_flags_t vm_flags);
unsigned long shmem_get_unmapped_area(struct file *file, unsigned long addr, unsigned long len,
				      unsigned long pgoff, unsigned long flags);
/* The internal tmpfs mount (shmem_init's kern_mount) that anonymous shared memory lives on, the
 * shmem_enabled sysfs value and the per-size mTHP settings: set per request by pfn_shmem_enter().
 * Files of shmem itself are not sent (the model has no shmem file), so the file branch, which
 * reads file_inode(file)->i_sb, is never taken: file_inode() stops the driver if it is. */
static struct shmem_sb_info pfn_shm_sbinfo;
static struct super_block pfn_shm_sb = {.s_fs_info = &pfn_shm_sbinfo};
static struct vfsmount pfn_shm_vfsmount = {.mnt_sb = &pfn_shm_sb};
static struct vfsmount *shm_mnt = &pfn_shm_vfsmount;
static int shmem_huge;
static unsigned long huge_shmem_orders_always, huge_shmem_orders_madvise, huge_shmem_orders_inherit,
	huge_shmem_orders_within_size;
static const struct file_operations shmem_file_operations;
static struct inode *file_inode(const struct file *f)
{
	(void)f;
	fprintf(stderr, "tree_search: shmem_get_unmapped_area took its file branch (no shmem file is sent)\n");
	exit(4);
}
static int security_mmap_addr(unsigned long addr);
static u64 file_mmap_size_max(struct file *file, struct inode *inode);
#endif

#include "cut.c"

/* ---- the maple tree of the request's VMAs, rebuilt only when they change ---- */
static struct vm_area_struct *pfn_vmas;
static size_t pfn_nr, pfn_cap;
static unsigned pfn_kept_valid;

static vm_flags_t pfn_vm_flags(unsigned f)
{
	return (f & PFN_VM_GROWSDOWN ? VM_GROWSDOWN : 0) | (f & PFN_VM_GROWSUP ? VM_GROWSUP : 0)
		| (f & PFN_VM_SHADOW_STACK ? VM_SHADOW_STACK : 0);
}

static int same_vmas(const struct pfn_mm *mm)
{
	if (!pfn_kept_valid || mm->nr_vmas != pfn_nr)
		return 0;
	for (size_t i = 0; i < pfn_nr; i++)
		if (pfn_vmas[i].vm_start != mm->vm_start[i] || pfn_vmas[i].vm_end != mm->vm_end[i]
		    || pfn_vmas[i].vm_flags != pfn_vm_flags(mm->vm_flags[i]))
			return 0;
	return 1;
}

#if PFNMAP_TREE_UPPER
/*
 * AMD family 15h's va_align as a booted kernel has it: bsp_init_amd() sets va_align.mask
 * ((upperbit - 1) & PAGE_MASK), va_align.bits (get_random_u32() & mask) and va_align.flags
 * (ALIGN_VA_32 | ALIGN_VA_64), which control_va_addr_alignment() (align_va_addr=) may change; on
 * any other CPU flags stay -1. The task's PF_RANDOMIZE is current->flags. The tree's own
 * get_align_mask()/get_align_bits() (cut from sys_x86_64.c) read them; mmap_is_ia32() is 0 (a
 * 64-bit task, as every request of the model).
 */
struct va_alignment va_align = {.flags = -1};

static void pfn_va_align_enter(const struct pfn_mm *mm)
{
	va_align.flags = mm->va_align_flags;
	va_align.mask = mm->va_align_flags < 0 ? 0 : mm->va_align_mask;
	va_align.bits = mm->va_align_flags < 0 ? 0 : mm->va_align_bits;
	pfn_task.flags = mm->va_align_flags >= 0 && mm->pf_randomize ? PF_RANDOMIZE : 0;
}
#endif

/* Sets the kernel's globals and current->mm from the request; links its VMAs as vma_link() does. */
static void pfn_enter(const struct pfn_mm *mm)
{
	struct mm_struct *k = &pfn_mm_struct;
	pfn_cur = mm;
	mmap_min_addr = mm->mmap_min_addr;
	dac_mmap_min_addr = mm->dac_mmap_min_addr;
	stack_guard_gap = mm->stack_guard_gap;
	/* arch_pick_mmap_layout(): x86 keeps both bases; the generic one keeps the layout's */
	k->mmap_legacy_base = mm->legacy_base;
	k->mmap_base = mm->arch == PFN_ARCH_X86_64 || mm->topdown ? mm->mmap_base : mm->legacy_base;
	k->flags = mm->topdown ? 1UL << MMF_TOPDOWN : 0;
#if PFNMAP_TREE_UPPER
	pfn_va_align_enter(mm);
#endif
	if (same_vmas(mm))
		return;
	if (pfn_kept_valid)
		mtree_destroy(&k->mm_mt);
	mt_init_flags(&k->mm_mt, MM_MT_FLAGS);
	if (mm->nr_vmas > pfn_cap) {
		free(pfn_vmas);
		pfn_cap = mm->nr_vmas;
		pfn_vmas = calloc(pfn_cap, sizeof(*pfn_vmas));
		assert(pfn_vmas);
	}
	pfn_nr = mm->nr_vmas;
	for (size_t i = 0; i < pfn_nr; i++) {
		struct vm_area_struct *v = &pfn_vmas[i];
		VMA_ITERATOR(vmi, k, 0);
		v->vm_start = mm->vm_start[i];
		v->vm_end = mm->vm_end[i];
		v->vm_flags = pfn_vm_flags(mm->vm_flags[i]);
		v->vm_mm = k;
		/* vma_link() (mm/vma.c) without its accounting */
		vma_iter_config(&vmi, v->vm_start, v->vm_end);
		if (vma_iter_prealloc(&vmi, v)) {
			fprintf(stderr, "tree_search: vma_iter_prealloc failed\n");
			exit(3);
		}
		vma_iter_store(&vmi, v);
	}
	pfn_kept_valid = 1;
}

u64 pfn_vm_unmapped_area(const struct pfn_mm *mm, int topdown, u64 length, u64 low_limit, u64 high_limit,
			 u64 align_mask, u64 align_offset, u64 start_gap)
{
	struct vm_unmapped_area_info info = {
		.flags = topdown ? VM_UNMAPPED_AREA_TOPDOWN : 0,
		.length = length,
		.low_limit = low_limit,
		.high_limit = high_limit,
		.align_mask = align_mask,
		.align_offset = align_offset,
		.start_gap = start_gap,
	};
	pfn_enter(mm);
	return vm_unmapped_area(&info);
}

#if PFNMAP_TREE_UPPER
unsigned long arch_get_unmapped_area(struct file *filp, unsigned long addr, unsigned long len,
				     unsigned long pgoff, unsigned long flags, vm_flags_t vm_flags)
{
	if (pfn_cur->arch == PFN_ARCH_X86_64)
		return x86_arch_get_unmapped_area(filp, addr, len, pgoff, flags, vm_flags);
	return generic_get_unmapped_area(filp, addr, len, pgoff, flags, vm_flags);
}

unsigned long arch_get_unmapped_area_topdown(struct file *filp, unsigned long addr, unsigned long len,
					     unsigned long pgoff, unsigned long flags, vm_flags_t vm_flags)
{
	if (pfn_cur->arch == PFN_ARCH_X86_64)
		return x86_arch_get_unmapped_area_topdown(filp, addr, len, pgoff, flags, vm_flags);
	return generic_get_unmapped_area_topdown(filp, addr, len, pgoff, flags, vm_flags);
}

/*
 * The shmem settings of the request's shmem_huge_size (MmState.shmemHugeSize), as a booted 6.12
 * kernel has them: shmem_init() makes PMD-sized THP inherit the global setting
 * (huge_shmem_orders_inherit = BIT(HPAGE_PMD_ORDER)) and gives the internal mount shmem_huge.
 *   0         shmem_enabled=never (the default): shmem_huge and the mount's huge SHMEM_HUGE_NEVER,
 *             no mTHP size enabled;
 *   PMD_SIZE  "always" written to /sys/kernel/mm/transparent_hugepage/shmem_enabled
 *             (shmem_enabled_store: shmem_huge and the internal mount's huge SHMEM_HUGE_ALWAYS);
 *   another   "always" written to hugepages-<size>kB/shmem_enabled (that order's bit in
 *             huge_shmem_orders_always), the global setting left at never.
 */
static void pfn_shmem_enter(const struct pfn_mm *mm)
{
	u64 s = mm->shmem_huge_size;
	huge_shmem_orders_inherit = BIT(HPAGE_PMD_ORDER);
	huge_shmem_orders_always = huge_shmem_orders_madvise = huge_shmem_orders_within_size = 0;
	shmem_huge = s == PMD_SIZE ? SHMEM_HUGE_ALWAYS : SHMEM_HUGE_NEVER;
	SHMEM_SB(shm_mnt->mnt_sb)->huge = shmem_huge;
	if (s && s != PMD_SIZE)
		huge_shmem_orders_always = BIT(__builtin_ctzl(s) - PAGE_SHIFT);
}

/* security/commoncap.c cap_mmap_addr: below dac_mmap_min_addr the task needs CAP_SYS_RAWIO. */
static int security_mmap_addr(unsigned long addr)
{
	return addr < dac_mmap_min_addr && !pfn_cur->cap_sys_rawio ? -EPERM : 0;
}

static u64 file_mmap_size_max(struct file *file, struct inode *inode)
{
	(void)inode;
	return file->pfn_max_size;
}

/* ext4 and the other THP-capable filesystems: f_op->get_unmapped_area = thp_get_unmapped_area */
static const struct file_operations thp_file_ops = {.get_unmapped_area = thp_get_unmapped_area};
static const struct file_operations plain_file_ops = {0};

u64 pfn_mm_get_unmapped_area(const struct pfn_mm *mm, u64 addr, u64 len, u64 pgoff, u64 flags)
{
	pfn_enter(mm);
	return mm_get_unmapped_area_vmflags(current->mm, NULL, addr, len, pgoff, flags, 0);
}

u64 pfn_thp_get_unmapped_area_aligned(const struct pfn_mm *mm, u64 addr, u64 len, u64 off, u64 flags, u64 size)
{
	struct file f = {.f_op = &thp_file_ops};
	pfn_enter(mm);
	return __thp_get_unmapped_area(&f, addr, len, (loff_t)off, flags, size, 0);
}

/*
 * do_mmap (mm/mmap.c) up to the address. do_mmap itself is not cut (it goes on to create the
 * VMA): this is its order of checks, written for this glue from /work/shared/kernel-facts.md,
 * around the tree's round_hint_to_min, __get_unmapped_area, find_vma_intersection and
 * file_mmap_ok.
 */
u64 pfn_do_mmap(const struct pfn_mm *mm, int file, u64 addr, u64 len, u64 pgoff, u64 flags, u64 file_max_size)
{
	struct file f = {.f_op = file == PFN_FILE_THP ? &thp_file_ops : &plain_file_ops, .pfn_max_size = file_max_size};
	struct file *filp = file == PFN_FILE_ANON ? NULL : &f;
	pfn_enter(mm);
	pfn_shmem_enter(mm);
	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(addr);
	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if ((pgoff + (len >> PAGE_SHIFT)) < pgoff)
		return -EOVERFLOW;
	addr = __get_unmapped_area(filp, addr, len, pgoff, flags, 0);
	if (IS_ERR_VALUE(addr))
		return addr;
	if (flags & MAP_FIXED_NOREPLACE) {
		if (find_vma_intersection(current->mm, addr, addr + len))
			return -EEXIST;
	}
	if (filp && !file_mmap_ok(filp, NULL, pgoff, len))
		return -EOVERFLOW;
	return addr;
}
#else
/* Built from cut.spec without the layers above vm_unmapped_area: the driver must not send M or A lines. */
u64 pfn_mm_get_unmapped_area(const struct pfn_mm *mm, u64 addr, u64 len, u64 pgoff, u64 flags)
{
	(void)mm; (void)addr; (void)len; (void)pgoff; (void)flags;
	fprintf(stderr, "tree_search: built without the layers above vm_unmapped_area\n");
	exit(4);
}

u64 pfn_thp_get_unmapped_area_aligned(const struct pfn_mm *mm, u64 addr, u64 len, u64 off, u64 flags, u64 size)
{
	return pfn_mm_get_unmapped_area(mm, addr, len, off, flags + size);
}

u64 pfn_do_mmap(const struct pfn_mm *mm, int file, u64 addr, u64 len, u64 pgoff, u64 flags, u64 file_max_size)
{
	return pfn_mm_get_unmapped_area(mm, addr + (u64)file, len, pgoff + file_max_size, flags);
}
#endif

/* The maple tree's caches and RCU (as tools/testing/vma's main does), before the driver's main. */
__attribute__((constructor)) static void pfn_tree_init(void)
{
	rcu_register_thread();
	maple_tree_init();
}
