/* vfio-admin restore: devices back to the driver they had before vfio-admin changed them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding/bind_plan.h"
#include "binding/bind_state.h"
#include "binding.h"
#include "tool/cli.h"
#include "commands.h"
#include "pci/device_filter.h"
#include "filter_options.h"
#include "sriov.h"
#include "util/report.h"

/*
 * With a record: the recorded override, and the recorded driver (or none). Without one:
 * override cleared and the kernel probes for whatever driver it picks.
 */
static bool already_as_recorded(const struct bind_record *r)
{
	char driver[64], override[64];

	pci_current_driver(r->address, driver, sizeof(driver));
	pci_current_override(r->address, override, sizeof(override));
	return strcmp(driver, r->driver) == 0 && strcmp(override, r->override) == 0;
}

static bool add_step(struct bind_plan *plan, const struct pci_device *dev, bool dry_run, bool force)
{
	const char *address = dev->address;
	struct bind_record r;
	int found = bind_state_load(address, &r);

	if (found < 0) {
		vt_error(address, "unreadable record", "%s/%s is malformed: remove it to restore by probing",
			 bind_state_dir(), address);
		return false;
	}
	if (found && already_as_recorded(&r)) {
		printf("%s: already on %s as recorded (nothing to do)\n", address, *r.driver ? r.driver : "no driver");
		if (!dry_run)
			bind_state_forget(address);
		return true;
	}
	/* Taking a driver from a device in use hangs (a VFIO user) or breaks the host's use. */
	if (dev->driver && !binding_check_in_use(dev, force))
		return false;
	if (found)
		bind_plan_add(plan, address, r.override, r.driver, *r.driver != '\0');
	else
		bind_plan_add(plan, address, "", "*", true);
	return true;
}

static bool plan_recorded(struct bind_plan *plan, const struct pci_device_list *devices, bool dry_run, bool force)
{
	char **addresses, why[8];
	size_t n = bind_state_list(&addresses), i;
	const struct pci_device *dev;
	struct pci_addr addr;
	bool ok = true;

	for (i = 0; i < n; i++) {
		if (!pci_addr_parse(addresses[i], &addr, why, sizeof(why)) || !(dev = pci_device_list_find(devices, &addr)))
			fprintf(stderr, "%s: %s: recorded but gone (hot-unplugged?): record kept\n",
				vt_progname(), addresses[i]);
		else
			ok &= add_step(plan, dev, dry_run, force);
		free(addresses[i]);
	}
	free(addresses);
	if (n == 0 && !sriov_restore_pending())
		printf("nothing recorded in %s: nothing to restore\n", bind_state_dir());
	return ok;
}

int cmd_restore(int argc, const char **argv)
{
	struct device_filter filter;
	struct pci_device_list devices;
	struct bind_plan plan = { 0 };
	char *timeout = NULL;
	int lock = -1, dry_run = 0, force = 0, rc = 2;
	bool ok = true;
	size_t i, n_pfs;
	char **pfs;
	const struct poptOption table[] = {
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, device_options, 0,
		  "Devices to restore (default: every recorded one; positional addresses and globs too):", NULL },
		{ "dry-run", 'n', POPT_ARG_NONE, &dry_run, 0, "Print the plan and stop", NULL },
		{ "force", 'f', POPT_ARG_NONE, &force, 0, "Restore devices the host is using (says what it overrides)", NULL },
		{ "timeout", 't', POPT_ARG_STRING, &timeout, 0, "Seconds to wait for each driver change (default 10)", "SECONDS" },
		CLI_HELP_OPTION,
		POPT_TABLEEND
	};

	device_filter_init(&filter);
	if (!binding_load(argc, argv, table, &dry_run, &filter, &devices, &lock))
		goto out_filter;
	plan.forget = true;
	plan.timeout_ms = BIND_TIMEOUT_DEFAULT_S * 1000;
	if (timeout && !binding_parse_timeout(timeout, &plan.timeout_ms))
		goto out_devices;
	/* SR-IOV first removes VFs that vfio-admin made, last puts the recorded count back */
	n_pfs = sriov_restore_begin(&filter, &devices, dry_run, &pfs, &ok);
	if (!device_filter_selects_devices(&filter))
		ok &= plan_recorded(&plan, &devices, dry_run, force);
	else
		for (i = 0; i < devices.n; i++)
			if (device_filter_match(&filter, &devices.dev[i]) &&
			    !sriov_restore_only(pfs, n_pfs, devices.dev[i].address))
				ok &= add_step(&plan, &devices.dev[i], dry_run, force);
	rc = ok ? binding_run_plan(&plan, dry_run) : 1;
	bind_plan_free(&plan);
	/* after a failed (rolled back) plan the SR-IOV records stay for the next restore */
	if (!sriov_restore_end(pfs, n_pfs, dry_run, rc == 0) && rc == 0)
		rc = 1;
out_devices:
	pci_device_list_free(&devices);
out_filter:
	binding_end(lock);
	free(timeout);
	device_filter_free(&filter);
	return rc;
}
