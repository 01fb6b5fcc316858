/**
 * @file
 * error_names.h — the names of the kernel's error codes (abi/error.h), for the tests'
 * failure messages: test support, shared by the kernel's scenarios and the user
 * programs' (never the kernel proper).
 *
 * The one thing to know: a code outside the enum gets NULL, so a caller prints the
 * number alone; keep the table in the enum's order.
 */
#pragma once

#include <abi/error.h>

static inline const char *test_error_name(long code)
{
	static const char *const names[] = {
		"E_OK", "E_INVAL", "E_NOMEM", "E_EXISTS", "E_NOENT", "E_NOSYS", "E_FAULT",
		"E_CAP", "E_TYPE", "E_RIGHTS", "E_STATE", "E_FULL", "E_TIMEOUT", "E_GONE",
		"E_TOOLONG",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == 1 - E_TOOLONG, "a code per name");
	return code <= 0 && -code < (long)(sizeof(names) / sizeof(names[0])) ? names[-code]
									      : NULL;
}
