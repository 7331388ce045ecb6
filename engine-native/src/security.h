/* Process hardening applied right before exec: user, capabilities, no_new_privs, seccomp, rlimits. */
#ifndef BERTH_SECURITY_H
#define BERTH_SECURITY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "spec.h"

struct user {
    uid_t uid;
    gid_t gid;
    gid_t groups[64];
    size_t ngroups;
    char home[512];
};

/* Resolves "uid[:gid]" or "name[:group]" against passwd/group text (the container's /etc files; either may be
 * NULL when missing). Numeric ids need no entry. Fills supplementary groups from the group file. */
int user_resolve(const char *spec, const char *passwd, const char *group, struct user *out);

/* Builds the seccomp filter (Docker's default profile semantics) into prog; returns the instruction count. */
struct sock_filter;
size_t seccomp_build(struct sock_filter *prog, size_t cap);
int seccomp_install(void);

/* Drops the bounding set to Docker's default 14, switches to the user keeping those caps in permitted and
 * effective (inheritable and ambient empty, as Docker does since CVE-2022-24769). */
int drop_privileges(const struct user *u);
int set_no_new_privs(void);
int apply_rlimits(const struct rlim *r, size_t n);

#endif
