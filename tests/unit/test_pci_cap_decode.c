#include "tap.h"

void test_pci_cap_decode(void)
{
}
