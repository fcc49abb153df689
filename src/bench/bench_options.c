#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "tool/cli.h"
#include "util/report.h"

struct bench_options bench_options = { .cpu = -1 };

struct poptOption bench_common_options[] = {
	{ "iterations", 'n', POPT_ARG_STRING, &bench_options.iterations_text, 0,
	  "Measured iterations per case", "N" },
	{ "duration", 't', POPT_ARG_STRING, &bench_options.duration_text, 0,
	  "Seconds per case (with --iterations: whichever ends first); default: 5 s cap", "S" },
	{ "warmup", 'w', POPT_ARG_STRING, &bench_options.warmup_text, 0,
	  "Unmeasured iterations first (default: 10 % of --iterations, at most 100)", "N" },
	{ "cpu", 'c', POPT_ARG_STRING, &bench_options.cpu_text, 0, "Pin the benchmark to this CPU", "N" },
	{ "csv", '\0', POPT_ARG_NONE, &bench_options.csv, 0,
	  "CSV: the histogram's buckets per case (with --raw: every sample)", NULL },
	{ "raw", '\0', POPT_ARG_NONE, &bench_options.raw, 0, "With --csv: every sample instead of buckets", NULL },
	{ "histogram", 'H', POPT_ARG_NONE, &bench_options.histogram, 0, "Draw each case's histogram", NULL },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, tool_common_options, 0, NULL, NULL },
	POPT_TABLEEND
};

static bool parse_count(const char *opt, const char *text, uint64_t max, uint64_t *out)
{
	unsigned long long v;

	if (!tool_parse_u64(opt, text, max, &v))
		return false;
	*out = v;
	return true;
}

static bool parse_duration(const char *text, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(text, &end);
	if (*end || errno || !(*out > 0) || *out > 86400) {
		vt_error(text, "invalid --duration", "give seconds, more than 0 and at most 86400");
		return false;
	}
	return true;
}

static bool pin_cpu(const char *text, int *cpu)
{
	unsigned long long v;
	cpu_set_t set;

	if (!tool_parse_u64("invalid --cpu", text, CPU_SETSIZE - 1, &v))
		return false;
	CPU_ZERO(&set);
	CPU_SET((int)v, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		vt_error(text, "cannot pin to this CPU", "%s (see /sys/devices/system/cpu/online)", strerror(errno));
		return false;
	}
	*cpu = (int)v;
	return true;
}

bool bench_options_finish(uint64_t default_iterations)
{
	struct bench_options *o = &bench_options;

	if (o->iterations_text) {
		if (!parse_count("invalid --iterations", o->iterations_text, UINT64_MAX / 2, &o->iterations))
			return false;
		if (o->iterations == 0) {
			vt_error(o->iterations_text, "invalid --iterations", "must be at least 1");
			return false;
		}
	}
	if (o->duration_text && !parse_duration(o->duration_text, &o->duration_s))
		return false;
	if (!o->iterations_text && !o->duration_text) {
		o->iterations = default_iterations;
		o->duration_s = 5;
	}
	o->warmup = o->iterations ? o->iterations / 10 : 100;
	if (o->warmup > 100)
		o->warmup = 100;
	if (o->warmup_text && !parse_count("invalid --warmup", o->warmup_text, UINT64_MAX / 2, &o->warmup))
		return false;
	if (o->raw && !o->csv) {
		vt_error("--raw", "needs --csv", "raw samples are written as CSV");
		return false;
	}
	if (o->csv && tool_common.json) {
		vt_error("--csv", "conflicts with --json", "choose one output format");
		return false;
	}
	return !o->cpu_text || pin_cpu(o->cpu_text, &o->cpu);
}
