/**
 * @file
 * abi/syscall.h — the list of system calls, from which the kernel's table and the user
 * stubs are both generated.
 *
 * The one thing to know: this X-macro list is the only place a system call is declared.
 * Each entry is X(number, name, (user parameters), (the same names as arguments)).
 * kernel/syscall.c expands it into the dispatch table; user/lib/syscall.h into one
 * inline stub per call (`sys_<name>`). The ABI: number in rax, arguments in rdi, rsi,
 * rdx, r10, r8, r9 (rcx and r11 are taken by the syscall instruction), result in rax —
 * a value >= 0, or a negative error from abi/error.h.
 */
#ifndef ABI_SYSCALL_H
#define ABI_SYSCALL_H

#define SYSCALLS(X)                                                                    \
	/* Does nothing: the cost of entering and leaving the kernel. */               \
	X(0, null, (void), ())                                                         \
	/* Writes len (at most DEBUG_WRITE_MAX) bytes at buf to the kernel console. */ \
	X(1, debug_write, (const char *buf, unsigned long len), (buf, len))            \
	/* The time-stamp counter: guest instructions under QEMU -icount. */           \
	X(2, debug_clock, (void), ())                                                  \
	/* Ends a test run: the kernel prints its done line and stops the machine.     \
	 * Needs the debug capability (the root task's boot-info page names it). */     \
	X(3, debug_shutdown, (long debug_slot, long status), (debug_slot, status))     \
	/* A new thread, stopped, in the task named by task_slot; returns its slot. */ \
	X(4, thread_create, (long task_slot, long priority), (task_slot, priority))    \
	/* Starts a stopped thread at entry, with stack pointer stack and rdi = arg. */ \
	X(5, thread_start, (long thread_slot, unsigned long entry, unsigned long stack, \
			    unsigned long arg),                                        \
	  (thread_slot, entry, stack, arg))                                            \
	/* Ends the calling thread; never returns. */                                  \
	X(6, thread_exit, (void), ())                                                  \
	/* A new, empty task (the kernel half only), with an account of quota_pages   \
	 * pages of kernel memory, paid (with TASK_FIXED_COST_PAGES) by the account of \
	 * the task in parent_slot (0: the caller's own), whose child it is: it dies  \
	 * with it. Returns its slot in the caller's table, or E_NOMEM if no room. */  \
	X(7, task_create, (long parent_slot, unsigned long quota_pages),               \
	  (parent_slot, quota_pages))                                                  \
	/* Gives the processor to the next ready thread of the same priority. */       \
	X(8, yield, (void), ())                                                        \
	/* Sets a thread's priority: at least 1, at most the caller's own. */          \
	X(9, thread_priority, (long thread_slot, long priority), (thread_slot, priority)) \
	/* Send and/or receive a message: see abi/ipc.h for the registers. */          \
	X(10, ipc, (long dest, long src, unsigned long flags, unsigned long tag,       \
		    unsigned long mr0, unsigned long mr1),                             \
	  (dest, src, flags, tag, mr0, mr1))                                           \
	/* A new endpoint; returns a capability slot with all rights. */               \
	X(11, endpoint_create, (void), ())                                             \
	/* Copies the capability in src_slot into the task in task_slot with only     \
	 * `rights` and, if it has none yet, `badge`; returns the new slot there. */   \
	X(12, cap_copy, (long task_slot, long src_slot, unsigned long rights,          \
			 unsigned long badge),                                         \
	  (task_slot, src_slot, rights, badge))                                        \
	/* Empties a capability slot. */                                               \
	X(13, cap_delete, (long slot), (slot))                                         \
	/* Ends another thread, as if it had exited (its IPC partners see E_GONE). */  \
	X(14, thread_kill, (long thread_slot), (thread_slot))                          \
	/* Takes back the pages of a flexpage of the caller's from everyone it mapped \
	 * them to, recursively (UNMAP_SELF: from the caller too); returns the count. \
	 * Restartable: it may change rsi and rdx (abi/ipc.h, UNMAP_WORK_PER_ENTRY). */ \
	X(15, unmap, (unsigned long fpage, unsigned long flags), (fpage, flags))       \
	/* Sets where a thread's page faults and other exceptions go (endpoint slots \
	 * with the send right; 0: none). */                                          \
	X(16, thread_handlers, (long thread_slot, long pager_slot, long exception_slot), \
	  (thread_slot, pager_slot, exception_slot))                                   \
	/* Limits the kernel memory (pages, at most TASK_QUOTA_MAX_PAGES) a task's    \
	 * page tables and mappings may use. */                                       \
	X(17, task_quota, (long task_slot, unsigned long pages), (task_slot, pages))   \
	/* Copies the kernel's object and memory counts (abi/debug.h) to *out; needs  \
	 * the debug capability. For tests that look for leaks. */                    \
	X(18, debug_stats, (long debug_slot, void *out), (debug_slot, out))            \
	/* Destroys a task and everything it holds and created (lab 6); capabilities   \
	 * naming it stay, and every call on them returns E_GONE. E_STATE for a task   \
	 * made at boot. A task may destroy itself: then the call does not return. */  \
	X(19, task_destroy, (long task_slot), (task_slot))                             \
	/* Test scaffolding for labs 3 to 5, which come before user-level loading:    \
	 * fills an empty task with a fresh copy of the root task's program (boot     \
	 * module 0), so its threads can run the root's functions in their own address \
	 * space. Needs the debug capability; E_EXISTS if a page is in the way. */      \
	X(20, debug_clone, (long debug_slot, long task_slot), (debug_slot, task_slot)) \
	/* Lab 7: a capability to interrupt line `line` (0 to 23), made with the IRQ   \
	 * control capability (the root's boot-info page names it); returns its slot. */ \
	X(21, irq_control, (long control_slot, long line), (control_slot, line))       \
	/* Sends the line's interrupts to the endpoint in endpoint_slot (the send     \
	 * right, a non-zero badge: the bits its notifications carry) and unmasks it;  \
	 * endpoint_slot 0 unbinds and masks it. */                                    \
	X(22, irq_bind, (long irq_slot, long endpoint_slot), (irq_slot, endpoint_slot)) \
	/* Unmasks the line again after its interrupt was received (E_STATE: unbound). */ \
	X(23, irq_ack, (long irq_slot), (irq_slot))                                    \
	/* OR-s the capability's badge (non-zero; the send right) into the endpoint's  \
	 * notification word, never blocking: see abi/ipc.h, IPC_LABEL_NOTIFY. */       \
	X(24, endpoint_signal, (long endpoint_slot), (endpoint_slot))

/* SYS_null, SYS_debug_write, ...: the numbers, as an enum. */
enum syscall_number {
#define SYSCALL_ENUM(num, name, params, args) SYS_##name = num,
	SYSCALLS(SYSCALL_ENUM)
#undef SYSCALL_ENUM
	SYSCALL_COUNT
};

/*
 * The most bytes one debug_write prints (more: E_INVAL). The console is polled with
 * interrupts off, about 19 guest instructions a byte under QEMU (and on a real UART at
 * 115200 baud, 87 us a byte), so a call prints no more than a line or three: 256 bytes
 * take about 5,000 instructions, 4,096 took 78,000.
 */
#define DEBUG_WRITE_MAX 256

/* The largest quota task_quota accepts: 2^32 pages, 16 TiB, more memory than a machine
 * minim runs on has; a larger number is refused (E_INVAL), not wrapped. */
#define TASK_QUOTA_MAX_PAGES (1ul << 32)

/* What the kernel charges to a task's account (lab 6), in pages: a thread (its struct,
 * kernel stack and UTCB), and a task it creates (besides the child's own quota). */
#define THREAD_COST_PAGES 5
#define TASK_FIXED_COST_PAGES 5

/* Priorities: 0 (lowest, never used by user threads: the idle thread's) to PRIO_MAX. */
#define PRIO_MAX 63

#endif
