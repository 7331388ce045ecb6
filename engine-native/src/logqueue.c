#include "logqueue.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <string.h>
#include <time.h>

static void deadline_in(struct timespec *ts, long ns) {
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ns / 1000000000L;
    ts->tv_nsec += ns % 1000000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_nsec -= 1000000000L;
        ts->tv_sec++;
    }
}

/* The two buffers are fixed mappings of LOGQ_MAX bytes: only the pages written hold memory, and once the log has
 * been quiet for LOGQ_QUIET_NS the writer gives them back (MADV_DONTNEED), so an idle monitor's RSS is what it was
 * before any output (a monitor per container: the runtime benchmark holds its RSS to 1 MiB). */
static void release_pages(struct logqueue *q) {
    if (q->spare_hi) (void)madvise(q->spare, (q->spare_hi + 4095) & ~(size_t)4095, MADV_DONTNEED);
    if (!q->len && q->buf_hi) (void)madvise(q->buf, (q->buf_hi + 4095) & ~(size_t)4095, MADV_DONTNEED);
    q->spare_hi = 0;
    if (!q->len) q->buf_hi = 0;
}

static void *writer(void *arg) {
    struct logqueue *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        if (!q->len && !q->stopping && !q->syncs) {
            q->want = 1;
            if (q->buf_hi || q->spare_hi) {
                struct timespec ts;
                deadline_in(&ts, LOGQ_QUIET_NS);
                while (!q->len && !q->stopping && !q->syncs) {
                    if (pthread_cond_timedwait(&q->work, &q->mu, &ts) == ETIMEDOUT) {
                        if (!q->len) release_pages(q);
                        break;
                    }
                }
            }
            while (!q->len && !q->stopping && !q->syncs) pthread_cond_wait(&q->work, &q->mu);
        }
        if (q->len < LOGQ_BATCH && !q->stopping && !q->syncs) { /* let a burst fill a batch first */
            struct timespec ts;
            deadline_in(&ts, LOGQ_DELAY_NS);
            q->want = LOGQ_BATCH;
            while (q->len < LOGQ_BATCH && !q->stopping && !q->syncs)
                if (pthread_cond_timedwait(&q->work, &q->mu, &ts) == ETIMEDOUT) break;
        }
        q->want = 0;
        if (!q->len) {
            if (q->stopping) break;
            pthread_cond_broadcast(&q->idle); /* a sync with nothing left to write */
            if (q->syncs) pthread_cond_wait(&q->work, &q->mu); /* until the sync is done or more arrives */
            continue;
        }
        uint8_t *b = q->buf;
        size_t n = q->len, hi = q->buf_hi;
        q->buf = q->spare;
        q->buf_hi = q->spare_hi;
        q->len = 0;
        q->spare = b;
        q->spare_hi = hi;
        q->writing = 1;
        pthread_cond_broadcast(&q->space);
        int failed = q->failed;
        pthread_mutex_unlock(&q->mu);
        if (!failed && log_write_records(q->file, b, n) < 0) failed = 1;
        pthread_mutex_lock(&q->mu);
        q->failed |= failed;
        q->writing = 0;
        pthread_cond_broadcast(&q->idle);
        pthread_cond_broadcast(&q->space);
    }
    pthread_cond_broadcast(&q->idle);
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

int logq_start(struct logqueue *q, struct logfile *f) {
    memset(q, 0, sizeof *q);
    q->file = f;
    q->buf = mmap(NULL, LOGQ_MAX, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    q->spare = mmap(NULL, LOGQ_MAX, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (q->buf == MAP_FAILED || q->spare == MAP_FAILED) {
        if (q->buf != MAP_FAILED) munmap(q->buf, LOGQ_MAX);
        if (q->spare != MAP_FAILED) munmap(q->spare, LOGQ_MAX);
        q->buf = q->spare = NULL;
        return err_sys("log_failed", "cannot map the log queue");
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->work, &ca);
    pthread_cond_init(&q->space, NULL);
    pthread_cond_init(&q->idle, NULL);
    pthread_condattr_destroy(&ca);
    /* the writer takes no signals: the relay reads them from its signalfd */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&q->thread, NULL, writer, q);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc) {
        munmap(q->buf, LOGQ_MAX);
        munmap(q->spare, LOGQ_MAX);
        q->buf = q->spare = NULL;
        errno = rc;
        return err_sys("log_failed", "cannot start the log writer");
    }
    pthread_setname_np(q->thread, "berth-log"); /* in top -H and profiles, apart from the relay */
    q->started = 1;
    return 0;
}

int logq_put(struct logqueue *q, uint64_t ts, int stream, const uint8_t *bytes, size_t n) {
    if (!q->started) return log_write(q->file, ts, stream, bytes, n); /* no writer thread: write in the relay */
    size_t rec = LOG_REC_HDR + n;
    if (rec > LOGQ_MAX) { /* larger than the queue (the relay's batches never are): written here, in order */
        logq_sync(q);
        pthread_mutex_lock(&q->mu);
        int rc = q->failed ? -1 : log_write(q->file, ts, stream, bytes, n);
        if (rc < 0) q->failed = 1;
        pthread_mutex_unlock(&q->mu);
        return rc;
    }
    pthread_mutex_lock(&q->mu);
    while (!q->failed && q->len + rec > LOGQ_MAX) { /* full: wait for the writer to take the queue */
        if (q->want) pthread_cond_signal(&q->work);
        pthread_cond_wait(&q->space, &q->mu);
    }
    if (q->failed) {
        pthread_mutex_unlock(&q->mu);
        return -1;
    }
    uint8_t *p = q->buf + q->len;
    log_rec_header(p, ts, stream, n);
    memcpy(p + LOG_REC_HDR, bytes, n);
    q->len += rec;
    if (q->len > q->buf_hi) q->buf_hi = q->len;
    if (q->want && q->len >= q->want) pthread_cond_signal(&q->work);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

void logq_sync(struct logqueue *q) {
    if (!q->started) return;
    pthread_mutex_lock(&q->mu);
    q->syncs++;
    pthread_cond_signal(&q->work);
    while (q->len || q->writing) pthread_cond_wait(&q->idle, &q->mu);
    q->syncs--;
    pthread_cond_signal(&q->work); /* the writer may wait for the sync to end */
    pthread_mutex_unlock(&q->mu);
}

void logq_stop(struct logqueue *q) {
    if (!q->started) {
        if (q->file) log_close(q->file);
        return;
    }
    pthread_mutex_lock(&q->mu);
    q->stopping = 1;
    pthread_cond_signal(&q->work);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->thread, NULL);
    q->started = 0;
    log_close(q->file);
    munmap(q->buf, LOGQ_MAX);
    munmap(q->spare, LOGQ_MAX);
    q->buf = q->spare = NULL;
    q->len = q->buf_hi = q->spare_hi = 0;
}
