/*
 * mmap_recorder: records real Linux mmap() placement decisions together with
 * the exact address-space layout (/proc/self/maps) seen just before each call.
 *
 * Usage: mmap_recorder SEED NCALLS FILEPATH [anon-shared[,file-private] | hugetlb | hugetlb-reserve]
 *
 * FILEPATH "memfd:NAME" maps a memfd (memfd_create(NAME, MFD_CLOEXEC)) instead of a path; a
 * character device (/dev/zero) is not sized.  With the MODE "anon-shared" the anonymous calls
 * are MAP_SHARED instead of MAP_PRIVATE (both reach shmem_get_unmapped_area, the first with a
 * file, the second without); "anon-shared,file-private" also makes half of the file calls
 * MAP_PRIVATE (for /dev/zero, whose private mappings take the THP hook).
 *
 * The layout constants are found at run time: PAGE_SIZE from sysconf, TASK_SIZE by
 * one probe (a MAP_FIXED_NOREPLACE page at 2^50, unmapped at once, before any output),
 * DEFAULT_MAP_WINDOW from the architecture and page size.  On x86_64 with 4-level
 * paging the calls are exactly those of the original x86_64-only recorder; on every
 * other configuration (x86_64 with 5-level paging, arm64 with 4 KiB or 16 KiB pages)
 * the edge tables also hold that configuration's DEFAULT_MAP_WINDOW, TASK_SIZE and
 * hints above the default window, and the recorder prints one FACT line after ENV.
 *
 * Makes NCALLS seeded pseudo-random mmap() calls (interleaved with munmap()
 * actions on the program's own mappings).  Before every mmap() call the
 * contents of /proc/self/maps are read into a static buffer using only
 * open/read/close; after that read, nothing but pure computation happens
 * until the mmap syscall itself.  All output is formatted into a static
 * buffer by hand and emitted with write(2) after the call.  No malloc, no
 * stdio, so the process never creates a mapping the recorder did not ask for.
 *
 * Build: gcc -O2 -Wall -Wextra -o mmap_recorder mmap_recorder.c
 * Run:   setarch x86_64 -R ./mmap_recorder 1 2000 /tmp/rec.dat      (top-down)
 *        setarch x86_64 -L -R ./mmap_recorder 1 2000 /tmp/rec.dat   (legacy)
 *
 * See README.md next to this file for the output format.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Layout constants, set once by detect_layout() before anything else runs. */
static uint64_t g_page = 4096;                /* PAGE_SIZE */
static unsigned g_shift = 12;                 /* PAGE_SHIFT */
static uint64_t g_task_sz = 0x7ffffffff000ULL; /* TASK_SIZE (x86_64 4-level: TASK_SIZE_MAX) */
static uint64_t g_window = 0x7ffffffff000ULL;  /* DEFAULT_MAP_WINDOW */
static uint64_t g_pmd = 2ULL << 20;           /* PMD_SIZE: PAGE_SIZE * (PAGE_SIZE / 8) */
static uint64_t g_maxpg = 0x7ffffffffffffULL;  /* last page offset below 2^63 bytes */
static int g_ext;                             /* not x86_64 4-level: extended edge tables */

#define PAGE g_page
#define PAGE_ALIGN(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define TASK_SZ g_task_sz
#define PMD g_pmd
#define GIB (1ULL << 30)
#define FILE_SIZE (1ULL << 20)

#define MAX_TRACKED_SOFT 380 /* above this, munmap whole entries */
#define TMAX 4096            /* hard capacity of the ownership table */
#define MMAX 32768           /* max parsed /proc/self/maps lines */

/* ------------------------------------------------------------------ */
/* static storage (no heap anywhere)                                   */

static char maps_buf[1 << 20];
static size_t maps_len;
static int maps_truncated;

static uint64_t m_start[MMAX], m_end[MMAX];
static const char *m_perm[MMAX];
static const char *m_name[MMAX];
static size_t m_namelen[MMAX];
static int m_n;

static char out_buf[1 << 22];
static size_t out_len;

/* ownership table: disjoint page-aligned [t_a, t_e) ranges that were
 * created by this program's own successful mmap() calls */
static uint64_t t_a[TMAX], t_e[TMAX];
static int t_n;

static int file_fd = -1;

/* ------------------------------------------------------------------ */
/* output                                                              */

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            _exit(3);
        }
        p += w;
        n -= (size_t)w;
    }
}

static void out_flush(void)
{
    write_all(1, out_buf, out_len);
    out_len = 0;
}

static void out_mem(const char *p, size_t n)
{
    if (out_len + n > sizeof(out_buf))
        out_flush();
    if (n > sizeof(out_buf)) {
        write_all(1, p, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        out_buf[out_len + i] = p[i];
    out_len += n;
}

static void out_str(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    out_mem(s, n);
}

static void out_ch(char c) { out_mem(&c, 1); }

/* 0x-prefixed lowercase hex, no leading zeros ("0x0" for zero) */
static void out_hex(uint64_t v)
{
    char tmp[20];
    int i = 20;
    do {
        tmp[--i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    tmp[--i] = 'x';
    tmp[--i] = '0';
    out_mem(tmp + i, (size_t)(20 - i));
}

/* v in decimal at the end of tmp[24] (no leading zeros, "0" for zero); returns where it starts */
static int udec(char tmp[24], uint64_t v)
{
    int i = 24;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return i;
}

static void out_udec(uint64_t v)
{
    char tmp[24];
    int i = udec(tmp, v);
    out_mem(tmp + i, (size_t)(24 - i));
}

static void out_sdec(int64_t v)
{
    if (v < 0) {
        out_ch('-');
        out_udec((uint64_t)0 - (uint64_t)v);
    } else {
        out_udec((uint64_t)v);
    }
}

static void die(const char *msg)
{
    out_flush();
    write_all(2, "mmap_recorder: ", 15);
    size_t n = 0;
    while (msg[n])
        n++;
    write_all(2, msg, n);
    write_all(2, "\n", 1);
    _exit(2);
}

static const char *errno_name(long e)
{
    switch (e) {
#define E(x) case x: return #x;
    E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG)
    E(ENOEXEC) E(EBADF) E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES)
    E(EFAULT) E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV) E(ENOTDIR)
    E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(ETXTBSY)
    E(EFBIG) E(ENOSPC) E(ESPIPE) E(EROFS) E(ERANGE) E(EDEADLK)
    E(ENOSYS) E(EOVERFLOW) E(EOPNOTSUPP) E(EHWPOISON)
#undef E
    default: return "EUNKNOWN";
    }
}

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64                                                    */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* uniform in [0, n); 0 when n == 0 */
static uint64_t rb(uint64_t n) { return n ? rnd() % n : 0; }

/* uniform in [lo, hi] */
static uint64_t rr(uint64_t lo, uint64_t hi) { return lo + rb(hi - lo + 1); }

/* ------------------------------------------------------------------ */
/* /proc/self/maps: read (syscalls) and parse (pure computation)       */

static void read_maps(void)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        die("cannot open /proc/self/maps");
    size_t len = 0;
    maps_truncated = 0;
    for (;;) {
        if (len >= sizeof(maps_buf)) {
            maps_truncated = 1;
            break;
        }
        ssize_t r = read(fd, maps_buf + len, sizeof(maps_buf) - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            maps_truncated = 1;
            break;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    maps_len = len;
}

static uint64_t parse_hex(const char **pp, const char *end)
{
    const char *p = *pp;
    uint64_t v = 0;
    while (p < end) {
        char c = *p;
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            break;
        v = (v << 4) | (uint64_t)d;
        p++;
    }
    *pp = p;
    return v;
}

static void parse_maps(void)
{
    const char *p = maps_buf, *bufend = maps_buf + maps_len;
    m_n = 0;
    while (p < bufend && m_n < MMAX) {
        const char *eol = p;
        while (eol < bufend && *eol != '\n')
            eol++;
        const char *q = p;
        uint64_t s = parse_hex(&q, eol);
        if (q < eol && *q == '-')
            q++;
        uint64_t e = parse_hex(&q, eol);
        if (q < eol && *q == ' ')
            q++;
        m_start[m_n] = s;
        m_end[m_n] = e;
        m_perm[m_n] = (eol - q >= 4) ? q : "????";
        /* skip fields: perms offset dev inode */
        for (int f = 0; f < 4; f++) {
            while (q < eol && *q != ' ')
                q++;
            while (q < eol && *q == ' ')
                q++;
        }
        m_name[m_n] = q;
        m_namelen[m_n] = (size_t)(eol - q);
        m_n++;
        p = eol + 1;
    }
}

/* ------------------------------------------------------------------ */
/* ownership table                                                     */

static void t_remove(uint64_t a, uint64_t e)
{
    for (int i = 0; i < t_n; i++) {
        if (t_e[i] <= a || t_a[i] >= e)
            continue;
        if (t_a[i] < a && t_e[i] > e) {
            if (t_n < TMAX) {
                t_a[t_n] = e;
                t_e[t_n] = t_e[i];
                t_n++;
            }
            t_e[i] = a;
        } else if (t_a[i] < a) {
            t_e[i] = a;
        } else if (t_e[i] > e) {
            t_a[i] = e;
        } else {
            t_n--;
            t_a[i] = t_a[t_n];
            t_e[i] = t_e[t_n];
            i--;
        }
    }
}

static void t_add(uint64_t a, uint64_t e)
{
    t_remove(a, e);
    if (t_n < TMAX) {
        t_a[t_n] = a;
        t_e[t_n] = e;
        t_n++;
    }
}

/* ------------------------------------------------------------------ */
/* parameter generators (pure computation)                             */

/* edge lengths: the x86_64 4-level table, or (g_ext) one built for the
 * configuration in detect_layout() */
static uint64_t edge_lens[32];
static unsigned n_edge;

static uint64_t edge_len(void) { return edge_lens[rb(n_edge)]; }

/* hints at and above the default window, and low hints (g_ext only) */
static uint64_t ext_highs[16], ext_lows[16], ext_fixed[16];
static unsigned n_ext_highs, n_ext_lows, n_ext_fixed;

#define ADD(arr, n, v) ((arr)[(n)++] = (v))

static void build_tables(void)
{
    n_edge = 0;
    if (!g_ext) {
        static const uint64_t x86[] = {
            0, 1, 0xfff, 0x1000,
            0x7ffffffff000ULL, 0x7ffffffff000ULL - 0x1000, 0x7ffffffff000ULL + 1,
            0x7ffffffff000ULL + 0x1000,
            1ULL << 47, 1ULL << 63,
            0xffffffffffffffffULL, 0xfffffffffffff000ULL, 0xffffffffffffefffULL,
        };
        for (unsigned i = 0; i < sizeof(x86) / sizeof(x86[0]); i++)
            ADD(edge_lens, n_edge, x86[i]);
        return;
    }
    ADD(edge_lens, n_edge, 0);
    ADD(edge_lens, n_edge, 1);
    ADD(edge_lens, n_edge, PAGE - 1);
    ADD(edge_lens, n_edge, PAGE);
    ADD(edge_lens, n_edge, TASK_SZ);
    ADD(edge_lens, n_edge, TASK_SZ - PAGE);
    ADD(edge_lens, n_edge, TASK_SZ + 1);
    ADD(edge_lens, n_edge, TASK_SZ + PAGE);
    ADD(edge_lens, n_edge, g_window);
    ADD(edge_lens, n_edge, g_window - PAGE);
    ADD(edge_lens, n_edge, g_window + PAGE);
    ADD(edge_lens, n_edge, g_window + 1);
    ADD(edge_lens, n_edge, 1ULL << 47);
    ADD(edge_lens, n_edge, 1ULL << 48);
    ADD(edge_lens, n_edge, 1ULL << 52);
    ADD(edge_lens, n_edge, 1ULL << 56);
    ADD(edge_lens, n_edge, 1ULL << 63);
    ADD(edge_lens, n_edge, 0xffffffffffffffffULL);
    ADD(edge_lens, n_edge, 0xfffffffffffff000ULL);
    ADD(edge_lens, n_edge, 0xffffffffffffefffULL);
    ADD(edge_lens, n_edge, (uint64_t)0 - PAGE);

    n_ext_highs = 0;
    ADD(ext_highs, n_ext_highs, g_window);
    ADD(ext_highs, n_ext_highs, g_window + PAGE);
    ADD(ext_highs, n_ext_highs, g_window - PAGE);
    ADD(ext_highs, n_ext_highs, 1ULL << 47);
    ADD(ext_highs, n_ext_highs, 1ULL << 48);
    ADD(ext_highs, n_ext_highs, 1ULL << 52);
    ADD(ext_highs, n_ext_highs, 1ULL << 56);
    ADD(ext_highs, n_ext_highs, TASK_SZ);
    ADD(ext_highs, n_ext_highs, TASK_SZ - PAGE);
    ADD(ext_highs, n_ext_highs, 1ULL << 63);
    ADD(ext_highs, n_ext_highs, 0xffffffffffffffffULL);
    ADD(ext_highs, n_ext_highs, 0xfffffffffffff000ULL);

    n_ext_lows = 0;
    static const uint64_t lows[] = {1, 0x1000, 0x4000, 0x7fff, 0x8000, 0x8001, 0xf000, 0xffff,
                                    0x10000, 0x10001, 0x14000, 0x20000};
    for (unsigned i = 0; i < sizeof(lows) / sizeof(lows[0]); i++)
        ADD(ext_lows, n_ext_lows, lows[i]);

    n_ext_fixed = 0;
    static const uint64_t fixed[] = {0, 0x1000, 0x4000, 0x8000, 0xc000, 0xf000, 0x10000};
    for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        ADD(ext_fixed, n_ext_fixed, fixed[i]);
    ADD(ext_fixed, n_ext_fixed, g_window - PAGE);
    ADD(ext_fixed, n_ext_fixed, g_window);
    ADD(ext_fixed, n_ext_fixed, 1ULL << 48);
    ADD(ext_fixed, n_ext_fixed, TASK_SZ - PAGE);
    ADD(ext_fixed, n_ext_fixed, TASK_SZ);
}

/* a page-aligned address below the default window, uniformly */
static uint64_t rand_page_below_window(void)
{
    if (!g_ext)
        return rb(1ULL << 35) << 12;
    return rb(g_window >> g_shift) << g_shift;
}

/* a page-aligned address in [DEFAULT_MAP_WINDOW, TASK_SIZE) */
static uint64_t rand_page_above_window(void)
{
    return g_window + (rb((TASK_SZ - g_window) >> g_shift) << g_shift);
}

/* big, cheap PROT_READ|NORESERVE reservation: 2^30 .. 2^45 bytes */
static uint64_t big_len(void)
{
    unsigned ex = (unsigned)rr(30, 44);
    uint64_t v = (1ULL << ex) + rb(1ULL << ex);
    if (rb(4) == 0)
        return v; /* unaligned */
    return v & ~(PAGE - 1);
}

static uint64_t anon_len(void)
{
    uint64_t r = rb(100);
    if (r < 28) return rr(1, 64) * PAGE;
    if (r < 40) return rr(1, 100000);
    if (r < 50) return rr(1, 8) * PMD;
    if (r < 59) return rr(1, 512) * PMD;
    if (r < 62) return GIB;
    if (r < 68) return big_len();
    if (r < 77) return edge_len();
    if (r < 84) return rr(1, 64) * PMD + (rb(2) ? PAGE : (uint64_t)0 - PAGE);
    if (r < 92) return rr(1, 4096) * PAGE;
    return rr(1, 64) * PAGE + rr(1, 4095);
}

/* pick a random gap (free range below TASK_SZ) from the parsed maps;
 * returns 0 if none, else sets *gs,*ge */
static int pick_gap(uint64_t *gs, uint64_t *ge)
{
    /* number of candidate gaps: before each entry + after the last */
    for (int tries = 0; tries < 8; tries++) {
        int k = (int)rb((uint64_t)m_n + 1);
        uint64_t s = (k == 0) ? 0 : m_end[k - 1];
        uint64_t e = (k == m_n) ? TASK_SZ : m_start[k];
        if (e > TASK_SZ)
            e = TASK_SZ;
        if (s < e) {
            *gs = s;
            *ge = e;
            return 1;
        }
    }
    return 0;
}

/* a page-aligned address inside a free gap, sized for len when possible */
static uint64_t free_addr(uint64_t len, int pmd_align)
{
    uint64_t gs, ge;
    if (!pick_gap(&gs, &ge))
        return rand_page_below_window();
    uint64_t l = PAGE_ALIGN(len);
    uint64_t span = ge - gs;
    uint64_t room = (l != 0 && l <= span) ? span - l : span - PAGE;
    uint64_t a = gs + (rb(room / PAGE + 1) * PAGE);
    if (pmd_align) {
        uint64_t b = (a + PMD - 1) & ~(PMD - 1);
        if (b >= gs && b < ge)
            a = b;
    }
    return a;
}

static int pick_map(void) { return m_n ? (int)rb((uint64_t)m_n) : -1; }

/* hint for a non-fixed mmap */
static uint64_t gen_hint(uint64_t len)
{
    int i = pick_map();
    uint64_t r = rb(g_ext ? 19 : 15);
    if (i < 0 && r < 4)
        r = 4;
    switch (r) {
    case 0: return m_end[i];                                    /* just after */
    case 1: return (m_start[i] - PAGE_ALIGN(len)) & ~(PAGE - 1); /* just before */
    case 2: return m_start[i] + rb((m_end[i] - m_start[i]) / PAGE) * PAGE; /* inside */
    case 3: return m_start[i] - PAGE;
    case 4: return rand_page_below_window();           /* random page-aligned < 2^47 */
    case 5: return rb(g_ext ? g_window : 1ULL << 47);  /* random unaligned < 2^47 */
    case 6: {
        static const uint64_t lows[] = {1, 0x1000, 0x8000, 0xffff, 0xf000, 0x10000, 0x10001};
        if (g_ext)
            return ext_lows[rb(n_ext_lows)];
        return lows[rb(sizeof(lows) / sizeof(lows[0]))];
    }
    case 7: return TASK_SZ - (rb(2) ? rb(17) * PAGE : rb(0x10000));
    case 8: return (TASK_SZ - PAGE_ALIGN(len)) & ~(PAGE - 1);
    case 9: {
        static const uint64_t highs[] = {1ULL << 47, (1ULL << 47) + 0x1000, 1ULL << 63,
                                         0xffffffffffffffffULL, 0xfffffffffffff000ULL};
        if (g_ext)
            return ext_highs[rb(n_ext_highs)];
        return highs[rb(sizeof(highs) / sizeof(highs[0]))];
    }
    case 10: return free_addr(len, 0);
    case 11: return free_addr(len, 1) + (rb(3) == 0 ? PAGE : 0);
    case 12:                                            /* PMD-ish random */
        if (g_ext)
            return rb(g_window / PMD) * PMD + (rb(2) ? 0 : PAGE);
        return (rb(1ULL << 26) << 21) + (rb(2) ? 0 : PAGE);
    /* g_ext only: above the default window, and straddling it */
    case 15: return rand_page_above_window();
    case 16: return rand_page_above_window() + rr(1, PAGE - 1);
    case 17: {
        uint64_t w = rb(4);
        if (w == 0) return g_window - PAGE_ALIGN(len);
        if (w == 1) return g_window - rr(1, 16) * PAGE;
        if (w == 2) return g_window + rb(16) * PAGE;
        return (TASK_SZ - PAGE_ALIGN(len)) & ~(PAGE - 1);
    }
    case 18: return (rand_page_above_window() & ~(PMD - 1)) + (rb(2) ? 0 : PAGE);
    default: {
        if (t_n == 0)
            return free_addr(len, 0);
        int j = (int)rb((uint64_t)t_n);
        uint64_t w = rb(3);
        if (w == 0) return t_a[j];
        if (w == 1) return t_e[j];
        return t_a[j] + rb((t_e[j] - t_a[j]) / PAGE) * PAGE;
    }
    }
}

static int pgoff_near_top;
static uint64_t pgoff_top_dist;

static int g_hugetlb; /* MODE "hugetlb", see huge_bits */
static int g_reserve; /* MODE "hugetlb-reserve": hugetlb, and half of the calls reserve huge pages */

static uint64_t gen_pgoff(void)
{
    uint64_t r = rb(100);
    pgoff_near_top = 0;
    if (g_hugetlb && rb(2))
        return rb(64) * (PMD / PAGE); /* a whole number of 2 MiB pages: hugetlbfs takes it */
    if (r < 20) return 0;
    if (r < 35) return rb(1024);
    if (r < 45) return rb(1ULL << 20) | 1;
    if (r < 55) {
        uint64_t k = rr(1, 2048) * (PMD / PAGE);
        uint64_t w = rb(3);
        return w == 0 ? k - 1 : w == 1 ? k : k + 1;
    }
    if (r < 65) return rb(1ULL << 40);
    if (r < 85) {
        pgoff_near_top = 1;
        if (rb(6) == 0) {
            uint64_t up = rr(1, 3);
            pgoff_top_dist = 0;
            return g_maxpg + up;
        }
        pgoff_top_dist = rb(601);
        return g_maxpg - pgoff_top_dist;
    }
    return rb(1ULL << (64 - g_shift));
}

static uint64_t file_len(void)
{
    if (pgoff_near_top && rb(2) == 0) {
        /* straddle the MAX_LFS_FILESIZE boundary: d pages fit, d+1 do not */
        int64_t pages = (int64_t)pgoff_top_dist + (int64_t)rr(0, 3) - 1;
        if (pages <= 0)
            return rr(1, 4095);
        return (uint64_t)pages * PAGE - (rb(4) == 0 ? rr(1, 4095) : 0);
    }
    uint64_t r = rb(100);
    if (r < 45) return rr(1, 1024) * PAGE;
    if (r < 60) return rr(1, 32) * PMD;
    if (r < 65) return GIB;
    if (r < 77) return rr(1, 4 << 20);
    if (r < 88) return edge_len();
    if (r < 94) return rr(1, 64) * PMD + (rb(2) ? PAGE : (uint64_t)0 - PAGE);
    return rr(1, 16) * PAGE;
}

/* ------------------------------------------------------------------ */

struct call {
    int file;
    uint64_t flags, prot, addr, len, pgoff;
};

/* MAP_PRIVATE; MAP_SHARED (shmem_get_unmapped_area) with the MODE argument "anon-shared" */
static uint64_t g_anon_type = MAP_PRIVATE;
/* MODE "hugetlb": anonymous calls get MAP_HUGETLB (with MAP_HUGE_2MB or MAP_HUGE_1GB in a quarter
 * of them), FILEPATH is on a hugetlbfs mount, one file call in eight leaves out MAP_NORESERVE
 * (so that the reservation decides), and half of the file offsets are whole 2 MiB pages. */
static uint64_t huge_bits(void)
{
    if (!g_hugetlb)
        return 0;
    uint64_t r = rb(8);
    return MAP_HUGETLB | (r == 0 ? (21ULL << 26) : r == 1 ? (30ULL << 26) : 0);
}
/* MODE "hugetlb-reserve": as "hugetlb", but MAP_NORESERVE in only half of the anonymous and file
 * calls (and in every plain MAP_FIXED call, see gen_fixed_own), a call without it on the file maps
 * a fresh unlinked file beside FILEPATH (fresh_file), and a HUGE line per hstate follows each CALL. */
#define ANON_FLAGS ((uint64_t)(g_anon_type | MAP_ANONYMOUS | (g_reserve && rb(2) ? 0 : MAP_NORESERVE) \
                               | huge_bits()))
/* MAP_SHARED; with the MODE "file-private", MAP_PRIVATE in half of the file calls */
static int g_file_private;
#define FILE_FLAGS ((uint64_t)((g_file_private && rb(2) ? MAP_PRIVATE : MAP_SHARED) \
                                  | (g_hugetlb && rb(g_reserve ? 2 : 8) ? MAP_NORESERVE : 0)))

static void gen_anon_nohint(struct call *c)
{
    c->file = 0;
    c->flags = ANON_FLAGS;
    c->addr = 0;
    c->len = anon_len();
}

static void gen_anon_hint(struct call *c)
{
    c->file = 0;
    c->flags = ANON_FLAGS;
    c->len = rb(4) == 0 ? rr(1, 64) * PMD : anon_len();
    c->addr = gen_hint(c->len);
}

static void gen_file(struct call *c)
{
    c->file = 1;
    c->flags = FILE_FLAGS;
    c->pgoff = gen_pgoff();
    c->len = file_len();
    c->addr = rb(4) == 0 ? gen_hint(c->len) : 0;
}

static void gen_noreplace(struct call *c)
{
    c->file = rb(10) < 3;
    if (c->file) {
        c->pgoff = gen_pgoff();
        c->flags = FILE_FLAGS | MAP_FIXED_NOREPLACE;
    } else {
        c->flags = ANON_FLAGS | MAP_FIXED_NOREPLACE;
    }
    uint64_t r = rb(100);
    if (r < 55) c->len = rr(1, 16) * PAGE;
    else if (r < 65) c->len = rr(1, 64) * PAGE;
    else if (r < 75) c->len = rr(1, 8) * PMD;
    else if (r < 85) c->len = rr(1, 20000);
    else c->len = edge_len();

    int i = pick_map();
    r = rb(100);
    if (i < 0 && r < 50)
        r = 50;
    if (r < 15) c->addr = m_start[i];
    else if (r < 27) c->addr = m_start[i] + rb((m_end[i] - m_start[i]) / PAGE) * PAGE;
    else if (r < 42) c->addr = m_end[i];
    else if (r < 50) c->addr = (m_start[i] - PAGE_ALIGN(c->len)) & ~(PAGE - 1);
    else if (r < 68) c->addr = free_addr(c->len, rb(10) < 3);
    else if (r < 74) c->addr = free_addr(c->len, 0) + rr(1, 4095);
    else if (r < 82) {
        /* top 4095 values of u64: with MAP_FIXED the kernel hands the
         * address back unchanged, so it reads as -errno; bias towards the
         * values that impersonate common errnos */
        static const uint64_t errs[] = {1, 12, 17, 22, 75, 4095};
        c->addr = rb(2) ? (uint64_t)0 - errs[rb(sizeof(errs) / sizeof(errs[0]))]
                        : 0xfffffffffffff001ULL + rb(4095);
    }
    else if (g_ext) {
        uint64_t w = rb(n_ext_fixed + 2);
        if (w == n_ext_fixed)
            c->addr = (TASK_SZ - PAGE_ALIGN(c->len)) & ~(PAGE - 1);
        else if (w == n_ext_fixed + 1)
            c->addr = rand_page_above_window();
        else
            c->addr = ext_fixed[w];
    }
    else {
        static const uint64_t fixed[] = {0, 0x1000, 0x8000, 0xf000, 0x10000,
                                         (1ULL << 47) - 0x1000, 1ULL << 47};
        uint64_t w = rb(sizeof(fixed) / sizeof(fixed[0]) + 1);
        if (w == sizeof(fixed) / sizeof(fixed[0]))
            c->addr = (TASK_SZ - PAGE_ALIGN(c->len)) & ~(PAGE - 1);
        else
            c->addr = fixed[w];
    }
}

/* plain MAP_FIXED strictly inside one of our own tracked ranges */
static void gen_fixed_own(struct call *c)
{
    int j = (int)rb((uint64_t)t_n);
    uint64_t pages = (t_e[j] - t_a[j]) / PAGE;
    uint64_t s = rb(pages);
    uint64_t k = (rb(4) == 0) ? pages - s : rr(1, (pages - s) < 64 ? (pages - s) : 64);
    if (rb(10) == 0)
        k = pages - s; /* to the end */
    c->file = rb(2);
    if (c->file) {
        c->pgoff = gen_pgoff();
        c->flags = FILE_FLAGS | MAP_FIXED;
    } else {
        c->flags = ANON_FLAGS | MAP_FIXED;
    }
    /* "hugetlb-reserve": a plain MAP_FIXED call never reserves.  The kernel closes the VMAs it
     * replaces (releasing their private reservations) before the new mapping reserves, so the
     * counts read before the call would not be the ones the reservation sees. */
    if (g_reserve)
        c->flags |= MAP_NORESERVE;
    c->addr = t_a[j] + s * PAGE;
    c->len = k * PAGE;
    uint64_t r = rb(20);
    if (r == 0)
        c->addr += rr(1, 4095); /* unaligned: EINVAL before anything happens */
    else if (r < 4)
        c->len -= rr(0, 4095); /* rounds back up to k pages */
}

static void do_unmap(int force)
{
    int j = (int)rb((uint64_t)t_n);
    uint64_t a = t_a[j], e = t_e[j];
    uint64_t pages = (e - a) / PAGE;
    uint64_t addr, len;
    uint64_t r = force ? 0 : rb(100);
    if (g_reserve && r >= 40 && rb(2))
        r = 0; /* "hugetlb-reserve": most hugetlb splits are refused (EINVAL); free whole ranges */
    if (r < 40) {
        addr = a;
        len = e - a;
    } else if (r < 75) {
        uint64_t s = rb(pages);
        uint64_t k = rr(1, pages - s);
        addr = a + s * PAGE;
        len = k * PAGE;
        if (rb(5) == 0)
            len -= rr(0, 4095);
    } else if (r < 85) {
        uint64_t k = rr(1, pages);
        if (rb(2)) {
            addr = a;
            len = k * PAGE;
        } else {
            addr = e - k * PAGE;
            len = k * PAGE;
        }
    } else if (r < 93) {
        addr = a + rr(1, 4095); /* unaligned -> EINVAL */
        len = PAGE;
    } else {
        addr = a;
        len = 0; /* -> EINVAL */
    }
    long rc = syscall(SYS_munmap, (unsigned long)addr, (unsigned long)len);
    if (rc == -1)
        rc = -(long)errno;
    if (rc == 0)
        t_remove(addr, addr + PAGE_ALIGN(len));
    out_str("UNMAP ");
    out_hex(addr);
    out_ch(' ');
    out_hex(len);
    out_str(" rc=");
    out_sdec(rc);
    out_ch('\n');
}

/* ------------------------------------------------------------------ */

static int parse_u64(const char *s, uint64_t *v)
{
    uint64_t x = 0;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return -1;
    for (; *s; s++) {
        int d;
        if (*s >= '0' && *s <= '9') d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f') d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F') d = *s - 'A' + 10;
        else return -1;
        x = x * (uint64_t)base + (uint64_t)d;
    }
    *v = x;
    return 0;
}

/* copy a small sysctl file's first line into the output */
static void out_sysctl(const char *path)
{
    static char b[256];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, b, sizeof(b) - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0) {
        out_str("?");
        return;
    }
    size_t l = 0;
    while (l < (size_t)n && b[l] != '\n' && b[l] != ' ' && b[l] != '\t')
        l++;
    out_mem(b, l);
}

static void emit_hstates(void);

static void emit_call(uint64_t n, const struct call *c, long ret)
{
    out_str("CALL ");
    out_udec(n);
    out_str(c->file ? " kind=file flags=" : " kind=anon flags=");
    out_hex(c->flags);
    out_str(" prot=");
    out_hex(c->prot);
    out_str(" addr=");
    out_hex(c->addr);
    out_str(" len=");
    out_hex(c->len);
    out_str(" pgoff=");
    out_hex(c->file ? c->pgoff : 0);
    out_ch('\n');
    if (g_reserve)
        emit_hstates();
    for (int i = 0; i < m_n; i++) {
        out_str("MAP ");
        out_hex(m_start[i]);
        out_ch(' ');
        out_hex(m_end[i]);
        out_ch(' ');
        out_mem(m_perm[i], 4);
        out_ch(' ');
        if (m_namelen[i])
            out_mem(m_name[i], m_namelen[i]);
        else
            out_ch('-');
        out_ch('\n');
    }
    if (ret < 0 && ret >= -4095) {
        out_str("ERR ");
        out_sdec(-ret);
        out_ch(' ');
        out_str(errno_name(-ret));
    } else {
        out_str("RET ");
        out_hex((uint64_t)ret);
    }
    out_ch('\n');
    if (out_len > sizeof(out_buf) / 2)
        out_flush();
}

/*
 * PAGE_SIZE, TASK_SIZE and DEFAULT_MAP_WINDOW of this task.  The one probe maps a
 * page at 2^50 with MAP_FIXED_NOREPLACE: above 2^47/2^48 and below 2^52/2^56, so it
 * succeeds exactly with 5-level paging (x86_64) or 52-bit user VA (arm64), and is
 * unmapped at once; a 4-level x86_64 kernel refuses it with ENOMEM and nothing changes.
 */
static void detect_layout(void)
{
    long ps = sysconf(_SC_PAGESIZE);
    if (ps < 4096 || (ps & (ps - 1)) != 0)
        die("odd page size");
    g_page = (uint64_t)ps;
    g_shift = 0;
    while ((1ULL << g_shift) < g_page)
        g_shift++;
    g_pmd = g_page * (g_page / 8);
    g_maxpg = ((1ULL << 63) >> g_shift) - 1;
    const uint64_t probe = 1ULL << 50;
    long r = syscall(SYS_mmap, (unsigned long)probe, (unsigned long)g_page, (unsigned long)PROT_NONE,
                     (unsigned long)(MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE),
                     -1L, 0UL);
    int wide = r != -1 && (uint64_t)r == probe;
    if (r != -1)
        syscall(SYS_munmap, (unsigned long)r, (unsigned long)g_page);
#if defined(__x86_64__)
    g_window = (1ULL << 47) - 4096;
    g_task_sz = wide ? (1ULL << 56) - 4096 : g_window;
    g_ext = wide || g_page != 4096;
#elif defined(__aarch64__)
    /* VA_BITS_MIN: 47 with 16 KiB pages and VA_BITS 52, else 48 */
    g_window = g_page == 16384 ? 1ULL << 47 : 1ULL << 48;
    g_task_sz = wide ? 1ULL << 52 : 1ULL << 48;
    g_ext = 1;
#else
#error "mmap_recorder knows the layout of x86_64 and arm64 only"
#endif
    build_tables();
}

static int str_prefix(const char *s, const char *p);

/* ------------------------------------------------------------------ */
/* "hugetlb-reserve": the hstates' pools and fresh files               */

#define HMAX 8
static char h_dir[HMAX][64];  /* "/sys/kernel/mm/hugepages/hugepages-<n>kB/" */
static uint64_t h_size[HMAX]; /* bytes */
static int64_t h_cnt[HMAX][4];
static int h_n;
static const char *const h_keys[4] = {"free_hugepages", "resv_hugepages", "surplus_hugepages",
                                      "nr_overcommit_hugepages"};
static const char *const h_names[4] = {"free", "resv", "surplus", "overcommit"};

/* the hstates, once at start: getdents64 on /sys/kernel/mm/hugepages (no opendir: no malloc) */
static void find_hstates(void)
{
    static char d[4096];
    static const char base[] = "/sys/kernel/mm/hugepages/";
    int fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        die("cannot open /sys/kernel/mm/hugepages");
    long n;
    while ((n = syscall(SYS_getdents64, fd, d, sizeof(d))) > 0) {
        for (long off = 0; off < n;) {
            unsigned short reclen = *(unsigned short *)(d + off + 16);
            const char *name = d + off + 19;
            off += reclen;
            if (!str_prefix(name, "hugepages-") || h_n >= HMAX)
                continue;
            uint64_t kb = 0;
            const char *q = name + 10;
            while (*q >= '0' && *q <= '9')
                kb = kb * 10 + (uint64_t)(*q++ - '0');
            size_t l = 0;
            for (; base[l]; l++)
                h_dir[h_n][l] = base[l];
            for (const char *r = name; *r && l < sizeof(h_dir[0]) - 2; r++)
                h_dir[h_n][l++] = *r;
            h_dir[h_n][l++] = '/';
            h_dir[h_n][l] = 0;
            h_size[h_n++] = kb << 10;
        }
    }
    close(fd);
}

/* the pools of every hstate now: open/read/close only */
static void read_hstates(void)
{
    static char path[128], b[32];
    for (int i = 0; i < h_n; i++) {
        for (int k = 0; k < 4; k++) {
            size_t l = 0;
            for (const char *r = h_dir[i]; *r; r++)
                path[l++] = *r;
            for (const char *r = h_keys[k]; *r; r++)
                path[l++] = *r;
            path[l] = 0;
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            ssize_t got = fd >= 0 ? read(fd, b, sizeof(b) - 1) : -1;
            if (fd >= 0)
                close(fd);
            int64_t v = 0;
            if (got <= 0)
                v = -1;
            for (ssize_t j = 0; j < got && b[j] >= '0' && b[j] <= '9'; j++)
                v = v * 10 + (b[j] - '0');
            h_cnt[i][k] = v;
        }
    }
}

static void emit_hstates(void)
{
    for (int i = 0; i < h_n; i++) {
        out_str("HUGE ");
        out_hex(h_size[i]);
        for (int k = 0; k < 4; k++) {
            out_ch(' ');
            out_str(h_names[k]);
            out_ch('=');
            out_sdec(h_cnt[i][k]);
        }
        out_ch('\n');
    }
}

/* a fresh file FILEPATH.r<n>, unlinked at once: its shared mapping reserves every page it maps, as
 * a private one does (a range of a file that already holds a reservation reserves only the rest) */
static int fresh_file(const char *path, uint64_t n)
{
    static char p[4096];
    size_t l = 0;
    for (; path[l] && l < sizeof(p) - 32; l++)
        p[l] = path[l];
    p[l++] = '.';
    p[l++] = 'r';
    char tmp[24];
    int i = udec(tmp, n);
    while (i < 24)
        p[l++] = tmp[i++];
    p[l] = 0;
    int fd = open(p, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || unlink(p) != 0)
        die("cannot make a fresh file beside FILEPATH");
    return fd;
}

static int str_prefix(const char *s, const char *p)
{
    while (*p)
        if (*s++ != *p++)
            return 0;
    return 1;
}

static int str_eq(const char *a, const char *b) { return str_prefix(a, b) && str_prefix(b, a); }

int main(int argc, char **argv)
{
    uint64_t seed, ncalls;
    if (argc == 5 && (str_eq(argv[4], "anon-shared") || str_eq(argv[4], "anon-shared,file-private"))) {
        g_anon_type = MAP_SHARED;
        g_file_private = !str_eq(argv[4], "anon-shared");
    } else if (argc == 5 && str_eq(argv[4], "hugetlb")) {
        g_hugetlb = 1;
    } else if (argc == 5 && str_eq(argv[4], "hugetlb-reserve")) {
        g_hugetlb = 1;
        g_reserve = 1;
    } else if (argc != 4) {
        argc = 0;
    }
    if (argc == 0 || parse_u64(argv[1], &seed) || parse_u64(argv[2], &ncalls)) {
        static const char u[] = "usage: mmap_recorder SEED NCALLS FILEPATH|memfd:NAME [anon-shared[,file-private]|hugetlb|hugetlb-reserve]\n";
        write_all(2, u, sizeof(u) - 1);
        return 1;
    }
    rng_state = seed;
    detect_layout();
    if (g_reserve)
        find_hstates();

    if (str_prefix(argv[3], "memfd:"))
        file_fd = memfd_create(argv[3] + 6, MFD_CLOEXEC);
    else
        file_fd = open(argv[3], O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (file_fd < 0)
        die("cannot open FILEPATH");
    struct stat st;
    if (fstat(file_fd, &st) != 0)
        die("fstat failed");
    /* hugetlbfs sizes files in whole huge pages; placement never reads i_size */
    if (!S_ISCHR(st.st_mode) && !g_hugetlb && ftruncate(file_fd, (off_t)FILE_SIZE) != 0)
        die("ftruncate failed"); /* a character device (/dev/zero) has no size */

    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) != 0)
        die("getrlimit failed");
    int pers = personality(0xffffffff);

    out_str("ENV personality=");
    out_hex((uint64_t)(uint32_t)pers);
    out_str(" stack_rlimit=");
    out_hex((uint64_t)rl.rlim_cur);
    out_str(" legacy_va_layout=");
    out_sysctl("/proc/sys/vm/legacy_va_layout");
    out_str(" mmap_min_addr_sysctl=");
    out_sysctl("/proc/sys/vm/mmap_min_addr");
    out_str(" seed=");
    out_udec(seed);
    out_ch('\n');
    if (g_ext) {
        out_str("FACT recorder page_size=");
        out_hex(g_page);
        out_str(" task_size=");
        out_hex(g_task_sz);
        out_str(" map_window=");
        out_hex(g_window);
        out_str(" pmd_size=");
        out_hex(g_pmd);
        out_ch('\n');
    }
    out_flush();

    uint64_t calls = 0;
    while (calls < ncalls) {
        int force = t_n > MAX_TRACKED_SOFT || t_n >= TMAX - 8;
        uint64_t r = force ? 95 : rb(100);
        if (r >= 85 && t_n == 0)
            r = rb(35);
        if (r >= 90) {
            do_unmap(force);
            continue;
        }

        /* --- snapshot; from here until the syscall: pure computation only --- */
        read_maps();
        parse_maps();

        struct call c = {0, 0, PROT_READ, 0, 0, 0};
        if (r < 35) gen_anon_nohint(&c);
        else if (r < 50) gen_anon_hint(&c);
        else if (r < 75) gen_file(&c);
        else if (r < 85) gen_noreplace(&c);
        else gen_fixed_own(&c);

        int fd = c.file ? file_fd : -1;
        if (g_reserve && c.file && !(c.flags & MAP_NORESERVE))
            fd = fresh_file(argv[3], calls + 1);
        if (g_reserve)
            read_hstates(); /* the pools the reservation will see: nothing else runs in between */
        long ret = syscall(SYS_mmap, (unsigned long)c.addr, (unsigned long)c.len,
                           (unsigned long)c.prot, (unsigned long)c.flags, (long)fd,
                           (unsigned long)(c.file ? c.pgoff * PAGE : 0));
        /* glibc's syscall() maps [-4095,-1] to -1/errno; a successful mmap
         * always returns a page-aligned address, so -1 is unambiguous. */
        if (ret == -1)
            ret = -(long)errno;
        /* --- end of critical section --- */

        if (fd != file_fd && fd >= 0)
            close(fd); /* a placed mapping keeps the file; else it is gone */
        if (maps_truncated)
            die("/proc/self/maps larger than buffer");
        calls++;
        emit_call(calls, &c, ret);
        if (!(ret < 0 && ret >= -4095)) {
            /* a hugetlb mapping's VMA is its length rounded up to the huge page */
            uint64_t log = (c.flags >> 26) & 0x3f;
            uint64_t h = !g_hugetlb ? PAGE : log ? (1ULL << log) : PMD;
            if (g_hugetlb && !c.file && !(c.flags & MAP_HUGETLB))
                h = PAGE;
            t_add((uint64_t)ret, (uint64_t)ret + ((c.len + h - 1) & ~(h - 1)));
        }
    }
    out_str("END calls=");
    out_udec(calls);
    out_ch('\n');
    out_flush();
    close(file_fd);
    return 0;
}
