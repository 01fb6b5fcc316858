/**
 * @file
 * cap.c — looking up and filling capability slots.
 *
 * The one thing to know: a slot number comes straight from a user register, so it is
 * range-checked as a signed value (negative numbers are the easy attack) before it
 * indexes anything.
 */
#include <cap.h>
#include <stddef.h>
#include <task.h>
#include <abi/error.h>

void *cap_lookup(struct task *task, long slot, enum cap_type type, unsigned rights,
		 int *err)
{
	if (slot < 0 || slot >= CAP_SLOTS || task->caps[slot].type == CAP_NULL) {
		*err = E_CAP;
		return NULL;
	}
	struct cap *c = &task->caps[slot];
	if (c->type != type) {
		*err = E_TYPE;
		return NULL;
	}
	if ((c->rights & rights) != rights) {
		*err = E_RIGHTS;
		return NULL;
	}
	return c->object;
}

long cap_insert(struct task *task, enum cap_type type, void *object, unsigned rights)
{
	for (long slot = 1; slot < CAP_SLOTS; slot++) {     /* slot 0 stays empty: "none" */
		struct cap *c = &task->caps[slot];
		if (c->type == CAP_NULL) {
			*c = (struct cap){ .type = (uint8_t)type, .rights = (uint8_t)rights,
					   .object = object };
			return slot;
		}
	}
	return E_FULL;
}
