// The only file in Trawl that includes zlib's header.
#include "CTrawlInflate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* window_bits: -15 raw deflate; 32 + 15 zlib or gzip, told apart by the header. */
static int inflate_buffer(int window_bits, const uint8_t *bytes, size_t length, size_t max_out, uint8_t **out, size_t *out_length) {
    *out = NULL;
    *out_length = 0;
    z_stream z = {0};
    if (inflateInit2(&z, window_bits) != Z_OK) return TRAWL_INFLATE_NO_MEMORY;
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

int trawl_inflate_raw(const uint8_t *bytes, size_t length, size_t max_out, uint8_t **out, size_t *out_length) {
    return inflate_buffer(-15, bytes, length, max_out, out, out_length);
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

int trawl_gzip_member(const char *path, int64_t offset, size_t keep, const char *spill, int64_t max_out,
                      uint8_t **head, size_t *head_length, int64_t *member_length, int64_t *out_length) {
    *head = NULL;
    *head_length = 0;
    *member_length = 0;
    *out_length = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return TRAWL_INFLATE_IO;
    if (fseeko(f, (off_t)offset, SEEK_SET) != 0) { fclose(f); return TRAWL_INFLATE_IO; }
    FILE *sink = NULL;
    if (spill && !(sink = fopen(spill, "wb"))) { fclose(f); return TRAWL_INFLATE_IO; }
    z_stream z = {0};
    if (inflateInit2(&z, 15 + 16) != Z_OK) { fclose(f); if (sink) fclose(sink); return TRAWL_INFLATE_NO_MEMORY; }
    enum { IN = 1 << 16, OUT = 1 << 16 };
    uint8_t *in = malloc(IN), *out = malloc(OUT), *kept = keep ? malloc(keep) : NULL;
    int status = TRAWL_INFLATE_OK;
    int64_t consumed = 0, produced = 0;
    size_t kept_length = 0;
    if (!in || !out || (keep && !kept)) status = TRAWL_INFLATE_NO_MEMORY;
    int ended = 0;
    while (status == TRAWL_INFLATE_OK && !ended) {
        if (z.avail_in == 0) {
            size_t have = fread(in, 1, IN, f);
            if (have == 0) { status = produced == 0 && consumed == 0 ? TRAWL_INFLATE_DAMAGED : TRAWL_INFLATE_TRUNCATED; break; }
            z.next_in = in;
            z.avail_in = (uInt)have;
        }
        uInt before_in = z.avail_in;
        z.next_out = out;
        z.avail_out = OUT;
        int r = inflate(&z, Z_NO_FLUSH);
        consumed += before_in - z.avail_in;
        size_t n = OUT - z.avail_out;
        if (r == Z_STREAM_END) ended = 1;
        else if (r != Z_OK && r != Z_BUF_ERROR) { status = TRAWL_INFLATE_DAMAGED; break; }
        if (produced + (int64_t)n > max_out) { status = TRAWL_INFLATE_TOO_LARGE; break; }
        if (kept_length < keep) {
            size_t take = keep - kept_length < n ? keep - kept_length : n;
            memcpy(kept + kept_length, out, take);
            kept_length += take;
        }
        if (sink && n && fwrite(out, 1, n, sink) != n) { status = TRAWL_INFLATE_IO; break; }
        produced += (int64_t)n;
    }
    if (sink && fclose(sink) != 0 && status == TRAWL_INFLATE_OK) status = TRAWL_INFLATE_IO;
    inflateEnd(&z);
    fclose(f);
    free(in);
    free(out);
    *member_length = consumed;
    *out_length = produced;
    if (status == TRAWL_INFLATE_OK || status == TRAWL_INFLATE_TRUNCATED) {
        *head = kept;
        *head_length = kept_length;
    } else {
        free(kept);
    }
    return status;
}

int trawl_inflate_any(const uint8_t *bytes, size_t length, size_t max_out, uint8_t **out, size_t *out_length) {
    /* A bare deflate stream (what some servers send as "deflate") has neither header. */
    int wrapped = length >= 2 && ((bytes[0] == 0x1F && bytes[1] == 0x8B) || ((bytes[0] & 0x0F) == 8 && ((bytes[0] << 8) | bytes[1]) % 31 == 0));
    return inflate_buffer(wrapped ? 32 + 15 : -15, bytes, length, max_out, out, out_length);
}
