// The only file in Trawl that includes libgsf's headers.
#include "CTrawlOLE.h"

#include <gsf/gsf.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct trawl_ole {
    GsfInput *input;
    GsfInfile *root;
};

static pthread_once_t gsf_once = PTHREAD_ONCE_INIT;
static void init_gsf(void) { gsf_init(); }

static char *copy_string(const char *s) {
    if (!s) s = "unknown error";
    size_t n = strlen(s) + 1;
    char *out = malloc(n);
    if (out) memcpy(out, s, n);
    return out;
}

trawl_ole *trawl_ole_open(const void *bytes, size_t length, char **error) {
    pthread_once(&gsf_once, init_gsf);
    if (error) *error = NULL;
    /* gsf_input_memory_new with needs_free=TRUE takes the copy and g_free()s it. */
    guint8 *copy = g_try_malloc(length ? length : 1);
    if (!copy) { if (error) *error = copy_string("out of memory"); return NULL; }
    memcpy(copy, bytes, length);
    GsfInput *input = gsf_input_memory_new(copy, (gsf_off_t)length, TRUE);
    if (!input) { g_free(copy); if (error) *error = copy_string("cannot read the bytes"); return NULL; }
    GError *err = NULL;
    GsfInfile *root = gsf_infile_msole_new(input, &err);
    if (!root) {
        if (error) *error = copy_string(err ? err->message : "not an OLE2 compound file");
        if (err) g_error_free(err);
        g_object_unref(input);
        return NULL;
    }
    struct trawl_ole *ole = calloc(1, sizeof *ole);
    if (!ole) { g_object_unref(root); g_object_unref(input); return NULL; }
    ole->input = input;
    ole->root = root;
    return ole;
}

void trawl_ole_close(trawl_ole *ole) {
    if (!ole) return;
    g_object_unref(ole->root);
    g_object_unref(ole->input);
    free(ole);
}

/* Walks `path` ("A/B/C") from the root; returns a new reference or NULL. */
static GsfInput *open_path(trawl_ole *ole, const char *path) {
    GsfInput *current = GSF_INPUT(g_object_ref(ole->root));
    if (!path || !*path) return current;
    char *copy = g_strdup(path);
    char *save = NULL;
    for (char *part = strtok_r(copy, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
        if (!GSF_IS_INFILE(current)) { g_object_unref(current); current = NULL; break; }
        GsfInput *child = gsf_infile_child_by_name(GSF_INFILE(current), part);
        g_object_unref(current);
        current = child;
        if (!current) break;
    }
    g_free(copy);
    return current;
}

int trawl_ole_child_count(trawl_ole *ole, const char *storage) {
    GsfInput *node = open_path(ole, storage);
    if (!node) return -1;
    int count = GSF_IS_INFILE(node) ? gsf_infile_num_children(GSF_INFILE(node)) : -1;
    g_object_unref(node);
    return count;
}

char *trawl_ole_child_name(trawl_ole *ole, const char *storage, int index) {
    GsfInput *node = open_path(ole, storage);
    if (!node) return NULL;
    char *name = NULL;
    if (GSF_IS_INFILE(node)) {
        const char *n = gsf_infile_name_by_index(GSF_INFILE(node), index);
        if (n) name = copy_string(n);
    }
    g_object_unref(node);
    return name;
}

int trawl_ole_read(trawl_ole *ole, const char *path, uint64_t max_bytes, uint8_t **out, size_t *out_length) {
    *out = NULL;
    *out_length = 0;
    GsfInput *node = open_path(ole, path);
    if (!node) return TRAWL_OLE_MISSING;
    gsf_off_t size = gsf_input_size(node);
    if (size < 0) { g_object_unref(node); return TRAWL_OLE_DAMAGED; }
    if ((uint64_t)size > max_bytes) { g_object_unref(node); return TRAWL_OLE_TOO_LARGE; }
    uint8_t *buffer = malloc(size ? (size_t)size : 1);
    if (!buffer) { g_object_unref(node); return TRAWL_OLE_TOO_LARGE; }
    if (size > 0 && !gsf_input_read(node, (size_t)size, buffer)) {
        free(buffer);
        g_object_unref(node);
        return TRAWL_OLE_DAMAGED;
    }
    g_object_unref(node);
    *out = buffer;
    *out_length = (size_t)size;
    return TRAWL_OLE_OK;
}

void trawl_ole_free(void *pointer) { free(pointer); }
