/* libsmartcols tables with less ceremony: columns from an array, printf-style cells. */
#ifndef VT_TABLE_H
#define VT_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include <libsmartcols.h>

struct table_column {
	const char *name;
	double width;			/* columns, or a fraction of the terminal (< 1) */
	int flags;			/* SCOLS_FL_* */
};

/* A new table with these columns; exits (like vt_xmalloc) when out of memory. */
struct libscols_table *table_new(const struct table_column *cols, size_t n);
/* A new line (under parent for trees; NULL at the top); exits when out of memory. */
struct libscols_line *table_line(struct libscols_table *tb, struct libscols_line *parent);
void table_cell(struct libscols_line *ln, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prints to out and frees. */
void table_print_free(struct libscols_table *tb, FILE *out);

#endif
