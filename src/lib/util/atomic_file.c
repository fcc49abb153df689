#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic_file.h"
#include "util/report.h"

static void atomic_file_free(struct atomic_file *af)
{
	free(af->path);
	free(af->tmp);
	af->f = NULL;
	af->path = af->tmp = NULL;
}

int atomic_file_open(struct atomic_file *af, const char *path, char *why, size_t whylen)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	mode_t mask = umask(0);
	int fd, r;

	umask(mask);
	af->f = NULL;
	af->path = vt_xstrdup(path);
	af->tmp = vt_xmalloc(strlen(path) + 9);
	sprintf(af->tmp, "%.*s.%s.XXXXXX", dirlen, path, path + dirlen);
	fd = mkostemp(af->tmp, O_CLOEXEC);
	if (fd < 0) {
		r = vt_why_errno(errno, why, whylen, "cannot create a file beside it");
		atomic_file_free(af);
		return r;
	}
	if (fchmod(fd, 0666 & ~mask) < 0 || !(af->f = fdopen(fd, "w"))) {
		r = vt_why_errno(errno, why, whylen, "%s", af->tmp);
		close(fd);
		unlink(af->tmp);
		atomic_file_free(af);
		return r;
	}
	return 0;
}

int atomic_file_commit(struct atomic_file *af, char *why, size_t whylen)
{
	int r = 0;

	if (fflush(af->f) != 0 || fsync(fileno(af->f)) < 0)
		r = vt_why_errno(errno, why, whylen, "%s", af->tmp);
	if (fclose(af->f) != 0 && r == 0)
		r = vt_why_errno(errno, why, whylen, "%s", af->tmp);
	if (r == 0 && rename(af->tmp, af->path) < 0)
		r = vt_why_errno(errno, why, whylen, "cannot rename %s over it", af->tmp);
	if (r < 0)
		unlink(af->tmp);
	atomic_file_free(af);
	return r;
}

void atomic_file_abort(struct atomic_file *af)
{
	fclose(af->f);
	unlink(af->tmp);
	atomic_file_free(af);
}

/* mkdir -p of the file's directory. */
static int mkdir_parent(const char *path, char *why, size_t whylen)
{
	char dir[PATH_MAX], *p;

	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; ; p++)
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(dir, 0755) < 0 && errno != EEXIST)
				return vt_why_errno(errno, why, whylen, "%s", dir);
			if (!(*p = c))
				return 0;
		}
}

int atomic_file_replace(const char *path, const char *text, size_t len, mode_t mode, char *why, size_t whylen)
{
	struct atomic_file af;
	int r;

	if ((r = mkdir_parent(path, why, whylen)) < 0)
		return r;
	/* af.f is NULL after any failure: said so for the analyzers, which cannot see r < 0 */
	if ((r = atomic_file_open(&af, path, why, whylen)) < 0 || !af.f)
		return r < 0 ? r : -EIO;
	if (fchmod(fileno(af.f), mode) < 0 || fwrite(text, 1, len, af.f) != len) {
		r = vt_why_errno(errno ? errno : EIO, why, whylen, "%s", af.tmp);
		atomic_file_abort(&af);
		return r;
	}
	return atomic_file_commit(&af, why, whylen);
}

int atomic_file_remove(const char *path, char *why, size_t whylen)
{
	if (unlink(path) < 0 && errno != ENOENT)
		return vt_why_errno(errno, why, whylen, "%s", path);
	return 0;
}
