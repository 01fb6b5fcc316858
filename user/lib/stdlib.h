/**
 * @file
 * stdlib.h — the part of C's stdlib.h that minim's programs use (more in lab 8).
 *
 * The one thing to know: numbers are parsed as C's strtoul does, with no locale: an
 * argument is text from another process, so a number too large wraps nowhere, it stops
 * at ULONG_MAX.
 */
#ifndef USER_STDLIB_H
#define USER_STDLIB_H

/* The number at the start of s in `base` (2 to 36; 0: 0x.. is 16, 0.. is 8, else
 * 10), after spaces and an optional '+'; *end (if end) where it stopped; 0 if none. */
unsigned long strtoul(const char *s, char **end, int base);

/* The value of NAME in the environment the spawner gave (proc.h), or NULL. */
char *getenv(const char *name);

#endif
