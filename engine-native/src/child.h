/* The process that becomes the container's init (or an exec'd process): namespaces, rootfs, security, exec. */
#ifndef BERTH_CHILD_H
#define BERTH_CHILD_H

#include "spec.h"

/* Messages on the SOCK_SEQPACKET sync socket between monitor and child (never seen by Java). */
#define MSG_MASTER 'M'   /* child -> monitor: PTY master fd attached (SCM_RIGHTS) */
#define MSG_READY 'R'    /* child -> monitor: namespaces and rootfs ready, waiting for go */
#define MSG_ERROR 'E'    /* child -> monitor: "E<code>\0<message>", then the child exits */
#define MSG_GO 'G'       /* monitor -> child: exec now (closing the socket instead means abort) */

struct child_ctx {
    const struct spec *s;
    const char *rootfs;        /* mount point for the overlay: <state>/rootfs (container mode) */
    int sync;                  /* child's end of the sync socket (CLOEXEC) */
    int in_fd, out_fd, err_fd; /* pipe ends in pipes mode, -1 otherwise */
    int netns_fd;              /* NET_JOIN: the namespace to enter (container mode) */
    int ns_fds[5];             /* exec mode: ipc, uts, net, mnt, cgroup (-1 when absent) */
    int exec_mode;
};

_Noreturn void child_main(struct child_ctx *c);

#endif
