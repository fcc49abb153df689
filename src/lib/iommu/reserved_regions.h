/* An IOMMU group's reserved IOVA regions (/sys/kernel/iommu_groups/N/reserved_regions) and what each costs. */
#ifndef VT_RESERVED_REGIONS_H
#define VT_RESERVED_REGIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/iommu_platform.h"

struct reserved_region {
	uint64_t start, end;	/* inclusive */
	char type[24];		/* "msi", "reserved", "direct", "direct-relaxable" */
};

struct reserved_regions {
	struct reserved_region *r;
	size_t n;
};

/* Reads group's regions; false when the file is missing or unreadable (out left empty). */
bool reserved_regions_read(int group, struct reserved_regions *out);
void reserved_regions_free(struct reserved_regions *rr);

/*
 * What the region is on this platform and what it costs a user of the IOVA space (a
 * VMM placing guest RAM, a DPDK or SPDK process mapping its buffers).
 */
const char *reserved_region_meaning(const struct reserved_region *r, enum iommu_platform p,
				    enum machine_arch a);

/* "12 GiB", "1 MiB", "4 KiB": the region's length. */
void reserved_region_size(const struct reserved_region *r, char *buf, size_t len);

#endif
