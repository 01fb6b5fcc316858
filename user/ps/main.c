/**
 * @file
 * main.c — ps: the process manager's list (pid, parent, state, pages held).
 *
 * The one thing to know: PM_PS answers from a first pid on, at most 15 processes a
 * reply, in the pm's own order; ps asks again from one past the highest pid it got
 * until a reply is short, and prints them sorted by pid. With more than 15 processes
 * a later page can miss one whose pid is below the highest of an earlier page: the
 * protocol has no cursor.
 */
#include <process.h>

#define PS_MAX  64

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static struct pm_ps_entry all[PS_MAX];
	unsigned count = 0;
	long from = 1;
	for (;;) {
		struct pm_ps_entry e[15];
		long n = pm_ps(proc->pm_slot, from, e, 15);
		if (n < 0) {
			dprintf(2, "ps: %s\n", strerror((int)n));
			return 1;
		}
		for (long i = 0; i < n && count < PS_MAX; i++) {
			all[count++] = e[i];
			if (e[i].pid >= from)
				from = e[i].pid + 1;
		}
		if (n < 15 || count == PS_MAX)
			break;
	}
	for (unsigned i = 1; i < count; i++)    /* insertion sort: few entries */
		for (unsigned j = i; j > 0 && all[j - 1].pid > all[j].pid; j--) {
			struct pm_ps_entry t = all[j];
			all[j] = all[j - 1];
			all[j - 1] = t;
		}
	printf("  PID PARENT STATE   PAGES\n");
	for (unsigned i = 0; i < count; i++)
		printf("%5ld %6ld %-7s %5lu%s\n", all[i].pid, all[i].parent,
		       all[i].state == PM_RUNNING ? "running" : all[i].state == PM_ZOMBIE ?
		       "zombie" : "?", all[i].pages, all[i].pid == (long)proc->pid ? "  (ps)" : "");
	return 0;
}
