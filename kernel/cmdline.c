/**
 * @file
 * cmdline.c — finds `key=value` words on the kernel command line.
 *
 * The one thing to know: both GRUB and QEMU's loader pass the kernel's own path as the
 * first word, so words without '=' are skipped rather than counted.
 */
#include <boot_info.h>
#include <string.h>

int cmdline_get(const char *key, char *out, size_t n)
{
	size_t klen = strlen(key);
	const char *p = boot_info.cmdline;

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
