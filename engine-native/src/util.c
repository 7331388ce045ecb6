#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct berr g_err;

static void set_code(const char *code) {
    size_t n = strlen(code);
    if (n >= sizeof g_err.code) n = sizeof g_err.code - 1;
    memcpy(g_err.code, code, n);
    g_err.code[n] = 0;
}

int err_msg(const char *code, const char *fmt, ...) {
    va_list ap;
    set_code(code);
    va_start(ap, fmt);
    vsnprintf(g_err.msg, sizeof g_err.msg, fmt, ap);
    va_end(ap);
    return -1;
}

int err_sys(const char *code, const char *fmt, ...) {
    int saved = errno;
    va_list ap;
    set_code(code);
    va_start(ap, fmt);
    int n = vsnprintf(g_err.msg, sizeof g_err.msg, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof g_err.msg)
        snprintf(g_err.msg + n, sizeof g_err.msg - n, ": %s", strerror(saved));
    errno = saved;
    return -1;
}

ssize_t write_all(int fd, const void *buf, size_t n) {
    const char *p = buf;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, p + done, n - done);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        done += (size_t)w;
    }
    return (ssize_t)done;
}

ssize_t read_full(int fd, void *buf, size_t n) {
    char *p = buf;
    size_t done = 0;
    while (done < n) {
        ssize_t r = read(fd, p + done, n - done);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (r == 0) break;
        done += (size_t)r;
    }
    return (ssize_t)done;
}

ssize_t read_file(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return err_sys("io", "cannot open %s", path);
    ssize_t n = read_full(fd, buf, cap - 1);
    int saved = errno;
    close(fd);
    if (n < 0) {
        errno = saved;
        return err_sys("io", "cannot read %s", path);
    }
    buf[n] = 0;
    return n;
}

int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return err_sys("io", "cannot open %s for writing", path);
    size_t n = strlen(text);
    if (write_all(fd, text, n) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return err_sys("io", "cannot write '%s' to %s", text, path);
    }
    if (close(fd) < 0) return err_sys("io", "cannot close %s", path);
    return 0;
}

int write_file_atomic(const char *dir, const char *name, const char *text, size_t n) {
    char tmp[4096], dst[4096];
    if (snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name) >= (int)sizeof tmp ||
        snprintf(dst, sizeof dst, "%s/%s", dir, name) >= (int)sizeof dst)
        return err_msg("io", "path too long: %s/%s", dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return err_sys("io", "cannot create %s", tmp);
    if (write_all(fd, text, n) < 0) {
        int saved = errno;
        close(fd);
        unlink(tmp);
        errno = saved;
        return err_sys("io", "cannot write %s", tmp);
    }
    close(fd);
    if (rename(tmp, dst) < 0) return err_sys("io", "cannot rename %s to %s", tmp, dst);
    return 0;
}

uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int buf_append(char *dst, size_t cap, size_t *len, const char *s) {
    size_t n = strlen(s);
    if (*len + n + 1 > cap) return -1;
    memcpy(dst + *len, s, n + 1);
    *len += n;
    return 0;
}

int g_trace;

void trace(const char *what) {
    if (!g_trace) return;
    char buf[160];
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int n = snprintf(buf, sizeof buf, "[trace %d] %ld.%06ld %s\n", (int)getpid(), (long)ts.tv_sec, ts.tv_nsec / 1000, what);
    if (n > 0) (void)write_all(2, buf, (size_t)n);
}
