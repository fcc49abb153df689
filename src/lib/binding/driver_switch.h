/*
 * Moving one PCI device between drivers the way the kernel intends: driver_override,
 * unbind, drivers_probe, then waiting for the driver link. Never new_id, which would
 * capture every device with the same ids.
 */
#ifndef VT_DRIVER_SWITCH_H
#define VT_DRIVER_SWITCH_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/pci_driver.h"

/* driver_override ("" when unset). */
void pci_current_override(const char *address, char *override, size_t len);

/* What the device must end on. */
struct switch_target {
	const char *override;	/* driver_override to set; "" clears it */
	bool probe;		/* ask the kernel to probe the device afterwards */
	const char *driver;	/* the driver it must end on; NULL: no driver; "*": whatever the kernel picks */
};

/*
 * Sets driver_override, unbinds the current driver (retrying while it is busy, up to
 * timeout_ms), probes when asked, and waits up to timeout_ms for the driver link to be
 * as wanted. 0, or a negative errno with the reason in why.
 */
int pci_switch_driver(const char *address, const struct switch_target *t, unsigned timeout_ms,
		      char *why, size_t whylen);

#endif
