/* Container cgroups on v1 (one dir per hierarchy) and v2 (one dir), detected at run time. */
#ifndef BERTH_CGROUP_H
#define BERTH_CGROUP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CG_MAX 16

struct cgroups {
    int v2;
    size_t n;
    char path[CG_MAX][512];   /* <hierarchy>/berth/<id> */
};

struct cg_limits {
    uint64_t memory, nano_cpus, pids;
};

/* Creates berth/<id> in every relevant hierarchy and applies the limits. */
int cg_create(struct cgroups *cg, const char *id, const struct cg_limits *lim);
/* Moves the calling monitor out of its parent's cgroups into berth-monitors (so it outlives the JVM's unit). */
int cg_place_monitor(void);
int cg_add(const struct cgroups *cg, pid_t pid);
int cg_add_paths(const char *const *paths, size_t n, pid_t pid);
int cg_oom_killed(const struct cgroups *cg);
void cg_destroy(const struct cgroups *cg);

#endif
