#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/report.h"
#include "bench/stats.h"

/*
 * Bucket layout: below 2^(SUB_BITS+1) a bucket a value (from 2^SUB_BITS on, these are the
 * first power of two's sub-buckets, one value wide); above, each [2^e, 2^(e+1)) is split in
 * 2^SUB_BITS buckets 2^(e-SUB_BITS) wide.  With shift = max(0, floor(log2 v) - SUB_BITS),
 * v's bucket is (shift << SUB_BITS) + (v >> shift): (MAX_BITS - SUB_BITS + 1) << SUB_BITS
 * buckets (5376) up to 2^MAX_BITS.
 */
#define SUB_COUNT (1u << STATS_SUB_BITS)
#define EXACT_MASK ((2ull << STATS_SUB_BITS) - 1)
#define N_BUCKETS ((STATS_MAX_BITS - STATS_SUB_BITS + 1) * SUB_COUNT)
#define VALUE_MAX ((1ull << STATS_MAX_BITS) - 1)

/*
 * The moments are exact integer sums (sum and sum of squares in 128 bits), not Welford:
 * stats_add then costs an add/adc and a 64x64->128 multiply instead of a division on a
 * loop-carried dependency, and stats_merge is a plain addition.  They cannot overflow in
 * practice: values are clamped below 2^48, so sum of squares <= 2^48 * sum, which stays
 * below 2^128 until the samples add up to 2^80 ns (38 million years).  The variance is
 * taken from them without cancellation (see sum_sq_dev).
 */
struct stats {
	uint64_t count, min, max, overflow;
	unsigned __int128 sum, sum_sq;
	uint64_t buckets[N_BUCKETS];
};

static inline unsigned bucket_of(uint64_t v)
{
	unsigned shift = 63 - (unsigned)__builtin_clzll(v | EXACT_MASK) - STATS_SUB_BITS;

	return (shift << STATS_SUB_BITS) + (unsigned)(v >> shift);
}

static unsigned bucket_shift(unsigned i)
{
	return i < 2 * SUB_COUNT ? 0 : (i >> STATS_SUB_BITS) - 1;
}

static uint64_t bucket_lo(unsigned i)
{
	unsigned shift = bucket_shift(i);

	return (uint64_t)(i - (shift << STATS_SUB_BITS)) << shift;
}

static uint64_t bucket_hi(unsigned i)
{
	return bucket_lo(i) + (1ull << bucket_shift(i)) - 1;
}

struct stats *stats_new(void)
{
	struct stats *s = vt_xmalloc(sizeof(*s));

	stats_reset(s);
	return s;
}

void stats_free(struct stats *s)
{
	free(s);
}

void stats_reset(struct stats *s)
{
	memset(s, 0, sizeof(*s));
	s->min = UINT64_MAX;
}

void stats_add(struct stats *s, uint64_t value)
{
	if (__builtin_expect(value > VALUE_MAX, 0)) {
		value = VALUE_MAX;
		s->overflow++;
	}
	s->buckets[bucket_of(value)]++;
	s->count++;
	s->min = value < s->min ? value : s->min;
	s->max = value > s->max ? value : s->max;
	s->sum += value;
	s->sum_sq += (unsigned __int128)value * value;
}

void stats_merge(struct stats *dst, const struct stats *src)
{
	for (unsigned i = 0; i < N_BUCKETS; i++)
		dst->buckets[i] += src->buckets[i];
	dst->count += src->count;
	dst->overflow += src->overflow;
	dst->min = src->min < dst->min ? src->min : dst->min;
	dst->max = src->max > dst->max ? src->max : dst->max;
	dst->sum += src->sum;
	dst->sum_sq += src->sum_sq;
}

uint64_t stats_count(const struct stats *s)
{
	return s->count;
}

uint64_t stats_min(const struct stats *s)
{
	return s->count ? s->min : 0;
}

uint64_t stats_max(const struct stats *s)
{
	return s->max;
}

uint64_t stats_overflow(const struct stats *s)
{
	return s->overflow;
}

double stats_mean(const struct stats *s)
{
	return s->count ? (double)((long double)s->sum / s->count) : 0;
}

/*
 * Sum of (v - mean)^2 = sum_sq - sum^2/n.  With sum = q n + r (r < n) that is
 * sum_sq - q^2 n - 2 q r - r^2/n: the integer part is >= 0 and below sum_sq, so 128-bit
 * wrapping arithmetic gives it exactly, and only r^2/n < n is left to round.
 */
static long double sum_sq_dev(const struct stats *s)
{
	unsigned __int128 n = s->count, q = s->sum / n, r = s->sum % n;
	unsigned __int128 whole = s->sum_sq - q * q * n - 2 * q * r;

	return (long double)whole - (long double)r * (long double)r / (long double)s->count;
}

double stats_stddev(const struct stats *s)
{
	if (s->count < 2)
		return 0;
	return (double)sqrtl(sum_sq_dev(s) / s->count);
}

uint64_t stats_rank(uint64_t count, double p)
{
	uint64_t rank;

	if (!(p > 0))
		return 1;
	if (p >= 100)
		return count;
	/* Forgives the rounding of p itself: 99.9 % of 1000 is rank 999, not 1000. */
	rank = (uint64_t)ceill((long double)p / 100 * count * (1 - 1e-12L));
	return rank < 1 ? 1 : rank > count ? count : rank;
}

uint64_t stats_percentile(const struct stats *s, double p)
{
	uint64_t rank, seen = 0;

	if (!s->count)
		return 0;
	rank = stats_rank(s->count, p);
	/* The first and last ranks are the exact min and max, not their buckets' bounds. */
	if (rank <= 1)
		return s->min;
	if (rank >= s->count)
		return s->max;
	for (unsigned i = 0; i < N_BUCKETS; i++) {
		seen += s->buckets[i];
		if (seen >= rank) {
			uint64_t hi = bucket_hi(i);

			return hi < s->min ? s->min : hi > s->max ? s->max : hi;
		}
	}
	return s->max;
}

size_t stats_memory(void)
{
	return sizeof(struct stats);
}

void stats_each_bucket(const struct stats *s, void (*fn)(uint64_t lo, uint64_t hi, uint64_t count, void *arg),
		       void *arg)
{
	for (unsigned i = 0; i < N_BUCKETS; i++)
		if (s->buckets[i])
			fn(bucket_lo(i), bucket_hi(i), s->buckets[i], arg);
}

/* --- the terminal histogram --- */

/*
 * Row edges (n + 1 of them, n <= rows returned) from min to max + 1, evenly spaced in
 * log(1 + v) and moved down to bucket lower bounds, so that each bucket falls in one row
 * and the rows' counts are exact for the ranges shown.  Rows narrower than a bucket
 * disappear.
 */
static unsigned row_edges(const struct stats *s, unsigned rows, uint64_t *edges)
{
	double from = log1p((double)s->min), to = log1p((double)(s->max + 1));
	unsigned n = 0;

	edges[0] = s->min;
	for (unsigned i = 1; i < rows; i++) {
		double ideal = expm1(from + (to - from) * i / rows);
		uint64_t v = ideal < (double)s->max ? (uint64_t)ideal : s->max;
		uint64_t edge = bucket_lo(bucket_of(v));

		if (edge > edges[n])
			edges[++n] = edge;
	}
	edges[++n] = s->max + 1;
	return n;
}

static void row_counts(const struct stats *s, const uint64_t *edges, uint64_t *counts)
{
	unsigned row = 0;

	for (unsigned i = 0; i < N_BUCKETS; i++) {
		uint64_t lo = bucket_lo(i);

		if (!s->buckets[i])
			continue;
		if (lo < s->min)
			lo = s->min;
		while (lo >= edges[row + 1])
			row++;
		counts[row] += s->buckets[i];
	}
}

/* Decimals enough to tell the narrowest row's edges apart (at least one for a scaled unit). */
static int row_decimals(const uint64_t *edges, unsigned n, double unit_div)
{
	uint64_t narrowest = UINT64_MAX;
	int decimals = unit_div > 1 ? 1 : 0;

	for (unsigned i = 0; i < n; i++)
		if (edges[i + 1] - edges[i] < narrowest)
			narrowest = edges[i + 1] - edges[i];
	while (decimals < 6 && (double)narrowest / unit_div * pow(10, decimals) < 1)
		decimals++;
	return decimals;
}

static void print_bar(FILE *out, uint64_t count, uint64_t most, unsigned width)
{
	unsigned len = (unsigned)((double)count / (double)most * width + 0.5);

	if (count && !len && width)
		len = 1;
	for (unsigned i = 0; i < width; i++)
		fputc(i < len ? '#' : ' ', out);
}

void stats_print_histogram(const struct stats *s, FILE *out, unsigned rows, unsigned width,
			   double unit_div, const char *unit)
{
	uint64_t *edges, *counts, most = 0;
	int decimals, value_width, count_width;
	unsigned n;

	if (!s->count) {
		fprintf(out, "  (no samples)\n");
		return;
	}
	if (!(unit_div > 0))
		unit_div = 1;
	rows = rows < 1 ? 1 : rows > N_BUCKETS ? N_BUCKETS : rows;
	edges = vt_xcalloc(rows + 1, sizeof(*edges));
	counts = vt_xcalloc(rows, sizeof(*counts));
	n = row_edges(s, rows, edges);
	row_counts(s, edges, counts);
	for (unsigned i = 0; i < n; i++)
		most = counts[i] > most ? counts[i] : most;
	decimals = row_decimals(edges, n, unit_div);
	value_width = snprintf(NULL, 0, "%.*f", decimals, (double)edges[n] / unit_div);
	count_width = snprintf(NULL, 0, "%llu", (unsigned long long)most);
	for (unsigned i = 0; i < n; i++) {
		fprintf(out, "  [%*.*f, %*.*f)%s%s  |", value_width, decimals, (double)edges[i] / unit_div,
			value_width, decimals, (double)edges[i + 1] / unit_div, unit && *unit ? " " : "",
			unit ? unit : "");
		print_bar(out, counts[i], most, width);
		fprintf(out, " %*llu\n", count_width, (unsigned long long)counts[i]);
	}
	free(counts);
	free(edges);
}
