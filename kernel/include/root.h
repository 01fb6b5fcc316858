/**
 * @file
 * root.h — starting the root task, the first and only program the kernel loads.
 */
#ifndef ROOT_H
#define ROOT_H

#include <stddef.h>

/* Loads boot module 0 as the root task (and module 1 as sigma0, if it is one) and
 * starts it; an error (with a message) if there is no usable module. */
int root_start(void);

/* The root task's ELF image, which debug_clone copies for the tests of labs 3 to 5. */
extern const void *boot_image;
extern size_t boot_image_size;

#define PRIO_ROOT PRIO_MAX

#endif
