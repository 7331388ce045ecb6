#include "cgroup.h"
#include "devices.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define CG_ROOT "/sys/fs/cgroup"

/* v1 hierarchies a container joins; cpu and cpuacct are usually one (deduplicated by realpath). */
static const char *V1_HIERARCHIES[] = {"memory", "cpu", "cpuacct", "pids", "freezer", "devices", "blkio",
                                       "systemd", "unified", NULL};
/* Each v1 migration costs a synchronize_rcu in the kernel; this list is the start-latency budget. */

/* Docker's default device cgroup rules: mknod anything, use only the standard devices. */
static const char *DEVICE_ALLOW[] = {"c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm",
                                     "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm",
                                     "c 10:200 rwm", NULL};

static int is_v2(void) {
    struct statfs sf;
    return statfs(CG_ROOT, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

static int mkdir_p2(const char *base, const char *a, const char *b, char *out, size_t cap) {
    char p[512];
    if (snprintf(p, sizeof p, "%s/%s", base, a) >= (int)sizeof p) return err_msg("cgroup_failed", "cgroup path too long");
    if (mkdir(p, 0755) < 0 && errno != EEXIST) return err_sys("cgroup_failed", "cannot create cgroup %s", p);
    if (b) {
        if (snprintf(out, cap, "%s/%s", p, b) >= (int)cap) return err_msg("cgroup_failed", "cgroup path too long");
        if (mkdir(out, 0755) < 0 && errno != EEXIST) return err_sys("cgroup_failed", "cannot create cgroup %s", out);
    } else {
        snprintf(out, cap, "%s", p);
    }
    return 0;
}

/* Lists the distinct v1 hierarchy roots we use (realpath'd), or the single v2 root. */
static size_t hierarchy_roots(char roots[CG_MAX][512]) {
    size_t n = 0;
    for (int i = 0; V1_HIERARCHIES[i] && n < CG_MAX; i++) {
        char p[256], real[PATH_MAX];
        snprintf(p, sizeof p, CG_ROOT "/%s", V1_HIERARCHIES[i]);
        if (!realpath(p, real)) continue;
        char procs[PATH_MAX + 16];
        snprintf(procs, sizeof procs, "%s/cgroup.procs", real);
        if (access(procs, F_OK) < 0) continue;
        int dup = 0;
        for (size_t j = 0; j < n; j++) dup |= !strcmp(roots[j], real);
        if (!dup && strlen(real) < 512) snprintf(roots[n++], 512, "%s", real);
    }
    return n;
}

static int write_in(const char *dir, const char *file, const char *value, int *done) {
    char p[640];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    if (access(p, F_OK) < 0) return 0;
    if (write_file(p, value) < 0) return err_sys("cgroup_failed", "cannot set %s to %s", p, value);
    if (done) *done = 1;
    return 0;
}

static int require(int done, const char *what) {
    if (!done) return err_msg("cgroup_failed", "a %s limit was requested but no cgroup controller for it is available", what);
    return 0;
}

static int apply_v1(const struct cgroups *cg, const struct cg_limits *lim) {
    char v[64];
    int mem = 0, cpu = 0, pids = 0;
    for (size_t i = 0; i < cg->n; i++) {
        const char *d = cg->path[i];
        if (lim->memory) {
            snprintf(v, sizeof v, "%llu", (unsigned long long)lim->memory);
            /* memsw must stay >= limit: raise the limit first, then cap memory+swap (no swap, like --memory-swap=memory) */
            if (write_in(d, "memory.limit_in_bytes", v, &mem) || write_in(d, "memory.memsw.limit_in_bytes", v, NULL))
                return -1;
        }
        if (lim->nano_cpus) {
            snprintf(v, sizeof v, "%llu", (unsigned long long)(lim->nano_cpus / 10000)); /* period 100000 us */
            if (write_in(d, "cpu.cfs_period_us", "100000", NULL) || write_in(d, "cpu.cfs_quota_us", v, &cpu)) return -1;
        }
        if (lim->pids) {
            snprintf(v, sizeof v, "%llu", (unsigned long long)lim->pids);
            if (write_in(d, "pids.max", v, &pids)) return -1;
        }
        char probe[640];
        snprintf(probe, sizeof probe, "%s/devices.deny", d);
        if (access(probe, F_OK) == 0) {
            if (write_in(d, "devices.deny", "a", NULL)) return -1;
            for (int k = 0; DEVICE_ALLOW[k]; k++)
                if (write_in(d, "devices.allow", DEVICE_ALLOW[k], NULL)) return -1;
        }
    }
    if ((lim->memory && require(mem, "memory")) || (lim->nano_cpus && require(cpu, "CPU")) ||
        (lim->pids && require(pids, "pids")))
        return -1;
    return 0;
}

static void enable_v2_controllers(const char *dir) {
    static const char *C[] = {"+memory", "+cpu", "+pids", "+io", NULL};
    char p[640];
    snprintf(p, sizeof p, "%s/cgroup.subtree_control", dir);
    for (int i = 0; C[i]; i++) (void)write_file(p, C[i]); /* unavailable controllers are checked via require() */
}

static int apply_v2(const struct cgroups *cg, const struct cg_limits *lim) {
    char v[64];
    int mem = 0, cpu = 0, pids = 0;
    const char *d = cg->path[0];
    if (lim->memory) {
        snprintf(v, sizeof v, "%llu", (unsigned long long)lim->memory);
        if (write_in(d, "memory.max", v, &mem) || write_in(d, "memory.swap.max", "0", NULL)) return -1;
    }
    if (lim->nano_cpus) {
        snprintf(v, sizeof v, "%llu 100000", (unsigned long long)(lim->nano_cpus / 10000));
        if (write_in(d, "cpu.max", v, &cpu)) return -1;
    }
    if (lim->pids) {
        snprintf(v, sizeof v, "%llu", (unsigned long long)lim->pids);
        if (write_in(d, "pids.max", v, &pids)) return -1;
    }
    if ((lim->memory && require(mem, "memory")) || (lim->nano_cpus && require(cpu, "CPU")) ||
        (lim->pids && require(pids, "pids")))
        return -1;
    return 0;
}

int cg_create(struct cgroups *cg, const char *id, const struct cg_limits *lim) {
    memset(cg, 0, sizeof *cg);
    if (is_v2()) {
        cg->v2 = 1;
        char berth[512];
        enable_v2_controllers(CG_ROOT);
        if (mkdir_p2(CG_ROOT, "berth", NULL, berth, sizeof berth)) return -1;
        enable_v2_controllers(berth);
        if (mkdir_p2(CG_ROOT, "berth", id, cg->path[0], sizeof cg->path[0])) return -1;
        cg->n = 1;
        if (apply_v2(cg, lim)) return -1;
        return devices_attach(cg->path[0]);
    }
    char roots[CG_MAX][512];
    size_t n = hierarchy_roots(roots);
    if (n == 0) return err_msg("cgroup_failed", "no cgroup hierarchy found under " CG_ROOT);
    for (size_t i = 0; i < n; i++) {
        if (mkdir_p2(roots[i], "berth", id, cg->path[cg->n], sizeof cg->path[0])) return -1;
        cg->n++;
    }
    if (apply_v1(cg, lim)) return -1;
    /* hybrid: the v1 devices controller enforces; the same rules on the unified (v2) cgroup add a second layer */
    for (size_t i = 0; i < cg->n; i++)
        if (strstr(cg->path[i], "/unified/")) trace(devices_attach(cg->path[i]) == 0 ? "device filter on unified" : g_err.msg);
    return 0;
}

static int add_one(const char *dir, pid_t pid) {
    char p[640], v[32];
    snprintf(p, sizeof p, "%s/cgroup.procs", dir);
    snprintf(v, sizeof v, "%d", (int)pid);
    if (write_file(p, v) < 0) return err_sys("cgroup_failed", "cannot move pid %d into %s", (int)pid, dir);
    return 0;
}

int cg_add(const struct cgroups *cg, pid_t pid) {
    for (size_t i = 0; i < cg->n; i++)
        if (add_one(cg->path[i], pid)) return -1;
    return 0;
}

int cg_add_paths(const char *const *paths, size_t n, pid_t pid) {
    for (size_t i = 0; i < n; i++)
        if (add_one(paths[i], pid)) return -1;
    return 0;
}

int cg_place_monitor(void) {
    char dir[512];
    pid_t self = getpid();
    if (is_v2()) {
        if (mkdir_p2(CG_ROOT, "berth-monitors", NULL, dir, sizeof dir)) return -1;
        return add_one(dir, self);
    }
    char roots[CG_MAX][512];
    size_t n = hierarchy_roots(roots);
    for (size_t i = 0; i < n; i++) {
        if (mkdir_p2(roots[i], "berth-monitors", NULL, dir, sizeof dir) || add_one(dir, self)) return -1;
    }
    return 0;
}

static long read_key(const char *file, const char *key) {
    char buf[2048];
    if (read_file(file, buf, sizeof buf) < 0) return -1;
    size_t kl = strlen(key);
    for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (!strncmp(line, key, kl) && line[kl] == ' ') return strtol(line + kl + 1, NULL, 10);
    }
    return -1;
}

int cg_oom_killed(const struct cgroups *cg) {
    for (size_t i = 0; i < cg->n; i++) {
        char p[640];
        snprintf(p, sizeof p, "%s/%s", cg->path[i], cg->v2 ? "memory.events" : "memory.oom_control");
        if (access(p, F_OK) < 0) continue;
        if (read_key(p, "oom_kill") > 0) return 1;
    }
    return 0;
}

void cg_destroy(const struct cgroups *cg) {
    for (size_t i = 0; i < cg->n; i++) {
        for (int tries = 0; tries < 200; tries++) {
            if (rmdir(cg->path[i]) == 0 || errno == ENOENT) break;
            if (errno != EBUSY) break;
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
}
