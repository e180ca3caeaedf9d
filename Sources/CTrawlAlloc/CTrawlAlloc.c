#include "CTrawlAlloc.h"

#include <mimalloc.h>
#include <stdlib.h>  // defines __GLIBC__ where glibc is the C library

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int trawl_fixed_mmap_threshold(size_t bytes) {
#if defined(__GLIBC__)
    // Setting the threshold explicitly also turns off glibc's dynamic adjustment of it.
    return mallopt(M_MMAP_THRESHOLD, (int)bytes) == 1;
#else
    (void)bytes;
    return 0;
#endif
}

int trawl_malloc_is_mimalloc(void) {
    // A block from plain malloc lies in mimalloc's heap only if mimalloc's malloc served it.
    void *probe = malloc(16);
    int ours = probe != NULL && mi_is_in_heap_region(probe);
    free(probe);
    return ours;
}

int trawl_mimalloc_version(void) {
    return mi_version();
}
