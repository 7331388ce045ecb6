#include "relay.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

int relay_listen(const char *state_dir) {
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (snprintf(a.sun_path, sizeof a.sun_path, "%s/attach.sock", state_dir) >= (int)sizeof a.sun_path)
        return err_msg("spec_invalid", "state dir %s is too long for a unix socket path (max %zu bytes with /attach.sock)",
                       state_dir, sizeof a.sun_path - 13);
    unlink(a.sun_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return err_sys("internal", "socket");
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || chmod(a.sun_path, 0600) < 0 || listen(fd, 64) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return err_sys("internal", "cannot listen on %s", a.sun_path);
    }
    return fd;
}

/* ---------- clients ---------- */

static void client_drop(struct relay *r, size_t i) {
    struct client *c = &r->clients[i];
    close(c->fd);
    free(c->in);
    free(c->out);
    r->clients[i] = r->clients[--r->nclients];
}

/* Queues a frame whose payload is p[0..n1) then p2[0..n2); a client whose queue would pass CLIENT_OUT_MAX is marked
 * for dropping (fd = -fd-1). */
static void client_queue2(struct client *c, uint8_t type, const uint8_t *p, size_t n1, const uint8_t *p2, size_t n2) {
    if (c->fd < 0) return;
    size_t n = n1 + n2;
    size_t need = FRAME_HDR + n;
    size_t used = c->out_len - c->out_off;
    if (used + need > CLIENT_OUT_MAX) {
        c->fd = -c->fd - 1;
        return;
    }
    if (c->out_off && c->out_len + need > c->out_cap) {
        memmove(c->out, c->out + c->out_off, used);
        c->out_len = used;
        c->out_off = 0;
    }
    if (c->out_len + need > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap : 4096;
        while (cap < c->out_len + need) cap *= 2;
        uint8_t *b = realloc(c->out, cap);
        if (!b) { c->fd = -c->fd - 1; return; }
        c->out = b;
        c->out_cap = cap;
    }
    frame_header(c->out + c->out_len, type, (uint32_t)n);
    if (n1) memcpy(c->out + c->out_len + FRAME_HDR, p, n1);
    if (n2) memcpy(c->out + c->out_len + FRAME_HDR + n1, p2, n2);
    c->out_len += need;
}

static void client_queue(struct client *c, uint8_t type, const uint8_t *p, size_t n) {
    client_queue2(c, type, p, n, NULL, 0);
}

static int client_flush(struct client *c) {
    while (c->fd >= 0 && c->out_off < c->out_len) {
        ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return 0;
            return -1;
        }
        c->out_off += (size_t)w;
    }
    if (c->out_off == c->out_len) c->out_off = c->out_len = 0;
    if (c->out_cap > 65536 && c->out_len == 0) { /* give memory back after a burst */
        free(c->out);
        c->out = NULL;
        c->out_cap = 0;
    }
    return c->fd >= 0 ? 0 : -1;
}

static void broadcast(struct relay *r, uint8_t type, const uint8_t *p, size_t n) {
    int output = type == F_STDOUT || type == F_STDERR;
    for (size_t i = 0; i < r->nclients; i++) {
        struct client *c = &r->clients[i];
        if (c->hello > 0 && !(output && c->no_output)) client_queue(c, type, p, n);
    }
}

static size_t client_backlog(const struct client *c) {
    return c->out_len - c->out_off;
}

/* True while a paced client is more than PACE_BYTES behind: the monitor then leaves the PTY/pipes unread. */
static int paced_backlog(const struct relay *r) {
    for (size_t i = 0; i < r->nclients; i++) {
        const struct client *c = &r->clients[i];
        if (c->fd >= 0 && c->paced && client_backlog(c) > PACE_BYTES) return 1;
    }
    return 0;
}

static void apply_resize(struct relay *r, unsigned short cols, unsigned short rows) {
    r->pending.set = 1;
    r->pending.cols = cols;
    r->pending.rows = rows;
    if (r->master >= 0) {
        struct winsize ws = {.ws_row = rows, .ws_col = cols};
        (void)ioctl(r->master, TIOCSWINSZ, &ws);
    }
}

static void do_hello(struct relay *r, struct client *c, const uint8_t *p, uint32_t n) {
    uint8_t reply[7];
    reply[0] = PROTO_VERSION;
    reply[1] = (uint8_t)((r->s->tty ? 1 : 0) | (r->running ? 2 : 0) | (r->in_fd >= 0 || (r->s->tty && r->s->open_stdin) ? 4 : 0));
    put_be32(reply + 2, (uint32_t)r->child);
    reply[6] = 0;
    uint8_t flags = n >= 2 ? p[1] : 0;
    c->hello = 1;
    c->paced = (flags & HELLO_PACED) != 0;
    c->no_output = (flags & HELLO_NO_OUTPUT) != 0;
    client_queue(c, F_HELLO, reply, 6);
    if ((flags & HELLO_SCROLLBACK) && !c->no_output && r->ring.len) {
        /* the ring holds whole frames: copy them as they are (a frame that wraps around the ring's end in two parts) */
        uint8_t type;
        const uint8_t *p1, *p2;
        size_t n1, n2;
        for (size_t off = 0; (off = ring_frame(&r->ring, off, &type, &p1, &n1, &p2, &n2)) != 0;)
            client_queue2(c, type, p1, n1, p2, n2);
    }
    client_queue(c, F_LIVE, NULL, 0);
}

static int stdin_target(const struct relay *r) {
    return r->s->tty ? r->master : r->in_fd;
}

static size_t stdin_queued(const struct relay *r) {
    return r->in_q_len - r->in_q_off;
}

static void close_stdin_pipe(struct relay *r) {
    close(r->in_fd);
    r->in_fd = -1;
    r->close_in_when_written = 0;
    r->in_q_off = r->in_q_len = 0;
}

/* Writes queued input until the program's PTY/pipe is full again; an error (the program is gone) drops the queue. */
static void flush_stdin(struct relay *r) {
    int fd = stdin_target(r);
    while (fd >= 0 && stdin_queued(r)) {
        ssize_t w = write(fd, r->in_q + r->in_q_off, stdin_queued(r));
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN) r->in_q_off = r->in_q_len;
            break;
        }
        r->in_q_off += (size_t)w;
    }
    if (!stdin_queued(r)) {
        r->in_q_off = r->in_q_len = 0;
        if (r->in_q_cap > 65536) { /* give memory back after a large paste */
            free(r->in_q);
            r->in_q = NULL;
            r->in_q_cap = 0;
        }
        if (r->close_in_when_written && r->in_fd >= 0) close_stdin_pipe(r);
    }
}

/* Input goes to the program in order: what its PTY/pipe takes now at once, the rest when it reads (POLLOUT), never
 * blocking the relay; input beyond STDIN_QUEUE_MAX still waiting is dropped. */
static void write_stdin(struct relay *r, const uint8_t *p, size_t n) {
    int fd = stdin_target(r);
    if (fd < 0 || !r->s->open_stdin || r->close_in_when_written) return;
    while (n && !stdin_queued(r)) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN) return; /* the program is gone */
            break;
        }
        p += w;
        n -= (size_t)w;
    }
    size_t room = STDIN_QUEUE_MAX - stdin_queued(r);
    if (n > room) n = room;
    if (!n) return;
    if (r->in_q_off && r->in_q_len + n > r->in_q_cap) {
        memmove(r->in_q, r->in_q + r->in_q_off, stdin_queued(r));
        r->in_q_len -= r->in_q_off;
        r->in_q_off = 0;
    }
    if (r->in_q_len + n > r->in_q_cap) {
        size_t cap = r->in_q_cap ? r->in_q_cap : 4096;
        while (cap < r->in_q_len + n) cap *= 2;
        uint8_t *b = realloc(r->in_q, cap);
        if (!b) return;
        r->in_q = b;
        r->in_q_cap = cap;
    }
    memcpy(r->in_q + r->in_q_len, p, n);
    r->in_q_len += n;
}

static void handle_frame(struct relay *r, struct client *c, uint8_t type, const uint8_t *p, uint32_t n) {
    if (!c->hello) {
        if (type == F_HELLO && n >= 1 && p[0] == PROTO_VERSION) {
            do_hello(r, c, p, n);
        } else {
            const char *m = "expected hello with protocol version 1 first";
            client_queue(c, F_ERROR, (const uint8_t *)m, strlen(m));
            c->hello = -1;
        }
        return;
    }
    switch (type) {
    case F_STDIN: write_stdin(r, p, n); break;
    case F_CLOSE_STDIN:
        if (r->s->tty) { uint8_t eot = 4; write_stdin(r, &eot, 1); }
        else if (r->in_fd >= 0 && stdin_queued(r)) r->close_in_when_written = 1; /* after the queued input */
        else if (r->in_fd >= 0) close_stdin_pipe(r);
        break;
    case F_RESIZE:
        if (n == 4) apply_resize(r, get_be16(p), get_be16(p + 2));
        break;
    case F_SIGNAL:
        if (n == 4 && r->running) (void)kill(r->child, (int)get_be32(p));
        break;
    default: break; /* unknown types are ignored for forward compatibility */
    }
}

static int client_read(struct relay *r, struct client *c) {
    if (c->in_cap - c->in_len < 4096) {
        size_t cap = c->in_cap ? c->in_cap * 2 : 8192;
        if (cap > FRAME_MAX_PAYLOAD + FRAME_HDR + 8192) return -1;
        uint8_t *b = realloc(c->in, cap);
        if (!b) return -1;
        c->in = b;
        c->in_cap = cap;
    }
    ssize_t rd = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, MSG_DONTWAIT);
    if (rd < 0) return errno == EAGAIN || errno == EINTR ? 0 : -1;
    if (rd == 0) return -1;
    c->in_len += (size_t)rd;
    size_t off = 0;
    for (;;) {
        uint8_t type;
        const uint8_t *p;
        uint32_t n;
        long used = frame_next(c->in + off, c->in_len - off, &type, &p, &n);
        if (used < 0) return -1;
        if (used == 0) break;
        handle_frame(r, c, type, p, n);
        off += (size_t)used;
        if (c->hello < 0) return -1;
    }
    memmove(c->in, c->in + off, c->in_len - off);
    c->in_len -= off;
    if (c->in_len == 0 && c->in_cap > 65536) {
        free(c->in);
        c->in = NULL;
        c->in_cap = 0;
    }
    return 0;
}

static void accept_clients(struct relay *r) {
    for (;;) {
        int fd = accept4(r->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) return;
        struct client *a = realloc(r->clients, (r->nclients + 1) * sizeof *a);
        if (!a) { close(fd); return; }
        r->clients = a;
        memset(&a[r->nclients], 0, sizeof a[0]);
        a[r->nclients++].fd = fd;
    }
}

/* ---------- output ---------- */

/* Reads output from fd and sends it as one frame: a writer in full flow (reads of 1 KiB or more) is batched
 * into up to BATCH_BYTES or BATCH_NS after its first byte, a short read (an echo) goes out at once. A PTY
 * gives at most 4 KiB per read, so batching cuts frames, log records and client wake-ups by up to 8x.
 * Returns bytes sent, 0 on EOF/EIO (stream finished), -1 when nothing was ready. */
static ssize_t pump(struct relay *r, int fd, uint8_t type) {
    static uint8_t buf[BATCH_BYTES];
    size_t len = 0;
    uint64_t start = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, sizeof buf - len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (len) break; /* send what we have; EOF/EIO shows again on the next read */
            if (n < 0 && errno == EAGAIN) return -1;
            return 0;
        }
        if (!len) start = now_ns();
        len += (size_t)n;
        if (sizeof buf - len < 1024) break;
        int64_t wait = 0;
        if (n >= 1024) {
            wait = (int64_t)BATCH_NS - (int64_t)(now_ns() - start);
            if (wait < 0) wait = 0;
        }
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        struct timespec ts = {.tv_sec = 0, .tv_nsec = wait};
        if (ppoll(&pf, 1, &ts, NULL) <= 0 || !(pf.revents & POLLIN)) break;
    }
    uint64_t ts = now_ns();
    if (r->logging && logq_put(&r->logq, ts, type == F_STDERR ? 2 : 1, buf, len) < 0) r->logging = 0;
    (void)ring_put(&r->ring, type, buf, len);
    broadcast(r, type, buf, len);
    return (ssize_t)len;
}

/* ---------- exit ---------- */

static void record_exit(struct relay *r, int status) {
    int code = 0, sig = 0;
    if (WIFEXITED(status)) code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status)) { sig = WTERMSIG(status); code = 128 + sig; }
    int oom = r->own_cgroup ? cg_oom_killed(&r->cg) : 0;
    uint64_t fin = now_ns();
    char text[256];
    int len = snprintf(text, sizeof text, "code %d\nsignal %d\noom %d\nfinished %llu\n", code, sig, oom,
                       (unsigned long long)fin);
    (void)write_file_atomic(r->s->state_dir, "exit", text, (size_t)len);
    uint8_t p[EXIT_PAYLOAD];
    exit_payload(p, code, sig, oom, fin);
    broadcast(r, F_EXIT, p, sizeof p);
}

/* Flushes the paced clients until none is more than `bound` behind (or the deadline passes). */
static void wait_paced(struct relay *r, size_t bound, uint64_t deadline_ns) {
    for (;;) {
        struct pollfd pf[64];
        size_t n = 0;
        for (size_t i = 0; i < r->nclients && n < 64; i++) {
            struct client *c = &r->clients[i];
            if (c->fd < 0 || !c->paced || client_backlog(c) <= bound) continue;
            if (client_flush(c) < 0) { c->fd = -c->fd - 1; continue; }
            if (client_backlog(c) > bound) pf[n++] = (struct pollfd){.fd = c->fd, .events = POLLOUT};
        }
        uint64_t now = now_ns();
        if (!n || now >= deadline_ns) return;
        uint64_t left_ms = (deadline_ns - now) / 1000000 + 1;
        poll(pf, n, left_ms > 50 ? 50 : (int)left_ms);
    }
}

static void drain(struct relay *r) {
    uint64_t deadline = now_ns() + (uint64_t)PACE_EXIT_MS * 1000000;
    for (int rounds = 0; rounds < 64; rounds++) {
        int any = 0;
        wait_paced(r, PACE_BYTES, deadline); /* paced clients get all of the output, never more than the bound queued */
        if (r->master >= 0) {
            int fl = fcntl(r->master, F_GETFL);
            fcntl(r->master, F_SETFL, fl | O_NONBLOCK);
            any |= pump(r, r->master, F_STDOUT) > 0;
        }
        if (r->out_fd >= 0) any |= pump(r, r->out_fd, F_STDOUT) > 0;
        if (r->err_fd >= 0) any |= pump(r, r->err_fd, F_STDERR) > 0;
        if (!any) return;
    }
}

static void flush_all_then_close(struct relay *r) {
    wait_paced(r, 0, now_ns() + (uint64_t)PACE_EXIT_MS * 1000000); /* paced clients: up to 10 s */
    for (int rounds = 0; rounds < 100; rounds++) { /* at most ~1 s for other slow clients to take the exit frame */
        size_t pending = 0;
        struct pollfd pf[64];
        for (size_t i = 0; i < r->nclients; i++) {
            struct client *c = &r->clients[i];
            if (c->fd >= 0 && c->out_len > c->out_off && client_flush(c) == 0 && c->out_len > c->out_off && pending < 64)
                pf[pending++] = (struct pollfd){.fd = c->fd, .events = POLLOUT};
        }
        if (!pending) break;
        poll(pf, pending, 10);
    }
    while (r->nclients) {
        struct client *c = &r->clients[0];
        if (c->fd < 0) c->fd = -c->fd - 1;
        client_drop(r, 0);
    }
}

/* ---------- loop ---------- */

int relay_run(struct relay *r) {
    r->running = 1;
    int status = 0;
    struct pollfd *pf = NULL;
    size_t pf_cap = 0;
    int out_open = r->out_fd >= 0, err_open = r->err_fd >= 0, master_open = r->master >= 0;
    if (r->pending.set) apply_resize(r, r->pending.cols, r->pending.rows);
    if (r->master >= 0) fcntl(r->master, F_SETFL, fcntl(r->master, F_GETFL) | O_NONBLOCK); /* input never blocks */
    for (;;) {
        size_t need = 5 + r->nclients;
        if (need > pf_cap) {
            struct pollfd *p = realloc(pf, need * sizeof *p);
            if (!p) return 1;
            pf = p;
            pf_cap = need;
        }
        size_t n = 0;
        pf[n++] = (struct pollfd){.fd = r->sig_fd, .events = POLLIN};
        pf[n++] = (struct pollfd){.fd = r->listen_fd, .events = POLLIN};
        /* flow control: while a paced client is too far behind, leave the output in the kernel (the program blocks) */
        int hold = paced_backlog(r);
        pf[n++] = (struct pollfd){.fd = hold ? -1 : master_open ? r->master : out_open ? r->out_fd : -1, .events = POLLIN};
        pf[n++] = (struct pollfd){.fd = hold || !err_open ? -1 : r->err_fd, .events = POLLIN};
        pf[n++] = (struct pollfd){.fd = stdin_queued(r) ? stdin_target(r) : -1, .events = POLLOUT};
        for (size_t i = 0; i < r->nclients; i++) {
            struct client *c = &r->clients[i];
            pf[n++] = (struct pollfd){.fd = c->fd, .events = (short)(POLLIN | (c->out_len > c->out_off ? POLLOUT : 0))};
        }
        if (poll(pf, n, -1) < 0) {
            if (errno == EINTR) continue;
            return 1;
        }
        if (pf[2].revents) {
            int fd = pf[2].fd;
            if (pump(r, fd, F_STDOUT) == 0) {
                if (fd == r->master) master_open = 0; else out_open = 0;
            }
        }
        if (pf[3].revents && pump(r, r->err_fd, F_STDERR) == 0) err_open = 0;
        if (pf[4].revents) flush_stdin(r);
        /* clients: read input, then flush output; drop the ones that fail or fell too far behind */
        for (size_t i = 0, k = 5; i < r->nclients; k++) {
            struct client *c = &r->clients[i];
            short ev = k < n ? pf[k].revents : 0;
            int bad = 0;
            if (c->fd >= 0 && (ev & (POLLIN | POLLHUP | POLLERR))) bad = client_read(r, c) < 0;
            if (!bad) bad = client_flush(c) < 0;
            if (bad) {
                if (c->fd < 0) c->fd = -c->fd - 1;
                client_drop(r, i);
                /* the last client moved into slot i: its pollfd is stale, handle it next round */
                continue;
            }
            i++;
        }
        for (size_t i = 0; i < r->nclients;) { /* marked by client_queue when too slow */
            if (r->clients[i].fd < 0) {
                r->clients[i].fd = -r->clients[i].fd - 1;
                client_drop(r, i);
            } else {
                i++;
            }
        }
        if (pf[1].revents & POLLIN) accept_clients(r);
        if (pf[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(r->sig_fd, &si, sizeof si) == sizeof si) { }
            pid_t w;
            while ((w = waitpid(-1, &status, WNOHANG)) > 0) {
                if (w == r->child) {
                    r->running = 0;
                    drain(r);
                    if (r->logging) logq_sync(&r->logq); /* whoever sees the exit finds all of the output in the log */
                    record_exit(r, status);
                    flush_all_then_close(r);
                    free(pf);
                    return 0;
                }
            }
        }
    }
}
