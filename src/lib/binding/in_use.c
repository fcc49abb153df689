#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binding/driver_switch.h"
#include "binding/in_use.h"
#include "binding/vfio_holders.h"
#include "pci/pci_addr.h"
#include "util/report.h"
#include "util/sysfs.h"

/* Bounds: how deep and how wide the sysfs walk below a device goes. */
#define WALK_MAX_DEPTH 16
#define WALK_MAX_DIRS 50000

#define MAX_FACTS 4
#define LIST_SHOWN 2
#define MAX_FIELDS 32

/* ---- reasons and their text ---- */

static void make_one_line(char *s)
{
	for (; *s; s++)
		if (iscntrl((unsigned char)*s))
			*s = '?';
}

static void add_reason(struct in_use *out, enum in_use_kind kind, const char *subject, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_reason(struct in_use *out, enum in_use_kind kind, const char *subject, const char *fmt, ...)
{
	struct in_use_reason *r;
	va_list ap;
	int n;

	out->r = vt_xrealloc(out->r, out->n + 1, sizeof(*out->r));
	r = &out->r[out->n++];
	r->kind = kind;
	snprintf(r->subject, sizeof(r->subject), "%s", subject);
	va_start(ap, fmt);
	n = vsnprintf(r->text, sizeof(r->text), fmt, ap);
	va_end(ap);
	if (n <= 0)
		snprintf(r->text, sizeof(r->text), "%s is in use", subject);
	else if ((size_t)n >= sizeof(r->text))
		memcpy(r->text + sizeof(r->text) - 4, "...", 4);
	make_one_line(r->subject);
	make_one_line(r->text);
}

/* Short phrases about one subject, joined as "a, b and c". */
struct facts {
	char item[MAX_FACTS][160];
	size_t n;
};

static void add_fact(struct facts *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_fact(struct facts *f, const char *fmt, ...)
{
	va_list ap;

	if (f->n == MAX_FACTS)
		return;
	va_start(ap, fmt);
	vsnprintf(f->item[f->n++], sizeof(f->item[0]), fmt, ap);
	va_end(ap);
}

static void join_facts(const struct facts *f, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < f->n; i++) {
		const char *sep = i == 0 ? "" : i + 1 == f->n ? " and " : ", ";
		int n = snprintf(buf + used, len - used, "%s%s", sep, f->item[i]);

		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}

/* A list shown as its first LIST_SHOWN items and a count of the rest. */
struct short_list {
	char text[160];
	unsigned n;
};

static void short_list_add(struct short_list *l, const char *item)
{
	size_t used = strlen(l->text);

	if (l->n++ < LIST_SHOWN)
		snprintf(l->text + used, sizeof(l->text) - used, "%s%s", used ? ", " : "", item);
}

static const char *short_list_text(const struct short_list *l, char *buf, size_t len)
{
	if (l->n > LIST_SHOWN)
		snprintf(buf, len, "%s (+%u more)", l->text, l->n - LIST_SHOWN);
	else
		snprintf(buf, len, "%s", l->text);
	return buf;
}

/* ---- file helpers ---- */

static bool join_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n > 0 && (size_t)n < len;
}

static bool read_line_in(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];

	return join_path(path, sizeof(path), dir, name) && sysfs_read_line(path, buf, len);
}

static bool is_dir_in(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	return join_path(path, sizeof(path), dir, name) && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool exists_in(const char *dir, const char *name)
{
	char path[PATH_MAX];

	return join_path(path, sizeof(path), dir, name) && access(path, F_OK) == 0;
}

static FILE *open_procfs(const char *rel)
{
	char path[PATH_MAX];

	return procfs_path(path, sizeof(path), "%s", rel) ? fopen(path, "re") : NULL;
}

/* Splits a line on blanks in place; returns the number of fields (at most max). */
static size_t split_fields(char *line, char **field, size_t max)
{
	char *save = NULL;
	size_t n = 0;

	for (char *tok = strtok_r(line, " \t\n", &save); tok && n < max; tok = strtok_r(NULL, " \t\n", &save))
		field[n++] = tok;
	return n;
}

/* ---- network interfaces ---- */

static bool iface_is_up(const char *iface_dir)
{
	char line[32], *end;
	unsigned long flags;

	if (!read_line_in(iface_dir, "flags", line, sizeof(line)))
		return false;
	flags = strtoul(line, &end, 16);
	return end != line && (flags & IFF_UP);
}

/* getifaddrs() names IPv4 aliases "eth0:1". */
static bool label_is_iface(const char *label, const char *iface)
{
	size_t n = strlen(iface);

	return strncmp(label, iface, n) == 0 && (label[n] == '\0' || label[n] == ':');
}

static void add_ipv4_addresses(const char *iface, struct short_list *addrs)
{
	struct ifaddrs *all;

	if (!procfs_is_real() || getifaddrs(&all) != 0)
		return;
	for (const struct ifaddrs *a = all; a; a = a->ifa_next) {
		char ip[INET_ADDRSTRLEN], item[64];
		unsigned prefix = 32;

		if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET || !label_is_iface(a->ifa_name, iface))
			continue;
		if (a->ifa_netmask)
			prefix = (unsigned)__builtin_popcount(((const struct sockaddr_in *)(const void *)a->ifa_netmask)->sin_addr.s_addr);
		if (!inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)a->ifa_addr)->sin_addr, ip, sizeof(ip)))
			continue;
		snprintf(item, sizeof(item), "%s/%u", ip, prefix);
		short_list_add(addrs, item);
	}
	freeifaddrs(all);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* if_inet6 writes an address as 32 hex digits. */
static bool parse_hex_ipv6(const char *hex, struct in6_addr *a)
{
	if (strlen(hex) != 32)
		return false;
	for (size_t i = 0; i < 16; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		a->s6_addr[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* net/if_inet6: ADDRESS IFINDEX PREFIXLEN SCOPE FLAGS NAME, numbers in hex. */
static void add_ipv6_addresses(const char *iface, struct short_list *addrs)
{
	FILE *f = open_procfs("net/if_inet6");
	char *line = NULL, *field[MAX_FIELDS];
	size_t cap = 0;

	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		char ip[INET6_ADDRSTRLEN], item[64];
		struct in6_addr a;

		if (split_fields(line, field, MAX_FIELDS) != 6 || strcmp(field[5], iface) != 0 ||
		    !parse_hex_ipv6(field[0], &a) || !inet_ntop(AF_INET6, &a, ip, sizeof(ip)))
			continue;
		snprintf(item, sizeof(item), "%s/%lu", ip, strtoul(field[2], NULL, 16));
		short_list_add(addrs, item);
	}
	free(line);
	fclose(f);
}

enum iface_column { IFACE_FIRST_SKIP_HEADER, IFACE_LAST };

/* net/route names the interface first (after a header line), net/ipv6_route last. */
static unsigned count_routes(const char *file, enum iface_column column, const char *iface)
{
	FILE *f = open_procfs(file);
	char *line = NULL, *field[MAX_FIELDS];
	size_t cap = 0, nf;
	unsigned routes = 0;
	bool header = column == IFACE_FIRST_SKIP_HEADER;

	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0) {
		if (header) {
			header = false;
			continue;
		}
		nf = split_fields(line, field, MAX_FIELDS);
		if (nf > 0 && strcmp(field[column == IFACE_LAST ? nf - 1 : 0], iface) == 0)
			routes++;
	}
	free(line);
	fclose(f);
	return routes;
}

static void check_net_interface(const char *iface_dir, const char *iface, struct in_use *out)
{
	struct short_list addrs = { "", 0 };
	struct facts facts = { .n = 0 };
	char list[192], joined[512];
	unsigned routes;

	if (iface_is_up(iface_dir))
		add_fact(&facts, "is up");
	add_ipv4_addresses(iface, &addrs);
	add_ipv6_addresses(iface, &addrs);
	if (addrs.n)
		add_fact(&facts, "has %s", short_list_text(&addrs, list, sizeof(list)));
	routes = count_routes("net/route", IFACE_FIRST_SKIP_HEADER, iface) +
		 count_routes("net/ipv6_route", IFACE_LAST, iface);
	if (routes)
		add_fact(&facts, "carries %u route%s", routes, routes == 1 ? "" : "s");
	if (!facts.n)
		return;
	join_facts(&facts, joined, sizeof(joined));
	add_reason(out, IN_USE_NET, iface, "network interface %s %s", iface, joined);
}

/* ---- block devices ---- */

struct block_dev {
	const char *dir;
	const char *name;
	unsigned major, minor;
};

static bool read_dev_numbers(const char *dir, unsigned *major, unsigned *minor)
{
	char line[32];

	return read_line_in(dir, "dev", line, sizeof(line)) && sscanf(line, "%u:%u", major, minor) == 2;
}

/*
 * A disk sits in a "block" directory (SCSI: .../0:0:0:0/block/sda) or directly below its
 * controller's class device (NVMe: .../nvme/nvme0/nvme0n1), a partition below its disk.
 * Character devices there (nvme0, ng0n1) have a dev file too, but no holders/ or partition.
 */
static bool is_block_device(const char *dir, const char *parent_name, unsigned *major, unsigned *minor)
{
	char path[PATH_MAX], subsystem[32];

	if (!read_dev_numbers(dir, major, minor))
		return false;
	if (strcmp(parent_name, "block") == 0)
		return true;
	if (join_path(path, sizeof(path), dir, "subsystem") && sysfs_link_basename(path, subsystem, sizeof(subsystem)))
		return strcmp(subsystem, "block") == 0;
	return is_dir_in(dir, "holders") || exists_in(dir, "partition");
}

/*
 * One mountinfo line: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE
 * SOURCE SUPEROPTS; fstype and source are NULL when the separator is missing.
 */
struct mount_line {
	const char *devnum, *mountpoint, *fstype, *source;
};

/* Adds the mount point of every mountinfo line that uses() accepts to mounts. */
static void find_mounts(bool (*uses)(const struct mount_line *m, const void *arg), const void *arg,
			struct short_list *mounts)
{
	FILE *f = open_procfs("self/mountinfo");
	char *line = NULL, *field[MAX_FIELDS];
	struct mount_line m;
	size_t cap = 0, nf, i;

	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		nf = split_fields(line, field, MAX_FIELDS);
		if (nf < 5)
			continue;
		m = (struct mount_line){ field[2], field[4], NULL, NULL };
		for (i = 6; i + 2 < nf; i++)
			if (strcmp(field[i], "-") == 0) {
				m.fstype = field[i + 1];
				m.source = field[i + 2];
				break;
			}
		if (uses(&m, arg))
			short_list_add(mounts, m.mountpoint);
	}
	free(line);
	fclose(f);
}

static bool mount_uses_block(const struct mount_line *m, const void *arg)
{
	const struct block_dev *b = arg;
	unsigned major, minor;

	if (sscanf(m->devnum, "%u:%u", &major, &minor) == 2 && major == b->major && minor == b->minor)
		return true;
	/* btrfs reports an anonymous 0:N device; its source still names the partition. */
	return m->source && strncmp(m->source, "/dev/", 5) == 0 && strcmp(m->source + 5, b->name) == 0;
}

/*
 * A virtio-9p device (its virtioN directory has mount_tag) is in use while a 9p file
 * system with that tag as its source is mounted (mountinfo: "- 9p TAG ...").
 */
static bool mount_uses_9p_tag(const struct mount_line *m, const void *tag)
{
	return m->fstype && strcmp(m->fstype, "9p") == 0 && strcmp(m->source, tag) == 0;
}

static void check_9p_share(const char *dir, struct in_use *out)
{
	char tag[128];
	struct short_list mounts = { "", 0 };

	if (!read_line_in(dir, "mount_tag", tag, sizeof(tag)) || !tag[0])
		return;
	find_mounts(mount_uses_9p_tag, tag, &mounts);
	if (mounts.n) {
		char list[192];

		add_reason(out, IN_USE_MOUNT, tag, "virtio-9p share \"%s\" is mounted on %s", tag,
			   short_list_text(&mounts, list, sizeof(list)));
	}
}

/* swaps: a header line, then FILENAME TYPE SIZE USED PRIORITY. */
static bool is_active_swap(const char *name)
{
	FILE *f = open_procfs("swaps");
	char *line = NULL, *field[MAX_FIELDS], dev_path[96];
	size_t cap = 0;
	bool found = false, header = true;

	if (!f)
		return false;
	snprintf(dev_path, sizeof(dev_path), "/dev/%s", name);
	while (!found && getline(&line, &cap, f) > 0) {
		if (header) {
			header = false;
			continue;
		}
		found = split_fields(line, field, MAX_FIELDS) > 0 && strcmp(field[0], dev_path) == 0;
	}
	free(line);
	fclose(f);
	return found;
}

/* "dm-0 (vg0-root)": the device-mapper name says what the holder is. */
static void describe_holder(const char *holder, char *buf, size_t len)
{
	char path[PATH_MAX], dm_name[128];

	if (sysfs_path(path, sizeof(path), "class/block/%s/dm/name", holder) &&
	    sysfs_read_line(path, dm_name, sizeof(dm_name)) && dm_name[0])
		snprintf(buf, len, "%.64s (%.100s)", holder, dm_name);
	else
		snprintf(buf, len, "%.64s", holder);
}

static void find_holders(const char *dir, struct short_list *holders)
{
	char path[PATH_MAX], holder[192];
	struct dirent *e;
	DIR *d;

	if (!join_path(path, sizeof(path), dir, "holders") || !(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		describe_holder(e->d_name, holder, sizeof(holder));
		short_list_add(holders, holder);
	}
	closedir(d);
}

static void check_block_device(const struct block_dev *b, struct in_use *out)
{
	struct short_list mounts = { "", 0 }, holders = { "", 0 };
	struct facts facts = { .n = 0 };
	char list[192], joined[512];

	find_mounts(mount_uses_block, b, &mounts);
	if (mounts.n)
		add_fact(&facts, "is mounted on %s", short_list_text(&mounts, list, sizeof(list)));
	if (is_active_swap(b->name))
		add_fact(&facts, "is active swap");
	find_holders(b->dir, &holders);
	if (holders.n)
		add_fact(&facts, "is held by %s", short_list_text(&holders, list, sizeof(list)));
	if (!facts.n)
		return;
	join_facts(&facts, joined, sizeof(joined));
	add_reason(out, IN_USE_BLOCK, b->name, "block device %s %s", b->name, joined);
}

/* ---- the walk below the device: network interfaces and block devices ---- */

struct walk {
	struct in_use *out;
	unsigned dirs_left;
};

static bool is_pci_function_name(const char *name)
{
	struct pci_addr addr;

	return pci_addr_parse(name, &addr, NULL, 0);
}

/* Real directories only: sysfs links (driver, subsystem, device, ...) lead out of the tree or loop. */
static bool is_real_subdir(const char *dir, const struct dirent *e)
{
	char path[PATH_MAX];
	struct stat st;

	if (e->d_name[0] == '.')
		return false;
	if (e->d_type != DT_UNKNOWN)
		return e->d_type == DT_DIR;
	return join_path(path, sizeof(path), dir, e->d_name) && lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* path is a PATH_MAX buffer; children are appended to it and cut off again. */
static void visit_dir(char *path, const char *name, const char *parent_name, int depth, struct walk *w)
{
	size_t len = strlen(path);
	struct block_dev b = { path, name, 0, 0 };
	struct dirent *e;
	DIR *d;

	if (depth > WALK_MAX_DEPTH || w->dirs_left == 0)
		return;
	w->dirs_left--;
	if (depth > 0 && is_pci_function_name(name))
		return;		/* a function behind a bridge: its own scan covers it */
	if (strcmp(parent_name, "net") == 0 && exists_in(path, "flags")) {
		check_net_interface(path, name, w->out);
		return;
	}
	if (is_block_device(path, parent_name, &b.major, &b.minor))
		check_block_device(&b, w->out);
	if (exists_in(path, "mount_tag"))
		check_9p_share(path, w->out);
	if (!(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		if (!is_real_subdir(path, e) || len + 1 + strlen(e->d_name) >= PATH_MAX)
			continue;
		path[len] = '/';
		strcpy(path + len + 1, e->d_name);
		visit_dir(path, e->d_name, name, depth + 1, w);
		path[len] = '\0';
	}
	closedir(d);
}

static void check_device_tree(const char *address, struct in_use *out)
{
	struct walk w = { out, WALK_MAX_DIRS };
	char path[PATH_MAX];

	if (sysfs_path(path, sizeof(path), "bus/pci/devices/%s", address))
		visit_dir(path, address, "", 0, &w);
}

/* ---- the device's own attributes ---- */

static bool read_device_attr(const char *address, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];

	return sysfs_path(path, sizeof(path), "bus/pci/devices/%s/%s", address, attr) &&
	       sysfs_read_line(path, buf, len);
}

/*
 * On a VFIO driver the host no longer displays on it (vfio-pci removed any firmware
 * framebuffer when it bound): giving it back (restore, unbind) takes nothing from the host.
 */
static void check_boot_vga(const char *address, struct in_use *out)
{
	char value[16];

	if (read_device_attr(address, "boot_vga", value, sizeof(value)) && strcmp(value, "1") == 0 &&
	    !pci_on_vfio_driver(address))
		add_reason(out, IN_USE_BOOT_VGA, address,
			   "boot VGA device: the firmware and the host console display on it");
}

static void check_sriov_pf(const char *address, struct in_use *out)
{
	char value[32], *end;
	unsigned long numvfs;

	if (!read_device_attr(address, "sriov_numvfs", value, sizeof(value)))
		return;
	numvfs = strtoul(value, &end, 10);
	if (end != value && numvfs > 0)
		add_reason(out, IN_USE_SRIOV_PF, address,
			   "SR-IOV physical function with %lu VF%s enabled: set sriov_numvfs to 0 first",
			   numvfs, numvfs == 1 ? "" : "s");
}

/* ---- processes holding it through VFIO ---- */

/* "has /dev/vfio/7 open", "has /dev/vfio/7 and /dev/vfio/devices/vfio0 open". */
static void describe_nodes(const struct vfio_holder *h, char *buf, size_t len)
{
	struct vfio_holder nodes_only = *h;
	char means[256];

	nodes_only.device_fd = false;
	vfio_holder_means(&nodes_only, means, sizeof(means));
	snprintf(buf, len, "has %s open", means);
}

static void check_vfio_holders(const char *address, int iommu_group, struct in_use *out)
{
	struct vfio_holders hs;
	char who[96], nodes[320];

	vfio_holders_find(address, iommu_group, &hs);
	for (size_t i = 0; i < hs.n; i++) {
		const struct vfio_holder *h = &hs.h[i];
		const char *subject = h->n_nodes ? h->node[0] : address;

		vfio_holder_name(h, who, sizeof(who));
		if (h->n_nodes)
			describe_nodes(h, nodes, sizeof(nodes));
		if (h->unattributed_fd)
			add_reason(out, IN_USE_VFIO_OPEN, address,
				   "%s holds a VFIO device fd; Linux before 6.18 does not say which device", who);
		else if (h->device_fd)
			add_reason(out, IN_USE_VFIO_OPEN, subject, "%s holds its VFIO device fd%s%s", who,
				   h->n_nodes ? " and " : "", h->n_nodes ? nodes : "");
		else
			add_reason(out, IN_USE_VFIO_OPEN, subject, "%s %s", who, nodes);
	}
	vfio_holders_free(&hs);
}

/* ---- public ---- */

void in_use_scan(const char *address, int iommu_group, struct in_use *out)
{
	out->r = NULL;
	out->n = 0;
	if (!address || !*address || strchr(address, '/') || strcmp(address, "..") == 0)
		return;
	check_device_tree(address, out);
	check_boot_vga(address, out);
	check_sriov_pf(address, out);
	check_vfio_holders(address, iommu_group, out);
}

void in_use_free(struct in_use *u)
{
	free(u->r);
	u->r = NULL;
	u->n = 0;
}

const char *in_use_kind_name(enum in_use_kind kind)
{
	switch (kind) {
	case IN_USE_NET:
		return "net";
	case IN_USE_BLOCK:
		return "block";
	case IN_USE_BOOT_VGA:
		return "boot-vga";
	case IN_USE_VFIO_OPEN:
		return "vfio-open";
	case IN_USE_MOUNT:
		return "mount";
	case IN_USE_SRIOV_PF:
		return "sriov-pf";
	}
	return "unknown";
}
