#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/tar_write.h"

#define BLOCK 512

/* The ustar header's fields and their offsets (POSIX.1-2001, pax). */
enum {
	F_NAME = 0, F_MODE = 100, F_UID = 108, F_GID = 116, F_SIZE = 124, F_MTIME = 136,
	F_CHKSUM = 148, F_TYPE = 156, F_LINKNAME = 157, F_MAGIC = 257, F_VERSION = 263,
	F_UNAME = 265, F_GNAME = 297, F_PREFIX = 345,
	NAME_LEN = 100, LINKNAME_LEN = 100, PREFIX_LEN = 155,
};

/* Largest value of an 11-digit octal field (size, mtime): 8 GiB - 1. */
#define OCTAL11_MAX 077777777777ULL

void tar_writer_init(struct tar_writer *w, FILE *f, time_t mtime)
{
	w->f = f;
	w->mtime = mtime;
	w->failed = false;
}

static void put_octal(unsigned char *h, size_t off, size_t width, unsigned long long v)
{
	char tmp[24];

	/* width - 1 digits and a NUL, as GNU tar writes them */
	snprintf(tmp, sizeof(tmp), "%0*llo", (int)(width - 1), v);
	memcpy(h + off, tmp, width);
}

/* Bytes into a header field: ustar's text fields need no NUL when full. */
static void put_bytes(unsigned char *h, size_t off, const void *s, size_t n)
{
	memcpy(h + off, s, n);
}

static bool write_all(struct tar_writer *w, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, w->f) != n)
		w->failed = true;
	return !w->failed;
}

static bool write_padded(struct tar_writer *w, const void *data, size_t len)
{
	static const unsigned char zero[BLOCK];

	if (!write_all(w, data, len))
		return false;
	return write_all(w, zero, (BLOCK - len % BLOCK) % BLOCK);
}

/* Splits name into ustar's prefix and name fields; false if it cannot be split to fit. */
static bool split_name(const char *name, size_t len, size_t *cut)
{
	size_t i;

	if (len <= NAME_LEN) {
		*cut = 0;
		return true;
	}
	for (i = len - 1 < PREFIX_LEN ? len - 1 : PREFIX_LEN; i > 0; i--)
		if (name[i] == '/') {
			if (len - i - 1 > NAME_LEN || len - i - 1 == 0)
				return false;
			*cut = i + 1;
			return true;
		}
	return false;
}

static size_t decimal_digits(size_t n)
{
	size_t d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* Appends "LEN key=value\n" to buf (room for it checked by the caller); its length. */
static size_t pax_record(char *buf, const char *key, const char *value)
{
	size_t body = 1 + strlen(key) + 1 + strlen(value) + 1, len = body + 1;

	/* LEN counts its own digits: find the fixed point */
	while (body + decimal_digits(len) != len)
		len = body + decimal_digits(len);
	return (size_t)sprintf(buf, "%zu %s=%s\n", len, key, value);
}

static bool write_header(struct tar_writer *w, const char *name, char type, unsigned mode,
			 unsigned long long size, const char *linkname)
{
	unsigned char h[BLOCK] = { 0 };
	size_t len = strlen(name), cut = 0, i;
	unsigned sum = 0;

	if (!split_name(name, len, &cut)) {
		cut = 0;	/* a pax path= record before this header has the whole name */
		len = len > NAME_LEN ? NAME_LEN : len;
	}
	if (cut) {
		put_bytes(h, F_PREFIX, name, cut - 1);
		put_bytes(h, F_NAME, name + cut, len - cut);
	} else {
		put_bytes(h, F_NAME, name, len);
	}
	put_octal(h, F_MODE, 8, mode & 07777);
	put_octal(h, F_UID, 8, 0);
	put_octal(h, F_GID, 8, 0);
	put_octal(h, F_SIZE, 12, size);
	put_octal(h, F_MTIME, 12, w->mtime > 0 && (unsigned long long)w->mtime <= OCTAL11_MAX ?
		  (unsigned long long)w->mtime : 0);
	h[F_TYPE] = (unsigned char)type;
	if (linkname)
		put_bytes(h, F_LINKNAME, linkname, strnlen(linkname, LINKNAME_LEN));
	put_bytes(h, F_MAGIC, "ustar", 6);
	put_bytes(h, F_VERSION, "00", 2);
	put_bytes(h, F_UNAME, "root", 5);
	put_bytes(h, F_GNAME, "root", 5);
	memset(h + F_CHKSUM, ' ', 8);
	for (i = 0; i < BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + F_CHKSUM, 8, "%06o", sum);	/* six digits, NUL, and the space left */
	return write_all(w, h, BLOCK);
}

/* The entry's header, preceded by a pax header when its name or target needs one. */
static bool add_entry(struct tar_writer *w, const char *name, char type, unsigned mode,
		      unsigned long long size, const char *target)
{
	size_t len = strlen(name), cut, tlen = target ? strlen(target) : 0;
	bool long_name = !split_name(name, len, &cut), long_target = tlen > LINKNAME_LEN;

	if (w->failed || len == 0 || size > OCTAL11_MAX) {
		w->failed = true;
		return false;
	}
	if (long_name || long_target) {
		/* two records, each "LEN key=value\n" with LEN at most 20 digits */
		char *pax = malloc(len + tlen + 2 * 40);
		size_t n = 0;
		bool ok;

		if (!pax) {
			w->failed = true;
			return false;
		}
		if (long_name)
			n += pax_record(pax + n, "path", name);
		if (long_target)
			n += pax_record(pax + n, "linkpath", target);
		ok = write_header(w, "././@PaxHeader", 'x', 0644, n, NULL) && write_padded(w, pax, n);
		free(pax);
		if (!ok)
			return false;
	}
	return write_header(w, name, type, mode, size, target);
}

/* name without trailing slashes, then one more when dir */
static char *entry_name(const char *name, bool dir)
{
	size_t len = strlen(name);
	char *s;

	while (len > 1 && name[len - 1] == '/')
		len--;
	s = malloc(len + 2);
	if (!s)
		return NULL;
	memcpy(s, name, len);
	if (dir && len)
		s[len++] = '/';
	s[len] = '\0';
	return s;
}

bool tar_add_dir(struct tar_writer *w, const char *name, unsigned mode)
{
	char *n = entry_name(name, true);
	bool ok = n && add_entry(w, n, '5', mode, 0, NULL);

	free(n);
	if (!ok)
		w->failed = true;
	return ok;
}

bool tar_add_file(struct tar_writer *w, const char *name, unsigned mode, const void *data, size_t len)
{
	char *n = entry_name(name, false);
	bool ok = n && add_entry(w, n, '0', mode, len, NULL) && write_padded(w, data, len);

	free(n);
	if (!ok)
		w->failed = true;
	return ok;
}

bool tar_add_symlink(struct tar_writer *w, const char *name, const char *target)
{
	char *n = entry_name(name, false);
	bool ok = n && *target && add_entry(w, n, '2', 0777, 0, target);

	free(n);
	if (!ok)
		w->failed = true;
	return ok;
}

bool tar_finish(struct tar_writer *w)
{
	static const unsigned char zero[2 * BLOCK];

	write_all(w, zero, sizeof(zero));
	if (fflush(w->f) != 0)
		w->failed = true;
	return !w->failed;
}
