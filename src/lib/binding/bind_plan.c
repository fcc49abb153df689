#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding/bind_plan.h"
#include "binding/bind_state.h"
#include "util/report.h"

static void copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

void bind_plan_add(struct bind_plan *plan, const char *address, const char *to_override,
		   const char *to_driver, bool probe)
{
	struct bind_step *s;

	plan->step = vt_xrealloc(plan->step, plan->n + 1, sizeof(*plan->step));
	s = &plan->step[plan->n++];
	memset(s, 0, sizeof(*s));
	copy(s->address, sizeof(s->address), address);
	pci_current_driver(address, s->from_driver, sizeof(s->from_driver));
	pci_current_override(address, s->from_override, sizeof(s->from_override));
	copy(s->to_override, sizeof(s->to_override), to_override);
	copy(s->to_driver, sizeof(s->to_driver), to_driver);
	s->probe = probe;
}

void bind_plan_free(struct bind_plan *plan)
{
	free(plan->step);
	plan->step = NULL;
	plan->n = 0;
}

static const char *driver_label(const char *driver)
{
	return !*driver ? "(none)" : strcmp(driver, "*") == 0 ? "(kernel's choice)" : driver;
}

void bind_plan_print(const struct bind_plan *plan, FILE *out)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		fprintf(out, "%s: %s -> %s%s%s%s\n", plan->step[i].address, driver_label(plan->step[i].from_driver),
			driver_label(plan->step[i].to_driver), *plan->step[i].why ? " (" : "", plan->step[i].why,
			*plan->step[i].why ? ")" : "");
}

static int apply(const struct bind_step *s, unsigned timeout_ms, char *why, size_t whylen)
{
	struct switch_target t = { s->to_override, s->probe, *s->to_driver ? s->to_driver : NULL };

	return pci_switch_driver(s->address, &t, timeout_ms, why, whylen);
}

/* Back to the driver and override the device had before this plan. */
static void roll_back(struct bind_step *s, unsigned timeout_ms)
{
	struct switch_target t = { s->from_override, *s->from_driver != '\0',
				   *s->from_driver ? s->from_driver : NULL };
	char why[256];

	if (pci_switch_driver(s->address, &t, timeout_ms, why, sizeof(why)) < 0) {
		vt_error(s->address, "rollback failed", "%s; the record in %s keeps its original driver %s",
			 why, bind_state_dir(), driver_label(s->from_driver));
		return;
	}
	if (s->recorded)
		bind_state_forget(s->address);
	fprintf(stderr, "%s: %s: restored to %s\n", vt_progname(), s->address, driver_label(s->from_driver));
}

static bool record(struct bind_step *s)
{
	struct bind_record r;
	int err;

	if (bind_state_load(s->address, &r) == 1)
		return true;
	memset(&r, 0, sizeof(r));
	copy(r.address, sizeof(r.address), s->address);
	copy(r.driver, sizeof(r.driver), s->from_driver);
	copy(r.override, sizeof(r.override), s->from_override);
	err = bind_state_record(&r);
	if (err < 0) {
		vt_error(s->address, "cannot record the original driver", "%s: %s", bind_state_dir(), strerror(-err));
		return false;
	}
	s->recorded = true;
	return true;
}

bool bind_plan_execute(struct bind_plan *plan)
{
	char why[512];
	bool failed = false;
	size_t i;

	for (i = 0; i < plan->n && !failed; i++) {
		if (plan->record && !record(&plan->step[i])) {
			failed = true;
			break;	/* nothing changed on this device yet */
		}
		if (apply(&plan->step[i], plan->timeout_ms, why, sizeof(why)) < 0) {
			vt_error(plan->step[i].address, "switching driver failed", "%s", why);
			failed = true;	/* the step may be half done: the loop's i++ includes it */
		}
	}
	if (failed)
		while (i-- > 0)
			roll_back(&plan->step[i], plan->timeout_ms);
	else if (plan->forget)	/* only now: a rolled-back restore keeps its records */
		for (i = 0; i < plan->n; i++)
			bind_state_forget(plan->step[i].address);
	return !failed;
}
