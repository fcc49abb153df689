/* vfio-bench: the commands and what they share (options, loops, results, reports). */
#ifndef VFIO_BENCH_BENCH_H
#define VFIO_BENCH_BENCH_H

#include <popt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "bench/stats.h"
#include "tool/tool_options.h"
#include "vfio/vfio_backend.h"

int cmd_dma_map(int argc, const char **argv);
int cmd_irq(int argc, const char **argv);
int cmd_mmio(int argc, const char **argv);

/* --- options every benchmark takes (bench_options.c) --- */
struct bench_options {
	char *iterations_text, *duration_text, *warmup_text, *cpu_text;
	uint64_t iterations;		/* 0: no limit (then duration is) */
	double duration_s;		/* 0: no limit (then iterations is) */
	uint64_t warmup;
	int cpu;			/* -1: not pinned */
	int csv, raw, histogram;
};
extern struct bench_options bench_options;
extern struct poptOption bench_common_options[];	/* includes tool_common_options */

/*
 * Checks and converts the common options after tool_parse (defaults: default_iterations,
 * and a 5 s cap when neither --iterations nor --duration is given); pins the CPU. False
 * after reporting.
 */
bool bench_options_finish(uint64_t default_iterations);

/* --- the measuring loop (bench_loop.c) --- */
extern volatile sig_atomic_t bench_interrupted;	/* SIGINT/SIGTERM seen: stop, clean up */
void bench_catch_signals(void);

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Sample timer.  Where the kernel itself keeps time with the TSC (clocksource "tsc": it
 * found it stable and synchronized), samples are TSC ticks, converted to ns with a
 * factor calibrated against CLOCK_MONOTONIC_RAW: rdtsc costs a third of clock_gettime
 * (7-9 ns against 20-50 ns), which is most of the harness's own cost per sample.
 * Elsewhere ticks are CLOCK_MONOTONIC ns.
 */
extern bool bench_use_tsc;
extern uint64_t bench_tsc_mult;		/* ns per tick, times 2^32 (integer: no FPU on the hot path) */

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

static inline uint64_t bench_ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
	if (bench_use_tsc)
		return __rdtsc();
#endif
	return bench_now_ns();
}

static inline uint64_t bench_ticks_ns(uint64_t ticks)
{
	return bench_use_tsc ? (uint64_t)(((unsigned __int128)ticks * bench_tsc_mult) >> 32) : ticks;
}

struct bench_report;
/* Chooses the sample timer (once) and records it as the "timer" fact. */
void bench_clock_init(struct bench_report *rep);

struct bench_loop {
	const char *label;		/* for the progress line */
	uint64_t iterations;		/* 0: unlimited */
	uint64_t deadline_ns;		/* 0: none */
	uint64_t done;
	uint64_t start_ns, end_ns;
	uint64_t next_progress_ns;
	bool progress;			/* stderr is a TTY */
};

/* Starts a measured loop with the options' limits. */
void bench_loop_start(struct bench_loop *l, const char *label);
/* True while the loop should run another iteration; counts it. */
bool bench_loop_next(struct bench_loop *l);
/* Ends the loop: wall time, progress line cleared. */
void bench_loop_end(struct bench_loop *l);

/* --- results and reports (bench_report.c) --- */
struct bench_result {
	char name[64];			/* "4K anon map", "MSI loopback read" */
	char op[16];			/* "map", "unmap", "map+unmap", "irq", "read", "write" */
	uint64_t size;			/* bytes per operation (dma-map, mmio); 0 otherwise */
	char memory[16];		/* dma-map backing, "" otherwise */
	char backend[16];		/* dma-map --compare: "group" or "iommufd"; "" otherwise */
	char method[16];		/* dma-map --map-file: "map" or "map-file"; "" otherwise */
	struct stats *stats;
	uint64_t *raw;			/* with --raw: every sample, n_raw of them */
	uint64_t n_raw, raw_cap;
	uint64_t wall_ns;		/* the whole measured loop, harness included */
};

struct bench_report {
	const char *command;		/* "dma-map" */
	const struct vfio_dev *dev;
	struct bench_result **r;	/* each allocated alone: pointers to them stay valid */
	size_t n;
	char **notes;			/* skipped cases and other remarks, one line each */
	size_t n_notes;
	char **facts;			/* "key=value" pairs for the JSON's "run" object and the header */
	size_t n_facts;
	const char *backend;		/* copied into each result added (--compare), or NULL */
	const char *method;		/* copied into each result added (--map-file), or NULL */
	/* --compare: the backends, --map-file: the methods, whose results bench_compare pairs */
	const char *compare[2];
	bool compare_methods;		/* compare[] names methods, not backends */
};

struct bench_result *bench_report_add(struct bench_report *rep, const char *name, const char *op,
				      uint64_t size, const char *memory);
/* Adds one sample (ns) to a result, and to its raw list with --raw. */
static inline void bench_result_add(struct bench_result *res, uint64_t ns);
void bench_result_add_raw(struct bench_result *res, uint64_t ns);
void bench_report_note(struct bench_report *rep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bench_report_fact(struct bench_report *rep, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prints the report as --json, --csv or a table (with --histogram, a histogram each). */
void bench_report_print(const struct bench_report *rep);
void bench_report_free(struct bench_report *rep);

/* --- dma-map --compare, --map-file (bench_compare.c): the second backend's (method's) figures over the first's --- */
struct json;
void bench_compare_print_table(const struct bench_report *rep);
void bench_compare_json(const struct bench_report *rep, struct json *j);

static inline void bench_result_add(struct bench_result *res, uint64_t ns)
{
	stats_add(res->stats, ns);
	if (res->raw_cap)
		bench_result_add_raw(res, ns);
}

/* --- environment (bench_env.c) --- */
/*
 * Adds the environment facts: kernel, IOMMU driver and domain type, backend, CPU, clock
 * source, pinning, and the sample timer (chosen here: bench_clock_init).
 */
void bench_env_facts(struct bench_report *rep, const struct vfio_dev *d);

/* After SIGINT/SIGTERM stopped a run: the one-line report (saying what was undone); returns 2. */
int bench_exit_interrupted(const char *undone);

/* "4K", "64K", "2M", "1G", else bytes: into buf. */
const char *bench_size_name(uint64_t size, char *buf, size_t len);

#endif
