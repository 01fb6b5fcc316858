/**
 * @file
 * string.h — the few C library string and memory functions the kernel uses.
 *
 * GCC may emit calls to memcpy, memmove, memset and memcmp on its own (for struct
 * copies), even with -ffreestanding, so these four must exist.
 */
#pragma once

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
