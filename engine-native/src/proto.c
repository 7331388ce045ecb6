#include "proto.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void frame_header(uint8_t *dst, uint8_t type, uint32_t n) {
    dst[0] = type;
    put_be32(dst + 1, n);
}

long frame_next(const uint8_t *buf, size_t len, uint8_t *type, const uint8_t **payload, uint32_t *plen) {
    if (len < FRAME_HDR) return 0;
    uint32_t n = get_be32(buf + 1);
    if (n > FRAME_MAX_PAYLOAD) return -1;
    if (len < FRAME_HDR + (size_t)n) return 0;
    *type = buf[0];
    *payload = buf + FRAME_HDR;
    *plen = n;
    return (long)(FRAME_HDR + n);
}

void exit_payload(uint8_t *dst, int32_t code, int32_t sig, int oom, uint64_t finished_ns) {
    put_be32(dst, (uint32_t)code);
    put_be32(dst + 4, (uint32_t)sig);
    dst[8] = oom ? 1 : 0;
    put_be64(dst + 9, finished_ns);
}

/* The byte at offset off from the ring's head, and copies in and out across the end of the buffer. */
static size_t ring_at(const struct ring *r, size_t off) {
    size_t i = r->head + off;
    return i >= r->cap ? i - r->cap : i;
}

static void ring_read(const struct ring *r, size_t off, uint8_t *dst, size_t n) {
    size_t at = ring_at(r, off), first = r->cap - at < n ? r->cap - at : n;
    memcpy(dst, r->buf + at, first);
    memcpy(dst + first, r->buf, n - first);
}

static void ring_write(struct ring *r, size_t off, const uint8_t *src, size_t n) {
    size_t at = ring_at(r, off), first = r->cap - at < n ? r->cap - at : n;
    memcpy(r->buf + at, src, first);
    memcpy(r->buf, src + first, n - first);
}

static uint32_t ring_payload_len(const struct ring *r, size_t off) {
    uint8_t hdr[FRAME_HDR];
    ring_read(r, off, hdr, FRAME_HDR);
    return get_be32(hdr + 1);
}

int ring_put(struct ring *r, uint8_t type, const uint8_t *bytes, size_t n) {
    if (r->cap <= FRAME_HDR) return 0;
    if (n > r->cap - FRAME_HDR) {
        bytes += n - (r->cap - FRAME_HDR);
        n = r->cap - FRAME_HDR;
    }
    if (!r->buf) {
        r->buf = malloc(r->cap);
        if (!r->buf) return -1;
        r->head = r->len = 0;
    }
    size_t need = FRAME_HDR + n;
    while (r->len && r->len + need > r->cap) { /* evict the oldest whole frames */
        size_t f = FRAME_HDR + ring_payload_len(r, 0);
        if (f > r->len) f = r->len;
        r->head = ring_at(r, f);
        r->len -= f;
    }
    if (!r->len) r->head = 0;
    uint8_t hdr[FRAME_HDR];
    frame_header(hdr, type, (uint32_t)n);
    ring_write(r, r->len, hdr, FRAME_HDR);
    ring_write(r, r->len + FRAME_HDR, bytes, n);
    r->len += need;
    return 0;
}

size_t ring_frame(const struct ring *r, size_t off, uint8_t *type, const uint8_t **p1, size_t *n1,
                  const uint8_t **p2, size_t *n2) {
    if (off + FRAME_HDR > r->len) return 0;
    uint8_t hdr[FRAME_HDR];
    ring_read(r, off, hdr, FRAME_HDR);
    size_t n = get_be32(hdr + 1);
    if (off + FRAME_HDR + n > r->len) return 0;
    size_t at = ring_at(r, off + FRAME_HDR), first = r->cap - at < n ? r->cap - at : n;
    *type = hdr[0];
    *p1 = r->buf + at;
    *n1 = first;
    *p2 = r->buf;
    *n2 = n - first;
    return off + FRAME_HDR + n;
}

void ring_free(struct ring *r) {
    free(r->buf);
    r->buf = NULL;
    r->head = r->len = 0;
}
