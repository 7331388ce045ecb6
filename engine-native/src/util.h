/* Small helpers shared by the monitor: errors with context, whole-buffer I/O, big-endian codecs. */
#ifndef BERTH_UTIL_H
#define BERTH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The last error: a stable code (e.g. "executable_not_found") and a message that says what failed on what. */
struct berr {
    char code[40];
    char msg[1024];
};
extern struct berr g_err;

/* Record an error; err_sys appends ": <strerror(errno)>". Both return -1 so callers can `return err_...`. */
int err_msg(const char *code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int err_sys(const char *code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

ssize_t write_all(int fd, const void *buf, size_t n);
ssize_t read_full(int fd, void *buf, size_t n);      /* until n bytes or EOF */
ssize_t read_file(const char *path, char *buf, size_t cap); /* NUL-terminates; -1 + g_err on error */
int write_file(const char *path, const char *text);  /* open O_WRONLY|O_TRUNC, write, close */
int write_file_atomic(const char *dir, const char *name, const char *text, size_t n);
uint64_t now_ns(void);                               /* CLOCK_REALTIME in ns */

static inline void put_be16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static inline void put_be32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static inline void put_be64(uint8_t *p, uint64_t v) { put_be32(p, v >> 32); put_be32(p + 4, (uint32_t)v); }
static inline uint16_t get_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t get_be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t get_be64(const uint8_t *p) { return (uint64_t)get_be32(p) << 32 | get_be32(p + 4); }

/* Append s to a fixed buffer with bounds; returns 0 or -1 when it does not fit. */
int buf_append(char *dst, size_t cap, size_t *len, const char *s);

#endif

/* Timing trace to stderr when BERTH_MONITOR_TRACE is set (for bench/runtime); a no-op otherwise. */
extern int g_trace;
void trace(const char *what);
