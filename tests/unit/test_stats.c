#include "tap.h"

void test_stats(void)
{
}
