#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "pci/pci_config.h"
#include "util/sysfs.h"

#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_HEADER_TYPE 0x0e
#define PCI_CAPABILITY_LIST 0x34
#define PCI_CB_CAPABILITY_LIST 0x14
#define PCI_STD_CAP_START 0x40

bool pci_config_read(const char *address, struct pci_config *cfg)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	memset(cfg->data, 0xff, sizeof(cfg->data));
	cfg->len = 0;
	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s/config", address)) {
		errno = ENAMETOOLONG;
		return false;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	do {
		n = pread(fd, cfg->data + cfg->len, sizeof(cfg->data) - cfg->len, (off_t)cfg->len);
		if (n > 0)
			cfg->len += (size_t)n;
	} while ((n > 0 || (n < 0 && errno == EINTR)) && cfg->len < sizeof(cfg->data));
	if (n < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return false;
	}
	close(fd);
	if (cfg->len < 64) {
		errno = EIO;
		return false;
	}
	memset(cfg->data + cfg->len, 0xff, sizeof(cfg->data) - cfg->len);
	return true;
}

uint8_t pci_config_u8(const struct pci_config *cfg, unsigned off)
{
	return off < cfg->len && off < sizeof(cfg->data) ? cfg->data[off] : 0xff;
}

uint16_t pci_config_u16(const struct pci_config *cfg, unsigned off)
{
	return (uint16_t)(pci_config_u8(cfg, off) | pci_config_u8(cfg, off + 1) << 8);
}

uint32_t pci_config_u32(const struct pci_config *cfg, unsigned off)
{
	return (uint32_t)pci_config_u16(cfg, off) | (uint32_t)pci_config_u16(cfg, off + 2) << 16;
}

bool pci_config_complete(const struct pci_config *cfg)
{
	return cfg->len >= PCI_CONFIG_STD_SIZE;
}

unsigned pci_config_header_type(const struct pci_config *cfg)
{
	return pci_config_u8(cfg, PCI_HEADER_TYPE) & 0x7f;
}

bool pci_config_multifunction(const struct pci_config *cfg)
{
	return pci_config_u8(cfg, PCI_HEADER_TYPE) & 0x80;
}

/* As the kernel's __pci_find_next_cap_ttl (drivers/pci/pci.c), with a visited set for the TTL. */
unsigned pci_config_find_cap(const struct pci_config *cfg, uint8_t id)
{
	uint8_t visited[PCI_CONFIG_STD_SIZE / 4] = { 0 };
	unsigned pos;

	if (!(pci_config_u16(cfg, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = pci_config_u8(cfg, pci_config_header_type(cfg) == 2 ? PCI_CB_CAPABILITY_LIST
								  : PCI_CAPABILITY_LIST);
	while (pos >= PCI_STD_CAP_START && pos < PCI_CONFIG_STD_SIZE) {
		uint8_t cap_id;

		pos &= ~3u;	/* the low two bits are reserved: the kernel masks them too */
		if (visited[pos / 4])
			return 0;
		visited[pos / 4] = 1;
		cap_id = pci_config_u8(cfg, pos);
		if (cap_id == 0xff)
			return 0;
		if (cap_id == id)
			return pos;
		pos = pci_config_u8(cfg, pos + 1);
	}
	return 0;
}

/* As the kernel's pci_find_next_ext_capability: nothing beyond 256 bytes, no extended list. */
unsigned pci_config_find_ext_cap(const struct pci_config *cfg, uint16_t id)
{
	uint8_t visited[PCI_CONFIG_MAX_SIZE / 4] = { 0 };
	unsigned pos = PCI_CONFIG_STD_SIZE;
	int ttl = (PCI_CONFIG_MAX_SIZE - PCI_CONFIG_STD_SIZE) / 8;	/* the kernel's bound */

	if (cfg->len <= PCI_CONFIG_STD_SIZE)
		return 0;
	while (ttl-- > 0 && pos >= PCI_CONFIG_STD_SIZE && pos < PCI_CONFIG_MAX_SIZE &&
	       !visited[pos / 4]) {
		uint32_t header = pci_config_u32(cfg, pos);

		visited[pos / 4] = 1;
		if (header == 0 || header == 0xffffffff)
			return 0;
		if ((header & 0xffff) == id)
			return pos;
		pos = (header >> 20) & 0xffc;
	}
	return 0;
}

static unsigned zero_bytes(struct pci_config *cfg, unsigned off, unsigned n)
{
	unsigned i, changed = 0;

	for (i = off; i < off + n && i < cfg->len; i++) {
		changed |= cfg->data[i] != 0;
		cfg->data[i] = 0;
	}
	return changed;
}

unsigned pci_config_mask_serials(struct pci_config *cfg)
{
	unsigned dsn = pci_config_find_ext_cap(cfg, PCI_EXT_CAP_ID_DSN_VT);
	unsigned vpd = pci_config_find_cap(cfg, PCI_CAP_ID_VPD_VT);
	unsigned masked = 0;

	if (dsn)
		masked += zero_bytes(cfg, dsn + 4, 8);
	if (vpd)
		masked += zero_bytes(cfg, vpd + 2, 6);	/* address and the last data read */
	return masked;
}
