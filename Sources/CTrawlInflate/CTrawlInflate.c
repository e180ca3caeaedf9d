// The only file in Trawl that includes zlib's header.
#include "CTrawlInflate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

struct trawl_gzip {
    z_stream z;
    uint8_t *buffer;
    size_t capacity;
};

trawl_gzip *trawl_gzip_open(int level) {
    trawl_gzip *gz = calloc(1, sizeof *gz);
    if (!gz) return NULL;
    /* windowBits 15 + 16: a gzip header and trailer around the deflate stream. */
    if (deflateInit2(&gz->z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) { free(gz); return NULL; }
    return gz;
}

static int run(trawl_gzip *gz, const uint8_t *bytes, size_t length, int flush, const uint8_t **out, size_t *out_length) {
    size_t used = 0;
    size_t consumed = 0;
    for (;;) {
        size_t bound = deflateBound(&gz->z, (uLong)(length - consumed > (1u << 30) ? (1u << 30) : length - consumed)) + 64;
        if (gz->capacity - used < bound) {
            size_t next = used + bound;
            uint8_t *grown = realloc(gz->buffer, next);
            if (!grown) return TRAWL_INFLATE_NO_MEMORY;
            gz->buffer = grown;
            gz->capacity = next;
        }
        size_t chunk = length - consumed > (1u << 30) ? (1u << 30) : length - consumed;
        gz->z.next_in = (Bytef *)(bytes + consumed);
        gz->z.avail_in = (uInt)chunk;
        gz->z.next_out = gz->buffer + used;
        gz->z.avail_out = (uInt)(gz->capacity - used);
        int last = consumed + chunk == length;
        int status = deflate(&gz->z, last ? flush : Z_NO_FLUSH);
        if (status == Z_STREAM_ERROR) return TRAWL_INFLATE_DAMAGED;
        consumed += chunk - gz->z.avail_in;
        used = gz->capacity - gz->z.avail_out;
        if (last && gz->z.avail_in == 0 && (flush == Z_FINISH ? status == Z_STREAM_END : gz->z.avail_out > 0)) break;
    }
    *out = gz->buffer;
    *out_length = used;
    return TRAWL_INFLATE_OK;
}

int trawl_gzip_write(trawl_gzip *gz, const uint8_t *bytes, size_t length, const uint8_t **out, size_t *out_length) {
    return run(gz, bytes, length, Z_NO_FLUSH, out, out_length);
}

int trawl_gzip_finish(trawl_gzip *gz, const uint8_t **out, size_t *out_length) {
    static const uint8_t nothing = 0;
    return run(gz, &nothing, 0, Z_FINISH, out, out_length);
}

void trawl_gzip_close(trawl_gzip *gz) {
    if (!gz) return;
    deflateEnd(&gz->z);
    free(gz->buffer);
    free(gz);
}

int64_t trawl_gzip_complete_prefix(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    z_stream z = {0};
    if (inflateInit2(&z, 15 + 16) != Z_OK) { fclose(f); return -1; }
    enum { IN = 1 << 16, OUT = 1 << 16 };
    uint8_t *in = malloc(IN), *out = malloc(OUT);
    int64_t complete = 0, offset = 0; /* offset: file position of in[0] */
    if (!in || !out) { free(in); free(out); inflateEnd(&z); fclose(f); return -1; }
    size_t have = 0;
    for (;;) {
        if (z.avail_in == 0) {
            offset += (int64_t)have;
            have = fread(in, 1, IN, f);
            if (have == 0) break;
            z.next_in = in;
            z.avail_in = (uInt)have;
        }
        z.next_out = out;
        z.avail_out = OUT;
        int status = inflate(&z, Z_NO_FLUSH);
        if (status == Z_STREAM_END) {
            complete = offset + (int64_t)(z.next_in - in);
            if (inflateReset(&z) != Z_OK) break;
        } else if (status != Z_OK && status != Z_BUF_ERROR) {
            break; /* damaged: what came before stands */
        }
    }
    free(in);
    free(out);
    inflateEnd(&z);
    fclose(f);
    return complete;
}
