/* Waiting for a condition with a deadline, polled every WAIT_POLL_MS. */
#ifndef VT_WAIT_H
#define VT_WAIT_H

#include <stdbool.h>

#define WAIT_POLL_MS 20

/* CLOCK_MONOTONIC in milliseconds. */
long long wait_now_ms(void);
void wait_sleep_ms(unsigned ms);
/* Polls ready(arg) every WAIT_POLL_MS until it holds, up to timeout_ms; false on timeout. */
bool wait_until(bool (*ready)(void *arg), void *arg, unsigned timeout_ms);
/* Waits up to timeout_ms for path to exist (e.g. /dev/vfio/N). */
bool wait_for_path(const char *path, unsigned timeout_ms);

#endif
