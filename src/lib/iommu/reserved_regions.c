/* An IOMMU group's reserved IOVA regions, and what each one is on this platform. */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/reserved_regions.h"
#include "util/report.h"
#include "util/sysfs.h"
#include "util/units.h"

bool reserved_regions_read(int group, struct reserved_regions *out)
{
	char path[PATH_MAX], line[160];
	struct reserved_region r;
	FILE *f;

	memset(out, 0, sizeof(*out));
	if (!sysfs_path(path, sizeof(path), "kernel/iommu_groups/%d/reserved_regions", group) ||
	    !(f = fopen(path, "re")))
		return false;
	while (fgets(line, sizeof(line), f)) {
		memset(&r, 0, sizeof(r));
		if (sscanf(line, "%" SCNx64 " %" SCNx64 " %23s", &r.start, &r.end, r.type) != 3 || r.end < r.start)
			continue;
		out->r = vt_xrealloc(out->r, out->n + 1, sizeof(*out->r));
		out->r[out->n++] = r;
	}
	fclose(f);
	return true;
}

void reserved_regions_free(struct reserved_regions *rr)
{
	free(rr->r);
	rr->r = NULL;
	rr->n = 0;
}

/* The x86 interrupt address window every x86 IOMMU reserves (Intel and AMD alike). */
#define X86_MSI_START 0xfee00000ULL
#define X86_MSI_END 0xfeefffffULL
/* AMD's HyperTransport hole: 1012 GiB up to 1 TiB. */
#define AMD_HT_START 0xfd00000000ULL
#define AMD_HT_END 0xffffffffffULL

const char *reserved_region_meaning(const struct reserved_region *r, enum iommu_platform p,
				    enum machine_arch a)
{
	bool x86 = machine_arch_is_x86(a);

	if (strcmp(r->type, "msi") == 0 && x86 && r->start == X86_MSI_START && r->end == X86_MSI_END)
		return "the x86 interrupt window: DMA there is an interrupt, not memory; it lies in the "
		       "32-bit PCI hole, where no guest RAM goes: it costs nothing";
	if (strcmp(r->type, "msi") == 0)
		return "the software MSI window: the kernel maps the interrupt controller's doorbell here for "
		       "assigned devices; maps at these IOVAs fail (EINVAL), so a VMM keeps guest RAM out "
		       "(QEMU's virt machine does: its RAM starts at 1 GiB) and an IOVA-as-VA process must avoid it";
	if (strcmp(r->type, "reserved") == 0 && p == IOMMU_PLATFORM_AMD && r->start == AMD_HT_START &&
	    r->end == AMD_HT_END)
		return "the AMD HyperTransport hole: the IOMMU cannot translate these addresses; a guest with "
		       "more than 1012 GiB of RAM needs QEMU 7.1 or later, which moves RAM above 1 TiB";
	if (strcmp(r->type, "reserved") == 0)
		return "addresses the IOMMU does not translate (hardware or firmware reserved): nothing can be mapped here";
	if (strcmp(r->type, "direct") == 0)
		return "firmware DMA that must stay identity-mapped (Intel RMRR, AMD IVMD, Arm RMR): VFIO "
		       "refuses to take a device that has one";
	if (strcmp(r->type, "direct-relaxable") == 0)
		return "an identity mapping the host keeps for firmware or legacy DMA (Intel RMRRs of USB and "
		       "graphics devices, the ISA bridge's low 16 MiB); dropped when the device is assigned, and "
		       "not excluded from VFIO's IOVA ranges";
	return "a region type this tool does not know";
}

void reserved_region_size(const struct reserved_region *r, char *buf, size_t len)
{
	uint64_t last = r->end - r->start;	/* the whole 64-bit space has no size that fits */

	format_size(last == UINT64_MAX ? last : last + 1, buf, len);
}
