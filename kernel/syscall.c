/**
 * @file
 * syscall.c — the system-call table and dispatch: the second of three hops
 * (syscall_entry.S → here → the object's file).
 *
 * The one thing to know: the number in rax is user input like every argument; it is
 * range-checked before it indexes the table.
 */
#include <syscall_handlers.h>
#include <thread.h>
#include <abi/error.h>
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/trap.h>

typedef long syscall_fn(const struct syscall_args *a);

static syscall_fn *const syscall_table[SYSCALL_COUNT] = {
#define SYSCALL_TABLE_ENTRY(num, name, params, args) [num] = sys_##name,
	SYSCALLS(SYSCALL_TABLE_ENTRY)
#undef SYSCALL_TABLE_ENTRY
};

/* Called by syscall_entry.S with the user's registers; returns to user mode after. */
void syscall_dispatch(struct trap_frame *tf)
{
	/* LAB 3 BEGIN: system-call dispatch */
	uint64_t number = tf->rax;
	long result = E_NOSYS;

	if (number < SYSCALL_COUNT && syscall_table[number])
		result = syscall_table[number](&tf->args);
	tf->rax = (uint64_t)result;
	/* LAB 3 STUB
	// Check the number in tf->rax, call the handler from syscall_table with the
	// argument registers (tf->args holds them in the ABI's order), and put its result
	// in the user's rax.
	(void)syscall_table;
	tf->rax = (uint64_t)(long)E_NOSYS;
	*/
	/* LAB 3 END */
}

long syscall_restart(void)
{
	struct trap_frame *tf = cpu.current->user_frame;
	tf->rip -= 2;           /* `syscall` is 0f 05; a prefix before it changes nothing */
	return (long)tf->rax;   /* still the number: dispatch writes rax after the handler */
}

long sys_null(const struct syscall_args *a)
{
	(void)a;
	return E_OK;
}
