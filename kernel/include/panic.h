/**
 * @file
 * panic.h — stopping the kernel when its own invariants break.
 *
 * The one thing to know: panic is for kernel bugs only. Bad input from user code
 * (system-call arguments, messages, ELF files) gets an error code, never a panic.
 */
#pragma once

/* Prints "PANIC: <message>" on the console and stops the machine (exit code 2). */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A kernel invariant; a false one panics with the expression and where it is. */
#define KASSERT(cond)                                                                  \
	do {                                                                           \
		if (!(cond))                                                           \
			panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__);   \
	} while (0)
