#include "child.h"
#include "security.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char *MASKED[] = {"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                               "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
                               "/sys/firmware", "/sys/devices/virtual/powercap", NULL};
static const char *READONLY[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL};

/* ---------- talking to the monitor ---------- */

static _Noreturn void fail(struct child_ctx *c) {
    char buf[1 + sizeof g_err.code + sizeof g_err.msg];
    size_t cl = strlen(g_err.code), ml = strlen(g_err.msg);
    buf[0] = MSG_ERROR;
    memcpy(buf + 1, g_err.code, cl + 1);
    memcpy(buf + 2 + cl, g_err.msg, ml);
    (void)send(c->sync, buf, 2 + cl + ml, MSG_NOSIGNAL);
    _exit(127);
}

static int send_fd(int sock, int fd) {
    char byte = MSG_MASTER;
    struct iovec iov = {&byte, 1};
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
    memset(&u, 0, sizeof u);
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &fd, sizeof fd);
    if (sendmsg(sock, &m, MSG_NOSIGNAL) < 0) return err_sys("internal", "cannot pass the PTY to the monitor");
    return 0;
}

static int wait_go(struct child_ctx *c) {
    char msg = MSG_READY;
    if (send(c->sync, &msg, 1, MSG_NOSIGNAL) != 1) return err_sys("internal", "cannot signal readiness");
    ssize_t r;
    do r = recv(c->sync, &msg, 1, 0); while (r < 0 && errno == EINTR);
    if (r != 1 || msg != MSG_GO) _exit(126); /* aborted by the monitor (or Java) */
    return 0;
}

/* ---------- paths inside the rootfs ---------- */

static int openat2_in(int root, const char *path, int flags) {
    struct open_how how = {.flags = (unsigned)(flags | O_CLOEXEC),
                           .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV * 0};
    while (*path == '/') path++;
    if (!*path) path = ".";
    return (int)syscall(SYS_openat2, root, path, &how, sizeof how);
}

/* Opens (O_PATH) `path` inside root without following anything out of it; with create, missing components are
 * made as directories and the last one as a directory or (file_leaf) an empty file. */
static int resolve_in_root(int root, const char *path, int create, int file_leaf) {
    int fd = openat2_in(root, path, O_PATH);
    if (fd >= 0 || errno != ENOENT || !create) return fd;
    char buf[4096];
    if (strlen(path) >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
    snprintf(buf, sizeof buf, "%s", path);
    char *p = buf;
    while (*p == '/') p++;
    for (;;) {
        char *slash = strchr(p, '/');
        int last = !slash || !slash[strspn(slash, "/")];
        if (slash) *slash = 0;
        int probe = openat2_in(root, buf, O_PATH);
        if (probe >= 0) {
            close(probe);
        } else if (errno == ENOENT) {
            char *base = strrchr(buf, '/');
            const char *name = base ? base + 1 : buf;
            int parent;
            if (base) {
                *base = 0;
                parent = openat2_in(root, buf[0] ? buf : "/", O_PATH | O_DIRECTORY);
                *base = '/';
            } else {
                parent = openat2_in(root, ".", O_PATH | O_DIRECTORY);
            }
            if (parent < 0) return -1;
            int rc;
            if (last && file_leaf) {
                rc = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
                if (rc >= 0) { close(rc); rc = 0; }
            } else {
                rc = mkdirat(parent, name, 0755);
            }
            int saved = errno;
            close(parent);
            if (rc < 0 && saved != EEXIST) { errno = saved; return -1; }
        } else {
            return -1;
        }
        if (last) break;
        *slash = '/';
        p = slash + 1;
        while (*p == '/') p++;
    }
    return openat2_in(root, path, O_PATH);
}

static void fdpath(char *out, size_t cap, int fd) { snprintf(out, cap, "/proc/self/fd/%d", fd); }

/* Mounts onto `target` (resolved inside root, created when missing). */
static int mount_in(int root, const char *target, const char *src, const char *type, unsigned long flags,
                    const char *data, int file_leaf) {
    int fd = resolve_in_root(root, target, 1, file_leaf);
    if (fd < 0) return err_sys("mount_failed", "cannot create mount point %s in the container", target);
    char p[64];
    fdpath(p, sizeof p, fd);
    int rc = mount(src, p, type, flags, data);
    int saved = errno;
    close(fd);
    errno = saved;
    if (rc < 0) return err_sys("mount_failed", "cannot mount %s (%s) on %s", src ? src : "-", type ? type : "bind", target);
    return 0;
}

static int remount_ro(int root, const char *target, unsigned long keep) {
    int fd = resolve_in_root(root, target, 0, 0);
    if (fd < 0) return errno == ENOENT ? 0 : err_sys("mount_failed", "cannot open %s", target);
    char p[64];
    fdpath(p, sizeof p, fd);
    int rc = mount(p, p, NULL, MS_BIND | MS_REC, NULL);
    if (rc == 0) {
        close(fd);
        fd = resolve_in_root(root, target, 0, 0); /* now the bind mount itself */
        if (fd < 0) return err_sys("mount_failed", "cannot reopen %s", target);
        fdpath(p, sizeof p, fd);
        rc = mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, NULL);
    }
    int saved = errno;
    close(fd);
    errno = saved;
    if (rc < 0) return err_sys("mount_failed", "cannot make %s read-only", target);
    return 0;
}

static int mask_path(int root, const char *target) {
    int fd = resolve_in_root(root, target, 0, 0);
    if (fd < 0) return errno == ENOENT ? 0 : err_sys("mount_failed", "cannot open %s to mask it", target);
    struct stat st;
    char p[64];
    fdpath(p, sizeof p, fd);
    int rc = fstat(fd, &st);
    if (rc == 0) {
        if (S_ISDIR(st.st_mode)) rc = mount("tmpfs", p, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0");
        else rc = mount("/dev/null", p, NULL, MS_BIND, NULL);
    }
    int saved = errno;
    close(fd);
    errno = saved;
    if (rc < 0) return err_sys("mount_failed", "cannot mask %s", target);
    return 0;
}

/* ---------- the rootfs ---------- */

static int mount_overlay(const struct spec *s, const char *target) {
    char opts[4096];
    size_t len = 0;
    int fits = buf_append(opts, sizeof opts, &len, "lowerdir=") == 0;
    for (size_t i = 0; fits && i < s->nlower; i++)
        fits = (i == 0 || buf_append(opts, sizeof opts, &len, ":") == 0) && buf_append(opts, sizeof opts, &len, s->lower[i]) == 0;
    fits = fits && buf_append(opts, sizeof opts, &len, ",upperdir=") == 0 && buf_append(opts, sizeof opts, &len, s->upper) == 0 &&
           buf_append(opts, sizeof opts, &len, ",workdir=") == 0 && buf_append(opts, sizeof opts, &len, s->work) == 0;
    if (fits) {
        if (mount("overlay", target, "overlay", 0, opts) < 0)
            return err_sys("mount_failed", "cannot mount the overlay root (%zu layers) on %s", s->nlower, target);
        return 0;
    }
    /* Too long for one page of mount options: the new mount API takes each layer separately (Linux >= 6.8). */
    int fs = (int)syscall(SYS_fsopen, "overlay", 1 /* FSOPEN_CLOEXEC */);
    if (fs < 0) return err_sys("mount_failed", "fsopen(overlay)");
    for (size_t i = 0; i < s->nlower; i++)
        if (syscall(SYS_fsconfig, fs, 1 /* FSCONFIG_SET_STRING */, "lowerdir+", s->lower[i], 0) < 0)
            return err_sys("mount_failed", "overlay: cannot add layer %s (needs Linux >= 6.8 for %zu layers)", s->lower[i], s->nlower);
    if (syscall(SYS_fsconfig, fs, 1, "upperdir", s->upper, 0) < 0 || syscall(SYS_fsconfig, fs, 1, "workdir", s->work, 0) < 0)
        return err_sys("mount_failed", "overlay: cannot set upper/work dirs");
    if (syscall(SYS_fsconfig, fs, 6 /* FSCONFIG_CMD_CREATE */, NULL, NULL, 0) < 0) return err_sys("mount_failed", "overlay: create");
    int mnt = (int)syscall(SYS_fsmount, fs, 1 /* FSMOUNT_CLOEXEC */, 0);
    if (mnt < 0) return err_sys("mount_failed", "fsmount(overlay)");
    if (syscall(SYS_move_mount, mnt, "", AT_FDCWD, target, 4 /* MOVE_MOUNT_F_EMPTY_PATH */) < 0)
        return err_sys("mount_failed", "move_mount(overlay -> %s)", target);
    close(mnt);
    close(fs);
    return 0;
}

static int make_dev(int root) {
    static const struct { const char *name; unsigned maj, min; } NODES[] = {
        {"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};
    static const struct { const char *name, *to; } LINKS[] = {
        {"ptmx", "pts/ptmx"}, {"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"}, {"stdout", "/proc/self/fd/1"},
        {"stderr", "/proc/self/fd/2"}, {"core", "/proc/kcore"}};
    if (mount_in(root, "/dev", "tmpfs", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k", 0)) return -1;
    int dev = openat2_in(root, "/dev", O_PATH | O_DIRECTORY);
    if (dev < 0) return err_sys("mount_failed", "cannot open /dev in the container");
    for (size_t i = 0; i < sizeof NODES / sizeof NODES[0]; i++)
        if (mknodat(dev, NODES[i].name, S_IFCHR | 0666, makedev(NODES[i].maj, NODES[i].min)) < 0)
            return err_sys("mount_failed", "cannot create /dev/%s", NODES[i].name);
    for (size_t i = 0; i < sizeof LINKS / sizeof LINKS[0]; i++)
        if (symlinkat(LINKS[i].to, dev, LINKS[i].name) < 0) return err_sys("mount_failed", "cannot link /dev/%s", LINKS[i].name);
    if (mkdirat(dev, "pts", 0755) < 0 || mkdirat(dev, "shm", 01777) < 0 || mkdirat(dev, "mqueue", 0755) < 0)
        return err_sys("mount_failed", "cannot create /dev subdirectories");
    int fd = openat(dev, "console", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) return err_sys("mount_failed", "cannot create /dev/console");
    close(fd);
    close(dev);
    if (mount_in(root, "/dev/pts", "devpts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5", 0) ||
        mount_in(root, "/dev/shm", "shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k", 0) ||
        mount_in(root, "/dev/mqueue", "mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0))
        return -1;
    return 0;
}

static int mount_sys(int root) {
    unsigned long f = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
    if (mount_in(root, "/sys", "sysfs", "sysfs", f, NULL, 0) == 0) return 0;
    /* host network: sysfs of another netns cannot be mounted everywhere; fall back to a read-only bind */
    if (mount_in(root, "/sys", "/sys", NULL, MS_BIND | MS_REC, NULL, 0)) return -1;
    return remount_ro(root, "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC);
}

static int user_mounts(int root, const struct spec *s) {
    for (size_t i = 0; i < s->nmounts; i++) {
        const struct mountspec *m = &s->mounts[i];
        struct stat st;
        if (stat(m->src, &st) < 0) return err_sys("mount_failed", "bind mount source %s", m->src);
        if (mount_in(root, m->dst, m->src, NULL, MS_BIND | MS_REC, NULL, !S_ISDIR(st.st_mode))) return -1;
        if (m->ro && remount_ro(root, m->dst, 0)) return -1;
    }
    return 0;
}

/* Opens a PTY in the container's devpts instance; the master goes to the monitor. Returns the slave. */
static int open_pty(struct child_ctx *c, int root) {
    int master = root >= 0 ? openat2_in(root, "/dev/pts/ptmx", O_RDWR | O_NOCTTY) : open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return err_sys("tty_failed", "cannot open the container's /dev/ptmx");
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0) return err_sys("tty_failed", "unlockpt");
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) return err_sys("tty_failed", "cannot open the PTY slave");
    struct winsize ws = {.ws_row = (unsigned short)c->s->rows, .ws_col = (unsigned short)c->s->cols};
    if (ioctl(slave, TIOCSWINSZ, &ws) < 0) return err_sys("tty_failed", "cannot set the PTY size");
    if (send_fd(c->sync, master) < 0) return -1;
    if (root >= 0) {
        unsigned n;
        char pts[64], fdp[64];
        if (ioctl(master, TIOCGPTN, &n) < 0) return err_sys("tty_failed", "TIOCGPTN");
        snprintf(pts, sizeof pts, "/dev/pts/%u", n);
        int src = resolve_in_root(root, pts, 0, 0);
        if (src < 0) return err_sys("tty_failed", "cannot open %s", pts);
        fdpath(fdp, sizeof fdp, src);
        if (mount_in(root, "/dev/console", fdp, NULL, MS_BIND, NULL, 1)) return -1;
        close(src);
    }
    close(master);
    return slave;
}

static int loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return err_sys("network_failed", "socket for loopback");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, IFNAMSIZ, "lo");
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) { close(s); return err_sys("network_failed", "SIOCGIFFLAGS lo"); }
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) { close(s); return err_sys("network_failed", "cannot bring up lo"); }
    close(s);
    return 0;
}

static int pivot(const char *rootfs) {
    if (chdir(rootfs) < 0) return err_sys("mount_failed", "chdir %s", rootfs);
    if (syscall(SYS_pivot_root, ".", ".") < 0) return err_sys("mount_failed", "pivot_root into %s", rootfs);
    if (umount2(".", MNT_DETACH) < 0) return err_sys("mount_failed", "cannot detach the old root");
    if (chdir("/") < 0) return err_sys("mount_failed", "chdir /");
    return 0;
}

static int setup_rootfs(struct child_ctx *c, int *slave) {
    const struct spec *s = c->s;
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) return err_sys("mount_failed", "cannot make / a slave mount");
    if (mount_overlay(s, c->rootfs)) return -1;
    trace("child: overlay");
    int root = open(c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) return err_sys("mount_failed", "cannot open the rootfs %s", c->rootfs);
    if (mount_in(root, "/proc", "proc", "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL, 0) || make_dev(root) ||
        mount_sys(root) || user_mounts(root, s))
        return -1;
    trace("child: std mounts");
    if (s->tty && (*slave = open_pty(c, root)) < 0) return -1;
    for (int i = 0; MASKED[i]; i++)
        if (mask_path(root, MASKED[i])) return -1;
    for (int i = 0; READONLY[i]; i++)
        if (remount_ro(root, READONLY[i], MS_NOSUID | MS_NODEV | MS_NOEXEC)) return -1;
    close(root);
    return pivot(c->rootfs);
}

/* ---------- final steps ---------- */

static char *slurp(const char *path) {
    static char bufs[2][65536];
    static int next;
    char *b = bufs[next++ & 1];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return NULL;
    ssize_t n = read_full(fd, b, sizeof bufs[0] - 1);
    close(fd);
    if (n < 0) return NULL;
    b[n] = 0;
    return b;
}

static const char *env_get(const char **env, const char *key) {
    size_t kl = strlen(key);
    for (size_t i = 0; env && env[i]; i++)
        if (!strncmp(env[i], key, kl) && env[i][kl] == '=') return env[i] + kl + 1;
    return NULL;
}

static const char **build_env(const struct spec *s, const struct user *u) {
    const char **e = calloc(s->nenv + 5, sizeof *e);
    if (!e) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < s->nenv; i++) e[n++] = s->env[i];
    if (!env_get(e, "PATH")) e[n++] = DEFAULT_PATH;
    if (!env_get(e, "HOSTNAME") && s->hostname && !s->target_pid) {
        static char h[300];
        snprintf(h, sizeof h, "HOSTNAME=%s", s->hostname);
        e[n++] = h;
    }
    if (!env_get(e, "HOME")) {
        static char h[600];
        snprintf(h, sizeof h, "HOME=%s", u->home[0] ? u->home : "/");
        e[n++] = h;
    }
    if (s->tty && !env_get(e, "TERM")) e[n++] = "TERM=xterm";
    e[n] = NULL;
    return e;
}

/* Finds argv[0] like execvp but reporting Docker-style errors. Result points to a static buffer. */
static const char *find_exe(const char *name, const char *path) {
    static char full[4096];
    if (strchr(name, '/')) {
        struct stat st;
        if (stat(name, &st) < 0) { err_sys("executable_not_found", "exec: \"%s\": stat %s", name, name); return NULL; }
        if (S_ISDIR(st.st_mode)) { err_msg("executable_not_found", "exec: \"%s\": is a directory", name); return NULL; }
        return name;
    }
    for (const char *p = path; p && *p;) {
        const char *c = strchr(p, ':');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l > 0 && l + strlen(name) + 2 < sizeof full) {
            memcpy(full, p, l);
            full[l] = '/';
            strcpy(full + l + 1, name);
            struct stat st;
            if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0) return full;
        }
        if (!c) break;
        p = c + 1;
    }
    err_msg("executable_not_found", "exec: \"%s\": executable file not found in $PATH", name);
    return NULL;
}

/* Opens the working directory inside the (pivoted) root: symlinks stay inside it, magic links such as
 * /proc/self/fd/N are refused (CVE-2024-21626 class). Creates it when missing, like Docker. */
static int enter_workdir(const char *cwd) {
    int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) return err_sys("bad_workdir", "open /");
    int fd = resolve_in_root(root, cwd, 1, 0);
    if (fd < 0) {
        int e = errno;
        close(root);
        errno = e;
        return err_sys("bad_workdir", "working directory %s cannot be used inside the container", cwd);
    }
    struct stat st;
    int rc = fstat(fd, &st);
    if (rc == 0 && !S_ISDIR(st.st_mode)) {
        close(fd);
        close(root);
        return err_msg("bad_workdir", "working directory %s is not a directory inside the container", cwd);
    }
    if (rc < 0 || fchdir(fd) < 0) {
        close(fd);
        close(root);
        return err_sys("bad_workdir", "cannot change into working directory %s", cwd);
    }
    close(fd);
    close(root);
    char buf[4096];
    if (!getcwd(buf, sizeof buf) || buf[0] != '/')
        return err_msg("bad_workdir", "working directory %s is outside the container's root", cwd);
    return 0;
}

static int setup_stdio(struct child_ctx *c, int slave) {
    if (setsid() < 0) return err_sys("internal", "setsid");
    if (slave >= 0) {
        if (ioctl(slave, TIOCSCTTY, 0) < 0) return err_sys("tty_failed", "cannot make the PTY the controlling terminal");
        for (int i = 0; i < 3; i++)
            if (dup2(slave, i) < 0) return err_sys("internal", "dup2 pty");
        if (slave > 2) close(slave);
        return 0;
    }
    int in = c->in_fd;
    if (in < 0 && (in = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) return err_sys("internal", "open /dev/null");
    if (dup2(in, 0) < 0 || dup2(c->out_fd, 1) < 0 || dup2(c->err_fd, 2) < 0) return err_sys("internal", "dup2 pipes");
    return 0;
}

static int enter_namespaces(struct child_ctx *c) {
    static const int TYPES[5] = {CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWCGROUP};
    static const char *NAMES[5] = {"ipc", "uts", "net", "mnt", "cgroup"};
    for (int i = 0; i < 5; i++) {
        if (c->ns_fds[i] < 0) continue;
        if (setns(c->ns_fds[i], TYPES[i]) < 0) return err_sys("exec_failed", "cannot enter the container's %s namespace", NAMES[i]);
        close(c->ns_fds[i]);
    }
    return 0;
}

/* The monitor ignores SIGTERM/SIGHUP/SIGINT/SIGPIPE and blocks SIGCHLD; none of that may reach the process
 * (an ignored signal stays ignored across exec, and a shell cannot even trap it). */
static int reset_signals(void) {
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        if (signal(sig, SIG_DFL) == SIG_ERR && errno != EINVAL) return err_sys("internal", "reset signal %d", sig);
    }
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) return err_sys("internal", "sigprocmask");
    return 0;
}

_Noreturn void child_main(struct child_ctx *c) {
    const struct spec *s = c->s;
    int slave = -1;
    if (reset_signals()) fail(c);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
        err_sys("internal", "prctl");
        fail(c);
    }
    if (c->exec_mode) {
        if (enter_namespaces(c)) fail(c);
        if (s->tty && (slave = open_pty(c, -1)) < 0) fail(c);
    } else {
        if (c->netns_fd >= 0 && setns(c->netns_fd, CLONE_NEWNET) < 0) {
            err_sys("network_failed", "cannot join network namespace %s", s->netns);
            fail(c);
        }
        if ((s->net == NET_NEW || s->net == NET_NONE) && loopback_up()) fail(c);
        if (sethostname(s->hostname ? s->hostname : s->id, strlen(s->hostname ? s->hostname : s->id)) < 0) {
            err_sys("internal", "sethostname");
            fail(c);
        }
        trace("child: net+uts");
        if (setup_rootfs(c, &slave)) fail(c);
        trace("child: rootfs");
    }
    if (wait_go(c)) fail(c);
    trace("child: go");
    if (setup_stdio(c, slave) || apply_rlimits(s->rlimits, s->nrlimits)) fail(c);
    struct user u;
    if (user_resolve(s->user, slurp("/etc/passwd"), slurp("/etc/group"), &u)) fail(c);
    /* from here on no descriptor but stdio may survive exec; the sync socket is already close-on-exec */
    if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
        err_sys("internal", "close_range");
        fail(c);
    }
    if (enter_workdir(s->cwd)) fail(c);
    const char **env = build_env(s, &u);
    if (!env) { err_sys("nomem", "env"); fail(c); }
    if (drop_privileges(&u) || set_no_new_privs()) fail(c);
    const char *exe = find_exe(s->args[0], env_get(env, "PATH"));
    if (!exe) fail(c);
    if (seccomp_install()) fail(c);
    trace("child: exec");
    execve(exe, (char *const *)s->args, (char *const *)env);
    if (errno == EACCES) err_sys("permission_denied", "exec: \"%s\"", s->args[0]);
    else err_sys("exec_failed", "exec: \"%s\"", s->args[0]);
    fail(c);
}
