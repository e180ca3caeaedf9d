// The only file in Trawl that includes libzip's header.
#include "CTrawlZip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct trawl_zip {
    zip_t *archive;
    void *bytes;    /* our copy; libzip's source frees it */
};

static char *copy_string(const char *s) {
    if (!s) s = "unknown error";
    size_t n = strlen(s) + 1;
    char *out = malloc(n);
    if (out) memcpy(out, s, n);
    return out;
}

static int status_for(int code) {
    switch (code) {
    case ZIP_ER_NOZIP: return TRAWL_ZIP_NOT_ZIP;
    case ZIP_ER_NOPASSWD: case ZIP_ER_WRONGPASSWD: case ZIP_ER_ENCRNOTSUPP: return TRAWL_ZIP_ENCRYPTED;
    case ZIP_ER_COMPNOTSUPP: return TRAWL_ZIP_UNSUPPORTED;
    case ZIP_ER_MEMORY: return TRAWL_ZIP_NO_MEMORY;
    default: return TRAWL_ZIP_DAMAGED;
    }
}

trawl_zip *trawl_zip_open(const void *bytes, size_t length, int strict, int *status, char **error) {
    *status = TRAWL_ZIP_OK;
    if (error) *error = NULL;
    void *copy = malloc(length ? length : 1);
    if (!copy) { *status = TRAWL_ZIP_NO_MEMORY; return NULL; }
    if (length) memcpy(copy, bytes, length);
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *source = zip_source_buffer_create(copy, length, 1, &err);
    if (!source) {
        free(copy);
        *status = status_for(zip_error_code_zip(&err));
        if (error) *error = copy_string(zip_error_strerror(&err));
        zip_error_fini(&err);
        return NULL;
    }
    /* ZIP_CHECKCONS: the central directory must agree with the local headers, so a corrupt
       archive is refused up front instead of misread. */
    zip_t *archive = zip_open_from_source(source, ZIP_RDONLY | (strict ? ZIP_CHECKCONS : 0), &err);
    if (!archive) {
        zip_source_free(source);   /* a failed open leaves the source ours; frees `copy` too */
        *status = status_for(zip_error_code_zip(&err));
        if (error) *error = copy_string(zip_error_strerror(&err));
        zip_error_fini(&err);
        return NULL;
    }
    zip_error_fini(&err);
    struct trawl_zip *z = calloc(1, sizeof *z);
    if (!z) { zip_discard(archive); *status = TRAWL_ZIP_NO_MEMORY; return NULL; }
    z->archive = archive;
    z->bytes = copy;
    return z;
}

void trawl_zip_close(trawl_zip *z) {
    if (!z) return;
    zip_discard(z->archive);   /* read-only: nothing to write back; frees the source */
    free(z);
}

int64_t trawl_zip_count(trawl_zip *z) { return zip_get_num_entries(z->archive, 0); }

const char *trawl_zip_name(trawl_zip *z, uint64_t index, size_t *length) {
    const char *name = zip_get_name(z->archive, index, ZIP_FL_ENC_RAW);
    if (name && length) *length = strlen(name);
    return name;
}

int trawl_zip_stat(trawl_zip *z, uint64_t index, uint64_t *size, uint64_t *compressed_size,
                   int *encrypted, int *method) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->archive, index, ZIP_FL_ENC_RAW, &st) != 0) return -1;
    *size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    *compressed_size = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    *encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;
    *method = (st.valid & ZIP_STAT_COMP_METHOD) ? (int)st.comp_method : -1;
    return 0;
}

int64_t trawl_zip_locate(trawl_zip *z, const char *name) {
    return zip_name_locate(z->archive, name, ZIP_FL_ENC_RAW);
}

int trawl_zip_read(trawl_zip *z, uint64_t index, uint64_t max_bytes, uint8_t **out,
                   size_t *out_length, char **error) {
    *out = NULL;
    *out_length = 0;
    if (error) *error = NULL;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->archive, index, 0, &st) != 0) {
        if (error) *error = copy_string("no such entry");
        return TRAWL_ZIP_DAMAGED;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        if (error) *error = copy_string("the entry is encrypted with a ZIP password");
        return TRAWL_ZIP_ENCRYPTED;
    }
    /* The declared size is a hint only (it may lie); the read below is capped anyway. */
    if ((st.valid & ZIP_STAT_SIZE) && st.size > max_bytes) {
        if (error) *error = copy_string("declared size exceeds the limit");
        return TRAWL_ZIP_TOO_LARGE;
    }
    zip_file_t *file = zip_fopen_index(z->archive, index, 0);
    if (!file) {
        int code = zip_error_code_zip(zip_get_error(z->archive));
        if (error) *error = copy_string(zip_error_strerror(zip_get_error(z->archive)));
        zip_error_clear(z->archive);
        return status_for(code);
    }
    size_t capacity = (st.valid & ZIP_STAT_SIZE) && st.size > 0 ? (size_t)st.size + 1 : 65536;
    if (capacity > max_bytes + 1) capacity = (size_t)max_bytes + 1;
    uint8_t *buffer = malloc(capacity);
    if (!buffer) { zip_fclose(file); return TRAWL_ZIP_NO_MEMORY; }
    size_t used = 0;
    for (;;) {
        if (used == capacity) {
            if (capacity > max_bytes) break;
            size_t next = capacity * 2;
            if (next > max_bytes + 1) next = (size_t)max_bytes + 1;
            uint8_t *grown = realloc(buffer, next);
            if (!grown) { free(buffer); zip_fclose(file); return TRAWL_ZIP_NO_MEMORY; }
            buffer = grown;
            capacity = next;
        }
        zip_int64_t n = zip_fread(file, buffer + used, capacity - used);
        if (n < 0) {
            int code = zip_error_code_zip(zip_file_get_error(file));
            if (error) *error = copy_string(zip_error_strerror(zip_file_get_error(file)));
            free(buffer);
            zip_fclose(file);
            return status_for(code);
        }
        if (n == 0) break;
        used += (size_t)n;
        if (used > max_bytes) break;
    }
    zip_fclose(file);
    if (used > max_bytes) {
        free(buffer);
        if (error) *error = copy_string("expands beyond the limit");
        return TRAWL_ZIP_TOO_LARGE;
    }
    *out = buffer;
    *out_length = used;
    return TRAWL_ZIP_OK;
}

void trawl_zip_free_buffer(uint8_t *buffer) { free(buffer); }
void trawl_zip_free_string(char *string) { free(string); }
