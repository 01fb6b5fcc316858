/**
 * @file
 * switch.S — switching kernel stacks: the heart of a thread switch.
 *
 * The one thing to know: a thread that is not running is parked inside
 * context_switch(), its callee-saved registers pushed on its kernel stack and that
 * stack's pointer saved in the thread. Switching is: park the current thread, unpark
 * the next. A new thread's stack is made to look parked, with thread_first_run as the
 * return address (thread.c builds it).
 */

/* void context_switch(uint64_t *save_rsp, uint64_t next_rsp) */
        .text
        .globl context_switch
context_switch:
        pushq %rbp
        pushq %rbx
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        movq %rsp, (%rdi)
        movq %rsi, %rsp
        .globl context_unpark
context_unpark:
        popq %r15
        popq %r14
        popq %r13
        popq %r12
        popq %rbx
        popq %rbp
        ret

/* void jump_to(uint64_t rsp, where): goes on at where with that stack, keeping nothing of
 * the current one: thread_handoff() parked it at its system call's exit, and resumes
 * next at context_unpark (parked by context_switch) or syscall_return (by itself). */
        .globl jump_to
jump_to:
        movq %rdi, %rsp
        jmp *%rsi

/* Where a new thread starts: finish the switch, then leave through the trap path. */
        .globl thread_first_run
thread_first_run:
        call sched_after_switch
        jmp trap_return
