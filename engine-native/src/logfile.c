#include "logfile.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static int open_current(struct logfile *l) {
    l->fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (l->fd < 0) return err_sys("log_failed", "cannot open the log %s", l->path);
    struct stat st;
    if (fstat(l->fd, &st) < 0) return err_sys("log_failed", "cannot stat the log %s", l->path);
    l->size = (uint64_t)st.st_size;
    if (l->size == 0) {
        if (write_all(l->fd, LOG_MAGIC, LOG_MAGIC_LEN) < 0) return err_sys("log_failed", "cannot write %s", l->path);
        l->size = LOG_MAGIC_LEN;
    }
    return 0;
}

int log_open(struct logfile *l, const char *path, uint64_t max, unsigned files) {
    l->path = path;
    l->max = max < 4096 ? 4096 : max;
    l->files = files < 1 ? 1 : files;
    l->fd = -1;
    return open_current(l);
}

static int rotate(struct logfile *l) {
    char from[4200], to[4200];
    close(l->fd);
    l->fd = -1;
    if (l->files == 1) {
        if (unlink(l->path) < 0 && errno != ENOENT) return err_sys("log_failed", "cannot truncate %s", l->path);
        return open_current(l);
    }
    for (unsigned i = l->files - 1; i >= 1; i--) {
        if (i == 1) snprintf(from, sizeof from, "%s", l->path);
        else snprintf(from, sizeof from, "%s.%u", l->path, i - 1);
        snprintf(to, sizeof to, "%s.%u", l->path, i);
        if (rename(from, to) < 0 && errno != ENOENT) return err_sys("log_failed", "cannot rotate %s to %s", from, to);
    }
    return open_current(l);
}

void log_rec_header(uint8_t *hdr, uint64_t ts, int stream, size_t n) {
    put_be64(hdr, ts);
    hdr[8] = (uint8_t)stream;
    put_be32(hdr + 9, (uint32_t)n);
}

/* Whether a record of rec bytes, written when the file holds size bytes, must go to a fresh file (never into one
 * that holds only the magic: a record larger than max gets a file of its own). */
static int must_rotate(const struct logfile *l, uint64_t size, size_t rec) {
    return size + rec > l->max && size > LOG_MAGIC_LEN;
}

int log_write(struct logfile *l, uint64_t ts, int stream, const uint8_t *bytes, size_t n) {
    if (l->fd < 0) return -1;
    if (must_rotate(l, l->size, LOG_REC_HDR + n) && rotate(l) < 0) return -1;
    uint8_t hdr[LOG_REC_HDR];
    log_rec_header(hdr, ts, stream, n);
    struct iovec iov[2] = {{hdr, sizeof hdr}, {(void *)bytes, n}};
    size_t total = sizeof hdr + n;
    ssize_t w;
    do w = writev(l->fd, iov, 2); while (w < 0 && errno == EINTR);
    if (w < 0 || (size_t)w != total) {
        err_sys("log_failed", "cannot append to the log %s", l->path);
        close(l->fd);
        l->fd = -1;
        return -1;
    }
    l->size += total;
    return 0;
}

int log_write_records(struct logfile *l, const uint8_t *recs, size_t n) {
    size_t off = 0;
    while (off < n) {
        if (l->fd < 0) return -1;
        /* the longest run of whole records that fits before the next rotation (at least one record) */
        size_t run = 0;
        while (off + run + LOG_REC_HDR <= n) {
            size_t rec = LOG_REC_HDR + get_be32(recs + off + run + 9);
            if (off + run + rec > n) break; /* cannot happen: the queue holds whole records */
            if (must_rotate(l, l->size + run, rec)) {
                if (run > 0) break; /* write the run, then rotate before this record */
                if (rotate(l) < 0) return -1;
                continue;
            }
            run += rec;
        }
        if (run == 0) {
            err_sys("log_failed", "a damaged record in the log queue of %s", l->path);
            errno = EINVAL;
            return -1;
        }
        if (write_all(l->fd, recs + off, run) < 0) {
            err_sys("log_failed", "cannot append to the log %s", l->path);
            close(l->fd);
            l->fd = -1;
            return -1;
        }
        l->size += run;
        off += run;
    }
    return 0;
}

void log_close(struct logfile *l) {
    if (l->fd >= 0) close(l->fd);
    l->fd = -1;
}
