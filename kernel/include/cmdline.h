/**
 * @file
 * cmdline.h — reading `key=value` words from a command line (shared with user code).
 */
#pragma once

#include <stddef.h>

/*
 * Copies the value of the word `key=value` in cmdline into out (at most n bytes,
 * NUL-terminated, cut to fit) and returns 1; returns 0 if there is no such word.
 */
int cmdline_find(const char *cmdline, const char *key, char *out, size_t n);
