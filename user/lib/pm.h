/**
 * @file
 * pm.h — starting the process manager in the root task.
 *
 * The one thing to know: the process manager is not a program of its own but threads
 * of the root task (the L4 tradition's "root task" as process manager), so it holds
 * what the kernel gave the root — sigma0's capability, the bootfs, the whole kernel
 * account — and every process is a task it made, on its own account or on the
 * spawning process's. The root's own code talks to it like any process, through the
 * capability pm_start() returns (badge 0: "the root", who may kill any process).
 */
#ifndef PM_H
#define PM_H

#include <abi/boot_info_page.h>

/* Starts the pm's threads (and the name server, if the bootfs has bin/names); returns
 * the root's capability slot for requests, or a negative error. */
long pm_start(const struct boot_info_page *bi);

/* The root's capability to the name server (0 if the bootfs has none), to look up
 * servers the processes registered (lab 7's drivers, lab 8's file server). */
long pm_names_slot(void);

/* Pool pages the pm holds for processes and programs (for leak tests), and in use. */
unsigned long pm_pages_taken(void);
unsigned long pm_pages_in_use(void);
/* Pages of programs' read-only segments, each made once and shared by every instance. */
unsigned long pm_pages_shared(void);

#endif
