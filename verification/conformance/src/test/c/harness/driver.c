/*
 * The differential harness's driver: reads requests in the harness's flat line format (one
 * request per line, every number in hex, docs/oracle.md "Harness") from stdin and prints one
 * answer per line: the raw u64 the function returns (an address, or -errno as the kernel
 * returns it), in hex. With PFNMAP_VECTORS defined (-DPFNMAP_VECTORS='"path/mmap_vectors.h"'),
 * `driver --vectors` runs the vector file's cases instead and prints "ok N" or the failures.
 *
 * Line format (fields separated by single spaces):
 *   M <mm> <vmas> <file> <addr> <len> <pgoff> <flags> <file_max_size>     do_mmap
 *   U <mm> <vmas> <topdown> <length> <low> <high> <mask> <offset> <gap>  vm_unmapped_area
 *   A <mm> <vmas> <addr> <len> <off> <flags> <size>                      the THP-aligned helper
 * <mm>   = arch page pmd task_size task_size_max window mmap_base legacy_base min_addr dac_min_addr
 *          guard_gap topdown thp cap_sys_rawio shmem_huge_size
 * <vmas> = n, then n times: start end flags
 * and, only for a request with mm.va_align (AMD family 15h), after the op's fields:
 *   v <va_align.mask> <va_align.bits> <va_align.flags> <pf_randomize>
 * (absent: not an F15h, va_align.flags -1).
 *
 * To run a kernel's own code instead (see docs/oracle.md), link this driver against another
 * implementation of vma_search.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vma_search.h"

/* vm.max_map_count's default is 65,530: a line may carry a full address space */
#define MAX_VMAS 65536

static u64 starts[MAX_VMAS], ends[MAX_VMAS];
static unsigned vflags[MAX_VMAS];

static int next_hex(char **p, u64 *out)
{
	char *end;
	while (**p == ' ')
		(*p)++;
	if (**p == '\0' || **p == '\n')
		return 0;
	*out = strtoull(*p, &end, 16);
	if (end == *p)
		return 0;
	*p = end;
	return 1;
}

/* The next n hex fields into out[0..n); 0 if any is missing or malformed. */
static int next_hexes(char **p, u64 *out, int n)
{
	for (int i = 0; i < n; i++)
		if (!next_hex(p, &out[i]))
			return 0;
	return 1;
}

/* The optional trailing "v mask bits flags pf_randomize" group (AMD F15h's va_align); 0 if malformed. */
static int va_align_group(char **p, struct pfn_mm *mm)
{
	u64 f[4];
	while (**p == ' ')
		(*p)++;
	if (**p != 'v')
		return 1;
	(*p)++;
	if (!next_hexes(p, f, 4))
		return 0;
	mm->va_align_mask = f[0];
	mm->va_align_bits = f[1];
	mm->va_align_flags = (int)f[2];
	mm->pf_randomize = f[3] != 0;
	return 1;
}

#ifdef PFNMAP_VECTORS
#include PFNMAP_VECTORS
static int run_vectors(void)
{
	size_t failures = 0;
	for (size_t i = 0; i < sizeof(pfnmap_vectors) / sizeof(pfnmap_vectors[0]); i++) {
		const struct pfnmap_vector *v = &pfnmap_vectors[i];
		struct pfn_mm mm = {
			.arch = v->arch, .page_size = v->page_size, .pmd_size = v->pmd_size,
			.task_size = v->task_size, .task_size_max = v->task_size_max,
			.default_map_window = v->default_map_window, .mmap_base = v->mmap_base,
			.legacy_base = v->legacy_base, .mmap_min_addr = v->mmap_min_addr,
			.dac_mmap_min_addr = v->dac_mmap_min_addr, .stack_guard_gap = v->stack_guard_gap,
			.topdown = v->topdown, .thp = v->thp, .cap_sys_rawio = v->cap_sys_rawio, .va_align_flags = -1,
			.nr_vmas = v->nr_vmas, .vm_start = v->vm_start, .vm_end = v->vm_end, .vm_flags = v->vm_flags,
		};
		u64 got = v->op == PFNMAP_OP_MMAP
			? pfn_do_mmap(&mm, v->file, v->addr, v->len, v->pgoff, v->map_flags, v->file_max_size)
			: v->op == PFNMAP_OP_ALIGNED
			? pfn_thp_get_unmapped_area_aligned(&mm, v->addr, v->len, v->off, v->map_flags, v->size)
			: pfn_vm_unmapped_area(&mm, v->info_topdown, v->len, v->low_limit, v->high_limit, v->align_mask,
					       v->align_offset, v->start_gap);
		if (got != v->expected) {
			printf("FAIL tcId %u (%s): got 0x%" PRIx64 ", expected 0x%" PRIx64 "\n", v->tc_id, v->comment,
			       got, v->expected);
			failures++;
		}
	}
	printf("%s %zu of %zu\n", failures ? "failed" : "ok", failures ? failures
	       : sizeof(pfnmap_vectors) / sizeof(pfnmap_vectors[0]), sizeof(pfnmap_vectors) / sizeof(pfnmap_vectors[0]));
	return failures != 0;
}
#endif

int main(int argc, char **argv)
{
	static char line[1 << 23];   /* 65,536 VMAs in hex fit */
	unsigned long lineno = 0;
#ifdef PFNMAP_VECTORS
	if (argc > 1 && strcmp(argv[1], "--vectors") == 0)
		return run_vectors();
#else
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "driver: built without PFNMAP_VECTORS; it reads flat lines from stdin\n");
		return 2;
	}
#endif
	while (fgets(line, sizeof(line), stdin)) {
		char *p = line + 1;
		u64 v[16], n, r;
		int nf;
		struct pfn_mm mm;
		char op = line[0];
		lineno++;
		if (!next_hexes(&p, v, 15))
			goto bad;
		mm = (struct pfn_mm){
			.arch = (int)v[0], .page_size = v[1], .pmd_size = v[2], .task_size = v[3],
			.task_size_max = v[4], .default_map_window = v[5], .mmap_base = v[6], .legacy_base = v[7],
			.mmap_min_addr = v[8], .dac_mmap_min_addr = v[9], .stack_guard_gap = v[10],
			.topdown = (int)v[11], .thp = (int)v[12], .cap_sys_rawio = (int)v[13],
			.shmem_huge_size = v[14], .va_align_flags = -1,
		};
		if (!next_hex(&p, &n) || n > MAX_VMAS)
			goto bad;
		for (u64 i = 0; i < n; i++) {
			u64 f;
			if (!next_hex(&p, &starts[i]) || !next_hex(&p, &ends[i]) || !next_hex(&p, &f))
				goto bad;
			vflags[i] = (unsigned)f;
		}
		mm.nr_vmas = n;
		mm.vm_start = starts;
		mm.vm_end = ends;
		mm.vm_flags = vflags;
		/* the op's own fields, then the optional va_align group */
		nf = op == 'M' ? 6 : op == 'U' ? 7 : op == 'A' ? 5 : 0;
		if (nf == 0 || !next_hexes(&p, v, nf) || !va_align_group(&p, &mm))
			goto bad;
		if (op == 'M')
			r = pfn_do_mmap(&mm, (int)v[0], v[1], v[2], v[3], v[4], v[5]);
		else if (op == 'U')
			r = pfn_vm_unmapped_area(&mm, (int)v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
		else
			r = pfn_thp_get_unmapped_area_aligned(&mm, v[0], v[1], v[2], v[3], v[4]);
		printf("%" PRIx64 "\n", r);
		continue;
bad:
		printf("invalid line %lu\n", lineno);
	}
	return 0;
}
