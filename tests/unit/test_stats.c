#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/stats.h"
#include "tap.h"

#define N_SAMPLES 50000
#define VALUE_LIMIT (1ull << STATS_MAX_BITS)
#define N_BUCKETS ((STATS_MAX_BITS - STATS_SUB_BITS + 1) << STATS_SUB_BITS)

static const double percents[] = { 0, 1, 50, 90, 99, 99.9, 100 };

/* splitmix64: deterministic samples. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double random_unit(uint64_t *state)
{
	return (double)(next_random(state) >> 11) / (double)(1ull << 53);
}

static uint64_t uniform(uint64_t *state)
{
	return 1 + next_random(state) % 1000000;
}

/* Mean 10 us. */
static uint64_t exponential(uint64_t *state)
{
	return (uint64_t)(-10000 * log(1 - random_unit(state)));
}

static uint64_t bimodal(uint64_t *state)
{
	uint64_t r = next_random(state);

	return r & 1 ? 1000 + (r >> 1) % 100 : 50000 + (r >> 1) % 10000;
}

static uint64_t constant(uint64_t *state)
{
	(void)state;
	return 4242;
}

static uint64_t small(uint64_t *state)
{
	return next_random(state) % 128;
}

/* Near 2^48, one in 64 above it (clamped and counted as overflow). */
static uint64_t huge(uint64_t *state)
{
	uint64_t r = next_random(state);

	return r % 64 ? VALUE_LIMIT - 1 - (r >> 8) % (1ull << 40) : VALUE_LIMIT + (r >> 8) % (1ull << 50);
}

struct distribution {
	const char *name;
	uint64_t (*draw)(uint64_t *state);
	bool exact;	/* every value has a bucket of its own */
};

static const struct distribution distributions[] = {
	{ "uniform 1..1e6", uniform, false }, { "exponential", exponential, false },
	{ "bimodal", bimodal, false },	      { "constant", constant, true },
	{ "below 128", small, true },	      { "near 2^48 and above", huge, false },
};

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static uint64_t *draw_samples(const struct distribution *d, size_t n)
{
	uint64_t *v = calloc(n, sizeof(*v));
	uint64_t state = 42;

	for (size_t i = 0; i < n; i++)
		v[i] = d->draw(&state);
	return v;
}

static uint64_t clamped(uint64_t v)
{
	return v < VALUE_LIMIT ? v : VALUE_LIMIT - 1;
}

static bool close_enough(double got, double want, double rel)
{
	double diff = got > want ? got - want : want - got;

	return diff <= rel * (want > 0 ? want : -want);
}

/* Checks the percentiles against exact nearest ranks of the sorted, clamped samples. */
static void check_percentiles(const struct distribution *d, const struct stats *s, const uint64_t *sorted,
			      size_t n)
{
	char failure[160] = "";

	for (size_t i = 0; i < sizeof(percents) / sizeof(percents[0]); i++) {
		uint64_t want = sorted[stats_rank(n, percents[i]) - 1], got = stats_percentile(s, percents[i]);
		bool ok = d->exact || percents[i] == 0 || percents[i] == 100
				  ? got == want
				  : got >= want && (double)(got - want) < (double)want / (1 << STATS_SUB_BITS);

		if (!ok && !*failure)
			snprintf(failure, sizeof(failure), ": p%g is %llu, sorted samples say %llu", percents[i],
				 (unsigned long long)got, (unsigned long long)want);
	}
	tap_ok(!*failure, "stats: %s: percentiles %s%s", d->name,
	       d->exact ? "exact" : "within 1/128 above the nearest rank", failure);
}

static void check_moments(const struct distribution *d, const struct stats *s, const uint64_t *sorted, size_t n)
{
	double sum = 0, dev = 0, mean, stddev;
	uint64_t overflow = 0;
	uint64_t state = 42;

	for (size_t i = 0; i < n; i++)
		sum += (double)sorted[i];
	mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		dev += ((double)sorted[i] - mean) * ((double)sorted[i] - mean);
	stddev = sqrt(dev / (double)n);
	for (size_t i = 0; i < n; i++)
		overflow += d->draw(&state) >= VALUE_LIMIT;
	tap_ok(stats_count(s) == n && stats_min(s) == sorted[0] && stats_max(s) == sorted[n - 1] &&
		       stats_overflow(s) == overflow,
	       "stats: %s: count, min, max, overflow (%llu)", d->name, (unsigned long long)overflow);
	tap_ok(close_enough(stats_mean(s), mean, 1e-9) && close_enough(stats_stddev(s), stddev, 1e-9),
	       "stats: %s: mean %.6g and stddev %.6g as two passes give (%.6g, %.6g)", d->name, stats_mean(s),
	       stats_stddev(s), mean, stddev);
}

static void distribution_checks(const struct distribution *d)
{
	uint64_t *v = draw_samples(d, N_SAMPLES);
	struct stats *s = stats_new();

	for (size_t i = 0; i < N_SAMPLES; i++)
		stats_add(s, v[i]);
	for (size_t i = 0; i < N_SAMPLES; i++)
		v[i] = clamped(v[i]);
	qsort(v, N_SAMPLES, sizeof(*v), compare_u64);
	check_percentiles(d, s, v, N_SAMPLES);
	check_moments(d, s, v, N_SAMPLES);
	stats_free(s);
	free(v);
}

static void ranks(void)
{
	tap_ok(stats_rank(1000, 99.9) == 999 && stats_rank(1000, 0) == 1 && stats_rank(1000, 100) == 1000 &&
		       stats_rank(3, 50) == 2 && stats_rank(4, 50) == 2 && stats_rank(1000, 1) == 10 &&
		       stats_rank(1001, 1) == 11 && stats_rank(1, 50) == 1 && stats_rank(10, 150) == 10 &&
		       stats_rank(10, -1) == 1 && stats_rank(1000000000, 50) == 500000000,
	       "stats: nearest ranks, forgiving 99.9 %% of 1000");
}

struct bucket_list {
	uint64_t lo[N_BUCKETS + 1], hi[N_BUCKETS + 1], count[N_BUCKETS + 1];
	size_t n;
};

static void collect_bucket(uint64_t lo, uint64_t hi, uint64_t count, void *arg)
{
	struct bucket_list *l = arg;

	if (l->n <= N_BUCKETS) {
		l->lo[l->n] = lo;
		l->hi[l->n] = hi;
		l->count[l->n] = count;
	}
	l->n++;
}

static struct bucket_list *buckets_of(const struct stats *s)
{
	struct bucket_list *l = calloc(1, sizeof(*l));

	stats_each_bucket(s, collect_bucket, l);
	return l;
}

static bool same_buckets(const struct stats *a, const struct stats *b)
{
	struct bucket_list *la = buckets_of(a), *lb = buckets_of(b);
	bool same = !memcmp(la, lb, sizeof(*la));

	free(la);
	free(lb);
	return same;
}

static void empty(void)
{
	struct stats *s = stats_new();
	struct bucket_list *buckets;

	stats_add(s, 5);
	stats_reset(s);
	buckets = buckets_of(s);
	tap_ok(buckets->n == 0 && stats_count(s) == 0 && stats_min(s) == 0 && stats_max(s) == 0 && stats_mean(s) == 0 &&
		       stats_stddev(s) == 0 && stats_overflow(s) == 0 && stats_percentile(s, 0) == 0 &&
		       stats_percentile(s, 50) == 0 && stats_percentile(s, 100) == 0,
	       "stats: empty (after reset): zeros everywhere, no buckets");
	stats_add(s, 7);
	tap_ok(stats_count(s) == 1 && stats_min(s) == 7 && stats_max(s) == 7 && stats_mean(s) == 7 &&
		       stats_stddev(s) == 0 && stats_percentile(s, 0) == 7 && stats_percentile(s, 50) == 7,
	       "stats: one sample: min = max = mean = p50, stddev 0");
	stats_free(s);
	free(buckets);
}

static void merge(void)
{
	uint64_t *v = draw_samples(&distributions[2], N_SAMPLES);
	struct stats *all = stats_new(), *first = stats_new(), *second = stats_new(), *none = stats_new();

	for (size_t i = 0; i < N_SAMPLES; i++) {
		stats_add(all, v[i]);
		stats_add(i < N_SAMPLES / 2 ? first : second, v[i]);
	}
	stats_merge(first, second);
	stats_merge(first, none);
	tap_ok(stats_count(first) == stats_count(all) && stats_min(first) == stats_min(all) &&
		       stats_max(first) == stats_max(all) && stats_mean(first) == stats_mean(all) &&
		       stats_stddev(first) == stats_stddev(all) && same_buckets(first, all),
	       "stats: merging two halves (and an empty one) gives what adding all gives");
	stats_merge(none, all);
	tap_ok(stats_min(none) == stats_min(all) && stats_percentile(none, 99) == stats_percentile(all, 99) &&
		       same_buckets(none, all),
	       "stats: merging into an empty one copies");
	stats_free(all);
	stats_free(first);
	stats_free(second);
	stats_free(none);
	free(v);
}

/* The bucket lower bounds as the header describes them, 2^48 after the last. */
static size_t expected_bounds(uint64_t *lo)
{
	size_t n = 0;

	for (uint64_t v = 0; v < 1u << STATS_SUB_BITS; v++)
		lo[n++] = v;
	for (unsigned e = STATS_SUB_BITS; e < STATS_MAX_BITS; e++)
		for (uint64_t k = 0; k < 1u << STATS_SUB_BITS; k++)
			lo[n++] = (1ull << e) + (k << (e - STATS_SUB_BITS));
	lo[n] = VALUE_LIMIT;
	return n;
}

static void bucket_bounds(void)
{
	static uint64_t lo[N_BUCKETS + 1];
	size_t n = expected_bounds(lo), bad = 0;
	struct stats *s = stats_new();
	struct bucket_list *got;

	for (size_t i = 0; i < n; i++) {
		stats_add(s, lo[i]);
		stats_add(s, lo[i + 1] - 1);
	}
	got = buckets_of(s);
	for (size_t i = 0; i < n && i < got->n; i++)
		bad += got->lo[i] != lo[i] || got->hi[i] != lo[i + 1] - 1 || got->count[i] != 2;
	tap_ok(n == N_BUCKETS && got->n == n && !bad && got->lo[0] == 0 && got->hi[n - 1] == VALUE_LIMIT - 1,
	       "stats: %zu buckets cover [0, 2^%d) without gap or overlap (%zu reported, %zu wrong)", n,
	       STATS_MAX_BITS, got->n, bad);
	stats_free(s);
	free(got);
}

static void constant_memory(void)
{
	size_t before = stats_memory();
	struct stats *s = stats_new();
	struct mallinfo2 heap = mallinfo2();
	uint64_t state = 7;

	for (unsigned i = 0; i < 10000000; i++)
		stats_add(s, next_random(&state) >> (next_random(&state) & 63));
	tap_ok(stats_memory() == before && mallinfo2().uordblks == heap.uordblks && stats_count(s) == 10000000,
	       "stats: %zu bytes before and after 10^7 samples, nothing allocated", stats_memory());
	stats_free(s);
}

/* Prints into memory; returns the rows (lines) and the sum of their counts. */
static size_t print_rows(const struct stats *s, unsigned rows, uint64_t *total)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0, lines = 0;
	FILE *out = open_memstream(&text, &len);

	stats_print_histogram(s, out, rows, 40, 1000, "us");
	fclose(out);
	*total = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lines++;
		*total += strtoull(strrchr(line, ' ') + 1, NULL, 10);
	}
	free(text);
	return lines;
}

static void histogram(void)
{
	static const uint64_t wide[] = { 0, 1, 2, 200, 5000, 1000000, 123456789, VALUE_LIMIT - 1, VALUE_LIMIT * 4 };
	struct stats *s = stats_new();
	FILE *null = fopen("/dev/null", "w");
	uint64_t total, state = 1;
	size_t lines;

	lines = print_rows(s, 20, &total);
	tap_ok(lines == 1 && total == 0, "stats: histogram of nothing: one line");
	stats_add(s, 12345);
	lines = print_rows(s, 20, &total);
	tap_ok(lines == 1 && total == 1, "stats: histogram of one sample: one row");
	for (int i = 0; i < 999; i++)
		stats_add(s, 12345);
	lines = print_rows(s, 20, &total);
	tap_ok(lines == 1 && total == 1000, "stats: histogram of equal samples: one row of 1000");
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		stats_add(s, wide[i]);
	lines = print_rows(s, 20, &total);
	tap_ok(lines >= 2 && lines <= 20 && total == stats_count(s),
	       "stats: histogram from 0 to 2^48: %zu rows of 20 asked, every sample in one", lines);
	stats_reset(s);
	for (int i = 0; i < 10000; i++)
		stats_add(s, uniform(&state));
	lines = print_rows(s, 30, &total);
	tap_ok(lines >= 25 && lines <= 30 && total == 10000, "stats: histogram of uniform 1..1e6: %zu rows of 30",
	       lines);
	stats_print_histogram(s, null, 0, 0, 0, NULL);
	stats_print_histogram(s, null, 100000, 1000, 1e9, "");
	fclose(null);
	stats_free(s);
}

void test_stats(void)
{
	empty();
	ranks();
	for (size_t i = 0; i < sizeof(distributions) / sizeof(distributions[0]); i++)
		distribution_checks(&distributions[i]);
	merge();
	bucket_bounds();
	constant_memory();
	histogram();
}
