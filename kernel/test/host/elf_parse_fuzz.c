/**
 * @file
 * elf_parse_fuzz.c — a libFuzzer harness over the ELF parser (make elf-fuzz).
 *
 * The one thing to know: a crash is not the only failure. Each input is parsed with the
 * kernel's load range and with one taken from the input's last 16 bytes (so the
 * fuzzer tries ranges too), the first time again one byte off alignment, which must
 * not change the outcome; every plan the parser accepts is checked against
 * elf_promises.h, an independent statement of what the loaders rely on. A broken
 * promise, a refusal without a reason, or a refusal that leaves segments behind
 * aborts, and libFuzzer keeps the input; ASan catches a read outside the input, UBSan
 * undefined behaviour such as a pointer sum that wraps or a misaligned scalar load
 * (clang does not check a struct copied through a misaligned pointer: the unit
 * test's gcc build does).
 *
 *     make elf-fuzz ELF_FUZZ_TIME=60
 *     build/host/elf_parse_fuzz build/elf-fuzz/crash-...      replay one input
 */
#include "elf_promises.h"
#include <elf_parse.h>
#include <stdio.h>
#include <stdlib.h>
#include <abi/error.h>
#include <abi/layout.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t odd_copy[1 + (1 << 20)];  /* the input again, one byte off alignment */

static void parse_and_judge(const uint8_t *data, size_t size, uint64_t lo, uint64_t hi,
			    bool odd_too)
{
	struct elf_image plan, plan_odd;
	const char *why = NULL, *why_odd = NULL;
	int err = elf_parse(data, size, lo, hi, &plan, &why);
	const char *broken = NULL;
	if (err == E_OK)
		broken = elf_broken_promise(data, size, lo, hi, &plan);
	else if (err != E_INVAL || !why || !*why || plan.count != 0)
		broken = "a refusal is E_INVAL, with a reason, and no segments";
	if (!broken && odd_too && size < sizeof(odd_copy)) {
		memcpy(odd_copy + 1, data, size);
		int err_odd = elf_parse(odd_copy + 1, size, lo, hi, &plan_odd, &why_odd);
		if (err_odd != err || why_odd != why || plan_odd.count != plan.count ||
		    plan_odd.entry != plan.entry)
			broken = "the same outcome at any alignment";
	}
	if (broken) {
		fprintf(stderr, "elf_parse_fuzz: range [%#llx, %#llx): broken promise: %s\n",
			(unsigned long long)lo, (unsigned long long)hi, broken);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse_and_judge(data, size, USER_LOAD_MIN, USER_LOAD_TOP, true);
	if (size >= 16) {
		uint64_t lo, hi;
		memcpy(&lo, data + size - 16, 8);
		memcpy(&hi, data + size - 8, 8);
		parse_and_judge(data, size, lo, hi, false);
	}
	return 0;
}
