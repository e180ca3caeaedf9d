// A thin, opaque C interface to libgsf's OLE2 compound-file reader (HWP 5.0, legacy Office).
// Streams are read whole but capped by the caller.
#ifndef CTRAWLOLE_H
#define CTRAWLOLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct trawl_ole trawl_ole;

enum trawl_ole_status {
    TRAWL_OLE_OK = 0,
    TRAWL_OLE_MISSING = 1,     /* no such stream or storage */
    TRAWL_OLE_TOO_LARGE = 2,   /* the stream is larger than the caller's limit */
    TRAWL_OLE_DAMAGED = 3,     /* the stream cannot be read */
};

/// Opens a compound file from a copy of `length` bytes. NULL on failure with a malloc'd
/// message in `error` (free with trawl_ole_free).
trawl_ole *trawl_ole_open(const void *bytes, size_t length, char **error);
void trawl_ole_close(trawl_ole *ole);

/// Number of children of a storage ("" for the root, "BodyText", "ViewText"…), or -1.
int trawl_ole_child_count(trawl_ole *ole, const char *storage);
/// The name of a storage's i-th child (malloc'd, free with trawl_ole_free), or NULL.
char *trawl_ole_child_name(trawl_ole *ole, const char *storage, int index);
/// Reads the stream at `path` (components separated by '/'), at most `max_bytes`.
/// On TRAWL_OLE_OK, `*out` is malloc'd (free with trawl_ole_free).
int trawl_ole_read(trawl_ole *ole, const char *path, uint64_t max_bytes, uint8_t **out, size_t *out_length);

void trawl_ole_free(void *pointer);

#ifdef __cplusplus
}
#endif
#endif
