/*
 * An IOMMU's identification registers turned into named facts, without I/O: Intel VT-d
 * CAP and ECAP, AMD-Vi EFR and EFR2, Arm SMMUv3 IDR0-5, IIDR and AIDR, and NVIDIA
 * Tegra241 CMDQV's PARAM fields.  The bit positions are those the Linux 7.2 drivers read
 * (drivers/iommu/intel/iommu.h, amd/amd_iommu_types.h, arm/arm-smmu-v3/arm-smmu-v3.h),
 * restated as one table (iommu_hw_fields.c).
 */
#ifndef VT_IOMMU_HW_REGS_H
#define VT_IOMMU_HW_REGS_H

#include <stddef.h>
#include <stdint.h>

enum hw_fact_kind {
	HW_FACT_FLAG,		/* value 0 or 1: "yes" / "no" */
	HW_FACT_NUMBER,		/* value, decimal */
	HW_FACT_HEX,		/* value, "0x..." */
	HW_FACT_TEXT,		/* text */
};

struct hw_fact {
	const char *reg;	/* the register it is read from: "cap", "efr", "idr0" */
	const char *name;	/* the specification's name: "CM", "SAGAW", "HTTU" */
	const char *key;	/* for JSON, unique within reg: "cm", "sagaw", "httu" */
	const char *meaning;	/* "caching mode: ..." */
	enum hw_fact_kind kind;
	uint64_t value;
	char text[48];
};

#define HW_FACTS_MAX 112

struct hw_facts {
	size_t n;
	struct hw_fact f[HW_FACTS_MAX];
};

/* One field of a register: bits [lo, lo + bits) and how to read them. */
struct hw_field {
	const char *reg;	/* "cap", "ecap", "efr", "efr2", "idr0", ... */
	const char *name, *key, *meaning;
	uint8_t lo, bits;
	/* NULL: a one-bit field is a flag, a wider one a number; else it sets kind, value, text */
	void (*shape)(uint64_t field, struct hw_fact *f);
};

/* Every register's fields, register by register (iommu_hw_fields.c). */
extern const struct hw_field hw_fields[];
extern const size_t hw_fields_len;

/* Appends one fact per field of register reg, read from value. */
void hw_facts_add(struct hw_facts *out, const char *reg, uint64_t value);
/* The fact reg.key, or NULL. */
const struct hw_fact *hw_fact_find(const struct hw_facts *facts, const char *reg, const char *key);
/* The fact's value as text: "yes", "39", "0x43b", "2M 1G". */
const char *hw_fact_value(const struct hw_fact *f, char *buf, size_t len);

/* Intel VT-d: the Capability and Extended Capability registers; flags, iommufd's VT-d flags. */
void vtd_regs_decode(uint32_t flags, uint64_t cap, uint64_t ecap, struct hw_facts *out);
/* AMD-Vi: the Extended Feature registers. */
void amd_regs_decode(uint64_t efr, uint64_t efr2, struct hw_facts *out);
/* Arm SMMUv3: IDR0, IDR1, IDR3 and IDR5 (the ones that describe translation), IIDR, AIDR. */
void smmuv3_regs_decode(const uint32_t idr[6], uint32_t iidr, uint32_t aidr, struct hw_facts *out);
/* NVIDIA Tegra241 CMDQV: the PARAM fields the kernel passes on. */
void tegra241_cmdqv_decode(uint8_t version, uint8_t log2vcmdqs, uint8_t log2vsids, struct hw_facts *out);

#endif
