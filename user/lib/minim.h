/**
 * @file
 * minim.h — everything a user program needs, in one include.
 *
 * The one thing to know: crt0.S calls main() with the boot-info page and ends the thread
 * when main returns — a thread has no exit status, so main returns nothing. Apart from
 * the headers in user/, a program sees only the kernel's ABI (abi/) and the shared
 * format.h and string.h: never the kernel's own headers.
 */
#ifndef USER_MINIM_H
#define USER_MINIM_H

#include <abi/boot_info_page.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include <abi/layout.h>
#include <abi/syscall.h>
#include <abi/utcb.h>
#include <ipc.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <utcb.h>

void main(const struct boot_info_page *bi);

#endif
