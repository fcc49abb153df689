/* What bind, unbind and restore share: root, the in-use refusal, running a plan. */
#ifndef VFIO_ADMIN_BINDING_H
#define VFIO_ADMIN_BINDING_H

#include <stdbool.h>

#include <popt.h>

#include "binding/bind_plan.h"
#include "pci/device_filter.h"
#include "pci/pci_device.h"

#define BIND_TIMEOUT_DEFAULT_S 10

/*
 * False after listing why the device is in use by the host (network interfaces up or
 * routed, mounted or held block devices, boot VGA, a process holding it through VFIO,
 * SR-IOV VFs); with force, prints what it overrides and returns true.
 */
bool binding_check_in_use(const struct pci_device *dev, bool force);

/*
 * The start of bind, unbind and restore: parses the command line; unless *dry_run (set by
 * the parse), checks for root and takes the lock that serialises vfio-admin processes
 * (waiting, and saying so); then enumerates the devices once, under the lock and without
 * names, so that the plan sees what other processes changed. False after reporting;
 * *lock is -1 or held (release it with binding_end).
 */
bool binding_load(int argc, const char **argv, const struct poptOption *table, const int *dry_run,
		  struct device_filter *f, struct pci_device_list *devices, int *lock);
void binding_end(int lock);

/* Prints the plan, stops there on dry_run, else carries it out. Exit status. */
int binding_run_plan(struct bind_plan *plan, bool dry_run);

/* --timeout SECONDS: 1 to 3600. False after reporting. */
bool binding_parse_timeout(const char *text, unsigned *ms);

#endif
