/**
 * @file
 * cmdline.c — finds `key=value` words in a command line.
 *
 * The one thing to know: both GRUB and QEMU's loader put the kernel's own path first,
 * and the line carries words for the kernel and for user programs alike, so words
 * without '=' are skipped, and a key matches only a whole word's start up to its '='.
 * Shared, freestanding code: the kernel and the user library both use it.
 */
#include <cmdline.h>
#include <string.h>

int cmdline_find(const char *cmdline, const char *key, char *out, size_t n)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		const char *word = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - word) > klen && strncmp(word, key, klen) == 0 && word[klen] == '=') {
			const char *v = word + klen + 1;
			size_t len = (size_t)(p - v);
			if (n == 0)
				return 1;
			if (len > n - 1)
				len = n - 1;
			memcpy(out, v, len);
			out[len] = '\0';
			return 1;
		}
	}
	return 0;
}
