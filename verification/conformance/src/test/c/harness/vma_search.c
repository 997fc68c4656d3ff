/*
 * See vma_search.h. Written from the facts file's description, in this repository's own words.
 * Seeded bugs for the differential harness (compile with -DSEEDED_BUG=n, the harness must
 * disagree with the model on some request):
 *   1  the aligned helper forgets the "padded search returned the hint" case (ret == addr)
 *   2  the congruence adjustment is taken the wrong way round: (ret - off) instead of (off - ret)
 *   3  the top-down search forgets the guard gap below a VM_GROWSDOWN neighbour
 *   4  the aligned helper does not notice that len + size wraps
 */
#include "vma_search.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef SEEDED_BUG
#define SEEDED_BUG 0
#endif

#define ERR(e) ((u64)-(int64_t)(e))

static int is_err(u64 v) { return v >= (u64)-4095; }
static u64 max_u(u64 a, u64 b) { return a > b ? a : b; }
static u64 min_u(u64 a, u64 b) { return a < b ? a : b; }
static u64 align_down(u64 x, u64 m) { return x & ~(m - 1); }
static u64 align_up(u64 x, u64 m) { return (x + m - 1) & ~(m - 1); }

/* Where VMA i's guard area begins: a stack keeps stack_guard_gap free below it, a shadow stack a page. */
static u64 start_gap_of(const struct pfn_mm *mm, size_t i)
{
	u64 s = mm->vm_start[i], g = 0;
	if (mm->vm_flags[i] & PFN_VM_GROWSDOWN)
		g = mm->stack_guard_gap;
	else if (mm->vm_flags[i] & PFN_VM_SHADOW_STACK)
		g = mm->page_size;
	return s - g > s ? 0 : s - g;   /* no wrap below 0 */
}

/* Where VMA i's guard area ends: an upward stack keeps stack_guard_gap free above it. */
static u64 end_gap_of(const struct pfn_mm *mm, size_t i)
{
	u64 e = mm->vm_end[i];
	if (mm->vm_flags[i] & PFN_VM_GROWSUP) {
		u64 g = e + mm->stack_guard_gap;
		return g < e ? (u64)0 - mm->page_size : g;
	}
	return e;
}

static int has_start_gap(const struct pfn_mm *mm, size_t i)
{
	return (mm->vm_flags[i] & (PFN_VM_GROWSDOWN | PFN_VM_SHADOW_STACK)) != 0;
}

/* The first VMA ending above addr, or nr_vmas. */
static size_t first_above(const struct pfn_mm *mm, u64 addr)
{
	size_t i = 0;
	while (i < mm->nr_vmas && mm->vm_end[i] <= addr)
		i++;
	return i;
}

/*
 * Free range k lies between VMA k-1 and VMA k (range 0 starts at 0, range nr_vmas ends at the top
 * of the address space); the maple tree's gap search ignores guard gaps, so does this.
 * Is there a free stretch of at least `size` bytes of range k inside [lo, hi] (inclusive)?
 */
static int range_fits(const struct pfn_mm *mm, size_t k, u64 lo, u64 hi, u64 size)
{
	u64 first = k == 0 ? 0 : mm->vm_end[k - 1];
	u64 last;
	if (k < mm->nr_vmas) {
		if (mm->vm_start[k] == first)
			return 0;
		last = mm->vm_start[k] - 1;
	} else {
		last = ~(u64)0;
	}
	first = max_u(first, lo);
	last = min_u(last, hi);
	return first <= last && last - first >= size - 1;
}

static long lowest_range(const struct pfn_mm *mm, u64 lo, u64 hi, u64 size)
{
	if (lo > hi || size == 0 || hi - lo < size - 1)
		return -1;
	for (size_t k = 0; k <= mm->nr_vmas; k++)
		if (range_fits(mm, k, lo, hi, size))
			return (long)k;
	return -1;
}

static long highest_range(const struct pfn_mm *mm, u64 lo, u64 hi, u64 size)
{
	if (lo > hi || size == 0 || hi - lo < size - 1)
		return -1;
	for (long k = (long)mm->nr_vmas; k >= 0; k--)
		if (range_fits(mm, (size_t)k, lo, hi, size))
			return k;
	return -1;
}

static u64 search_length(u64 length, u64 mask, u64 start_gap)
{
	u64 l = length + mask + start_gap;
	return l < length ? 0 : l;
}

static u64 bottom_up(const struct pfn_mm *mm, u64 length, u64 low_limit, u64 high_limit, u64 mask, u64 offset,
		     u64 start_gap)
{
	u64 need = search_length(length, mask, start_gap);
	u64 low = max_u(low_limit, mm->mmap_min_addr), high = high_limit;
	if (need == 0)
		return ERR(PFN_ENOMEM);
	for (;;) {
		long k = lowest_range(mm, low, high - 1, need);
		u64 at;
		if (k < 0)
			return ERR(PFN_ENOMEM);
		at = max_u(k == 0 ? 0 : mm->vm_end[k - 1], low) + start_gap;
		at += (offset - at) & mask;        /* first address congruent to offset */
		if ((size_t)k < mm->nr_vmas && has_start_gap(mm, k)) {
			if (start_gap_of(mm, k) < at + need - 1) {
				low = mm->vm_end[k];      /* the stack's guard is in the way: look above it */
				continue;
			}
		} else if (k > 0 && end_gap_of(mm, k - 1) > at) {
			low = end_gap_of(mm, k - 1);
			continue;
		}
		return at;
	}
}

static u64 top_down(const struct pfn_mm *mm, u64 length, u64 low_limit, u64 high_limit, u64 mask, u64 offset,
		    u64 start_gap)
{
	u64 need = search_length(length, mask, start_gap);
	u64 low = max_u(low_limit, mm->mmap_min_addr), high = high_limit;
	if (need == 0)
		return ERR(PFN_ENOMEM);
	for (;;) {
		long k = highest_range(mm, low, high - 1, need);
		u64 top, at;
		if (k < 0)
			return ERR(PFN_ENOMEM);
		top = min_u((size_t)k == mm->nr_vmas ? ~(u64)0 : mm->vm_start[k] - 1, high - 1) + 1;
		at = top - length;
		at -= (at - offset) & mask;        /* last address congruent to offset */
#if SEEDED_BUG == 3
		if (0) {
#else
		if ((size_t)k < mm->nr_vmas && has_start_gap(mm, k)) {
#endif
			if (start_gap_of(mm, k) < top) {
				high = start_gap_of(mm, k);
				continue;
			}
		} else if (k > 0 && end_gap_of(mm, k - 1) > at) {
			high = mm->vm_start[k - 1];
			continue;
		}
		return at;
	}
}

u64 pfn_vm_unmapped_area(const struct pfn_mm *mm, int topdown, u64 length, u64 low_limit, u64 high_limit,
			 u64 align_mask, u64 align_offset, u64 start_gap)
{
	return topdown ? top_down(mm, length, low_limit, high_limit, align_mask, align_offset, start_gap)
		       : bottom_up(mm, length, low_limit, high_limit, align_mask, align_offset, start_gap);
}

/* Does [addr, addr + len) end at or below the guard area of the next VMA? */
static int fits_below_next(const struct pfn_mm *mm, u64 addr, u64 len)
{
	size_t i = first_above(mm, addr);
	return i == mm->nr_vmas || addr + len <= start_gap_of(mm, i);
}

/* ---- x86_64 (arch/x86/kernel/sys_x86_64.c behaviour) ---- */

static u64 x86_bottom_up(const struct pfn_mm *mm, u64 addr, u64 len, u64 pgoff, u64 flags)
{
	u64 end = addr > mm->default_map_window ? mm->task_size_max : mm->default_map_window;
	if (flags & PFN_MAP_FIXED)
		return addr;
	if (len > end)
		return ERR(PFN_ENOMEM);
	if (addr) {
		u64 h = align_up(addr, mm->page_size);
		if (end - len >= h && fits_below_next(mm, h, len))
			return h;
	}
	return bottom_up(mm, len, mm->legacy_base, end, 0, pgoff * mm->page_size, 0);
}

static u64 x86_top_down(const struct pfn_mm *mm, u64 addr0, u64 len, u64 pgoff, u64 flags)
{
	u64 addr = addr0, high, r;
	if (len > mm->task_size)
		return ERR(PFN_ENOMEM);
	if (flags & PFN_MAP_FIXED)
		return addr;
	if (addr) {
		addr = align_down(addr, mm->page_size);
		/* a hint must fit below TASK_SIZE and lie on one side of the default window */
		if (mm->task_size - len >= addr &&
		    (addr > mm->default_map_window) == (addr + len > mm->default_map_window) &&
		    fits_below_next(mm, addr, len))
			return addr;
	}
	high = mm->mmap_base;
	if (addr > mm->default_map_window)
		high += mm->task_size_max - mm->default_map_window;
	r = top_down(mm, len, mm->page_size, high, 0, pgoff * mm->page_size, 0);
	if ((r & (mm->page_size - 1)) == 0)
		return r;
	return x86_bottom_up(mm, addr0, len, pgoff, flags);
}

/* ---- the generic search (mm/mmap.c generic_get_unmapped_area*; arm64) ---- */

static int generic_hint_ok(const struct pfn_mm *mm, u64 addr, u64 len, u64 end)
{
	size_t next;
	if (!(end - len >= addr && addr >= mm->mmap_min_addr))
		return 0;
	next = first_above(mm, addr);
	if (next < mm->nr_vmas && addr + len > start_gap_of(mm, next))
		return 0;
	/* the VMA before: the last one when none ends above addr */
	if (next == 0)
		return 1;
	return addr >= end_gap_of(mm, next - 1);
}

static u64 generic_bottom_up(const struct pfn_mm *mm, u64 addr, u64 len, u64 flags)
{
	u64 end = addr > mm->default_map_window ? mm->task_size : mm->default_map_window;
	if (len > end - mm->mmap_min_addr)
		return ERR(PFN_ENOMEM);
	if (flags & PFN_MAP_FIXED)
		return addr;
	if (addr) {
		u64 h = align_up(addr, mm->page_size);
		if (generic_hint_ok(mm, h, len, end))
			return h;
	}
	return bottom_up(mm, len, mm->legacy_base, end, 0, 0, 0);
}

static u64 generic_top_down(const struct pfn_mm *mm, u64 addr0, u64 len, u64 flags)
{
	u64 end = addr0 > mm->default_map_window ? mm->task_size : mm->default_map_window;
	u64 addr = addr0, high, r;
	if (len > end - mm->mmap_min_addr)
		return ERR(PFN_ENOMEM);
	if (flags & PFN_MAP_FIXED)
		return addr0;
	if (addr) {
		addr = align_up(addr, mm->page_size);
		if (generic_hint_ok(mm, addr, len, end))
			return addr;
	}
	high = mm->mmap_base;
	if (addr > mm->default_map_window)
		high = mm->mmap_base + mm->task_size - mm->default_map_window;
	r = top_down(mm, len, mm->page_size, high, 0, 0, 0);
	if (r & (mm->page_size - 1))
		r = bottom_up(mm, len, mm->legacy_base, end, 0, 0, 0);
	return r;
}

u64 pfn_mm_get_unmapped_area(const struct pfn_mm *mm, u64 addr, u64 len, u64 pgoff, u64 flags)
{
	if (mm->arch == PFN_ARCH_X86_64)
		return mm->topdown ? x86_top_down(mm, addr, len, pgoff, flags) : x86_bottom_up(mm, addr, len, pgoff, flags);
	return mm->topdown ? generic_top_down(mm, addr, len, flags) : generic_bottom_up(mm, addr, len, flags);
}

/* ---- the THP-aligned helper ---- */

u64 pfn_thp_get_unmapped_area_aligned(const struct pfn_mm *mm, u64 addr, u64 len, u64 off, u64 flags, u64 size)
{
	/* off is a signed file offset (loff_t) */
	int64_t off_s = (int64_t)off;
	int64_t off_end = (int64_t)(off + len);
	int64_t off_align = (int64_t)(align_down(off - 1, size) + size);
	u64 len_pad, ret, off_sub;

	if (off_end <= off_align || (u64)off_end - (u64)off_align < size)
		return 0;                /* no whole aligned block of the file is mapped */
	len_pad = len + size;
#if SEEDED_BUG == 4
	if (off + len_pad < off)
#else
	if (len_pad < len || off + len_pad < off)
#endif
		return 0;
	/* pgoff for the search: off >> PAGE_SHIFT, arithmetic */
	ret = pfn_mm_get_unmapped_area(mm, addr, len_pad, (u64)(off_s >= 0 ? off_s / (int64_t)mm->page_size
					: -((-(off_s + 1)) / (int64_t)mm->page_size) - 1), flags);
	if (is_err(ret))
		return 0;                /* maybe only the padding did not fit: the caller retries */
#if SEEDED_BUG != 1
	if (ret == addr)
		return addr;             /* the hint was free even with the padding: keep it */
#endif
#if SEEDED_BUG == 2
	off_sub = (ret - off) & (size - 1);
#else
	off_sub = (off - ret) & (size - 1);
#endif
	if (mm->topdown && off_sub == 0)
		return ret + size;       /* keep the pad below, so the next search can fill it */
	return ret + off_sub;
}

/* ---- __get_unmapped_area and do_mmap ---- */

static u64 get_unmapped_area(const struct pfn_mm *mm, int file, u64 addr, u64 len, u64 pgoff, u64 flags)
{
	u64 r;
	if (len > mm->task_size)
		return ERR(PFN_ENOMEM);
	if (file != PFN_FILE_ANON && mm->arch == PFN_ARCH_X86_64 && mm->va_align_flags > 0 && mm->va_align_mask) {
		/* AMD F15h's va_align is the kernel-tree harness's (the tree's own get_align_mask) */
		fprintf(stderr, "vma_search: AMD F15h's va_align is not in this stand-in\n");
		exit(4);
	}
	if (file == PFN_FILE_ANON)
		pgoff = 0;
	if (file == PFN_FILE_THP ||
	    (file == PFN_FILE_ANON && !(flags & PFN_MAP_SHARED) && mm->thp && addr == 0 &&
	     (len & (mm->pmd_size - 1)) == 0)) {
		r = pfn_thp_get_unmapped_area_aligned(mm, addr, len, pgoff * mm->page_size, flags, mm->pmd_size);
		if (r == 0)
			r = pfn_mm_get_unmapped_area(mm, addr, len, pgoff, flags);
	} else {
		/* plain files, devices, and shmem without huge pages */
		if (file == PFN_FILE_ANON && (flags & PFN_MAP_SHARED) && mm->shmem_huge_size) {
			/* shmem huge pages are the kernel-tree harness's (the tree's own shmem_get_unmapped_area) */
			fprintf(stderr, "vma_search: shmem huge pages are not in this stand-in\n");
			exit(4);
		}
		r = pfn_mm_get_unmapped_area(mm, addr, len, pgoff, flags);
	}
	if (is_err(r))
		return r;
	if (r > mm->task_size - len)
		return ERR(PFN_ENOMEM);
	if (r & (mm->page_size - 1))
		return ERR(PFN_EINVAL);
	if (r < mm->dac_mmap_min_addr && !mm->cap_sys_rawio)
		return ERR(PFN_EPERM);
	return r;
}

u64 pfn_do_mmap(const struct pfn_mm *mm, int file, u64 addr, u64 len0, u64 pgoff, u64 flags, u64 file_max_size)
{
	u64 len, r;
	if (len0 == 0)
		return ERR(PFN_EINVAL);
	if (flags & PFN_MAP_FIXED_NOREPLACE)
		flags |= PFN_MAP_FIXED;
	if (!(flags & PFN_MAP_FIXED)) {
		/* round_hint_to_min */
		addr = align_down(addr, mm->page_size);
		if (addr && addr < mm->mmap_min_addr)
			addr = align_up(mm->mmap_min_addr, mm->page_size);
	}
	len = align_up(len0, mm->page_size);
	if (len == 0)
		return ERR(PFN_ENOMEM);
	if (pgoff + len / mm->page_size < pgoff)
		return ERR(PFN_EOVERFLOW);
	r = get_unmapped_area(mm, file, addr, len, pgoff, flags);
	if (is_err(r))
		return r;
	if (flags & PFN_MAP_FIXED_NOREPLACE) {
		size_t i = first_above(mm, r);
		if (r + len - 1 >= r && i < mm->nr_vmas && mm->vm_start[i] <= r + len - 1)
			return ERR(PFN_EEXIST);
	}
	if (file != PFN_FILE_ANON) {
		/* file_mmap_ok: the mapping must stay below the file's maximum size */
		if (file_max_size && len > file_max_size)
			return ERR(PFN_EOVERFLOW);
		if (pgoff > (file_max_size - len) / mm->page_size)
			return ERR(PFN_EOVERFLOW);
	}
	return r;
}
