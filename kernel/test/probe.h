/**
 * @file
 * probe.h — touching memory that may not be mapped, without dying of it: test support,
 * compiled into every image, never used by the kernel proper.
 *
 * The one thing to know: a probe's load or store is listed in the fixup table; when it
 * page-faults, trap_dispatch() finds the faulting instruction there and resumes at the
 * listed fixup instead of panicking, and the probe returns false. Tests use probes to
 * check that an unmapped page really faults. Only a page fault is fixed up, so `va`
 * must be canonical: a non-canonical one raises a general-protection fault instead, a
 * kernel bug that panics.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

bool probe_read_u64(uint64_t va, uint64_t *out);
bool probe_write_u64(uint64_t va, uint64_t value);
