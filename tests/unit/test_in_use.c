/*
 * in_use_scan() on fake sysfs/procfs trees built here, one fresh temporary tree per case
 * (VFIO_TOOLS_SYSFS, _PROC and _DEV point into it; restored at the end).
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binding/in_use.h"
#include "binding/vfio_holders.h"
#include "tap.h"

#define ADDR "0000:03:00.0"
#define DEV "sys/devices/pci0000:00/" ADDR
#define NVME DEV "/nvme/nvme0"

static char root[256];	/* short, so that every path below it fits in PATH_MAX */

/* ---- building trees ---- */

static void vformat_path(char *buf, size_t len, const char *fmt, va_list ap)
{
	int n = snprintf(buf, len, "%s/", root);

	vsnprintf(buf + n, len - (size_t)n, fmt, ap);
}

static void make_parents(char *path)
{
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
}

static void make_dir(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void make_dir(const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vformat_path(path, sizeof(path), fmt, ap);
	va_end(ap);
	make_parents(path);
	mkdir(path, 0755);
}

static void put_file(const char *content, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_file(const char *content, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vformat_path(path, sizeof(path), fmt, ap);
	va_end(ap);
	make_parents(path);
	f = fopen(path, "w");
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

static void put_link(const char *target, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_link(const char *target, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vformat_path(path, sizeof(path), fmt, ap);
	va_end(ap);
	make_parents(path);
	if (symlink(target, path) != 0)
		fprintf(stderr, "symlink %s: %s\n", path, strerror(errno));
}

/* A fresh tree with the endpoint ADDR (no driver, no group) and empty proc and dev roots. */
static bool fixture_begin(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX];

	snprintf(root, sizeof(root), "%s/vt-in-use.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root)) {
		tap_ok(false, "in_use: mkdtemp %s: %s", root, strerror(errno));
		return false;
	}
	put_file("0x010802\n", DEV "/class");
	put_link("../../../devices/pci0000:00/" ADDR, "sys/bus/pci/devices/" ADDR);
	make_dir("proc/self");
	make_dir("dev/vfio");
	snprintf(dir, sizeof(dir), "%s/sys", root);
	setenv("VFIO_TOOLS_SYSFS", dir, 1);
	snprintf(dir, sizeof(dir), "%s/proc", root);
	setenv("VFIO_TOOLS_PROC", dir, 1);
	snprintf(dir, sizeof(dir), "%s/dev", root);
	setenv("VFIO_TOOLS_DEV", dir, 1);
	return true;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

static void remove_in(const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	remove(path);
}

static void fixture_end(void)
{
	nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- checking results ---- */

static bool well_formed(const struct in_use *u)
{
	for (size_t i = 0; i < u->n; i++) {
		const struct in_use_reason *r = &u->r[i];

		if (!r->subject[0] || !r->text[0] || strchr(r->text, '\n') || strchr(r->subject, '\n'))
			return false;
	}
	return true;
}

static void expect_none(const char *what, int group)
{
	struct in_use u;

	in_use_scan(ADDR, group, &u);
	tap_ok(u.n == 0, "in_use: %s: not in use (got %zu reasons%s%s)", what, u.n,
	       u.n ? ", first: " : "", u.n ? u.r[0].text : "");
	in_use_free(&u);
}

/* Exactly one reason, of KIND about SUBJECT, whose text contains NEEDLE. */
static void expect_one_at(const char *address, const char *what, int group, enum in_use_kind kind,
			  const char *subject, const char *needle)
{
	struct in_use u;

	in_use_scan(address, group, &u);
	tap_ok(u.n == 1 && well_formed(&u) && u.r[0].kind == kind && strcmp(u.r[0].subject, subject) == 0 &&
	       strstr(u.r[0].text, needle),
	       "in_use: %s: %s %s: \"%s\" (%zu reasons)", what, in_use_kind_name(kind), subject,
	       u.n ? u.r[0].text : "", u.n);
	in_use_free(&u);
}

static void expect_one(const char *what, int group, enum in_use_kind kind, const char *subject, const char *needle)
{
	expect_one_at(ADDR, what, group, kind, subject, needle);
}

/* Exactly one VFIO reason about SUBJECT whose text is TEXT. */
static void expect_one_text(const char *what, int group, const char *subject, const char *text)
{
	struct in_use u;

	in_use_scan(ADDR, group, &u);
	tap_ok(u.n == 1 && well_formed(&u) && u.r[0].kind == IN_USE_VFIO_OPEN && strcmp(u.r[0].subject, subject) == 0 &&
	       strcmp(u.r[0].text, text) == 0,
	       "in_use: %s: \"%s\" (%zu reasons)", what, u.n ? u.r[0].text : "", u.n);
	in_use_free(&u);
}

/* ---- network interfaces ---- */

static const char route_eth0[] = "eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
static const char route_eth0_default[] = "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";
static const char ipv6_route_eth0[] =
	"20010db8000000000000000000000000 40 00000000000000000000000000000000 00 "
	"00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n";
static const char if_inet6_eth0[] = "20010db8000000000000000000000001 02 40 00 80     eth0\n";

static const char idle_routes[] =
	"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
	"eth1\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
	"eth00\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";

/* eth0 below DIR, down, among other interfaces that are busy (eth00 tests exact names). */
static void make_idle_nic(const char *dir)
{
	put_file("0x1002\n", "%s/net/eth0/flags", dir);
	put_file("2\n", "%s/net/eth0/ifindex", dir);
	put_file(idle_routes, "proc/net/route");
	put_file("00000000000000000000000000000001 80 00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo\n"
		 "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth1\n",
		 "proc/net/ipv6_route");
	put_file("00000000000000000000000000000001 01 80 10 80       lo\n"
		 "fe800000000000000000000000000001 03 40 20 80     eth1\n", "proc/net/if_inet6");
}

static void append_file(const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "a");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void nic_cases(void)
{
	struct in_use u;

	if (!fixture_begin())
		return;
	make_idle_nic(DEV);
	expect_none("idle NIC (down, no address, no route; other interfaces busy)", -1);

	put_file("0x1003\n", DEV "/net/eth0/flags");
	expect_one("NIC up", -1, IN_USE_NET, "eth0", "network interface eth0 is up");
	put_file("0x1002\n", DEV "/net/eth0/flags");

	append_file("proc/net/route", route_eth0);
	expect_one("NIC down with an IPv4 route", -1, IN_USE_NET, "eth0", "carries 1 route");
	put_file(idle_routes, "proc/net/route");

	append_file("proc/net/if_inet6", if_inet6_eth0);
	expect_one("NIC down with an IPv6 address", -1, IN_USE_NET, "eth0", "has 2001:db8::1/64");

	put_file("0x1003\n", DEV "/net/eth0/flags");
	append_file("proc/net/route", route_eth0_default);
	append_file("proc/net/ipv6_route", ipv6_route_eth0);
	in_use_scan(ADDR, -1, &u);
	tap_ok(u.n == 1 && strcmp(u.r[0].text, "network interface eth0 is up, has 2001:db8::1/64 and carries 2 routes") == 0,
	       "in_use: NIC up, addressed and routed: one reason: \"%s\"", u.n ? u.r[0].text : "");
	in_use_free(&u);
	fixture_end();

	if (!fixture_begin())
		return;
	make_idle_nic(DEV "/virtio0");
	put_file("0x1043\n", DEV "/virtio0/net/eth0/flags");
	expect_one("virtio-net: virtio0/net/eth0 up", -1, IN_USE_NET, "eth0", "is up");
	fixture_end();
}

/* ---- block devices ---- */

static void make_block(const char *dir, const char *devnum, bool partition)
{
	put_file(devnum, "%s/dev", dir);
	make_dir("%s/holders", dir);
	if (partition)
		put_file("1\n", "%s/partition", dir);
}

/* nvme0 (a character device) with namespace nvme0n1, partitions p1..p3, the generic ng0n1. */
static void make_nvme(void)
{
	put_file("242:0\n", NVME "/dev");
	put_file("241:0\n", NVME "/ng0n1/dev");
	make_block(NVME "/nvme0n1", "259:0\n", false);
	make_block(NVME "/nvme0n1/nvme0n1p1", "259:1\n", true);
	make_block(NVME "/nvme0n1/nvme0n1p2", "259:2\n", true);
	make_block(NVME "/nvme0n1/nvme0n1p3", "259:3\n", true);
	make_dir(NVME "/nvme0n1/queue");
	put_file("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n", "proc/swaps");
	put_file("22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
		 "26 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
		 "27 26 259:12 / /mnt rw shared:2 - ext4 /dev/nvme0n1p12 rw\n"
		 "28 26 242:0 / /other rw shared:3 - ext4 /dev/other rw\n",
		 "proc/self/mountinfo");
}

static void block_cases(void)
{
	if (!fixture_begin())
		return;
	make_nvme();
	expect_none("NVMe disk with only a partition table (nvme0n1p12 and block 242:0 mounted, char nvme0 is 242:0)", -1);

	append_file("proc/self/mountinfo", "28 26 259:2 / /boot rw,relatime shared:30 - ext4 /dev/nvme0n1p2 rw\n");
	expect_one("NVMe partition mounted", -1, IN_USE_BLOCK, "nvme0n1p2", "block device nvme0n1p2 is mounted on /boot");
	make_nvme();

	append_file("proc/self/mountinfo", "29 26 0:45 /@home /home rw,relatime shared:31 - btrfs /dev/nvme0n1p2 rw\n");
	expect_one("btrfs on an NVMe partition (anonymous 0:45 in mountinfo)", -1, IN_USE_BLOCK, "nvme0n1p2", "/home");
	make_nvme();

	append_file("proc/swaps", "/dev/nvme0n1p3                          partition\t8388604\t\t0\t\t-2\n");
	expect_one("NVMe partition used as swap", -1, IN_USE_BLOCK, "nvme0n1p3", "is active swap");
	make_nvme();

	put_link("../../../../../../../virtual/block/dm-0", NVME "/nvme0n1/nvme0n1p1/holders/dm-0");
	put_file("vg0-root\n", "sys/class/block/dm-0/dm/name");
	expect_one("NVMe partition held by LVM", -1, IN_USE_BLOCK, "nvme0n1p1", "is held by dm-0 (vg0-root)");
	fixture_end();

	if (!fixture_begin())
		return;
	put_file("8:0\n", DEV "/ata1/host0/target0:0:0/0:0:0:0/block/sda/dev");
	put_file("Filename\tType\tSize\tUsed\tPriority\n", "proc/swaps");
	put_file("", "proc/self/mountinfo");
	expect_none("SATA disk, no partitions, unused", -1);
	put_file("30 1 8:0 / /data rw - xfs /dev/sda rw\n", "proc/self/mountinfo");
	expect_one("SATA whole disk mounted (block/sda below the AHCI function)", -1, IN_USE_BLOCK, "sda", "/data");
	fixture_end();
}

/* A mounted disk behind a bridge belongs to the function below it, not to the bridge. */
static void bridge_case(void)
{
	const char *bridge = "sys/devices/pci0000:00/0000:00:1c.0";

	if (!fixture_begin())
		return;
	put_link("../../../devices/pci0000:00/0000:00:1c.0", "sys/bus/pci/devices/0000:00:1c.0");
	put_link("../../../devices/pci0000:00/0000:00:1c.0/0000:01:00.0", "sys/bus/pci/devices/0000:01:00.0");
	put_file("259:0\n", "%s/0000:01:00.0/nvme/nvme0/nvme0n1/dev", bridge);
	make_dir("%s/0000:01:00.0/nvme/nvme0/nvme0n1/holders", bridge);
	put_file("31 1 259:0 / /srv rw - ext4 /dev/nvme0n1 rw\n", "proc/self/mountinfo");
	expect_one_at("0000:01:00.0", "NVMe behind a root port, mounted", -1, IN_USE_BLOCK, "nvme0n1", "/srv");
	{
		struct in_use u;

		in_use_scan("0000:00:1c.0", -1, &u);
		tap_ok(u.n == 0, "in_use: the root port above it is not in use (%zu reasons)", u.n);
		in_use_free(&u);
	}
	fixture_end();
}

/* A virtio-9p share is in use while a 9p mount has its tag as the source (the POWER lab's root). */
static void share_case(void)
{
	if (!fixture_begin())
		return;
	put_file("repo\n", DEV "/virtio3/mount_tag");
	put_file("22 1 0:21 / /proc rw - proc proc rw\n"
		 "40 1 0:50 / /other rw - 9p other rw,trans=virtio\n"
		 "41 1 0:51 / /mnt/repo rw - virtiofs repo rw\n", "proc/self/mountinfo");
	expect_none("virtio-9p share whose tag nobody mounts (9p 'other', virtiofs 'repo')", -1);
	append_file("proc/self/mountinfo", "42 1 0:52 / /work/main ro - 9p repo ro,trans=virtio\n");
	expect_one("virtio-9p share mounted", -1, IN_USE_MOUNT, "repo", "virtio-9p share \"repo\" is mounted on /work/main");
	fixture_end();
}

/* ---- boot VGA, SR-IOV ---- */

static void attribute_cases(void)
{
	struct in_use u;

	if (!fixture_begin())
		return;
	put_file("0\n", DEV "/boot_vga");
	put_file("0\n", DEV "/sriov_numvfs");
	expect_none("boot_vga 0, sriov_numvfs 0", -1);

	put_file("1\n", DEV "/boot_vga");
	expect_one("boot VGA", -1, IN_USE_BOOT_VGA, ADDR, "boot VGA");
	put_file("0\n", DEV "/boot_vga");

	put_file("4\n", DEV "/sriov_numvfs");
	in_use_scan(ADDR, -1, &u);
	tap_ok(u.n == 1 && u.r[0].kind == IN_USE_SRIOV_PF && strcmp(u.r[0].subject, ADDR) == 0 &&
	       strcmp(u.r[0].text, "SR-IOV physical function with 4 VFs enabled: set sriov_numvfs to 0 first") == 0,
	       "in_use: SR-IOV PF with 4 VFs: \"%s\"", u.n ? u.r[0].text : "");
	in_use_free(&u);
	fixture_end();
}

/* ---- /dev/vfio open ---- */

static bool has_reason(const struct in_use *u, const char *subject, const char *needle)
{
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->r[i].subject, subject) == 0 && strstr(u->r[i].text, needle))
			return true;
	return false;
}

static void vfio_cases(void)
{
	struct in_use u;

	if (!fixture_begin())
		return;
	put_file("qemu-system-x86\n", "proc/123/comm");
	put_link("/dev/null", "proc/123/fd/0");
	put_link("/dev/vfio/vfio", "proc/123/fd/3");
	put_link("/dev/vfio/7", "proc/123/fd/4");
	put_file("other\n", "proc/125/comm");
	put_link("/dev/vfio/70", "proc/125/fd/3");
	put_file("nofds\n", "proc/126/comm");
	put_link("/dev/vfio/7", "proc/self/fd/9");
	put_link("/dev/vfio/7", "proc/12x/fd/9");
	make_dir("dev/vfio/7");

	expect_one("/dev/vfio/7 open by qemu, group 7", 7, IN_USE_VFIO_OPEN, "/dev/vfio/7",
		   "pid 123 (qemu-system-x86) has /dev/vfio/7 open");
	expect_none("/dev/vfio/7 open, but the device is in group 8", 8);
	expect_none("/dev/vfio/7 open, device without a group", -1);

	make_dir(DEV "/vfio-dev/vfio0");
	put_link("/dev/vfio/devices/vfio0", "proc/200/fd/5");
	expect_one("VFIO cdev /dev/vfio/devices/vfio0 open (no comm)", -1, IN_USE_VFIO_OPEN,
		   "/dev/vfio/devices/vfio0", "pid 200 has /dev/vfio/devices/vfio0 open");
	in_use_scan(ADDR, 7, &u);
	tap_ok(u.n == 2 && well_formed(&u) && has_reason(&u, "/dev/vfio/7", "pid 123") &&
	       has_reason(&u, "/dev/vfio/devices/vfio0", "pid 200"),
	       "in_use: group 7 and the cdev open by two processes: one reason each (%zu)", u.n);
	remove_in("proc/200/fd/5");
	put_link("/dev/vfio/devices/vfio0", "proc/123/fd/6");
	expect_one_text("group and cdev open by one process: one reason", 7, "/dev/vfio/7",
			"pid 123 (qemu-system-x86) has /dev/vfio/7 and /dev/vfio/devices/vfio0 open");
	in_use_free(&u);
	fixture_end();
}

/* ---- VFIO device fds: fdinfo names the device (Linux 6.18+), or not ---- */

#define SYSPATH_LINE "vfio-device-syspath: /sys/devices/pci0000:00/" ADDR "\n"
#define FDINFO_HEAD "pos:\t0\nflags:\t02000002\nmnt_id:\t16\nino:\t1057\n"
#define UNATTRIBUTED "pid 300 (python3) holds a VFIO device fd; Linux before 6.18 does not say which device"

/* A process holding one anonymous device fd (fd 5), with this fdinfo (NULL: none). */
static void hold_device_fd(const char *pid, const char *comm, const char *fdinfo)
{
	char comm_line[64];

	snprintf(comm_line, sizeof(comm_line), "%s\n", comm);
	put_file(comm_line, "proc/%s/comm", pid);
	put_link("/dev/null", "proc/%s/fd/0", pid);
	put_link("anon_inode:[vfio-device]", "proc/%s/fd/5", pid);
	put_file(FDINFO_HEAD, "proc/%s/fdinfo/0", pid);
	if (fdinfo)
		put_file(fdinfo, "proc/%s/fdinfo/5", pid);
}

static void on_driver(const char *driver)
{
	char target[128];

	snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s", driver);
	put_link(target, DEV "/driver");
}

static void device_fd_named_cases(void)
{
	struct vfio_holders hs;
	char text[256];

	if (!fixture_begin())
		return;
	on_driver("vfio-pci");
	hold_device_fd("300", "python3", FDINFO_HEAD SYSPATH_LINE);
	expect_one_text("fdinfo names the device", 7, ADDR, "pid 300 (python3) holds its VFIO device fd");
	expect_one_text("fdinfo names the device, no group", -1, ADDR, "pid 300 (python3) holds its VFIO device fd");

	put_file(FDINFO_HEAD "vfio-device-syspath: /sys/devices/pci0000:00/0000:04:00.0\n", "proc/300/fdinfo/5");
	expect_none("fdinfo names another device", 7);
	put_file(FDINFO_HEAD "vfio-device-syspath: /sys/devices/pci0000:00/" ADDR "/x\n", "proc/300/fdinfo/5");
	expect_none("fdinfo names a device below it", 7);

	/* A cdev open under another name (another mount namespace's /dev): fdinfo decides. */
	remove_in("proc/300/fd/5");
	put_link("/dev/vfio/devices/vfio9", "proc/300/fd/5");
	put_file(FDINFO_HEAD SYSPATH_LINE, "proc/300/fdinfo/5");
	expect_one_text("a cdev of another name that fdinfo says is this device", 7, ADDR,
			"pid 300 (python3) holds its VFIO device fd");
	put_file(FDINFO_HEAD, "proc/300/fdinfo/5");
	expect_none("a cdev of another name, fdinfo without a device (before 6.18)", 7);

	hold_device_fd("301", "qemu", FDINFO_HEAD SYSPATH_LINE);
	put_link("/dev/vfio/7", "proc/301/fd/4");
	remove_in("proc/300/fd/5");
	expect_one_text("the device fd and the group", 7, "/dev/vfio/7",
			"pid 301 (qemu) holds its VFIO device fd and has /dev/vfio/7 open");

	vfio_holders_find(ADDR, 7, &hs);
	if (hs.n == 1)
		vfio_holder_means(&hs.h[0], text, sizeof(text));
	tap_ok(hs.n == 1 && strcmp(hs.h[0].pid, "301") == 0 && strcmp(hs.h[0].comm, "qemu") == 0 && hs.h[0].device_fd &&
	       !hs.h[0].unattributed_fd && strcmp(text, "its VFIO device fd and /dev/vfio/7") == 0,
	       "vfio_holders: pid, comm and what it holds the device through (\"%s\")", hs.n == 1 ? text : "");
	vfio_holders_free(&hs);
	fixture_end();
}

static void device_fd_unnamed_cases(void)
{
	if (!fixture_begin())
		return;
	/* dev/vfio/7 is a directory here: opening it fails, so the group may be busy. */
	hold_device_fd("300", "python3", FDINFO_HEAD);
	expect_none("an fd that names no device, the device without a driver", 7);
	on_driver("nvme");
	expect_none("an fd that names no device, the device on another driver", 7);
	remove_in(DEV "/driver");
	on_driver("vfio-pci");
	expect_one_text("an fd that names no device, the device on vfio-pci, group busy", 7, ADDR, UNATTRIBUTED);
	expect_one_text("the same without a group", -1, ADDR, UNATTRIBUTED);
	remove_in("proc/300/fdinfo/5");
	expect_one_text("the same without an fdinfo file", 7, ADDR, UNATTRIBUTED);
	put_file("", "dev/vfio/8");
	expect_none("an fd that names no device, the device's group free (its node opens)", 8);

	put_link("/dev/vfio/7", "proc/300/fd/4");
	expect_one_text("an unnamed fd and the group open: the group tells", 7, "/dev/vfio/7",
			"pid 300 (python3) has /dev/vfio/7 open");
	remove_in("proc/300/fd/4");
	put_file("qemu\n", "proc/310/comm");
	put_link("/dev/vfio/7", "proc/310/fd/4");
	expect_one_text("an unnamed fd in one process, the group open in another: the sure holder alone", 7,
			"/dev/vfio/7", "pid 310 (qemu) has /dev/vfio/7 open");
	fixture_end();
}

/* ---- everything at once, nothing at all ---- */

static void combined_and_empty_cases(void)
{
	struct in_use u;
	bool order;

	if (!fixture_begin())
		return;
	make_idle_nic(DEV);
	put_file("0x1003\n", DEV "/net/eth0/flags");
	put_file("1\n", DEV "/boot_vga");
	put_file("2\n", DEV "/sriov_numvfs");
	put_link("/dev/vfio/3", "proc/9/fd/1");
	in_use_scan(ADDR, 3, &u);
	order = u.n == 4 && u.r[0].kind == IN_USE_NET && u.r[1].kind == IN_USE_BOOT_VGA &&
		u.r[2].kind == IN_USE_SRIOV_PF && u.r[3].kind == IN_USE_VFIO_OPEN;
	tap_ok(order && well_formed(&u), "in_use: NIC up + boot VGA + 2 VFs + group open: 4 one-line reasons (%zu)", u.n);
	in_use_free(&u);
	tap_ok(u.r == NULL && u.n == 0, "in_use: in_use_free empties the result");
	fixture_end();

	if (!fixture_begin())
		return;
	expect_none("a bare device, no proc files", 5);
	in_use_scan("0000:99:00.0", 5, &u);
	tap_ok(u.n == 0, "in_use: a device missing from sysfs: nothing (%zu)", u.n);
	in_use_free(&u);
	in_use_scan("../../..", -1, &u);
	tap_ok(u.n == 0, "in_use: an address with '/' is not looked up");
	in_use_free(&u);
	fixture_end();

	tap_ok(strcmp(in_use_kind_name(IN_USE_NET), "net") == 0 && strcmp(in_use_kind_name(IN_USE_BLOCK), "block") == 0 &&
	       strcmp(in_use_kind_name(IN_USE_BOOT_VGA), "boot-vga") == 0 &&
	       strcmp(in_use_kind_name(IN_USE_VFIO_OPEN), "vfio-open") == 0 &&
	       strcmp(in_use_kind_name(IN_USE_SRIOV_PF), "sriov-pf") == 0 &&
	       strcmp(in_use_kind_name(IN_USE_MOUNT), "mount") == 0,
	       "in_use: kind names");
}

/* ---- environment ---- */

void test_in_use(void)
{
	struct saved_env env[3] = {
		save_env("VFIO_TOOLS_SYSFS"), save_env("VFIO_TOOLS_PROC"), save_env("VFIO_TOOLS_DEV"),
	};
	nic_cases();
	block_cases();
	bridge_case();
	share_case();
	attribute_cases();
	vfio_cases();
	device_fd_named_cases();
	device_fd_unnamed_cases();
	combined_and_empty_cases();
	for (size_t i = 0; i < 3; i++)
		restore_env(&env[i]);
}
