/*
 * wsbench: a small WebSocket client for bench/terminals, in C so that the client costs next to nothing and
 * runs outside the server's JVM (the JDK's WebSocket client, in the same JVM on 2 cores, was a large part of
 * what the earlier runs measured). One thread, epoll, no allocation per frame.
 *
 *   wsbench echo  HOST PORT PATH AUTH KIND KEYS [WARMUP]
 *       WARMUP (default 200) unmeasured keystrokes, then KEYS measured ones, each sent when the previous one's
 *       echo has arrived (the container runs `stty raw -echo; exec cat`). Prints "p50_us p99_us".
 *   wsbench burst HOST PORT PATH AUTH KIND READERS STALLED BYTES TIMEOUT_S
 *       READERS + STALLED connections; the stalled ones are never read. After the first output has settled,
 *       reader 0 sends "\n" (the container prints BYTES per line it reads) and every reader reads until it has
 *       BYTES more of the stream. Prints "median_MBps min_MBps finished readers repaints failed".
 *
 *       With WSBENCH_SLOW=N in the environment, every keystroke slower than N µs is printed to stderr with its
 *       wall-clock time (to line it up with a GC log or vmstat).
 *   wsbench pty-echo KEYS          the same two measurements on a bare local PTY (no server): the floor
 *   wsbench mon-echo SOCKET KEYS [WARMUP]  the same echo through a berth-monitor's attach socket alone
 *   wsbench pty-burst SCRIPT BYTES  runs SCRIPT under busybox sh on a PTY and reads BYTES; prints "MBps"
 *   wsbench pty-fanout SCRIPT BYTES READERS BATCH_KIB  the same PTY read by one process that sends each read
 *       (BATCH_KIB 0) or what is ready up to BATCH_KIB to READERS loopback TCP readers in another process: a
 *       one-thread relay with no overhead, for reference. Prints "median_MBps min_MBps"
 *
 * KIND is "berth" (binary frames 0x01 output / 0x02 repaint with a sequence number, input as 0x00 + bytes; the
 * reader follows the stream position, so a repaint that skips ahead counts as progress) or "docker" (attach/ws:
 * every payload byte counts, input is the bare bytes). AUTH is a whole "Authorization" header value or "-".
 * Only loopback or the caller's own addresses are meant here: HOST is connected as given.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <sys/un.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONN 256
#define BUF (256 * 1024)

struct conn {
    int fd;
    int berth;
    /* frame parser */
    unsigned char hdr[14];
    int hdr_len;
    uint64_t payload_left;
    int opcode;          /* of the current data message (continuations keep it) */
    int frame_op;        /* of the current frame */
    unsigned char ping[125];
    int ping_len;
    int new_message;     /* the next payload bytes start a message */
    unsigned char mhdr[9];
    int mhdr_len;        /* Berth message header bytes collected */
    int in_repaint;
    /* accounting */
    long long bytes;     /* payload bytes of output (docker: all payload) */
    long long position;  /* berth: stream position after what was read */
    long long target;
    long long done_ns;
    int repaints;
    int failed;
};

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what) {
    perror(what);
    exit(2);
}

static int write_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        c += w;
        n -= (size_t) w;
    }
    return 0;
}

static int connect_ws(const char *host, const char *port, const char *path, const char *auth) {
    struct addrinfo hints = {0}, *ai;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(host, port, &hints, &ai);
    if (rc != 0) {
        fprintf(stderr, "wsbench: %s:%s: %s\n", host, port, gai_strerror(rc));
        exit(2);
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) die("connect");
    freeaddrinfo(ai);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char req[2048];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n%s%s%s\r\n",
                     path, host, port, strcmp(auth, "-") ? "Authorization: " : "", strcmp(auth, "-") ? auth : "",
                     strcmp(auth, "-") ? "\r\n" : "");
    if (write_all(fd, req, (size_t) n) < 0) die("write handshake");
    /* read the response headers one byte at a time: no frame bytes may be swallowed */
    char resp[4096];
    int len = 0;
    while (len < (int) sizeof resp - 1) {
        ssize_t r = read(fd, resp + len, 1);
        if (r <= 0) die("read handshake");
        len++;
        if (len >= 4 && memcmp(resp + len - 4, "\r\n\r\n", 4) == 0) break;
    }
    resp[len] = 0;
    if (strncmp(resp, "HTTP/1.1 101", 12) != 0) {
        fprintf(stderr, "wsbench: %s refused the WebSocket: %.*s\n", path, (int) strcspn(resp, "\r\n"), resp);
        exit(2);
    }
    return fd;
}

/* One masked client frame (the mask is zero: legal, and the payload goes out as is). */
static int send_frame(int fd, int opcode, const unsigned char *p, size_t n) {
    unsigned char f[14 + 64];
    size_t h = 0;
    f[h++] = (unsigned char) (0x80 | opcode);
    if (n < 126) {
        f[h++] = (unsigned char) (0x80 | n);
    } else {
        f[h++] = 0x80 | 126;
        f[h++] = (unsigned char) (n >> 8);
        f[h++] = (unsigned char) n;
    }
    memset(f + h, 0, 4);
    h += 4;
    if (n <= 64) {
        memcpy(f + h, p, n);
        return write_all(fd, f, h + n);
    }
    if (write_all(fd, f, h) < 0) return -1;
    return write_all(fd, p, n);
}

static int send_input(struct conn *c, const char *s, size_t n) {
    unsigned char b[64];
    if (c->berth) {
        b[0] = 0x00;
        memcpy(b + 1, s, n);
        return send_frame(c->fd, 2, b, n + 1);
    }
    return send_frame(c->fd, 2, (const unsigned char *) s, n);
}

static void payload(struct conn *c, const unsigned char *p, size_t n) {
    if (c->opcode != 2 && c->opcode != 1) return; /* pings, pongs, close */
    if (!c->berth) {
        c->bytes += (long long) n;
        return;
    }
    if (c->opcode != 2) return; /* Berth's control messages are text */
    if (c->new_message) {
        c->new_message = 0;
        c->mhdr_len = 0;
        c->in_repaint = 0;
    }
    while (c->mhdr_len < 9 && n > 0) {
        c->mhdr[c->mhdr_len++] = *p++;
        n--;
        if (c->mhdr_len == 9) {
            uint64_t seq = 0;
            for (int i = 1; i < 9; i++) seq = (seq << 8) | c->mhdr[i];
            c->position = (long long) seq;
            c->in_repaint = c->mhdr[0] == 0x02;
            if (c->in_repaint) c->repaints++;
        }
    }
    if (n > 0 && !c->in_repaint) {
        c->bytes += (long long) n;
        c->position += (long long) n;
    }
}

static long long progress(const struct conn *c) {
    return c->berth ? c->position : c->bytes;
}

/* Parses what was read; returns -1 when the server closed the connection. */
static int feed(struct conn *c, const unsigned char *p, size_t n) {
    while (n > 0) {
        if (c->hdr_len >= 0) {
            /* collecting a frame header */
            c->hdr[c->hdr_len++] = *p++;
            n--;
            if (c->hdr_len < 2) continue;
            int len7 = c->hdr[1] & 0x7f;
            int need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((c->hdr[1] & 0x80) ? 4 : 0);
            if (c->hdr_len < need) continue;
            uint64_t len = (uint64_t) len7;
            if (len7 == 126) len = ((uint64_t) c->hdr[2] << 8) | c->hdr[3];
            if (len7 == 127) {
                len = 0;
                for (int i = 2; i < 10; i++) len = (len << 8) | c->hdr[i];
            }
            int op = c->hdr[0] & 0x0f;
            if (op == 8) return -1;
            c->frame_op = op;
            if (op == 1 || op == 2) {
                c->opcode = op;
                c->new_message = 1;
            }
            c->hdr_len = 0;
            c->payload_left = len;
            c->ping_len = 0;
            if (len == 0) {
                if (op == 9) send_frame(c->fd, 10, c->ping, 0);
                continue;
            }
            c->hdr_len = -1; /* in the payload */
            continue;
        }
        size_t take = n < c->payload_left ? n : (size_t) c->payload_left;
        if (c->frame_op == 9) {
            for (size_t i = 0; i < take && c->ping_len < (int) sizeof c->ping; i++) c->ping[c->ping_len++] = p[i];
        } else if (c->frame_op <= 2) {
            payload(c, p, take);
        }
        p += take;
        n -= take;
        c->payload_left -= take;
        if (c->payload_left == 0) {
            c->hdr_len = 0;
            if (c->frame_op == 9) send_frame(c->fd, 10, c->ping, (size_t) c->ping_len);
        }
    }
    return 0;
}

static int cmp_ll(const void *a, const void *b) {
    long long x = *(const long long *) a, y = *(const long long *) b;
    return x < y ? -1 : x > y;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static unsigned char buf[BUF];

static int read_some(struct conn *c) {
    ssize_t r = read(c->fd, buf, sizeof buf);
    if (r < 0) {
        if (errno == EAGAIN || errno == EINTR) return 0;
        c->failed = 1;
        return -1;
    }
    if (r == 0 || feed(c, buf, (size_t) r) < 0) {
        c->failed = 1;
        return -1;
    }
    return 1;
}

/* Reads from c until nothing arrives for quiet_ms. */
static void settle(struct conn *conns, int n, int quiet_ms) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    for (int i = 0; i < n; i++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t) i};
        epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
    }
    struct epoll_event evs[MAX_CONN];
    for (;;) {
        int k = epoll_wait(ep, evs, MAX_CONN, quiet_ms);
        if (k <= 0) break;
        for (int i = 0; i < k; i++) {
            struct conn *c = &conns[evs[i].data.u32];
            if (read_some(c) < 0) epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
        }
    }
    close(ep);
}

static struct conn *open_conn(struct conn *c, const char **a, int berth) {
    memset(c, 0, sizeof *c);
    c->fd = connect_ws(a[0], a[1], a[2], a[3]);
    c->berth = berth;
    c->position = -1;
    return c;
}

static int echo(const char **a, int berth, int keys, int warmup) {
    struct conn c;
    open_conn(&c, a, berth);
    settle(&c, 1, 500);
    long long *lat = calloc((size_t) keys, sizeof *lat);
    long long start = now_ns();
    const char *slow_env = getenv("WSBENCH_SLOW");
    long long slow_ns = slow_env ? atoll(slow_env) * 1000 : -1;
    for (int i = -warmup; i < keys; i++) {
        long long want = c.bytes + 1;
        char k = (char) ('a' + (i + 26 * (warmup / 26 + 1)) % 26);
        long long t0 = now_ns();
        if (send_input(&c, &k, 1) < 0) die("send");
        while (c.bytes < want) {
            if (read_some(&c) < 0) {
                fprintf(stderr, "wsbench: connection lost after %d keys\n", i + warmup);
                return 1;
            }
        }
        long long t1 = now_ns();
        if (i >= 0) lat[i] = t1 - t0;
        if (i >= 0 && slow_ns >= 0 && t1 - t0 > slow_ns) {
            struct timespec w;
            clock_gettime(CLOCK_REALTIME, &w);
            fprintf(stderr, "slow key %d at %.3f ms (wall %ld.%06ld): %lld us\n", i, (t0 - start) / 1e6, (long) w.tv_sec,
                    w.tv_nsec / 1000, (t1 - t0) / 1000);
        }
    }
    qsort(lat, (size_t) keys, sizeof *lat, cmp_ll);
    printf("%.0f %.0f\n", lat[keys / 2] / 1000.0, lat[keys * 99 / 100] / 1000.0);
    return 0;
}

static int burst(const char **a, int berth, int readers, int stalled, long long bytes, int timeout_s) {
    int n = readers + stalled;
    if (readers < 1 || stalled < 0 || n > MAX_CONN) {
        fprintf(stderr, "wsbench: READERS must be at least 1, STALLED at least 0, and both together at most %d\n", MAX_CONN);
        return 2;
    }
    static struct conn conns[MAX_CONN];
    for (int i = 0; i < n; i++) open_conn(&conns[i], a, berth);
    settle(conns, n, 300);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    for (int i = 0; i < readers; i++) {
        struct conn *c = &conns[i];
        c->target = (progress(c) < 0 ? 0 : progress(c)) + bytes;
        c->bytes = 0;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t) i};
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
    }
    long long t0 = now_ns();
    if (send_input(&conns[0], "\n", 1) < 0) die("send");
    long long deadline = t0 + (long long) timeout_s * 1000000000LL;
    int remaining = readers;
    struct epoll_event evs[MAX_CONN];
    while (remaining > 0 && now_ns() < deadline) {
        int k = epoll_wait(ep, evs, MAX_CONN, 100);
        for (int i = 0; i < k; i++) {
            struct conn *c = &conns[evs[i].data.u32];
            if (read_some(c) < 0) {
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                remaining--;
                continue;
            }
            if (c->done_ns == 0 && progress(c) >= c->target) {
                c->done_ns = now_ns();
                remaining--;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
            }
        }
    }
    long long end = now_ns();
    double *mbps = calloc((size_t) readers, sizeof *mbps);
    int finished = 0, repaints = 0, failed = 0;
    for (int i = 0; i < readers; i++) {
        struct conn *c = &conns[i];
        long long t = (c->done_ns ? c->done_ns : end) - t0;
        mbps[i] = (double) c->bytes / 1e6 / ((double) t / 1e9);
        finished += c->done_ns != 0;
        repaints += c->repaints;
        failed += c->failed;
    }
    qsort(mbps, (size_t) readers, sizeof *mbps, cmp_d);
    printf("%.1f %.1f %d %d %d %d\n", mbps[readers / 2], mbps[0], finished, readers, repaints, failed);
    for (int i = 0; i < n; i++) close(conns[i].fd);
    return 0;
}

/* A bare local PTY running script under busybox sh: the floor that no server can beat. */
static int pty_spawn(const char *script, pid_t *pid) {
    int master;
    *pid = forkpty(&master, NULL, NULL, NULL);
    if (*pid < 0) die("forkpty");
    if (*pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        execl("/bin/busybox", "sh", "-c", script, (char *) NULL);
        _exit(127);
    }
    return master;
}

static int pty_echo(int keys) {
    pid_t pid;
    int fd = pty_spawn("stty raw -echo; exec cat", &pid);
    usleep(300000);
    long long *lat = calloc((size_t) keys, sizeof *lat);
    for (int i = -200; i < keys; i++) {
        char k = (char) ('a' + (i + 260) % 26);
        long long t0 = now_ns();
        if (write(fd, &k, 1) != 1) die("pty write");
        if (read(fd, buf, sizeof buf) <= 0) die("pty read");
        if (i >= 0) lat[i] = now_ns() - t0;
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    qsort(lat, (size_t) keys, sizeof *lat, cmp_ll);
    printf("%.0f %.0f\n", lat[keys / 2] / 1000.0, lat[keys * 99 / 100] / 1000.0);
    return 0;
}

/* Reads one monitor frame (u8 type, u32 big-endian length, payload into buf); returns its type, -1 at the end. */
static int mon_frame(int fd, uint32_t *len) {
    unsigned char h[5];
    size_t got = 0;
    while (got < sizeof h) {
        ssize_t r = read(fd, h + got, sizeof h - got);
        if (r <= 0) return -1;
        got += (size_t) r;
    }
    *len = (uint32_t) h[1] << 24 | (uint32_t) h[2] << 16 | (uint32_t) h[3] << 8 | h[4];
    if (*len > sizeof buf) return -1;
    for (got = 0; got < *len;) {
        ssize_t r = read(fd, buf + got, *len - got);
        if (r <= 0) return -1;
        got += (size_t) r;
    }
    return h[0];
}

/*
 * The echo through the monitor alone: its attach socket (engine-native/PROTOCOL.md), with no JVM, no WebSocket and
 * no TCP in between, so a run shows what the server side adds on top of the monitor and what the monitor adds on
 * top of the bare PTY.
 */
static int mon_echo(const char *path, int keys, int warmup) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (fd < 0 || strlen(path) >= sizeof a.sun_path) die("monitor socket");
    strcpy(a.sun_path, path);
    if (connect(fd, (struct sockaddr *) &a, sizeof a) < 0) die("connect to the monitor");
    unsigned char hello[] = {'H', 0, 0, 0, 2, 1, 0};
    if (write(fd, hello, sizeof hello) != (ssize_t) sizeof hello) die("monitor hello");
    uint32_t len;
    int t;
    while ((t = mon_frame(fd, &len)) != 'L') if (t < 0) die("monitor hello answer");
    long long *lat = calloc((size_t) keys, sizeof *lat);
    for (int i = -warmup; i < keys; i++) {
        unsigned char k[] = {'i', 0, 0, 0, 1, (unsigned char) ('a' + (i + 260) % 26)};
        long long t0 = now_ns();
        if (write(fd, k, sizeof k) != (ssize_t) sizeof k) die("monitor write");
        while ((t = mon_frame(fd, &len)) != 'o') if (t < 0) die("monitor read");
        if (i >= 0) lat[i] = now_ns() - t0;
    }
    close(fd);
    qsort(lat, (size_t) keys, sizeof *lat, cmp_ll);
    printf("%.0f %.0f\n", lat[keys / 2] / 1000.0, lat[keys * 99 / 100] / 1000.0);
    return 0;
}

static int pty_burst(const char *script, long long bytes) {
    pid_t pid;
    int fd = pty_spawn(script, &pid);
    long long got = 0, t0 = 0;
    while (got < bytes) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r <= 0) break;
        if (!t0) t0 = now_ns();
        got += r;
    }
    long long t = now_ns() - t0;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    printf("%.1f\n", (double) got / 1e6 / ((double) t / 1e9));
    return got >= bytes ? 0 : 1;
}

/*
 * The same producer on a bare local PTY, read by one process that sends what it reads to READERS loopback TCP
 * connections of a second process (blocking writes, no framing, no terminal state, no monitor): a relay with no
 * overhead. Not a ceiling: it reads and sends in turn, where a server can do both in parallel. batch 0 sends every
 * read as it is; otherwise the reads that are ready are gathered up to batch bytes (fewer sends for many readers,
 * a little slower for one). Prints "median_MBps min_MBps" (per reader, from its first byte to BYTES).
 */
static int pty_fanout(const char *script, long long bytes, int readers, size_t batch) {
    if (readers < 1 || readers > MAX_CONN) {
        fprintf(stderr, "wsbench pty-fanout: READERS must be 1..%d, got %d\n", MAX_CONN, readers);
        return 2;
    }
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (ls < 0 || bind(ls, (struct sockaddr *) &a, sizeof a) < 0 || listen(ls, MAX_CONN) < 0
        || getsockname(ls, (struct sockaddr *) &a, &al) < 0) die("pty-fanout: listen");
    pid_t rp = fork();
    if (rp < 0) die("fork");
    if (rp == 0) { /* the readers */
        close(ls);
        static int fds[MAX_CONN];
        static long long got[MAX_CONN], first[MAX_CONN], done[MAX_CONN];
        int ep = epoll_create1(EPOLL_CLOEXEC);
        for (int i = 0; i < readers; i++) {
            fds[i] = socket(AF_INET, SOCK_STREAM, 0);
            if (fds[i] < 0 || connect(fds[i], (struct sockaddr *) &a, sizeof a) < 0) die("pty-fanout: connect");
            struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t) i};
            epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
        }
        int remaining = readers;
        long long deadline = now_ns() + 120000000000LL;
        struct epoll_event evs[MAX_CONN];
        while (remaining > 0 && now_ns() < deadline) {
            int k = epoll_wait(ep, evs, MAX_CONN, 100);
            for (int j = 0; j < k; j++) {
                int i = (int) evs[j].data.u32;
                ssize_t r = read(fds[i], buf, sizeof buf);
                if (r > 0 && !first[i]) first[i] = now_ns();
                if (r > 0) got[i] += r;
                if (r <= 0 || got[i] >= bytes) {
                    done[i] = now_ns();
                    remaining--;
                    epoll_ctl(ep, EPOLL_CTL_DEL, fds[i], NULL);
                    close(fds[i]);
                }
            }
        }
        double *mbps = calloc((size_t) readers, sizeof *mbps);
        for (int i = 0; i < readers; i++) {
            long long t = (done[i] ? done[i] : now_ns()) - first[i];
            mbps[i] = first[i] && t > 0 ? (double) got[i] / 1e6 / ((double) t / 1e9) : 0;
        }
        qsort(mbps, (size_t) readers, sizeof *mbps, cmp_d);
        printf("%.1f %.1f\n", mbps[readers / 2], mbps[0]);
        fflush(stdout);
        _exit(remaining == 0 ? 0 : 1);
    }
    signal(SIGPIPE, SIG_IGN);
    static int cs[MAX_CONN];
    for (int i = 0; i < readers; i++) {
        cs[i] = accept(ls, NULL, NULL);
        if (cs[i] < 0) die("pty-fanout: accept");
    }
    close(ls);
    pid_t pid;
    int fd = pty_spawn(script, &pid);
    int open = readers;
    while (open > 0) {
        /* BATCH 0: every read is sent as it is (at most 4 KiB from a PTY); else the reads that are ready, up to BATCH */
        ssize_t r = 0;
        do {
            ssize_t k = read(fd, buf + r, (batch ? batch : sizeof buf) - (size_t) r);
            if (k <= 0) break;
            r += k;
            struct pollfd pf = {.fd = fd, .events = POLLIN};
            if (!batch || poll(&pf, 1, 0) <= 0) break;
        } while ((size_t) r < batch);
        if (r <= 0) break;
        for (int i = 0; i < readers; i++) {
            if (cs[i] >= 0 && write_all(cs[i], buf, (size_t) r) < 0) { /* that reader has all it wanted */
                close(cs[i]);
                cs[i] = -1;
                open--;
            }
        }
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    for (int i = 0; i < readers; i++) if (cs[i] >= 0) close(cs[i]);
    int st = 0;
    waitpid(rp, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

int main(int argc, char **argv) {
    if (argc >= 8 && strcmp(argv[1], "echo") == 0) {
        return echo((const char **) argv + 2, strcmp(argv[6], "berth") == 0, atoi(argv[7]), argc >= 9 ? atoi(argv[8]) : 200);
    }
    if (argc >= 11 && strcmp(argv[1], "burst") == 0) {
        return burst((const char **) argv + 2, strcmp(argv[6], "berth") == 0, atoi(argv[7]), atoi(argv[8]),
                     atoll(argv[9]), atoi(argv[10]));
    }
    if (argc >= 3 && strcmp(argv[1], "pty-echo") == 0) return pty_echo(atoi(argv[2]));
    if (argc >= 4 && strcmp(argv[1], "mon-echo") == 0) return mon_echo(argv[2], atoi(argv[3]), argc >= 5 ? atoi(argv[4]) : 200);
    if (argc >= 4 && strcmp(argv[1], "pty-burst") == 0) return pty_burst(argv[2], atoll(argv[3]));
    if (argc >= 6 && strcmp(argv[1], "pty-fanout") == 0) {
        size_t batch = (size_t) atoi(argv[5]) * 1024;
        if (batch > BUF) batch = BUF;
        return pty_fanout(argv[2], atoll(argv[3]), atoi(argv[4]), batch);
    }
    fprintf(stderr, "usage: wsbench echo HOST PORT PATH AUTH berth|docker KEYS [WARMUP]\n"
                    "       wsbench burst HOST PORT PATH AUTH berth|docker READERS STALLED BYTES TIMEOUT_S\n"
                    "       wsbench pty-echo KEYS | pty-burst SCRIPT BYTES | pty-fanout SCRIPT BYTES READERS BATCH_KIB\n"
                    "       wsbench mon-echo SOCKET KEYS [WARMUP]\n");
    return 2;
}
