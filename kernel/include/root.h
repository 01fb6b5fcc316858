/**
 * @file
 * root.h — starting the root task, the first and only program the kernel loads.
 */
#pragma once

/* Loads boot module 0 as the root task (and module 1 as sigma0, if it is one) and
 * starts it; an error (with a message) if there is no usable module. */
int root_start(void);

#define PRIO_ROOT PRIO_MAX
