/**
 * @file
 * main.c — bin/t8, lab 8's test process: a client of the file server that the root
 * starts in a role and may kill.
 *
 * The one thing to know: `t8 hold N PATH` opens PATH N times and then waits for ever,
 * so that the root can kill a process holding N open files and ask the server whether
 * it let go of them (fs.h: the server learns of the death through the session's token).
 */
#include <fs.h>
#include <process.h>
#include <stdlib.h>

static struct fs_conn conn;

int main(int argc, char **argv)
{
	if (argc < 4 || strcmp(argv[1], "hold") != 0) {
		printf("t8: usage: t8 hold N PATH\n");
		return 2;
	}
	long r = fs_connect(&conn, (long)proc->names_slot, (void *)FS_CLIENT_BUF);
	if (r != 0) {
		printf("t8: no file server (%ld)\n", r);
		return 1;
	}
	unsigned long n = strtoul(argv[2], NULL, 10), held = 0;
	for (unsigned long i = 0; i < n; i++) {
		uint64_t size;
		held += fs_open(&conn, argv[3], O_RDONLY, &size) >= 0;
	}
	printf("t8: holding %lu of %lu\n", held, n);
	long ep = sys_endpoint_create();
	struct msg m;
	for (;;)
		ipc_receive(ep, &m, IPC_TIMEOUT_INFINITE);
}
