/*
 * vfio-bench dma-map --compare: the same cases through two backends (group, then iommufd)
 * in one run; --map-file: through two methods (IOMMU_IOAS_MAP, then IOMMU_IOAS_MAP_FILE);
 * each case of the second against the first, p50 and mean, as ratios.
 */
#include <stdio.h>
#include <string.h>

#include <libsmartcols.h>

#include "bench.h"
#include "util/json.h"
#include "util/table.h"

/* What the report compares r by: its backend, or with --map-file its method. */
static const char *side(const struct bench_report *rep, const struct bench_result *r)
{
	return rep->compare_methods ? r->method : r->backend;
}

/* The case's name without its "BACKEND " (or "METHOD ") prefix. */
static const char *case_name(const struct bench_report *rep, const struct bench_result *r)
{
	size_t n = strlen(side(rep, r));

	return strncmp(r->name, side(rep, r), n) == 0 && r->name[n] == ' ' ? r->name + n + 1 : r->name;
}

/* The result of side b for the same case as r, or NULL. */
static const struct bench_result *partner(const struct bench_report *rep, const struct bench_result *r, const char *b)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		if (strcmp(side(rep, rep->r[i]), b) == 0 && strcmp(case_name(rep, rep->r[i]), case_name(rep, r)) == 0 &&
		    stats_count(rep->r[i]->stats))
			return rep->r[i];
	return NULL;
}

static double ratio(double b, double a)
{
	return a > 0 ? b / a : 0;
}

typedef void pair_fn(const struct bench_report *rep, const struct bench_result *a, const struct bench_result *b,
		     void *arg);

/* Calls fn for every case both sides measured, in the first side's order. */
static void each_pair(const struct bench_report *rep, pair_fn *fn, void *arg)
{
	const struct bench_result *b;
	size_t i;

	for (i = 0; i < rep->n; i++)
		if (strcmp(side(rep, rep->r[i]), rep->compare[0]) == 0 && stats_count(rep->r[i]->stats) &&
		    (b = partner(rep, rep->r[i], rep->compare[1])))
			fn(rep, rep->r[i], b, arg);
}

enum { COL_CASE, COL_A50, COL_B50, COL_R50, COL_AMEAN, COL_BMEAN, COL_RMEAN };

static void table_row(const struct bench_report *rep, const struct bench_result *a, const struct bench_result *b,
		      void *arg)
{
	struct libscols_line *ln = table_line(arg, NULL);
	double a50 = (double)stats_percentile(a->stats, 50), b50 = (double)stats_percentile(b->stats, 50);

	table_cell(ln, COL_CASE, "%s", case_name(rep, a));
	table_cell(ln, COL_A50, "%.2f", a50 / 1e3);
	table_cell(ln, COL_B50, "%.2f", b50 / 1e3);
	table_cell(ln, COL_R50, "%.3f", ratio(b50, a50));
	table_cell(ln, COL_AMEAN, "%.2f", stats_mean(a->stats) / 1e3);
	table_cell(ln, COL_BMEAN, "%.2f", stats_mean(b->stats) / 1e3);
	table_cell(ln, COL_RMEAN, "%.3f", ratio(stats_mean(b->stats), stats_mean(a->stats)));
}

void bench_compare_print_table(const struct bench_report *rep)
{
	char head[7][32];
	struct table_column cols[7] = {
		[COL_CASE] = { "CASE", 0.3, 0 },
	};
	struct libscols_table *tb;
	int i;

	snprintf(head[COL_A50], sizeof(head[0]), "%s P50", rep->compare[0]);
	snprintf(head[COL_B50], sizeof(head[0]), "%s P50", rep->compare[1]);
	snprintf(head[COL_R50], sizeof(head[0]), "RATIO");
	snprintf(head[COL_AMEAN], sizeof(head[0]), "%s MEAN", rep->compare[0]);
	snprintf(head[COL_BMEAN], sizeof(head[0]), "%s MEAN", rep->compare[1]);
	snprintf(head[COL_RMEAN], sizeof(head[0]), "RATIO");
	for (i = COL_A50; i <= COL_RMEAN; i++)
		cols[i] = (struct table_column){ head[i], 7, SCOLS_FL_RIGHT };
	printf("\n%s over %s (microseconds; RATIO = %s / %s):\n", rep->compare[1], rep->compare[0], rep->compare[1],
	       rep->compare[0]);
	tb = table_new(cols, 7);
	each_pair(rep, table_row, tb);
	table_print_free(tb, stdout);
}

/* "map-file" and "p50_ns" make the JSON key "map_file_p50_ns". */
static const char *side_key(const struct bench_report *rep, const struct bench_result *r, const char *what,
			    char *key, size_t len)
{
	char *c;

	snprintf(key, len, "%s_%s", side(rep, r), what);
	for (c = key; *c; c++)
		if (*c == '-')
			*c = '_';
	return key;
}

static void json_row(const struct bench_report *rep, const struct bench_result *a, const struct bench_result *b,
		     void *arg)
{
	struct json *j = arg;
	uint64_t a50 = stats_percentile(a->stats, 50), b50 = stats_percentile(b->stats, 50);
	char key[48];

	json_object_begin(j, NULL);
	json_string(j, "case", case_name(rep, a));
	json_string(j, "op", a->op);
	json_uint(j, "size", a->size);
	json_string(j, "memory", a->memory[0] ? a->memory : NULL);
	json_uint(j, side_key(rep, a, "p50_ns", key, sizeof(key)), a50);
	json_uint(j, side_key(rep, b, "p50_ns", key, sizeof(key)), b50);
	json_double(j, "p50_ratio", ratio((double)b50, (double)a50));
	json_uint(j, side_key(rep, a, "mean_ns", key, sizeof(key)), (unsigned long long)(stats_mean(a->stats) + 0.5));
	json_uint(j, side_key(rep, b, "mean_ns", key, sizeof(key)), (unsigned long long)(stats_mean(b->stats) + 0.5));
	json_double(j, "mean_ratio", ratio(stats_mean(b->stats), stats_mean(a->stats)));
	json_object_end(j);
}

void bench_compare_json(const struct bench_report *rep, struct json *j)
{
	json_object_begin(j, "comparison");
	json_string(j, "base", rep->compare[0]);
	json_string(j, "other", rep->compare[1]);
	json_string(j, "by", rep->compare_methods ? "method" : "backend");
	json_string(j, "ratio", "other / base");
	json_array_begin(j, "cases");
	each_pair(rep, json_row, j);
	json_array_end(j);
	json_object_end(j);
}
