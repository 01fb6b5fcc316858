/**
 * @file
 * process.h — everything a program that runs as a process needs, in one include.
 *
 * The one thing to know: a process starts at crt0_proc.S, whose proc_start() reads the
 * proc_info page the process manager gave it, sets up argv and the heap, and calls
 * main(argc, argv); main's return value is the exit status the parent's wait() gets
 * (0 to 255), as from exit(). The root task and sigma0 are not processes: they include
 * minim.h, whose main takes the kernel's boot-info page.
 */
#ifndef USER_PROCESS_H
#define USER_PROCESS_H

#include <abi/error.h>
#include <abi/ipc.h>
#include <abi/layout.h>
#include <abi/syscall.h>
#include <abi/utcb.h>
#include <ipc.h>
#include <proc.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <utcb.h>

int main(int argc, char **argv);

/* This process's proc_info page (read-only). */
extern const struct proc_info *proc;

/* Ends the process with status (0 to 255): the pm destroys it and tells the parent. */
_Noreturn void exit(int status);

/* spawn(argv, caps, rights, n): a child process running argv[0] from the bootfs, given
 * the capabilities caps[0..n) with rights[0..n); its pid, or a negative error. */
long spawn(const char *const argv[], const long caps[], const unsigned rights[],
	   unsigned cap_count);
/* The same with an environment: envp, NULL-terminated NAME=value strings (proc.h). */
long spawn_env(const char *const argv[], const char *const envp[], const long caps[],
	       const unsigned rights[], unsigned cap_count);
/* Waits for the child pid to end; its status, or a negative error. */
long wait(long pid);
/* Kills the child pid: 0, or a negative error. */
long kill(long pid);

#endif
