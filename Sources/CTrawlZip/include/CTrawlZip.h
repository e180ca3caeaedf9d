// A thin, opaque C interface to libzip for reading ZIP containers (OOXML, ODF, HWPX, bundles)
// from memory. Every read is capped: an entry is read only up to the caller's limit, so a
// ZIP bomb costs at most that many bytes.
#ifndef CTRAWLZIP_H
#define CTRAWLZIP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct trawl_zip trawl_zip;

enum trawl_zip_status {
    TRAWL_ZIP_OK = 0,
    TRAWL_ZIP_NOT_ZIP = 1,      /* no ZIP structure found */
    TRAWL_ZIP_DAMAGED = 2,      /* inconsistent or truncated archive, CRC mismatch, bad data */
    TRAWL_ZIP_ENCRYPTED = 3,    /* the entry is encrypted with a ZIP password */
    TRAWL_ZIP_TOO_LARGE = 4,    /* the entry expands beyond the caller's limit */
    TRAWL_ZIP_UNSUPPORTED = 5,  /* a compression method libzip does not read */
    TRAWL_ZIP_NO_MEMORY = 6,
};

/// Opens a ZIP archive from a copy of `length` bytes (the caller's buffer may go away).
/// `strict`: the central directory must agree with the local headers (ZIP_CHECKCONS).
/// On failure returns NULL with the reason in `status` and a malloc'd message in `error`
/// (free with trawl_zip_free_string).
trawl_zip *trawl_zip_open(const void *bytes, size_t length, int strict, int *status, char **error);
void trawl_zip_close(trawl_zip *zip);

int64_t trawl_zip_count(trawl_zip *zip);
/// An entry's name as stored (raw bytes, NUL-terminated; borrowed until close), or NULL.
const char *trawl_zip_name(trawl_zip *zip, uint64_t index, size_t *length);
/// Facts about an entry. Returns 0, or -1 if the index is invalid.
int trawl_zip_stat(trawl_zip *zip, uint64_t index, uint64_t *size, uint64_t *compressed_size,
                   int *encrypted, int *method);
/// The index of the entry with this exact name, or -1.
int64_t trawl_zip_locate(trawl_zip *zip, const char *name);
/// Reads an entry, at most `max_bytes` of it. Returns a status; on TRAWL_ZIP_OK `*out` is a
/// malloc'd buffer of `*out_length` bytes (free with trawl_zip_free_buffer). A message for a
/// failure goes to `error` (malloc'd, free with trawl_zip_free_string).
int trawl_zip_read(trawl_zip *zip, uint64_t index, uint64_t max_bytes, uint8_t **out,
                   size_t *out_length, char **error);

void trawl_zip_free_buffer(uint8_t *buffer);
void trawl_zip_free_string(char *string);

#ifdef __cplusplus
}
#endif
#endif
