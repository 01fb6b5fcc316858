/**
 * @file
 * fault.h — what happens when a thread or the kernel takes a CPU exception.
 */
#pragma once

/* Installs the exception handlers of a kernel that runs user threads (lab 3 on). */
void fault_init(void);
