#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/report.h"

static const char *progname = "vfio-tools";

void vt_set_progname(const char *name)
{
	progname = name;
}

const char *vt_progname(void)
{
	return progname;
}

void vt_verror(const char *subject, const char *what, const char *why_fmt, va_list ap)
{
	fprintf(stderr, "%s: %s: %s: ", progname, subject, what);
	vfprintf(stderr, why_fmt, ap);
	fputc('\n', stderr);
}

void vt_error(const char *subject, const char *what, const char *why_fmt, ...)
{
	va_list ap;

	va_start(ap, why_fmt);
	vt_verror(subject, what, why_fmt, ap);
	va_end(ap);
}

void vt_note(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: note: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *check_alloc(void *p)
{
	if (!p) {
		vt_error("memory", "allocation failed", "out of memory");
		exit(VT_EXIT_USAGE);
	}
	return p;
}

void *vt_xmalloc(size_t size)
{
	return check_alloc(malloc(size ? size : 1));
}

void *vt_xcalloc(size_t n, size_t size)
{
	return check_alloc(calloc(n ? n : 1, size ? size : 1));
}

void *vt_xrealloc(void *p, size_t n, size_t size)
{
	return check_alloc(reallocarray(p, n ? n : 1, size ? size : 1));
}

void *vt_xappend(void *p, size_t n, size_t size)
{
	if (n && (n & (n - 1)))
		return p;
	return vt_xrealloc(p, n ? 2 * n : 1, size);
}

char *vt_xstrdup(const char *s)
{
	return check_alloc(strdup(s));
}

char *vt_xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	return check_alloc(vasprintf(&s, fmt, ap) < 0 ? NULL : s);
}

static int vwhy(int err, bool with_strerror, char *why, size_t whylen, const char *fmt, va_list ap)
{
	size_t n;

	if (why && whylen) {
		vsnprintf(why, whylen, fmt, ap);
		n = strlen(why);
		if (with_strerror && n < whylen)
			snprintf(why + n, whylen - n, ": %s", strerror(err));
	}
	return -err;
}

int vt_why(int err, char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vwhy(err, false, why, whylen, fmt, ap);
	va_end(ap);
	return r;
}

int vt_why_errno(int err, char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vwhy(err, true, why, whylen, fmt, ap);
	va_end(ap);
	return r;
}
