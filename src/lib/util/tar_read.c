#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/tar_read.h"

#define BLOCK 512
/* pax headers hold a few records (GNU tar adds times); anything bigger is not ours */
#define PAX_MAX (1u << 20)

enum {
	F_NAME = 0, F_MODE = 100, F_UID = 108, F_GID = 116, F_SIZE = 124, F_MTIME = 136,
	F_CHKSUM = 148, F_TYPE = 156, F_LINKNAME = 157, F_MAGIC = 257, F_PREFIX = 345,
	NAME_LEN = 100, LINKNAME_LEN = 100, PREFIX_LEN = 155,
};

struct parser {
	const unsigned char *buf;
	size_t len, off;
	size_t index;			/* the entry being read, from 1; a pax header counts with its entry */
	const char *shown;		/* its name as the archive has it, for why */
	size_t shown_len;
	bool pax;			/* a pax header applies to the next entry */
	const char *pax_path, *pax_link;	/* inside buf, not NUL-terminated; NULL: not given */
	size_t pax_path_len, pax_link_len;
	char raw[PREFIX_LEN + 1 + NAME_LEN + 1];	/* prefix/name joined */
	char name[PATH_MAX];
	char target[PATH_MAX];
	char *why;
	size_t whylen;
};

static bool fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* s (len bytes) for a message: anything unprintable as '?', cut at 80 bytes with "..." */
static void show_name(char out[84], const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < 80; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f)
			out[i] = s[i];
		else
			out[i] = '?';
	}
	strcpy(out + i, len > 80 ? "..." : "");
}

/* "entry N (NAME): what", or "entry N at byte OFF: what" before its name is known */
static bool fail(struct parser *p, const char *fmt, ...)
{
	char shown[84];
	size_t used;
	va_list ap;

	if (!p->why || !p->whylen)
		return false;
	if (p->shown_len) {
		show_name(shown, p->shown, p->shown_len);
		snprintf(p->why, p->whylen, "entry %zu (%s): ", p->index, shown);
	} else {
		snprintf(p->why, p->whylen, "entry %zu at byte %zu: ", p->index, p->off);
	}
	used = strlen(p->why);
	va_start(ap, fmt);
	if (used < p->whylen)
		vsnprintf(p->why + used, p->whylen - used, fmt, ap);
	va_end(ap);
	return false;
}

static bool all_zero(const unsigned char *b, size_t n)
{
	while (n--)
		if (*b++)
			return false;
	return true;
}

/*
 * A numeric field: optional leading spaces, octal digits, then only NULs or spaces to its
 * end. empty_ok: a field of only NULs/spaces reads as 0 (some writers leave uid empty).
 */
static bool parse_octal(const unsigned char *f, size_t width, bool empty_ok, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i = 0, digits = 0;

	while (i < width && f[i] == ' ')
		i++;
	for (; i < width && f[i] >= '0' && f[i] <= '7'; i++, digits++) {
		if (v > ULLONG_MAX >> 3)
			return false;
		v = v << 3 | (unsigned)(f[i] - '0');
	}
	for (; i < width; i++)
		if (f[i] != '\0' && f[i] != ' ')
			return false;
	if (!digits && !empty_ok)
		return false;
	*out = v;
	return true;
}

static bool checksum_ok(const unsigned char *h)
{
	unsigned long long want;
	unsigned long sum = 0;
	size_t i;

	if (!parse_octal(h + F_CHKSUM, 8, false, &want))
		return false;
	for (i = 0; i < BLOCK; i++)
		sum += i >= F_CHKSUM && i < F_CHKSUM + 8 ? ' ' : h[i];
	return sum == want;
}

/* "LEN key=value\n" records, each LEN bytes long; keeps path= and linkpath=. */
static bool parse_pax(struct parser *p, const unsigned char *d, size_t size)
{
	size_t pos = 0;

	while (pos < size) {
		size_t start = pos, rlen = 0, klen;
		const unsigned char *kv, *eq;

		for (; pos < size && d[pos] >= '0' && d[pos] <= '9'; pos++) {
			rlen = rlen * 10 + (size_t)(d[pos] - '0');
			if (rlen > size)
				return fail(p, "pax header: record at byte %zu longer than the header", start);
		}
		if (pos == start || (pos > start + 1 && d[start] == '0'))
			return fail(p, "pax header: record at byte %zu has no length", start);
		if (pos == size || d[pos] != ' ')
			return fail(p, "pax header: record at byte %zu: no space after its length", start);
		if (rlen > size - start || start + rlen <= pos + 1)
			return fail(p, "pax header: record at byte %zu: length %zu does not fit", start, rlen);
		if (d[start + rlen - 1] != '\n')
			return fail(p, "pax header: record at byte %zu does not end with a newline", start);
		kv = d + pos + 1;
		klen = start + rlen - 1 - (pos + 1);
		eq = memchr(kv, '=', klen);
		if (!eq || eq == kv)
			return fail(p, "pax header: record at byte %zu is not key=value", start);
		if (eq - kv == 4 && memcmp(kv, "path", 4) == 0) {
			p->pax_path = (const char *)eq + 1;
			p->pax_path_len = (size_t)(kv + klen - (eq + 1));
		} else if (eq - kv == 8 && memcmp(kv, "linkpath", 8) == 0) {
			p->pax_link = (const char *)eq + 1;
			p->pax_link_len = (size_t)(kv + klen - (eq + 1));
		}
		pos = start + rlen;
	}
	return true;
}

/* What a path's component is: s[*i..*end) with *i at its start, *end at the '/' or the end. */
enum component { C_NAME, C_SKIP, C_UP };

static enum component component(const char *s, size_t len, size_t i, size_t *end)
{
	size_t j = i;

	while (j < len && s[j] != '/')
		j++;
	*end = j;
	if (j - i == 2 && s[i] == '.' && s[i + 1] == '.')
		return C_UP;
	return j == i || (j - i == 1 && s[i] == '.') ? C_SKIP : C_NAME;
}

/* What every name and target must be: not empty, no NUL, relative. */
static bool check_path(struct parser *p, const char *s, size_t len, const char *what)
{
	if (len == 0)
		return fail(p, "empty %s", what);
	if (memchr(s, '\0', len))
		return fail(p, "%s contains a NUL byte", what);
	if (s[0] == '/')
		return fail(p, "absolute %s", what);
	return true;
}

/* Normalises raw into p->name: no "." or empty components, dir with a trailing '/'; "" is the root. */
static bool normalise(struct parser *p, const char *raw, size_t len, bool dir)
{
	size_t i, j, o = 0;

	if (!check_path(p, raw, len, "name"))
		return false;
	for (i = 0; i < len; i = j + 1) {
		enum component c = component(raw, len, i, &j);

		if (c == C_UP)
			return fail(p, "name has a '..' component");
		if (c == C_SKIP)
			continue;
		/* the component, a '/' before it, a '/' after (dirs) and the NUL */
		if (o + 1 + (j - i) + 2 > sizeof(p->name))
			return fail(p, "name longer than PATH_MAX");
		if (o)
			p->name[o++] = '/';
		memcpy(p->name + o, raw + i, j - i);
		o += j - i;
	}
	if (dir && o)
		p->name[o++] = '/';
	p->name[o] = '\0';
	return true;
}

/*
 * A symlink's target: relative, and only ".." components before any name, no more of
 * them than the link's directory is deep. A ".." after a name is refused, for that name
 * could itself be a symlink ("x -> ." then "y -> x/..").
 */
static bool check_target(struct parser *p, const char *t, size_t len)
{
	size_t depth = 0, i, j;
	const char *s;
	bool named = false;

	for (s = p->name; *s; s++)
		depth += *s == '/';
	if (!check_path(p, t, len, "symlink target"))
		return false;
	if (len >= sizeof(p->target))
		return fail(p, "symlink target longer than PATH_MAX");
	for (i = 0; i < len; i = j + 1) {
		enum component c = component(t, len, i, &j);

		if (c == C_UP && named)
			return fail(p, "symlink target has '..' after a name");
		if (c == C_UP && depth == 0)
			return fail(p, "symlink target leaves the archive");
		if (c == C_UP)
			depth--;
		named |= c == C_NAME;
	}
	memcpy(p->target, t, len);
	p->target[len] = '\0';
	return true;
}

static bool refuse_type(struct parser *p, unsigned char type)
{
	switch (type) {
	case '1':
		return fail(p, "hard links are not supported");
	case '3':
	case '4':
		return fail(p, "device nodes are not supported");
	case '6':
		return fail(p, "FIFOs are not supported");
	case 'L':
	case 'K':
		return fail(p, "GNU long name headers are not supported (write pax: tar --format=pax)");
	default:
		if (type >= 0x20 && type < 0x7f)
			return fail(p, "entry type '%c' is not supported", type);
		return fail(p, "entry type 0x%02x is not supported", type);
	}
}

/* The entry at p->off, its header h already checked; its data is d (size bytes). */
static bool read_entry(struct parser *p, const unsigned char *h, const unsigned char *d,
		       size_t size, struct tar_entry *e)
{
	unsigned char type = h[F_TYPE];
	unsigned long long mode;

	e->type = type == '5' ? TAR_DIR : type == '2' ? TAR_SYMLINK : TAR_FILE;
	e->name = p->name;
	p->name[0] = '\0';
	if (!parse_octal(h + F_MODE, 8, false, &mode))
		return fail(p, "bad mode field");
	e->mode = (unsigned)(mode & 07777);
	if (e->type != TAR_FILE && size)
		return fail(p, "a %s with %zu bytes of data", e->type == TAR_DIR ? "directory" : "symlink", size);
	if (!normalise(p, p->shown, p->shown_len, e->type == TAR_DIR))
		return false;
	if (!p->name[0] && e->type != TAR_DIR)
		return fail(p, "empty name");
	e->target = NULL;
	if (e->type == TAR_SYMLINK) {
		const char *t = p->pax_link ? p->pax_link : (const char *)h + F_LINKNAME;
		size_t tlen = p->pax_link ? p->pax_link_len : strnlen(t, LINKNAME_LEN);

		if (!check_target(p, t, tlen))
			return false;
		e->target = p->target;
	}
	e->data = d;
	e->size = size;
	return true;
}

bool tar_parse(const void *buf, size_t len, const struct tar_limits *lim,
	       bool (*cb)(const struct tar_entry *e, void *arg), void *arg, char *why, size_t whylen)
{
	static const struct tar_limits defaults = TAR_LIMITS_DEFAULT;
	struct parser *p = calloc(1, sizeof(*p));
	size_t total = 0, entries = 0;
	bool ok = false;

	if (!p) {
		if (why && whylen)
			snprintf(why, whylen, "out of memory");
		return false;
	}
	if (!lim)
		lim = &defaults;
	if (len == 0) {
		free(p);
		return true;	/* an empty file: an archive without entries */
	}
	p->buf = buf;
	p->len = len;
	p->why = why;
	p->whylen = whylen;
	for (p->index = 1;; p->index++) {
		const unsigned char *h = p->buf + p->off, *d;
		unsigned long long size, num;
		size_t next, room, pad;
		struct tar_entry e;
		bool gnu;

		p->shown_len = 0;
		if (p->len - p->off < BLOCK || all_zero(h, BLOCK)) {
			/* the end: two zero blocks, one, or the buffer's end */
			if (!all_zero(h, p->len - p->off < BLOCK ? p->len - p->off : BLOCK))
				fail(p, "truncated header (%zu bytes)", p->len - p->off);
			else if (p->pax)
				fail(p, "the archive ends after a pax header");
			else
				ok = true;
			break;
		}
		p->shown = (const char *)h + F_NAME;
		p->shown_len = strnlen(p->shown, NAME_LEN);
		if (!checksum_ok(h)) {
			fail(p, "bad header checksum");
			break;
		}
		gnu = memcmp(h + F_MAGIC, "ustar  \0", 8) == 0;
		if (!gnu && memcmp(h + F_MAGIC, "ustar\0", 6) != 0) {
			fail(p, "not a ustar header (no \"ustar\" magic)");
			break;
		}
		if (!parse_octal(h + F_SIZE, 12, false, &size) || !parse_octal(h + F_UID, 8, true, &num) ||
		    !parse_octal(h + F_GID, 8, true, &num) || !parse_octal(h + F_MTIME, 12, true, &num)) {
			fail(p, "bad numeric field (size, uid, gid or mtime)");
			break;
		}
		room = p->len - p->off - BLOCK;
		if (size > room) {
			fail(p, "size %llu past the end of the archive (%zu bytes left)", size, room);
			break;
		}
		d = h + BLOCK;
		/* the last entry's padding may be missing: lenient at the end */
		next = p->off + BLOCK + (size_t)size;
		pad = (BLOCK - (size_t)size % BLOCK) % BLOCK;
		next = p->len - next >= pad ? next + pad : p->len;
		if (h[F_TYPE] == 'x') {
			if (p->pax) {
				fail(p, "two pax headers in a row");
				break;
			}
			if (size > PAX_MAX) {
				fail(p, "pax header of %llu bytes (at most %u)", size, PAX_MAX);
				break;
			}
			if (!parse_pax(p, d, (size_t)size))
				break;
			p->pax = true;
			p->off = next;
			p->index--;	/* it belongs to the next entry */
			continue;
		}
		if (h[F_TYPE] == 'g') {
			p->off = next;
			p->index--;
			continue;
		}
		if (!gnu && h[F_PREFIX]) {
			size_t plen = strnlen((const char *)h + F_PREFIX, PREFIX_LEN);

			memcpy(p->raw, h + F_PREFIX, plen);
			p->raw[plen] = '/';
			memcpy(p->raw + plen + 1, p->shown, p->shown_len);
			p->shown = p->raw;
			p->shown_len += plen + 1;
		}
		if (p->pax_path) {
			p->shown = p->pax_path;
			p->shown_len = p->pax_path_len;
		}
		if (h[F_TYPE] != '0' && h[F_TYPE] != '\0' && h[F_TYPE] != '5' && h[F_TYPE] != '2') {
			refuse_type(p, h[F_TYPE]);
			break;
		}
		if (++entries > lim->max_entries) {
			fail(p, "more than %zu entries", lim->max_entries);
			break;
		}
		if (size > lim->max_file_size) {
			fail(p, "%llu bytes, more than the limit of %zu for a file", size, lim->max_file_size);
			break;
		}
		if (size > lim->max_total_size - total) {
			fail(p, "files of more than %zu bytes in all", lim->max_total_size);
			break;
		}
		total += (size_t)size;
		if (!read_entry(p, h, d, (size_t)size, &e))
			break;
		if (e.name[0] && !cb(&e, arg)) {
			fail(p, "refused by the caller");
			break;
		}
		p->pax = false;
		p->pax_path = p->pax_link = NULL;
		p->off = next;
	}
	free(p);
	return ok;
}
