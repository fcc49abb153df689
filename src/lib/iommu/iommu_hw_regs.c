#include <stdio.h>
#include <string.h>

#include "iommu/iommu_hw_regs.h"

void hw_facts_add(struct hw_facts *out, const char *reg, uint64_t value)
{
	size_t i;

	for (i = 0; i < hw_fields_len && out->n < HW_FACTS_MAX; i++) {
		const struct hw_field *t = &hw_fields[i];
		uint64_t mask = t->bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << t->bits) - 1;
		struct hw_fact *f;

		if (strcmp(t->reg, reg) != 0)
			continue;
		f = &out->f[out->n++];
		*f = (struct hw_fact){ .reg = t->reg, .name = t->name, .key = t->key, .meaning = t->meaning,
				       .kind = t->bits == 1 ? HW_FACT_FLAG : HW_FACT_NUMBER,
				       .value = (value >> t->lo) & mask };
		if (t->shape)
			t->shape(f->value, f);
	}
}

const struct hw_fact *hw_fact_find(const struct hw_facts *facts, const char *reg, const char *key)
{
	size_t i;

	for (i = 0; i < facts->n; i++)
		if (strcmp(facts->f[i].reg, reg) == 0 && strcmp(facts->f[i].key, key) == 0)
			return &facts->f[i];
	return NULL;
}

const char *hw_fact_value(const struct hw_fact *f, char *buf, size_t len)
{
	if (f->kind == HW_FACT_FLAG)
		return f->value ? "yes" : "no";
	if (f->kind == HW_FACT_TEXT)
		return f->text;
	snprintf(buf, len, f->kind == HW_FACT_HEX ? "0x%llx" : "%llu", (unsigned long long)f->value);
	return buf;
}

void vtd_regs_decode(uint32_t flags, uint64_t cap, uint64_t ecap, struct hw_facts *out)
{
	hw_facts_add(out, "flags", flags);
	hw_facts_add(out, "cap", cap);
	hw_facts_add(out, "ecap", ecap);
}

void amd_regs_decode(uint64_t efr, uint64_t efr2, struct hw_facts *out)
{
	hw_facts_add(out, "efr", efr);
	hw_facts_add(out, "efr2", efr2);
}

void smmuv3_regs_decode(const uint32_t idr[6], uint32_t iidr, uint32_t aidr, struct hw_facts *out)
{
	hw_facts_add(out, "idr0", idr[0]);
	hw_facts_add(out, "idr1", idr[1]);
	hw_facts_add(out, "idr3", idr[3]);
	hw_facts_add(out, "idr5", idr[5]);
	hw_facts_add(out, "iidr", iidr);
	hw_facts_add(out, "aidr", aidr);
}

void tegra241_cmdqv_decode(uint8_t version, uint8_t log2vcmdqs, uint8_t log2vsids, struct hw_facts *out)
{
	hw_facts_add(out, "version", version);
	hw_facts_add(out, "log2vcmdqs", log2vcmdqs);
	hw_facts_add(out, "log2vsids", log2vsids);
}
