/* vfio-admin unbind: leave devices without a driver, driver_override cleared. */
#include <stdio.h>
#include <stdlib.h>

#include "binding/bind_plan.h"
#include "binding.h"
#include "tool/cli.h"
#include "commands.h"
#include "pci/device_filter.h"
#include "filter_options.h"
#include "util/report.h"

int cmd_unbind(int argc, const char **argv)
{
	struct device_filter filter;
	struct pci_device_list devices;
	struct bind_plan plan = { 0 };
	char *timeout = NULL;
	int lock = -1, dry_run = 0, force = 0, rc = 2;
	bool in_use_ok = true, any = false;
	size_t i;
	const struct poptOption table[] = {
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, device_options, 0,
		  "Devices to unbind (positional addresses and globs too):", NULL },
		{ "dry-run", 'n', POPT_ARG_NONE, &dry_run, 0, "Print the plan and stop", NULL },
		{ "force", 'f', POPT_ARG_NONE, &force, 0, "Unbind devices the host is using (says what it overrides)", NULL },
		{ "timeout", 't', POPT_ARG_STRING, &timeout, 0, "Seconds to wait for the driver to let go (default 10)", "SECONDS" },
		CLI_HELP_OPTION,
		POPT_TABLEEND
	};

	device_filter_init(&filter);
	if (!binding_load(argc, argv, table, &dry_run, &filter, &devices, &lock))
		goto out_filter;
	plan.record = true;
	plan.timeout_ms = BIND_TIMEOUT_DEFAULT_S * 1000;
	if (timeout && !binding_parse_timeout(timeout, &plan.timeout_ms))
		goto out_devices;
	if (!device_filter_selects_devices(&filter)) {
		vt_error("unbind", "no device given", "name devices by address, glob, -d VENDOR:DEVICE or --class");
		goto out_devices;
	}
	for (i = 0; i < devices.n; i++) {
		const struct pci_device *d = &devices.dev[i];

		if (!device_filter_match(&filter, d))
			continue;
		any = true;
		if (!d->driver) {
			printf("%s: already without a driver (nothing to do)\n", d->address);
			continue;
		}
		in_use_ok &= binding_check_in_use(d, force);
		bind_plan_add(&plan, d->address, "", NULL, false);
	}
	if (!any)
		vt_error("unbind", "no device matches", "see 'vfio-admin list' with the same filters");
	else
		rc = in_use_ok ? binding_run_plan(&plan, dry_run) : 1;
	bind_plan_free(&plan);
out_devices:
	pci_device_list_free(&devices);
out_filter:
	binding_end(lock);
	free(timeout);
	device_filter_free(&filter);
	return rc;
}
