/**
 * @file
 * format.c — printf's engine: parses a format, converts, and pads, into a sink.
 *
 * The one thing to know: this file is freestanding and shared — the kernel's kprintf
 * and the user library's printf both compile it — so it depends on nothing but the
 * sink it is given, which takes one character at a time. Lab 1 writes format_number(),
 * the part that turns an integer into padded digits.
 */
#include <format.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* How one conversion is to be printed: parsed from "%-08lx" and friends. */
struct spec {
	int width;              /* minimum field width; 0 for none */
	bool left;              /* '-': pad on the right */
	bool zero;              /* '0': pad numbers with zeros after the sign */
	unsigned base;          /* 10 or 16 */
	bool upper;             /* %X: digits A-F */
};

static void sink_putc(struct sink *s, char c)
{
	if (s->putc)
		s->putc(c);
	else if (s->len + 1 < s->cap)
		s->buf[s->len] = c;
	s->len++;
}

static void sink_pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		sink_putc(s, c);
}

/**
 * Prints the magnitude `value` in spec->base, after a '-' if `negative`, padded to
 * spec->width: with spaces on the left (default), spaces on the right (spec->left), or
 * zeros between the sign and the digits (spec->zero without spec->left).
 * Examples with width 5: 42 -> "   42", left -> "42   ", zero -> "00042",
 * -42 zero -> "-0042". Zero prints "0". The value may be as large as UINT64_MAX.
 */
static void format_number(struct sink *s, uint64_t value, bool negative,
			  const struct spec *spec)
{
	/* LAB 1 BEGIN: number formatting */
	const char *digits = spec->upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];           /* 2^64 has 20 decimal digits */
	int n = 0;

	/* Digits come out least significant first; print them in reverse. */
	do {
		tmp[n++] = digits[value % spec->base];
		value /= spec->base;
	} while (value != 0);

	int len = n + (negative ? 1 : 0);
	int pad = spec->width > len ? spec->width - len : 0;

	if (!spec->left && !spec->zero)
		sink_pad(s, ' ', pad);
	if (negative)
		sink_putc(s, '-');
	if (!spec->left && spec->zero)
		sink_pad(s, '0', pad);
	while (n > 0)
		sink_putc(s, tmp[--n]);
	if (spec->left)
		sink_pad(s, ' ', pad);
	/* LAB 1 STUB
	// Turn value into digits of spec->base (use '0'-'9', then 'a'-'f' or 'A'-'F'),
	// then print sign, padding and digits as the comment above describes.
	(void)value;
	(void)negative;
	(void)spec;
	sink_putc(s, '?');
	*/
	/* LAB 1 END */
}

static void format_string(struct sink *s, const char *str, const struct spec *spec)
{
	if (!str)
		str = "(null)";
	int len = (int)strlen(str);
	int pad = spec->width > len ? spec->width - len : 0;

	if (!spec->left)
		sink_pad(s, ' ', pad);
	while (*str)
		sink_putc(s, *str++);
	if (spec->left)
		sink_pad(s, ' ', pad);
}

/* The next integer argument, of the size that `longs` l's ask for, widened to 64 bits. */
static int64_t next_signed(va_list *ap, int longs)
{
	return longs ? va_arg(*ap, long) : va_arg(*ap, int);
}

static uint64_t next_unsigned(va_list *ap, int longs)
{
	return longs ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
}

void format(struct sink *s, const char *fmt, va_list args)
{
	va_list ap;     /* a copy whose address we can pass: va_list may be an array type */
	va_copy(ap, args);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			sink_putc(s, *fmt);
			continue;
		}
		struct spec spec = { .base = 10 };
		for (fmt++; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-')
				spec.left = true;
			else
				spec.zero = true;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			spec.width = spec.width * 10 + (*fmt - '0');
		int longs = 0;
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			longs++;        /* long, long long and size_t are all 64 bits here */

		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = next_signed(&ap, longs);
			/* Negate in unsigned arithmetic: -INT64_MIN overflows int64_t. */
			uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
			format_number(s, mag, v < 0, &spec);
			break;
		}
		case 'X':
			spec.upper = true;
			/* fall through */
		case 'x':
			spec.base = 16;
			/* fall through */
		case 'u':
			format_number(s, next_unsigned(&ap, longs), false, &spec);
			break;
		case 'p':
			sink_putc(s, '0');
			sink_putc(s, 'x');
			spec = (struct spec){ .base = 16, .width = 16, .zero = true };
			format_number(s, (uint64_t)va_arg(ap, void *), false, &spec);
			break;
		case 's':
			format_string(s, va_arg(ap, const char *), &spec);
			break;
		case 'c':
			sink_putc(s, (char)va_arg(ap, int));
			break;
		case '%':
			sink_putc(s, '%');
			break;
		case '\0':
			fmt--;          /* a lone % at the end: print nothing more */
			break;
		default:
			/* Unknown conversion: show it rather than guess. */
			sink_putc(s, '%');
			sink_putc(s, *fmt);
			break;
		}
	}
	va_end(ap);
}

int format_buffer(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .cap = n };
	format(&s, fmt, ap);
	if (n > 0)
		buf[s.len < n ? s.len : n - 1] = '\0';
	return (int)s.len;
}
