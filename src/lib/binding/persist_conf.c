#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binding/persist_conf.h"
#include "util/atomic_file.h"
#include "util/report.h"
#include "util/sysfs.h"

#define MAX_CONF_BYTES (1 << 20)

const char *persist_conf_path(void)
{
	static char path[PATH_MAX];

	if (!etc_path(path, sizeof(path), "vfio-tools/persist.conf"))
		snprintf(path, sizeof(path), "/etc/vfio-tools/persist.conf");
	return path;
}

static bool parse_hex16(const char *s, size_t len, uint16_t *out)
{
	unsigned v = 0;
	size_t i;

	if (len != 4)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return false;
		v = v << 4 | (unsigned)d;
	}
	*out = (uint16_t)v;
	return true;
}

bool persist_parse_device(const char *word, struct persist_entry *e, char *why, size_t whylen)
{
	const char *colon = strchr(word, ':');
	struct pci_addr addr;
	char reason[128];

	if (colon && !strchr(colon + 1, ':') && !strchr(word, '.')) {
		if (parse_hex16(word, (size_t)(colon - word), &e->vendor) &&
		    parse_hex16(colon + 1, strlen(colon + 1), &e->device)) {
			e->by_id = true;
			return true;
		}
		vt_why(EINVAL, why, whylen, "%s: not VENDOR:DEVICE (4 hex digits each)", word);
		return false;
	}
	if (!pci_addr_parse(word, &addr, reason, sizeof(reason))) {
		vt_why(EINVAL, why, whylen, "%s: not a PCI address or VENDOR:DEVICE: %s", word, reason);
		return false;
	}
	e->by_id = false;
	pci_addr_format(&addr, e->address);
	return true;
}

static bool valid_driver(const char *s)
{
	if (!*s || strlen(s) >= 64)
		return false;
	for (; *s; s++)
		if (!(*s == '-' || *s == '_' || (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

static bool valid_owner(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= 128 || s[0] == ':' || s[n - 1] == ':' || strchr(s, ':') != strrchr(s, ':'))
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s == '=' || *s == '#' || *s == 0x7f)
			return false;
	return true;
}

static bool parse_option(const char *word, struct persist_entry *e, char *why, size_t whylen)
{
	if (strncmp(word, "driver=", 7) == 0) {
		if (valid_driver(word + 7)) {
			snprintf(e->driver, sizeof(e->driver), "%s", word + 7);
			return true;
		}
		vt_why(EINVAL, why, whylen, "%s: not a driver name", word);
		return false;
	}
	if (strncmp(word, "owner=", 6) == 0) {
		if (valid_owner(word + 6)) {
			snprintf(e->owner, sizeof(e->owner), "%s", word + 6);
			return true;
		}
		vt_why(EINVAL, why, whylen, "%s: not USER or USER:GROUP", word);
		return false;
	}
	if (strncmp(word, "numvfs=", 7) == 0) {
		char *end;
		long v = strtol(word + 7, &end, 10);

		if (word[7] >= '0' && word[7] <= '9' && !*end && v <= 65535) {
			e->numvfs = (int)v;
			return true;
		}
		vt_why(EINVAL, why, whylen, "%s: not a VF count (0 to 65535)", word);
		return false;
	}
	vt_why(EINVAL, why, whylen, "%s: unknown option (driver=NAME, owner=USER[:GROUP], numvfs=N)", word);
	return false;
}

bool persist_parse_line(const char *line, struct persist_entry *e, char *why, size_t whylen)
{
	char copy[512], *word, *save = NULL;
	bool first = true;

	memset(e, 0, sizeof(*e));
	snprintf(e->driver, sizeof(e->driver), "vfio-pci");
	e->numvfs = -1;
	if (strlen(line) >= sizeof(copy)) {
		vt_why(EINVAL, why, whylen, "line too long");
		return false;
	}
	snprintf(copy, sizeof(copy), "%s", line);
	for (word = strtok_r(copy, " \t\r", &save); word; word = strtok_r(NULL, " \t\r", &save), first = false)
		if (first ? !persist_parse_device(word, e, why, whylen) : !parse_option(word, e, why, whylen))
			return false;
	if (first) {
		vt_why(EINVAL, why, whylen, "no device");
		return false;
	}
	return true;
}

static void add_error(struct persist_conf *c, const char *file, unsigned line, const char *why)
{
	c->errors = vt_xappend(c->errors, c->n_errors, sizeof(*c->errors));
	c->errors[c->n_errors] = vt_xmalloc(strlen(file) + strlen(why) + 16);
	sprintf(c->errors[c->n_errors++], "%s:%u: %s", file, line, why);
}

void persist_conf_parse(struct persist_conf *c, const char *file, const char *text)
{
	const char *p = text, *nl;
	char line[4096], why[256];
	unsigned lineno = 0;
	struct persist_entry e;
	size_t len;

	memset(c, 0, sizeof(*c));
	for (; *p; p = nl ? nl + 1 : p + len) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
		snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) - 1 ? len : sizeof(line) - 1), p);
		line[strcspn(line, "#")] = '\0';
		if (line[strspn(line, " \t\r")] == '\0')
			continue;
		if (len >= sizeof(line) - 1 || !persist_parse_line(line, &e, why, sizeof(why))) {
			add_error(c, file, lineno, len >= sizeof(line) - 1 ? "line too long" : why);
			continue;
		}
		c->e = vt_xappend(c->e, c->n, sizeof(*c->e));
		c->e[c->n++] = e;
		if (!nl)
			break;
	}
}

bool persist_conf_load(struct persist_conf *c, char *why, size_t whylen)
{
	const char *path = persist_conf_path();
	char *text;

	memset(c, 0, sizeof(*c));
	text = read_text_file(path, MAX_CONF_BYTES);
	if (!text) {
		if (errno == ENOENT)
			return true;
		vt_why_errno(errno, why, whylen, "%s", path);
		return false;
	}
	persist_conf_parse(c, path, text);
	free(text);
	return true;
}

const char *persist_device_word(const struct persist_entry *e, char *buf, size_t len)
{
	if (e->by_id)
		snprintf(buf, len, "%04x:%04x", e->vendor, e->device);
	else
		snprintf(buf, len, "%s", e->address);
	return buf;
}

int persist_conf_save(const struct persist_conf *c, char *why, size_t whylen)
{
	char *text = NULL, dev[32];
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);
	int r;

	if (!f)
		return vt_why_errno(errno, why, whylen, "%s", persist_conf_path());
	fprintf(f, "# vfio-tools: devices bound at boot and on hot-plug (vfio-admin persist; see vfio-admin(8)).\n"
		   "# DEVICE [driver=NAME] [owner=USER[:GROUP]] [numvfs=N]   DEVICE: an address or VENDOR:DEVICE\n");
	for (i = 0; i < c->n; i++) {
		fprintf(f, "%s driver=%s", persist_device_word(&c->e[i], dev, sizeof(dev)), c->e[i].driver);
		if (c->e[i].owner[0])
			fprintf(f, " owner=%s", c->e[i].owner);
		if (c->e[i].numvfs >= 0)
			fprintf(f, " numvfs=%d", c->e[i].numvfs);
		fputc('\n', f);
	}
	fclose(f);
	r = atomic_file_replace(persist_conf_path(), text, len, 0644, why, whylen);
	free(text);
	return r;
}

void persist_conf_free(struct persist_conf *c)
{
	size_t i;

	for (i = 0; i < c->n_errors; i++)
		free(c->errors[i]);
	free(c->errors);
	free(c->e);
	memset(c, 0, sizeof(*c));
}

bool persist_same_device(const struct persist_entry *a, const struct persist_entry *b)
{
	if (a->by_id != b->by_id)
		return false;
	return a->by_id ? a->vendor == b->vendor && a->device == b->device : strcmp(a->address, b->address) == 0;
}

const struct persist_entry *persist_conf_match(const struct persist_conf *c, const char *address,
					       uint16_t vendor, uint16_t device)
{
	const struct persist_entry *by_id = NULL;
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (!c->e[i].by_id && strcmp(c->e[i].address, address) == 0)
			return &c->e[i];
		if (c->e[i].by_id && c->e[i].vendor == vendor && c->e[i].device == device && !by_id)
			by_id = &c->e[i];
	}
	return by_id;
}
