#include "CTrawlAlloc.h"

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
