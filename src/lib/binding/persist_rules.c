#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding/driver_modules.h"
#include "binding/persist_rules.h"
#include "util/report.h"
#include "util/sysfs.h"

#define END "GOTO=\"vfio_tools_persist_end\""

const char *persist_rules_path(void)
{
	static char path[PATH_MAX];

	if (!etc_path(path, sizeof(path), "udev/rules.d/70-vfio-tools-persist.rules"))
		snprintf(path, sizeof(path), "/etc/udev/rules.d/70-vfio-tools-persist.rules");
	return path;
}

/* udev splits RUN and PROGRAM at spaces and expands '$' and '%': a path without them, or quotes. */
static bool udev_safe(const char *s)
{
	if (*s != '/')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr("/._+-", *s)))
			return false;
	return true;
}

static void entry_rule(FILE *f, const struct persist_entry *e, const char *admin)
{
	char dev[32], driver[64];

	/* a variant's module name becomes its driver's when loaded; else driver_override names
	 * no driver until apply loads it, which still keeps the default driver off */
	if (!driver_modules_resolve(e->driver, driver, sizeof(driver)))
		snprintf(driver, sizeof(driver), "%s", e->driver);
	fprintf(f, "\n# %s driver=%s\n", persist_device_word(e, dev, sizeof(dev)), e->driver);
	if (e->by_id)
		fprintf(f, "SUBSYSTEM==\"pci\", ATTR{vendor}==\"0x%04x\", ATTR{device}==\"0x%04x\", ", e->vendor, e->device);
	else
		fprintf(f, "SUBSYSTEM==\"pci\", KERNEL==\"%s\", ", e->address);
	fprintf(f, "ENV{VFIO_TOOLS_PERSIST}=\"%s\", ATTR{driver_override}=\"%s\", \\\n"
		   "  RUN+=\"%s persist apply $kernel\", " END "\n", driver, driver, admin);
}

char *persist_rules_text(const struct persist_conf *c, const char *admin, char *why, size_t whylen)
{
	char *text = NULL;
	size_t len = 0, i;
	bool owner = false, by_id;
	FILE *f;

	if (!udev_safe(admin)) {
		vt_why(EINVAL, why, whylen, "%s: not a path udev runs as it is (letters, digits and /._+- only)", admin);
		return NULL;
	}
	f = open_memstream(&text, &len);
	if (!f) {
		vt_why_errno(errno, why, whylen, "generating the udev rules");
		return NULL;
	}
	fprintf(f, PERSIST_RULES_HEADER "\n"
		   "# Source: %s ('vfio-admin persist add', 'remove' and 'sync' rewrite this file).\n"
		   "# udev matches the devices named there itself: the add event of any other device starts no process.\n"
		   "# 70-vfio-tools.rules, read after this file, gives removed devices back. See vfio-admin(8).\n",
		   persist_conf_path());
	for (i = 0; i < c->n; i++)
		owner |= c->e[i].owner[0] != '\0';
	if (!c->n) {
		fprintf(f, "# (no entries)\n");
		fclose(f);
		return text;
	}
	fprintf(f, "\nACTION!=\"add\", " END "\n"
		   "SUBSYSTEM!=\"%s\", " END "\n"
		   "TEST!=\"%s\", " END "\n", owner ? "pci|vfio" : "pci", persist_conf_path());
	for (by_id = false; ; by_id = true) {
		for (i = 0; i < c->n; i++)
			if (c->e[i].by_id == by_id)
				entry_rule(f, &c->e[i], admin);
		if (by_id)
			break;
	}
	if (owner)
		fprintf(f, "\n# /dev/vfio/N of a group with a persisted member that has an owner\n"
			   "SUBSYSTEM==\"vfio\", KERNEL==\"[0-9]*\", PROGRAM=\"%s persist owner $kernel\", RESULT==\"?*\", \\\n"
			   "  OWNER=\"%%c{1}\", GROUP=\"%%c{2}\", MODE=\"0660\"\n", admin);
	fprintf(f, "\nLABEL=\"vfio_tools_persist_end\"\n");
	fclose(f);
	return text;
}
