/**
 * @file
 * cap.c — looking up and filling capability slots.
 *
 * The one thing to know: a slot number comes straight from a user register, so it is
 * range-checked as a signed value (negative numbers are the easy attack) before it
 * indexes anything.
 */
#include <cap.h>
#include <endpoint.h>
#include <stddef.h>
#include <task.h>
#include <thread.h>
#include <abi/error.h>

void *cap_lookup(struct task *task, long slot, enum cap_type type, unsigned rights,
		 int *err)
{
	struct cap *c = cap_slot(task, slot, err);
	if (!c)
		return NULL;
	if (c->type != type) {
		*err = E_TYPE;
		return NULL;
	}
	if ((c->rights & rights) != rights) {
		*err = E_RIGHTS;
		return NULL;
	}
	/* A destroyed task, or an endpoint whose owner was: a name for nothing (lab 6). */
	if ((type == CAP_TASK && ((struct task *)c->object)->dead) ||
	    (type == CAP_ENDPOINT && ((struct endpoint *)c->object)->dead)) {
		*err = E_GONE;
		return NULL;
	}
	return c->object;
}

/* Counts one more (delta 1) or one fewer (-1) capability naming the object. */
static void object_refs(enum cap_type type, void *object, int delta)
{
	switch (type) {
	case CAP_TASK:
		task_refs(object, delta);
		break;
	case CAP_THREAD:
		thread_refs(object, delta);
		break;
	case CAP_ENDPOINT:
		endpoint_refs(object, delta);
		break;
	case CAP_NULL:
	case CAP_DEBUG:         /* a right, or a static object: nothing to count */
	case CAP_IRQ:
	case CAP_IRQ_CONTROL:
		break;
	}
}

long cap_insert(struct task *task, enum cap_type type, void *object, unsigned rights,
		uint64_t badge)
{
	if (task->dead)
		return E_GONE;  /* its table is gone, or going */
	for (long slot = 1; slot < CAP_SLOTS; slot++) {     /* slot 0 stays empty: "none" */
		struct cap *c = &task->caps[slot];
		if (c->type == CAP_NULL) {
			*c = (struct cap){ .type = (uint8_t)type, .rights = (uint8_t)rights,
					   .object = object, .badge = badge };
			object_refs(type, object, 1);
			return slot;
		}
	}
	return E_FULL;
}

struct cap *cap_slot(struct task *task, long slot, int *err)
{
	if (slot < 0 || slot >= CAP_SLOTS || task->caps[slot].type == CAP_NULL) {
		*err = E_CAP;
		return NULL;
	}
	return &task->caps[slot];
}

int cap_delete(struct task *task, long slot)
{
	int err;
	struct cap *c = cap_slot(task, slot, &err);
	if (!c)
		return err;
	struct cap old = *c;
	*c = (struct cap){ 0 };         /* empty first: dropping the ref may wake threads */
	object_refs(old.type, old.object, -1);
	return E_OK;
}
