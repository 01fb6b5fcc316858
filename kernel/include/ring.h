/**
 * @file
 * ring.h — circular doubly linked lists threaded through their elements ("rings").
 *
 * The one thing to know: a ring is named by a pointer to its first element (NULL when
 * empty), and every element of one ring holds a struct ring_link at the same offset
 * (offsetof, passed as `link`), whose pointers name the neighbouring elements themselves.
 * So the first element's prev is the last, appending and removing are O(1) with no
 * search, and an element can leave a ring without anyone walking it: what lets a
 * timeout, a death or a deletion take a thread or an endpoint out at once. The
 * operations return the ring's new first element, for the caller to store.
 */
#pragma once

#include <stddef.h>

struct ring_link {
	void *next, *prev;      /* neighbouring elements; NULL while in no ring */
};

static inline struct ring_link *ring_link(void *element, size_t link)
{
	return (struct ring_link *)((char *)element + link);
}

/* Appends e, in no ring, after the last element of the ring that starts at first. */
static inline void *ring_append(void *first, void *e, size_t link)
{
	struct ring_link *l = ring_link(e, link);
	if (!first) {
		l->next = l->prev = e;
		return e;
	}
	struct ring_link *head = ring_link(first, link);
	l->next = first;
	l->prev = head->prev;
	ring_link(head->prev, link)->next = e;
	head->prev = e;
	return first;
}

/* Takes e out of the ring that starts at first; its links become NULL. */
static inline void *ring_remove(void *first, void *e, size_t link)
{
	struct ring_link *l = ring_link(e, link);
	void *next = l->next;
	if (next == e) {
		next = NULL;    /* it was alone */
	} else {
		ring_link(l->prev, link)->next = next;
		ring_link(next, link)->prev = l->prev;
	}
	l->next = l->prev = NULL;
	return first == e ? next : first;
}
