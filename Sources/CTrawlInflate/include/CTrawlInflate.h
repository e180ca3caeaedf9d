// zlib behind a few calls: a capped inflate (HWP's raw-deflate streams, ODF-encrypted entries),
// gzip members written piece by piece (WARC files) and the scan that finds where the complete
// members of a gzip file end (a WARC file cut short by a killed run).
#ifndef CTRAWLINFLATE_H
#define CTRAWLINFLATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum trawl_inflate_status {
    TRAWL_INFLATE_OK = 0,
    TRAWL_INFLATE_DAMAGED = 1,     /* not a valid deflate stream */
    TRAWL_INFLATE_TOO_LARGE = 2,   /* the output would exceed max_out */
    TRAWL_INFLATE_TRUNCATED = 3,   /* the input ended before the stream did */
    TRAWL_INFLATE_NO_MEMORY = 4,
};

/// Inflates `length` bytes of raw deflate (no zlib header) into at most `max_out` bytes.
/// Bytes after the end of the stream are ignored. On TRAWL_INFLATE_OK (and TRUNCATED, with
/// what could be read) `*out` is malloc'd (free with trawl_inflate_free).
int trawl_inflate_raw(const uint8_t *bytes, size_t length, size_t max_out, uint8_t **out, size_t *out_length);
void trawl_inflate_free(uint8_t *buffer);

/// One gzip member, compressed as its input arrives. Each call returns the compressed bytes
/// produced so far in `*out` (owned by the writer, valid until the next call).
typedef struct trawl_gzip trawl_gzip;
trawl_gzip *trawl_gzip_open(int level);
int trawl_gzip_write(trawl_gzip *gz, const uint8_t *bytes, size_t length, const uint8_t **out, size_t *out_length);
/// Ends the member (deflate's last block and the gzip trailer).
int trawl_gzip_finish(trawl_gzip *gz, const uint8_t **out, size_t *out_length);
void trawl_gzip_close(trawl_gzip *gz);

/// The length of the longest prefix of the file at `path` made of complete gzip members
/// (0 when the first is incomplete or the file is no gzip); -1 when the file cannot be read.
int64_t trawl_gzip_complete_prefix(const char *path);

#ifdef __cplusplus
}
#endif
#endif
