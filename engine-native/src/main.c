/*
 * berth-monitor: starts one container (or one exec) and stays with it as its monitor.
 *
 *   berth-monitor run  <state-dir>   container mode: reads <state-dir>/spec
 *   berth-monitor exec <state-dir>   exec mode: enters target.pid's namespaces and cgroups
 *   berth-monitor version
 *
 * Handshake with the caller on stdin/stdout (PROTOCOL.md, "start handshake"); afterwards the monitor is
 * detached (own session, own cgroup) and serves <state-dir>/attach.sock until the process ends.
 */
#include "cgroup.h"
#include "netlink.h"
#include "child.h"
#include "relay.h"
#include "spec.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MONITOR_VERSION "1"

static int g_out = 1;   /* the handshake channel to the caller (stdout), -1 once closed */
static int g_in = 0;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...) {
    if (g_out < 0) return;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof buf) n = sizeof buf - 1;
    (void)write_all(g_out, buf, (size_t)n);
}

/* One line, newlines in the message flattened so the caller can read line by line. */
static void say_error(void) {
    for (char *p = g_err.msg; *p; p++)
        if (*p == '\n') *p = ' ';
    say("error %s %s\n", g_err.code[0] ? g_err.code : "internal", g_err.msg);
}

/* Closes the handshake channel: the caller's pipes see EOF. */
static void hang_up(int done_fd) {
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (null > 2) close(null);
    }
    g_out = -1;
    if (done_fd >= 0) close(done_fd);
}

/* ---------- run from a sealed copy of ourselves (CVE-2019-5736 class, see PROTOCOL.md "security") ---------- */

static int running_sealed(void) {
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    int seals = fcntl(fd, F_GET_SEALS);
    close(fd);
    return seals > 0 && (seals & F_SEAL_WRITE);
}

static int reexec_sealed(char **argv, char **envp) {
    int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (src < 0) return err_sys("internal", "open /proc/self/exe");
    struct stat st;
    if (fstat(src, &st) < 0) return err_sys("internal", "fstat /proc/self/exe");
    int mfd = (int)syscall(SYS_memfd_create, "berth-monitor", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (mfd < 0) return err_sys("internal", "memfd_create");
    off_t off = 0;
    while (off < st.st_size) {
        ssize_t n = sendfile(mfd, src, &off, (size_t)(st.st_size - off));
        if (n <= 0) return err_sys("internal", "cannot copy the monitor into a sealed memfd");
    }
    close(src);
    if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
        return err_sys("internal", "cannot seal the monitor memfd");
    syscall(SYS_execveat, mfd, "", argv, envp, AT_EMPTY_PATH);
    return err_sys("internal", "cannot exec the sealed monitor");
}

/* ---------- detaching ---------- */

/* Detaches from the caller's session and process group so terminal signals and group kills aimed at the
 * caller do not reach us. No fork: the process the caller started is the monitor itself (one scheduling hop
 * less per start, which dominates on a loaded host). The caller must not wait for it after "ok"; once the
 * caller is gone the monitor is reparented to init and keeps running. The monitor never opens a terminal by
 * path (the PTY master arrives from the container's devpts via SCM_RIGHTS), so it cannot acquire a
 * controlling terminal. */
static int detach(int *done_fd) {
    *done_fd = -1;
    if (getpid() == getpgrp()) return 0; /* already a group leader (started from a shell): keep its session */
    if (setsid() < 0) return err_sys("internal", "setsid");
    return 0;
}

static int setup_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) return err_sys("internal", "sigprocmask");
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    int fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (fd < 0) return err_sys("internal", "signalfd");
    return fd;
}

/* ---------- talking to the child ---------- */

static int recv_msg(int sock, char *buf, size_t cap, int *fd_out) {
    struct iovec iov = {buf, cap - 1};
    union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } u;
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof u.b};
    ssize_t n;
    do n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC); while (n < 0 && errno == EINTR);
    if (n <= 0) return (int)n;
    buf[n] = 0;
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    if (fd_out && cm && cm->cmsg_type == SCM_RIGHTS) memcpy(fd_out, CMSG_DATA(cm), sizeof(int));
    return (int)n;
}

/* Turns a child's error message into g_err; returns -1. */
static int child_error(const char *buf, int n) {
    const char *code = buf + 1;
    size_t cl = strnlen(code, (size_t)n - 1);
    const char *msg = cl + 2 <= (size_t)n ? code + cl + 1 : "";
    return err_msg(cl ? code : "internal", "%s", msg);
}

/* Waits for MSG_READY (collecting the PTY master on the way). */
static int wait_ready(int sock, int *master) {
    char buf[2048];
    for (;;) {
        int fd = -1;
        int n = recv_msg(sock, buf, sizeof buf, &fd);
        if (n < 0) return err_sys("internal", "reading from the container process");
        if (n == 0) return err_msg("internal", "the container process died during setup");
        if (buf[0] == MSG_MASTER && fd >= 0) { *master = fd; continue; }
        if (buf[0] == MSG_READY) return 0;
        if (buf[0] == MSG_ERROR) return child_error(buf, n);
        return err_msg("internal", "unexpected message '%c' from the container process", buf[0]);
    }
}

/* Sends go and waits until the child has exec'd (EOF) or reports why it could not. */
static int release(int sock) {
    char go = MSG_GO, buf[2048];
    if (send(sock, &go, 1, MSG_NOSIGNAL) != 1) return err_sys("internal", "cannot release the container process");
    int n = recv_msg(sock, buf, sizeof buf, NULL);
    if (n == 0) return 0;
    if (n < 0) return err_sys("internal", "waiting for exec");
    if (buf[0] == MSG_ERROR) return child_error(buf, n);
    return err_msg("internal", "unexpected message from the container process");
}

/* The caller's go/abort after "pid N" (only with sync 1, i.e. a BeforeExec hook). */
static int wait_caller(void) {
    char line[1024];
    size_t len = 0;
    while (len < sizeof line - 1) {
        ssize_t n = read(g_in, line + len, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return err_msg("aborted", "the caller went away before the process started");
        if (line[len] == '\n') break;
        len++;
    }
    line[len] = 0;
    if (!strcmp(line, "go")) return 0;
    return err_msg("aborted", "start aborted: %s", strncmp(line, "abort ", 6) ? line : line + 6);
}

static int write_state(const struct relay *r, pid_t child) {
    char text[8192];
    size_t len = 0;
    char line[700];
    snprintf(line, sizeof line, "version " MONITOR_VERSION "\nmonitor %d\npid %d\ntty %d\nsocket %s/attach.sock\ncgroup.version %d\n",
             (int)getpid(), (int)child, r->s->tty, r->s->state_dir, r->cg.v2 ? 2 : 1);
    buf_append(text, sizeof text, &len, line);
    for (size_t i = 0; i < r->cg.n; i++) {
        snprintf(line, sizeof line, "cgroup %s\n", r->cg.path[i]);
        buf_append(text, sizeof text, &len, line);
    }
    for (size_t i = 0; i < r->s->ntarget_cgroups; i++) {
        snprintf(line, sizeof line, "cgroup %s\n", r->s->target_cgroups[i]);
        buf_append(text, sizeof text, &len, line);
    }
    return write_file_atomic(r->s->state_dir, "state", text, len);
}

/* ---------- start ---------- */

struct start {
    int sync[2];
    int in[2], out[2], err[2];
};

static int make_pipes(const struct spec *s, struct start *st, struct relay *r) {
    st->in[0] = st->in[1] = st->out[0] = st->out[1] = st->err[0] = st->err[1] = -1;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, st->sync) < 0) return err_sys("internal", "socketpair");
    if (s->tty) return 0;
    if ((s->open_stdin && pipe2(st->in, O_CLOEXEC) < 0) || pipe2(st->out, O_CLOEXEC) < 0 || pipe2(st->err, O_CLOEXEC) < 0)
        return err_sys("internal", "pipe");
    r->in_fd = st->in[1];
    r->out_fd = st->out[0];
    r->err_fd = st->err[0];
    fcntl(r->out_fd, F_SETFL, O_NONBLOCK);
    fcntl(r->err_fd, F_SETFL, O_NONBLOCK);
    if (r->in_fd >= 0) fcntl(r->in_fd, F_SETFL, O_NONBLOCK);
    return 0;
}

static int open_target_ns(const struct spec *s, struct child_ctx *c, int *pidns) {
    static const char *NAMES[5] = {"ipc", "uts", "net", "mnt", "cgroup"};
    char p[128];
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "/proc/%ld/ns/%s", s->target_pid, NAMES[i]);
        c->ns_fds[i] = open(p, O_RDONLY | O_CLOEXEC);
        if (c->ns_fds[i] < 0) return err_sys("exec_failed", "the container (pid %ld) is not running: %s", s->target_pid, p);
    }
    /* joining a namespace we are already in is harmless, but skip cgroup when it is the host's */
    snprintf(p, sizeof p, "/proc/%ld/ns/pid", s->target_pid);
    *pidns = open(p, O_RDONLY | O_CLOEXEC);
    if (*pidns < 0) return err_sys("exec_failed", "the container (pid %ld) is not running", s->target_pid);
    return 0;
}

static pid_t spawn(const struct spec *s, struct relay *r, struct start *st, int exec_mode) {
    struct child_ctx c = {.s = s, .sync = st->sync[1], .in_fd = st->in[0], .out_fd = st->out[1], .err_fd = st->err[1],
                          .netns_fd = -1, .exec_mode = exec_mode};
    char rootfs[4096];
    for (int i = 0; i < 5; i++) c.ns_fds[i] = -1;
    unsigned long flags = SIGCHLD;
    if (exec_mode) {
        int pidns = -1;
        if (open_target_ns(s, &c, &pidns)) return -1;
        if (setns(pidns, CLONE_NEWPID) < 0) return err_sys("exec_failed", "cannot enter the container's pid namespace");
        close(pidns);
    } else {
        if (snprintf(rootfs, sizeof rootfs, "%s/rootfs", s->state_dir) >= (int)sizeof rootfs) return err_msg("spec_invalid", "state dir too long");
        if (mkdir(rootfs, 0755) < 0 && errno != EEXIST) return err_sys("internal", "cannot create %s", rootfs);
        c.rootfs = rootfs;
        flags |= CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC;
        if (s->net == NET_NEW || s->net == NET_NONE) flags |= CLONE_NEWNET;
        if (s->net == NET_JOIN && (c.netns_fd = open(s->netns, O_RDONLY | O_CLOEXEC)) < 0)
            return err_sys("network_failed", "cannot open network namespace %s", s->netns);
    }
    pid_t pid = (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
    if (pid < 0) return err_sys("internal", "clone");
    if (pid == 0) {
        close(st->sync[0]);
        if (r->listen_fd >= 0) close(r->listen_fd);
        child_main(&c);
    }
    for (int i = 0; i < 5; i++) if (c.ns_fds[i] >= 0) close(c.ns_fds[i]);
    if (c.netns_fd >= 0) close(c.netns_fd);
    close(st->sync[1]);
    if (st->in[0] >= 0) close(st->in[0]);
    if (st->out[1] >= 0) close(st->out[1]);
    if (st->err[1] >= 0) close(st->err[1]);
    return pid;
}

static int monitor(const struct spec *s, int exec_mode, int done_fd) {
    struct relay r;
    memset(&r, 0, sizeof r);
    r.s = s;
    r.master = r.in_fd = r.out_fd = r.err_fd = r.listen_fd = -1;
    r.ring.cap = SCROLLBACK_BYTES;
    struct start st;
    pid_t child = -1;
    trace("monitor detached");
    if ((r.sig_fd = setup_signals()) < 0 || (r.listen_fd = relay_listen(s->state_dir)) < 0)
        goto fail;
    if (s->log_path) {
        if (log_open(&r.log, s->log_path, s->log_max ? s->log_max : 10u << 20, s->log_files)) goto fail;
        r.logging = 1;
    }
    if (!exec_mode) {
        struct cg_limits lim = {s->memory, s->nano_cpus, s->pids};
        r.own_cgroup = 1;
        if (cg_create(&r.cg, s->id, &lim)) goto fail;
    }
    trace("cgroups created");
    if (make_pipes(s, &st, &r)) goto fail;
    if ((child = spawn(s, &r, &st, exec_mode)) < 0) goto fail;
    r.child = child;
    trace("cloned");
    if (exec_mode ? cg_add_paths(s->target_cgroups, s->ntarget_cgroups, child) : cg_add(&r.cg, child)) goto fail;
    trace("child in cgroups");
    /* The veth pair goes in while the child mounts its rootfs: its network namespace exists since clone. With a
     * BeforeExec hook the outcome is reported on the pid line and the caller decides (its `ip` fallback). */
    int veth_rc = s->nveths ? veth_setup(s->veths, s->nveths, child) : 0;
    if (veth_rc && !s->sync) goto fail;
    struct berr veth_err = g_err;
    if (wait_ready(st.sync[0], &r.master)) goto fail;
    trace("child ready");
    if (s->sync) {
        if (!s->nveths) say("pid %d\n", (int)child);
        else if (!veth_rc) say("pid %d veth ok\n", (int)child);
        else say("pid %d veth error %s\n", (int)child, veth_err.msg);
        if (wait_caller()) goto fail;
    }
    if (release(st.sync[0])) goto fail;
    close(st.sync[0]);
    if (write_state(&r, child)) goto fail;
    trace("exec done");
    say("ok %d %d\n", (int)getpid(), (int)child);
    hang_up(done_fd);
    /* off the start path: leave the caller's cgroups so stopping the caller's unit does not take us along */
    if (cg_place_monitor()) { /* not fatal: the container runs; it only shares the caller's fate */ }
    /* the log writer thread starts only now: clone, setns and the rest of the start ran single-threaded */
    if (r.logging) (void)logq_start(&r.logq, &r.log); /* without the thread, logq_put writes in the relay */
    int rc = relay_run(&r);
    if (r.logging) logq_stop(&r.logq); /* writes the rest of the log */
    close(r.listen_fd);
    char sock[4200];
    snprintf(sock, sizeof sock, "%s/attach.sock", s->state_dir);
    unlink(sock);
    if (r.own_cgroup) cg_destroy(&r.cg);
    return rc;
fail:
    say_error();
    if (child > 0) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
    }
    if (r.listen_fd >= 0) {
        char p[4200];
        snprintf(p, sizeof p, "%s/attach.sock", s->state_dir);
        unlink(p);
    }
    if (r.own_cgroup) cg_destroy(&r.cg);
    hang_up(done_fd);
    return 1;
}

int main(int argc, char **argv, char **envp) {
    if (argc == 2 && !strcmp(argv[1], "version")) {
        say("berth-monitor protocol " MONITOR_VERSION "\n");
        return 0;
    }
    if (argc != 3 || (strcmp(argv[1], "run") && strcmp(argv[1], "exec"))) {
        say("error usage usage: berth-monitor run|exec <state-dir>\n");
        return 2;
    }
    g_trace = getenv("BERTH_MONITOR_TRACE") != NULL;
    trace("main");
    if (!running_sealed() && getenv("BERTH_MONITOR_NO_SEAL") == NULL) {
        reexec_sealed(argv, envp);
        say_error();
        return 1;
    }
    int exec_mode = argv[1][0] == 'e';
    struct spec s;
    if (spec_load(&s, argv[2])) {
        say_error();
        return 1;
    }
    if (exec_mode && s.target_pid <= 0) {
        err_msg("spec_invalid", "exec needs target.pid");
        say_error();
        return 1;
    }
    int done_fd = -1;
    if (detach(&done_fd)) {
        say_error();
        return 1;
    }
    return monitor(&s, exec_mode, done_fd);
}
