/**
 * @file
 * main.c — the names program (build/user/names.elf): the name server as a process.
 *
 * The one thing to know: whoever starts names (the process manager) gives it its
 * endpoint's receive capability in slot NAMES_PROGRAM_ENDPOINT_SLOT, keeps a send
 * capability with the badge NAMES_BADGE_PM for its death notices, badges every other
 * process's capability with its pid, and runs names at a priority above its own
 * (names.c says why). The thread's argument is not read: a process started by the pm
 * has no boot-info page.
 */
#include <minim.h>
#include <names.h>

void main(const struct boot_info_page *bi)
{
	(void)bi;
	long r = names_serve(NAMES_PROGRAM_ENDPOINT_SLOT);
	printf("names: stopped serving (%ld)\n", r);
}
