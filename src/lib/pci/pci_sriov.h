/*
 * SR-IOV as sysfs shows it: a physical function's sriov_totalvfs, sriov_numvfs and
 * sriov_drivers_autoprobe, its VFs (virtfnN links) with their drivers and IOMMU groups,
 * a VF's PF (physfn), and whether the PF's driver can create VFs, which sysfs does not
 * say directly (the driver's sriov_configure callback): inferred, with what from.
 */
#ifndef VT_PCI_SRIOV_H
#define VT_PCI_SRIOV_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/pci_addr.h"

struct pci_sriov_vf {
	char address[PCI_ADDR_STRLEN];
	char driver[64];		/* "" when none */
	char override[64];		/* driver_override, "" when unset */
	int group;			/* -1 when none */
};

enum sriov_capable {
	SRIOV_CAN,			/* the driver creates VFs */
	SRIOV_CANNOT,			/* it does not: writing sriov_numvfs fails */
	SRIOV_UNKNOWN,			/* sysfs does not tell */
};

struct pci_sriov {
	char address[PCI_ADDR_STRLEN];
	char driver[64];		/* the PF's driver, "" when none */
	unsigned total, num;		/* sriov_totalvfs, sriov_numvfs */
	int autoprobe;			/* sriov_drivers_autoprobe: 1, 0, -1 unreadable */
	enum sriov_capable can_create;
	char can_why[256];		/* what can_create was inferred from */
	struct pci_sriov_vf *vf;	/* virtfn0..: the VFs that exist now */
	size_t n_vf;
};

/* True when ADDRESS (canonical) is an SR-IOV PF (has sriov_totalvfs): fills s. */
bool pci_sriov_read(const char *address, struct pci_sriov *s);
void pci_sriov_free(struct pci_sriov *s);

/* A VF's PF (physfn link): true and its address, or false when ADDRESS is no VF. */
bool pci_sriov_physfn(const char *address, char *pf, size_t len);

/* vfio-pci's enable_sriov module parameter: 1 Y, 0 N, -1 unreadable (not loaded, built in, no PCI_IOV). */
int pci_sriov_vfio_enable_sriov(void);

/*
 * Writes sriov_numvfs (0, or a count when it is 0 now, as the kernel requires) and
 * sriov_drivers_autoprobe.  0, or a negative errno with why, which says what the errno
 * means for sriov_numvfs (ENOENT: the driver has no sriov_configure, ...).
 */
int pci_sriov_write_numvfs(const char *address, unsigned n, const char *driver, char *why, size_t whylen);
int pci_sriov_write_autoprobe(const char *address, bool on, char *why, size_t whylen);

#endif
