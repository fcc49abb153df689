#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snapshot/snapshot_archive.h"
#include "util/report.h"

void snapshot_archive_init(struct snapshot_archive *a, FILE *out, time_t now)
{
	memset(a, 0, sizeof(*a));
	tar_writer_init(&a->tar, out, now);
}

bool snapshot_archive_finish(struct snapshot_archive *a)
{
	size_t i;

	for (i = 0; i < a->n_dirs; i++)
		free(a->dirs[i]);
	free(a->dirs);
	a->dirs = NULL;
	a->n_dirs = 0;
	return tar_finish(&a->tar);
}

static bool dir_written(const struct snapshot_archive *a, const char *name)
{
	size_t i;

	for (i = a->n_dirs; i-- > 0;)	/* the latest first: walks add siblings in turn */
		if (strcmp(a->dirs[i], name) == 0)
			return true;
	return false;
}

void snapshot_add_dirs(struct snapshot_archive *a, const char *name)
{
	char buf[PATH_MAX];
	char *slash;

	if (!*name || snprintf(buf, sizeof(buf), "%s", name) >= (int)sizeof(buf) || dir_written(a, buf))
		return;
	slash = strrchr(buf, '/');
	if (slash) {
		*slash = '\0';
		snapshot_add_dirs(a, buf);
		*slash = '/';
	}
	tar_add_dir(&a->tar, buf, 0755);
	a->dirs = vt_xappend(a->dirs, a->n_dirs, sizeof(*a->dirs));
	a->dirs[a->n_dirs++] = vt_xstrdup(buf);
}

static void add_parents(struct snapshot_archive *a, const char *name)
{
	char buf[PATH_MAX];
	char *slash;

	if (snprintf(buf, sizeof(buf), "%s", name) >= (int)sizeof(buf) || !(slash = strrchr(buf, '/')))
		return;
	*slash = '\0';
	snapshot_add_dirs(a, buf);
}

void snapshot_add_data(struct snapshot_archive *a, const char *name, const void *data, size_t len)
{
	add_parents(a, name);
	tar_add_file(&a->tar, name, 0644, data, len);
}

void snapshot_add_marker(struct snapshot_archive *a, const char *name)
{
	snapshot_add_data(a, name, "", 0);
}

char *snapshot_read(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	size_t cap = 4096, n = 0;
	ssize_t r = 0;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = vt_xmalloc(cap);
	for (;;) {
		if (n == cap) {
			if (cap >= max + 1)
				break;
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			buf = vt_xrealloc(buf, cap, 1);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (r < 0 || n > max) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

bool snapshot_add_file(struct snapshot_archive *a, const char *name, const char *path)
{
	size_t len;
	char *data = snapshot_read(path, SNAPSHOT_FILE_MAX, &len);

	if (!data) {
		a->skipped++;
		return false;
	}
	snapshot_add_data(a, name, data, len);
	free(data);
	return true;
}

bool snapshot_add_link(struct snapshot_archive *a, const char *name, const char *path)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n <= 0)
		return false;
	target[n] = '\0';
	add_parents(a, name);
	tar_add_symlink(&a->tar, name, target);
	return true;
}
