#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "iommu/spapr_dt.h"
#include "util/sysfs.h"

#define PROP_MAX 4096		/* far above any property read here */
#define CELLS_MAX 4

static bool explain(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool explain(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return false;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A number of 1..CELLS_MAX cells; false when it does not fit in 64 bits. */
static bool be_number(const uint8_t *p, unsigned cells, uint64_t *out)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < cells; i++) {
		if (v >> 32)
			return false;
		v = v << 32 | be32(p + 4 * i);
	}
	*out = v;
	return true;
}

static bool usable_buffer(const uint8_t *prop, size_t len, char *why, size_t whylen)
{
	if (!prop && len)
		return explain(why, whylen, "no data");
	if (len % 4)
		return explain(why, whylen, "%zu bytes, not whole 4-byte cells", len);
	return true;
}

bool spapr_decode_u32(const uint8_t *prop, size_t len, uint32_t *out, char *why, size_t whylen)
{
	if (!prop || len != 4)
		return explain(why, whylen, "%zu bytes, expected 4", prop ? len : 0);
	*out = be32(prop);
	return true;
}

bool spapr_decode_dma_window(const uint8_t *prop, size_t len, unsigned addr_cells,
			     unsigned size_cells, struct spapr_window *out, char *why, size_t whylen)
{
	struct spapr_window w;
	size_t want;

	if (addr_cells < 1 || addr_cells > CELLS_MAX)
		return explain(why, whylen, "%u address cells, expected 1 to %d", addr_cells,
			       CELLS_MAX);
	if (size_cells < 1 || size_cells > CELLS_MAX)
		return explain(why, whylen, "%u size cells, expected 1 to %d", size_cells, CELLS_MAX);
	want = 4 * (1 + (size_t)addr_cells + size_cells);
	if (!prop || len != want)
		return explain(why, whylen, "%zu bytes, expected %zu", prop ? len : 0, want);
	w.liobn = be32(prop);
	if (!be_number(prop + 4, addr_cells, &w.start))
		return explain(why, whylen, "bus address does not fit in 64 bits");
	if (!be_number(prop + 4 + 4 * addr_cells, size_cells, &w.size))
		return explain(why, whylen, "size does not fit in 64 bits");
	if (w.size == 0)
		return explain(why, whylen, "window size 0 (QEMU writes 0 for 4 GiB or more)");
	if (w.start + (w.size - 1) < w.start)
		return explain(why, whylen, "window 0x%" PRIx64 " + 0x%" PRIx64 " wraps past 2^64",
			       w.start, w.size);
	*out = w;
	return true;
}

bool spapr_decode_ddw_applicable(const uint8_t *prop, size_t len, uint32_t tokens[3],
				 char *why, size_t whylen)
{
	if (!usable_buffer(prop, len, why, whylen))
		return false;
	if (len < 12)
		return explain(why, whylen, "%zu bytes, expected 3 cells", len);
	for (int i = 0; i < 3; i++)
		tokens[i] = be32(prop + 4 * i);
	return true;
}

bool spapr_decode_ddw_extensions(const uint8_t *prop, size_t len, uint32_t *reset_token,
				 bool *query_64bit, char *why, size_t whylen)
{
	uint32_t count;

	if (!usable_buffer(prop, len, why, whylen))
		return false;
	if (len < 4)
		return explain(why, whylen, "empty, expected a count cell");
	count = be32(prop);
	if (count != len / 4 - 1)
		return explain(why, whylen, "says %" PRIu32 " extensions, %zu cells follow", count,
			       len / 4 - 1);
	*reset_token = count >= 1 ? be32(prop + 4) : 0;
	*query_64bit = count >= 2 && be32(prop + 8) != 0;
	return true;
}

bool spapr_decode_tce_sizes(const uint8_t *prop, size_t len, uint64_t *page_sizes,
			    char *why, size_t whylen)
{
	uint64_t sizes = 0;

	if (!usable_buffer(prop, len, why, whylen))
		return false;
	if (len == 0)
		return explain(why, whylen, "empty");
	for (size_t off = 0; off < len; off += 4) {
		uint32_t shift = be32(prop + off);

		if (shift < 12 || shift > 63)
			return explain(why, whylen, "page shift %" PRIu32 " outside 12..63", shift);
		sizes |= UINT64_C(1) << shift;
	}
	*page_sizes = sizes;
	return true;
}

bool spapr_dma_info_agree(const struct spapr_dma_info *dt, const struct spapr_dma_info *vfio,
			  char *why, size_t whylen)
{
	if (dt->has_win32 && vfio->has_win32 &&
	    (dt->win32.start != vfio->win32.start || dt->win32.size != vfio->win32.size))
		return explain(why, whylen,
			       "32-bit window: device tree 0x%" PRIx64 " + 0x%" PRIx64
			       ", VFIO 0x%" PRIx64 " + 0x%" PRIx64,
			       dt->win32.start, dt->win32.size, vfio->win32.start, vfio->win32.size);
	if (dt->kind == SPAPR_PHB_PSERIES && !dt->ddw && vfio->ddw)
		return explain(why, whylen,
			       "VFIO reports dynamic DMA windows, the device tree has no "
			       "ibm,ddw-applicable");
	return true;
}

/* ---- reading the tree ---- */

struct prop {
	uint8_t data[PROP_MAX];
	size_t len;
};

/* 1: read, 0: absent, -errno: unreadable, not a file, or longer than PROP_MAX. */
static int read_prop(const char *node, const char *name, struct prop *p)
{
	char path[PATH_MAX];
	int n_path = snprintf(path, sizeof(path), "%s/%s", node, name);
	struct stat st;
	ssize_t n;
	int fd, err = 0;

	if (n_path < 0 || (size_t)n_path >= sizeof(path))
		return -ENAMETOOLONG;
	p->len = 0;
	/* O_NONBLOCK: a hostile tree could hold a FIFO */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		err = -EINVAL;
	while (!err && p->len < sizeof(p->data)) {
		n = read(fd, p->data + p->len, sizeof(p->data) - p->len);
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		p->len += (size_t)n;
	}
	if (!err && p->len == sizeof(p->data) && read(fd, &(uint8_t){ 0 }, 1) > 0)
		err = -EFBIG;
	close(fd);
	return err ? err : 1;
}

static bool has_prop(const char *node, const char *name)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/%s", node, name);

	return n > 0 && (size_t)n < sizeof(path) && access(path, F_OK) == 0;
}

static void parent_path(char *path)
{
	char *slash = strrchr(path, '/');

	if (slash && slash != path)
		*slash = '\0';
}

static const char *node_name(const char *node, const char *base)
{
	const char *rel = node + strlen(base);

	return *rel == '/' ? rel + 1 : "/";
}

/* A one-cell property of node: 1 with *cells set, 0 when absent, -errno. */
static int cells_prop(const char *node, const char *base, const char *name, unsigned *cells,
		      char *why, size_t whylen)
{
	struct prop p = { .len = 0 };	/* zeroed: clang-analyzer 14 does not see read() fill data */
	char what[96];
	uint32_t v = 0;
	int r = read_prop(node, name, &p);

	if (r < 0) {
		explain(why, whylen, "%s: %s: %s", node_name(node, base), name, strerror(-r));
	} else if (r > 0) {
		if (spapr_decode_u32(p.data, p.len, &v, what, sizeof(what))) {
			*cells = v;
		} else {
			explain(why, whylen, "%s: %s: %s", node_name(node, base), name, what);
			r = -EINVAL;
		}
	}
	return r;
}

/*
 * Cell counts of node's ibm,dma-window, as the Linux kernel reads them:
 * ibm,#dma-address-cells, else the node's own #address-cells, else the nearest
 * ancestor's, else 1; ibm,#dma-size-cells, else the nearest ancestor's #size-cells,
 * else 1.
 */
static int window_cells(const char *node, const char *base, unsigned *addr_cells,
			unsigned *size_cells, char *why, size_t whylen)
{
	char up[PATH_MAX];
	int ra, rs;

	*addr_cells = *size_cells = 1;
	ra = cells_prop(node, base, "ibm,#dma-address-cells", addr_cells, why, whylen);
	if (ra == 0)
		ra = cells_prop(node, base, "#address-cells", addr_cells, why, whylen);
	if (ra < 0)
		return ra;
	rs = cells_prop(node, base, "ibm,#dma-size-cells", size_cells, why, whylen);
	if (rs < 0)
		return rs;
	snprintf(up, sizeof(up), "%s", node);
	while ((ra == 0 || rs == 0) && strcmp(up, base) != 0) {
		parent_path(up);
		if (ra == 0 && (ra = cells_prop(up, base, "#address-cells", addr_cells, why,
						 whylen)) < 0)
			return ra;
		if (rs == 0 && (rs = cells_prop(up, base, "#size-cells", size_cells, why,
						 whylen)) < 0)
			return rs;
	}
	return 0;
}

static int prop_error(const char *node, const char *base, const char *name, int err,
		      const char *what, char *why, size_t whylen)
{
	explain(why, whylen, "%s: %s: %s", node_name(node, base), name,
		what ? what : strerror(-err));
	return err;
}

static int read_pseries(const char *node, const char *base, struct prop *p,
			struct spapr_dma_info *out, char *why, size_t whylen)
{
	unsigned addr_cells, size_cells;
	char what[128];
	uint32_t tokens[3] = { 0, 0, 0 };
	int r;

	out->kind = SPAPR_PHB_PSERIES;
	r = read_prop(node, "ibm,dma-window", p);
	if (r < 0)
		return prop_error(node, base, "ibm,dma-window", r, NULL, why, whylen);
	if (r > 0) {
		r = window_cells(node, base, &addr_cells, &size_cells, why, whylen);
		if (r < 0)
			return r;
		if (!spapr_decode_dma_window(p->data, p->len, addr_cells, size_cells, &out->win32,
					     what, sizeof(what)))
			return prop_error(node, base, "ibm,dma-window", -EINVAL, what, why, whylen);
		out->has_win32 = true;
	}

	r = read_prop(node, "ibm,ddw-applicable", p);
	if (r < 0)
		return prop_error(node, base, "ibm,ddw-applicable", r, NULL, why, whylen);
	if (r == 0)
		return 0;
	if (!spapr_decode_ddw_applicable(p->data, p->len, tokens, what, sizeof(what)))
		return prop_error(node, base, "ibm,ddw-applicable", -EINVAL, what, why, whylen);
	out->ddw = true;
	out->ddw_query = tokens[0];
	out->ddw_create = tokens[1];
	out->ddw_remove = tokens[2];

	r = read_prop(node, "ibm,ddw-extensions", p);
	if (r < 0)
		return prop_error(node, base, "ibm,ddw-extensions", r, NULL, why, whylen);
	if (r > 0 && !spapr_decode_ddw_extensions(p->data, p->len, &out->ddw_reset,
						  &out->ddw_query_64bit, what, sizeof(what)))
		return prop_error(node, base, "ibm,ddw-extensions", -EINVAL, what, why, whylen);
	return 0;
}

/* 1: node describes the DMA windows (out filled), 0: it does not, -errno. */
static int inspect_node(const char *node, const char *base, struct prop *p,
			struct spapr_dma_info *out, char *why, size_t whylen)
{
	char what[128];
	int r;

	if (has_prop(node, "ibm,dma-window") || has_prop(node, "ibm,ddw-applicable")) {
		r = read_pseries(node, base, p, out, why, whylen);
		return r < 0 ? r : 1;
	}
	r = read_prop(node, "ibm,supported-tce-sizes", p);
	if (r < 0)
		return prop_error(node, base, "ibm,supported-tce-sizes", r, NULL, why, whylen);
	if (r == 0)
		return 0;
	out->kind = SPAPR_PHB_POWERNV;
	if (!spapr_decode_tce_sizes(p->data, p->len, &out->page_sizes, what, sizeof(what)))
		return prop_error(node, base, "ibm,supported-tce-sizes", -EINVAL, what, why,
				  whylen);
	return 1;
}

static bool path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int spapr_dt_dma_info(const char *address, struct spapr_dma_info *out, char *why, size_t whylen)
{
	char link[PATH_MAX], node[PATH_MAX], base[PATH_MAX];
	struct prop *p;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (!address || !*address || address[0] == '.' || strchr(address, '/')) {
		explain(why, whylen, "not a device name");
		return -EINVAL;
	}
	if (!sysfs_path(link, sizeof(link), "bus/pci/devices/%s/of_node", address) ||
	    !realpath(link, node)) {
		explain(why, whylen, "no device-tree node (not a POWER machine?)");
		return -ENOENT;
	}
	if (!sysfs_path(link, sizeof(link), "firmware/devicetree/base") || !realpath(link, base) ||
	    !path_within(node, base)) {
		explain(why, whylen, "of_node is outside the device tree");
		return -ENOENT;
	}
	p = calloc(1, sizeof(*p));	/* zeroed: clang-analyzer 14 does not see read() fill data */
	if (!p) {
		explain(why, whylen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (;;) {
		r = inspect_node(node, base, p, out, why, whylen);
		if (r != 0 || strcmp(node, base) == 0)
			break;
		parent_path(node);
	}
	free(p);
	if (r == 0) {
		explain(why, whylen, "no DMA window in the device tree above %s", address);
		r = -ENODATA;
	}
	if (r < 0) {
		memset(out, 0, sizeof(*out));
		return r;
	}
	snprintf(out->node, sizeof(out->node), "%s", node_name(node, base));
	return 0;
}
