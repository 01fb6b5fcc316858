/**
 * @file
 * string.h — the user library's string.h: the shared one (kernel/include/string.h,
 * whose functions kernel/lib/string.c gives both the kernel and user code) and the
 * rest of C's that only user programs need (string_extra.c).
 *
 * The one thing to know: user code finds this file first (-Iuser/lib comes before
 * -Ikernel/include), and #include_next takes the shared header from there, so one
 * `#include <string.h>` gives both halves and the kernel sees only its own.
 */
#ifndef USER_STRING_H
#define USER_STRING_H

#include_next <string.h>

char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* dst must hold strlen(src) + 1 bytes (strcpy) or strlen(dst) + strlen(src) + 1. */
char *strcpy(char *dst, const char *src);
char *strcat(char *dst, const char *src);
/* A copy in malloc's memory; NULL if there is no room. */
char *strdup(const char *s);
/* Copies at most size - 1 bytes and a NUL (size > 0); returns strlen(src), as BSD's. */
size_t strlcpy(char *dst, const char *src, size_t size);
const char *strerror(int err);

#endif
