#include <string.h>

#include "checks/limits_conf.h"
#include "tap.h"
#include "util/units.h"

static void memlock_case(const char *text, const char *user, uint64_t want, int rank)
{
	static const char *const groups[] = { "kvm", "users" };
	struct memlock_match m = { 0, 0 };

	limits_conf_memlock(text, strlen(text), user, groups, 2, &m);
	tap_ok(m.rank == rank && (rank == 0 || m.bytes == want),
	       "limits.conf for %s: rank %d, %llu bytes (got rank %d, %llu)", user, rank,
	       (unsigned long long)want, m.rank, (unsigned long long)m.bytes);
}

static void size_case(const char *text, bool ok, uint64_t want)
{
	uint64_t got = 0;
	bool parsed = parse_size(text, &got);

	tap_ok(parsed == ok && (!ok || got == want), "size '%s' %s", text, ok ? "parses" : "is rejected");
}

static void format_case(uint64_t bytes, const char *want)
{
	char got[32];

	format_size(bytes, got, sizeof(got));
	tap_ok(strcmp(got, want) == 0, "%llu bytes read '%s' (got '%s')", (unsigned long long)bytes, want, got);
}

void test_limits(void)
{
	memlock_case("* soft memlock 64\n", "alice", 64 * 1024, 1);
	memlock_case("* soft memlock 64\n@kvm - memlock unlimited\n", "alice", MEMLOCK_UNLIMITED, 2);
	memlock_case("alice soft memlock 128\n@kvm - memlock unlimited\n* - memlock 1\n", "alice", 128 * 1024, 3);
	memlock_case("alice hard memlock 128\n", "alice", 0, 0);
	memlock_case("bob soft memlock 128\n@wheel - memlock 1\n", "alice", 0, 0);
	memlock_case("alice soft memlock 1 # first\nalice soft memlock 2\n", "alice", 2048, 3);
	memlock_case("alice soft memlock\n alice soft memlock 12 extra\nalice soft memlock -5\n", "alice", 0, 0);
	memlock_case("alice soft memlock 99999999999999999999\n", "alice", 0, 0);
	memlock_case("# alice soft memlock 1\n\n\t\n", "alice", 0, 0);
	size_case("16G", true, 16ull << 30);
	size_case("512M", true, 512ull << 20);
	size_case("1TiB", true, 1ull << 40);
	size_case("4096", true, 4096);
	size_case("2k", true, 2048);
	size_case("", false, 0);
	size_case("G", false, 0);
	size_case("12Q", false, 0);
	size_case("-1G", false, 0);
	size_case("16GG", false, 0);
	size_case("99999999999E", false, 0);
	format_case(1ull << 20, "1 MiB");
	format_case(0x300000000ull, "12 GiB");
	format_case(4096, "4 KiB");
	format_case(100, "100 bytes");
	format_case(1536 * 1024, "1536 KiB");
	format_case(1025, "1.0 KiB");
	format_case(UINT64_MAX, "16.0 EiB");
}
