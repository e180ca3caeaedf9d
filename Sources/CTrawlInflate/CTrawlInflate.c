// The only file in Trawl that includes zlib's header.
#include "CTrawlInflate.h"

#include <stdlib.h>
#include <zlib.h>

int trawl_inflate_raw(const uint8_t *bytes, size_t length, size_t max_out, uint8_t **out, size_t *out_length) {
    *out = NULL;
    *out_length = 0;
    z_stream z = {0};
    if (inflateInit2(&z, -15) != Z_OK) return TRAWL_INFLATE_NO_MEMORY;
    size_t capacity = length * 4 + 1024;
    if (capacity > max_out + 1) capacity = max_out + 1;
    uint8_t *buffer = malloc(capacity);
    if (!buffer) { inflateEnd(&z); return TRAWL_INFLATE_NO_MEMORY; }
    size_t used = 0, consumed = 0;
    int status = TRAWL_INFLATE_OK;
    for (;;) {
        if (used == capacity) {
            if (capacity > max_out) { status = TRAWL_INFLATE_TOO_LARGE; break; }
            size_t next = capacity * 2;
            if (next > max_out + 1) next = max_out + 1;
            uint8_t *grown = realloc(buffer, next);
            if (!grown) { status = TRAWL_INFLATE_NO_MEMORY; break; }
            buffer = grown;
            capacity = next;
        }
        /* zlib counts in uInt: feed at most 1 GiB at a time. */
        size_t in_left = length - consumed;
        z.next_in = (Bytef *)(bytes + consumed);
        z.avail_in = (uInt)(in_left > (1u << 30) ? (1u << 30) : in_left);
        z.next_out = buffer + used;
        size_t out_left = capacity - used;
        z.avail_out = (uInt)(out_left > (1u << 30) ? (1u << 30) : out_left);
        uInt in_before = z.avail_in, out_before = z.avail_out;
        int rc = inflate(&z, Z_NO_FLUSH);
        consumed += in_before - z.avail_in;
        used += out_before - z.avail_out;
        if (used > max_out) { status = TRAWL_INFLATE_TOO_LARGE; break; }
        if (rc == Z_STREAM_END) break;
        if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR) {
            status = rc == Z_MEM_ERROR ? TRAWL_INFLATE_NO_MEMORY : TRAWL_INFLATE_DAMAGED;
            break;
        }
        if (consumed == length && z.avail_out > 0) {
            /* The input ran out before the stream's end. */
            status = TRAWL_INFLATE_TRUNCATED;
            break;
        }
        if (in_before == z.avail_in && out_before == z.avail_out && z.avail_out > 0) {
            status = TRAWL_INFLATE_DAMAGED;   /* no progress: never spin */
            break;
        }
    }
    inflateEnd(&z);
    if (status == TRAWL_INFLATE_OK || status == TRAWL_INFLATE_TRUNCATED) {
        *out = buffer;
        *out_length = used;
    } else {
        free(buffer);
    }
    return status;
}

void trawl_inflate_free(uint8_t *buffer) { free(buffer); }
