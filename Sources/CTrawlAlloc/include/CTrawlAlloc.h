// glibc allocator settings (malloc.h is not part of Swift's Glibc module).
#ifndef CTRAWLALLOC_H
#define CTRAWLALLOC_H

#include <stddef.h>

/// Serves every allocation of `bytes` or more from its own mapping, returned to the system
/// on free, instead of letting glibc raise that threshold after large frees. Returns 1 on
/// success, 0 where the allocator has no such setting.
int trawl_fixed_mmap_threshold(size_t bytes);

#endif
