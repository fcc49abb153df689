#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "bench.h"
#include "util/json.h"
#include "util/report.h"
#include "util/table.h"

struct bench_result *bench_report_add(struct bench_report *rep, const char *name, const char *op,
				      uint64_t size, const char *memory)
{
	struct bench_result *res;

	rep->r = vt_xrealloc(rep->r, rep->n + 1, sizeof(*rep->r));	/* NOLINT(bugprone-sizeof-expression): an array of pointers */
	res = rep->r[rep->n++] = vt_xcalloc(1, sizeof(*res));
	snprintf(res->name, sizeof(res->name), "%s", name);
	snprintf(res->op, sizeof(res->op), "%s", op);
	snprintf(res->memory, sizeof(res->memory), "%s", memory ? memory : "");
	snprintf(res->backend, sizeof(res->backend), "%s", rep->backend ? rep->backend : "");
	snprintf(res->method, sizeof(res->method), "%s", rep->method ? rep->method : "");
	res->size = size;
	res->stats = stats_new();
	if (bench_options.raw)
		res->raw_cap = 1;	/* grows on demand */
	return res;
}

void bench_result_add_raw(struct bench_result *res, uint64_t ns)
{
	if (res->n_raw == res->raw_cap || !res->raw) {
		res->raw_cap = res->raw ? res->raw_cap * 2 : 4096;
		res->raw = vt_xrealloc(res->raw, res->raw_cap, sizeof(*res->raw));
	}
	res->raw[res->n_raw++] = ns;
}

static char *add_line(char ***lines, size_t *n, const char *fmt, va_list ap)
{
	*lines = vt_xrealloc(*lines, *n + 1, sizeof(**lines));
	return (*lines)[(*n)++] = vt_xvasprintf(fmt, ap);
}

void bench_report_note(struct bench_report *rep, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(&rep->notes, &rep->n_notes, fmt, ap);
	va_end(ap);
}

void bench_report_fact(struct bench_report *rep, const char *key, const char *fmt, ...)
{
	char *value, *line;
	va_list ap;

	va_start(ap, fmt);
	value = vt_xvasprintf(fmt, ap);
	va_end(ap);
	line = vt_xmalloc(strlen(key) + strlen(value) + 2);
	sprintf(line, "%s=%s", key, value);
	free(value);
	rep->facts = vt_xrealloc(rep->facts, rep->n_facts + 1, sizeof(*rep->facts));
	rep->facts[rep->n_facts++] = line;
}

const char *bench_size_name(uint64_t size, char *buf, size_t len)
{
	static const struct { uint64_t unit; const char *suffix; } units[] = {
		{ 1ULL << 30, "G" }, { 1ULL << 20, "M" }, { 1ULL << 10, "K" },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (size >= units[i].unit && size % units[i].unit == 0) {
			snprintf(buf, len, "%llu%s", (unsigned long long)(size / units[i].unit), units[i].suffix);
			return buf;
		}
	snprintf(buf, len, "%llu", (unsigned long long)size);
	return buf;
}

/* Mapping throughput: bytes per mean operation, in GiB/s; < 0 when it does not apply. */
static double throughput_gib_s(const struct bench_result *res)
{
	double mean = stats_mean(res->stats);

	if (!res->size || mean <= 0 || strcmp(res->op, "map") != 0)
		return -1;
	return (double)res->size / (mean / 1e9) / (double)(1ULL << 30);
}

enum { COL_CASE, COL_COUNT, COL_MIN, COL_P50, COL_P90, COL_P99, COL_P999, COL_MAX, COL_MEAN, COL_STDDEV, COL_GIBS };

static void print_table(const struct bench_report *rep)
{
	static const struct table_column cols[] = {
		[COL_CASE] = { "CASE", 0.3, 0 },
		[COL_COUNT] = { "COUNT", 6, SCOLS_FL_RIGHT },
		[COL_MIN] = { "MIN", 7, SCOLS_FL_RIGHT },
		[COL_P50] = { "P50", 7, SCOLS_FL_RIGHT },
		[COL_P90] = { "P90", 7, SCOLS_FL_RIGHT },
		[COL_P99] = { "P99", 7, SCOLS_FL_RIGHT },
		[COL_P999] = { "P99.9", 7, SCOLS_FL_RIGHT },
		[COL_MAX] = { "MAX", 7, SCOLS_FL_RIGHT },
		[COL_MEAN] = { "MEAN", 7, SCOLS_FL_RIGHT },
		[COL_STDDEV] = { "STDDEV", 7, SCOLS_FL_RIGHT },
		[COL_GIBS] = { "GiB/s", 6, SCOLS_FL_RIGHT },
	};
	static const double pct[] = { 50, 90, 99, 99.9 };
	struct libscols_table *tb = table_new(cols, sizeof(cols) / sizeof(cols[0]));
	size_t i, k;

	for (i = 0; i < rep->n; i++) {
		const struct bench_result *res = rep->r[i];
		struct libscols_line *ln = table_line(tb, NULL);
		double gibs = throughput_gib_s(res);

		table_cell(ln, COL_CASE, "%s", res->name);
		table_cell(ln, COL_COUNT, "%llu", (unsigned long long)stats_count(res->stats));
		table_cell(ln, COL_MIN, "%.2f", stats_min(res->stats) / 1e3);
		for (k = 0; k < 4; k++)
			table_cell(ln, COL_P50 + (int)k, "%.2f", stats_percentile(res->stats, pct[k]) / 1e3);
		table_cell(ln, COL_MAX, "%.2f", stats_max(res->stats) / 1e3);
		table_cell(ln, COL_MEAN, "%.2f", stats_mean(res->stats) / 1e3);
		table_cell(ln, COL_STDDEV, "%.2f", stats_stddev(res->stats) / 1e3);
		table_cell(ln, COL_GIBS, gibs < 0 ? "-" : "%.3f", gibs);
	}
	table_print_free(tb, stdout);
}

static void print_text(const struct bench_report *rep)
{
	size_t i;

	printf("vfio-bench %s %s: latency in microseconds\n", rep->command, rep->dev->address);
	for (i = 0; i < rep->n_facts; i++)
		printf("  %s\n", rep->facts[i]);
	putchar('\n');
	print_table(rep);
	if (rep->compare[0])
		bench_compare_print_table(rep);
	for (i = 0; bench_options.histogram && i < rep->n; i++) {
		printf("\n%s (us):\n", rep->r[i]->name);
		stats_print_histogram(rep->r[i]->stats, stdout, 16, 50, 1e3, "us");
	}
	for (i = 0; i < rep->n_notes; i++)
		printf("%snote: %s\n", i ? "" : "\n", rep->notes[i]);
}

static void json_result(struct json *j, const struct bench_result *res)
{
	const struct stats *s = res->stats;
	uint64_t n = stats_count(s);
	double gibs = throughput_gib_s(res);

	json_object_begin(j, NULL);
	json_string(j, "case", res->name);
	json_string(j, "op", res->op);
	json_uint(j, "size", res->size);
	json_string(j, "memory", res->memory[0] ? res->memory : NULL);
	json_string(j, "backend", res->backend[0] ? res->backend : NULL);
	json_string(j, "method", res->method[0] ? res->method : NULL);
	json_uint(j, "count", n);
	json_uint(j, "min_ns", stats_min(s));
	json_uint(j, "p50_ns", stats_percentile(s, 50));
	json_uint(j, "p90_ns", stats_percentile(s, 90));
	json_uint(j, "p99_ns", stats_percentile(s, 99));
	json_uint(j, "p999_ns", stats_percentile(s, 99.9));
	json_uint(j, "max_ns", stats_max(s));
	json_uint(j, "mean_ns", (unsigned long long)(stats_mean(s) + 0.5));
	json_uint(j, "stddev_ns", (unsigned long long)(stats_stddev(s) + 0.5));
	json_uint(j, "overflow", stats_overflow(s));
	json_uint(j, "wall_ns", res->wall_ns);
	json_uint(j, "wall_ns_per_op", n ? res->wall_ns / n : 0);
	if (gibs >= 0)
		json_double(j, "throughput_gib_s", gibs);
	else
		json_null(j, "throughput_gib_s");
	json_uint(j, "histogram_bytes", stats_memory());
	json_object_end(j);
}

static void print_json(const struct bench_report *rep)
{
	struct json j;
	size_t i;

	json_document_begin(&j, stdout);
	json_string(&j, "command", rep->command);
	json_string(&j, "device", rep->dev->address);
	json_string(&j, "backend", rep->compare[0] && !rep->compare_methods ? "compare" : rep->dev->ops->name);
	json_int(&j, "group", rep->dev->group);
	json_object_begin(&j, "run");
	for (i = 0; i < rep->n_facts; i++) {
		char *eq = strchr(rep->facts[i], '=');
		char key[64];

		snprintf(key, sizeof(key), "%.*s", (int)(eq - rep->facts[i]), rep->facts[i]);
		json_string(&j, key, eq + 1);
	}
	json_object_end(&j);
	json_array_begin(&j, "results");
	for (i = 0; i < rep->n; i++)
		json_result(&j, rep->r[i]);
	json_array_end(&j);
	if (rep->compare[0])
		bench_compare_json(rep, &j);
	json_array_begin(&j, "notes");
	for (i = 0; i < rep->n_notes; i++)
		json_string(&j, NULL, rep->notes[i]);
	json_array_end(&j);
	json_document_end(&j);
}

struct csv_row {
	const struct bench_result *res;
};

static void csv_bucket(uint64_t lo, uint64_t hi, uint64_t count, void *arg)
{
	const struct bench_result *res = ((struct csv_row *)arg)->res;

	printf("%s,%s,%llu,%s,%llu,%llu,%llu\n", res->name, res->op, (unsigned long long)res->size, res->memory,
	       (unsigned long long)lo, (unsigned long long)hi, (unsigned long long)count);
}

static void print_csv(const struct bench_report *rep)
{
	size_t i;
	uint64_t k;

	puts(bench_options.raw ? "case,op,size,memory,sample,ns" : "case,op,size,memory,lo_ns,hi_ns,count");
	for (i = 0; i < rep->n; i++) {
		struct csv_row row = { rep->r[i] };

		if (!bench_options.raw) {
			stats_each_bucket(rep->r[i]->stats, csv_bucket, &row);
			continue;
		}
		for (k = 0; k < rep->r[i]->n_raw; k++)
			printf("%s,%s,%llu,%s,%llu,%llu\n", rep->r[i]->name, rep->r[i]->op,
			       (unsigned long long)rep->r[i]->size, rep->r[i]->memory, (unsigned long long)k,
			       (unsigned long long)rep->r[i]->raw[k]);
	}
}

void bench_report_print(const struct bench_report *rep)
{
	if (tool_common.json)
		print_json(rep);
	else if (bench_options.csv)
		print_csv(rep);
	else
		print_text(rep);
	fflush(stdout);
}

void bench_report_free(struct bench_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++) {
		stats_free(rep->r[i]->stats);
		free(rep->r[i]->raw);
		free(rep->r[i]);
	}
	for (i = 0; i < rep->n_notes; i++)
		free(rep->notes[i]);
	for (i = 0; i < rep->n_facts; i++)
		free(rep->facts[i]);
	free(rep->r);
	free(rep->notes);
	free(rep->facts);
	memset(rep, 0, sizeof(*rep));
}
