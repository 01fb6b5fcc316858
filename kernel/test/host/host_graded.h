/**
 * @file
 * host_graded.h — what the graded host tests (grade/engine/host.py) share: the
 * grader's words on the command line, the challenge drawn from its seed, the done line.
 *
 * The one thing to know: run by the grader, the program gets a boot's command-line
 * words (test=NAME nonce=N seed=S), prints lines the lab file computes from the seed
 * and must end with "ktest: NAME done nonce=N"; run alone (`make unit`) it gets no
 * words, draws from the default seed and checks itself.
 */
#pragma once

#include <cmdline.h>
#include <stdbool.h>
#include <stdio.h>
#include <test/challenge.h>

struct host_run {
	bool graded;                    /* test= and nonce= were given */
	char test[64], nonce[40];
	struct challenge challenge;     /* of seed=, or the default */
};

static inline struct host_run host_run_start(int argc, char **argv)
{
	struct host_run run = { 0 };
	char line[512] = "";

	setvbuf(stdout, NULL, _IOLBF, 0);       /* lines out before a sanitizer stops us */
	for (int i = 1, at = 0; i < argc && at < (int)sizeof(line); i++)
		at += snprintf(line + at, sizeof(line) - at, "%s ", argv[i]);
	run.graded = cmdline_find(line, "test", run.test, sizeof(run.test)) &&
		     cmdline_find(line, "nonce", run.nonce, sizeof(run.nonce));
	run.challenge = challenge_from_cmdline(line);
	return run;
}

/* The exit status: graded, the done line and 0 (the grader judges the lines); run
 * alone, 0 only if the program found nothing wrong. */
static inline int host_run_end(const struct host_run *run, bool ok)
{
	if (!run->graded)
		return ok ? 0 : 1;
	printf("ktest: %s done nonce=%s\n", run->test, run->nonce);
	return 0;
}
