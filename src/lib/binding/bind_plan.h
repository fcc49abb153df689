/*
 * A plan of driver changes, printed before anything happens and carried out as one
 * transaction: every device's original driver is recorded first, and on any failure every
 * device already changed goes back to its original driver.
 */
#ifndef VT_BIND_PLAN_H
#define VT_BIND_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "binding/driver_switch.h"

struct bind_step {
	char address[32];
	char from_driver[64];		/* "" when none */
	char from_override[64];		/* "" when unset */
	char to_override[64];
	char to_driver[64];		/* "" when none, "*" for the kernel's choice */
	bool probe;
	bool recorded;			/* this run created the device's state record */
	char why[384];			/* why this driver, printed after the plan line; "" for none */
};

struct bind_plan {
	struct bind_step *step;
	size_t n;
	bool record;			/* save the originals for restore (bind, unbind) */
	bool forget;			/* drop the records once done (restore) */
	unsigned timeout_ms;
};

/* Adds a step from the device's current driver and override to the target. */
void bind_plan_add(struct bind_plan *plan, const char *address, const char *to_override,
		   const char *to_driver, bool probe);
void bind_plan_free(struct bind_plan *plan);

/* "ADDRESS: old-driver -> new-driver", with " (why)" when the step says why, a line per step. */
void bind_plan_print(const struct bind_plan *plan, FILE *out);

/*
 * Carries the plan out, rolling back on failure (saying what failed and what was restored,
 * on stderr). The caller holds the state lock. True when every step succeeded.
 */
bool bind_plan_execute(struct bind_plan *plan);

#endif
