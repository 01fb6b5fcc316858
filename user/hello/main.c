/**
 * @file
 * main.c — hello, the smallest program of the bootfs (bin/hello): one line, then exit.
 *
 * The one thing to know: it is not the root task; lab 6's process manager loads it
 * from the bootfs into an empty task, so it owns no capability it could use but its
 * own thread's end — it must not count on the boot-info page its main is handed.
 */
#include <minim.h>

void main(const struct boot_info_page *bi)
{
	static const char line[] = "hello: a program loaded from the bootfs\n";

	(void)bi;
	sys_debug_write(line, sizeof(line) - 1);
	sys_thread_exit();
}
