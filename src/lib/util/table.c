#include <stdarg.h>
#include <stdlib.h>

#include "util/report.h"
#include "util/table.h"

static void *check_alloc(void *p)
{
	if (!p) {
		vt_error("table", "out of memory", "libsmartcols allocation failed");
		exit(VT_EXIT_USAGE);
	}
	return p;
}

struct libscols_table *table_new(const struct table_column *cols, size_t n)
{
	struct libscols_table *tb = check_alloc(scols_new_table());
	size_t c;

	for (c = 0; c < n; c++)
		check_alloc(scols_table_new_column(tb, cols[c].name, cols[c].width, cols[c].flags));
	return tb;
}

struct libscols_line *table_line(struct libscols_table *tb, struct libscols_line *parent)
{
	return check_alloc(scols_table_new_line(tb, parent));
}

void table_cell(struct libscols_line *ln, int col, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vt_xvasprintf(fmt, ap);
	va_end(ap);
	if (scols_line_refer_data(ln, (size_t)col, s) != 0)
		free(s);
}

void table_print_free(struct libscols_table *tb)
{
	scols_print_table(tb);
	scols_unref_table(tb);
}
