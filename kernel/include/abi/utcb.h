/**
 * @file
 * abi/utcb.h — the user thread control block: a page per thread, shared with the kernel.
 *
 * The one thing to know: a thread finds its own UTCB through the FS segment base, which
 * the kernel sets on every switch to it: `%fs:0` holds the UTCB's own address. Lab 4
 * puts the message registers that do not fit in CPU registers here.
 */
#ifndef ABI_UTCB_H
#define ABI_UTCB_H

#include <stdint.h>

struct utcb {
	uint64_t self;                  /* this UTCB's user address, for %fs-relative access */
	uint64_t thread_slot;           /* the thread's capability slot in its own task, if any */
	uint64_t tls;                   /* free for the user library */
	/* Set by the receiver before it receives: */
	uint64_t buffer_words;          /* untyped words it accepts; 0 (or over 64): all 64 */
	uint64_t accept_caps;           /* non-zero: capabilities may arrive in its table */
	uint64_t map_window;            /* a flexpage where mappings may arrive; 0: none */
	uint64_t reserved[2];
	uint64_t mr[64];                /* message registers; mr[0], mr[1] also in r8, r9 */
};

#endif
