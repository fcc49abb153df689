/* vfio-dump read / write: a window of a region through pread/pwrite or mmap. */
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "tool/cli.h"
#include "dump.h"
#include "util/report.h"

#define READ_MAX_LENGTH (16ULL << 20)

static char *opt_width;
static int opt_mmap, opt_force;

static const struct poptOption read_options[] = {
	{ "width", 'w', POPT_ARG_STRING, &opt_width, 0, "Access size in bytes: 1, 2, 4 or 8 (default: 4 when the window is 4-byte aligned, else 1; bytes shown)", "1|2|4|8" },
	{ "mmap", 'm', POPT_ARG_NONE, &opt_mmap, 0, "Read through mmap of the region instead of pread", NULL },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, tool_common_options, 0, NULL, NULL },
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

static const struct poptOption write_options[] = {
	{ "width", 'w', POPT_ARG_STRING, &opt_width, 0, "Access size in bytes: 1, 2, 4 or 8 (required)", "1|2|4|8" },
	{ "mmap", 'm', POPT_ARG_NONE, &opt_mmap, 0, "Write through mmap of the region instead of pwrite", NULL },
	{ "force", 'f', POPT_ARG_NONE, &opt_force, 0, "Really write: device registers have side effects", NULL },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, tool_common_options, 0, NULL, NULL },
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

/* What a read or write names: a region and a window inside it. */
struct window {
	struct vfio_region_desc region;
	char name[32];
	uint64_t offset, length;
	unsigned width;			/* bytes per access */
	bool bytes;			/* show bytes (no --width given), not width-sized values */
};

static bool parse_width(unsigned *width, bool required)
{
	unsigned long long w;

	*width = 0;
	if (!opt_width) {
		if (required)
			vt_error(cli_command_path(), "--width is required", "give the register size: 1, 2, 4 or 8");
		return !required;
	}
	if (!tool_parse_u64("invalid --width", opt_width, 8, &w))
		return false;
	if (w != 1 && w != 2 && w != 4 && w != 8) {
		vt_error(opt_width, "invalid --width", "use 1, 2, 4 or 8");
		return false;
	}
	*width = (unsigned)w;
	return true;
}

static bool find_region(const struct vfio_dev *d, const char *text, struct window *w)
{
	struct vfio_device_desc info;
	char why[256], tmp[32];
	int index = vfio_pci_region_index(text);

	if (index < 0) {
		vt_error(text, "unknown region", "use BAR0..BAR5, ROM, CONFIG, VGA or an index ('vfio-dump regions %s')",
			 d->address);
		return false;
	}
	if (vfio_device_info_get(d->device, &info, why, sizeof(why)) < 0) {
		vt_error(d->address, "VFIO_DEVICE_GET_INFO failed", "%s", why);
		return false;
	}
	if ((uint32_t)index >= info.num_regions) {
		vt_error(text, "region index out of range", "%s has %u regions (0..%u)", d->address,
			 info.num_regions, info.num_regions - 1);
		return false;
	}
	snprintf(w->name, sizeof(w->name), "%s", vfio_pci_region_name((uint32_t)index, tmp, sizeof(tmp)));
	if (vfio_region_info_get(d->device, (uint32_t)index, &w->region, why, sizeof(why)) < 0) {
		vt_error(w->name, "VFIO_DEVICE_GET_REGION_INFO failed", "%s", why);
		return false;
	}
	if (w->region.err || w->region.size == 0) {
		vt_error(w->name, "region not available", "%s", w->region.err ? strerror(w->region.err) :
			 "its size is 0 (the device does not implement it)");
		return false;
	}
	return true;
}

static bool check_window(const struct window *w, uint32_t need_flag)
{
	const struct vfio_region_desc *r = &w->region;

	if (!(r->flags & need_flag)) {
		vt_error(w->name, need_flag == VFIO_REGION_INFO_FLAG_READ ? "not readable" : "not writable",
			 "VFIO does not allow it for this region");
		return false;
	}
	if (w->offset >= r->size || w->length > r->size - w->offset) {
		vt_error(w->name, "access past the region's end", "0x%llx+0x%llx, the region is 0x%llx bytes",
			 (unsigned long long)w->offset, (unsigned long long)w->length, (unsigned long long)r->size);
		return false;
	}
	if (w->offset % w->width || w->length % w->width) {
		vt_error(w->name, "misaligned access", "offset and length must be multiples of --width %u", w->width);
		return false;
	}
	return true;
}

/* With sparse areas, mmap is allowed only inside one of them. */
static bool check_mmappable(const struct window *w)
{
	const struct vfio_region_desc *r = &w->region;
	size_t i;

	if (!(r->flags & VFIO_REGION_INFO_FLAG_MMAP)) {
		vt_error(w->name, "--mmap refused", "VFIO does not allow mmap of this region");
		return false;
	}
	if (!r->sparse)
		return true;
	for (i = 0; i < r->n_areas; i++)
		if (w->offset >= r->areas[i].offset && w->offset + w->length <= r->areas[i].offset + r->areas[i].size)
			return true;
	vt_error(w->name, "--mmap refused", "0x%llx+0x%llx is outside the sparse mmap areas ('vfio-dump regions')",
		 (unsigned long long)w->offset, (unsigned long long)w->length);
	return false;
}

/* The window's page-aligned mapping; *at points to offset inside it. */
struct mapping {
	void *base;
	size_t len;
	volatile uint8_t *at;
};

static bool map_window(const struct vfio_dev *d, const struct window *w, struct mapping *m, int prot)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), start = w->offset & ~(page - 1);

	m->len = (size_t)(w->offset + w->length - start);
	m->base = mmap(NULL, m->len, prot, MAP_SHARED, d->device, (off_t)(w->region.offset + start));
	if (m->base == MAP_FAILED) {
		vt_error(w->name, "mmap failed", "%s", strerror(errno));
		return false;
	}
	m->at = (volatile uint8_t *)m->base + (w->offset - start);
	return true;
}

static uint64_t load(volatile uint8_t *p, unsigned width)
{
	switch (width) {
	case 2:
		return le16toh(*(volatile uint16_t *)p);
	case 4:
		return le32toh(*(volatile uint32_t *)p);
	case 8:
		return le64toh(*(volatile uint64_t *)p);
	default:
		return *p;
	}
}

static void store(volatile uint8_t *p, unsigned width, uint64_t v)
{
	switch (width) {
	case 2:
		*(volatile uint16_t *)p = htole16((uint16_t)v);
		break;
	case 4:
		*(volatile uint32_t *)p = htole32((uint32_t)v);
		break;
	case 8:
		*(volatile uint64_t *)p = htole64(v);
		break;
	default:
		*p = (uint8_t)v;
	}
}

static uint64_t le_value(const uint8_t *b, unsigned width)
{
	uint64_t v = 0;
	unsigned i;

	for (i = width; i-- > 0;)
		v = v << 8 | b[i];
	return v;
}

/* The window's values, width bytes each, into vals. */
static bool read_values(const struct vfio_dev *d, const struct window *w, uint64_t *vals)
{
	uint64_t i, n = w->length / w->width;
	struct mapping m;
	uint8_t b[8];

	if (opt_mmap) {
		if (!map_window(d, w, &m, PROT_READ))
			return false;
		for (i = 0; i < n; i++)
			vals[i] = load(m.at + i * w->width, w->width);
		munmap(m.base, m.len);
		return true;
	}
	for (i = 0; i < n; i++) {
		errno = 0;
		if (pread(d->device, b, w->width, (off_t)(w->region.offset + w->offset + i * w->width)) !=
		    (ssize_t)w->width) {
			vt_error(w->name, "pread failed", "at 0x%llx: %s", (unsigned long long)(w->offset + i * w->width),
				 errno ? strerror(errno) : "short read");
			return false;
		}
		vals[i] = le_value(b, w->width);
	}
	return true;
}

/* Width-sized values as the bytes they are in the region (little-endian). */
static void values_to_bytes(const struct window *w, uint64_t *vals)
{
	uint64_t i, n = w->length / w->width;
	unsigned k;

	for (i = n; i-- > 0;)
		for (k = w->width; k-- > 0;)
			vals[i * w->width + k] = vals[i] >> (8 * k) & 0xff;
}

static void print_values(const struct window *w, const uint64_t *vals)
{
	unsigned step = w->bytes ? 1 : w->width, per_line = 16 / step;
	uint64_t i, n = w->length / step;

	for (i = 0; i < n; i++) {
		if (i % per_line == 0)
			printf("%08llx:", (unsigned long long)(w->offset + i * step));
		printf(" %0*llx", (int)step * 2, (unsigned long long)vals[i]);
		if (i % per_line == per_line - 1 || i + 1 == n)
			putchar('\n');
	}
}

static void json_values(const struct vfio_dev *d, const struct window *w, const uint64_t *vals, const char *op)
{
	unsigned step = w->bytes ? 1 : w->width;
	uint64_t i, n = w->length / step;
	struct json j;

	dump_json_begin(&j, d);
	json_string(&j, "operation", op);
	json_string(&j, "region", w->name);
	json_uint(&j, "index", w->region.index);
	json_hex(&j, "offset", w->offset);
	json_uint(&j, "length", w->length);
	json_uint(&j, "width", step);
	json_string(&j, "access", opt_mmap ? "mmap" : strcmp(op, "read") == 0 ? "pread" : "pwrite");
	json_array_begin(&j, "values");
	for (i = 0; i < n; i++)
		json_hex(&j, NULL, vals[i]);
	json_array_end(&j);
	dump_json_end(&j);
}

static bool parse_window(const char *region, const char *offset, const char *length, struct window *w)
{
	unsigned long long v;

	if (vfio_pci_region_index(region) < 0) {
		vt_error(region, "unknown region", "use BAR0..BAR5, ROM, CONFIG, VGA or an index ('vfio-dump regions DEVICE')");
		return false;
	}
	if (!tool_parse_u64("invalid offset", offset, UINT64_MAX, &v))
		return false;
	w->offset = v;
	if (!length)
		return true;
	if (!tool_parse_u64("invalid length", length, READ_MAX_LENGTH, &v))
		return false;
	if (v == 0) {
		vt_error(length, "invalid length", "must be at least 1");
		return false;
	}
	w->length = v;
	return true;
}

static int do_read(const struct vfio_dev *d, const char *region, struct window *w)
{
	uint64_t *vals;
	int rc = 2;

	if (!find_region(d, region, w) || !check_window(w, VFIO_REGION_INFO_FLAG_READ) ||
	    (opt_mmap && !check_mmappable(w)))
		return 2;
	vals = vt_xcalloc(w->length, sizeof(*vals));
	if (read_values(d, w, vals)) {
		if (w->bytes)
			values_to_bytes(w, vals);
		if (tool_common.json)
			json_values(d, w, vals, "read");
		else
			print_values(w, vals);
		rc = 0;
	}
	free(vals);
	return rc;
}

int cmd_read(int argc, const char **argv)
{
	struct window w = { 0 };
	struct tool_args args;
	struct vfio_dev d;
	int rc = 2;

	if (!tool_parse(argc, argv, read_options, "[OPTIONS] DEVICE REGION OFFSET LENGTH", 4, 4, NULL, &args))
		return 2;
	if (parse_width(&w.width, false) && parse_window(args.arg[1], args.arg[2], args.arg[3], &w) && vfio_open_device(args.arg[0], tool_common.backend, &d)) {
		if (!w.width) {
			/* Many devices answer only 4-byte accesses; vfio-pci would split one pread. */
			w.bytes = true;
			w.width = w.offset % 4 == 0 && w.length % 4 == 0 ? 4 : 1;
		}
		rc = do_read(&d, args.arg[1], &w);
		vfio_dev_close(&d);
	}
	vfio_region_desc_free(&w.region);
	tool_args_free(&args);
	return rc;
}

static bool write_value(const struct vfio_dev *d, const struct window *w, uint64_t value)
{
	uint8_t b[8];
	unsigned i;
	struct mapping m;

	if (opt_mmap) {
		if (!map_window(d, w, &m, PROT_READ | PROT_WRITE))
			return false;
		store(m.at, w->width, value);
		munmap(m.base, m.len);
		return true;
	}
	for (i = 0; i < w->width; i++)
		b[i] = (uint8_t)(value >> (8 * i));
	if (pwrite(d->device, b, w->width, (off_t)(w->region.offset + w->offset)) == (ssize_t)w->width)
		return true;
	vt_error(w->name, "pwrite failed", "%s", errno ? strerror(errno) : "short write");
	return false;
}

int cmd_write(int argc, const char **argv)
{
	struct window w = { 0 };
	unsigned long long value;
	struct tool_args args;
	struct vfio_dev d;
	int rc = 2;

	if (!tool_parse(argc, argv, write_options, "[OPTIONS] --force --width W DEVICE REGION OFFSET VALUE", 4, 4,
			NULL, &args))
		return 2;
	if (!opt_force)
		vt_error(cli_command_path(), "refusing to write without --force",
			 "a register write can reset, stop or reprogram the device");
	else if (parse_width(&w.width, true) && parse_window(args.arg[1], args.arg[2], NULL, &w) &&
		 tool_parse_u64("invalid value", args.arg[3], w.width == 8 ? UINT64_MAX : (1ULL << (8 * w.width)) - 1, &value) &&
		 vfio_open_device(args.arg[0], tool_common.backend, &d)) {
		w.length = w.width;
		if (find_region(&d, args.arg[1], &w) && check_window(&w, VFIO_REGION_INFO_FLAG_WRITE) &&
		    (!opt_mmap || check_mmappable(&w)) && write_value(&d, &w, value)) {
			uint64_t v = value;

			if (tool_common.json)
				json_values(&d, &w, &v, "write");
			else
				printf("%s %s 0x%llx: wrote 0x%0*llx (%u bytes, %s)\n", d.address, w.name,
				       (unsigned long long)w.offset, (int)w.width * 2, value, w.width,
				       opt_mmap ? "mmap" : "pwrite");
			rc = 0;
		}
		vfio_dev_close(&d);
	}
	vfio_region_desc_free(&w.region);
	tool_args_free(&args);
	return rc;
}
