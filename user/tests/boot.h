/**
 * @file
 * boot.h — the root task's system boot (boot.c), for `make run` without test=.
 *
 * The one thing to know: it does not return while the machine runs; it ends the run
 * itself (debug_shutdown) when the shell asks for a shutdown.
 */
#ifndef BOOT_H
#define BOOT_H

#include <abi/boot_info_page.h>

void system_boot(const struct boot_info_page *bi);

#endif
