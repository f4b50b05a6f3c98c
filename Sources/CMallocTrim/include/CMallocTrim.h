#ifndef CMALLOCTRIM_H
#define CMALLOCTRIM_H

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#endif

/// Returns the memory glibc keeps in its arenas after free() to the operating system
/// (malloc_trim(0)); 1 when some was returned. Does nothing (returns 0) without glibc.
static inline int dubbelslot_malloc_trim(void) {
#if defined(__linux__) && defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}

/// Caps the number of glibc malloc arenas at `count` (mallopt(M_ARENA_MAX)); 1 on success.
/// Does nothing (returns 0) without glibc.
static inline int dubbelslot_limit_malloc_arenas(int count) {
#if defined(__linux__) && defined(__GLIBC__)
    return mallopt(M_ARENA_MAX, count);
#else
    return 0;
#endif
}

/// Fixes glibc's mmap threshold at `bytes` (mallopt(M_MMAP_THRESHOLD)); 1 on success. Every
/// allocation of at least `bytes` is then its own mapping, returned to the system when freed; a
/// fixed threshold also stops glibc from raising it after each large free, which otherwise moves
/// later large buffers onto the heap, where they stay resident. Does nothing (returns 0) without glibc.
static inline int dubbelslot_fix_mmap_threshold(int bytes) {
#if defined(__linux__) && defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    return 0;
#endif
}

#endif
