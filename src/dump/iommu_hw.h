/* vfio-dump iommu's "hardware" section: IOMMU_GET_HW_INFO through the iommufd backend. */
#ifndef VFIO_DUMP_IOMMU_HW_H
#define VFIO_DUMP_IOMMU_HW_H

#include <stdbool.h>

#include "util/json.h"
#include "vfio/iommu_hw_info.h"
#include "vfio/vfio_backend.h"

struct dump_hw {
	bool have;			/* r, regs and facts hold the kernel's answer */
	char why_not[320];		/* !have: the NOTE that says why there is none */
	struct iommu_hw_info_result r;
	struct hw_registers regs;
	struct hw_facts facts;
	char notes[2][160];		/* what this kernel leaves out: PASID width, capabilities */
	int n_notes;
};

/*
 * Asks the IOMMU through d (iommufd backend only, else a NOTE why not).  False after
 * reporting a failed IOMMU_GET_HW_INFO (h then says the same, for the rest of the report).
 */
bool dump_hw_read(const struct vfio_dev *d, const struct vfio_iommu_view *v, struct dump_hw *h);
void dump_hw_print(const struct dump_hw *h);
/* "hw_info" (object or null) and "hw_info_note" (string or null). */
void dump_hw_json(struct json *j, const struct dump_hw *h);

#endif
