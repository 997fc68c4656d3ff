/*
 * hugetlb_reserve_facts: three reservation facts of the running kernel that the counts read before a
 * call do not show (LiveHugetlbTest.reservationsTheCountsDoNotShow).  Run as root with a 2 MiB pool
 * of exactly 4 free pages, nothing reserved, and DIR a hugetlbfs mount (pagesize=2M).
 *
 * Usage: hugetlb_reserve_facts DIR
 *
 * Each step prints one line:
 *   STEP <name> kind=<anon|file> flags=0x<flags> addr=0x<addr> len=0x<len> avail=<n> result=<ok|ERRNO>
 * where avail is free_hugepages - resv_hugepages of the 2 MiB pool read just before the call
 * (nr_overcommit_hugepages is 0) and addr is the address asked for (0: none).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define H (2UL << 20)
#define POOL "/sys/kernel/mm/hugepages/hugepages-2048kB/"

static long count(const char *name)
{
    char p[128];
    snprintf(p, sizeof(p), POOL "%s", name);
    FILE *f = fopen(p, "r");
    long v = -1;
    if (!f || fscanf(f, "%ld", &v) != 1)
        exit(2);
    fclose(f);
    return v;
}

static void *step(const char *name, void *addr, size_t len, int flags, int fd)
{
    long avail = count("free_hugepages") - count("resv_hugepages");
    void *p = mmap(addr, len, PROT_READ, flags, fd, 0);
    int e = errno;
    printf("STEP %s kind=%s flags=0x%x addr=0x%lx len=0x%zx avail=%ld result=%s\n", name, fd < 0 ? "anon" : "file",
           flags, (unsigned long)addr, len, avail, p != MAP_FAILED ? "ok" : e == ENOMEM ? "ENOMEM" : e == EINVAL ? "EINVAL" : "E?");
    fflush(stdout);
    return p == MAP_FAILED ? NULL : p;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 1;
    char path[4096];
    snprintf(path, sizeof(path), "%s/facts", argv[1]);
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || unlink(path) != 0)
        return 2;
    const int anon = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB;
    /* A: a shared file range keeps its reservation after munmap (the inode's resv_map); mapping it
     * again reserves nothing, one page more reserves that page (the oracle, sent the map, agrees) */
    void *f = step("file-first", NULL, 2 * H, MAP_SHARED, fd);
    if (!f || munmap(f, 2 * H) != 0)
        return 3;
    void *x = step("anon-takes-the-rest", NULL, 2 * H, anon, -1);
    if (!x)
        return 3;
    step("file-same-range-again", NULL, 2 * H, MAP_SHARED, fd);
    step("file-one-page-more", NULL, 3 * H, MAP_SHARED, fd);
    /* B: MAP_FIXED over a reserved private mapping: its reservation is released before the new one */
    step("fixed-over-reserved", x, 2 * H, anon | MAP_FIXED, -1);
    /* C: the same over a MAP_NORESERVE mapping, which holds none */
    void *y = step("noreserve", NULL, H, anon | MAP_NORESERVE, -1);
    if (!y)
        return 3;
    step("fixed-over-noreserve", y, H, anon | MAP_FIXED, -1);
    return 0;
}
