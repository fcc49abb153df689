#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "binding/persist_conf.h"
#include "initramfs_note.h"
#include "util/report.h"

struct initramfs_tool {
	const char *hooks[2];	/* where its vfio-tools part is installed */
	const char *tool;	/* the tool that builds the initramfs */
	const char *rebuild;	/* the command that rebuilds it */
};

static const struct initramfs_tool tools[] = {
	{ { "/usr/share/initramfs-tools/hooks/vfio-tools", "/etc/initramfs-tools/hooks/vfio-tools" },
	  "/usr/sbin/update-initramfs", "update-initramfs -u" },
	{ { "/usr/lib/dracut/modules.d/90vfio-tools/module-setup.sh", NULL }, "/usr/bin/dracut", "dracut -f" },
};

static bool exists(const char *path)
{
	const char *root = getenv("VFIO_TOOLS_ROOT");
	char full[PATH_MAX];

	snprintf(full, sizeof(full), "%s%s", root ? root : "", path);
	return access(full, F_OK) == 0;
}

void initramfs_rebuild_note(void)
{
	size_t i, k;

	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		for (k = 0; k < 2 && tools[i].hooks[k] && !exists(tools[i].hooks[k]); k++)
			;
		if (k < 2 && tools[i].hooks[k] && exists(tools[i].tool))
			vt_note("the initramfs has a copy of %s: run '%s' so that it binds as persisted at boot",
				persist_conf_path(), tools[i].rebuild);
	}
}
