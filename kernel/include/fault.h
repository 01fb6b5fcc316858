/**
 * @file
 * fault.h — what happens when a thread or the kernel takes a CPU exception.
 */
#ifndef FAULT_H
#define FAULT_H

/* Installs the exception handlers of a kernel that runs user threads (lab 3 on). */
void fault_init(void);

#endif
