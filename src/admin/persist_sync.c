#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "binding/persist_rules.h"
#include "persist_sync.h"
#include "util/atomic_file.h"
#include "util/report.h"
#include "util/sysfs.h"

#define MAX_RULES_BYTES (1 << 20)

extern char **environ;


/* Under the real /etc (not a test's $VFIO_TOOLS_ETC), as root, with udevd running: udevadm control --reload. */
static bool reload_udev(void)
{
	char *argv[] = { "udevadm", "control", "--reload", NULL }, etc[PATH_MAX];
	posix_spawn_file_actions_t fa;
	int status = -1;
	pid_t pid;
	bool ok;

	if (!etc_path(etc, sizeof(etc), "udev") || strcmp(etc, "/etc/udev") != 0 || geteuid() != 0 ||
	    access("/run/udev/control", F_OK) != 0)
		return false;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	ok = posix_spawnp(&pid, "udevadm", &fa, NULL, argv, environ) == 0 && waitpid(pid, &status, 0) == pid &&
	     WIFEXITED(status) && WEXITSTATUS(status) == 0;
	posix_spawn_file_actions_destroy(&fa);
	return ok;
}

static void say_changed(const char *path, const char *what, size_t n)
{
	printf("udev rules: %s %s", path, what);
	if (strcmp(what, "written") == 0)
		printf(" (%zu entr%s)", n, n == 1 ? "y" : "ies");
	printf("; %s\n", reload_udev() ? "udev reloaded"
				       : "udev sees the change when it starts, or now after 'udevadm control --reload'");
}

bool persist_sync_rules(const struct persist_conf *c, bool verbose)
{
	const char *path = persist_rules_path();
	char admin[PATH_MAX], why[PATH_MAX + 128], *text, *now;
	ssize_t n;
	bool ok = true;

	if (access(persist_conf_path(), F_OK) != 0) {
		if (access(path, F_OK) != 0) {
			if (verbose)
				printf("udev rules: none (no %s)\n", persist_conf_path());
			return true;
		}
		if (atomic_file_remove(path, why, sizeof(why)) < 0) {
			vt_error(path, "cannot remove", "%s%s", why, geteuid() ? "; run it as root" : "");
			return false;
		}
		say_changed(path, "removed", 0);
		return true;
	}
	n = readlink("/proc/self/exe", admin, sizeof(admin) - 1);
	admin[n < 0 ? 0 : n] = '\0';
	if (!(text = persist_rules_text(c, admin, why, sizeof(why)))) {
		vt_error(path, "cannot generate the udev rules", "%s", why);
		return false;
	}
	now = read_text_file(path, MAX_RULES_BYTES);
	if (now && strcmp(now, text) == 0) {
		if (verbose)
			printf("udev rules: %s up to date (%zu entr%s)\n", path, c->n, c->n == 1 ? "y" : "ies");
	} else if (atomic_file_replace(path, text, strlen(text), 0644, why, sizeof(why)) < 0) {
		vt_error(path, "cannot write", "%s%s", why, geteuid() ? "; run it as root" : "");
		ok = false;
	} else {
		say_changed(path, "written", c->n);
	}
	free(now);
	free(text);
	return ok;
}
