/*
 * The display part of `vfio-admin check DEVICE` (class 0x03, GPUs): the boot VGA device, a
 * firmware framebuffer inside one of its BARs and how to free it on the running kernel, the
 * other functions of its slot (HDMI audio, USB, UCSI) against the group plan, what its reset
 * methods mean between guests, and D3cold.
 */
#ifndef VT_DISPLAY_CHECKS_H
#define VT_DISPLAY_CHECKS_H

#include <stddef.h>

#include "checks/finding.h"
#include "pci/pci_device.h"

/*
 * Adds the display.* findings for dev when it is a display device; nothing otherwise.
 * bind: the group plan (the members `bind --group` moves to vfio-pci).
 */
void check_display(struct findings *fs, const struct pci_device_list *devices, const struct pci_device *dev,
		   const char *const *bind, size_t n_bind);

#endif
