#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "util/sysfs.h"

volatile sig_atomic_t bench_interrupted;

static void on_signal(int sig)
{
	bench_interrupted = sig;
}

void bench_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void bench_loop_start(struct bench_loop *l, const char *label)
{
	memset(l, 0, sizeof(*l));
	l->label = label;
	l->iterations = bench_options.iterations;
	l->progress = isatty(STDERR_FILENO);
	l->start_ns = bench_now_ns();
	if (bench_options.duration_s > 0)
		l->deadline_ns = l->start_ns + (uint64_t)(bench_options.duration_s * 1e9);
	l->next_progress_ns = l->start_ns + 1000000000u;	/* a progress line only for runs over 1 s */
}

static void show_progress(struct bench_loop *l, uint64_t now)
{
	if (l->iterations)
		fprintf(stderr, "\r%s: %llu/%llu", l->label, (unsigned long long)l->done,
			(unsigned long long)l->iterations);
	else
		fprintf(stderr, "\r%s: %llu, %.0f s left", l->label, (unsigned long long)l->done,
			(double)(l->deadline_ns - now) / 1e9);
	l->next_progress_ns = now + 200000000u;
}

bool bench_loop_next(struct bench_loop *l)
{
	uint64_t now;

	if (bench_interrupted || (l->iterations && l->done >= l->iterations))
		return false;
	/* The clock is read here only every 64 iterations: it costs as much as a fast operation. */
	if ((l->done & 63) == 0 && (l->deadline_ns || l->progress)) {
		now = bench_now_ns();
		if (l->deadline_ns && now >= l->deadline_ns)
			return false;
		if (l->progress && now >= l->next_progress_ns)
			show_progress(l, now);
	}
	l->done++;
	return true;
}

void bench_loop_end(struct bench_loop *l)
{
	l->end_ns = bench_now_ns();
	if (l->progress && l->next_progress_ns > l->start_ns + 1000000000u)
		fprintf(stderr, "\r\033[K");
}

bool bench_use_tsc;
uint64_t bench_tsc_mult = 1ULL << 32;

#if defined(__x86_64__) || defined(__i386__)
static bool kernel_uses_tsc(void)
{
	char path[PATH_MAX], line[64];

	return sysfs_path(path, sizeof(path), "devices/system/clocksource/clocksource0/current_clocksource") &&
	       sysfs_read_line(path, line, sizeof(line)) && strcmp(line, "tsc") == 0;
}

static uint64_t raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#endif

void bench_clock_init(struct bench_report *rep)
{
#if defined(__x86_64__) || defined(__i386__)
	uint64_t n0, n1, t0, t1;
	struct timespec pause = { 0, 20000000 };	/* 20 ms */

	if (kernel_uses_tsc() && !getenv("VFIO_BENCH_NO_TSC")) {
		n0 = raw_ns(), t0 = __rdtsc();
		nanosleep(&pause, NULL);
		n1 = raw_ns(), t1 = __rdtsc();
		if (t1 > t0 && n1 > n0) {
			bench_tsc_mult = (uint64_t)((double)(n1 - n0) / (double)(t1 - t0) * 4294967296.0 + 0.5);
			bench_use_tsc = true;
			bench_report_fact(rep, "timer", "tsc (%.3f GHz, calibrated against CLOCK_MONOTONIC_RAW)",
					  (double)(t1 - t0) / (double)(n1 - n0));
			return;
		}
	}
#endif
	bench_report_fact(rep, "timer", "clock_gettime(CLOCK_MONOTONIC)");
}
