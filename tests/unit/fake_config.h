/* Config spaces built in memory for the unit tests. */
#ifndef VT_TEST_FAKE_CONFIG_H
#define VT_TEST_FAKE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "pci/pci_config.h"

/*
 * A device with a PCIe capability of this type at 0x40 (-1: none), header type 1 when bridge,
 * bit 7 of the header type when mf, and an ACS capability at 0x100 when acs_cap >= 0 (ACSCap
 * word at +4, ACSCtl word at +6).
 */
void fake_config(struct pci_config *cfg, int type, bool bridge, bool mf, int acs_cap, uint16_t acs_ctl);

#endif
