/**
 * @file
 * boot.h — the root task's system boot (boot.c), for `make run` without test=.
 *
 * The one thing to know: it does not return while the machine runs; it ends the run
 * itself (debug_shutdown) when the shell asks for a shutdown, and returns at once,
 * E_NOENT, in a boot without sigma0 or a bootfs (labs 1 to 5), so that the caller can
 * do something else.
 */
#ifndef BOOT_H
#define BOOT_H

#include <abi/boot_info_page.h>

long system_boot(const struct boot_info_page *bi);

#endif
