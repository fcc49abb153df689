/*
 * Histogram memory against sample count: adds N samples (a spread of latencies) to one
 * struct stats and prints N, stats_memory() and the process's peak RSS in KiB.
 *   stats_rss N
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "bench/stats.h"

int main(int argc, char **argv)
{
	unsigned long long n = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000, i, x = 88172645463325252ULL;
	struct stats *s = stats_new();
	struct rusage ru;

	for (i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;	/* xorshift64 */
		stats_add(s, 1000 + x % 1000000);
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("%llu %zu %ld %llu\n", n, stats_memory(), ru.ru_maxrss, (unsigned long long)stats_percentile(s, 99));
	stats_free(s);
	return 0;
}
