/* Opening a device through VFIO for a command line tool, with one-line errors that say why not. */
#ifndef VT_VFIO_OPEN_H
#define VT_VFIO_OPEN_H

#include <stdbool.h>

#include "pci/pci_config.h"
#include "vfio/vfio_backend.h"

/*
 * Opens DEVICE (an address as typed) through VFIO: checks that it exists, is bound to
 * vfio-pci, has an IOMMU group whose other members are VFIO-safe, and that nobody else
 * holds the group.  False after reporting one line (the device is left untouched).
 */
bool vfio_open_device(const char *device, enum vfio_backend_choice backend, struct vfio_dev *d);

/* The config region through the device fd: up to 4096 bytes, the rest 0xff; false after reporting. */
bool vfio_dev_read_config(const struct vfio_dev *d, struct pci_config *cfg);

#endif
