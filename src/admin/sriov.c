/* vfio-admin sriov: a PF's VFs, their count and autoprobe (recorded for restore), and vfio-pci's VF token. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binding.h"
#include "binding/bind_state.h"
#include "binding/sriov_state.h"
#include "commands.h"
#include "sriov.h"
#include "tool/cli.h"
#include "tool/vfio_open.h"
#include "util/report.h"
#include "util/sysfs.h"
#include "util/wait.h"
#include "vfio/vf_token.h"

/* Where the steps of a change go: stdout, or stderr under --json (stdout holds the JSON). */
static FILE *steps;

struct sriov_options {
	char *numvfs, *autoprobe, *vf_token, *timeout;
	int json, dry_run, force;
	unsigned want_num, timeout_ms;
	int want_autoprobe;		/* -1: leave it */
};

static const char *can_name(enum sriov_capable c)
{
	return c == SRIOV_CAN ? "yes" : c == SRIOV_CANNOT ? "no" : "unknown";
}

/* A PF on vfio-pci hands its VFs to vfio-pci, and their users must present its VF token. */
static bool token_applies(const struct pci_sriov *s)
{
	return strcmp(s->driver, "vfio-pci") == 0;
}

void sriov_print_text(const struct pci_sriov *s)
{
	size_t i;

	printf("%s: SR-IOV PF %s%s: %u of %u VFs enabled, autoprobe %s\n", s->address,
	       s->driver[0] ? "on " : "without a driver", s->driver, s->num, s->total,
	       s->autoprobe < 0 ? "unknown" : s->autoprobe ? "on" : "off");
	printf("  can create VFs: %s (%s)\n", can_name(s->can_create), s->can_why);
	if (token_applies(s))
		printf("  VF token: required: its VFs open only with the token set on the PF "
		       "('vfio-admin sriov %s --vf-token UUID')\n", s->address);
	for (i = 0; i < s->n_vf; i++) {
		printf("  VF %zu %s: %s", i, s->vf[i].address, s->vf[i].driver[0] ? s->vf[i].driver : "no driver");
		if (s->vf[i].group >= 0)
			printf(", IOMMU group %d", s->vf[i].group);
		else
			printf(", no IOMMU group");
		if (s->vf[i].override[0])
			printf(", driver_override %s", s->vf[i].override);
		putchar('\n');
	}
}

void sriov_json(struct json *j, const struct pci_sriov *s)
{
	size_t i;

	json_string(j, "address", s->address);
	json_string(j, "driver", s->driver[0] ? s->driver : NULL);
	json_uint(j, "total_vfs", s->total);
	json_uint(j, "num_vfs", s->num);
	if (s->autoprobe < 0)
		json_null(j, "autoprobe");
	else
		json_bool(j, "autoprobe", s->autoprobe);
	json_string(j, "can_create_vfs", can_name(s->can_create));
	json_string(j, "can_create_vfs_why", s->can_why);
	json_bool(j, "vf_token_required", token_applies(s));
	json_array_begin(j, "vfs");
	for (i = 0; i < s->n_vf; i++) {
		json_object_begin(j, NULL);
		json_uint(j, "index", i);
		json_string(j, "address", s->vf[i].address);
		json_string(j, "driver", s->vf[i].driver[0] ? s->vf[i].driver : NULL);
		json_string(j, "driver_override", s->vf[i].override[0] ? s->vf[i].override : NULL);
		json_int_or_null(j, "group", s->vf[i].group, s->vf[i].group >= 0);
		json_object_end(j);
	}
	json_array_end(j);
}

/* The PF's canonical address; false after reporting (a VF names its PF). */
static bool resolve_pf(const char *text, char address[PCI_ADDR_STRLEN], struct pci_sriov *s)
{
	char why[256], path[PATH_MAX], pf[PCI_ADDR_STRLEN + 8];
	struct pci_addr addr;
	struct stat st;

	if (!pci_addr_parse(text, &addr, why, sizeof(why))) {
		vt_error(text, "invalid PCI address", "%s", why);
		return false;
	}
	pci_addr_format(&addr, address);
	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s", address) || stat(path, &st) != 0) {
		vt_error(address, "no such PCI device", "see 'vfio-admin list'");
		return false;
	}
	if (pci_sriov_read(address, s))
		return true;
	if (pci_sriov_physfn(address, pf, sizeof(pf)))
		vt_error(address, "not an SR-IOV PF", "it is a VF of %s: name the PF", pf);
	else
		vt_error(address, "not an SR-IOV PF", "it has no SR-IOV capability (no sriov_totalvfs in sysfs)");
	return false;
}

static bool parse_options(struct sriov_options *o, const struct pci_sriov *s)
{
	char *end;
	unsigned long v;

	o->want_autoprobe = -1;
	o->timeout_ms = BIND_TIMEOUT_DEFAULT_S * 1000;
	if (o->timeout && !binding_parse_timeout(o->timeout, &o->timeout_ms))
		return false;
	if (o->autoprobe) {
		if (strcmp(o->autoprobe, "on") == 0 || strcmp(o->autoprobe, "1") == 0)
			o->want_autoprobe = 1;
		else if (strcmp(o->autoprobe, "off") == 0 || strcmp(o->autoprobe, "0") == 0)
			o->want_autoprobe = 0;
		else {
			vt_error(o->autoprobe, "invalid --autoprobe", "expected on or off");
			return false;
		}
	}
	if (o->numvfs) {
		v = strtoul(o->numvfs, &end, 10);
		if (!*o->numvfs || *end || o->numvfs[0] == '-' || v > s->total) {
			vt_error(o->numvfs, "invalid --numvfs", "expected a count from 0 to %u (sriov_totalvfs of %s)",
				 s->total, s->address);
			return false;
		}
		o->want_num = (unsigned)v;
	}
	if (o->vf_token && (o->numvfs || o->autoprobe)) {
		vt_error("sriov", "--vf-token goes alone", "set the count first, then the token, in two commands");
		return false;
	}
	return true;
}

/* VFs that are going away must not be in use: a VFIO user would hang the removal. */
static bool vfs_free(const struct pci_sriov *s, bool force)
{
	struct pci_device_list devices;
	struct pci_device *d;
	struct pci_addr addr;
	char why[8];
	bool ok = true;
	size_t i;

	if (!pci_device_list_load_ids(&devices))
		return false;
	for (i = 0; i < s->n_vf; i++)
		if (pci_addr_parse(s->vf[i].address, &addr, why, sizeof(why)) &&
		    (d = pci_device_list_find(&devices, &addr)) && d->driver)
			ok &= binding_check_in_use(d, force);
	pci_device_list_free(&devices);
	return ok;
}

struct vf_count {
	const char *address;
	unsigned want;
};

static bool vfs_present(void *arg)
{
	const struct vf_count *c = arg;
	char path[PATH_MAX];

	return c->want == 0 || (sysfs_path(path, sizeof(path), "bus/pci/devices/%s/virtfn%u", c->address, c->want - 1) &&
				access(path, F_OK) == 0);
}

/* Puts the old count and autoprobe back after a failure, and says what it restored. */
static void roll_back(const struct pci_sriov *old, bool autoprobe_changed, const char *failure)
{
	char why[512], restored[256] = "";
	size_t off = 0;
	struct pci_sriov now;
	unsigned cur = old->num;

	if (pci_sriov_read(old->address, &now)) {
		cur = now.num;
		pci_sriov_free(&now);
	}
	if (cur != old->num) {
		if ((cur == 0 || pci_sriov_write_numvfs(old->address, 0, old->driver, why, sizeof(why)) == 0) &&
		    (old->num == 0 || pci_sriov_write_numvfs(old->address, old->num, old->driver, why, sizeof(why)) == 0))
			off += (size_t)snprintf(restored + off, sizeof(restored) - off, "sriov_numvfs %u", old->num);
		else
			off += (size_t)snprintf(restored + off, sizeof(restored) - off,
						"NOT sriov_numvfs %u (%s)", old->num, why);
	}
	if (autoprobe_changed && off < sizeof(restored)) {
		bool done = pci_sriov_write_autoprobe(old->address, old->autoprobe == 1, why, sizeof(why)) == 0;

		off += (size_t)snprintf(restored + off, sizeof(restored) - off, "%s%sautoprobe %s", off ? ", " : "",
					done ? "" : "NOT ", old->autoprobe == 1 ? "on" : "off");
	}
	vt_error(old->address, "SR-IOV change failed", "%s; restored: %s", failure, off ? restored : "nothing to restore");
}

static bool still_as(const struct pci_sriov *old)
{
	struct pci_sriov now;
	bool same;

	if (!pci_sriov_read(old->address, &now))
		return false;
	same = now.num == old->num && now.autoprobe == old->autoprobe;
	pci_sriov_free(&now);
	return same;
}

/* Drops the bind records of VFs that are gone: a recreated VF probes afresh. */
static void forget_vf_records(const struct pci_sriov *old)
{
	struct bind_record r;
	size_t i;

	for (i = 0; i < old->n_vf; i++)
		if (bind_state_load(old->vf[i].address, &r) == 1) {
			bind_state_forget(old->vf[i].address);
			fprintf(steps, "%s: VF removed: its bind record dropped\n", old->vf[i].address);
		}
}

/* Records the PF's state unless it has a record; *created says whether this made it. */
static bool record(const struct pci_sriov *s, bool *created)
{
	struct sriov_record r = { .numvfs = s->num, .autoprobe = s->autoprobe != 0 }, old;
	int err;

	snprintf(r.address, sizeof(r.address), "%s", s->address);
	*created = sriov_state_load(s->address, &old) == 0;
	err = sriov_state_record(&r);
	if (err == 0)
		return true;
	vt_error(bind_state_dir(), "cannot record the PF's SR-IOV state", "%s", strerror(-err));
	return false;
}

/* The steps of --numvfs/--autoprobe; 0, 1 after a failure that was rolled back. */
static int change(const struct pci_sriov *s, const struct sriov_options *o)
{
	bool autoprobe_changes = o->want_autoprobe >= 0 && o->want_autoprobe != s->autoprobe;
	bool count_changes = o->numvfs && o->want_num != s->num;
	struct vf_count c = { s->address, o->want_num };
	char why[512];
	bool created;
	int rc = 1;

	if (autoprobe_changes)
		fprintf(steps, "%s: sriov_drivers_autoprobe %s -> %s\n", s->address, s->autoprobe ? "on" : "off",
		       o->want_autoprobe ? "on" : "off");
	if (count_changes && s->num && o->want_num)
		fprintf(steps, "%s: sriov_numvfs %u -> 0 -> %u\n", s->address, s->num, o->want_num);
	else if (count_changes)
		fprintf(steps, "%s: sriov_numvfs %u -> %u\n", s->address, s->num, o->want_num);
	if (!autoprobe_changes && !count_changes) {
		fprintf(steps, "%s: already as asked (nothing to do)\n", s->address);
		return 0;
	}
	if (o->dry_run)
		return 0;
	if (count_changes && s->num && !vfs_free(s, o->force))
		return 1;
	if (!record(s, &created))
		return 2;
	if (autoprobe_changes && pci_sriov_write_autoprobe(s->address, o->want_autoprobe, why, sizeof(why)) < 0) {
		roll_back(s, false, why);
		goto failed;
	}
	if (count_changes && s->num && pci_sriov_write_numvfs(s->address, 0, s->driver, why, sizeof(why)) < 0) {
		roll_back(s, autoprobe_changes, why);
		goto failed;
	}
	if (count_changes && s->num)
		forget_vf_records(s);
	if (count_changes && o->want_num &&
	    pci_sriov_write_numvfs(s->address, o->want_num, s->driver, why, sizeof(why)) < 0) {
		roll_back(s, autoprobe_changes, why);
		goto failed;
	}
	if (count_changes && !wait_until(vfs_present, &c, o->timeout_ms)) {
		snprintf(why, sizeof(why), "virtfn%u did not appear within %u ms", o->want_num - 1, o->timeout_ms);
		roll_back(s, autoprobe_changes, why);
		goto failed;
	}
	return 0;
failed:
	/* rolled back to what this command found: a record it made has nothing to undo */
	if (created && still_as(s))
		sriov_state_forget(s->address);
	return rc;
}

/* --vf-token: the PF opened through VFIO, the token set on it, the PF closed again. */
static int set_token(const struct pci_sriov *s, const char *text)
{
	uint8_t uuid[16];
	char canonical[VF_TOKEN_STRLEN], why[512];
	struct vfio_dev d;
	int r;

	if (!vf_token_parse(text, uuid, canonical)) {
		vt_error(text, "invalid VF token", "expected a UUID: 8-4-4-4-12 hex digits");
		return 2;
	}
	if (!token_applies(s)) {
		vt_error(s->address, "no VF token to set", "the PF is on %s: only vfio-pci keeps one; bind it with "
			 "'vfio-admin bind %s' (and load vfio-pci with enable_sriov=1 to create VFs under it)",
			 s->driver[0] ? s->driver : "no driver", s->address);
		return 1;
	}
	if (!vfio_open_device(s->address, VFIO_BACKEND_AUTO, &d))
		return 1;
	r = vf_token_set(d.device, uuid, why, sizeof(why));
	vfio_dev_close(&d);
	if (r < 0) {
		vt_error(s->address, "cannot set the VF token", "%s", why);
		return 1;
	}
	fprintf(steps, "%s: VF token set to %s (vfio-pci keeps it until the PF leaves vfio-pci)\n", s->address, canonical);
	return 0;
}

static void show(const char *address, bool json)
{
	struct pci_sriov s;
	struct json j;

	if (!pci_sriov_read(address, &s))
		return;
	if (json) {
		json_document_begin(&j, stdout);
		sriov_json(&j, &s);
		json_document_end(&j);
	} else {
		sriov_print_text(&s);
	}
	pci_sriov_free(&s);
}

static bool parse_command_line(int argc, const char **argv, const struct poptOption *table, char **pf)
{
	poptContext ctx = poptGetContext(cli_command_path(), argc, argv, table, 0);
	const char *arg;
	bool ok = true;
	int val;

	poptSetOtherOptionHelp(ctx, "[OPTION...] PF");
	while (ok && (val = cli_next_option(ctx)) != 0)
		ok = val > 0;
	while (ok && (arg = poptGetArg(ctx))) {
		if (*pf) {
			vt_error(arg, "unexpected argument", "one PF at a time: usage: %s PF", cli_command_path());
			ok = false;
		} else {
			*pf = vt_xstrdup(arg);
		}
	}
	if (ok && !*pf) {
		vt_error(cli_command_path(), "missing argument", "usage: %s [OPTION...] PF", cli_command_path());
		ok = false;
	}
	poptFreeContext(ctx);
	return ok;
}

int cmd_sriov(int argc, const char **argv)
{
	struct sriov_options o = { 0 };
	struct pci_sriov s = { 0 };
	char address[PCI_ADDR_STRLEN], *pf = NULL, why[512];
	int rc = 2, lock = -1;
	bool changing;
	const struct poptOption table[] = {
		{ "numvfs", 'N', POPT_ARG_STRING, &o.numvfs, 0, "Enable this many VFs (0 removes them)", "N" },
		{ "autoprobe", '\0', POPT_ARG_STRING, &o.autoprobe, 0, "Whether new VFs probe for a driver", "on|off" },
		{ "vf-token", '\0', POPT_ARG_STRING, &o.vf_token, 0, "Set the VF token of a PF on vfio-pci", "UUID" },
		{ "dry-run", 'n', POPT_ARG_NONE, &o.dry_run, 0, "Print what would change and stop", NULL },
		{ "force", 'f', POPT_ARG_NONE, &o.force, 0, "Remove VFs the host is using (says what it overrides)", NULL },
		{ "timeout", 't', POPT_ARG_STRING, &o.timeout, 0, "Seconds to wait for the VFs to appear (default 10)",
		  "SECONDS" },
		{ "json", 'J', POPT_ARG_NONE, &o.json, 0, "JSON output (keys in vfio-tools(7))", NULL },
		CLI_HELP_OPTION,
		POPT_TABLEEND
	};

	steps = stdout;
	if (!parse_command_line(argc, argv, table, &pf) || !resolve_pf(pf, address, &s) || !parse_options(&o, &s))
		goto out;
	changing = o.numvfs || o.autoprobe;
	steps = o.json ? stderr : stdout;
	if ((changing || o.vf_token) && !o.dry_run && geteuid() != 0) {
		vt_error("permission denied", "changing SR-IOV needs root", "run it as root (--dry-run does not)");
		goto out;
	}
	if (o.vf_token) {
		rc = set_token(&s, o.vf_token);
		if (rc == 0)
			show(address, o.json);
		goto out;
	}
	if (changing && !o.dry_run && (lock = bind_state_lock(why, sizeof(why))) < 0) {
		vt_error(bind_state_dir(), "cannot take the lock", "%s", why);
		goto out;
	}
	rc = changing ? change(&s, &o) : 0;
	if (rc == 0 && !o.dry_run)
		show(address, o.json);
	else if (rc == 0 && o.json)
		show(address, true);
out:
	bind_state_unlock(lock);
	pci_sriov_free(&s);
	free(pf);
	free(o.numvfs);
	free(o.autoprobe);
	free(o.vf_token);
	free(o.timeout);
	return rc;
}

bool sriov_apply_numvfs(const char *address, int numvfs)
{
	struct vf_count c = { address, (unsigned)numvfs };
	struct pci_sriov s;
	char why[512];
	bool ok = true;

	if (numvfs < 0)
		return true;
	if (!pci_sriov_read(address, &s)) {
		vt_error(address, "numvfs not applied", "not an SR-IOV PF (no sriov_totalvfs)");
		return false;
	}
	if (s.num != (unsigned)numvfs) {
		if ((s.num && pci_sriov_write_numvfs(address, 0, s.driver, why, sizeof(why)) < 0) ||
		    (numvfs && pci_sriov_write_numvfs(address, (unsigned)numvfs, s.driver, why, sizeof(why)) < 0) ||
		    (numvfs && !wait_until(vfs_present, &c, BIND_TIMEOUT_DEFAULT_S * 1000) &&
		     vt_why(ETIMEDOUT, why, sizeof(why), "virtfn%d did not appear", numvfs - 1) < 0)) {
			vt_error(address, "numvfs not applied", "%s", why);
			ok = false;
		} else {
			printf("%s: sriov_numvfs %u -> %d (persisted)\n", address, s.num, numvfs);
		}
	}
	pci_sriov_free(&s);
	return ok;
}
