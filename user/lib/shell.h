/**
 * @file
 * shell.h — what the shell (user/sh, bin/sh) and the root task that starts it agree on.
 *
 * The one thing to know: the root starts the shell, waits for it, and reads its exit
 * status: SHELL_EXIT_SHUTDOWN (the `shutdown` built-in) means "sync the disk and
 * turn the machine off"; any other end (`exit`, the end of its input, a fault) makes
 * the root start a new shell, as a terminal's login would — but after
 * SHELL_RESTARTS_MAX ends in a row that were not the shell's own exit (a fault, a
 * kill), the root gives up and shuts down.
 */
#ifndef USER_SHELL_H
#define USER_SHELL_H

#define SHELL_PATH              "/bin/sh"
#define SHELL_EXIT_SHUTDOWN     200
#define SHELL_RESTARTS_MAX      3

#endif
