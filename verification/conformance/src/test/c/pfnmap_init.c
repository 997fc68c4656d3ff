/*
 * pfnmap_init: /init of the tiny initramfs the qemu conformance boots use
 * (verification/conformance/src/test/qemu/).  Built static next to mmap_recorder.
 *
 * It mounts proc, sysfs and devtmpfs, loads the kernel modules listed in
 * /modules.list (one path inside the initramfs a line, dependencies first),
 * waits for /dev/vda, mounts it (ext4) on /mnt, writes the leaf-size facts
 * the kernel reports, then runs /mmap_recorder six times in forked children:
 * top-down (seed from pfnmap.seed_topdown=) and legacy, with
 * personality(ADDR_COMPAT_LAYOUT) set before the exec (as `setarch -L` does;
 * `norandmaps` on the kernel command line stands for `setarch -R`), then with
 * RLIMIT_STACK at 1 GiB (stack1g) and unlimited (stackinf) set before the exec,
 * where the kernel computes the layout from it, then with shmem_enabled=always
 * and its anonymous calls MAP_SHARED, on a file of a tmpfs mounted
 * huge=within_size (shmemfile) and on a memfd (shmemmemfd), then hugetlb (the recorder's
 * "hugetlb" mode: anonymous MAP_HUGETLB and a file on a hugetlbfs mount of the default
 * huge page size, nr_hugepages left at 0) top-down (hugetlb) and legacy
 * (hugetlblegacy).  Each run's
 * output goes to /mnt/<layout>.txt: the FACT lines first, then the recorder's
 * own lines.  The serial console gets progress lines starting "PFNMAP ".
 * Last it syncs, unmounts /mnt and powers off with reboot(RB_POWER_OFF).
 *
 * Command line (read from /proc/cmdline): pfnmap.calls=N (per layout),
 * pfnmap.seed_topdown=S, pfnmap.seed_legacy=S, pfnmap.seed_stack1g=S,
 * pfnmap.seed_stackinf=S, pfnmap.seed_shmemfile=S, pfnmap.seed_shmemmemfd=S,
 * pfnmap.seed_hugetlb=S, pfnmap.seed_hugetlblegacy=S.
 *
 * FACT lines (see verification/conformance/src/test/c/README.md):
 *   FACT kernel release=<uname -r> machine=<uname -m>
 *   FACT hugetlb sizes=<comma-separated bytes, ascending>   (/sys/kernel/mm/hugepages)
 *   FACT thp sizes=<comma-separated bytes, ascending>       (/sys/kernel/mm/transparent_hugepage/hugepages-*)
 *   FACT thp hpage_pmd_size=<bytes>
 *   FACT thp enabled=<the selected policy>
 *   FACT cpu pdpe1gb=<0|1>                                  (x86 only, /proc/cpuinfo)
 *   FACT task cap_eff=0x<CapEff> uid=<uid>
 *   FACT sysctl max_map_count=<n>
 * (an empty sizes= list means the directory was missing or empty)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char cmdline[4096];

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("PFNMAP ");
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
}

static void power_off(int code)
{
    say("EXIT %d", code);
    sync();
    reboot(RB_POWER_OFF);
    for (;;)
        pause();
}

static void fail(const char *what)
{
    say("FAIL %s: %s", what, strerror(errno));
    power_off(1);
}

static const char *param(const char *key, const char *dflt)
{
    static char val[64];
    size_t kl = strlen(key);
    const char *p = cmdline;
    while ((p = strstr(p, key)) != NULL) {
        if ((p == cmdline || p[-1] == ' ') && p[kl] == '=') {
            size_t n = 0;
            p += kl + 1;
            while (p[n] && p[n] != ' ' && p[n] != '\n' && n + 1 < sizeof(val))
                n++;
            memcpy(val, p, n);
            val[n] = 0;
            return strdup(val);
        }
        p += kl;
    }
    return dflt;
}

static int read_file(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = 0;
    return (int)n;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* sizes of the "hugepages-<N>kB" entries of dir, ascending, as bytes */
static void sizes_line(FILE *out, const char *label, const char *dir)
{
    uint64_t v[64];
    int n = 0;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL && n < 64) {
            unsigned long long kb;
            char tail[8];
            if (sscanf(e->d_name, "hugepages-%llu%7s", &kb, tail) == 2 && strcmp(tail, "kB") == 0)
                v[n++] = (uint64_t)kb * 1024;
        }
        closedir(d);
    }
    qsort(v, (size_t)n, sizeof(v[0]), cmp_u64);
    fprintf(out, "FACT %s sizes=", label);
    for (int i = 0; i < n; i++)
        fprintf(out, "%s%llu", i ? "," : "", (unsigned long long)v[i]);
    fprintf(out, "\n");
}

static void write_facts(FILE *out)
{
    char buf[65536];
    struct utsname u;
    uname(&u);
    fprintf(out, "FACT kernel release=%s machine=%s\n", u.release, u.machine);
    sizes_line(out, "hugetlb", "/sys/kernel/mm/hugepages");
    sizes_line(out, "thp", "/sys/kernel/mm/transparent_hugepage");
    if (read_file("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", buf, sizeof(buf)) > 0)
        fprintf(out, "FACT thp hpage_pmd_size=%llu\n", strtoull(buf, NULL, 10));
    if (read_file("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf)) > 0) {
        char *l = strchr(buf, '['), *r = l ? strchr(l, ']') : NULL;
        if (l && r) {
            *r = 0;
            fprintf(out, "FACT thp enabled=%s\n", l + 1);
        }
    }
#if defined(__x86_64__)
    {
        static char cpu[1 << 16];
        int n = read_file("/proc/cpuinfo", cpu, sizeof(cpu));
        char *f = n > 0 ? strstr(cpu, "\nflags") : NULL;
        char *eol = f ? strchr(f + 1, '\n') : NULL;
        if (eol)
            *eol = 0;
        fprintf(out, "FACT cpu pdpe1gb=%d la57=%d\n", f && strstr(f, " pdpe1gb") ? 1 : 0,
                f && strstr(f, " la57") ? 1 : 0);
    }
#endif
    if (read_file("/proc/self/status", buf, sizeof(buf)) > 0) {
        char *c = strstr(buf, "CapEff:");
        unsigned long long cap = c ? strtoull(c + 7, NULL, 16) : 0;
        fprintf(out, "FACT task cap_eff=0x%llx uid=%u\n", cap, (unsigned)getuid());
    }
    if (read_file("/proc/sys/vm/max_map_count", buf, sizeof(buf)) > 0)
        fprintf(out, "FACT sysctl max_map_count=%llu\n", strtoull(buf, NULL, 10));
    fflush(out);
}

static void load_modules(void)
{
    static char list[1 << 16];
    if (read_file("/modules.list", list, sizeof(list)) < 0)
        return;
    for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n")) {
        if (!*line)
            continue;
        int fd = open(line, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            say("module %s: open: %s", line, strerror(errno));
            continue;
        }
        long r = syscall(SYS_finit_module, fd, "", 0);
        say("module %s: %s", line, r == 0 ? "loaded" : strerror(errno));
        close(fd);
    }
}

/* stack: the RLIMIT_STACK to exec the recorder under (0: init's own, 8 MiB); file and mode: the
 * recorder's FILEPATH and MODE (NULL: none) */
static void run_recorder_on(const char *layout, int legacy, rlim_t stack, const char *seed, const char *calls,
                            const char *file, const char *mode)
{
    char out[64];
    snprintf(out, sizeof(out), "/mnt/%s.txt", layout);
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        fail("fork");
    if (pid == 0) {
        if (legacy && personality(PER_LINUX | ADDR_COMPAT_LAYOUT) < 0)
            _exit(120);
        struct rlimit rl = {stack, RLIM_INFINITY};
        if (stack && setrlimit(RLIMIT_STACK, &rl) < 0)
            _exit(125);
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
            _exit(121);
        FILE *f = fdopen(dup(fd), "w");
        if (!f)
            _exit(122);
        write_facts(f);
        fclose(f);
        if (dup2(fd, 1) < 0)
            _exit(123);
        char *argv[] = {"/mmap_recorder", (char *)seed, (char *)calls, (char *)file, (char *)mode, NULL};
        char *envp[] = {"PATH=/", NULL};
        execve(argv[0], argv, envp);
        _exit(124);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    say("RUN %s seed=%s calls=%s status=%d seconds=%.1f", layout, seed, calls,
        WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), now() - t0);
}

static void run_recorder(const char *layout, int legacy, rlim_t stack, const char *seed, const char *calls)
{
    run_recorder_on(layout, legacy, stack, seed, calls, "/mnt/rec.dat", NULL);
}

static void write_knob(const char *path, const char *value)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? write(fd, value, strlen(value)) : -1;
    say("knob %s = %s: %s", path, value, n > 0 ? "set" : strerror(errno));
    if (fd >= 0)
        close(fd);
}

int main(void)
{
    double t0 = now();
    mkdir("/proc", 0755);
    mkdir("/sys", 0755);
    mkdir("/dev", 0755);
    mkdir("/mnt", 0755);
    mount("proc", "/proc", "proc", 0, NULL);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    int con = open("/dev/console", O_RDWR);
    if (con >= 0) {
        dup2(con, 0);
        dup2(con, 1);
        dup2(con, 2);
        if (con > 2)
            close(con);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    read_file("/proc/cmdline", cmdline, sizeof(cmdline));
    say("INIT uptime-at-init (monotonic) %.1f s", t0);

    load_modules();

    int ok = 0;
    for (int i = 0; i < 600; i++) { /* up to 60 s */
        struct stat sb;
        if (stat("/dev/vda", &sb) == 0) {
            ok = 1;
            break;
        }
        usleep(100000);
    }
    if (!ok) {
        errno = ENODEV;
        fail("no /dev/vda");
    }
    if (mount("/dev/vda", "/mnt", "ext4", 0, NULL) != 0)
        fail("mount /dev/vda on /mnt as ext4");

    write_facts(stdout);
    const char *calls = param("pfnmap.calls", "1200");
    run_recorder("topdown", 0, 0, param("pfnmap.seed_topdown", "1"), calls);
    run_recorder("legacy", 1, 0, param("pfnmap.seed_legacy", "2"), calls);
    /* the layout from the stack rlimit: 1 GiB (top-down, the guard gap added), and unlimited
     * (legacy by the generic mmap_is_legacy of arm64; top-down on x86_64) */
    run_recorder("stack1g", 0, (rlim_t)1 << 30, param("pfnmap.seed_stack1g", "3"), calls);
    run_recorder("stackinf", 0, RLIM_INFINITY, param("pfnmap.seed_stackinf", "4"), calls);
    /* shmem: shmem_enabled=always; anonymous MAP_SHARED, with a file on a tmpfs mounted
     * huge=within_size (shmemfile) and with a memfd on the internal mount (shmemmemfd) */
    mkdir("/shm", 0755);
    if (mount("tmpfs", "/shm", "tmpfs", 0, "huge=within_size,size=16m") != 0)
        say("mount tmpfs huge=within_size on /shm: %s", strerror(errno));
    write_knob("/sys/kernel/mm/transparent_hugepage/shmem_enabled", "always");
    run_recorder_on("shmemfile", 0, 0, param("pfnmap.seed_shmemfile", "5"), calls, "/shm/f", "anon-shared");
    run_recorder_on("shmemmemfd", 0, 0, param("pfnmap.seed_shmemmemfd", "6"), calls, "memfd:pfnmap", "anon-shared");
    /* hugetlb: 6.12's hugetlbfs hooks (x86_64's own, arm64's generic one), the default hstate */
    mkdir("/huge", 0755);
    if (mount("hugetlbfs", "/huge", "hugetlbfs", 0, NULL) != 0)
        say("mount hugetlbfs on /huge: %s", strerror(errno));
    run_recorder_on("hugetlb", 0, 0, param("pfnmap.seed_hugetlb", "7"), calls, "/huge/f", "hugetlb");
    run_recorder_on("hugetlblegacy", 1, 0, param("pfnmap.seed_hugetlblegacy", "8"), calls, "/huge/g", "hugetlb");

    sync();
    if (umount("/mnt") != 0)
        say("umount /mnt: %s", strerror(errno));
    say("DONE seconds-in-init=%.1f", now() - t0);
    power_off(0);
    return 0;
}
