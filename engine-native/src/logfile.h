/* The output log (PROTOCOL.md, "output log"): magic "BERTHLOG1\n", then records
 * [u64 be timestamp ns][u8 stream 1=stdout 2=stderr][u32 be length][bytes]; rotated by size. */
#ifndef BERTH_LOGFILE_H
#define BERTH_LOGFILE_H

#include <stddef.h>
#include <stdint.h>

#define LOG_MAGIC "BERTHLOG1\n"
#define LOG_MAGIC_LEN 10
#define LOG_REC_HDR 13

struct logfile {
    int fd;
    const char *path;
    uint64_t max;     /* rotate when a record would push the file beyond this */
    unsigned files;   /* kept in total, including the current one */
    uint64_t size;
};

int log_open(struct logfile *l, const char *path, uint64_t max, unsigned files);
/* Writes the LOG_REC_HDR bytes that start a record of n bytes. */
void log_rec_header(uint8_t *hdr, uint64_t ts, int stream, size_t n);
/* Appends one record; rotates first when needed. Errors are reported once and logging stops (the container
 * keeps running: a full disk must not kill it). */
int log_write(struct logfile *l, uint64_t ts, int stream, const uint8_t *bytes, size_t n);
/* Appends records already in that format (header and bytes, whole records), rotating between records exactly as
 * log_write does; as few writes as rotation allows. */
int log_write_records(struct logfile *l, const uint8_t *recs, size_t n);
void log_close(struct logfile *l);

#endif
