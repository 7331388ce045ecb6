/* Attach-socket framing (PROTOCOL.md): 1-byte type, 4-byte big-endian payload length, payload. */
#ifndef BERTH_PROTO_H
#define BERTH_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_VERSION 1
#define FRAME_HDR 5
#define FRAME_MAX_PAYLOAD (1u << 20)

enum frame_type {
    /* client -> monitor */
    F_HELLO = 'H',     /* [u8 version][u8 flags: HELLO_*]; monitor answers with its own H */
    F_STDIN = 'i',     /* bytes for the process' stdin / PTY */
    F_CLOSE_STDIN = 'c',
    F_RESIZE = 'r',    /* [u16 cols][u16 rows] */
    F_SIGNAL = 's',    /* [u32 signal] */
    /* monitor -> client */
    F_STDOUT = 'o',
    F_STDERR = 'e',
    F_LIVE = 'L',      /* end of scrollback */
    F_EXIT = 'x',      /* [i32 code][i32 signal][u8 oom][u64 finished_ns] */
    F_ERROR = 'E',     /* UTF-8 text, then the monitor closes the connection */
};

/* Client hello flags. */
#define HELLO_SCROLLBACK 1u  /* send the scrollback ring first */
#define HELLO_PACED 2u       /* pace the output to this client: stop reading the PTY while it is behind, never drop it */
#define HELLO_NO_OUTPUT 4u   /* no o/e frames at all (an exit watcher): only hello, live, exit, errors */

/* Writes a frame header for a payload of n bytes to dst[0..5). */
void frame_header(uint8_t *dst, uint8_t type, uint32_t n);

/* Looks for one complete frame at buf[0..len). Returns the frame's total size (header + payload) and sets
 * type/payload/plen; 0 when more bytes are needed; -1 when the header is invalid (payload too large). */
long frame_next(const uint8_t *buf, size_t len, uint8_t *type, const uint8_t **payload, uint32_t *plen);

#define EXIT_PAYLOAD 17
void exit_payload(uint8_t *dst, int32_t code, int32_t sig, int oom, uint64_t finished_ns);

/* A bounded buffer of whole output frames, oldest evicted first (the scrollback ring). The frames are stored
 * circularly from head (a frame, its header too, may wrap around the end), so a put costs its own bytes, never a
 * move of the rest. */
struct ring {
    uint8_t *buf;
    size_t head, len, cap;
};

/* Appends one output frame (type + bytes); evicts whole old frames to keep within cap. Chunks larger than cap
 * keep only their last cap - FRAME_HDR bytes. Returns 0 or -1 on allocation failure. */
int ring_put(struct ring *r, uint8_t type, const uint8_t *bytes, size_t n);

/* One frame of the ring, oldest first: off is 0 for the first; the payload is p1[0..n1) then p2[0..n2) (p2 is
 * used when it wraps). Returns the offset of the next frame, or 0 when there is none at off. */
size_t ring_frame(const struct ring *r, size_t off, uint8_t *type, const uint8_t **p1, size_t *n1,
                  const uint8_t **p2, size_t *n2);
void ring_free(struct ring *r);

#endif
