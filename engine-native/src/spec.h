/* The spec file Java writes into the state dir: NUL-separated key/value pairs (PROTOCOL.md, "spec"). */
#ifndef BERTH_SPEC_H
#define BERTH_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "netlink.h"

enum net_mode { NET_NONE, NET_NEW, NET_HOST, NET_JOIN };

struct mountspec {
    const char *src;
    const char *dst;
    int ro;
};

struct rlim {
    int resource;
    uint64_t soft, hard;
};

#define SPEC_MAX_LIST 4096

struct spec {
    char *buf;              /* owns every string below */
    const char *id;
    const char *state_dir;
    const char **lower; size_t nlower;   /* top-most first (overlayfs order) */
    const char *upper, *work;
    const char *hostname;
    const char **args; size_t nargs;
    const char **env; size_t nenv;
    const char *cwd;
    const char *user;
    int tty, open_stdin, sync;
    uint64_t memory, nano_cpus, pids;
    struct mountspec *mounts; size_t nmounts;
    enum net_mode net; const char *netns;
    struct veth_spec *veths; size_t nveths;   /* net new only: configured by the monitor before exec */
    const char *log_path; uint64_t log_max; unsigned log_files;
    struct rlim *rlimits; size_t nrlimits;
    unsigned cols, rows;
    /* exec mode */
    long target_pid;
    const char **target_cgroups; size_t ntarget_cgroups;
};

/* Parse buf[0..len) (taking ownership of buf, which must be malloc'd and NUL-terminated at buf[len]).
 * Returns 0, or -1 with g_err set ("spec_invalid"). */
int spec_parse(struct spec *s, char *buf, size_t len);
int spec_load(struct spec *s, const char *state_dir);
/* Map a Docker ulimit name to RLIMIT_*, -1 when unknown. */
int rlimit_by_name(const char *name);

#endif
