// zlib's inflate behind one capped call: HWP's raw-deflate streams and ODF-encrypted entries.
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

#ifdef __cplusplus
}
#endif
#endif
