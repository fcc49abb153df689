/*
 * Where MSI isolation comes from on this machine, with the kernel's evidence. Since Linux 6.2
 * isolation is a property of the MSI irq domain (IRQ_DOMAIN_FLAG_ISOLATED_MSI): x86 interrupt
 * remapping (Intel VT-d, AMD-Vi) and the Arm GICv3 ITS have it, GICv2m frames and x86 without
 * remapping do not; POWER's interrupt controllers isolate under the hypervisor.
 */
#ifndef VT_MSI_ISOLATION_H
#define VT_MSI_ISOLATION_H

#include "iommu/iommu_platform.h"

enum msi_isolation_state {
	MSI_ISOLATED,
	MSI_NOT_ISOLATED,
	MSI_UNKNOWN,		/* nothing shows which controller delivers MSIs */
};

struct msi_isolation {
	enum msi_isolation_state state;
	const char *by;		/* "interrupt remapping (AMD-Vi)", "the GICv3 ITS", "GICv2m", ... */
	char evidence[192];	/* "IR-PCI-MSI domains in /proc/interrupts", ... */
	int intel_ecap_ir;	/* Intel: ecap IR of every DMAR unit (1), of not all (0), none read (-1) */
};

void msi_isolation_detect(enum iommu_platform p, enum machine_arch a, struct msi_isolation *out);

#endif
