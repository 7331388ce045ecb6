/* The output log written off the relay's path. The relay appends each batch of output to a memory queue (a
 * memcpy); one writer thread appends what has queued to the file (logfile.c) in large writes. Writing the log in
 * the relay cost about a fifth of a terminal's throughput on 2 cores: page cache and ext4 work on the one thread
 * the PTY waits for. Nothing is dropped: when LOGQ_MAX bytes are waiting the relay waits for the writer, as it
 * waited for the disk before (Docker's blocking log mode). */
#ifndef BERTH_LOGQUEUE_H
#define BERTH_LOGQUEUE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include "logfile.h"

/* Bytes of records waiting before the relay waits for the writer (a record larger than this is written by the
 * caller, after what is queued). */
#define LOGQ_MAX (1u << 20)
/* The writer wakes for this much (or after LOGQ_DELAY_NS with less), so a burst costs a wake-up per 64 KiB, not one
 * per batch; a lone echo reaches the file LOGQ_DELAY_NS later. */
#define LOGQ_BATCH (64u * 1024)
#define LOGQ_DELAY_NS 20000000L
/* Pages written are given back after the log has been quiet this long (not at every pause of a burst). */
#define LOGQ_QUIET_NS 1000000000L

struct logqueue {
    struct logfile *file;
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t work;  /* writer: records to write, a sync or the stop */
    pthread_cond_t space; /* relay: the writer took the queue */
    pthread_cond_t idle;  /* sync: the writer has written what it took */
    uint8_t *buf;         /* records waiting (the relay appends); LOGQ_MAX bytes mapped */
    size_t len, buf_hi;   /* bytes waiting; bytes of buf written since its pages were last given back */
    uint8_t *spare;       /* the writer's buffer while it writes; LOGQ_MAX bytes mapped */
    size_t spare_hi;
    size_t want;          /* the writer sleeps until len >= want (0: it is not sleeping) */
    int writing, syncs, stopping, failed;
};

/* Starts the writer thread for an open log; -1 (g_err set) if it cannot, and the queue then writes each record
 * in the caller, as log_write does. */
int logq_start(struct logqueue *q, struct logfile *f);
/* Queues one record (same format as log_write). -1 once writing the log has failed: logging stops, the container
 * keeps running. */
int logq_put(struct logqueue *q, uint64_t ts, int stream, const uint8_t *bytes, size_t n);
/* Returns once everything queued so far is in the file (before the exit is recorded). */
void logq_sync(struct logqueue *q);
/* Writes the rest, stops the writer and closes the log. */
void logq_stop(struct logqueue *q);

#endif
