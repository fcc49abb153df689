#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "binding/bind_state.h"
#include "binding.h"
#include "tool/cli.h"
#include "filter_options.h"
#include "binding/in_use.h"
#include "util/report.h"

static bool require_root(void)
{
	if (geteuid() == 0)
		return true;
	vt_error("permission denied", "changing drivers needs root", "run it as root (--dry-run does not)");
	return false;
}

bool binding_check_in_use(const struct pci_device *dev, bool force)
{
	struct in_use u;
	size_t i;

	in_use_scan(dev->address, dev->iommu_group, &u);
	for (i = 0; i < u.n; i++) {
		if (force)
			fprintf(stderr, "%s: %s: --force overrides: %s\n", vt_progname(), dev->address, u.r[i].text);
		else
			vt_error(dev->address, "in use by the host", "%s; --force overrides", u.r[i].text);
	}
	i = u.n;
	in_use_free(&u);
	return force || i == 0;
}

bool binding_load(int argc, const char **argv, const struct poptOption *table, const int *dry_run,
		  struct device_filter *f, struct pci_device_list *devices, int *lock)
{
	char why[512];

	*lock = -1;
	if (!filter_parse_command_line(cli_command_path(), argc, argv, table, f))
		return false;
	if (!*dry_run) {
		if (!require_root())
			return false;
		*lock = bind_state_lock(why, sizeof(why));
		if (*lock < 0) {
			vt_error(bind_state_dir(), "cannot take the lock", "%s", why);
			return false;
		}
	}
	pci_device_list_load_ids(devices);
	if (filter_check_devices(f, devices))
		return true;
	pci_device_list_free(devices);
	binding_end(*lock);
	*lock = -1;
	return false;
}

void binding_end(int lock)
{
	bind_state_unlock(lock);
}

int binding_run_plan(struct bind_plan *plan, bool dry_run)
{
	bind_plan_print(plan, stdout);
	fflush(stdout);
	if (dry_run || plan->n == 0)
		return 0;
	return bind_plan_execute(plan) ? 0 : 1;
}

bool binding_parse_timeout(const char *text, unsigned *ms)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (!*text || *end || v < 1 || v > 3600) {
		vt_error(*text ? text : "''", "invalid timeout", "expected whole seconds from 1 to 3600");
		return false;
	}
	*ms = (unsigned)v * 1000;
	return true;
}
