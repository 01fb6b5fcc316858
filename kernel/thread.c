/**
 * @file
 * thread.c — creating, starting, switching and ending threads.
 *
 * The one thing to know: a thread cannot free the kernel stack it is running on, so a
 * thread that ends itself only marks itself dead and joins a list; the next thread to
 * run frees the stack (thread_reap, called right after every switch). A thread killed
 * by another is freed at once.
 */
#include <frame.h>
#include <ipc_core.h>
#include <endpoint.h>
#include <kmem.h>
#include <panic.h>
#include <ring.h>
#include <sched.h>
#include <task.h>
#include <thread.h>
#include <abi/error.h>
#include <abi/utcb.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/fpu.h>
#include <arch/x86_64/gdt.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/syscall_arch.h>

/* Each stack slot: one unmapped guard page, then the stack pages. */
#define KSTACK_PAGES    3
#define KSTACK_SLOT     ((KSTACK_PAGES + 1) * PAGE_SIZE)
#define KSTACK_SLOTS    (KSTACK_AREA_SIZE / KSTACK_SLOT)
_Static_assert(KSTACK_SLOTS == THREAD_MAX, "thread.h's THREAD_MAX counts the stack slots");
_Static_assert(sizeof(struct thread) + (KSTACK_PAGES + 1) * PAGE_SIZE <= THREAD_COST,
	       "THREAD_COST covers a thread's struct, kernel stack and UTCB");

static KMEM_POOL(thread_pool, struct thread);
static uint64_t kstack_used[KSTACK_SLOTS / 64];
struct thread *thread_zombies;          /* dead, stacks not yet freed (linked by next) */
static struct thread idle_thread;
static uint32_t next_thread_id = 1;

void context_switch(uint64_t *save_rsp, uint64_t next_rsp);
_Noreturn void jump_to(uint64_t rsp, const char *where);
extern char thread_first_run[], kernel_boot_stack_top[], syscall_resume[], syscall_return[],
	context_unpark[];

static uint64_t kstack_base(int index)
{
	return KSTACK_AREA + (uint64_t)index * KSTACK_SLOT + PAGE_SIZE;    /* past the guard */
}

static void kstack_free(int index)
{
	for (int i = 0; i < KSTACK_PAGES; i++) {
		uint64_t va = kstack_base(index) + (uint64_t)i * PAGE_SIZE;
		uint64_t pa = pt_translate(kernel_pml4, va);
		if (pa != PT_NO_MAPPING) {
			pt_unmap(kernel_pml4, va);
			frame_free(pa);
		}
	}
	kstack_used[index / 64] &= ~(1ull << (index % 64));
}

/* A mapped kernel stack; returns its slot index, or -1 when out of memory or slots. */
static int kstack_alloc(void)
{
	for (unsigned index = 0; index < KSTACK_SLOTS; index++) {
		if (kstack_used[index / 64] & (1ull << (index % 64)))
			continue;
		kstack_used[index / 64] |= 1ull << (index % 64);
		for (int i = 0; i < KSTACK_PAGES; i++) {
			uint64_t pa = frame_alloc();
			if (!pa || pt_map(kernel_pml4, kstack_base(index) + (uint64_t)i * PAGE_SIZE,
					  pa, 1, PTE_WRITE | PTE_GLOBAL | pte_nx) != E_OK) {
				if (pa)
					frame_free(pa);
				kstack_free(index);
				return -1;
			}
		}
		return (int)index;
	}
	return -1;
}

struct thread *thread_create(struct task *task, unsigned priority)
{
	if (!task_charge(task, THREAD_COST))
		return NULL;
	struct thread *t = kmem_alloc(&thread_pool);
	if (!t) {
		task_refund(task, THREAD_COST);
		return NULL;
	}
	t->kstack_index = kstack_alloc();
	if (t->kstack_index < 0) {
		kmem_free(&thread_pool, t);
		task_refund(task, THREAD_COST);
		return NULL;
	}
	uint64_t utcb_pa;
	t->utcb_index = task_utcb_alloc(task, &t->utcb_va, &utcb_pa);
	if (t->utcb_index < 0) {
		kstack_free(t->kstack_index);
		kmem_free(&thread_pool, t);
		task_refund(task, THREAD_COST);
		return NULL;
	}
	t->utcb = P2V(utcb_pa);
	t->utcb->self = t->utcb_va;

	t->task = task;
	t->priority = (uint8_t)priority;
	t->state = THREAD_STOPPED;
	t->id = next_thread_id++;
	t->kstack_top = kstack_base(t->kstack_index) + KSTACK_PAGES * PAGE_SIZE;
	t->user_frame = (struct trap_frame *)t->kstack_top - 1;
	/* FXSAVE64 needs 16-byte alignment: kmem pools carve page-aligned frames into
	 * objects of sizeof(struct thread), a multiple of its alignment (16). */
	KASSERT(((uintptr_t)&t->fpu & 15) == 0);
	fpu_state_init(&t->fpu);        /* clean, never another thread's leftovers */
	task->threads++;
	task->thread_list = ring_append(task->thread_list, t, THREAD_TASK_RING);
	return t;
}

void thread_prepare(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg)
{
	KASSERT(t->state == THREAD_STOPPED);
	struct trap_frame *tf = t->user_frame;
	/* Every other register zero; rflags IF: user code always runs interruptible. */
	*tf = (struct trap_frame){ .rip = entry, .rsp = stack, .rdi = arg, .cs = SEL_USER_CODE,
				   .ss = SEL_USER_DATA, .rflags = 0x202 };

	/* Park it as if switched out just before thread_first_run: six callee-saved
	 * registers (zero) and the return address, below the trap frame. */
	uint64_t *sp = (uint64_t *)tf;
	*--sp = (uint64_t)thread_first_run;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	t->kernel_rsp = (uint64_t)sp;
	t->slice = TIME_SLICE_TICKS;
	sched_live_threads++;
}

void thread_start(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg)
{
	thread_prepare(t, entry, stack, arg);
	sched_make_ready(t);
}

/* Drops the references t holds to its pager and exception handler. */
static void thread_drop_handlers(struct thread *t)
{
	if (t->pager)
		endpoint_refs(t->pager, -1);
	if (t->exception_handler)
		endpoint_refs(t->exception_handler, -1);
	t->pager = t->exception_handler = NULL;
}

void thread_set_handlers(struct thread *t, struct endpoint *pager, uint64_t pager_badge,
			 struct endpoint *handler, uint64_t handler_badge)
{
	/* The thread holds references, like capabilities: the endpoints outlive its use. */
	if (pager)
		endpoint_refs(pager, 1);
	if (handler)
		endpoint_refs(handler, 1);
	thread_drop_handlers(t);
	t->pager = pager;
	t->pager_badge = pager_badge;
	t->exception_handler = handler;
	t->exception_badge = handler_badge;
}

/* Out of its task: its UTCB page, its place in the task's list, its charge. After this
 * the thread names no task (a dead thread's struct can outlive its task). */
static void thread_leave_task(struct thread *t)
{
	struct task *task = t->task;
	task_utcb_free(task, t->utcb_index);
	t->utcb_index = -1;
	task->thread_list = ring_remove(task->thread_list, t, THREAD_TASK_RING);
	task_refund(task, THREAD_COST);
	t->task = NULL;
}

/* Frees the kernel stack and UTCB of a dead thread that is not running (and the struct
 * too, unless a capability still names it). */
static void thread_free(struct thread *t)
{
	kstack_free(t->kstack_index);
	if (t->task)
		thread_leave_task(t);
	t->kstack_index = -1;
	/* The struct stays while a capability names it (refs); then it goes. */
	if (t->refs == 0)
		kmem_free(&thread_pool, t);
}

/* Everything of thread_kill() but freeing and giving the CPU away: t leaves every queue
 * and wait, fails its partners and drops its references. */
static void thread_end(struct thread *t)
{
	KASSERT(t != &idle_thread && t->state != THREAD_DEAD);
	if (t->state == THREAD_READY)
		sched_remove(t);
	ipc_thread_dies(t);     /* leaves queues, fails its partners' waits */
	thread_drop_handlers(t);
	fpu_forget(&t->fpu);    /* its struct may be freed soon: no owner pointer to it */
	if (t->state != THREAD_STOPPED)
		sched_live_threads--;
	t->state = THREAD_DEAD;
	t->task->threads--;
}

void thread_kill(struct thread *t)
{
	thread_end(t);
	if (t == cpu.current) {
		/* It runs on the stack to free: the next thread to run frees it. */
		t->next = thread_zombies;
		thread_zombies = t;
		schedule();     /* a dead thread is never picked again */
	} else {
		/* Not running, so off its stack: free it now, not in a pile at the next
		 * switch (killing a hundred threads would make that switch a hundred frees). */
		thread_free(t);
		sched_preempt_check();  /* its death may have woken a partner */
	}
}

void thread_end_in_dying_task(struct thread *t)
{
	if (t->state != THREAD_DEAD)
		thread_end(t);
	if (t != cpu.current) {
		thread_free(t);
		return;
	}
	/* Its task goes now, its stack only after the switch: it leaves the task at once
	 * (nothing may reach the task through it later) and waits as a zombie. */
	thread_leave_task(t);
	t->next = thread_zombies;
	thread_zombies = t;
}

void thread_reap(void)
{
	/* Only a thread that ended itself waits here, so this is one thread at most. */
	while (thread_zombies && thread_zombies != cpu.current) {
		struct thread *t = thread_zombies;
		thread_zombies = t->next;
		thread_free(t);
	}
}

void thread_refs(struct thread *t, int delta)
{
	t->refs += delta;
	if (t->refs > 0)
		return;
	if (t->state == THREAD_STOPPED) {
		thread_end(t);  /* never started, and now nobody can start it: it goes */
		thread_free(t);
	} else if (t->state == THREAD_DEAD && t->kstack_index < 0)
		kmem_free(&thread_pool, t);     /* dead and reaped: nothing names it now */
}

struct thread *thread_init_idle(void)
{
	idle_thread.state = THREAD_RUNNING;
	idle_thread.priority = 0;
	idle_thread.kstack_top = (uint64_t)kernel_boot_stack_top;
	idle_thread.kstack_index = idle_thread.utcb_index = -1;
	cpu.current = &idle_thread;
	cpu.kernel_rsp = idle_thread.kstack_top;
	return &idle_thread;
}

/*
 * Makes next the running thread, all but its stack: loads next's address space if it
 * lives in another task, tells the CPU (TSS) and the syscall entry (cpu.kernel_rsp)
 * where next's kernel stack is, and points FS at its UTCB. Before that, a user thread
 * gets its own x87/MMX/SSE registers back (fpu.c): the kit does that part, not lab 3;
 * idle runs no user code and keeps what is loaded.
 */
static inline __attribute__((always_inline)) void thread_enter(struct thread *next)
{
	if (next->task)
		fpu_switch(&next->fpu);
	/* LAB 3 BEGIN: the thread switch */
	/* Idle has no task: it keeps whatever address space is loaded (lazy switching). */
	if (next->task && next->task != cpu.space) {
		write_cr3(next->task->pml4_pa);
		cpu.space = next->task;
	}
	tss_set_kernel_stack(next->kstack_top);
	cpu.kernel_rsp = next->kstack_top;
	if (next->task)
		cpu_set_user_fs(next->utcb_va);
	cpu.current = next;
	/* LAB 3 STUB
	// Load next's page table if (and only if) its task differs from the one loaded,
	// set the kernel stack for traps (TSS) and for syscalls (cpu.kernel_rsp), set the
	// user FS base to next's UTCB, and make next current.
	(void)next;
	panic("thread_enter is not written yet (lab 3)");
	*/
	/* LAB 3 END */
}

/* Switches to next; returns when someone switches back to the current thread. */
void thread_switch(struct thread *next)
{
	struct thread *prev = cpu.current;
	thread_enter(next);
	context_switch(&prev->kernel_rsp, next->kernel_rsp);
}

/*
 * The current thread is blocked in a system call with nothing left to do but return
 * ipc_result: park it so that it resumes at the call's exit (syscall_resume), its kernel
 * stack dropped — as context_switch() parks, with the callee-saved slots unused — and
 * run next, a user thread blocked in IPC. A next parked so leaves at once through its own
 * exit: no stack to unwind, no registers to pop twice. That is the IPC fast path's switch
 * (Draves's continuations). Only frame[-1] must survive until then: what runs on this
 * stack after the park stays below it.
 */
void thread_handoff(struct thread *next)
{
	uint64_t *frame = (uint64_t *)cpu.current->user_frame;
	frame[-1] = (uint64_t)syscall_resume;   /* was our return to syscall_entry.S */
	cpu.current->kernel_rsp = (uint64_t)(frame - 7);
	thread_enter(next);
	if (((uint64_t *)next->user_frame)[-1] != (uint64_t)syscall_resume)
		jump_to(next->kernel_rsp, context_unpark);      /* it blocked elsewhere */
	if (thread_zombies || cpu.io_loaded)    /* sched_after_switch()'s work, if any */
		sched_after_switch();
	next->user_frame->rax = (uint64_t)next->ipc_result;
	jump_to((uint64_t)next->user_frame, syscall_return);
}

void syscall_resumed(void)
{
	sched_after_switch();
	cpu.current->user_frame->rax = (uint64_t)cpu.current->ipc_result;
}
