#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic_file.h"
#include "tap.h"

/* Entries of dir other than . and .. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d)
		closedir(d);
	return n;
}

static bool has_content(const char *path, const char *want)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return strcmp(buf, want) == 0;
}

void test_atomic_file(void)
{
	char dir[] = "/tmp/vt-atomic-XXXXXX", path[64], why[256] = "";
	struct atomic_file af;
	struct stat st;
	mode_t old = umask(027);
	int r;

	if (!mkdtemp(dir)) {
		tap_ok(false, "atomic_file: mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/vfio.prom", dir);
	r = atomic_file_open(&af, path, why, sizeof(why));
	tap_ok(r == 0 && strncmp(af.tmp, dir, strlen(dir)) == 0 && strstr(af.tmp, "/.vfio.prom.") &&
	       access(path, F_OK) != 0, "atomic_file: a hidden temporary beside the file, the file not yet there");
	if (r == 0) {
		fputs("one\n", af.f);
		r = atomic_file_commit(&af, why, sizeof(why));
	}
	tap_ok(r == 0 && has_content(path, "one\n") && entries(dir) == 1 && stat(path, &st) == 0 &&
	       (st.st_mode & 0777) == 0640, "atomic_file: commit renames it into place, mode 0666 less the umask (%s)", why);

	if (atomic_file_open(&af, path, why, sizeof(why)) == 0) {
		fputs("two\n", af.f);
		atomic_file_abort(&af);
	}
	tap_ok(has_content(path, "one\n") && entries(dir) == 1, "atomic_file: abort leaves the old file, no temporary");

	snprintf(path, sizeof(path), "%s/missing/vfio.prom", dir);
	r = atomic_file_open(&af, path, why, sizeof(why));
	tap_ok(r < 0 && strstr(why, "No such file or directory"), "atomic_file: a missing directory fails with why: %s", why);

	snprintf(path, sizeof(path), "%s/vfio.prom", dir);
	unlink(path);
	rmdir(dir);
	umask(old);
}
