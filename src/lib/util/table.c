#include <stdarg.h>
#include <stdlib.h>

#include "util/dl_api.h"
#include "util/report.h"
#include "util/table.h"

#define SMARTCOLS_SONAME "libsmartcols.so.1"

/* libsmartcols, opened by the first table (util/dl_api.h); each member is scols_MEMBER. */
static struct {
	typeof(scols_new_table) *new_table;
	typeof(scols_table_new_column) *table_new_column;
	typeof(scols_table_new_line) *table_new_line;
	typeof(scols_line_refer_data) *line_refer_data;
	typeof(scols_table_set_stream) *table_set_stream;
	typeof(scols_print_table) *print_table;
	typeof(scols_unref_table) *unref_table;
} scols;

static void load_scols(void)
{
	static bool loaded;
	const struct dl_symbol syms[] = {
		DL_SYMBOL(&scols, "scols_", new_table),
		DL_SYMBOL(&scols, "scols_", table_new_column),
		DL_SYMBOL(&scols, "scols_", table_new_line),
		DL_SYMBOL(&scols, "scols_", line_refer_data),
		DL_SYMBOL(&scols, "scols_", table_set_stream),
		DL_SYMBOL(&scols, "scols_", print_table),
		DL_SYMBOL(&scols, "scols_", unref_table),
	};

	if (!loaded) {
		dl_api_require(SMARTCOLS_SONAME, syms, sizeof(syms) / sizeof(syms[0]));
		loaded = true;
	}
}

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
	struct libscols_table *tb;
	size_t c;

	load_scols();
	tb = check_alloc(scols.new_table());
	for (c = 0; c < n; c++)
		check_alloc(scols.table_new_column(tb, cols[c].name, cols[c].width, cols[c].flags));
	return tb;
}

struct libscols_line *table_line(struct libscols_table *tb, struct libscols_line *parent)
{
	return check_alloc(scols.table_new_line(tb, parent));
}

void table_cell(struct libscols_line *ln, int col, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vt_xvasprintf(fmt, ap);
	va_end(ap);
	if (scols.line_refer_data(ln, (size_t)col, s) != 0)
		free(s);
}

void table_print_free(struct libscols_table *tb, FILE *out)
{
	scols.table_set_stream(tb, out);
	scols.print_table(tb);
	scols.unref_table(tb);
}
