#include "check.h"
#include "proto.h"
#include "util.h"
#include <stdlib.h>

static void test_framing(void) {
    uint8_t buf[64];
    frame_header(buf, F_STDIN, 3);
    memcpy(buf + 5, "abc", 3);
    uint8_t type; const uint8_t *p; uint32_t n;
    CHECK(frame_next(buf, 4, &type, &p, &n) == 0);          /* header incomplete */
    CHECK(frame_next(buf, 7, &type, &p, &n) == 0);          /* payload incomplete */
    CHECK(frame_next(buf, 8, &type, &p, &n) == 8);
    CHECK(type == 'i' && n == 3 && !memcmp(p, "abc", 3));
    frame_header(buf, F_LIVE, 0);
    CHECK(frame_next(buf, 5, &type, &p, &n) == 5 && n == 0 && type == 'L');
    frame_header(buf, F_STDIN, FRAME_MAX_PAYLOAD + 1);
    CHECK(frame_next(buf, 5, &type, &p, &n) == -1);         /* oversized frames are refused */
    CHECK(buf[1] == 0x00 && buf[2] == 0x10 && buf[3] == 0x00 && buf[4] == 0x01); /* big-endian */
}

static void test_exit_payload(void) {
    uint8_t p[EXIT_PAYLOAD];
    exit_payload(p, 137, 9, 1, 0x0102030405060708ull);
    CHECK(get_be32(p) == 137 && get_be32(p + 4) == 9 && p[8] == 1 && get_be64(p + 9) == 0x0102030405060708ull);
    exit_payload(p, -1, 0, 0, 0);
    CHECK((int32_t)get_be32(p) == -1);
}

static size_t ring_frames(const struct ring *r, size_t *bytes) {
    size_t off = 0, frames = 0;
    *bytes = 0;
    while (off < r->len) {
        uint32_t n = get_be32(r->buf + off + 1);
        *bytes += n;
        off += FRAME_HDR + n;
        frames++;
    }
    return off == r->len ? frames : (size_t)-1;
}

static void test_ring(void) {
    struct ring r = {.cap = 64};
    size_t bytes;
    CHECK(ring_put(&r, F_STDOUT, (const uint8_t *)"0123456789", 10) == 0);
    CHECK(ring_frames(&r, &bytes) == 1 && bytes == 10);
    for (int i = 0; i < 10; i++) ring_put(&r, F_STDERR, (const uint8_t *)"abcdefghij", 10);
    CHECK(r.len <= r.cap);
    CHECK(ring_frames(&r, &bytes) == 4 && bytes == 40);     /* 4 frames of 15 bytes fit in 64 */
    CHECK(r.buf[0] == 'e');                                 /* the oldest stdout frame was evicted first */
    uint8_t big[200];
    for (int i = 0; i < 200; i++) big[i] = (uint8_t)i;
    ring_put(&r, F_STDOUT, big, sizeof big);                /* larger than the ring: keep its tail */
    CHECK(ring_frames(&r, &bytes) == 1 && bytes == 59 && r.buf[FRAME_HDR] == 200 - 59);
    ring_free(&r);
}

int main(void) {
    test_framing();
    test_exit_payload();
    test_ring();
    DONE("test-proto");
}
