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

/// Inflates the one gzip member that starts at `offset` in the file at `path` (a WARC record):
/// its first `keep` output bytes are returned in `*head` (malloc'd, free with
/// trawl_inflate_free); when `spill` is a path, the whole output is also written to that file.
/// More than `max_out` output bytes is TRAWL_INFLATE_TOO_LARGE. `*member_length` is the
/// member's compressed length (where the next one starts), `*out_length` its inflated length.
/// TRAWL_INFLATE_DAMAGED: no gzip member there; TRAWL_INFLATE_TRUNCATED: the file ends first;
/// TRAWL_INFLATE_IO: a file could not be read or written.
enum { TRAWL_INFLATE_IO = 5 };
int trawl_gzip_member(const char *path, int64_t offset, size_t keep, const char *spill, int64_t max_out,
                      uint8_t **head, size_t *head_length, int64_t *member_length, int64_t *out_length);

/// Inflates a whole gzip or zlib/deflate body (an HTTP Content-Encoding) into at most
/// `max_out` bytes; `*out` as for trawl_inflate_raw.
int trawl_inflate_any(const uint8_t *bytes, size_t length, size_t max_out, uint8_t **out, size_t *out_length);

#ifdef __cplusplus
}
#endif
#endif
