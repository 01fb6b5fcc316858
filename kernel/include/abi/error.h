/**
 * @file
 * abi/error.h — the error codes the kernel returns, to itself and (from lab 3) to users.
 *
 * The one thing to know: success is 0 and every error is a small negative number, so a
 * function can return either an error or a non-negative result in one value.
 */
#ifndef ABI_ERROR_H
#define ABI_ERROR_H

enum minim_error {
	E_OK = 0,
	E_INVAL = -1,           /* an argument is malformed (misaligned, out of range) */
	E_NOMEM = -2,           /* out of memory (frames, or a quota) */
	E_EXISTS = -3,          /* something is already there */
	E_NOENT = -4,           /* nothing is there */
};

#endif
