/* What bind, unbind and restore share: root, the in-use refusal, running a plan. */
#ifndef VFIO_ADMIN_BINDING_H
#define VFIO_ADMIN_BINDING_H

#include <stdbool.h>

#include "bind_plan.h"
#include "pci_device.h"

#define BIND_TIMEOUT_DEFAULT_S 10

/* Reports "changing drivers needs root" and returns false for other users. */
bool binding_require_root(void);

/*
 * False after listing why the device is in use by the host (network interfaces up or
 * routed, mounted or held block devices, boot VGA, an open /dev/vfio/N, SR-IOV VFs);
 * with force, prints what it overrides and returns true.
 */
bool binding_check_in_use(const struct pci_device *dev, bool force);

/*
 * Takes the lock that serialises vfio-admin processes (waiting, and saying so) and
 * enumerates the devices again, as another process may have changed drivers meanwhile.
 * Returns the lock (for binding_end), or -1 after reporting.
 */
int binding_begin(struct pci_device_list *devices);
void binding_end(int lock);

/* Prints the plan, stops there on dry_run, else carries it out. Exit status. */
int binding_run_plan(struct bind_plan *plan, bool dry_run);

/* --timeout SECONDS: 1 to 3600. False after reporting. */
bool binding_parse_timeout(const char *text, unsigned *ms);

#endif
