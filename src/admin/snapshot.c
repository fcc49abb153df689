/* vfio-admin snapshot: what list, groups and check read here, in one tar, for a bug report. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tool/cli.h"
#include "commands.h"
#include "snapshot/snapshot.h"
#include "util/atomic_file.h"
#include "util/report.h"

/* vfio-snapshot-HOST-YYYYMMDD-HHMMSS.tar in the current directory */
static void default_name(char *buf, size_t len, time_t now)
{
	char host[64] = "", stamp[32];
	struct tm tm;
	size_t i;

	gethostname(host, sizeof(host) - 1);
	for (i = 0; host[i]; i++)
		if (host[i] == '/' || host[i] == '.')
			host[i] = host[i] == '.' ? '\0' : '_';
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "vfio-snapshot-%s-%s.tar", host[0] ? host : "machine", stamp);
}

static bool write_to_stdout(time_t now, struct snapshot_stats *stats)
{
	char why[256];

	if (isatty(STDOUT_FILENO)) {
		vt_error("-", "will not write a tar to a terminal", "redirect it, or give -o FILE");
		return false;
	}
	if (!snapshot_write(stdout, now, stats, why, sizeof(why))) {
		vt_error("snapshot", "failed", "%s", why);
		return false;
	}
	return true;
}

static bool write_to_file(const char *path, time_t now, struct snapshot_stats *stats)
{
	struct atomic_file file;
	char why[512];
	struct stat st;

	if (atomic_file_open(&file, path, why, sizeof(why)) < 0) {
		vt_error(path, "cannot write", "%s", why);
		return false;
	}
	if (!snapshot_write(file.f, now, stats, why, sizeof(why))) {
		vt_error(path, "snapshot failed", "%s", why);
		atomic_file_abort(&file);
		return false;
	}
	if (atomic_file_commit(&file, why, sizeof(why)) < 0) {
		vt_error(path, "cannot write", "%s", why);
		return false;
	}
	vt_note("%s: %lld bytes, %u serial number%s masked%s", path, stat(path, &st) == 0 ? (long long)st.st_size : -1LL,
		stats->masked, stats->masked == 1 ? "" : "s",
		stats->skipped ? "; some files were unreadable and are left out" : "");
	return true;
}

int cmd_snapshot(int argc, const char **argv)
{
	char *output = NULL, name[PATH_MAX];
	struct snapshot_stats stats = { 0 };
	time_t now = time(NULL);
	int rc = VT_EXIT_USAGE, val;
	const struct poptOption table[] = {
		{ "output", 'o', POPT_ARG_STRING, &output, 0,
		  "Write the tar to FILE ('-': standard output; default vfio-snapshot-HOST-TIME.tar here)", "FILE" },
		CLI_HELP_OPTION,
		POPT_TABLEEND
	};
	poptContext ctx = poptGetContext(cli_command_path(), argc, argv, table, 0);

	poptSetOtherOptionHelp(ctx, "[-o FILE]");
	while ((val = cli_next_option(ctx)) > 0)
		;
	if (val < 0)
		goto out;
	if (poptPeekArg(ctx)) {
		vt_error(poptPeekArg(ctx), "unexpected argument", "snapshot takes none; see --help");
		goto out;
	}
	if (geteuid() != 0)
		vt_note("not root: config spaces end at 64 bytes and some files are unreadable; run it as root");
	if (output && strcmp(output, "-") == 0)
		rc = write_to_stdout(now, &stats) ? VT_EXIT_OK : VT_EXIT_USAGE;
	else {
		if (!output)
			default_name(name, sizeof(name), now);
		rc = write_to_file(output ? output : name, now, &stats) ? VT_EXIT_OK : VT_EXIT_USAGE;
	}
out:
	poptFreeContext(ctx);
	free(output);
	return rc;
}
