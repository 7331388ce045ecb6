/* The log writer thread (logqueue.c) must leave exactly the files that writing each record in the relay
 * (log_write) leaves: the same records, split across the same rotated files. */
#include "check.h"
#include "logqueue.h"
#include "util.h"
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static char *slurp(const char *path, size_t *n) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { *n = (size_t)-1; return NULL; }
    struct stat st;
    fstat(fd, &st);
    char *b = malloc((size_t)st.st_size + 1);
    *n = (size_t)read(fd, b, (size_t)st.st_size);
    close(fd);
    return b;
}

/* Whether <a><suffix> and <b><suffix> hold the same bytes (or are both missing). */
static int same_file(const char *a, const char *b, const char *suffix) {
    char pa[PATH_MAX + 128], pb[PATH_MAX + 128];
    snprintf(pa, sizeof pa, "%s%s", a, suffix);
    snprintf(pb, sizeof pb, "%s%s", b, suffix);
    size_t na, nb;
    char *ba = slurp(pa, &na), *bb = slurp(pb, &nb);
    int same = na == nb && (na == (size_t)-1 || !memcmp(ba, bb, na));
    if (!same) fprintf(stderr, "differ: %s (%zd bytes) and %s (%zd bytes)\n", pa, (ssize_t)na, pb, (ssize_t)nb);
    free(ba);
    free(bb);
    return same;
}

/* Record i: its length varies (1 byte to 40 KiB, as the relay's batches do), its bytes say which record it is. */
static size_t record(unsigned i, uint8_t *buf) {
    size_t n = 1 + (i * 7919u) % (40u * 1024);
    for (size_t k = 0; k < n; k++) buf[k] = (uint8_t)(i + k);
    return n;
}

static void write_both(const char *dir, uint64_t max, unsigned files, unsigned records) {
    char direct[PATH_MAX + 64], queued[PATH_MAX + 64];
    snprintf(direct, sizeof direct, "%s/direct-%u-%u.log", dir, (unsigned)max, files);
    snprintf(queued, sizeof queued, "%s/queued-%u-%u.log", dir, (unsigned)max, files);
    static uint8_t buf[40 * 1024];
    struct logfile a, b;
    CHECK(log_open(&a, direct, max, files) == 0);
    CHECK(log_open(&b, queued, max, files) == 0);
    struct logqueue q;
    CHECK(logq_start(&q, &b) == 0);
    size_t big_n = LOGQ_MAX + LOGQ_MAX / 2;
    uint8_t *big = malloc(big_n);
    for (size_t k = 0; k < big_n; k++) big[k] = (uint8_t)(k * 31);
    for (unsigned i = 0; i < records; i++) {
        size_t n = record(i, buf);
        CHECK(log_write(&a, 1000 + i, 1 + i % 2, buf, n) == 0);
        CHECK(logq_put(&q, 1000 + i, 1 + i % 2, buf, n) == 0);
        if (i == records / 3) { /* a record larger than the queue: written after what is queued, in order */
            CHECK(log_write(&a, 7, 1, big, big_n) == 0);
            CHECK(logq_put(&q, 7, 1, big, big_n) == 0);
        }
        if (i == records / 2) {
            /* a sync: what was queued is in the files now, with the writer still running */
            logq_sync(&q);
            CHECK(same_file(direct, queued, ""));
        }
    }
    logq_stop(&q);
    log_close(&a);
    free(big);
    CHECK(same_file(direct, queued, ""));
    char suffix[16];
    for (unsigned k = 1; k <= files; k++) { /* .files must not exist: only files-1 are kept */
        snprintf(suffix, sizeof suffix, ".%u", k);
        CHECK(same_file(direct, queued, suffix));
    }
}

static size_t resident_pages(void *p, size_t n) {
    unsigned char v[LOGQ_MAX / 4096];
    if (mincore(p, n, v) < 0) return (size_t)-1;
    size_t r = 0;
    for (size_t i = 0; i < n / 4096; i++) r += v[i] & 1;
    return r;
}

/* The queue's pages hold memory only while there is output: after LOGQ_QUIET_NS of quiet they are given back. */
static void test_pages_given_back(const char *dir) {
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/quiet.log", dir);
    static uint8_t buf[32 * 1024];
    memset(buf, 'x', sizeof buf);
    struct logfile f;
    struct logqueue q;
    CHECK(log_open(&f, path, 1u << 30, 1) == 0);
    CHECK(logq_start(&q, &f) == 0);
    for (int i = 0; i < 40; i++) CHECK(logq_put(&q, 1, 1, buf, sizeof buf) == 0); /* 1.3 MB: both buffers used */
    logq_sync(&q);
    CHECK(resident_pages(q.buf, LOGQ_MAX) + resident_pages(q.spare, LOGQ_MAX) > 100);
    usleep(LOGQ_QUIET_NS / 1000 + 300000);
    pthread_mutex_lock(&q.mu);
    CHECK(resident_pages(q.buf, LOGQ_MAX) == 0);
    CHECK(resident_pages(q.spare, LOGQ_MAX) == 0);
    pthread_mutex_unlock(&q.mu);
    logq_stop(&q);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int main(int argc, char **argv) {
    (void)argc;
    /* next to the test binary (the build directory, target/native under Maven), not in the shared /tmp; mkdtemp
     * replaces the template's six X with a unique suffix */
    char dir[PATH_MAX];
    const char *slash = strrchr(argv[0], '/');
    snprintf(dir, sizeof dir, "%.*slogqueue-test.XXXXXX", slash ? (int)(slash - argv[0] + 1) : 0, argv[0]);
    if (!mkdtemp(dir)) {
        perror("test-logqueue: cannot create its directory next to the test binary");
        return 1;
    }
    write_both(dir, 1u << 30, 1, 200);        /* no rotation, ~4 MiB: more than LOGQ_MAX, so the relay waits */
    write_both(dir, 100u * 1024, 3, 300);     /* rotations at record boundaries, two old files kept */
    write_both(dir, 100u * 1024, 1, 300);     /* rotation that truncates */
    write_both(dir, 4096, 2, 50);             /* records larger than the limit: one per file */
    test_pages_given_back(dir);
    CHECK(nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS) == 0);
    DONE("test-logqueue");
}
