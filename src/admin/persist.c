/*
 * vfio-admin persist: devices bound to vfio-pci (or another driver) at every boot and on
 * hot-plug.  add/remove/list edit and show persist_conf (src/lib/binding/persist_conf.h); apply
 * makes present devices match it, and is what udev/70-vfio-tools.rules runs on a PCI
 * add event; match and owner answer that rules file's PROGRAM= questions.  What apply
 * changed is remembered under /run/vfio-tools/persist/ADDRESS, so that a device whose
 * entry was removed goes back to its default driver on its next add event.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binding/bind_state.h"
#include "binding.h"
#include "tool/cli.h"
#include "commands.h"
#include "iommu/device_group.h"
#include "initramfs_note.h"
#include "binding/driver_modules.h"
#include "binding/driver_switch.h"
#include "checks/host_checks.h"
#include "binding/in_use.h"
#include "iommu/iommu_platform.h"
#include "util/json.h"
#include "owner.h"
#include "sriov.h"
#include "binding/persist_conf.h"
#include "persist_sync.h"
#include "util/report.h"
#include "util/sysfs.h"
#include "vfio/vfio_nodes.h"
#include "binding/vfio_variant.h"
#include "vfio_driver.h"

#define APPLY_TIMEOUT_MS 10000

static char *opt_driver, *opt_owner, *opt_numvfs;
static int opt_json;

static const struct poptOption add_options[] = {
	{ "driver", '\0', POPT_ARG_STRING, &opt_driver, 0,
	  "Driver to bind at boot (default: the kernel's VFIO variant driver for the device, else vfio-pci)", "NAME" },
	{ "owner", 'o', POPT_ARG_STRING, &opt_owner, 0, "Give /dev/vfio/N to this user (0660)", "USER[:GROUP]" },
	{ "numvfs", '\0', POPT_ARG_STRING, &opt_numvfs, 0, "An SR-IOV PF: enable this many VFs once it is on its driver",
	  "N" },
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

static const struct poptOption list_options[] = {
	{ "json", 'J', POPT_ARG_NONE, &opt_json, 0, "JSON output (keys in vfio-tools(7))", NULL },
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

static const struct poptOption plain_options[] = {
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

/* Parses options; the positional arguments (min..max; max 0 = unlimited) into *args. */
static bool parse(int argc, const char **argv, const struct poptOption *table, const char *usage, size_t min,
		  size_t max, const char ***args, size_t *n, poptContext *ctx)
{
	int val;

	*ctx = poptGetContext(cli_command_path(), argc, argv, table, 0);
	poptSetOtherOptionHelp(*ctx, usage);
	while ((val = cli_next_option(*ctx)) != 0)
		if (val < 0)
			return false;
	*args = poptGetArgs(*ctx);
	for (*n = 0; *args && (*args)[*n]; (*n)++)
		;
	if (*n < min || (max && *n > max)) {
		vt_error(cli_command_path(), *n < min ? "missing argument" : "too many arguments", "usage: %s %s",
			 cli_command_path(), usage);
		return false;
	}
	return true;
}

/* Loads the configuration, reporting skipped lines; false on a read error. */
static bool load(struct persist_conf *c, bool quiet)
{
	char why[512];
	size_t i;

	if (!persist_conf_load(c, why, sizeof(why))) {
		vt_error(persist_conf_path(), "cannot read", "%s", why);
		return false;
	}
	for (i = 0; !quiet && i < c->n_errors; i++) {
		/* "FILE:LINE: why" */
		const char *sep = strstr(c->errors[i] + strlen(persist_conf_path()), ": ");
		char where[PATH_MAX + 32];

		snprintf(where, sizeof(where), "%.*s", sep ? (int)(sep - c->errors[i]) : (int)strlen(c->errors[i]),
			 c->errors[i]);
		vt_error(where, "malformed entry skipped", "%s; the other entries apply", sep ? sep + 2 : "unreadable");
	}
	return true;
}

/* add/remove rewrite the file: not while it holds lines they would drop. */
static bool load_for_edit(struct persist_conf *c)
{
	if (!load(c, false))
		return false;
	if (!c->n_errors)
		return true;
	vt_error(persist_conf_path(), "not rewritten", "fix or remove the malformed lines above first");
	persist_conf_free(c);
	return false;
}

static bool save(struct persist_conf *c)
{
	char why[512];

	if (persist_conf_save(c, why, sizeof(why)) == 0)
		return true;
	vt_error(persist_conf_path(), "cannot write", "%s%s", why, geteuid() ? "; run it as root" : "");
	return false;
}

/*
 * add/remove say up front when they could not write the file: the nearest existing
 * directory on its path must be writable (root, or a test's own VFIO_TOOLS_ETC).
 */
static bool may_edit(void)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", persist_conf_path());
	while ((slash = strrchr(dir, '/')) && slash != dir) {
		*slash = '\0';
		if (access(dir, F_OK) == 0)
			break;
	}
	if (access(dir, W_OK) == 0)
		return true;
	vt_error("permission denied", "editing the persist configuration needs root",
		 "%s is not writable: run it as root", dir);
	return false;
}

/* DEVICE with the command line's --driver and --owner, as one configuration entry. */
static bool entry_from_args(const char *device, struct persist_entry *e)
{
	char line[512], why[256], variant[64];

	snprintf(line, sizeof(line), "%s driver=%s%s%s%s%s", device,
		 opt_driver ? opt_driver : vfio_driver_persist_default(device, variant, sizeof(variant), NULL, 0),
		 opt_owner ? " owner=" : "", opt_owner ? opt_owner : "", opt_numvfs ? " numvfs=" : "",
		 opt_numvfs ? opt_numvfs : "");
	if (persist_parse_line(line, e, why, sizeof(why)))
		return true;
	vt_error(device, "cannot persist", "%s", why);
	return false;
}

static int persist_add(int argc, const char **argv)
{
	struct persist_entry *add = NULL;
	struct persist_conf c;
	const char **args;
	char dev[32];
	poptContext ctx;
	size_t n, i, k;
	uid_t uid;
	gid_t gid;
	int rc = 2;

	if (!parse(argc, argv, add_options, "[--driver NAME] [--owner USER[:GROUP]] [--numvfs N] DEVICE...", 1, 0, &args, &n, &ctx) ||
	    (opt_owner && !owner_parse(opt_owner, &uid, &gid)) || !may_edit())
		goto out;
	add = vt_xcalloc(n, sizeof(*add));
	for (i = 0; i < n; i++)
		if (!entry_from_args(args[i], &add[i]))
			goto out;
	if (!load_for_edit(&c))
		goto out;
	for (i = 0; i < n; i++) {
		for (k = 0; k < c.n && !persist_same_device(&c.e[k], &add[i]); k++)
			;
		if (k == c.n)
			c.e = vt_xappend(c.e, c.n++, sizeof(*c.e));
		c.e[k] = add[i];
	}
	if (save(&c)) {
		for (i = 0; i < n; i++) {
			char variant[64], reason[384] = "";

			if (!opt_driver)
				vfio_driver_persist_default(args[i], variant, sizeof(variant), reason, sizeof(reason));
			printf("%s: persisted: %s%s%s%s%s%s\n", persist_device_word(&add[i], dev, sizeof(dev)),
			       add[i].driver, *reason ? " (" : "", reason, *reason ? ")" : "",
			       add[i].owner[0] ? ", owner " : "", add[i].owner);
		}
		printf("in %s; applied at the next boot or hot-plug, or now with 'vfio-admin persist apply'\n",
		       persist_conf_path());
		rc = persist_sync_rules(&c, false) ? 0 : 2;
		initramfs_rebuild_note();
	}
	persist_conf_free(&c);
out:
	free(add);
	poptFreeContext(ctx);
	return rc;
}

static int persist_remove(int argc, const char **argv)
{
	struct persist_conf c;
	struct persist_entry e;
	const char **args;
	char why[256], dev[32];
	poptContext ctx;
	size_t n, i, k;
	int rc = 2;

	if (!parse(argc, argv, plain_options, "DEVICE...", 1, 0, &args, &n, &ctx) || !may_edit() || !load_for_edit(&c))
		goto out;
	for (i = 0; i < n; i++) {
		if (!persist_parse_device(args[i], &e, why, sizeof(why))) {
			vt_error(args[i], "cannot remove", "%s", why);
			goto done;
		}
		for (k = 0; k < c.n && !persist_same_device(&c.e[k], &e); k++)
			;
		if (k == c.n) {
			vt_error(persist_device_word(&e, dev, sizeof(dev)), "not persisted", "see 'vfio-admin persist list'");
			goto done;
		}
		memmove(&c.e[k], &c.e[k + 1], (c.n - k - 1) * sizeof(*c.e));
		c.n--;
	}
	if (save(&c)) {
		for (i = 0; i < n; i++) {
			persist_parse_device(args[i], &e, why, sizeof(why));
			printf("%s: no longer persisted; its default driver returns at the next boot or hot-plug, "
			       "or now with 'vfio-admin persist apply'\n", persist_device_word(&e, dev, sizeof(dev)));
		}
		rc = persist_sync_rules(&c, false) ? 0 : 2;
		initramfs_rebuild_note();
	}
done:
	persist_conf_free(&c);
out:
	poptFreeContext(ctx);
	return rc;
}

/* --- present devices --- */

static bool read_ids(const char *address, uint16_t *vendor, uint16_t *device)
{
	char path[PATH_MAX], line[32];

	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s/vendor", address) ||
	    !sysfs_read_line(path, line, sizeof(line)))
		return false;
	*vendor = (uint16_t)strtoul(line, NULL, 16);
	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s/device", address) ||
	    !sysfs_read_line(path, line, sizeof(line)))
		return false;
	*device = (uint16_t)strtoul(line, NULL, 16);
	return true;
}

/* Every present PCI address (sysfs order is by address). */
static size_t present_devices(char ***out)
{
	char path[PATH_MAX];
	struct dirent **e;
	size_t n = 0;
	int i, k;

	*out = NULL;
	if (!sysfs_path(path, sizeof(path), "bus/pci/devices") || (k = scandir(path, &e, NULL, alphasort)) < 0)
		return 0;
	for (i = 0; i < k; i++) {
		if (e[i]->d_name[0] != '.') {
			*out = vt_xrealloc(*out, n + 1, sizeof(**out));
			(*out)[n++] = vt_xstrdup(e[i]->d_name);
		}
		free(e[i]);
	}
	free(e);
	return n;
}

static void free_list(char **v, size_t n)
{
	while (n--)
		free(v[n]);
	free(v);
}

/* --- list --- */

/* The entry names the present device at address (by that address, or by its ids). */
static bool entry_covers(const struct persist_entry *e, const char *address)
{
	uint16_t v, d;

	if (!e->by_id)
		return strcmp(e->address, address) == 0;
	return read_ids(address, &v, &d) && e->vendor == v && e->device == d;
}

static void json_entry(struct json *j, const struct persist_entry *e, char **devs, size_t n)
{
	char dev[32], driver[64];
	size_t i;

	json_object_begin(j, NULL);
	json_string(j, "device", persist_device_word(e, dev, sizeof(dev)));
	json_string(j, "driver", e->driver);
	json_string(j, "owner", e->owner[0] ? e->owner : NULL);
	json_int_or_null(j, "numvfs", e->numvfs, e->numvfs >= 0);
	json_array_begin(j, "present");
	for (i = 0; i < n; i++)
		if (entry_covers(e, devs[i])) {
			json_object_begin(j, NULL);
			json_string(j, "address", devs[i]);
			json_string(j, "driver", pci_current_driver(devs[i], driver, sizeof(driver)) ? driver : NULL);
			json_object_end(j);
		}
	json_array_end(j);
	json_object_end(j);
}

static void print_entry(const struct persist_entry *e, char **devs, size_t n)
{
	char dev[32], driver[64], present[1024] = "";
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		if (entry_covers(e, devs[i]) && len < sizeof(present))
			len += (size_t)snprintf(present + len, sizeof(present) - len, "%s%s (%s)", len ? ", " : "", devs[i],
						pci_current_driver(devs[i], driver, sizeof(driver)) ? driver : "no driver");
	printf("%-14s %-10s %-14s %s\n", persist_device_word(e, dev, sizeof(dev)), e->driver,
	       e->owner[0] ? e->owner : "-", len ? present : "absent");
}

static int persist_list(int argc, const char **argv)
{
	struct persist_conf c;
	const char **args;
	poptContext ctx;
	char **devs = NULL;
	size_t n, i, ndev = 0;
	struct json j;
	int rc = 2;

	if (!parse(argc, argv, list_options, "[--json]", 0, 0, &args, &n, &ctx) || n || !load(&c, false)) {
		if (n)
			vt_error(args[0], "unexpected argument", "usage: %s [--json]", cli_command_path());
		goto out;
	}
	ndev = present_devices(&devs);
	if (opt_json) {
		json_document_begin(&j, stdout);
		json_string(&j, "file", persist_conf_path());
		json_array_begin(&j, "entries");
		for (i = 0; i < c.n; i++)
			json_entry(&j, &c.e[i], devs, ndev);
		json_array_end(&j);
		json_array_begin(&j, "errors");
		for (i = 0; i < c.n_errors; i++)
			json_string(&j, NULL, c.errors[i]);
		json_array_end(&j);
		json_document_end(&j);
	} else {
		printf("%-14s %-10s %-14s %s\n", "DEVICE", "DRIVER", "OWNER", "PRESENT (DRIVER NOW)");
		for (i = 0; i < c.n; i++)
			print_entry(&c.e[i], devs, ndev);
	}
	free_list(devs, ndev);
	persist_conf_free(&c);
	rc = 0;
out:
	poptFreeContext(ctx);
	return rc;
}

/* --- apply --- */

static bool marker_path(const char *address, char *path, size_t len)
{
	return (size_t)snprintf(path, len, "%s/persist/%s", bind_state_dir(), address) < len;
}

static void mark_applied(const char *address, const char *driver)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/persist", bind_state_dir());
	mkdir(path, 0755);
	if (marker_path(address, path, sizeof(path)) && (f = fopen(path, "w"))) {
		fprintf(f, "%s\n", driver);
		fclose(f);
	}
}

static bool was_applied(const char *address)
{
	char path[PATH_MAX];

	return marker_path(address, path, sizeof(path)) && access(path, F_OK) == 0;
}

static void forget_applied(const char *address)
{
	char path[PATH_MAX];

	if (marker_path(address, path, sizeof(path)))
		unlink(path);
}

/* /dev/vfio/N (and the cdev) to the entry's owner, once they exist. */
static bool hand_over(const char *address, const struct persist_entry *e)
{
	struct vfio_nodes nodes;
	char why[PATH_MAX + 128];
	uid_t uid;
	gid_t gid;

	if (!e->owner[0])
		return true;
	if (!vfio_nodes_wait(address, APPLY_TIMEOUT_MS, &nodes, why, sizeof(why))) {
		vt_error(address, "no VFIO node to hand over", "%s; is it bound to vfio-pci?", why);
		return false;
	}
	if (!owner_parse(e->owner, &uid, &gid))
		return false;
	if (!vfio_nodes_give(&nodes, uid, gid, why, sizeof(why))) {
		vt_error(address, "cannot hand its VFIO nodes to the owner", "%s", why);
		return false;
	}
	vfio_nodes_print(stdout, address, &nodes, e->owner);
	return true;
}

static bool refuse_in_use(const char *address)
{
	struct in_use u;
	size_t i, n;

	in_use_scan(address, vfio_group_of(address), &u);
	for (i = 0; i < u.n; i++)
		vt_error(address, "in use by the host: not switched", "%s; 'vfio-admin bind --force' overrides", u.r[i].text);
	n = u.n;
	in_use_free(&u);
	return n > 0;
}

static bool switch_to(const char *address, const char *override, const char *driver, char *why, size_t whylen)
{
	struct switch_target t = { .override = override, .probe = true, .driver = driver };

	return pci_switch_driver(address, &t, APPLY_TIMEOUT_MS, why, whylen) == 0;
}

/* One device to what the configuration says; true when nothing failed. */
static bool apply_one(const struct persist_conf *c, const char *address)
{
	const struct persist_entry *e;
	char now[64] = "", override[64], why[512], want[64];
	uint16_t v, d;
	bool bound;

	if (!read_ids(address, &v, &d))
		return true;
	bound = pci_current_driver(address, now, sizeof(now));
	e = persist_conf_match(c, address, v, d);
	if (!e) {
		if (!was_applied(address))
			return true;
		if (refuse_in_use(address))
			return false;
		if (!switch_to(address, "", "*", why, sizeof(why))) {
			vt_error(address, "cannot give it back to its default driver", "%s", why);
			return false;
		}
		forget_applied(address);
		bound = pci_current_driver(address, now, sizeof(now));
		printf("%s: no longer persisted: %s -> %s\n", address, e ? e->driver : "vfio-pci", bound ? now : "(none)");
		return true;
	}
	pci_current_override(address, override, sizeof(override));
	vfio_driver_registered(e->driver, want, sizeof(want));	/* a variant's module name: its driver's */
	if (bound && strcmp(now, want) == 0 && strcmp(override, want) == 0) {
		mark_applied(address, want);
		return hand_over(address, e) & sriov_apply_numvfs(address, e->numvfs);
	}
	if (bound && strcmp(now, want) != 0 && refuse_in_use(address))
		return false;
	if (vfio_variant_pf_conflict(address, want, why, sizeof(why))) {
		vt_error(address, "not bound", "%s", why);
		return false;
	}
	if (driver_modules_load(want, iommu_platform_detect(), why, sizeof(why)) < 0) {
		vt_error(want, "cannot load the driver", "%s", why);
		return false;
	}
	vfio_driver_registered(e->driver, want, sizeof(want));
	if (!switch_to(address, want, want, why, sizeof(why))) {
		vt_error(address, "cannot bind it", "%s; it is left %s", why, "as the kernel has it");
		return false;
	}
	mark_applied(address, want);
	printf("%s: %s -> %s (persisted)\n", address, bound ? now : "(none)", want);
	return hand_over(address, e) & sriov_apply_numvfs(address, e->numvfs);
}

static int persist_apply(int argc, const char **argv)
{
	struct persist_conf c;
	const char **args;
	char **devs = NULL, why[256], address[PCI_ADDR_STRLEN];
	struct pci_addr addr;
	poptContext ctx;
	size_t n, i, ndev;
	int lock = -1, rc = 2;
	bool ok = true;

	if (!parse(argc, argv, plain_options, "[DEVICE]", 0, 1, &args, &n, &ctx))
		goto out;
	if (n && !pci_addr_parse(args[0], &addr, why, sizeof(why))) {
		vt_error(args[0], "invalid PCI address", "%s", why);
		goto out;
	}
	if (geteuid() != 0) {
		vt_error("permission denied", "changing drivers needs root", "run it as root");
		goto out;
	}
	if (!load(&c, false))
		goto out;
	lock = bind_state_lock(why, sizeof(why));
	if (lock < 0) {
		vt_error(bind_state_dir(), "cannot take the lock", "%s", why);
		persist_conf_free(&c);
		goto out;
	}
	if (n) {
		pci_addr_format(&addr, address);
		ok = apply_one(&c, address);
	} else {
		ndev = present_devices(&devs);
		for (i = 0; i < ndev; i++)
			ok &= apply_one(&c, devs[i]);
		free_list(devs, ndev);
		ok &= persist_sync_rules(&c, false);	/* a configuration older than the generated rules */
	}
	bind_state_unlock(lock);
	rc = ok ? 0 : 1;
	persist_conf_free(&c);
out:
	poptFreeContext(ctx);
	return rc;
}

/* The generated udev rules from the configuration (after editing it by hand, or upgrading). */
static int persist_sync(int argc, const char **argv)
{
	struct persist_conf c;
	const char **args;
	poptContext ctx;
	size_t n = 0;
	int rc = 2;

	if (parse(argc, argv, plain_options, "", 0, 0, &args, &n, &ctx) && n)
		vt_error(args[0], "unexpected argument", "usage: %s", cli_command_path());
	else if (!n && load(&c, false)) {
		rc = persist_sync_rules(&c, true) ? 0 : 2;
		persist_conf_free(&c);
	}
	poptFreeContext(ctx);
	return rc;
}

/* --- udev's questions --- */

/* The driver a persisted device must have (for ATTR{driver_override}), or nothing. */
static int persist_match(int argc, const char **argv)
{
	const struct persist_entry *e;
	struct persist_conf c;
	const char **args;
	poptContext ctx;
	uint16_t v, d;
	char want[64];
	size_t n;
	int rc = 2;

	if (parse(argc, argv, plain_options, "ADDRESS", 1, 1, &args, &n, &ctx) && load(&c, true)) {
		if (read_ids(args[0], &v, &d) && (e = persist_conf_match(&c, args[0], v, d)))
			puts(vfio_driver_registered(e->driver, want, sizeof(want)));
		persist_conf_free(&c);
		rc = 0;
	}
	poptFreeContext(ctx);
	return rc;
}

/* "USER GROUP" for /dev/vfio/GROUP when a persisted member of the group has an owner, or nothing. */
static int persist_owner(int argc, const char **argv)
{
	const struct persist_entry *e = NULL;
	struct persist_conf c;
	struct dirent **members = NULL;
	const char **args;
	char dir[PATH_MAX];
	poptContext ctx;
	uint16_t v, d;
	uid_t uid;
	gid_t gid;
	size_t nargs;
	int i, nm = 0, rc = 2;

	if (!parse(argc, argv, plain_options, "GROUP", 1, 1, &args, &nargs, &ctx) || !load(&c, true))
		goto out;
	if (sysfs_path(dir, sizeof(dir), "kernel/iommu_groups/%s/devices", args[0]) &&
	    (nm = scandir(dir, &members, NULL, alphasort)) < 0)
		nm = 0;
	for (i = 0; i < nm; i++) {
		const char *address = members[i]->d_name;

		if (!e && address[0] != '.' && read_ids(address, &v, &d) &&
		    (e = persist_conf_match(&c, address, v, d)) && !e->owner[0])
			e = NULL;
		free(members[i]);
	}
	free(members);
	if (e && owner_parse(e->owner, &uid, &gid)) {
		const char *colon = strchr(e->owner, ':');
		struct group *gr = colon ? NULL : getgrgid(gid);

		if (colon || gr)
			printf("%.*s %s\n", colon ? (int)(colon - e->owner) : (int)strlen(e->owner), e->owner,
			       colon ? colon + 1 : gr->gr_name);
	}
	persist_conf_free(&c);
	rc = 0;
out:
	poptFreeContext(ctx);
	return rc;
}

static const struct cli_command subcommands[] = {
	{ "add", "Bind DEVICE (address or VENDOR:DEVICE) to vfio-pci at every boot and hot-plug", persist_add },
	{ "remove", "Forget DEVICE: its default driver returns at the next boot or hot-plug", persist_remove },
	{ "list", "The persisted devices, and which of them are present with which driver", persist_list },
	{ "apply", "Make present devices (or DEVICE) as persisted: what the udev rule runs", persist_apply },
	{ "sync", "Rewrite the udev rules generated from the configuration (after editing it by hand)", persist_sync },
	{ "match", "udev: the driver persisted for ADDRESS, or nothing", persist_match },
	{ "owner", "udev: 'USER GROUP' for /dev/vfio/GROUP, or nothing", persist_owner },
	{ NULL, NULL, NULL },
};

static void persist_help(FILE *out)
{
	const struct cli_command *c;

	fprintf(out, "Usage: vfio-admin persist COMMAND [OPTIONS]\nBind devices at boot and on hot-plug (udev); "
		     "configuration in %s.\n\nCommands:\n", persist_conf_path());
	for (c = subcommands; c->name; c++)
		fprintf(out, "  %-8s %s\n", c->name, c->summary);
	fprintf(out, "\nRun 'vfio-admin persist COMMAND --help' for a command's options.\n");
}

int cmd_persist(int argc, const char **argv)
{
	const struct cli_command *c;
	char path[128];

	if (argc < 2) {
		vt_error("persist", "missing command", "add, remove, list, apply or sync; see 'vfio-admin persist --help'");
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		persist_help(stdout);
		return 0;
	}
	for (c = subcommands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0) {
			snprintf(path, sizeof(path), "vfio-admin persist %s", c->name);
			cli_set_command_path(path);
			argv[1] = cli_command_path();
			return c->run(argc - 1, argv + 1);
		}
	vt_error(argv[1], "unknown persist command", "add, remove, list, apply or sync; see 'vfio-admin persist --help'");
	return 2;
}
