/*
 * The kernel's own searches as JNI calls, for the benchmarks' yardstick (YardstickBenchmark):
 * the kernel-tree harness's glue (verification/conformance/src/test/kernel-tree/tree_search.c, which
 * #includes the code cut out of the tree at build time, with its #line markers) compiled into a
 * shared library over the tree's lib/maple_tree.c. No kernel code is in this file.
 *
 * Why a batch per call: a JNI call costs some 10 to 20 ns, the order of one search at 64 VMAs;
 * `reps` searches per call make it a fraction of a nanosecond each, as JMH's own loop is for the
 * model. The space is linked into the maple tree once (space()), not per search: the glue's
 * pfn_enter() compares every VMA with the kept tree's on each call, which would cost O(n) per
 * search at 65,530 VMAs and measure the glue rather than the kernel.
 */
#include "tree_search.c"
#include <jni.h>

static struct pfn_mm bench_mm;
static u64 *bench_start, *bench_end;
static unsigned *bench_flags;
static __thread int bench_registered;

/* The glue's constructor registered the thread that loaded the library (registering twice aborts). */
__attribute__((constructor)) static void bench_loaded(void)
{
	bench_registered = 1;
}

/* liburcu wants each thread that enters the maple tree registered; JMH's threads are not ours. */
static void bench_thread(void)
{
	if (!bench_registered) {
		rcu_register_thread();
		bench_registered = 1;
	}
}

/*
 * space(mm, starts, ends, flags): the request's machine (the flat line's 15 <mm> fields, in
 * vma_search.h's order) and its VMAs, linked into the tree as vma_link() does (pfn_enter).
 */
JNIEXPORT void JNICALL Java_io_pfnmap_benchmarks_KernelC_space(JNIEnv *env, jclass cls, jlongArray mm,
							       jlongArray starts, jlongArray ends, jintArray flags)
{
	(void)cls;
	jlong m[15];
	jsize n = (*env)->GetArrayLength(env, starts);
	bench_thread();
	(*env)->GetLongArrayRegion(env, mm, 0, 15, m);
	free(bench_start);
	free(bench_end);
	free(bench_flags);
	bench_start = malloc(sizeof(u64) * (n ? n : 1));
	bench_end = malloc(sizeof(u64) * (n ? n : 1));
	bench_flags = malloc(sizeof(unsigned) * (n ? n : 1));
	assert(bench_start && bench_end && bench_flags);
	(*env)->GetLongArrayRegion(env, starts, 0, n, (jlong *)bench_start);
	(*env)->GetLongArrayRegion(env, ends, 0, n, (jlong *)bench_end);
	(*env)->GetIntArrayRegion(env, flags, 0, n, (jint *)bench_flags);
	bench_mm = (struct pfn_mm){
		.arch = (int)m[0], .page_size = m[1], .pmd_size = m[2], .task_size = m[3], .task_size_max = m[4],
		.default_map_window = m[5], .mmap_base = m[6], .legacy_base = m[7], .mmap_min_addr = m[8],
		.dac_mmap_min_addr = m[9], .stack_guard_gap = m[10], .topdown = (int)m[11], .thp = (int)m[12],
		.cap_sys_rawio = (int)m[13], .shmem_huge_size = m[14],
		.nr_vmas = (size_t)n, .vm_start = bench_start, .vm_end = bench_end, .vm_flags = bench_flags,
	};
	pfn_enter(&bench_mm);
	pfn_shmem_enter(&bench_mm);
}

/* vm_unmapped_area (mm/mmap.c: unmapped_area or unmapped_area_topdown), reps times; the last answer. */
JNIEXPORT jlong JNICALL Java_io_pfnmap_benchmarks_KernelC_vmUnmappedArea(JNIEnv *env, jclass cls, jint reps,
									 jboolean topdown, jlong length,
									 jlong low, jlong high, jlong mask,
									 jlong offset, jlong gap)
{
	(void)env; (void)cls;
	struct vm_unmapped_area_info info = {
		.flags = topdown ? VM_UNMAPPED_AREA_TOPDOWN : 0,
		.length = length, .low_limit = low, .high_limit = high,
		.align_mask = mask, .align_offset = offset, .start_gap = gap,
	};
	unsigned long r = 0;
	bench_thread();
	for (jint i = 0; i < reps; i++)
		r = vm_unmapped_area(&info);
	return (jlong)r;
}

/* __thp_get_unmapped_area (mm/huge_memory.c) for a THP-capable file, as the glue's
 * pfn_thp_get_unmapped_area_aligned calls it, reps times; the last answer. */
JNIEXPORT jlong JNICALL Java_io_pfnmap_benchmarks_KernelC_thpAligned(JNIEnv *env, jclass cls, jint reps, jlong addr,
								     jlong len, jlong off, jlong flags, jlong size)
{
	(void)env; (void)cls;
	struct file f = {.f_op = &thp_file_ops};
	unsigned long r = 0;
	bench_thread();
	for (jint i = 0; i < reps; i++)
		r = __thp_get_unmapped_area(&f, addr, len, (loff_t)off, flags, size, 0);
	return (jlong)r;
}
