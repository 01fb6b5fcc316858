/**
 * @file
 * main.c — hello, the smallest program of the bootfs (bin/hello): one line, then exit.
 *
 * The one thing to know: it is a process (process.h): the process manager loads it from
 * the bootfs into an empty task, pages it in on demand, and gives its exit status —
 * main's return value — to whoever waits for it.
 */
#include <process.h>

int main(int argc, char **argv)
{
	printf("hello: %s, a process loaded from the bootfs, pid %lu\n",
	       argc > 0 ? argv[0] : "?", proc->pid);
	return 0;
}
