#include <time.h>
#include <unistd.h>

#include "util/wait.h"

long long wait_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void wait_sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

bool wait_until(bool (*ready)(void *arg), void *arg, unsigned timeout_ms)
{
	long long deadline = wait_now_ms() + timeout_ms;

	while (!ready(arg)) {
		if (wait_now_ms() >= deadline)
			return false;
		wait_sleep_ms(WAIT_POLL_MS);
	}
	return true;
}

static bool path_exists(void *path)
{
	return access(path, F_OK) == 0;
}

bool wait_for_path(const char *path, unsigned timeout_ms)
{
	return wait_until(path_exists, (void *)path, timeout_ms);
}
