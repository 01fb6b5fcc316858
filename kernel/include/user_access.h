/**
 * @file
 * user_access.h — the only way the kernel touches memory named by user code.
 *
 * The one thing to know: a user pointer is a number until user_range_ok() has said it
 * lies entirely in user space; then copy_from_user()/copy_to_user() copy through the
 * current address space and turn a fault on an unmapped page into E_FAULT. The kernel
 * never dereferences a user pointer directly.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if [addr, addr + len) lies within user space (and does not wrap). */
bool user_range_ok(uint64_t addr, uint64_t len);

/* 0, or E_FAULT if the range is not in user space or not all mapped. */
int copy_from_user(void *dst, uint64_t user_src, size_t len);
int copy_to_user(uint64_t user_dst, const void *src, size_t len);
