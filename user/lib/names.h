/**
 * @file
 * names.h — the name server's protocol (lab 6), its client stubs, and the server.
 *
 * The one thing to know: the name server ("names", the broker) keeps a table from
 * names to capabilities. A server registers a capability to its endpoint under a name;
 * a client looks the name up and gets a copy of that capability in the reply. Names
 * trusts nothing in a message except the badge the kernel delivers with it: the process
 * manager badges each process's capability to names with its pid, names records the
 * registrant's badge with each name, and only that badge may unregister it — or the pm
 * (its own badge, NAMES_BADGE_PM), telling names that the pid died.
 *
 * A name is 1 to NAMES_NAME_MAX bytes, each a printable ASCII character other than the
 * space (0x21 to 0x7e): no NUL, no control bytes, no UTF-8, so a name prints as it is
 * and one name has one spelling. On the wire it travels as its length and its bytes,
 * packed little-endian into words (byte i in word i / 8, bits 8 * (i % 8)); the bytes
 * after the name in its last word are 0. Every request is a call:
 *
 *   label             untyped words                    item            reply MR0
 *   NAMES_REGISTER    MR0 = length, MR1.. = the name   a capability    0 or an error
 *   NAMES_LOOKUP      MR0 = length, MR1.. = the name   none            0 (and an item)
 *   NAMES_UNREGISTER  MR0 = length, MR1.. = the name   none            0 or an error
 *   NAMES_DEATH       MR0 = the dead pid (a badge)     none            names freed
 *
 * A request that fails gets its (negative) error in the reply's MR0.
 *
 * A request carries exactly 1 + (length + 7) / 8 untyped words; anything else — a
 * length out of range, fewer or more words than it says, a byte outside the set,
 * padding that is not 0, a missing or extra item, an item that is not a capability —
 * is E_INVAL, an unknown label E_NOSYS, and names goes on serving. The reply to a
 * lookup that found the name carries the capability as its item (MR1, MR2 in the
 * UTCB: abi/ipc.h), with the rights it was registered with less RIGHT_RECEIVE: a name
 * is a way to send to a server, never to take its messages.
 *
 *   register:   E_EXISTS the name is taken (by a live endpoint); E_FULL the table is
 *               full; E_RIGHTS from an unbadged capability, or a capability without
 *               the send right; E_TYPE one that is not an endpoint; E_GONE one whose
 *               endpoint is dead; E_INVAL no capability arrived.
 *   lookup:     E_NOENT no such name (or its endpoint died: the name goes then).
 *   unregister: E_NOENT no such name; E_RIGHTS registered by another badge.
 *   death:      E_RIGHTS unless the sender's badge is NAMES_BADGE_PM.
 */
#ifndef USER_NAMES_H
#define USER_NAMES_H

#include <abi/ipc.h>

#define NAMES_REGISTER          1ul
#define NAMES_LOOKUP            2ul
#define NAMES_UNREGISTER        3ul
#define NAMES_DEATH             4ul

#define NAMES_NAME_MAX          31              /* bytes */
#define NAMES_NAME_WORDS        4               /* words that hold NAMES_NAME_MAX bytes */
#define NAMES_REQUEST_WORDS     (1 + NAMES_NAME_WORDS)  /* the most untyped words */
#define NAMES_TABLE_SIZE        64              /* names one server holds */
#define NAMES_CHAR_FIRST        0x21            /* '!' */
#define NAMES_CHAR_LAST         0x7e            /* '~' */

/* The badge of the process manager's capability to names: the only one that may send
 * NAMES_DEATH. No pid is ever this. */
#define NAMES_BADGE_PM          (~0ul)

/* The rights a looked-up capability may have at most. */
#define NAMES_LOOKUP_RIGHTS     (RIGHT_SEND | RIGHT_GRANT)

/* A name as it travels: its length and its bytes packed into words. */
struct names_name {
	unsigned long len;
	unsigned long words[NAMES_NAME_WORDS];
};

/* The untyped words a request for a name of len bytes carries. */
#define NAMES_WORDS_FOR(len)    (1 + ((len) + 7) / 8)

/* Packs the C string `name` into *out; returns its length, or E_INVAL when it is not a
 * valid name (reads at most NAMES_NAME_MAX + 1 bytes: a missing NUL is safe). */
long names_pack(const char *name, struct names_name *out);
/* Whether *n is a valid name: length in range, every byte in the set, padding 0. */
int names_valid(const struct names_name *n);

/* The stubs. names_slot: a capability to names (sending; registering needs the grant
 * right too). Each returns 0 or a negative error: the protocol's above, E_INVAL for a
 * name that is not valid (nothing is sent then), or the IPC's own. */
long names_register(long names_slot, const char *name, long cap_slot);
/* Returns the slot of a new capability (a copy of the registered one), or an error;
 * E_FULL when the reply's capability found no free slot in the caller's table. */
long names_lookup(long names_slot, const char *name);
long names_unregister(long names_slot, const char *name);
/* The process manager's notice that `pid` died: a poll send (it never blocks the pm),
 * so 0 if names took it, E_TIMEOUT if names was not waiting (see names.c). */
long names_notify_death(long names_slot, unsigned long pid);

/*
 * The server (user/names/names.c): serves requests at `endpoint` (a capability with
 * the receive right) until it fails; returns the error that stopped it (E_GONE: the
 * endpoint died). It uses the calling thread's UTCB and one table per program, so
 * one thread per program runs it: the names program's, or a test's.
 */
long names_serve(long endpoint);


#endif
