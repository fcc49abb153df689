#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binding/vfio_variant.h"
#include "checks/live_facts.h"
#include "snapshot/snapshot.h"
#include "snapshot/snapshot_sysfs.h"
#include "util/report.h"
#include "util/sysfs.h"

static const char *const proc_files[] = { "cmdline", "interrupts", "iomem", "devices", "sys/kernel/osrelease", NULL };

static void copy_proc(struct snapshot_archive *a)
{
	char path[PATH_MAX], name[PATH_MAX];
	size_t i;

	for (i = 0; proc_files[i]; i++)
		if (procfs_path(path, sizeof(path), "%s", proc_files[i]) &&
		    snprintf(name, sizeof(name), "proc/%s", proc_files[i]) < (int)sizeof(name))
			snapshot_add_file(a, name, path);
}

/* /proc/cpuinfo without "Serial" lines (some Arm boards put the SoC's serial there) */
static void copy_cpuinfo(struct snapshot_archive *a)
{
	char path[PATH_MAX];
	size_t len, in, out = 0;
	char *data;

	if (!procfs_path(path, sizeof(path), "cpuinfo") || !(data = snapshot_read(path, SNAPSHOT_FILE_MAX, &len)))
		return;
	for (in = 0; in < len;) {
		char *nl = memchr(data + in, '\n', len - in);
		size_t n = nl ? (size_t)(nl - (data + in)) + 1 : len - in;

		if (n >= 6 && memcmp(data + in, "Serial", 6) == 0) {
			a->masked++;
		} else {
			memmove(data + out, data + in, n);
			out += n;
		}
		in += n;
	}
	snapshot_add_data(a, "proc/cpuinfo", data, out);
	free(data);
}

/* Names only: which nodes exist is what check reads. */
static void copy_dev_names(struct snapshot_archive *a, const char *rel)
{
	char path[PATH_MAX], name[PATH_MAX * 2], sub[PATH_MAX];
	struct dirent *e;
	DIR *d;

	if (!devfs_path(path, sizeof(path), "%s", rel) || !(d = opendir(path)))
		return;
	snprintf(name, sizeof(name), "dev/%s", rel);
	snapshot_add_dirs(a, name);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (e->d_type == DT_DIR) {
			if (snprintf(sub, sizeof(sub), "%s/%s", rel, e->d_name) < (int)sizeof(sub))
				copy_dev_names(a, sub);
		} else if (snprintf(name, sizeof(name), "dev/%s/%s", rel, e->d_name) < (int)sizeof(name)) {
			snapshot_add_marker(a, name);
		}
	}
	closedir(d);
}

static void copy_dev(struct snapshot_archive *a)
{
	char path[PATH_MAX];

	copy_dev_names(a, "vfio");
	if (devfs_path(path, sizeof(path), "iommu") && access(path, F_OK) == 0)
		snapshot_add_marker(a, "dev/iommu");
}

static void copy_limits(struct snapshot_archive *a)
{
	char path[PATH_MAX], name[PATH_MAX * 2];
	struct dirent *e;
	DIR *d;

	if (etc_path(path, sizeof(path), "security/limits.conf"))
		snapshot_add_file(a, "etc/security/limits.conf", path);
	if (!etc_path(path, sizeof(path), "security/limits.d") || !(d = opendir(path)))
		return;
	snapshot_add_dirs(a, "etc/security/limits.d");
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && etc_path(path, sizeof(path), "security/limits.d/%s", e->d_name) &&
		    snprintf(name, sizeof(name), "etc/security/limits.d/%s", e->d_name) < (int)sizeof(name))
			snapshot_add_file(a, name, path);
	closedir(d);
}

/* Keeps the records (separated by sep) that contain key; returns the new length. */
static size_t keep_records(char *data, size_t len, char sep, const char *key)
{
	size_t in = 0, out = 0;

	while (in < len) {
		char *end = memchr(data + in, sep, len - in);
		size_t n = end ? (size_t)(end - (data + in)) + 1 : len - in;

		if (memmem(data + in, n, key, strlen(key))) {
			memmove(data + out, data + in, n);
			out += n;
		}
		in += n;
	}
	return out;
}

/* The kernel's vfio_pci aliases (binding/vfio_variant.h reads them for variant drivers). */
static void copy_module_aliases(struct snapshot_archive *a)
{
	static const struct { const char *file; char sep; const char *key; } sources[] = {
		{ "modules.alias", '\n', "alias vfio_pci:" },
		{ "modules.builtin.modinfo", '\0', ".alias=vfio_pci:" },
	};
	char dir[PATH_MAX], release[128], path[PATH_MAX * 2], name[PATH_MAX];
	size_t i, len;
	char *data;

	vfio_variants_module_dir(dir, sizeof(dir));
	if (!procfs_kernel_release(release, sizeof(release)))
		return;
	for (i = 0; i < N_ELEMS(sources); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, sources[i].file);
		if (!(data = snapshot_read(path, 64u << 20, &len)))
			continue;
		len = keep_records(data, len, sources[i].sep, sources[i].key);
		snprintf(name, sizeof(name), "lib/modules/%s/%s", release, sources[i].file);
		snapshot_add_data(a, name, data, len);
		free(data);
	}
}

static void read_dmi(const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];

	if (!sysfs_path(path, sizeof(path), "class/dmi/id/%s", attr) || !sysfs_read_line(path, buf, len))
		buf[0] = '\0';
}

static void write_info(struct snapshot_archive *a, time_t now)
{
	char host[256] = "", vendor[128], product[128], release[128], taken[32], info[1024];
	struct tm tm;

	gethostname(host, sizeof(host) - 1);
	read_dmi("sys_vendor", vendor, sizeof(vendor));
	read_dmi("product_name", product, sizeof(product));
	procfs_kernel_release(release, sizeof(release));
	gmtime_r(&now, &tm);
	strftime(taken, sizeof(taken), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(info, sizeof(info), "format 1\nmachine %s%s%s%s%s%s\nkernel %s\ntaken %s\ntaken_by vfio-tools %s\n",
			    host[0] ? host : "unknown", vendor[0] || product[0] ? " (" : "", vendor,
			    vendor[0] && product[0] ? " " : "", product, vendor[0] || product[0] ? ")" : "",
			    release[0] ? release : "unknown", taken, VFIO_TOOLS_VERSION);
	snapshot_add_data(a, SNAPSHOT_INFO_FILE, info, strlen(info));
}

static void write_live_facts(struct snapshot_archive *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	live_facts_write(f);
	fclose(f);
	snapshot_add_data(a, LIVE_FACTS_FILE, buf, len);
	free(buf);
}

bool snapshot_write(FILE *out, time_t now, struct snapshot_stats *stats, char *why, size_t whylen)
{
	struct snapshot_archive a;
	bool ok;

	snapshot_archive_init(&a, out, now);
	write_info(&a, now);
	if (!snapshot_sysfs(&a)) {
		snprintf(why, whylen, "cannot resolve %s", sysfs_root());
		snapshot_archive_finish(&a);
		return false;
	}
	copy_proc(&a);
	copy_cpuinfo(&a);
	copy_dev(&a);
	copy_limits(&a);
	copy_module_aliases(&a);
	write_live_facts(&a);
	stats->skipped = a.skipped;
	stats->masked = a.masked;
	ok = snapshot_archive_finish(&a);
	if (!ok)
		snprintf(why, whylen, "write failed");
	return ok;
}
