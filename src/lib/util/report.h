/* One-line diagnostics: "prog: subject: what: why" and the exit codes. */
#ifndef VT_REPORT_H
#define VT_REPORT_H

#include <stdarg.h>
#include <stddef.h>

enum vt_exit {
	VT_EXIT_OK = 0,
	VT_EXIT_FAIL = 1,	/* the checked condition does not hold */
	VT_EXIT_USAGE = 2,	/* usage or environment error */
};

void vt_set_progname(const char *name);
const char *vt_progname(void);

/* Prints "prog: subject: what: why" (why is a printf format) on stderr. */
void vt_error(const char *subject, const char *what, const char *why_fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vt_verror(const char *subject, const char *what, const char *why_fmt, va_list ap);

/* Prints "prog: note: text" on stderr. */
void vt_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * For functions that explain failures to their caller instead of printing: write the
 * formatted reason into why (which may be NULL), with ": strerror(err)" for vt_why_errno,
 * and return -err.
 */
int vt_why(int err, char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int vt_why_errno(int err, char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Allocation that cannot fail: reports and exits with VT_EXIT_USAGE. */
void *vt_xmalloc(size_t size);
void *vt_xcalloc(size_t n, size_t size);
void *vt_xrealloc(void *p, size_t n, size_t size);
/*
 * Room for element n of an array grown only by this function (capacity the next power
 * of two): appending n elements costs O(n) copies, not O(n^2) as one realloc each would.
 */
void *vt_xappend(void *p, size_t n, size_t size);
/* The number of elements of an array (not a pointer). */
#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
char *vt_xstrdup(const char *s);
/* vasprintf that cannot fail (reports and exits like the others). */
char *vt_xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
