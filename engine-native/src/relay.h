/* The monitor's event loop: output fan-out, attach clients, scrollback, log, exit. */
#ifndef BERTH_RELAY_H
#define BERTH_RELAY_H

#include <stdint.h>
#include <sys/types.h>
#include "cgroup.h"
#include "logfile.h"
#include "logqueue.h"
#include "proto.h"
#include "spec.h"

#define CLIENT_OUT_MAX (4u << 20)  /* a client more than 4 MiB behind is dropped */
#define SCROLLBACK_BYTES (64u * 1024)
/* Output batching: up to 32 KiB or 250 µs after the first byte while the writer keeps the PTY/pipe busy. */
#define BATCH_BYTES (32u * 1024)
#define BATCH_NS 250000
/* A paced client (HELLO_PACED) more than this behind stops the monitor reading the PTY/pipes until it catches up. */
#define PACE_BYTES (1u << 20)
/* At exit, how long the monitor waits for paced clients to take the rest of the output and the exit frame. */
#define PACE_EXIT_MS 10000
/* Input the program has not read yet (its PTY or pipe is full) waits in the monitor, in order, up to this much; more
 * is dropped. The PTY and the stdin pipe are non-blocking: a program that does not read must never stop the relay. */
#define STDIN_QUEUE_MAX (1u << 20)

struct client {
    int fd;
    int hello;           /* handshake done */
    int paced, no_output; /* HELLO_PACED, HELLO_NO_OUTPUT */
    uint8_t *in; size_t in_len, in_cap;
    uint8_t *out; size_t out_off, out_len, out_cap;
};

struct relay {
    const struct spec *s;
    pid_t child;
    int listen_fd, sig_fd;
    int master;               /* tty mode */
    int out_fd, err_fd;       /* pipes mode (monitor's read ends) */
    int in_fd;                /* monitor's write end of stdin (pipes + open stdin) */
    uint8_t *in_q; size_t in_q_off, in_q_len, in_q_cap; /* input waiting for the program to read (STDIN_QUEUE_MAX) */
    int close_in_when_written; /* CLOSE_STDIN arrived while input was still queued (pipes) */
    struct winsize_pending { int set; unsigned short cols, rows; } pending;
    struct client *clients; size_t nclients;
    struct ring ring;
    struct logfile log; struct logqueue logq; int logging; /* logging: output goes to the log, through logq */
    struct cgroups cg; int own_cgroup;
    int running;
};

int relay_listen(const char *state_dir);
/* Runs until the child has exited and the exit is recorded; returns the monitor's exit code. */
int relay_run(struct relay *r);

#endif
