#include "security.h"
#include "util.h"

#include <errno.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---------- user ---------- */

static int parse_id(const char *s, size_t n, unsigned *out) {
    if (n == 0 || n > 10) return -1;
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v > 0xfffffffeul) return -1;
    *out = (unsigned)v;
    return 0;
}

/* Finds the line of a colon-separated db whose field `field` equals key (len kl); copies up to 7 fields. */
static int db_find(const char *db, int field, const char *key, size_t kl, char fields[7][512]) {
    if (!db) return -1;
    for (const char *line = db; *line;) {
        const char *end = strchr(line, '\n');
        size_t ll = end ? (size_t)(end - line) : strlen(line);
        int f = 0;
        size_t start = 0;
        for (size_t i = 0; i <= ll && f < 7; i++) {
            if (i == ll || line[i] == ':') {
                size_t fl = i - start;
                if (fl >= 512) fl = 511;
                memcpy(fields[f], line + start, fl);
                fields[f][fl] = 0;
                f++;
                start = i + 1;
            }
        }
        for (; f < 7; f++) fields[f][0] = 0;
        if (line[0] != '#' && strlen(fields[field]) == kl && !strncmp(fields[field], key, kl)) return 0;
        if (!end) break;
        line = end + 1;
    }
    return -1;
}

static int member_of(const char *members, const char *name) {
    size_t nl = strlen(name);
    for (const char *p = members; *p;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l == nl && !strncmp(p, name, l)) return 1;
        if (!c) break;
        p = c + 1;
    }
    return 0;
}

static void supplementary(const char *group, const char *name, struct user *u) {
    u->groups[u->ngroups++] = u->gid;
    if (!group || !name[0]) return;
    for (const char *line = group; *line && u->ngroups < 64;) {
        char fields[7][512];
        const char *end = strchr(line, '\n');
        size_t ll = end ? (size_t)(end - line) : strlen(line);
        char one[2048];
        if (ll < sizeof one) {
            memcpy(one, line, ll);
            one[ll] = 0;
            unsigned gid;
            if (db_find(one, 0, one, strcspn(one, ":"), fields) == 0 && member_of(fields[3], name) &&
                parse_id(fields[2], strlen(fields[2]), &gid) == 0 && gid != u->gid)
                u->groups[u->ngroups++] = gid;
        }
        if (!end) break;
        line = end + 1;
    }
}

int user_resolve(const char *spec, const char *passwd, const char *group, struct user *u) {
    memset(u, 0, sizeof *u);
    snprintf(u->home, sizeof u->home, "/");
    const char *colon = strchr(spec, ':');
    size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
    char fields[7][512];
    char name[512] = "";
    unsigned id = 0;
    int have_gid = 0;
    if (ul == 0) {
        u->uid = 0;
        if (db_find(passwd, 2, "0", 1, fields) == 0) {
            snprintf(name, sizeof name, "%s", fields[0]);
            parse_id(fields[3], strlen(fields[3]), &id);
            u->gid = id;
            snprintf(u->home, sizeof u->home, "%s", fields[5]);
        }
    } else if (parse_id(spec, ul, &id) == 0) {
        u->uid = id;
        char key[16];
        snprintf(key, sizeof key, "%u", id);
        if (db_find(passwd, 2, key, strlen(key), fields) == 0) {
            snprintf(name, sizeof name, "%s", fields[0]);
            if (parse_id(fields[3], strlen(fields[3]), &id) == 0) u->gid = id;
            snprintf(u->home, sizeof u->home, "%s", fields[5]);
        }
    } else {
        if (db_find(passwd, 0, spec, ul, fields) != 0)
            return err_msg("bad_user", "unable to find user %.*s: no matching entries in the container's /etc/passwd",
                           (int)ul, spec);
        snprintf(name, sizeof name, "%s", fields[0]);
        if (parse_id(fields[2], strlen(fields[2]), &id)) return err_msg("bad_user", "user %s has a bad uid in /etc/passwd", name);
        u->uid = id;
        if (parse_id(fields[3], strlen(fields[3]), &id) == 0) u->gid = id;
        snprintf(u->home, sizeof u->home, "%s", fields[5][0] ? fields[5] : "/");
    }
    if (colon) {
        const char *g = colon + 1;
        if (!*g) return err_msg("bad_user", "user '%s' has an empty group", spec);
        if (parse_id(g, strlen(g), &id) == 0) {
            u->gid = id;
        } else if (db_find(group, 0, g, strlen(g), fields) == 0 && parse_id(fields[2], strlen(fields[2]), &id) == 0) {
            u->gid = id;
        } else {
            return err_msg("bad_user", "unable to find group %s: no matching entries in the container's /etc/group", g);
        }
        have_gid = 1;
    }
    (void)have_gid;
    supplementary(group, name, u);
    return 0;
}

/* ---------- capabilities ---------- */

static const int DEFAULT_CAPS[] = {CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW,
                                   CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE,
                                   CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE};
#define NDEFAULT_CAPS (sizeof DEFAULT_CAPS / sizeof DEFAULT_CAPS[0])

static int is_default_cap(int c) {
    for (size_t i = 0; i < NDEFAULT_CAPS; i++)
        if (DEFAULT_CAPS[i] == c) return 1;
    return 0;
}

static int last_cap(void) {
    char buf[32];
    if (read_file("/proc/sys/kernel/cap_last_cap", buf, sizeof buf) > 0) return atoi(buf);
    return CAP_LAST_CAP;
}

int drop_privileges(const struct user *u) {
    int last = last_cap();
    for (int c = 0; c <= last; c++)
        if (!is_default_cap(c) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
            return err_sys("security_failed", "cannot drop capability %d from the bounding set", c);
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) return err_sys("security_failed", "prctl(PR_SET_KEEPCAPS)");
    if (setgroups(u->ngroups, u->groups) < 0) return err_sys("bad_user", "cannot set supplementary groups");
    if (setresgid(u->gid, u->gid, u->gid) < 0) return err_sys("bad_user", "cannot set gid %u", (unsigned)u->gid);
    if (setresuid(u->uid, u->uid, u->uid) < 0) return err_sys("bad_user", "cannot set uid %u", (unsigned)u->uid);
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) return err_sys("security_failed", "prctl(PR_SET_KEEPCAPS, 0)");
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    for (size_t i = 0; i < NDEFAULT_CAPS; i++) {
        int c = DEFAULT_CAPS[i];
        data[c / 32].effective |= 1u << (c % 32);
        data[c / 32].permitted |= 1u << (c % 32);
    }
    if (syscall(SYS_capset, &hdr, data) < 0) return err_sys("security_failed", "capset");
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        return err_sys("security_failed", "cannot clear ambient capabilities");
    return 0;
}

int set_no_new_privs(void) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return err_sys("security_failed", "prctl(PR_SET_NO_NEW_PRIVS)");
    return 0;
}

int apply_rlimits(const struct rlim *r, size_t n) {
    for (size_t i = 0; i < n; i++) {
        struct rlimit cur;
        if (getrlimit(r[i].resource, &cur) < 0) return err_sys("security_failed", "getrlimit(%d)", r[i].resource);
        struct rlimit want = {r[i].soft, r[i].hard};
        if (cur.rlim_max != RLIM_INFINITY && want.rlim_max > cur.rlim_max) want.rlim_max = cur.rlim_max;
        if (want.rlim_cur > want.rlim_max) want.rlim_cur = want.rlim_max;
        if (setrlimit(r[i].resource, &want) < 0)
            return err_sys("security_failed", "setrlimit(%d, %llu:%llu)", r[i].resource,
                           (unsigned long long)want.rlim_cur, (unsigned long long)want.rlim_max);
    }
    return 0;
}

/* ---------- seccomp ---------- */

#if defined(__x86_64__)
#define SECCOMP_ARCH AUDIT_ARCH_X86_64
#define SECCOMP_MAX_KNOWN 462   /* newest syscall number this profile was reviewed against */
#elif defined(__aarch64__)
#define SECCOMP_ARCH AUDIT_ARCH_AARCH64
#define SECCOMP_MAX_KNOWN 462
#else
#error "berth-monitor: seccomp profile only for x86_64 and aarch64"
#endif

/* Syscalls moby's default profile does not allow for a container without extra capabilities. */
static const int DENIED[] = {
#ifdef __NR_acct
    __NR_acct,
#endif
    __NR_add_key, __NR_request_key, __NR_keyctl, __NR_bpf, __NR_clock_adjtime, __NR_clock_settime,
    __NR_settimeofday, __NR_delete_module, __NR_finit_module, __NR_init_module, __NR_get_mempolicy,
    __NR_set_mempolicy, __NR_mbind, __NR_move_pages, __NR_migrate_pages, __NR_kcmp, __NR_kexec_load,
    __NR_lookup_dcookie, __NR_mount, __NR_umount2, __NR_name_to_handle_at, __NR_open_by_handle_at,
    __NR_perf_event_open, __NR_pivot_root, __NR_quotactl, __NR_reboot, __NR_setns, __NR_unshare, __NR_swapon,
    __NR_swapoff, __NR_syslog, __NR_vhangup, __NR_userfaultfd, __NR_process_madvise, __NR_pidfd_getfd,
    __NR_fanotify_init, __NR_open_tree, __NR_move_mount, __NR_fsopen, __NR_fsconfig, __NR_fsmount, __NR_fspick,
    __NR_mount_setattr, __NR_io_uring_setup, __NR_io_uring_enter, __NR_io_uring_register, __NR_nfsservctl,
#ifdef __NR_kexec_file_load
    __NR_kexec_file_load,
#endif
#ifdef __NR_quotactl_fd
    __NR_quotactl_fd,
#endif
#ifdef __NR_set_mempolicy_home_node
    __NR_set_mempolicy_home_node,
#endif
#if defined(__x86_64__)
    __NR_iopl, __NR_ioperm, __NR_create_module, __NR_get_kernel_syms, __NR_query_module, __NR_sysfs, __NR__sysctl,
    __NR_uselib, __NR_ustat, __NR_afs_syscall, __NR_tuxcall, __NR_security, __NR_vserver, __NR_getpmsg,
    __NR_putpmsg,
#endif
};
#define NDENIED (sizeof DENIED / sizeof DENIED[0])

#define NS_CLONE_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)
#define RET_ERRNO(e) (SECCOMP_RET_ERRNO | ((e) & SECCOMP_RET_DATA))
#define ARG0_LO offsetof(struct seccomp_data, args[0])

#define EMIT(code, k_, jt_, jf_)                                                          \
    do {                                                                                  \
        if (n >= cap) return 0;                                                           \
        prog[n++] = (struct sock_filter){(unsigned short)(code), (jt_), (jf_), (k_)};     \
    } while (0)

size_t seccomp_build(struct sock_filter *prog, size_t cap) {
    size_t n = 0;
    EMIT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_ARCH, 1, 0);
    EMIT(BPF_RET | BPF_K, RET_ERRNO(EPERM), 0, 0);               /* foreign ABIs (i386, x32 via arch) */
    EMIT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
#if defined(__x86_64__)
    EMIT(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1);          /* x32 numbers */
    EMIT(BPF_RET | BPF_K, RET_ERRNO(EPERM), 0, 0);
#endif
    for (size_t i = 0; i < NDENIED; i++) {
        EMIT(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)DENIED[i], 0, 1);
        EMIT(BPF_RET | BPF_K, RET_ERRNO(EPERM), 0, 0);
    }
    /* clone3 cannot be filtered by flags: ENOSYS makes libc fall back to clone, as moby does */
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1);
    EMIT(BPF_RET | BPF_K, RET_ERRNO(ENOSYS), 0, 0);
    /* clone: no new namespaces */
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4);
    EMIT(BPF_LD | BPF_W | BPF_ABS, ARG0_LO, 0, 0);
    EMIT(BPF_JMP | BPF_JSET | BPF_K, NS_CLONE_FLAGS, 0, 1);
    EMIT(BPF_RET | BPF_K, RET_ERRNO(EPERM), 0, 0);
    EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
    /* personality: only the harmless personas moby allows */
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, __NR_personality, 0, 8);
    EMIT(BPF_LD | BPF_W | BPF_ABS, ARG0_LO, 0, 0);
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, 0x0, 5, 0);
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, 0x8, 4, 0);
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, 0x20000, 3, 0);
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, 0x20008, 2, 0);
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffu, 1, 0);
    EMIT(BPF_RET | BPF_K, RET_ERRNO(EPERM), 0, 0);
    EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
    /* socket: no AF_VSOCK */
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 4);
    EMIT(BPF_LD | BPF_W | BPF_ABS, ARG0_LO, 0, 0);
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, AF_VSOCK, 0, 1);
    EMIT(BPF_RET | BPF_K, RET_ERRNO(EPERM), 0, 0);
    EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
    /* syscalls newer than this profile: ENOSYS so libc falls back */
    EMIT(BPF_JMP | BPF_JGT | BPF_K, SECCOMP_MAX_KNOWN, 0, 1);
    EMIT(BPF_RET | BPF_K, RET_ERRNO(ENOSYS), 0, 0);
    EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
    return n;
}

int seccomp_install(void) {
    struct sock_filter prog[256];
    size_t n = seccomp_build(prog, sizeof prog / sizeof prog[0]);
    if (n == 0) return err_msg("security_failed", "seccomp filter does not fit");
    struct sock_fprog fprog = {(unsigned short)n, prog};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
        return err_sys("security_failed", "cannot install the seccomp filter");
    return 0;
}
