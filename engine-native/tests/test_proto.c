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

/* Frames in the ring, oldest first; their payload bytes in *bytes; the first payload byte of the first in *first. */
static size_t ring_frames(const struct ring *r, size_t *bytes, int *first) {
    size_t off = 0, frames = 0, next;
    uint8_t type;
    const uint8_t *p1, *p2;
    size_t n1, n2;
    *bytes = 0;
    *first = -1;
    while ((next = ring_frame(r, off, &type, &p1, &n1, &p2, &n2)) != 0) {
        if (!frames && n1 + n2) *first = n1 ? p1[0] : p2[0];
        *bytes += n1 + n2;
        off = next;
        frames++;
    }
    return off == r->len ? frames : (size_t)-1;
}

static void test_ring(void) {
    struct ring r = {.cap = 64};
    size_t bytes;
    int first;
    CHECK(ring_put(&r, F_STDOUT, (const uint8_t *)"0123456789", 10) == 0);
    CHECK(ring_frames(&r, &bytes, &first) == 1 && bytes == 10 && first == '0');
    for (int i = 0; i < 10; i++) ring_put(&r, F_STDERR, (const uint8_t *)"abcdefghij", 10);
    CHECK(r.len <= r.cap);
    CHECK(ring_frames(&r, &bytes, &first) == 4 && bytes == 40);  /* 4 frames of 15 bytes fit in 64 */
    uint8_t type;
    const uint8_t *p1, *p2;
    size_t n1, n2;
    CHECK(ring_frame(&r, 0, &type, &p1, &n1, &p2, &n2) && type == F_STDERR); /* the stdout frame was evicted first */
    uint8_t big[200];
    for (int i = 0; i < 200; i++) big[i] = (uint8_t)i;
    ring_put(&r, F_STDOUT, big, sizeof big);                     /* larger than the ring: keep its tail */
    CHECK(ring_frames(&r, &bytes, &first) == 1 && bytes == 59 && first == 200 - 59);
    ring_free(&r);
}

/* Against a model (the frames put, newest last, as many of the newest as fit): frames of every size from 0 to
 * past the ring's size wrap around its end, headers too, and come back whole, in order, with their types. */
static void test_ring_wraps(void) {
    enum { CAP = 97, PUTS = 3000 };
    struct ring r = {.cap = CAP};
    static uint8_t model[PUTS][CAP + 40];
    static size_t model_n[PUTS];
    static uint8_t model_t[PUTS];
    unsigned seed = 12345;
    int wrapped_payload = 0, bad = 0;
    for (int i = 0; i < PUTS; i++) {
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 16) % (CAP + 30);
        uint8_t t = (seed >> 8) & 1 ? F_STDOUT : F_STDERR;
        uint8_t src[CAP + 40];
        for (size_t k = 0; k < n; k++) src[k] = (uint8_t)(i * 7 + k);
        CHECK(ring_put(&r, t, src, n) == 0);
        size_t keep = n > CAP - FRAME_HDR ? CAP - FRAME_HDR : n; /* a chunk too large keeps its tail */
        memcpy(model[i], src + (n - keep), keep);
        model_n[i] = keep;
        model_t[i] = t;
        /* the model: the newest frames whose headers and payloads fit in CAP */
        size_t used = 0;
        int oldest = i;
        while (oldest >= 0 && used + FRAME_HDR + model_n[oldest] <= CAP) used += FRAME_HDR + model_n[oldest--];
        oldest++;
        if (r.len != used) { bad++; continue; }
        size_t off = 0;
        for (int f = oldest; f <= i; f++) {
            uint8_t type;
            const uint8_t *p1, *p2;
            size_t n1, n2;
            off = ring_frame(&r, off, &type, &p1, &n1, &p2, &n2);
            if (!off || type != model_t[f] || n1 + n2 != model_n[f] || memcmp(p1, model[f], n1) ||
                memcmp(p2, model[f] + n1, n2)) { bad++; break; }
            if (n1 && n2) wrapped_payload++;
        }
        uint8_t type;
        const uint8_t *p1, *p2;
        size_t n1, n2;
        if (off != r.len || ring_frame(&r, off, &type, &p1, &n1, &p2, &n2) != 0) bad++;
    }
    CHECK(bad == 0);
    CHECK(wrapped_payload > 100); /* the wrap itself was exercised */
    ring_free(&r);
}

int main(void) {
    test_framing();
    test_exit_payload();
    test_ring();
    test_ring_wraps();
    DONE("test-proto");
}
