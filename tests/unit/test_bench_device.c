#include "tap.h"

void test_bench_device(void)
{
}
