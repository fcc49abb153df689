/*
 * The driver a PCI device is bound to now, read from its sysfs driver link.
 */
#ifndef VT_PCI_DRIVER_H
#define VT_PCI_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

/* The driver bound now; false (and "") when none. */
bool pci_current_driver(const char *address, char *driver, size_t len);
/* Whether the device is bound to vfio-pci or one of its variants. */
bool pci_on_vfio_driver(const char *address);

#endif
