/**
 * @file
 * lab8.h — what lab 8's scenarios share (defined in lab8_fs.c): the pm (pm_ep), the root's
 * connection to the file server, and seeded file contents.
 */
#ifndef LAB8_H
#define LAB8_H

#include <stddef.h>
#include <stdint.h>
#include <fs.h>
#include <abi/boot_info_page.h>

extern long pm_ep;
extern struct fs_conn conn;
extern uint8_t io[16384];

/* The pm, the block server and the file server (arg: its own, e.g. "cache=200"), and
 * conn connected to it. */
void fs_up(const struct boot_info_page *bi, const char *arg);
/* n bytes of the seeded content `key` from offset off (grade/lab8.py's content()). */
void content(uint64_t key, uint64_t off, uint8_t *buf, size_t n);

#endif
