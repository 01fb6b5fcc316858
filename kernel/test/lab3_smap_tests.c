/**
 * @file
 * lab3_smap_tests.c — a lab 3 scenario: with SMEP and SMAP on, the kernel cannot use a
 * user page by its user address, except through copy_from_user()/copy_to_user().
 *
 * The one thing to know: the scenario switches to the page table of a task it made,
 * so the user page is really mapped, with user rights, where the kernel looks: every
 * "faulted" line is SMEP or SMAP refusing the kernel, not a missing page. The page's
 * address and the words written to it come from the boot's seed (grade/lab3.py draws
 * the same), so the words read back are this boot's.
 */
#include <test/challenge.h>
#include <kprintf.h>
#include <task.h>
#include <user_access.h>
#include <abi/error.h>
#include <abi/layout.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>
#include <arch/x86_64/trap.h>
#include <test/ktest.h>
#include <test/probe.h>

#define CR4_SMEP        (1u << 20)
#define CR4_SMAP        (1u << 21)
#define RFLAGS_AC       (1u << 18)
#define T_AC_PROBE      0x42            /* an interrupt vector nothing else uses */

/* The exec probe: a call into the user page, which SMEP turns into a #PF at the
 * target. The handler finishes the call as the `ret` placed there would have. */
static trap_handler_fn *previous_page_fault;
static volatile uint64_t exec_target, exec_error;
static volatile unsigned exec_faults;

static void on_exec_fault(struct trap_frame *tf)
{
	if (trap_from_user(tf) || tf->rip != exec_target) {
		previous_page_fault(tf);
		return;
	}
	exec_faults++;
	exec_error = tf->error;
	tf->rip = *(uint64_t *)tf->rsp;         /* the call's return address */
	tf->rsp += 8;
}

static bool exec_faults_at(uint64_t target)
{
	unsigned before = exec_faults;
	exec_target = target;
	previous_page_fault = trap_set_handler(T_PAGE_FAULT, on_exec_fault);
	/* Safe: the target is `ret` or faults; either way this returns here. */
	__asm__ volatile("call *%0"
			 :
			 : "r"(target)
			 : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory",
			   "cc");
	trap_set_handler(T_PAGE_FAULT, previous_page_fault);
	return exec_faults == before + 1;
}

/* What a trap taken with RFLAGS.AC set sees inside its handler. */
static uint64_t page_va;                /* the user page's address */
static volatile uint64_t ac_in_handler;
static volatile bool load_in_handler_faulted;

static void on_ac_probe(struct trap_frame *tf)
{
	uint64_t rflags, v;
	(void)tf;
	__asm__ volatile("pushfq; popq %0" : "=r"(rflags));     /* reads RFLAGS only */
	ac_in_handler = rflags & RFLAGS_AC;
	load_in_handler_faulted = !probe_read_u64(page_va + 8, &v);
}

KTEST(user_memory_protection, STAGE_USER)
{
	struct challenge c = ktest_challenge();
	page_va = USER_IMAGE_BASE + challenge_range(&c, 0, 0xfff) * PAGE_SIZE;
	uint64_t cr4 = read_cr4(), word = challenge_next(&c), back = challenge_next(&c);
	kprintf("smap: CR4.SMEP %s, CR4.SMAP %s\n", cr4 & CR4_SMEP ? "on" : "off",
		cr4 & CR4_SMAP ? "on" : "off");

	struct task *task = task_create(NULL, TASK_KMEM_DEFAULT);
	uint64_t pa;
	KCHECK(task && task_map_fresh(task, page_va, 1, PTE_WRITE, &pa) == E_OK);
	uint8_t *page = P2V(pa);        /* the same frame, through the direct map */
	page[0] = 0xc3;                 /* ret: a call that SMEP allowed would come back */
	*(uint64_t *)(page + 8) = word;
	kprintf("smap: the user page at %lx holds %016lx\n", (uint64_t)page_va, word);
	write_cr3(task->pml4_pa);

	uint64_t v = 0;
	bool read_ok = probe_read_u64(page_va + 8, &v);
	kprintf("smap: a kernel load from the user page %s\n", read_ok ? "succeeded" : "faulted");
	bool write_ok = probe_write_u64(page_va + 16, ~back);
	kprintf("smap: a kernel store to the user page %s\n",
		write_ok ? "succeeded" : "faulted");
	bool fetch_faulted = exec_faults_at(page_va);
	kprintf("smep: a kernel call into the user page %s\n",
		fetch_faulted ? (exec_error & PF_FETCH ? "faulted (fetch)" : "faulted") :
				"ran its code");

	if (cr4 & CR4_SMAP) {
		trap_handler_fn *previous = trap_set_handler(T_AC_PROBE, on_ac_probe);
		/* Safe: stac exists (CR4.SMAP could be set); the clac follows at once. */
		__asm__ volatile("stac; int %0; clac" : : "i"(T_AC_PROBE) : "memory");
		trap_set_handler(T_AC_PROBE, previous);
		kprintf("smap: a trap taken with AC set runs with AC %s; a load there %s\n",
			ac_in_handler ? "set" : "clear",
			load_in_handler_faulted ? "faulted" : "succeeded");
	}

	v = 0;
	int err = copy_from_user(&v, page_va + 8, sizeof(v));
	kprintf("smap: copy_from_user -> %d, read %016lx\n", err, v);
	err = copy_to_user(page_va + 16, &back, sizeof(back));
	kprintf("smap: copy_to_user of %016lx -> %d; the page holds %016lx\n", back, err,
		*(uint64_t *)(page + 16));

	write_cr3(V2P(kernel_pml4));
	task_free(task);
}
