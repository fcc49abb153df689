/*
 * Fuzz target for the VFIO info parsers: the first byte picks device (0), region (1) or
 * type1 (2) info (modulo 3), the rest is the buffer the kernel would have filled.  The
 * decoded values also go through the name and format functions.
 */
#include <stddef.h>
#include <stdint.h>

#include "vfio/vfio_info.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void format_caps(const struct vfio_cap_ref *caps, size_t n, const char *(*name)(uint16_t))
{
	size_t i;

	for (i = 0; i < n; i++)
		(void)name(caps[i].id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vfio_device_desc d;
	struct vfio_region_desc r;
	struct vfio_type1_desc t;
	char buf[128];

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		vfio_device_info_parse(data + 1, size - 1, &d);
		vfio_device_flags_format(d.flags, buf, sizeof(buf));
		format_caps(d.caps, d.n_caps, vfio_device_cap_name);
		break;
	case 1:
		vfio_region_info_parse(data + 1, size - 1, &r);
		vfio_region_flags_format(r.flags, buf, sizeof(buf));
		vfio_region_type_format(r.type, r.subtype, buf, sizeof(buf));
		vfio_pci_region_name(r.index, buf, sizeof(buf));
		format_caps(r.caps, r.n_caps, vfio_region_cap_name);
		vfio_region_desc_free(&r);
		break;
	default:
		vfio_type1_info_parse(data + 1, size - 1, &t);
		vfio_pgsizes_format(t.iova_pgsizes, buf, sizeof(buf));
		vfio_pgsizes_format(t.migration_pgsize_bitmap, buf, sizeof(buf));
		format_caps(t.caps, t.n_caps, vfio_type1_cap_name);
		vfio_type1_desc_free(&t);
		break;
	}
	return 0;
}
