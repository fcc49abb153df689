#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

#include "iommu/kernel_quirks.h"
#include "util/report.h"
#include "vfio/vf_token.h"

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

bool vf_token_parse(const char *text, uint8_t uuid[16], char canonical[VF_TOKEN_STRLEN])
{
	size_t i, byte = 0;
	int hi, lo;

	if (strlen(text) != VF_TOKEN_STRLEN - 1)
		return false;
	for (i = 0; i < VF_TOKEN_STRLEN - 1; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash != (text[i] == '-'))
			return false;
		canonical[i] = (char)tolower((unsigned char)text[i]);
		if (dash)
			continue;
		if (hex_digit(text[i]) < 0)
			return false;
	}
	canonical[VF_TOKEN_STRLEN - 1] = '\0';
	for (i = 0; i < VF_TOKEN_STRLEN - 1; i += 2) {
		if (text[i] == '-')
			i++;
		hi = hex_digit(text[i]);
		lo = hex_digit(text[i + 1]);
		uuid[byte++] = (uint8_t)(hi << 4 | lo);
	}
	return byte == 16;
}

int vf_token_set(int device_fd, const uint8_t uuid[16], char *why, size_t whylen)
{
	union {
		struct vfio_device_feature f;
		uint8_t raw[sizeof(struct vfio_device_feature) + 16];
	} arg;

	memset(&arg, 0, sizeof(arg));
	arg.f.argsz = sizeof(arg);
	arg.f.flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PCI_VF_TOKEN;
	memcpy(arg.raw + sizeof(struct vfio_device_feature), uuid, 16);
	if (ioctl(device_fd, VFIO_DEVICE_FEATURE, &arg) == 0)
		return 0;
	if (errno == ENOTTY)
		return vt_why(ENOTTY, why, whylen, "VFIO_DEVICE_FEATURE_PCI_VF_TOKEN: not offered (the device is no "
			      "SR-IOV PF, or its driver is not vfio-pci)");
	return vt_why_errno(errno, why, whylen, "VFIO_DEVICE_FEATURE_PCI_VF_TOKEN");
}

bool vf_token_cdev_supported(const char *release, char *why, size_t whylen)
{
	if (!release || kernel_release_compare(release, "6.19") >= 0 ||
	    (kernel_release_compare(release, "6.18.3") >= 0 && kernel_release_compare(release, "6.19") < 0))
		return true;
	if (kernel_release_compare(release, "6.17") < 0)
		vt_why(EOPNOTSUPP, why, whylen, "Linux %s's VFIO_DEVICE_BIND_IOMMUFD takes no VF token (it came in "
		       "6.17) and checks none: a VF under a vfio-pci PF opens through its cdev without one", release);
	else
		vt_why(EOPNOTSUPP, why, whylen, "Linux %s's VFIO_DEVICE_BIND_IOMMUFD loses the VF token (fixed in "
		       "6.19 and 6.18.3)", release);
	return false;
}
