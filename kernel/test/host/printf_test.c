/**
 * @file
 * printf_test.c — lab 1's printf engine (kernel/lib/format.c) compiled for the host,
 * under AddressSanitizer and UBSan: the widest values of every conversion, every
 * flag and width, and conversions drawn from the grader's seed.
 *
 * The one thing to know: it runs two ways. With the words of a grader's boot
 * (test=printf_sanitized nonce=... seed=...; grade/engine/host.py) it prints each
 * conversion's result and the done line, and grade/lab1.py computes the lines
 * expected from the same seed; a digit buffer one byte short, which a boot cannot
 * see, stops it with the sanitizer's report. Run alone (`make unit`) it checks the
 * same conversions against the host C library's snprintf.
 */
#include <format.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_graded.h"

#define DRAWN 200

static bool graded;             /* print for the grader, or compare with the C library */
static unsigned compared, mismatches;

/* Formats with ours (into a buffer just big enough, so an overrun is the sanitizer's)
 * and, run alone, with the C library's; prints "fmt <spec>: [<ours>]" when graded. */
static void conversion(const char *spec, ...)
{
	va_list ap, again;
	char ours[128], theirs[128];

	va_start(ap, spec);
	va_copy(again, ap);
	int n = format_buffer(ours, sizeof(ours), spec, ap);
	if (graded) {
		printf("fmt %s: [%s] %d\n", spec, ours, n);
	} else {
		int m = vsnprintf(theirs, sizeof(theirs), spec, again);
		compared++;
		if (n != m || strcmp(ours, theirs) != 0) {
			mismatches++;
			printf("    %s: ours [%s] %d, the C library's [%s] %d\n", spec, ours, n,
			       theirs, m);
		}
	}
	va_end(again);
	va_end(ap);
}

/* The widest value of every conversion, in every padding, and widths past any
 * digit buffer: what a too-short buffer or a sign counted twice gets wrong. */
static void extremes(void)
{
	static const char *flags[] = { "", "-", "0", "-0", "0-" };
	static const char *widths[] = { "", "1", "19", "20", "21", "24", "40" };
	char spec[32];

	for (unsigned f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
		for (unsigned w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
			snprintf(spec, sizeof(spec), "%%%s%sld", flags[f], widths[w]);
			conversion(spec, (long)INT64_MIN);
			conversion(spec, (long)INT64_MAX);
			conversion(spec, -1L);
			snprintf(spec, sizeof(spec), "%%%s%slu", flags[f], widths[w]);
			conversion(spec, (unsigned long)UINT64_MAX);
			conversion(spec, 0UL);
			snprintf(spec, sizeof(spec), "%%%s%slx", flags[f], widths[w]);
			conversion(spec, (unsigned long)UINT64_MAX);
			snprintf(spec, sizeof(spec), "%%%s%sd", flags[f], widths[w]);
			conversion(spec, (int)INT32_MIN);
			snprintf(spec, sizeof(spec), "%%%s%su", flags[f], widths[w]);
			conversion(spec, (unsigned)UINT32_MAX);
		}
	}
}

/* grade/lab1.py's printf_sanitized() draws the same: conversion, flags, width (up to
 * 30, past the widest number), a number of 1 to 64 significant bits, a sign. */
static void drawn(struct challenge *c)
{
	static const char *convs[] = { "d", "i", "u", "x", "X", "ld", "lu", "lx", "lX" };
	static const char *flags[] = { "", "-", "0", "-0", "0-" };
	char spec[32];

	for (int i = 0; i < DRAWN; i++) {
		unsigned conv = (unsigned)challenge_range(c, 0, 8);
		unsigned flag = (unsigned)challenge_range(c, 0, 4);
		unsigned width = (unsigned)challenge_range(c, 0, 30);
		unsigned bits = (unsigned)challenge_range(c, 1, 64);
		uint64_t v = challenge_next(c) >> (64 - bits);
		bool negative = challenge_next(c) & 1;

		if (width)
			snprintf(spec, sizeof(spec), "%%%s%u%s", flags[flag], width, convs[conv]);
		else
			snprintf(spec, sizeof(spec), "%%%s%s", flags[flag], convs[conv]);
		if (conv <= 1) {
			int mag = (int)(v & 0x7fffffff);
			conversion(spec, negative ? -mag : mag);
		} else if (conv <= 4) {
			conversion(spec, (unsigned)v);
		} else if (conv == 5) {
			long mag = (long)(v & 0x7fffffffffffffff);
			conversion(spec, negative ? -mag : mag);
		} else {
			conversion(spec, (unsigned long)v);
		}
	}
}

int main(int argc, char **argv)
{
	struct host_run run = host_run_start(argc, argv);

	graded = run.graded;
	extremes();
	drawn(&run.challenge);
	if (!graded)
		printf("printf: %u conversions, %u differ from the C library's\n", compared,
		       mismatches);
	return host_run_end(&run, mismatches == 0);
}
