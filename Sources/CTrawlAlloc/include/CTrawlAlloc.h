// Allocator settings and checks (malloc.h is not part of Swift's Glibc module).
#ifndef CTRAWLALLOC_H
#define CTRAWLALLOC_H

#include <stddef.h>

/// Serves every allocation of `bytes` or more from its own mapping, returned to the system
/// on free, instead of letting glibc raise that threshold after large frees. Returns 1 on
/// success, 0 where the allocator has no such setting. Matters only where glibc's malloc
/// serves the process (see trawl_malloc_is_mimalloc).
int trawl_fixed_mmap_threshold(size_t bytes);

/// 1 when `malloc` is mimalloc's (the executable links it ahead of the C library), 0 when
/// it is the C library's.
int trawl_malloc_is_mimalloc(void);

/// mimalloc's version, e.g. 209 for 2.0.9.
int trawl_mimalloc_version(void);

#endif
