/* The memlock entries of pam_limits' limits.conf format, for `check --user`. */
#ifndef VT_LIMITS_CONF_H
#define VT_LIMITS_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEMLOCK_UNLIMITED UINT64_MAX

struct memlock_match {
	uint64_t bytes;		/* soft limit, MEMLOCK_UNLIMITED for unlimited */
	int rank;		/* 3 user, 2 @group, 1 '*', 0 none found */
};

/*
 * Applies the lines of one limits.conf text to m: "<domain> <soft|hard|-> memlock <KiB|unlimited>",
 * where domain is the user, @group (one of groups) or '*'. A more specific domain wins; at
 * equal rank, a later line wins. Malformed lines are ignored.
 */
void limits_conf_memlock(const char *text, size_t len, const char *user,
			 const char *const *groups, size_t n_groups, struct memlock_match *m);

#endif
