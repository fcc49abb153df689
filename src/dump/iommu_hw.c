#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "iommu/device_group.h"
#include "tool/tool_options.h"
#include "util/report.h"
#include "vfio/vfio_iommufd.h"
#include "iommu_hw.h"

static const char *kernel_release(struct utsname *u)
{
	return uname(u) == 0 ? u->release : "unknown";
}

/* Why the group backend opened the device, as the end of the NOTE. */
static const char *why_group(const struct vfio_dev *d)
{
	if (tool_common.backend == VFIO_BACKEND_GROUP)
		return iommufd_available(d->address) ? "--backend group was chosen; --backend iommufd asks the IOMMU"
						     : "--backend group was chosen";
	if (!iommufd_present())
		return "no /dev/iommu on this kernel (CONFIG_IOMMUFD)";
	return "the device has no VFIO cdev (CONFIG_VFIO_DEVICE_CDEV, Linux 6.6)";
}

static void add_note(struct dump_hw *h, const char *what, const char *since, const char *release)
{
	if (h->n_notes < 2)
		snprintf(h->notes[h->n_notes++], sizeof(h->notes[0]), "%s: reported from Linux %s; this kernel is %s",
			 what, since, release);
}

bool dump_hw_read(const struct vfio_dev *d, const struct vfio_iommu_view *v, struct dump_hw *h)
{
	struct utsname u;
	char why[256];
	int r;

	memset(h, 0, sizeof(*h));
	if (vfio_is_mdev_uuid(d->address)) {
		snprintf(h->why_not, sizeof(h->why_not), "IOMMU_GET_HW_INFO: a mediated device has no IOMMU of its own "
			 "(its parent driver reaches memory through iommufd's access API)");
		return true;
	}
	if (v->kind == VFIO_IOMMU_KIND_NONE) {
		snprintf(h->why_not, sizeof(h->why_not), "IOMMU_GET_HW_INFO: no IOMMU translates for this device (no-IOMMU mode)");
		return true;
	}
	if (v->kind != VFIO_IOMMU_KIND_IOAS) {
		snprintf(h->why_not, sizeof(h->why_not), "IOMMU_GET_HW_INFO needs the iommufd backend: %s", why_group(d));
		return true;
	}
	r = iommu_hw_info_query(d->iommufd.iommufd, d->iommufd.devid, &h->r, why, sizeof(why));
	if (r == -ENOTTY) {
		snprintf(h->why_not, sizeof(h->why_not), "IOMMU_GET_HW_INFO needs Linux 6.6; this kernel is %s",
			 kernel_release(&u));
		return true;
	}
	if (r < 0) {
		snprintf(h->why_not, sizeof(h->why_not), "%s", why);
		vt_error(d->address, "cannot read the IOMMU's hardware info", "%s", why);
		return false;
	}
	h->have = true;
	iommu_hw_info_decode(&h->r, &h->regs, &h->facts);
	if (!h->r.has_capabilities)
		add_note(h, "capabilities (dirty tracking)", "6.7", kernel_release(&u));
	if (!h->r.has_max_pasid)
		add_note(h, "PASID width", "6.15", kernel_release(&u));
	return true;
}

/* "0x8: pci_ats_not_supported", "none". */
static void capability_list(uint64_t caps, char *buf, size_t len)
{
	size_t used = 0;
	char other[8];
	unsigned bit;

	if (!caps) {
		snprintf(buf, len, "none");
		return;
	}
	used = (size_t)snprintf(buf, len, "0x%llx:", (unsigned long long)caps);
	for (bit = 0; bit < 64 && used < len; bit++)
		if (caps & (UINT64_C(1) << bit))
			used += (size_t)snprintf(buf + used, len - used, " %s", iommu_hw_cap_name(bit, other));
}

static void print_facts_of(const struct dump_hw *h, const char *reg)
{
	char value[48];
	size_t i;

	for (i = 0; i < h->facts.n; i++) {
		const struct hw_fact *f = &h->facts.f[i];

		if (strcmp(f->reg, reg) == 0)
			printf("    %-13s %-16s %s\n", f->name, hw_fact_value(f, value, sizeof(value)), f->meaning);
	}
}

void dump_hw_print(const struct dump_hw *h)
{
	const struct iommu_hw_info_result *r = &h->r;
	char caps[256];
	size_t i;
	int n;

	if (!h->have) {
		printf("NOTE          %s\n", h->why_not);
		return;
	}
	printf("hardware      %s (%s, IOMMU_GET_HW_INFO type %u)\n", iommu_hw_type_description(r->type),
	       iommu_hw_type_name(r->type), r->type);
	if (r->has_capabilities) {
		capability_list(r->capabilities, caps, sizeof(caps));
		printf("  capabilities    %s\n", caps);
		printf("  dirty tracking  %s\n", r->dirty_tracking ? "yes (IOMMU_HWPT_SET_DIRTY_TRACKING, GET_DIRTY_BITMAP)"
								  : "no");
	}
	if (r->has_max_pasid && r->max_pasid_log2)
		printf("  PASID width     %u bits\n", r->max_pasid_log2);
	else if (r->has_max_pasid)
		printf("  PASID width     0: no PASID (not supported by the device or the IOMMU, or not enabled)\n");
	for (n = 0; n < h->n_notes; n++)
		printf("  NOTE            %s\n", h->notes[n]);
	if (r->data_len > IOMMU_HW_DATA_MAX)
		printf("  data            %u bytes, the first %d shown\n", r->data_len, IOMMU_HW_DATA_MAX);
	for (i = 0; i < h->regs.n; i++) {
		const struct hw_register *g = &h->regs.r[i];

		printf("  %-15s 0x%0*llx\n", g->name, (int)(g->bits / 4), (unsigned long long)g->value);
		print_facts_of(h, g->name);
	}
}

static void json_facts(struct json *j, const struct dump_hw *h)
{
	const char *open_reg = NULL;
	char value[48];
	size_t i;

	json_object_begin(j, "decoded");
	for (i = 0; i < h->facts.n; i++) {
		const struct hw_fact *f = &h->facts.f[i];

		if (!open_reg || strcmp(open_reg, f->reg) != 0) {
			if (open_reg)
				json_object_end(j);
			json_object_begin(j, f->reg);
			open_reg = f->reg;
		}
		if (f->kind == HW_FACT_FLAG)
			json_bool(j, f->key, f->value != 0);
		else if (f->kind == HW_FACT_NUMBER)
			json_uint(j, f->key, f->value);
		else	/* text, and hex as a string like every hex value */
			json_string(j, f->key, hw_fact_value(f, value, sizeof(value)));
	}
	if (open_reg)
		json_object_end(j);
	json_object_end(j);
}

void dump_hw_json(struct json *j, const struct dump_hw *h)
{
	const struct iommu_hw_info_result *r = &h->r;
	char other[8];
	unsigned bit;
	size_t i;
	int n;

	if (!h->have) {
		json_null(j, "hw_info");
		json_string(j, "hw_info_note", h->why_not);
		return;
	}
	json_object_begin(j, "hw_info");
	json_uint(j, "type", r->type);
	json_string(j, "type_name", iommu_hw_type_name(r->type));
	json_string(j, "description", iommu_hw_type_description(r->type));
	if (r->has_capabilities) {
		json_hex(j, "capabilities_raw", r->capabilities);
		json_array_begin(j, "capabilities");
		for (bit = 0; bit < 64; bit++)
			if (r->capabilities & (UINT64_C(1) << bit))
				json_string(j, NULL, iommu_hw_cap_name(bit, other));
		json_array_end(j);
		json_bool(j, "dirty_tracking", r->dirty_tracking);
	} else {
		json_null(j, "capabilities_raw");
		json_null(j, "capabilities");
		json_null(j, "dirty_tracking");
	}
	json_int_or_null(j, "max_pasid_log2", r->max_pasid_log2, r->has_max_pasid);
	json_uint(j, "data_len", r->data_len);
	json_object_begin(j, "registers");
	for (i = 0; i < h->regs.n; i++)
		json_hex(j, h->regs.r[i].name, h->regs.r[i].value);
	json_object_end(j);
	json_facts(j, h);
	json_array_begin(j, "notes");
	for (n = 0; n < h->n_notes; n++)
		json_string(j, NULL, h->notes[n]);
	json_array_end(j);
	json_object_end(j);
	json_null(j, "hw_info_note");
}
