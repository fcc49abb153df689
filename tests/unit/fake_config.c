#include <string.h>

#include "fake_config.h"

void fake_config(struct pci_config *cfg, int type, bool bridge, bool mf, int acs_cap, uint16_t acs_ctl)
{
	memset(cfg->data, 0, sizeof(cfg->data));
	cfg->len = sizeof(cfg->data);
	cfg->data[0x0e] = (uint8_t)((bridge ? 1 : 0) | (mf ? 0x80 : 0));
	if (type >= 0) {
		cfg->data[0x06] = 0x10;
		cfg->data[0x34] = 0x40;
		cfg->data[0x40] = 0x10;
		cfg->data[0x42] = (uint8_t)(0x02 | type << 4);
	}
	if (acs_cap >= 0) {
		cfg->data[0x100] = 0x0d;
		cfg->data[0x102] = 0x01;
		cfg->data[0x104] = (uint8_t)acs_cap;
		cfg->data[0x106] = (uint8_t)acs_ctl;
		cfg->data[0x107] = (uint8_t)(acs_ctl >> 8);
	}
}
