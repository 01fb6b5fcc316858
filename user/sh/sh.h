/**
 * @file
 * sh.h — the shell's parts: a command line parsed into a command (parse.c), and
 * the jobs and built-ins that run it (main.c).
 *
 * The one thing to know: parsing copies each word out of the typed line into the
 * command's own buffer, quotes taken off and $? put in, so a word is always a plain
 * NUL-terminated string, and a line that cannot be parsed runs nothing.
 */
#ifndef SH_H
#define SH_H

#include <stdbool.h>
#include <proc.h>

#define SH_LINE_MAX     256             /* a typed line longer is cut (as the console's) */
#define SH_ARGS_MAX     (PROC_ARGS_MAX - 3)     /* room left for PWD and two redirections */

struct command {
	int argc;
	char *argv[SH_ARGS_MAX + 1];
	const char *in, *out;           /* < file, > file or >> file; NULL: none */
	bool append;                    /* >> */
	bool background;                /* & at the end */
	char words[2 * SH_LINE_MAX];    /* where argv, in and out point */
};

/* Parses line into *c with $? as `status`; 0 (argc 0 for an empty line), or -1 after
 * printing what is wrong ("sh: ..."). */
int command_parse(const char *line, long status, struct command *c);

#endif
