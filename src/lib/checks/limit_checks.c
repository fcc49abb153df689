/* memlock limits (VFIO pins guest memory) and reserved hugepages. */
#include <dirent.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "checks/host_checks.h"
#include "checks/limits_conf.h"
#include "checks/live_facts.h"
#include "util/report.h"
#include "util/sysfs.h"

#define MEMLOCK_LOW (64ull << 20)	/* below this even a small DPDK or SPDK process fails */

static const char *const memlock_hint =
	"raise it: ulimit -l, a 'USER - memlock unlimited' line in /etc/security/limits.d/, "
	"or LimitMEMLOCK= for a service";

static void format_bytes(uint64_t bytes, char *buf, size_t len)
{
	if (bytes == MEMLOCK_UNLIMITED)
		snprintf(buf, len, "unlimited");
	else if (bytes >= 1ull << 30 && bytes % (1ull << 30) == 0)
		snprintf(buf, len, "%llu GiB", (unsigned long long)(bytes >> 30));
	else if (bytes >= 1ull << 20)
		snprintf(buf, len, "%.1f MiB", (double)bytes / (1 << 20));
	else
		snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes >> 10));
}

static void judge_memlock(struct findings *fs, const char *who, uint64_t bytes, uint64_t guest_mem)
{
	char limit[32], guest[32];

	format_bytes(bytes, limit, sizeof(limit));
	if (bytes != MEMLOCK_UNLIMITED && guest_mem && bytes < guest_mem) {
		format_bytes(guest_mem, guest, sizeof(guest));
		findings_add(fs, LEVEL_FAIL, "memlock", "machine", memlock_hint,
			     "%s: memlock limit %s is below the guest memory %s that VFIO must pin", who, limit, guest);
	} else if (bytes != MEMLOCK_UNLIMITED && bytes < MEMLOCK_LOW) {
		findings_add(fs, LEVEL_WARN, "memlock", "machine", memlock_hint,
			     "%s: memlock limit %s: VFIO pins every mapped page", who, limit);
	} else {
		findings_add(fs, LEVEL_PASS, "memlock", "machine", NULL, "%s: memlock limit %s", who, limit);
	}
}

static void check_own_memlock(struct findings *fs, uint64_t guest_mem)
{
	struct memlock_facts m;
	size_t from = fs->n;

	memlock_facts_get(&m);
	if (m.root)
		findings_add(fs, LEVEL_PASS, "memlock", "machine", NULL,
			     "running as root: CAP_IPC_LOCK exempts VFIO's pinning from the memlock limit");
	else if (!m.known)
		findings_add(fs, LEVEL_WARN, "memlock", "machine", NULL, "memlock limit unreadable");
	else
		judge_memlock(fs, "this user", m.limit, guest_mem);
	if (live_facts_recorded())
		findings_mark_live_only(fs, from);
}

static void apply_limits_file(const char *path, const char *user, const char *const *groups,
			      size_t n_groups, struct memlock_match *m)
{
	char buf[65536];
	size_t len;
	FILE *f = fopen(path, "re");

	if (!f)
		return;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	limits_conf_memlock(buf, len, user, groups, n_groups, m);
}

static int compare_names(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* limits.conf, then limits.d/\*.conf in name order, as pam_limits reads them. */
static void read_limits_conf(const char *user, const char *const *groups, size_t n_groups,
			     struct memlock_match *m)
{
	char path[PATH_MAX];
	struct dirent **names;
	int i, n;

	if (etc_path(path, sizeof(path), "security/limits.conf"))
		apply_limits_file(path, user, groups, n_groups, m);
	if (!etc_path(path, sizeof(path), "security/limits.d") ||
	    (n = scandir(path, &names, NULL, compare_names)) < 0)
		return;
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 5 && strcmp(names[i]->d_name + len - 5, ".conf") == 0 &&
		    etc_path(path, sizeof(path), "security/limits.d/%s", names[i]->d_name))
			apply_limits_file(path, user, groups, n_groups, m);
		free(names[i]);
	}
	free(names);
}

/* Returns false after reporting an unknown user (a usage error). */
static bool check_user_memlock(struct findings *fs, const char *user, uint64_t guest_mem)
{
	struct memlock_match m = { 0, 0 };
	const char *names[64];
	gid_t gids[64];
	int n = 64, i, k = 0;
	struct passwd *pw = getpwnam(user);
	char who[128];

	if (!pw) {
		vt_error(user, "unknown user", "not in the password database");
		return false;
	}
	if (getgrouplist(user, pw->pw_gid, gids, &n) < 0)
		n = 64;
	for (i = 0; i < n && k < 64; i++) {
		struct group *gr = getgrgid(gids[i]);

		if (gr)
			names[k++] = vt_xstrdup(gr->gr_name);
	}
	read_limits_conf(user, names, (size_t)k, &m);
	for (i = 0; i < k; i++)
		free((char *)names[i]);
	snprintf(who, sizeof(who), "user %s", user);
	if (pw->pw_uid == 0)
		findings_add(fs, LEVEL_PASS, "memlock", "machine", NULL,
			     "%s: root: CAP_IPC_LOCK exempts VFIO's pinning from the memlock limit", who);
	else if (m.rank == 0)
		findings_add(fs, LEVEL_WARN, "memlock", "machine", memlock_hint,
			     "%s: no memlock entry in /etc/security/limits.conf: the default (often 8 MiB) applies", who);
	else
		judge_memlock(fs, who, m.bytes, guest_mem);
	return true;
}

static void check_hugepages(struct findings *fs)
{
	char path[PATH_MAX], total[32], free_pages[32], text[512] = "";
	struct dirent **names;
	size_t off = 0;
	int i, n;

	if (!sysfs_path(path, sizeof(path), "kernel/mm/hugepages") ||
	    (n = scandir(path, &names, NULL, compare_names)) < 0) {
		findings_add(fs, LEVEL_NOTE, "hugepages", "machine", NULL, "no hugepage support in this kernel");
		return;
	}
	for (i = 0; i < n; i++) {
		const char *size = names[i]->d_name;

		if (strncmp(size, "hugepages-", 10) == 0 &&
		    sysfs_path(path, sizeof(path), "kernel/mm/hugepages/%s/nr_hugepages", size) &&
		    sysfs_read_line(path, total, sizeof(total)) &&
		    sysfs_path(path, sizeof(path), "kernel/mm/hugepages/%s/free_hugepages", size) &&
		    sysfs_read_line(path, free_pages, sizeof(free_pages)) && off < sizeof(text))
			off += (size_t)snprintf(text + off, sizeof(text) - off, "%s%s: %s reserved, %s free",
						off ? "; " : "", size + 10, total, free_pages);
		free(names[i]);
	}
	free(names);
	findings_add(fs, LEVEL_NOTE, "hugepages", "machine", NULL, "hugepages %s", off ? text : "none");
}

void limit_checks_run(struct findings *fs, const struct host_check_options *opt)
{
	check_own_memlock(fs, opt->guest_mem);
	check_hugepages(fs);
}

bool limit_checks_user(struct findings *fs, const struct host_check_options *opt)
{
	return !opt->user || check_user_memlock(fs, opt->user, opt->guest_mem);
}
