/**
 * @file
 * abi/error.h — the error codes the kernel returns, to itself and to user code.
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
	E_NOSYS = -5,           /* no system call has this number */
	E_FAULT = -6,           /* a user pointer is outside user space or not mapped */
	E_CAP = -7,             /* a capability slot is out of range or empty */
	E_TYPE = -8,            /* the capability names the wrong kind of object */
	E_RIGHTS = -9,          /* the capability lacks a right the operation needs */
	E_STATE = -10,          /* the object is in the wrong state (a running thread) */
	E_FULL = -11,           /* no free slot left (capability table, UTCB area) */
	E_TIMEOUT = -12,        /* IPC: no partner came in time (or at once, for a poll) */
	E_GONE = -13,           /* IPC: the partner died, or the endpoint was deleted */
	E_TOOLONG = -14,        /* IPC: more words than fit, or than the receiver accepts */
};

#endif
