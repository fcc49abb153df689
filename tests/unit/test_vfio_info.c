/* VFIO info buffers (capability chains, hostile ones too), names, formatters, and the iommufd failure paths. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "vfio/vfio_info.h"
#include "vfio/vfio_iommufd.h"
#include "vfio/vfio_nodes.h"

/* ---- kernel-like buffers, built by hand (native byte order, as the kernel writes them) ---- */

static void put16(uint8_t *b, size_t at, uint16_t v)
{
	memcpy(b + at, &v, sizeof(v));
}

static void put32(uint8_t *b, size_t at, uint32_t v)
{
	memcpy(b + at, &v, sizeof(v));
}

static void put64(uint8_t *b, size_t at, uint64_t v)
{
	memcpy(b + at, &v, sizeof(v));
}

static void put_cap(uint8_t *b, size_t at, uint16_t id, uint32_t next)
{
	put16(b, at, id);
	put16(b, at + 2, 1);
	put32(b, at + 4, next);
}

/* VFIO_IOMMU_GET_INFO as an intel-iommu guest answers it (6.6+ aligns each capability to 8). */
static size_t type1_buffer(uint8_t *b)
{
	memset(b, 0, 120);
	put32(b, 0, 120);			/* argsz */
	put32(b, 4, 0x3);			/* PGSIZES | CAPS */
	put64(b, 8, 0x40201000);		/* 4K 2M 1G */
	put32(b, 16, 24);			/* cap_offset */
	put_cap(b, 24, 1, 72);			/* IOVA_RANGE */
	put32(b, 32, 2);
	put64(b, 40, 0);
	put64(b, 48, 0xfedfffff);
	put64(b, 56, 0xfef00000);
	put64(b, 64, 0x7fffffffff);
	put_cap(b, 72, 2, 104);			/* MIGRATION */
	put64(b, 88, 0x1000);
	put64(b, 96, 268435456);
	put_cap(b, 104, 3, 0);			/* DMA_AVAIL */
	put32(b, 112, 65535);
	return 120;
}

/* BAR2 of 16K with an MSI-X table at 8K: two sparse areas around it, and MSIX_MAPPABLE. */
static size_t bar_buffer(uint8_t *b)
{
	memset(b, 0, 88);
	put32(b, 0, 88);
	put32(b, 4, 0xf);			/* R W MMAP CAPS */
	put32(b, 8, 2);				/* index */
	put32(b, 12, 32);			/* cap_offset */
	put64(b, 16, 0x4000);			/* size */
	put64(b, 24, 2ULL << 40);		/* offset */
	put_cap(b, 32, 1, 80);			/* SPARSE_MMAP */
	put32(b, 40, 2);
	put64(b, 48, 0);
	put64(b, 56, 0x2000);
	put64(b, 64, 0x3000);
	put64(b, 72, 0x1000);
	put_cap(b, 80, 3, 0);			/* MSIX_MAPPABLE */
	return 88;
}

/* An IGD OpRegion: region 9 with a TYPE capability. */
static size_t opregion_buffer(uint8_t *b)
{
	memset(b, 0, 48);
	put32(b, 0, 48);
	put32(b, 4, 0x9);			/* R CAPS */
	put32(b, 8, 9);
	put32(b, 12, 32);
	put64(b, 16, 0x2000);
	put64(b, 24, 9ULL << 40);
	put_cap(b, 32, 2, 0);			/* TYPE */
	put32(b, 40, 0x80008086);
	put32(b, 44, 1);
	return 48;
}

/* A vfio-pci device on 6.6+: RESET PCI CAPS with PCI_ATOMIC_COMP (32 and 64 bit). */
static size_t device_buffer(uint8_t *b)
{
	memset(b, 0, 40);
	put32(b, 0, 40);
	put32(b, 4, 0x83);
	put32(b, 8, 9);
	put32(b, 12, 5);
	put32(b, 16, 24);
	put_cap(b, 24, 5, 0);
	put32(b, 32, 0x3);
	return 40;
}

static void realistic_buffers(void)
{
	struct vfio_type1_desc t;
	struct vfio_region_desc r;
	struct vfio_device_desc d;
	uint8_t b[128];
	bool ok;

	ok = vfio_type1_info_parse(b, type1_buffer(b), &t);
	tap_ok(ok && !t.problem[0] && t.flags == 3 && t.iova_pgsizes == 0x40201000 && t.n_caps == 3,
	       "type1: parsed, 3 caps (%s)", t.problem);
	tap_ok(t.has_ranges && t.n_ranges == 2 && t.ranges[0].start == 0 && t.ranges[0].end == 0xfedfffff &&
	       t.ranges[1].start == 0xfef00000 && t.ranges[1].end == 0x7fffffffff, "type1: IOVA ranges");
	tap_ok(t.has_migration && t.migration_flags == 0 && t.migration_pgsize_bitmap == 0x1000 &&
	       t.max_dirty_bitmap_size == 268435456, "type1: migration");
	tap_ok(t.has_dma_avail && t.dma_avail == 65535, "type1: DMA available 65535");
	tap_ok(t.caps[0].offset == 24 && t.caps[0].len == 48 && t.caps[2].offset == 104 && t.caps[2].len == 16,
	       "type1: capability offsets and lengths");
	vfio_type1_desc_free(&t);

	ok = vfio_region_info_parse(b, bar_buffer(b), &r);
	tap_ok(ok && r.index == 2 && r.flags == 0xf && r.size == 0x4000 && r.offset == 2ULL << 40 && r.n_caps == 2,
	       "region: BAR2 parsed (%s)", r.problem);
	tap_ok(r.sparse && r.n_areas == 2 && r.areas[0].offset == 0 && r.areas[0].size == 0x2000 &&
	       r.areas[1].offset == 0x3000 && r.areas[1].size == 0x1000 && r.msix_mappable && !r.has_type,
	       "region: sparse areas around the MSI-X table, MSI-X mappable");
	vfio_region_desc_free(&r);

	ok = vfio_region_info_parse(b, opregion_buffer(b), &r);
	tap_ok(ok && r.has_type && r.type == 0x80008086 && r.subtype == 1 && !r.sparse && !r.areas,
	       "region: TYPE capability");
	vfio_region_desc_free(&r);

	ok = vfio_device_info_parse(b, device_buffer(b), &d);
	tap_ok(ok && d.flags == 0x83 && d.num_regions == 9 && d.num_irqs == 5 && d.n_caps == 1 &&
	       d.has_pci_atomic_comp && d.pci_atomic_comp == 3, "device: PCI_ATOMIC_COMP");
	put32(b, 0, 20);			/* 6.1: no caps, the 20-byte struct */
	put32(b, 4, 0x3);
	ok = vfio_device_info_parse(b, 20, &d);
	tap_ok(ok && d.n_caps == 0 && !d.has_pci_atomic_comp, "device: 6.1 layout without caps");
}

/* ---- hostile buffers ---- */

static bool problem_has(const char *problem, const char *text)
{
	return strstr(problem, text) != NULL;
}

static void hostile_chains(void)
{
	struct vfio_type1_desc t;
	struct vfio_region_desc r;
	uint8_t b[128];
	size_t len;

	len = type1_buffer(b);
	put32(b, 108, 24);			/* DMA_AVAIL points back at IOVA_RANGE */
	tap_ok(!vfio_type1_info_parse(b, len, &t) && problem_has(t.problem, "loops") && t.n_caps == 3,
	       "hostile: capability loop stops (%s)", t.problem);
	vfio_type1_desc_free(&t);

	len = type1_buffer(b);
	put32(b, 16, 8);
	tap_ok(!vfio_type1_info_parse(b, len, &t) && problem_has(t.problem, "inside the fixed") && !t.n_caps,
	       "hostile: cap_offset inside the fixed header (%s)", t.problem);

	len = type1_buffer(b);
	put32(b, 76, 200);
	tap_ok(!vfio_type1_info_parse(b, len, &t) && problem_has(t.problem, "does not fit") && t.n_caps == 2,
	       "hostile: next past the end (%s)", t.problem);
	vfio_type1_desc_free(&t);

	len = type1_buffer(b);
	put32(b, 32, 0xffffffff);
	tap_ok(!vfio_type1_info_parse(b, len, &t) && t.n_ranges == 2 && problem_has(t.problem, "room for 2"),
	       "hostile: nr_iovas huge, clamped to 2 (%s)", t.problem);
	vfio_type1_desc_free(&t);

	len = bar_buffer(b);
	put32(b, 40, 0xfffffff0);
	tap_ok(!vfio_region_info_parse(b, len, &r) && r.n_areas == 2 && problem_has(r.problem, "room for 2"),
	       "hostile: nr_areas huge, clamped to 2 (%s)", r.problem);
	vfio_region_desc_free(&r);

	len = bar_buffer(b);
	put_cap(b, 80, 1, 0);			/* a second SPARSE_MMAP */
	tap_ok(!vfio_region_info_parse(b, len, &r) && r.n_areas == 2 && problem_has(r.problem, "twice"),
	       "hostile: repeated capability ignored (%s)", r.problem);
	vfio_region_desc_free(&r);

	len = opregion_buffer(b);
	put32(b, 0, 44);			/* argsz cuts the TYPE capability short */
	tap_ok(!vfio_region_info_parse(b, len, &r) && !r.has_type && problem_has(r.problem, "too short"),
	       "hostile: capability shorter than its fields (%s)", r.problem);
}

static int count_cap(const struct vfio_cap_ref *cap, const uint8_t *buf, void *arg)
{
	(void)cap, (void)buf;
	return ++*(int *)arg == 5;
}

static void chain_limits(void)
{
	uint8_t b[8 + 70 * 8];
	char problem[128] = "";
	struct vfio_region_desc r;
	size_t i, n;
	int calls = 0;

	memset(b, 0, sizeof(b));
	for (i = 0; i < 70; i++)
		put_cap(b, 8 + i * 8, (uint16_t)(100 + i), i < 69 ? (uint32_t)(16 + i * 8) : 0);
	n = vfio_cap_chain_walk(b, sizeof(b), 8, 8, NULL, NULL, problem, sizeof(problem));
	tap_ok(n == 64 && problem_has(problem, "more than 64"), "walk: stops after 64 entries (%s)", problem);
	n = vfio_cap_chain_walk(b, sizeof(b), 8, 8, count_cap, &calls, NULL, 0);
	tap_ok(n == 5 && calls == 5, "walk: the callback stops it early");
	problem[0] = '\0';
	n = vfio_cap_chain_walk(b, 12, 8, 8, NULL, NULL, problem, sizeof(problem));
	tap_ok(n == 0 && problem_has(problem, "does not fit"), "walk: a header that does not fit (%s)", problem);

	memset(b, 0, 32);			/* a region info whose chain has 18 distinct capabilities */
	put32(b, 0, 32 + 18 * 8);
	put32(b, 4, 0x8);
	put32(b, 12, 32);
	for (i = 0; i < 18; i++)
		put_cap(b, 32 + i * 8, (uint16_t)(100 + i), i < 17 ? (uint32_t)(40 + i * 8) : 0);
	tap_ok(!vfio_region_info_parse(b, 32 + 18 * 8, &r) && r.n_caps == VFIO_INFO_MAX_CAPS &&
	       problem_has(r.problem, "more than 16"), "region: 16 capabilities kept (%s)", r.problem);
}

/* Parses b as kind 0 (device), 1 (region) or 2 (type1) info and frees the result. */
static bool parse_kind(int kind, const uint8_t *b, size_t n)
{
	struct vfio_device_desc d;
	struct vfio_region_desc r;
	struct vfio_type1_desc t;
	bool ok;

	if (kind == 0)
		return vfio_device_info_parse(b, n, &d);
	if (kind == 1) {
		ok = vfio_region_info_parse(b, n, &r);
		vfio_region_desc_free(&r);
		return ok;
	}
	ok = vfio_type1_info_parse(b, n, &t);
	vfio_type1_desc_free(&t);
	return ok;
}

/*
 * Every prefix of a realistic buffer: with argsz as found only the whole buffer parses
 * cleanly; with argsz claiming the prefix (a kernel that lies) it must merely stay inside.
 */
static void truncations(void)
{
	static size_t (*const build[])(uint8_t *) = { device_buffer, bar_buffer, type1_buffer };
	uint8_t full[128], *b;
	size_t len, n, bad = 0;
	int pass, kind;

	for (pass = 0; pass < 2; pass++)
		for (kind = 0; kind < 3; kind++) {
			len = build[kind](full);
			for (n = 0; n <= len; n++) {
				b = malloc(n ? n : 1);	/* exactly n bytes: ASan sees any read past them */
				memcpy(b, full, n);
				if (pass && n >= 4)
					put32(b, 0, (uint32_t)n);
				bad += parse_kind(kind, b, n) != (n == len) && !pass;
				free(b);
			}
		}
	tap_ok(bad == 0, "truncated at every length: only the whole buffer parses cleanly (%zu wrong)", bad);
}

/* ---- names and formatters ---- */

static void formatters(void)
{
	char buf[96];

	tap_ok(!strcmp(vfio_pgsizes_format(0x40201000, buf, sizeof(buf)), "4K 2M 1G"), "pgsizes: %s", buf);
	tap_ok(!strcmp(vfio_pgsizes_format(0xfffffffffffff000ULL, buf, sizeof(buf)), "4K+"), "pgsizes: %s", buf);
	tap_ok(!strcmp(vfio_pgsizes_format(0x7000, buf, sizeof(buf)), "4K..16K"), "pgsizes: %s", buf);
	tap_ok(!strcmp(vfio_pgsizes_format(0x3001, buf, sizeof(buf)), "1B 4K 8K"), "pgsizes: %s", buf);
	tap_ok(!strcmp(vfio_pgsizes_format(0, buf, sizeof(buf)), "none"), "pgsizes: %s", buf);
	tap_ok(!strcmp(vfio_pgsizes_format(0x40201000, buf, 4), "4K"), "pgsizes: cut to the buffer: %s", buf);
	tap_ok(!strcmp(vfio_device_flags_format(0x83, buf, sizeof(buf)), "PCI RESET CAPS"), "device flags: %s", buf);
	tap_ok(!strcmp(vfio_device_flags_format(0x10000, buf, sizeof(buf)), "0x10000"), "device flags: %s", buf);
	tap_ok(!strcmp(vfio_region_flags_format(0xf, buf, sizeof(buf)), "R W MMAP CAPS"), "region flags: %s", buf);
	tap_ok(!strcmp(vfio_irq_flags_format(0x7, buf, sizeof(buf)), "EVENTFD MASKABLE AUTOMASKED"),
	       "irq flags: %s", buf);
	tap_ok(!strcmp(vfio_irq_flags_format(0, buf, sizeof(buf)), "none"), "irq flags: %s", buf);
	tap_ok(!strcmp(vfio_region_type_format(0x80008086, 1, buf, sizeof(buf)), "PCI vendor 8086 / IGD OpRegion"),
	       "region type: %s", buf);
	tap_ok(!strcmp(vfio_region_type_format(1, 1, buf, sizeof(buf)), "GFX / EDID"), "region type: %s", buf);
	tap_ok(!strcmp(vfio_region_type_format(0x80001234, 7, buf, sizeof(buf)), "PCI vendor 1234 / 7"),
	       "region type: %s", buf);
	tap_ok(!strcmp(vfio_region_type_format(77, 2, buf, sizeof(buf)), "type 0x4d / 2"), "region type: %s", buf);
	tap_ok(!strcmp(vfio_device_cap_name(5), "PCI ATOMIC COMP") && !vfio_device_cap_name(0) &&
	       !strcmp(vfio_region_cap_name(3), "MSI-X mappable") && !vfio_region_cap_name(6) &&
	       !strcmp(vfio_type1_cap_name(3), "DMA available") && !vfio_type1_cap_name(65535),
	       "capability names");
	tap_ok(!strcmp(vfio_pci_region_name(7, buf, sizeof(buf)), "CONFIG") &&
	       !strcmp(vfio_pci_region_name(12, buf, sizeof(buf)), "REGION12") &&
	       !strcmp(vfio_pci_irq_name(2, buf, sizeof(buf)), "MSIX") &&
	       !strcmp(vfio_pci_irq_name(5, buf, sizeof(buf)), "IRQ5"), "region and IRQ names");
}

static void region_indexes(void)
{
	static const struct {
		const char *name;
		int index;
	} cases[] = {
		{ "bar0", 0 }, { "BAR5", 5 }, { "Rom", 6 }, { "config", 7 }, { "VGA", 8 }, { "12", 12 },
		{ "region10", 10 }, { "bar6", -1 }, { "", -1 }, { "-1", -1 }, { "1x", -1 }, { "region", -1 },
		{ "99999999999", -1 },
	};
	size_t i, bad = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (vfio_pci_region_index(cases[i].name) != cases[i].index) {
			bad++;
			tap_ok(false, "region index \"%s\": %d", cases[i].name, vfio_pci_region_index(cases[i].name));
		}
	tap_ok(bad == 0, "region indexes from names and numbers");
}

/* ---- ioctls on something that is not VFIO ---- */

static void not_vfio(void)
{
	struct vfio_device_desc d;
	struct vfio_region_desc r;
	struct vfio_irq_desc q;
	struct vfio_type1_desc t;
	char why[256] = "";
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	tap_ok(vfio_device_info_get(fd, &d, why, sizeof(why)) == -ENOTTY && strstr(why, "VFIO_DEVICE_GET_INFO"),
	       "get: device info on /dev/null: %s", why);
	tap_ok(vfio_region_info_get(fd, 7, &r, why, sizeof(why)) == -ENOTTY && r.err == ENOTTY && r.index == 7,
	       "get: region info on /dev/null: %s", why);
	tap_ok(vfio_irq_info_get(fd, 1, &q, why, sizeof(why)) == -ENOTTY && q.err == ENOTTY, "get: IRQ info: %s", why);
	tap_ok(vfio_type1_info_get(fd, &t, why, sizeof(why)) == -ENOTTY && !t.ranges, "get: type1 info: %s", why);
	close(fd);
}

/* ---- iommufd: only the failure paths run without a 6.6+ kernel ---- */

#define ADDR "0000:01:00.0"

static char root[256];
#define MAX_MADE 16
static char made[MAX_MADE][PATH_MAX];
static size_t n_made;

/* Creates root/rel (a directory when dir, else an empty file) with its parents, remembering each for removal. */
static void make_node(const char *rel, bool dir)
{
	char path[PATH_MAX], *slash;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = path + strlen(root) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		if (mkdir(path, 0755) == 0 && n_made < MAX_MADE)
			snprintf(made[n_made++], PATH_MAX, "%s", path);
		*slash = '/';
	}
	if ((dir ? mkdir(path, 0755) : close(open(path, O_CREAT | O_WRONLY, 0644))) == 0 && n_made < MAX_MADE)
		snprintf(made[n_made++], PATH_MAX, "%s", path);
}

static int lowest_free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	close(fd);
	return fd;
}

static void iommufd_failures(void)
{
	struct iommufd_device d;
	char why[512] = "", name[32] = "", path[PATH_MAX];
	int fd = lowest_free_fd(), r;

	r = iommufd_device_open(ADDR, &d, why, sizeof(why));
	tap_ok(r == -ENOENT && strstr(why, "no VFIO device node") && d.device < 0 && d.iommufd < 0,
	       "iommufd: no cdev: ENOENT (%s)", why);
	tap_ok(!vfio_cdev_name(ADDR, name, sizeof(name)) && !iommufd_available(ADDR), "iommufd: no cdev, unavailable");

	make_node("sys/bus/pci/devices/" ADDR "/vfio-dev/vfio3", true);
	tap_ok(!vfio_cdev_name(ADDR, name, sizeof(name)), "iommufd: a vfio-dev entry without a device number is no cdev");
	make_node("sys/bus/pci/devices/" ADDR "/vfio-dev/vfio3/dev", false);
	tap_ok(vfio_cdev_name(ADDR, name, sizeof(name)) && !strcmp(name, "vfio3"), "iommufd: cdev name %s", name);
	tap_ok(!iommufd_available(ADDR), "iommufd: a cdev but no /dev/iommu: unavailable");
	r = iommufd_device_open(ADDR, &d, why, sizeof(why));
	snprintf(path, sizeof(path), "%s/dev/iommu", root);
	tap_ok(r == -ENOENT && strstr(why, path) && d.device < 0 && d.iommufd < 0,
	       "iommufd: no /dev/iommu: ENOENT naming it (%s)", why);

	make_node("dev/iommu", false);
	tap_ok(iommufd_available(ADDR), "iommufd: cdev and /dev/iommu: available");
	r = iommufd_device_open(ADDR, &d, why, sizeof(why));
	tap_ok(r == -ENOENT && strstr(why, "vfio/devices/vfio3"), "iommufd: no device node: ENOENT (%s)", why);

	make_node("dev/vfio/devices/vfio3", false);
	r = iommufd_device_open(ADDR, &d, why, sizeof(why));
	tap_ok(r == -ENOTTY && strstr(why, "VFIO_DEVICE_BIND_IOMMUFD") && d.device < 0 && d.iommufd < 0,
	       "iommufd: plain files refuse the bind: ENOTTY (%s)", why);
	tap_ok(lowest_free_fd() == fd, "iommufd: every descriptor closed after the failures");
}

void test_vfio_info(void)
{
	struct saved_env sysfs = save_env("VFIO_TOOLS_SYSFS"), dev = save_env("VFIO_TOOLS_DEV");
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX + 8];

	realistic_buffers();
	hostile_chains();
	chain_limits();
	truncations();
	formatters();
	region_indexes();
	not_vfio();

	snprintf(root, sizeof(root), "%s/vt-vfio-info.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(root)) {
		snprintf(dir, sizeof(dir), "%s/sys", root);
		setenv("VFIO_TOOLS_SYSFS", dir, 1);
		snprintf(dir, sizeof(dir), "%s/dev", root);
		setenv("VFIO_TOOLS_DEV", dir, 1);
		iommufd_failures();
		while (n_made)
			remove(made[--n_made]);
		rmdir(root);
	} else {
		tap_ok(false, "iommufd: mkdtemp %s: %s", root, strerror(errno));
	}
	restore_env(&sysfs);
	restore_env(&dev);
}
