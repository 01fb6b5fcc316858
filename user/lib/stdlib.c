/**
 * @file
 * stdlib.c — strtoul.
 *
 * The one thing to know: a value past ULONG_MAX is ULONG_MAX, as C says, never a
 * wrapped small number a caller would take for real.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

static int digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	const char *p = s;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '+')
		p++;
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	unsigned long n = 0;
	const char *first = p;
	bool over = false;
	for (; base >= 2 && base <= 36 && digit(*p) < base; p++) {
		unsigned long d = (unsigned long)digit(*p);
		over |= n > (~0ul - d) / (unsigned long)base;
		n = n * (unsigned long)base + d;
	}
	if (end)
		*end = (char *)(p == first ? s : p);
	return over ? ~0ul : n;
}
