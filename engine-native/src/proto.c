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

static void ring_evict(struct ring *r, size_t need) {
    size_t off = 0;
    while (r->len - off + need > r->cap && off < r->len) {
        uint32_t n = get_be32(r->buf + off + 1);
        off += FRAME_HDR + n;
    }
    if (off > r->len) off = r->len;
    memmove(r->buf, r->buf + off, r->len - off);
    r->len -= off;
}

int ring_put(struct ring *r, uint8_t type, const uint8_t *bytes, size_t n) {
    if (r->cap <= FRAME_HDR) return 0;
    if (n > r->cap - FRAME_HDR) {
        bytes += n - (r->cap - FRAME_HDR);
        n = r->cap - FRAME_HDR;
    }
    size_t need = FRAME_HDR + n;
    if (r->len + need > r->cap) ring_evict(r, need);
    if (!r->buf) {
        r->buf = malloc(r->cap);
        if (!r->buf) return -1;
    }
    frame_header(r->buf + r->len, type, (uint32_t)n);
    memcpy(r->buf + r->len + FRAME_HDR, bytes, n);
    r->len += need;
    return 0;
}

void ring_free(struct ring *r) {
    free(r->buf);
    r->buf = NULL;
    r->len = 0;
}
