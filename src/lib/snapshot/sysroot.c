#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "snapshot/snapshot.h"
#include "snapshot/sysroot.h"
#include "util/json.h"
#include "util/report.h"
#include "util/sysfs.h"
#include "util/tar_extract.h"

static char extracted[PATH_MAX];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

static void remove_extracted(void)
{
	if (extracted[0])
		nftw(extracted, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* a 2,048-device tree (mkfakesys --synthetic) gives 40,407 entries, 41 MB (a header block per file) */
static const struct tar_limits sysroot_limits = {
	.max_entries = 1u << 20, .max_file_size = 16u << 20, .max_total_size = 256u << 20,
};

static bool extract(const char *file, char *dir, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	char why[512];

	if (snprintf(dir, len, "%s/vfio-sysroot.XXXXXX", tmp && *tmp ? tmp : "/tmp") >= (int)len || !mkdtemp(dir)) {
		vt_error(file, "cannot make a directory to extract it into", "%s", strerror(errno));
		return false;
	}
	snprintf(extracted, sizeof(extracted), "%s", dir);
	atexit(remove_extracted);
	if (!tar_extract_file(file, dir, &sysroot_limits, why, sizeof(why))) {
		vt_error(file, "not a readable snapshot", "%s", why);
		return false;
	}
	return true;
}

/* The value of "key value" in vfio-tools/info, or NULL. */
static const char *info_value(const char *info, const char *key, char *buf, size_t len)
{
	const char *p = info;
	size_t n = strlen(key);

	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, key, n) == 0 && p[n] == ' ') {
			snprintf(buf, len, "%.*s", (int)strcspn(p + n + 1, "\n"), p + n + 1);
			return buf;
		}
	return NULL;
}

static void describe(const char *arg, const char *root)
{
	char path[PATH_MAX], machine[256], kernel[128], taken[64], by[64];
	const char *m, *k, *t, *b;
	char *info;

	if (snprintf(path, sizeof(path), "%s/%s", root, SNAPSHOT_INFO_FILE) >= (int)sizeof(path) ||
	    !(info = read_text_file(path, 4096))) {
		vt_note("%s: not a snapshot (no %s): analysing it as a root directory", arg, SNAPSHOT_INFO_FILE);
		procfs_kernel_release(kernel, sizeof(kernel));
		json_document_origin(NULL, kernel[0] ? kernel : NULL, NULL, NULL);
		return;
	}
	m = info_value(info, "machine", machine, sizeof(machine));
	k = info_value(info, "kernel", kernel, sizeof(kernel));
	t = info_value(info, "taken", taken, sizeof(taken));
	b = info_value(info, "taken_by", by, sizeof(by));
	vt_note("%s: a snapshot of %s, kernel %s, taken %s by %s, not this machine", arg, m ? m : "an unknown machine",
		k ? k : "unknown", t ? t : "at an unknown time", b ? b : "an unknown version");
	json_document_origin(m, k, t, b);
	free(info);
}

bool sysroot_open(const char *arg)
{
	char dir[PATH_MAX];
	struct stat st;

	if (sysroot_dir()) {
		vt_error(arg, "cannot use it as --sysroot", "--sysroot is given twice");
		return false;
	}
	if (stat(arg, &st) != 0) {
		vt_error(arg, "cannot use it as --sysroot", "%s", strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode))
		snprintf(dir, sizeof(dir), "%s", arg);
	else if (!extract(arg, dir, sizeof(dir)))
		return false;
	if (!sysroot_set(dir)) {
		vt_error(arg, "cannot use it as --sysroot", "path too long");
		return false;
	}
	describe(arg, dir);
	return true;
}
