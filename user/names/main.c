/**
 * @file
 * main.c — the names program (bin/names in the bootfs): the name server as a process.
 *
 * The one thing to know: the process manager starts it first, passing the receive
 * capability of the endpoint every other process gets a badged send capability to
 * (its first passed capability, proc_info.caps[0]); it keeps a send capability badged
 * NAMES_BADGE_PM for its death notices, and runs names at a priority above its own
 * (names.c says why).
 */
#include <names.h>
#include <process.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	long r = proc->cap_count > 0 ? names_serve(proc->caps[0]) : E_CAP;
	printf("names: stopped serving (%ld)\n", r);
	return 1;
}
