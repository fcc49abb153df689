#include "tap.h"

void test_vfio_info(void)
{
}
