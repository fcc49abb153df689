#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

#include "util/report.h"
#include "vfio/vfio_info.h"

/* Newer than the 6.1 uAPI (include/uapi/linux/vfio.h of Linux 6.6+). */
#ifndef VFIO_DEVICE_FLAGS_CDX
#define VFIO_DEVICE_FLAGS_CDX (1 << 8)
#endif
#ifndef VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP
#define VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP 5	/* header, then __u32 flags, __u32 reserved */
#define VFIO_PCI_ATOMIC_COMP32 (1 << 0)
#define VFIO_PCI_ATOMIC_COMP64 (1 << 1)
#define VFIO_PCI_ATOMIC_COMP128 (1 << 2)
#endif

#define CAP_CHAIN_MAX 64
#define INFO_ARGSZ_MAX (1u << 20)	/* a kernel asking for more is not believed */
#define CAP_HEADER sizeof(struct vfio_info_cap_header)
#define OFFSETOFEND(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
/* Offset and size of a field of a uAPI capability structure, for cap_read(). */
#define CAP_FIELD(type, field) offsetof(struct type, field), sizeof(((struct type *)0)->field)
#define NOTE(desc, ...) note_problem((desc)->problem, sizeof((desc)->problem), __VA_ARGS__)

/* --- small helpers --- */

static uint32_t read_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t read_u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Writes the first problem only: later ones are usually consequences of it. */
static void __attribute__((format(printf, 3, 4))) note_problem(char *problem, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!problem || !len || problem[0])
		return;
	va_start(ap, fmt);
	vsnprintf(problem, len, fmt, ap);
	va_end(ap);
}

/*
 * Appends a space (unless first) and a formatted word to buf, which holds *used bytes.  A
 * word that does not fit whole ends the list there: *used becomes len and nothing more is added.
 */
static void __attribute__((format(printf, 4, 5))) append_word(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	size_t sep = *used ? 1 : 0, n;
	char word[64];
	va_list ap;
	int r;

	if (*used >= len)
		return;
	va_start(ap, fmt);
	r = vsnprintf(word, sizeof(word), fmt, ap);
	va_end(ap);
	n = r > 0 ? strlen(word) : 0;
	if (*used + sep + n >= len) {
		*used = len;
		return;
	}
	snprintf(buf + *used, len - *used, "%s%s", sep ? " " : "", word);
	*used += sep + n;
}

struct bit_name {
	uint32_t bit;
	const char *name;
};

/* The names of the set bits in table order, the unknown ones as one 0x.., or "none". */
static char *format_bits(uint32_t flags, const struct bit_name *names, size_t n, char *buf, size_t len)
{
	uint32_t known = 0;
	size_t used = 0, i;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		known |= names[i].bit;
		if (flags & names[i].bit)
			append_word(buf, len, &used, "%s", names[i].name);
	}
	if (flags & ~known)
		append_word(buf, len, &used, "0x%x", flags & ~known);
	if (!used)
		append_word(buf, len, &used, "none");
	return buf;
}

/* names[id], or NULL past the table or in a hole. */
static const char *table_name(const char *const *names, size_t n, uint32_t id)
{
	return id < n ? names[id] : NULL;
}

/* names[index], else prefix and the number in buf. */
static const char *indexed_name(const char *const *names, size_t n, uint32_t index, const char *prefix,
				char *buf, size_t len)
{
	const char *name = table_name(names, n, index);

	if (name)
		return name;
	snprintf(buf, len, "%s%u", prefix, index);
	return buf;
}

/* --- capability chains --- */

static bool offset_seen(const uint32_t *seen, size_t n, uint32_t offset)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (seen[i] == offset)
			return true;
	return false;
}

size_t vfio_cap_chain_walk(const uint8_t *buf, size_t len, uint32_t first, size_t min_offset,
			   int (*fn)(const struct vfio_cap_ref *cap, const uint8_t *buf, void *arg),
			   void *arg, char *problem, size_t problemlen)
{
	uint32_t seen[CAP_CHAIN_MAX], offset = first, next;
	struct vfio_cap_ref cap;
	size_t n = 0;

	while (offset) {
		if (n == CAP_CHAIN_MAX) {
			note_problem(problem, problemlen, "more than %d capabilities", CAP_CHAIN_MAX);
			break;
		}
		if (offset < min_offset) {
			note_problem(problem, problemlen, "capability at offset %u lies inside the fixed %zu bytes",
				     offset, min_offset);
			break;
		}
		if (offset > len || len - offset < CAP_HEADER) {
			note_problem(problem, problemlen, "capability at offset %u does not fit in %zu bytes",
				     offset, len);
			break;
		}
		if (offset_seen(seen, n, offset)) {
			note_problem(problem, problemlen, "capability chain loops back to offset %u", offset);
			break;
		}
		seen[n++] = offset;
		memcpy(&cap.id, buf + offset + offsetof(struct vfio_info_cap_header, id), sizeof(cap.id));
		memcpy(&cap.version, buf + offset + offsetof(struct vfio_info_cap_header, version),
		       sizeof(cap.version));
		next = read_u32(buf + offset + offsetof(struct vfio_info_cap_header, next));
		cap.offset = offset;
		cap.len = next > offset && next < len ? next - offset : len - offset;
		if (fn && fn(&cap, buf, arg))
			break;
		offset = next;
	}
	return n;
}

/* Copies size bytes at `at` inside the capability to v; false with a problem when they do not fit. */
static bool cap_read(const struct vfio_cap_ref *cap, const uint8_t *buf, size_t at, size_t size, void *v,
		     char *problem, size_t problemlen)
{
	if (at > cap->len || size > cap->len - at) {
		note_problem(problem, problemlen, "capability %u at offset %u is too short (%zu bytes)",
			     cap->id, cap->offset, cap->len);
		return false;
	}
	memcpy(v, buf + cap->offset + at, size);
	return true;
}

/*
 * An array capability's element count (a __u32 at count_at), clamped to the elem_size
 * elements that fit between array_at and the capability's end.
 */
static uint32_t cap_array_count(const struct vfio_cap_ref *cap, const uint8_t *buf, size_t count_at,
				size_t array_at, size_t elem_size, const char *what, char *problem, size_t problemlen)
{
	size_t fit = cap->len > array_at ? (cap->len - array_at) / elem_size : 0;
	uint32_t n;

	if (!cap_read(cap, buf, count_at, sizeof(n), &n, problem, problemlen))
		return 0;
	if (n > fit) {
		note_problem(problem, problemlen, "%s: %u entries, room for %zu", what, n, fit);
		n = (uint32_t)fit;
	}
	return n;
}

/* Adds cap to the list; false (with a problem) for a repeated id or a full list. */
static bool record_cap(struct vfio_cap_ref *caps, size_t *n, const struct vfio_cap_ref *cap,
		       char *problem, size_t problemlen)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (caps[i].id == cap->id) {
			note_problem(problem, problemlen, "capability %u appears twice", cap->id);
			return false;
		}
	if (*n == VFIO_INFO_MAX_CAPS) {
		note_problem(problem, problemlen, "more than %d capabilities", VFIO_INFO_MAX_CAPS);
		return false;
	}
	caps[(*n)++] = *cap;
	return true;
}

/* Where an info structure keeps what the common parser needs. */
struct info_layout {
	const char *what;
	size_t fixed;		/* bytes that must be present */
	size_t cap_offset_at;	/* offset of the __u32 cap_offset */
	size_t caps_from;	/* capabilities start at or after this offset */
	uint32_t caps_flag;	/* flag bit that makes cap_offset valid */
};

/*
 * Checks the fixed part of an info buffer and walks its chain when the caps flag is set,
 * within min(len, argsz).  False when the fixed part does not fit.
 */
static bool parse_info(const uint8_t *buf, size_t len, const struct info_layout *l,
		       int (*fn)(const struct vfio_cap_ref *cap, const uint8_t *buf, void *arg), void *arg,
		       char *problem, size_t problemlen)
{
	char why[128] = "";
	uint32_t argsz, flags;
	size_t end = len;

	if (len < l->fixed) {
		note_problem(problem, problemlen, "%s: %zu bytes, need %zu", l->what, len, l->fixed);
		return false;
	}
	argsz = read_u32(buf + 0);
	flags = read_u32(buf + 4);
	if (argsz > len)
		note_problem(problem, problemlen, "%s: the kernel asks for %u bytes, %zu read", l->what, argsz, len);
	else if (argsz >= l->fixed)
		end = argsz;
	if (!(flags & l->caps_flag))
		return true;
	if (end < l->cap_offset_at + sizeof(uint32_t)) {
		note_problem(problem, problemlen, "%s: capability flag without cap_offset", l->what);
		return true;
	}
	vfio_cap_chain_walk(buf, end, read_u32(buf + l->cap_offset_at), l->caps_from, fn, arg, why, sizeof(why));
	if (why[0])
		note_problem(problem, problemlen, "%s: %s", l->what, why);
	return true;
}

/*
 * Runs an info ioctl whose structure starts with __u32 argsz: with the fixed part, then
 * again with the size the kernel asks for.  The answer is malloc'd into *bufp, *lenp bytes.
 */
static int info_ioctl(int fd, unsigned long request, const void *fixed, size_t fixed_size,
		      uint8_t **bufp, size_t *lenp)
{
	size_t size = fixed_size;
	uint8_t *buf = NULL;
	uint32_t argsz;
	int tries, err;

	*bufp = NULL;	/* clang-analyzer cannot tell that -errno is < 0 */
	*lenp = 0;
	for (tries = 0; tries < 3; tries++) {
		buf = vt_xrealloc(buf, 1, size);
		memset(buf, 0, size);
		memcpy(buf, fixed, fixed_size);
		argsz = (uint32_t)size;
		memcpy(buf, &argsz, sizeof(argsz));
		if (ioctl(fd, request, buf) < 0) {
			err = errno;
			free(buf);
			return -err;
		}
		argsz = read_u32(buf);
		if (argsz <= size || argsz > INFO_ARGSZ_MAX)
			break;
		size = argsz;
	}
	*bufp = buf;
	*lenp = size;
	return 0;
}

/* --- device --- */

static int device_cap(const struct vfio_cap_ref *cap, const uint8_t *buf, void *arg)
{
	struct vfio_device_desc *d = arg;

	if (!record_cap(d->caps, &d->n_caps, cap, d->problem, sizeof(d->problem)))
		return 0;
	if (cap->id == VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP)
		d->has_pci_atomic_comp = cap_read(cap, buf, CAP_HEADER, sizeof(d->pci_atomic_comp),
						  &d->pci_atomic_comp, d->problem, sizeof(d->problem));
	return 0;
}

bool vfio_device_info_parse(const uint8_t *buf, size_t len, struct vfio_device_desc *out)
{
	/* 6.1's struct ends at cap_offset (20 bytes); 6.6+ pads it to 24. */
	static const struct info_layout layout = {
		.what = "device info",
		.fixed = OFFSETOFEND(struct vfio_device_info, num_irqs),
		.cap_offset_at = offsetof(struct vfio_device_info, cap_offset),
		.caps_from = OFFSETOFEND(struct vfio_device_info, cap_offset),
		.caps_flag = VFIO_DEVICE_FLAGS_CAPS,
	};

	memset(out, 0, sizeof(*out));
	if (len >= layout.fixed) {
		out->flags = read_u32(buf + offsetof(struct vfio_device_info, flags));
		out->num_regions = read_u32(buf + offsetof(struct vfio_device_info, num_regions));
		out->num_irqs = read_u32(buf + offsetof(struct vfio_device_info, num_irqs));
	}
	return parse_info(buf, len, &layout, device_cap, out, out->problem, sizeof(out->problem)) && !out->problem[0];
}

int vfio_device_info_get(int device, struct vfio_device_desc *out, char *why, size_t whylen)
{
	struct vfio_device_info fixed = { 0 };
	uint8_t *buf;
	size_t len;
	int r = info_ioctl(device, VFIO_DEVICE_GET_INFO, &fixed, sizeof(fixed), &buf, &len);

	memset(out, 0, sizeof(*out));
	if (r < 0)
		return vt_why_errno(-r, why, whylen, "VFIO_DEVICE_GET_INFO");
	vfio_device_info_parse(buf, len, out);
	free(buf);
	return 0;
}

char *vfio_device_flags_format(uint32_t flags, char *buf, size_t len)
{
	static const struct bit_name names[] = {
		{ VFIO_DEVICE_FLAGS_PCI, "PCI" },	{ VFIO_DEVICE_FLAGS_PLATFORM, "PLATFORM" },
		{ VFIO_DEVICE_FLAGS_AMBA, "AMBA" },	{ VFIO_DEVICE_FLAGS_CCW, "CCW" },
		{ VFIO_DEVICE_FLAGS_AP, "AP" },		{ VFIO_DEVICE_FLAGS_FSL_MC, "FSL_MC" },
		{ VFIO_DEVICE_FLAGS_CDX, "CDX" },	{ VFIO_DEVICE_FLAGS_RESET, "RESET" },
		{ VFIO_DEVICE_FLAGS_CAPS, "CAPS" },
	};

	return format_bits(flags, names, N_ELEMS(names), buf, len);
}

const char *vfio_device_cap_name(uint16_t id)
{
	static const char *const names[] = {
		[VFIO_DEVICE_INFO_CAP_ZPCI_BASE] = "zPCI base",
		[VFIO_DEVICE_INFO_CAP_ZPCI_GROUP] = "zPCI group",
		[VFIO_DEVICE_INFO_CAP_ZPCI_UTIL] = "zPCI util",
		[VFIO_DEVICE_INFO_CAP_ZPCI_PFIP] = "zPCI PFIP",
		[VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP] = "PCI ATOMIC COMP",
	};

	return table_name(names, N_ELEMS(names), id);
}

/* --- regions --- */

static void region_sparse_mmap(struct vfio_region_desc *r, const struct vfio_cap_ref *cap, const uint8_t *buf)
{
	const size_t array_at = offsetof(struct vfio_region_info_cap_sparse_mmap, areas);
	const size_t elem = sizeof(struct vfio_region_sparse_mmap_area);
	uint32_t n = cap_array_count(cap, buf, offsetof(struct vfio_region_info_cap_sparse_mmap, nr_areas),
				     array_at, elem, "sparse mmap", r->problem, sizeof(r->problem));
	const uint8_t *p = buf + cap->offset + array_at;
	uint32_t i;

	r->sparse = true;
	r->areas = n ? vt_xcalloc(n, sizeof(*r->areas)) : NULL;
	for (i = 0; i < n; i++, p += elem) {
		r->areas[i].offset = read_u64(p + offsetof(struct vfio_region_sparse_mmap_area, offset));
		r->areas[i].size = read_u64(p + offsetof(struct vfio_region_sparse_mmap_area, size));
	}
	r->n_areas = n;
}

static int region_cap(const struct vfio_cap_ref *cap, const uint8_t *buf, void *arg)
{
	struct vfio_region_desc *r = arg;

	if (!record_cap(r->caps, &r->n_caps, cap, r->problem, sizeof(r->problem)))
		return 0;
	switch (cap->id) {
	case VFIO_REGION_INFO_CAP_SPARSE_MMAP:
		region_sparse_mmap(r, cap, buf);
		break;
	case VFIO_REGION_INFO_CAP_TYPE:
		r->has_type = cap_read(cap, buf, CAP_FIELD(vfio_region_info_cap_type, type), &r->type,
				       r->problem, sizeof(r->problem)) &&
			      cap_read(cap, buf, CAP_FIELD(vfio_region_info_cap_type, subtype), &r->subtype,
				       r->problem, sizeof(r->problem));
		break;
	case VFIO_REGION_INFO_CAP_MSIX_MAPPABLE:
		r->msix_mappable = true;
		break;
	}
	return 0;
}

bool vfio_region_info_parse(const uint8_t *buf, size_t len, struct vfio_region_desc *out)
{
	static const struct info_layout layout = {
		.what = "region info",
		.fixed = sizeof(struct vfio_region_info),
		.cap_offset_at = offsetof(struct vfio_region_info, cap_offset),
		.caps_from = sizeof(struct vfio_region_info),
		.caps_flag = VFIO_REGION_INFO_FLAG_CAPS,
	};

	memset(out, 0, sizeof(*out));
	if (len >= layout.fixed) {
		out->index = read_u32(buf + offsetof(struct vfio_region_info, index));
		out->flags = read_u32(buf + offsetof(struct vfio_region_info, flags));
		out->size = read_u64(buf + offsetof(struct vfio_region_info, size));
		out->offset = read_u64(buf + offsetof(struct vfio_region_info, offset));
	}
	return parse_info(buf, len, &layout, region_cap, out, out->problem, sizeof(out->problem)) && !out->problem[0];
}

int vfio_region_info_get(int device, uint32_t index, struct vfio_region_desc *out, char *why, size_t whylen)
{
	struct vfio_region_info fixed = { .index = index };
	uint8_t *buf;
	size_t len;
	int r = info_ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &fixed, sizeof(fixed), &buf, &len);

	memset(out, 0, sizeof(*out));
	out->index = index;
	if (r < 0) {
		out->err = -r;	/* EINVAL: the device has no such region, not a failure */
		return r == -EINVAL ? 0 : vt_why_errno(-r, why, whylen, "region %u: VFIO_DEVICE_GET_REGION_INFO", index);
	}
	vfio_region_info_parse(buf, len, out);
	free(buf);
	return 0;
}

void vfio_region_desc_free(struct vfio_region_desc *r)
{
	free(r->areas);
	r->areas = NULL;
	r->n_areas = 0;
}

static const char *const pci_region_names[VFIO_PCI_NUM_REGIONS] = {
	"BAR0", "BAR1", "BAR2", "BAR3", "BAR4", "BAR5", "ROM", "CONFIG", "VGA",
};

const char *vfio_pci_region_name(uint32_t index, char *buf, size_t len)
{
	return indexed_name(pci_region_names, N_ELEMS(pci_region_names), index, "REGION", buf, len);
}

int vfio_pci_region_index(const char *name)
{
	unsigned long v;
	char *end;
	size_t i;

	for (i = 0; i < N_ELEMS(pci_region_names); i++)
		if (strcasecmp(name, pci_region_names[i]) == 0)
			return (int)i;
	if (strncasecmp(name, "region", 6) == 0)
		name += 6;
	if (*name < '0' || *name > '9')
		return -1;
	errno = 0;
	v = strtoul(name, &end, 10);
	return *end || errno || v > INT_MAX ? -1 : (int)v;
}

char *vfio_region_flags_format(uint32_t flags, char *buf, size_t len)
{
	static const struct bit_name names[] = {
		{ VFIO_REGION_INFO_FLAG_READ, "R" }, { VFIO_REGION_INFO_FLAG_WRITE, "W" },
		{ VFIO_REGION_INFO_FLAG_MMAP, "MMAP" }, { VFIO_REGION_INFO_FLAG_CAPS, "CAPS" },
	};

	return format_bits(flags, names, N_ELEMS(names), buf, len);
}

struct region_subtype {
	uint32_t type, subtype;
	const char *name;
};

/* VFIO_REGION_TYPE_PCI_VENDOR_TYPE is (1 << 31), an int overflow when evaluated. */
#define REGION_TYPE_PCI_VENDOR 0x80000000u
#define PCI_VENDOR_REGION(vendor) (REGION_TYPE_PCI_VENDOR | (vendor))

static const char *region_subtype_name(uint32_t type, uint32_t subtype)
{
	static const struct region_subtype names[] = {
		{ PCI_VENDOR_REGION(0x8086), VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION, "IGD OpRegion" },
		{ PCI_VENDOR_REGION(0x8086), VFIO_REGION_SUBTYPE_INTEL_IGD_HOST_CFG, "IGD host bridge config" },
		{ PCI_VENDOR_REGION(0x8086), VFIO_REGION_SUBTYPE_INTEL_IGD_LPC_CFG, "IGD LPC bridge config" },
		{ PCI_VENDOR_REGION(0x10de), VFIO_REGION_SUBTYPE_NVIDIA_NVLINK2_RAM, "NVLink2 RAM" },
		{ PCI_VENDOR_REGION(0x1014), VFIO_REGION_SUBTYPE_IBM_NVLINK2_ATSD, "NVLink2 ATSD" },
		{ VFIO_REGION_TYPE_GFX, VFIO_REGION_SUBTYPE_GFX_EDID, "EDID" },
		{ VFIO_REGION_TYPE_CCW, VFIO_REGION_SUBTYPE_CCW_ASYNC_CMD, "async command" },
		{ VFIO_REGION_TYPE_CCW, VFIO_REGION_SUBTYPE_CCW_SCHIB, "SCHIB" },
		{ VFIO_REGION_TYPE_CCW, VFIO_REGION_SUBTYPE_CCW_CRW, "CRW" },
		{ VFIO_REGION_TYPE_MIGRATION_DEPRECATED, VFIO_REGION_SUBTYPE_MIGRATION_DEPRECATED, "v1 migration" },
	};
	size_t i;

	for (i = 0; i < N_ELEMS(names); i++)
		if (names[i].type == type && names[i].subtype == subtype)
			return names[i].name;
	return NULL;
}

char *vfio_region_type_format(uint32_t type, uint32_t subtype, char *buf, size_t len)
{
	static const char *const types[] = {
		[VFIO_REGION_TYPE_GFX] = "GFX",
		[VFIO_REGION_TYPE_CCW] = "CCW",
		[VFIO_REGION_TYPE_MIGRATION_DEPRECATED] = "migration (deprecated)",
	};
	const char *sub = region_subtype_name(type, subtype), *name = table_name(types, N_ELEMS(types), type);
	char prefix[48], number[16];

	if ((type & ~(uint32_t)VFIO_REGION_TYPE_PCI_VENDOR_MASK) == REGION_TYPE_PCI_VENDOR)
		snprintf(prefix, sizeof(prefix), "PCI vendor %04x", type & VFIO_REGION_TYPE_PCI_VENDOR_MASK);
	else if (name)
		snprintf(prefix, sizeof(prefix), "%s", name);
	else
		snprintf(prefix, sizeof(prefix), "type 0x%x", type);
	snprintf(number, sizeof(number), "%u", subtype);
	snprintf(buf, len, "%s / %s", prefix, sub ? sub : number);
	return buf;
}

const char *vfio_region_cap_name(uint16_t id)
{
	static const char *const names[] = {
		[VFIO_REGION_INFO_CAP_SPARSE_MMAP] = "sparse mmap",
		[VFIO_REGION_INFO_CAP_TYPE] = "type",
		[VFIO_REGION_INFO_CAP_MSIX_MAPPABLE] = "MSI-X mappable",
		[VFIO_REGION_INFO_CAP_NVLINK2_SSATGT] = "NVLink2 SSA TGT",
		[VFIO_REGION_INFO_CAP_NVLINK2_LNKSPD] = "NVLink2 link speed",
	};

	return table_name(names, N_ELEMS(names), id);
}

/* --- interrupts --- */

int vfio_irq_info_get(int device, uint32_t index, struct vfio_irq_desc *out, char *why, size_t whylen)
{
	struct vfio_irq_info info = { .argsz = sizeof(info), .index = index };

	memset(out, 0, sizeof(*out));
	out->index = index;
	if (ioctl(device, VFIO_DEVICE_GET_IRQ_INFO, &info) < 0) {
		out->err = errno;
		return out->err == EINVAL ? 0 : vt_why_errno(out->err, why, whylen, "IRQ %u: VFIO_DEVICE_GET_IRQ_INFO", index);
	}
	out->flags = info.flags;
	out->count = info.count;
	return 0;
}

const char *vfio_pci_irq_name(uint32_t index, char *buf, size_t len)
{
	static const char *const names[VFIO_PCI_NUM_IRQS] = { "INTX", "MSI", "MSIX", "ERR", "REQ" };

	return indexed_name(names, N_ELEMS(names), index, "IRQ", buf, len);
}

char *vfio_irq_flags_format(uint32_t flags, char *buf, size_t len)
{
	static const struct bit_name names[] = {
		{ VFIO_IRQ_INFO_EVENTFD, "EVENTFD" }, { VFIO_IRQ_INFO_MASKABLE, "MASKABLE" },
		{ VFIO_IRQ_INFO_AUTOMASKED, "AUTOMASKED" }, { VFIO_IRQ_INFO_NORESIZE, "NORESIZE" },
	};

	return format_bits(flags, names, N_ELEMS(names), buf, len);
}

/* --- type1 IOMMU --- */

static void type1_iova_ranges(struct vfio_type1_desc *d, const struct vfio_cap_ref *cap, const uint8_t *buf)
{
	const size_t array_at = offsetof(struct vfio_iommu_type1_info_cap_iova_range, iova_ranges);
	const size_t elem = sizeof(struct vfio_iova_range);
	uint32_t n = cap_array_count(cap, buf, offsetof(struct vfio_iommu_type1_info_cap_iova_range, nr_iovas),
				     array_at, elem, "IOVA ranges", d->problem, sizeof(d->problem));
	const uint8_t *p = buf + cap->offset + array_at;
	uint32_t i;

	d->has_ranges = true;
	d->ranges = n ? vt_xcalloc(n, sizeof(*d->ranges)) : NULL;
	for (i = 0; i < n; i++, p += elem) {
		d->ranges[i].start = read_u64(p + offsetof(struct vfio_iova_range, start));
		d->ranges[i].end = read_u64(p + offsetof(struct vfio_iova_range, end));
	}
	d->n_ranges = n;
}

static void type1_migration(struct vfio_type1_desc *d, const struct vfio_cap_ref *cap, const uint8_t *buf)
{
	d->has_migration =
		cap_read(cap, buf, CAP_FIELD(vfio_iommu_type1_info_cap_migration, flags), &d->migration_flags,
			 d->problem, sizeof(d->problem)) &&
		cap_read(cap, buf, CAP_FIELD(vfio_iommu_type1_info_cap_migration, pgsize_bitmap),
			 &d->migration_pgsize_bitmap, d->problem, sizeof(d->problem)) &&
		cap_read(cap, buf, CAP_FIELD(vfio_iommu_type1_info_cap_migration, max_dirty_bitmap_size),
			 &d->max_dirty_bitmap_size, d->problem, sizeof(d->problem));
}

static int type1_cap(const struct vfio_cap_ref *cap, const uint8_t *buf, void *arg)
{
	struct vfio_type1_desc *d = arg;

	if (!record_cap(d->caps, &d->n_caps, cap, d->problem, sizeof(d->problem)))
		return 0;
	switch (cap->id) {
	case VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE:
		type1_iova_ranges(d, cap, buf);
		break;
	case VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION:
		type1_migration(d, cap, buf);
		break;
	case VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL:
		d->has_dma_avail = cap_read(cap, buf, CAP_FIELD(vfio_iommu_type1_info_dma_avail, avail),
					    &d->dma_avail, d->problem, sizeof(d->problem));
		break;
	}
	return 0;
}

bool vfio_type1_info_parse(const uint8_t *buf, size_t len, struct vfio_type1_desc *out)
{
	static const struct info_layout layout = {
		.what = "type1 info",
		.fixed = OFFSETOFEND(struct vfio_iommu_type1_info, iova_pgsizes),
		.cap_offset_at = offsetof(struct vfio_iommu_type1_info, cap_offset),
		.caps_from = sizeof(struct vfio_iommu_type1_info),
		.caps_flag = VFIO_IOMMU_INFO_CAPS,
	};

	memset(out, 0, sizeof(*out));
	if (len >= layout.fixed) {
		out->flags = read_u32(buf + offsetof(struct vfio_iommu_type1_info, flags));
		out->iova_pgsizes = read_u64(buf + offsetof(struct vfio_iommu_type1_info, iova_pgsizes));
	}
	return parse_info(buf, len, &layout, type1_cap, out, out->problem, sizeof(out->problem)) && !out->problem[0];
}

int vfio_type1_info_get(int container, struct vfio_type1_desc *out, char *why, size_t whylen)
{
	struct vfio_iommu_type1_info fixed = { 0 };
	uint8_t *buf;
	size_t len;
	int r = info_ioctl(container, VFIO_IOMMU_GET_INFO, &fixed, sizeof(fixed), &buf, &len);

	memset(out, 0, sizeof(*out));
	if (r < 0)
		return vt_why_errno(-r, why, whylen, "VFIO_IOMMU_GET_INFO");
	vfio_type1_info_parse(buf, len, out);
	free(buf);
	return 0;
}

void vfio_type1_desc_free(struct vfio_type1_desc *d)
{
	free(d->ranges);
	d->ranges = NULL;
	d->n_ranges = 0;
}

const char *vfio_type1_cap_name(uint16_t id)
{
	static const char *const names[] = {
		[VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE] = "IOVA range",
		[VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION] = "migration",
		[VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL] = "DMA available",
	};

	return table_name(names, N_ELEMS(names), id);
}

/* "4K" for bit 12: 2^bit bytes with a binary unit. */
static void page_size_name(unsigned bit, char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";

	snprintf(buf, len, "%llu%c", 1ULL << (bit % 10), units[bit / 10]);
}

char *vfio_pgsizes_format(uint64_t bitmap, char *buf, size_t len)
{
	char first[8], last[8];
	unsigned bit = 0, end;
	size_t used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	while (bit < 64) {
		if (!(bitmap >> bit & 1)) {
			bit++;
			continue;
		}
		for (end = bit; end < 63 && (bitmap >> (end + 1) & 1); end++)
			;
		page_size_name(bit, first, sizeof(first));
		page_size_name(end, last, sizeof(last));
		if (end - bit < 2) {
			append_word(buf, len, &used, "%s", first);
			if (end != bit)
				append_word(buf, len, &used, "%s", last);
		} else if (end == 63) {
			append_word(buf, len, &used, "%s+", first);
		} else {
			append_word(buf, len, &used, "%s..%s", first, last);
		}
		bit = end + 1;
	}
	if (!used)
		append_word(buf, len, &used, "none");
	return buf;
}
