/*
 * IOMMU_GET_HW_INFO: the register decoders on known values (QEMU 7.2's intel-iommu as the
 * lab shows it, and composed VT-d, AMD-Vi, SMMUv3 and Tegra241 values), the type's data
 * as named registers, and the query against kernels of each age played by a fake ioctl.
 */
#include <errno.h>
#include <string.h>

#include "vfio/iommu_hw_info.h"
#include "vfio/vfio_iommufd_uapi.h"
#include "tap.h"

#define BIT(n) (UINT64_C(1) << (n))

/* The register values decoded below, each as the kernel's data of its type. */
enum subject {
	QEMU_VTD,	/* `-device intel-iommu` of QEMU 7.2 (caching-mode off, aw-bits 39), as 6.12 and 7.2 show it */
	VTD_FULL,	/* QEMU's caching-mode=on,x-scalable-mode=on,aw-bits=48 plus a host's first-level bits */
	VTD_ZERO,
	AMD_HOST,
	AMD_ODD,	/* reserved encodings */
	SMMU_HOST,
	SMMU_ODD,
	TEGRA,
	SUBJECTS
};

#define QEMU_CAP UINT64_C(0x00d2008c22260206)
#define QEMU_ECAP UINT64_C(0xf00f4a)
/* CM, SAGAW 39+48, FL1GP, FL5LP; MGAW 48 and ND 2 replace the field's bits */
#define FULL_CAP (((QEMU_CAP | BIT(7) | BIT(10) | BIT(56) | BIT(60)) & ~(UINT64_C(0x3f) << 16) & ~UINT64_C(7)) | \
	(UINT64_C(47) << 16) | 2)
/* C, DT, EIM, SC, NEST, PRS, PSS 19, PASID, SMTS, SLADS, SLTS, FLTS */
#define FULL_ECAP (QEMU_ECAP | BIT(0) | BIT(2) | BIT(4) | BIT(7) | BIT(26) | BIT(29) | (UINT64_C(19) << 35) | \
	BIT(40) | BIT(43) | BIT(45) | BIT(46) | BIT(47))
/* PreF, PPR, XT, GT, GA, HATS 1, GATS 1, GLX 1, PASmax 15, HA, HD */
#define AMD_EFR (BIT(0) | BIT(1) | BIT(2) | BIT(4) | BIT(7) | (UINT64_C(1) << 10) | (UINT64_C(1) << 12) | \
	(UINT64_C(1) << 14) | (UINT64_C(15) << 32) | BIT(49) | BIT(52))
/* S2P S1P, TTF AArch64, COHACC, HTTU 2, ATS, ASID16, MSI, PRI, VMID16, CD2L, TTENDIAN little, STALL 1, ST 2-level */
#define SMMU_IDR0 ((1u << 0) | (1u << 1) | (2u << 2) | (1u << 4) | (2u << 6) | (1u << 10) | (1u << 12) | \
	(1u << 13) | (1u << 16) | (1u << 18) | (1u << 19) | (2u << 21) | (1u << 24) | (1u << 27))

static void subject_data(enum subject s, struct iommu_hw_info_result *r)
{
	struct vt_iommu_hw_info_vtd vtd = { .flags = 1, .cap_reg = QEMU_CAP, .ecap_reg = QEMU_ECAP };
	struct vt_iommu_hw_info_amd amd = { .efr = AMD_EFR, .efr2 = (UINT64_C(1) << 8) | BIT(1) };
	struct vt_iommu_hw_info_arm_smmuv3 smmu = {
		.idr = { SMMU_IDR0, 16u | (20u << 6) | (8u << 11) | (7u << 16) | (8u << 21), 0, (1u << 10) | (2u << 11), 0,
			 5u | (1u << 4) | (1u << 6) | (1u << 10) | (0x80u << 16) },
		.iidr = (0x12u << 20) | (1u << 16) | 0x43b, .aidr = 0x2,
	};
	struct vt_iommu_hw_info_tegra241_cmdqv tegra = { .version = 1, .log2vcmdqs = 7, .log2vsids = 4 };
	const void *data = &vtd;
	size_t len = sizeof(vtd);

	memset(r, 0, sizeof(*r));
	r->type = VT_HW_INFO_TYPE_INTEL_VTD;
	if (s == VTD_FULL) {
		vtd.cap_reg = FULL_CAP;
		vtd.ecap_reg = FULL_ECAP;
	} else if (s == VTD_ZERO) {
		vtd = (struct vt_iommu_hw_info_vtd){ 0 };
	} else if (s == AMD_HOST || s == AMD_ODD) {
		if (s == AMD_ODD)
			amd = (struct vt_iommu_hw_info_amd){ .efr = (UINT64_C(3) << 10) | (UINT64_C(2) << 12),
							     .efr2 = UINT64_C(2) << 8 };
		r->type = VT_HW_INFO_TYPE_AMD;
		data = &amd;
		len = sizeof(amd);
	} else if (s == SMMU_HOST || s == SMMU_ODD) {
		if (s == SMMU_ODD)
			smmu = (struct vt_iommu_hw_info_arm_smmuv3){ .idr = { 3u << 2 | 3u << 6 | 1u << 21, [5] = 7 },
								     .aidr = 0x10 };
		r->type = VT_HW_INFO_TYPE_ARM_SMMUV3;
		data = &smmu;
		len = sizeof(smmu);
	} else if (s == TEGRA) {
		r->type = VT_HW_INFO_TYPE_TEGRA241_CMDQV;
		data = &tegra;
		len = sizeof(tegra);
	}
	memcpy(r->data.bytes, data, len);
	r->data_len = (uint32_t)len;
}

static const struct expect {
	enum subject s;
	const char *reg, *key, *want;
} expects[] = {
	{ QEMU_VTD, "flags", "errata_772415_spr17", "yes" },
	{ QEMU_VTD, "cap", "domains", "65536" },
	{ QEMU_VTD, "cap", "sagaw", "39-bit/3-level" },
	{ QEMU_VTD, "cap", "mgaw", "39" },
	{ QEMU_VTD, "cap", "cm", "no" },
	{ QEMU_VTD, "cap", "sllps", "2M 1G" },
	{ QEMU_VTD, "cap", "psi", "yes" },
	{ QEMU_VTD, "cap", "mamv", "18" },
	{ QEMU_VTD, "cap", "nfr", "1" },
	{ QEMU_VTD, "cap", "fl1gp", "no" },
	{ QEMU_VTD, "cap", "dwd", "yes" },
	{ QEMU_VTD, "ecap", "c", "no" },
	{ QEMU_VTD, "ecap", "qi", "yes" },
	{ QEMU_VTD, "ecap", "ir", "yes" },
	{ QEMU_VTD, "ecap", "eim", "no" },
	{ QEMU_VTD, "ecap", "dt", "no" },
	{ QEMU_VTD, "ecap", "pt", "yes" },
	{ QEMU_VTD, "ecap", "sc", "no" },
	{ QEMU_VTD, "ecap", "mhmv", "15" },
	{ QEMU_VTD, "ecap", "pasid", "no" },
	{ QEMU_VTD, "ecap", "smts", "no" },
	{ QEMU_VTD, "ecap", "slads", "no" },
	{ VTD_FULL, "cap", "cm", "yes" },
	{ VTD_FULL, "cap", "sagaw", "39-bit/3-level 48-bit/4-level" },
	{ VTD_FULL, "cap", "mgaw", "48" },
	{ VTD_FULL, "cap", "domains", "256" },
	{ VTD_FULL, "cap", "fl1gp", "yes" },
	{ VTD_FULL, "cap", "fl5lp", "yes" },
	{ VTD_FULL, "ecap", "c", "yes" },
	{ VTD_FULL, "ecap", "dt", "yes" },
	{ VTD_FULL, "ecap", "eim", "yes" },
	{ VTD_FULL, "ecap", "sc", "yes" },
	{ VTD_FULL, "ecap", "nest", "yes" },
	{ VTD_FULL, "ecap", "prs", "yes" },
	{ VTD_FULL, "ecap", "pasid", "yes" },
	{ VTD_FULL, "ecap", "pasid_bits", "20" },
	{ VTD_FULL, "ecap", "smts", "yes" },
	{ VTD_FULL, "ecap", "slads", "yes" },
	{ VTD_FULL, "ecap", "slts", "yes" },
	{ VTD_FULL, "ecap", "flts", "yes" },
	{ VTD_ZERO, "flags", "errata_772415_spr17", "no" },
	{ VTD_ZERO, "cap", "sagaw", "none" },
	{ VTD_ZERO, "cap", "sllps", "none" },
	{ VTD_ZERO, "cap", "domains", "16" },
	{ AMD_HOST, "efr", "prefetch", "yes" },
	{ AMD_HOST, "efr", "ppr", "yes" },
	{ AMD_HOST, "efr", "xt", "yes" },
	{ AMD_HOST, "efr", "nx", "no" },
	{ AMD_HOST, "efr", "gt", "yes" },
	{ AMD_HOST, "efr", "ga", "yes" },
	{ AMD_HOST, "efr", "host_levels", "5" },
	{ AMD_HOST, "efr", "guest_levels", "5" },
	{ AMD_HOST, "efr", "glx", "1" },
	{ AMD_HOST, "efr", "pasid_bits", "16" },
	{ AMD_HOST, "efr", "ha", "yes" },
	{ AMD_HOST, "efr", "hd", "yes" },
	{ AMD_HOST, "efr", "snp", "no" },
	{ AMD_HOST, "efr2", "irte_entries", "2048" },
	{ AMD_HOST, "efr2", "sev_snp_io", "yes" },
	{ AMD_ODD, "efr", "host_levels", "reserved (3)" },
	{ AMD_ODD, "efr", "guest_levels", "reserved (2)" },
	{ AMD_ODD, "efr", "hd", "no" },
	{ AMD_ODD, "efr2", "irte_entries", "reserved (2)" },
	{ SMMU_HOST, "idr0", "s1p", "yes" },
	{ SMMU_HOST, "idr0", "s2p", "yes" },
	{ SMMU_HOST, "idr0", "ttf", "AArch64" },
	{ SMMU_HOST, "idr0", "cohacc", "yes" },
	{ SMMU_HOST, "idr0", "httu", "access dirty" },
	{ SMMU_HOST, "idr0", "ats", "yes" },
	{ SMMU_HOST, "idr0", "pri", "yes" },
	{ SMMU_HOST, "idr0", "msi", "yes" },
	{ SMMU_HOST, "idr0", "asid16", "yes" },
	{ SMMU_HOST, "idr0", "vmid16", "yes" },
	{ SMMU_HOST, "idr0", "hyp", "no" },
	{ SMMU_HOST, "idr0", "ttendian", "little" },
	{ SMMU_HOST, "idr0", "stall_model", "terminate" },
	{ SMMU_HOST, "idr0", "st_level", "2-level" },
	{ SMMU_HOST, "idr1", "sidsize", "16" },
	{ SMMU_HOST, "idr1", "ssidsize", "20" },
	{ SMMU_HOST, "idr3", "ril", "yes" },
	{ SMMU_HOST, "idr3", "bbml", "2" },
	{ SMMU_HOST, "idr5", "oas", "48" },
	{ SMMU_HOST, "idr5", "gran4k", "yes" },
	{ SMMU_HOST, "idr5", "gran16k", "no" },
	{ SMMU_HOST, "idr5", "gran64k", "yes" },
	{ SMMU_HOST, "idr5", "vax", "52-bit" },
	{ SMMU_HOST, "idr5", "stall_max", "128" },
	{ SMMU_HOST, "iidr", "implementer", "0x43b" },
	{ SMMU_HOST, "iidr", "product_id", "0x12" },
	{ SMMU_HOST, "iidr", "variant", "1" },
	{ SMMU_HOST, "aidr", "arch", "SMMUv3.2" },
	{ SMMU_ODD, "idr0", "ttf", "AArch32 AArch64" },
	{ SMMU_ODD, "idr0", "httu", "access dirty HAFT" },
	{ SMMU_ODD, "idr0", "ttendian", "reserved (1)" },
	{ SMMU_ODD, "idr5", "oas", "reserved (7)" },
	{ SMMU_ODD, "aidr", "arch", "reserved (0x10)" },
	{ TEGRA, "log2vcmdqs", "log2vcmdqs", "7" },
	{ TEGRA, "log2vsids", "log2vsids", "4" },
};

static const char *const subject_names[SUBJECTS] = { "QEMU VT-d", "VT-d full", "VT-d zero", "AMD host", "AMD odd",
						     "SMMUv3 host", "SMMUv3 odd", "Tegra241" };

/* Each expectation: the subject's data decoded through iommu_hw_info_decode, then the fact found. */
static void decoded_facts(void)
{
	struct iommu_hw_info_result r;
	struct hw_registers regs;
	struct hw_facts f;
	const struct hw_fact *x;
	char buf[48];
	size_t i;

	for (i = 0; i < sizeof(expects) / sizeof(expects[0]); i++) {
		const struct expect *e = &expects[i];
		const char *got;

		subject_data(e->s, &r);
		iommu_hw_info_decode(&r, &regs, &f);
		x = hw_fact_find(&f, e->reg, e->key);
		got = x ? hw_fact_value(x, buf, sizeof(buf)) : "(missing)";
		tap_ok(strcmp(got, e->want) == 0, "%s: %s.%s = %s (got %s)", subject_names[e->s], e->reg, e->key, e->want,
		       got);
	}
	tap_ok(hw_fact_find(&f, "cap", "nope") == NULL, "an unknown key is not found");
}

/* The type's data as named registers. */
static void registers_by_type(void)
{
	struct iommu_hw_info_result r;
	struct hw_registers regs;
	struct hw_facts f;
	char buf[8];

	subject_data(QEMU_VTD, &r);
	iommu_hw_info_decode(&r, &regs, &f);
	tap_ok(regs.n == 3 && strcmp(regs.r[1].name, "cap") == 0 && regs.r[1].value == QEMU_CAP &&
	       regs.r[2].value == QEMU_ECAP && regs.r[0].value == 1 && regs.r[0].bits == 32 && regs.r[1].bits == 64,
	       "vtd data: flags (32 bits), cap, ecap (64)");
	subject_data(SMMU_HOST, &r);
	iommu_hw_info_decode(&r, &regs, &f);
	tap_ok(regs.n == 9 && strcmp(regs.r[8].name, "aidr") == 0 && regs.r[8].value == 2 && regs.r[6].value >> 16 == 0x80,
	       "smmuv3 data: flags, idr0..idr5, iidr, aidr");
	subject_data(AMD_HOST, &r);
	iommu_hw_info_decode(&r, &regs, &f);
	tap_ok(regs.n == 2 && strcmp(regs.r[0].name, "efr") == 0 && regs.r[0].value == AMD_EFR, "amd data: efr, efr2");
	r.type = 9;
	r.data_len = 12;
	iommu_hw_info_decode(&r, &regs, &f);
	tap_ok(regs.n == 2 && f.n == 0 && strcmp(regs.r[1].name, "data1") == 0, "unknown type 9: data as words, no facts");
	r.type = VT_HW_INFO_TYPE_NONE;
	iommu_hw_info_decode(&r, &regs, &f);
	tap_ok(regs.n == 0 && f.n == 0, "type none: no registers");
	tap_ok(strcmp(iommu_hw_type_name(2), "arm_smmuv3") == 0 && strcmp(iommu_hw_type_name(4), "amd") == 0 &&
	       strcmp(iommu_hw_type_name(3), "tegra241_cmdqv") == 0 && strcmp(iommu_hw_type_name(77), "unknown") == 0,
	       "type names");
	tap_ok(strcmp(iommu_hw_cap_name(0, buf), "dirty_tracking") == 0 &&
	       strcmp(iommu_hw_cap_name(3, buf), "pci_ats_not_supported") == 0 &&
	       strcmp(iommu_hw_cap_name(9, buf), "bit9") == 0, "capability names");
}

/* A kernel of a given age answering IOMMU_GET_HW_INFO the way its iommufd does. */
static int kernel_struct_size;		/* 0: no such ioctl */
static bool kernel_knows_pasid;
static int calls;

static int fake_kernel(int fd, unsigned long request, void *arg)
{
	struct vt_iommu_hw_info *q = arg;
	const unsigned char *b = arg;
	struct vt_iommu_hw_info_vtd vtd = { .cap_reg = 0x1234, .ecap_reg = 0x5678 };
	unsigned i;

	(void)fd;
	calls++;
	if (!kernel_struct_size || request != IOMMU_GET_HW_INFO) {
		errno = ENOTTY;
		return -1;
	}
	for (i = (unsigned)kernel_struct_size; i < q->size; i++)	/* copy_struct_from_user */
		if (b[i]) {
			errno = E2BIG;
			return -1;
		}
	if (q->flags || q->__reserved[0] || q->__reserved[1] || q->__reserved[2] ||
	    (!kernel_knows_pasid && q->out_max_pasid_log2)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	memcpy((void *)(uintptr_t)q->data_uptr, &vtd, sizeof(vtd));
	q->data_len = sizeof(vtd);
	q->data_type = VT_HW_INFO_TYPE_INTEL_VTD;
	if (kernel_knows_pasid)
		q->out_max_pasid_log2 = 0;
	if (kernel_struct_size >= 40)
		q->out_capabilities = VT_HW_CAP_PCI_ATS_NOT_SUPPORTED;
	return 0;
}

static int ask(int size, bool pasid, struct iommu_hw_info_result *r, char *why, size_t whylen)
{
	kernel_struct_size = size;
	kernel_knows_pasid = pasid;
	calls = 0;
	return iommu_hw_info_query_via(fake_kernel, -1, 1, r, why, whylen);
}

static void query_by_kernel_age(void)
{
	struct iommu_hw_info_result r;
	char why[256] = "";
	int rc;

	rc = ask(40, true, &r, why, sizeof(why));
	tap_ok(rc == 0 && calls == 1 && r.has_max_pasid && r.max_pasid_log2 == 0 && r.has_capabilities &&
	       r.capabilities == VT_HW_CAP_PCI_ATS_NOT_SUPPORTED && !r.dirty_tracking && r.type == 1 && r.data_len == 24,
	       "6.15+: one call, PASID width and capabilities reported (%s)", why);
	rc = ask(40, false, &r, why, sizeof(why));
	tap_ok(rc == 0 && calls == 2 && !r.has_max_pasid && r.has_capabilities && r.capabilities == VT_HW_CAP_PCI_ATS_NOT_SUPPORTED,
	       "6.7-6.14: the PASID byte is refused, asked again without: no PASID width (%s)", why);
	rc = ask(32, false, &r, why, sizeof(why));
	tap_ok(rc == 0 && calls == 2 && !r.has_max_pasid && !r.has_capabilities && r.capabilities == 0 &&
	       r.type == 1 && r.data.bytes[8] == 0x34,
	       "6.6: out_capabilities is past its struct (E2BIG), asked again: neither field, the data read (%s)", why);
	rc = ask(0, false, &r, why, sizeof(why));
	tap_ok(rc == -ENOTTY && calls == 1 && strstr(why, "not known to this kernel"), "before 6.6: ENOTTY (%s)", why);
}

void test_iommu_hw_info(void)
{
	decoded_facts();
	registers_by_type();
	query_by_kernel_age();
}
