#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

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
