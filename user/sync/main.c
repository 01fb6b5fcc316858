/**
 * @file
 * main.c — sync: asks the file server to write every block it holds back to the disk,
 * then waits until the console has sent every byte queued so far.
 *
 * The one thing to know: each answer comes only once the work is done (fs.h's
 * FS_SYNC: on the disk; console.h's CONSOLE_SYNC: out of the UART), so after `sync`
 * a quit of QEMU loses nothing; the root runs it before it shuts the machine down.
 */
#include <console.h>
#include <errno.h>
#include <names.h>
#include <process.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int status = 0;
	if (sync() < 0) {
		dprintf(STDERR_FILENO, "sync: %s\n", strerror(errno));
		status = 1;
	}
	long console = names_lookup(proc->names_slot, CONSOLE_NAME);
	if (console > 0)
		console_sync(console);
	return status;
}
