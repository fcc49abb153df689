/*
 * Latency statistics in constant memory, whatever the number of samples: exact count,
 * min, max, mean and standard deviation (Welford), and a log-linear histogram (exact
 * below 2^STATS_SUB_BITS, then 2^STATS_SUB_BITS buckets per power of two, so a bucket's
 * width is at most 1/2^STATS_SUB_BITS of its value) from which percentiles come.
 * Values are unsigned integers: nanoseconds in vfio-bench.
 */
#ifndef VT_STATS_H
#define VT_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define STATS_SUB_BITS 7		/* 128 sub-buckets: relative error < 0.8 % */
#define STATS_MAX_BITS 48		/* values >= 2^48 (3.3 days in ns) are clamped (counted in overflow) */

struct stats;				/* opaque: allocate with stats_new() */

struct stats *stats_new(void);
void stats_free(struct stats *s);
void stats_reset(struct stats *s);

void stats_add(struct stats *s, uint64_t value);
/* Adds every sample of src into dst (as if they had been added to dst). */
void stats_merge(struct stats *dst, const struct stats *src);

uint64_t stats_count(const struct stats *s);
uint64_t stats_min(const struct stats *s);	/* 0 when empty */
uint64_t stats_max(const struct stats *s);
double stats_mean(const struct stats *s);
double stats_stddev(const struct stats *s);	/* population; 0 for fewer than 2 samples */
uint64_t stats_overflow(const struct stats *s);	/* samples clamped at 2^STATS_MAX_BITS - 1 */

/*
 * The p-th percentile (0 <= p <= 100) by the nearest-rank rule: the smallest value v such
 * that at least p % of the samples are <= v, as the histogram knows it: the upper bound
 * of v's bucket, clamped to [min, max] (so p=0 gives min and p=100 gives max exactly).
 * Its relative error is below 2^-STATS_SUB_BITS.  0 when empty.
 */
uint64_t stats_percentile(const struct stats *s, double p);
/* The nearest rank (1..count) of the p-th percentile among count >= 1 samples, sorted. */
uint64_t stats_rank(uint64_t count, double p);

/* Bytes a struct stats takes (the same for 10 or 10^9 samples). */
size_t stats_memory(void);

/* Non-empty buckets in increasing order: calls fn(lo, hi, count) for [lo, hi]. */
void stats_each_bucket(const struct stats *s, void (*fn)(uint64_t lo, uint64_t hi, uint64_t count, void *arg),
		       void *arg);

/*
 * Draws the distribution on a terminal: about `rows` rows, each a value range merged
 * from adjacent buckets (log scale from min to max), its count and a bar of up to
 * `width` '#' proportional to the count.  unit_div divides values for display (1000:
 * ns shown as µs), unit names them ("us").
 */
void stats_print_histogram(const struct stats *s, FILE *out, unsigned rows, unsigned width,
			   double unit_div, const char *unit);

#endif
