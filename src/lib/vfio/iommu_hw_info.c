#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "util/report.h"
#include "vfio/iommu_hw_info.h"
#include "vfio/vfio_iommufd_uapi.h"

_Static_assert(sizeof(struct vt_iommu_hw_info_arm_smmuv3) <= IOMMU_HW_DATA_MAX, "room for the largest type");

/* Seeds in fields a kernel may not know: an older one refuses the call, a newer one overwrites them. */
#define PASID_SEED 0xff
#define CAPABILITIES_SEED UINT64_C(0x8000000000000000)

static int plain_ioctl(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg);
}

int iommu_hw_info_query(int iommufd, uint32_t dev_id, struct iommu_hw_info_result *r, char *why, size_t whylen)
{
	return iommu_hw_info_query_via(plain_ioctl, iommufd, dev_id, r, why, whylen);
}

int iommu_hw_info_query_via(iommufd_ioctl_fn call, int iommufd, uint32_t dev_id, struct iommu_hw_info_result *r,
			    char *why, size_t whylen)
{
	struct vt_iommu_hw_info q;
	bool caps = true, pasid = true;
	int err;

	memset(r, 0, sizeof(*r));
	for (;;) {
		memset(&q, 0, sizeof(q));
		memset(&r->data, 0, sizeof(r->data));
		q.size = sizeof(q);
		q.dev_id = dev_id;
		q.data_len = sizeof(r->data);
		q.data_uptr = (uintptr_t)r->data.bytes;
		if (pasid)
			q.out_max_pasid_log2 = PASID_SEED;
		if (caps)
			q.out_capabilities = CAPABILITIES_SEED;
		if (call(iommufd, IOMMU_GET_HW_INFO, &q) == 0)
			break;
		err = errno;
		if (err == E2BIG && caps)		/* 6.6: a 32-byte struct */
			caps = pasid = false;
		else if (err == EOPNOTSUPP && pasid)	/* 6.7 to 6.14: a reserved u32 there */
			pasid = false;
		else if (err == ENOTTY)
			return vt_why(err, why, whylen, "/dev/iommu: IOMMU_GET_HW_INFO: not known to this kernel");
		else if (err == ENOENT)
			return vt_why(err, why, whylen, "/dev/iommu: IOMMU_GET_HW_INFO: device %u has no IOMMU behind it",
				      dev_id);
		else
			return vt_why_errno(err, why, whylen, "/dev/iommu: IOMMU_GET_HW_INFO");
	}
	r->type = q.data_type;
	r->data_len = q.data_len;
	r->has_capabilities = caps;
	r->capabilities = caps ? q.out_capabilities : 0;
	r->dirty_tracking = r->capabilities & VT_HW_CAP_DIRTY_TRACKING;
	r->has_max_pasid = pasid;
	r->max_pasid_log2 = pasid ? q.out_max_pasid_log2 : 0;
	return 0;
}

static const struct {
	const char *name, *description;
} types[] = {
	[VT_HW_INFO_TYPE_NONE] = { "none", "no hardware info (the IOMMU driver gives none)" },
	[VT_HW_INFO_TYPE_INTEL_VTD] = { "intel_vtd", "Intel VT-d" },
	[VT_HW_INFO_TYPE_ARM_SMMUV3] = { "arm_smmuv3", "Arm SMMUv3" },
	[VT_HW_INFO_TYPE_TEGRA241_CMDQV] = { "tegra241_cmdqv", "NVIDIA Tegra241 CMDQV (an SMMUv3 extension)" },
	[VT_HW_INFO_TYPE_AMD] = { "amd", "AMD-Vi" },
};

const char *iommu_hw_type_name(uint32_t type)
{
	return type < sizeof(types) / sizeof(types[0]) ? types[type].name : "unknown";
}

const char *iommu_hw_type_description(uint32_t type)
{
	return type < sizeof(types) / sizeof(types[0]) ? types[type].description : "unknown to vfio-tools";
}

const char *iommu_hw_cap_name(unsigned bit, char buf[8])
{
	static const char *const names[] = { "dirty_tracking", "pci_pasid_exec", "pci_pasid_priv",
					     "pci_ats_not_supported" };

	if (bit < sizeof(names) / sizeof(names[0]))
		return names[bit];
	snprintf(buf, 8, "bit%u", bit % 64);
	return buf;
}

/* Where each register sits in a type's data. */
struct reg_place {
	const char *name;
	uint8_t offset, bytes;
};

#define PLACE(type, member, name) { name, offsetof(type, member), sizeof(((type *)0)->member) }
#define VTD(member, name) PLACE(struct vt_iommu_hw_info_vtd, member, name)
#define SMMU(member, name) PLACE(struct vt_iommu_hw_info_arm_smmuv3, member, name)
#define TEGRA(member, name) PLACE(struct vt_iommu_hw_info_tegra241_cmdqv, member, name)
#define AMD(member, name) PLACE(struct vt_iommu_hw_info_amd, member, name)

static const struct reg_place vtd_places[] = { VTD(flags, "flags"), VTD(cap_reg, "cap"), VTD(ecap_reg, "ecap") };
static const struct reg_place smmuv3_places[] = {
	SMMU(flags, "flags"), SMMU(idr[0], "idr0"), SMMU(idr[1], "idr1"), SMMU(idr[2], "idr2"),
	SMMU(idr[3], "idr3"), SMMU(idr[4], "idr4"), SMMU(idr[5], "idr5"), SMMU(iidr, "iidr"), SMMU(aidr, "aidr"),
};
static const struct reg_place tegra241_places[] = {
	TEGRA(flags, "flags"), TEGRA(version, "version"), TEGRA(log2vcmdqs, "log2vcmdqs"), TEGRA(log2vsids, "log2vsids"),
};
static const struct reg_place amd_places[] = { AMD(efr, "efr"), AMD(efr2, "efr2") };
/* An unknown type: its data as 64-bit words. */
static const struct reg_place word_places[IOMMU_HW_DATA_MAX / 8] = {
	{ "data0", 0, 8 }, { "data1", 8, 8 }, { "data2", 16, 8 }, { "data3", 24, 8 },
	{ "data4", 32, 8 }, { "data5", 40, 8 }, { "data6", 48, 8 }, { "data7", 56, 8 },
};

static void vtd_facts(const uint64_t *v, struct hw_facts *facts)
{
	vtd_regs_decode((uint32_t)v[0], v[1], v[2], facts);
}

static void smmuv3_facts(const uint64_t *v, struct hw_facts *facts)
{
	uint32_t idr[6];
	unsigned i;

	for (i = 0; i < 6; i++)
		idr[i] = (uint32_t)v[1 + i];
	smmuv3_regs_decode(idr, (uint32_t)v[7], (uint32_t)v[8], facts);
}

static void tegra241_facts(const uint64_t *v, struct hw_facts *facts)
{
	tegra241_cmdqv_decode((uint8_t)v[1], (uint8_t)v[2], (uint8_t)v[3], facts);
}

static void amd_facts(const uint64_t *v, struct hw_facts *facts)
{
	amd_regs_decode(v[0], v[1], facts);
}

static const struct {
	uint32_t type;
	const struct reg_place *places;
	size_t n;
	void (*facts)(const uint64_t *values, struct hw_facts *facts);
} layouts[] = {
	{ VT_HW_INFO_TYPE_INTEL_VTD, vtd_places, sizeof(vtd_places) / sizeof(vtd_places[0]), vtd_facts },
	{ VT_HW_INFO_TYPE_ARM_SMMUV3, smmuv3_places, sizeof(smmuv3_places) / sizeof(smmuv3_places[0]), smmuv3_facts },
	{ VT_HW_INFO_TYPE_TEGRA241_CMDQV, tegra241_places, sizeof(tegra241_places) / sizeof(tegra241_places[0]),
	  tegra241_facts },
	{ VT_HW_INFO_TYPE_AMD, amd_places, sizeof(amd_places) / sizeof(amd_places[0]), amd_facts },
};

static uint64_t read_place(const struct iommu_hw_info_result *r, const struct reg_place *p)
{
	const uint8_t *at = r->data.bytes + p->offset;
	uint32_t v32;
	uint64_t v64;

	if (p->bytes == 8) {
		memcpy(&v64, at, sizeof(v64));
		return v64;
	}
	if (p->bytes == 4) {
		memcpy(&v32, at, sizeof(v32));
		return v32;
	}
	return *at;
}

static void read_places(const struct iommu_hw_info_result *r, const struct reg_place *places, size_t n,
			struct hw_registers *regs, uint64_t *values)
{
	size_t i;

	for (i = 0; i < n && i < HW_REGISTERS_MAX; i++) {
		values[i] = read_place(r, &places[i]);
		regs->r[regs->n++] = (struct hw_register){ places[i].name, values[i], 8u * places[i].bytes };
	}
}

void iommu_hw_info_decode(const struct iommu_hw_info_result *r, struct hw_registers *regs, struct hw_facts *facts)
{
	uint64_t values[HW_REGISTERS_MAX];
	size_t i, words;

	regs->n = 0;
	facts->n = 0;
	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (layouts[i].type == r->type) {
			read_places(r, layouts[i].places, layouts[i].n, regs, values);
			layouts[i].facts(values, facts);
			return;
		}
	if (r->type == VT_HW_INFO_TYPE_NONE)
		return;
	words = ((r->data_len < IOMMU_HW_DATA_MAX ? r->data_len : IOMMU_HW_DATA_MAX) + 7) / 8;
	read_places(r, word_places, words, regs, values);
}
