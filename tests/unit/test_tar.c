#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/tar_extract.h"
#include "util/tar_read.h"
#include "util/tar_write.h"
#include "tap.h"

/* What tar_parse handed over, copied. */
struct seen {
	size_t n;
	struct {
		enum tar_entry_type type;
		char name[PATH_MAX], target[PATH_MAX];
		unsigned mode;
		unsigned char *data;
		size_t size;
	} e[16];
};

static bool collect(const struct tar_entry *e, void *arg)
{
	struct seen *s = arg;

	if (s->n == 16)
		return false;
	s->e[s->n].type = e->type;
	snprintf(s->e[s->n].name, PATH_MAX, "%s", e->name);
	snprintf(s->e[s->n].target, PATH_MAX, "%s", e->target ? e->target : "");
	s->e[s->n].mode = e->mode;
	s->e[s->n].data = malloc(e->size + 1);
	memcpy(s->e[s->n].data, e->data, e->size);
	s->e[s->n].size = e->size;
	s->n++;
	return true;
}

static void seen_free(struct seen *s)
{
	while (s->n)
		free(s->e[--s->n].data);
}

static bool parse(const void *buf, size_t len, const struct tar_limits *lim, struct seen *s, char *why, size_t whylen)
{
	seen_free(s);
	why[0] = '\0';
	return tar_parse(buf, len, lim, collect, s, why, whylen);
}

/* A ustar header at h: name (no prefix), type, size, link target; then its checksum. */
static void header(unsigned char *h, const char *name, char type, unsigned long long size, const char *link)
{
	unsigned sum = 0;
	char num[24];
	int i;

	memset(h, 0, 512);
	memcpy(h, name, strnlen(name, 100));
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf(num, sizeof(num), "%011llo", size);
	memcpy(h + 124, num, 12);
	snprintf((char *)h + 136, 12, "%011o", 0);
	h[156] = (unsigned char)type;
	if (link)
		memcpy(h + 157, link, strnlen(link, 100));
	memcpy(h + 257, "ustar\0" "00", 8);
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

/* The checksum again, after a test changed a field. */
static void resum(unsigned char *h)
{
	unsigned sum = 0;
	int i;

	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

/* An archive in memory: call w's adders, then finish. */
struct mem_tar {
	char *buf;
	size_t len;
	FILE *f;
	struct tar_writer w;
};

static void mem_open(struct mem_tar *m)
{
	m->f = open_memstream(&m->buf, &m->len);
	tar_writer_init(&m->w, m->f, 1700000000);
}

static bool mem_close(struct mem_tar *m)
{
	bool ok = tar_finish(&m->w);

	fclose(m->f);
	return ok;
}

/* The archive into the file path; frees it. */
static void mem_save(struct mem_tar *m, const char *path)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fwrite(m->buf, 1, m->len, f);
		fclose(f);
	}
	free(m->buf);
}

static bool refused(const unsigned char *buf, size_t len, const struct tar_limits *lim, const char *want, const char *what)
{
	struct seen s = { 0 };
	char why[512];
	bool ok = !parse(buf, len, lim, &s, why, sizeof(why)) && strstr(why, want);

	tap_ok(ok, "tar_parse refuses %s: %s", what, why);
	seen_free(&s);
	return ok;
}

static void test_round_trip(void)
{
	char longname[400] = "sys/devices", longtarget[300] = "", split[200] = "sys/", why[512];
	unsigned char bin[1000];
	struct mem_tar m;
	struct seen s = { 0 };
	bool ok;
	size_t i;

	while (strlen(longname) < 300)
		strcat(longname, "/pci0000:00/0000:00:03.0");
	while (strlen(longtarget) < 150)
		strcat(longtarget, "sub/");
	strcat(longtarget, "f");
	for (i = strlen(split); i < 120; i++)
		split[i] = i % 20 ? 'a' : '/';
	strcat(split, "/tail");
	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)(i * 7);
	bin[10] = 0;

	mem_open(&m);
	ok = tar_add_dir(&m.w, "sys", 0755) && tar_add_file(&m.w, "sys/a", 0644, "hello\n", 6) &&
	     tar_add_file(&m.w, "sys/empty", 0600, NULL, 0) && tar_add_file(&m.w, "sys/bin", 0444, bin, sizeof(bin)) &&
	     tar_add_symlink(&m.w, "sys/l", "a") && tar_add_file(&m.w, longname, 0644, "x", 1) &&
	     tar_add_symlink(&m.w, "long", longtarget) && tar_add_dir(&m.w, split, 0700);
	ok = mem_close(&m) && ok;
	tap_ok(ok && m.len % 512 == 0, "tar writer: writes all entries (%zu bytes)", m.len);
	ok = parse(m.buf, m.len, NULL, &s, why, sizeof(why));
	tap_ok(ok && s.n == 8, "tar_parse reads the writer's archive back: %zu entries %s", s.n, why);
	if (s.n == 8) {
		tap_ok(s.e[0].type == TAR_DIR && strcmp(s.e[0].name, "sys/") == 0 && s.e[0].mode == 0755,
		       "tar round trip: a directory, with a trailing '/'");
		tap_ok(s.e[1].type == TAR_FILE && s.e[1].size == 6 && memcmp(s.e[1].data, "hello\n", 6) == 0,
		       "tar round trip: a file's data");
		tap_ok(s.e[2].size == 0 && s.e[2].mode == 0600, "tar round trip: an empty file");
		tap_ok(s.e[3].size == sizeof(bin) && memcmp(s.e[3].data, bin, sizeof(bin)) == 0 && s.e[3].mode == 0444,
		       "tar round trip: binary data with NULs");
		tap_ok(s.e[4].type == TAR_SYMLINK && strcmp(s.e[4].target, "a") == 0, "tar round trip: a symlink");
		tap_ok(strcmp(s.e[5].name, longname) == 0, "tar round trip: a %zu-byte name (pax path=)", strlen(longname));
		tap_ok(strcmp(s.e[6].target, longtarget) == 0, "tar round trip: a %zu-byte target (pax linkpath=)",
		       strlen(longtarget));
		tap_ok(strncmp(s.e[7].name, split, strlen(split)) == 0 && s.e[7].type == TAR_DIR,
		       "tar round trip: a name split into prefix and name");
	}
	tap_ok(memmem(m.buf, m.len, " path=", 6) && memmem(m.buf, m.len, " linkpath=", 10),
	       "tar writer: pax records for the long name and target");
	seen_free(&s);
	free(m.buf);
}

static void test_refusals(void)
{
	unsigned char a[512 * 8];
	struct tar_limits lim = { 2, 100, 150 };
	struct seen s = { 0 };
	char why[512];
	static const char *pax = "18 path=a/../../b\n";
	static const struct {
		const char *name;
		char type;
		unsigned long long size;
		const char *link, *want, *what;
	} bad[] = {
		{ "a/../b", '0', 0, NULL, "'..' component", "a '..' component" },
		{ "..", '5', 0, NULL, "'..' component", "'..' itself" },
		{ "/etc/passwd", '0', 0, NULL, "absolute name", "an absolute name" },
		{ "", '0', 0, NULL, "empty name", "an empty name" },
		{ "./", '0', 0, NULL, "empty name", "a file named ./" },
		{ "a/b", '2', 0, "../../x", "leaves the archive", "an escaping symlink a/b -> ../../x" },
		{ "evil", '2', 0, "..", "leaves the archive", "evil -> .." },
		{ "a/b", '2', 0, "/etc", "absolute symlink target", "an absolute target" },
		{ "y", '2', 0, "x/..", "'..' after a name", "a '..' after a name (x could be a symlink)" },
		{ "a", '1', 0, "b", "hard links", "a hard link" },
		{ "a", '3', 0, NULL, "device nodes", "a device node" },
		{ "a", '6', 0, NULL, "FIFOs", "a FIFO" },
		{ "././@LongLink", 'L', 0, NULL, "GNU long name", "a GNU long name" },
		{ "a", 'S', 0, NULL, "type 'S' is not supported", "a GNU sparse file" },
		{ "a", '5', 3, NULL, "directory with 3 bytes", "a directory with data" },
	};
	size_t i;

	memset(a, 0, sizeof(a));
	header(a, "a", '0', 5, NULL);
	memcpy(a + 512, "hello", 5);
	tap_ok(parse(a, sizeof(a), NULL, &s, why, sizeof(why)) && s.n == 1, "tar_parse: a crafted archive parses %s", why);
	tap_ok(parse(a, 1024, NULL, &s, why, sizeof(why)) && s.n == 1, "tar_parse: one zero block ends it");
	tap_ok(parse(a, 512 + 5, NULL, &s, why, sizeof(why)) && s.n == 1, "tar_parse: the end right after the data");
	a[1024 + 10] = 'x';
	refused(a, 1024 + 100, NULL, "truncated header", "a partial header at the end");
	a[1024 + 10] = 0;
	refused(a, 512 + 3, NULL, "past the end", "truncated data");
	a[0] = 'b';
	refused(a, sizeof(a), NULL, "bad header checksum", "a bad checksum");
	memset(a, 0, sizeof(a));

	header(a, "a", '0', 077777777777ULL, NULL);
	refused(a, sizeof(a), NULL, "past the end", "a size past the end");
	header(a, "a", '0', 5, NULL);
	a[124 + 3] = '9';
	resum(a);
	refused(a, sizeof(a), NULL, "bad numeric field", "a non-octal size");
	header(a, "a", '0', 5, NULL);
	a[124 + 11] = 'x';
	resum(a);
	refused(a, sizeof(a), NULL, "bad numeric field", "junk after a size");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		header(a, bad[i].name, bad[i].type, bad[i].size, bad[i].link);
		refused(a, sizeof(a), NULL, bad[i].want, bad[i].what);
	}
	header(a, "a/b", '2', 0, "../x");
	tap_ok(parse(a, sizeof(a), NULL, &s, why, sizeof(why)) && strcmp(s.e[0].target, "../x") == 0,
	       "tar_parse: a/b -> ../x stays inside %s", why);
	header(a, "d", '2', 0, ".");
	tap_ok(parse(a, sizeof(a), NULL, &s, why, sizeof(why)), "tar_parse: d -> . is fine %s", why);

	header(a, "a", '0', 0, NULL);
	memcpy(a + 257, "xxxxx", 5);
	resum(a);
	refused(a, sizeof(a), NULL, "not a ustar header", "a header without magic");

	/* pax: a path for the next entry only, records checked */
	memset(a, 0, sizeof(a));
	header(a, "PaxHeader", 'x', 14, NULL);
	memcpy(a + 512, "14 path=long\n", 13);
	header(a + 1024, "short", '0', 0, NULL);
	header(a + 1536, "other", '0', 0, NULL);
	refused(a, sizeof(a), NULL, "does not end with a newline", "a pax record whose length is one too many");
	memcpy(a + 512, "13 path=long\n", 13);
	header(a, "PaxHeader", 'x', 13, NULL);
	tap_ok(parse(a, sizeof(a), NULL, &s, why, sizeof(why)) && s.n == 2 && strcmp(s.e[0].name, "long") == 0 &&
	       strcmp(s.e[1].name, "other") == 0, "tar_parse: pax path= applies to the next entry only %s", why);
	memcpy(a + 512, "13 path long\n", 13);
	refused(a, sizeof(a), NULL, "not key=value", "a pax record without '='");
	memcpy(a + 512, "x3 path=long\n", 13);
	refused(a, sizeof(a), NULL, "has no length", "a pax record without a length");
	memcpy(a + 512, "99 path=long\n", 13);
	refused(a, sizeof(a), NULL, "longer than the header", "a pax record longer than the header");
	header(a, "PaxHeader", 'x', strlen(pax), NULL);
	memcpy(a + 512, pax, strlen(pax));
	refused(a, sizeof(a), NULL, "'..' component", "a pax path with '..'");
	header(a + 1024, "PaxHeader", 'x', 0, NULL);
	refused(a, sizeof(a), NULL, "two pax headers", "two pax headers in a row");
	memset(a + 1024, 0, 512);
	refused(a, sizeof(a), NULL, "ends after a pax header", "a pax header at the end");

	/* names normalised */
	memset(a, 0, sizeof(a));
	header(a, ".//a//b/./c", '0', 0, NULL);
	header(a + 512, "./", '5', 0, NULL);
	header(a + 1024, "x", '5', 0, NULL);
	tap_ok(parse(a, sizeof(a), NULL, &s, why, sizeof(why)) && s.n == 2 && strcmp(s.e[0].name, "a/b/c") == 0 &&
	       strcmp(s.e[1].name, "x/") == 0, "tar_parse: names normalised, ./ skipped %s", why);

	/* limits */
	header(a + 1536, "y", '0', 0, NULL);
	refused(a, sizeof(a), &lim, "more than 2 entries", "a third entry over a limit of 2");
	memset(a, 0, sizeof(a));
	header(a, "a", '0', 101, NULL);
	refused(a, sizeof(a), &lim, "more than the limit of 100", "a file over the size limit");
	header(a, "a", '0', 100, NULL);
	header(a + 1024, "b", '0', 51, NULL);
	refused(a, sizeof(a), &lim, "150 bytes in all", "files over the total limit");
	strcpy(why, "same");
	tap_ok(!tar_parse(a, sizeof(a), &lim, collect, &s, why, 0) && strcmp(why, "same") == 0,
	       "tar_parse: a why of 0 bytes is not written");
	seen_free(&s);
}

static int unlink_one(const char *path, const struct stat *st, int kind, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return kind == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes dir and all under it (the cases below make it again). */
static void clear_dir(const char *dir)
{
	nftw(dir, unlink_one, 8, FTW_DEPTH | FTW_PHYS);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static bool extract(const char *dir, struct mem_tar *m, char *why, size_t whylen)
{
	char path[PATH_MAX];
	bool ok;

	snprintf(path, sizeof(path), "%s.tar", dir);
	mem_save(m, path);
	why[0] = '\0';
	ok = tar_extract_file(path, dir, NULL, why, whylen);
	unlink(path);
	return ok;
}

static void test_extract(void)
{
	char dir[] = "/tmp/vt-tar-XXXXXX", path[PATH_MAX], why[512], link[16] = "";
	struct tar_limits lim = { 10, 10, 100 };
	int fd, saved;
	struct mem_tar m;
	struct stat st;
	bool ok;

	if (!mkdtemp(dir)) {
		tap_ok(false, "tar_extract: mkdtemp");
		return;
	}
	mem_open(&m);
	tar_add_dir(&m.w, "sys", 0700);
	tar_add_file(&m.w, "sys/a", 0755, "hi", 2);
	tar_add_file(&m.w, "new/deep/b", 0600, "", 0);
	tar_add_symlink(&m.w, "d", ".");
	tar_add_symlink(&m.w, "sys/up", "../new");
	mem_close(&m);
	ok = extract(dir, &m, why, sizeof(why));
	snprintf(path, sizeof(path), "%s/sys/a", dir);
	tap_ok(ok && stat(path, &st) == 0 && (st.st_mode & 0777) == 0644 && st.st_size == 2,
	       "tar_extract: files with mode & 0644 (and owner write) %s", why);
	snprintf(path, sizeof(path), "%s/new/deep/b", dir);
	tap_ok(ok && access(path, F_OK) == 0, "tar_extract: missing parents made");
	snprintf(path, sizeof(path), "%s/d", dir);
	tap_ok(readlink(path, link, sizeof(link) - 1) == 1 && link[0] == '.', "tar_extract: d -> . made");
	tap_ok(!tar_extract_file("/nonexistent.tar", dir, NULL, why, sizeof(why)) && strstr(why, "not an empty"),
	       "tar_extract: refuses a directory that is not empty: %s", why);
	clear_dir(dir);

	/* link -> sub, then link/file: never written through the link */
	mkdir(dir, 0700);
	mem_open(&m);
	tar_add_dir(&m.w, "sub", 0755);
	tar_add_symlink(&m.w, "link", "sub");
	tar_add_file(&m.w, "link/file", 0644, "x", 1);
	mem_close(&m);
	ok = extract(dir, &m, why, sizeof(why));
	snprintf(path, sizeof(path), "%s/sub", dir);
	tap_ok(!ok && strstr(why, "entry 3 (link/file)") && strstr(why, "not a directory") && count_entries(path) == 0,
	       "tar_extract: not through a symlink it made: %s", why);
	clear_dir(dir);

	/* d -> ., then d/x: refused too (it would be inside, but through a link) */
	mkdir(dir, 0700);
	mem_open(&m);
	tar_add_symlink(&m.w, "d", ".");
	tar_add_file(&m.w, "d/x", 0644, "x", 1);
	mem_close(&m);
	ok = extract(dir, &m, why, sizeof(why));
	tap_ok(!ok && count_entries(dir) == 1, "tar_extract: d -> . then d/x refused: %s", why);
	clear_dir(dir);

	/* evil -> .. refused by the parser */
	mkdir(dir, 0700);
	mem_open(&m);
	tar_add_symlink(&m.w, "evil", "..");
	mem_close(&m);
	ok = extract(dir, &m, why, sizeof(why));
	tap_ok(!ok && count_entries(dir) == 0 && strstr(why, "leaves the archive"), "tar_extract: evil -> .. refused: %s", why);

	/* the limits reach tar_parse */
	mem_open(&m);
	tar_add_file(&m.w, "big", 0644, "0123456789abcdef", 16);
	mem_close(&m);
	snprintf(path, sizeof(path), "%s.tar", dir);
	mem_save(&m, path);
	tap_ok(!tar_extract_file(path, dir, &lim, why, sizeof(why)) && strstr(why, "limit of 10") && count_entries(dir) == 0,
	       "tar_extract: its limits: %s", why);
	fd = open(path, O_RDONLY);
	saved = dup(STDIN_FILENO);
	why[0] = '\0';
	ok = fd >= 0 && saved >= 0 && dup2(fd, STDIN_FILENO) == 0 && tar_extract_file("-", dir, NULL, why, sizeof(why));
	if (saved >= 0) {
		dup2(saved, STDIN_FILENO);
		close(saved);
	}
	if (fd >= 0)
		close(fd);
	tap_ok(ok && count_entries(dir) == 1, "tar_extract: - reads standard input %s", why);
	unlink(path);
	clear_dir(dir);
	mkdir(dir, 0700);

	/* a name already there as something else, or twice */
	mem_open(&m);
	tar_add_file(&m.w, "a", 0644, "x", 1);
	tar_add_dir(&m.w, "a", 0755);
	mem_close(&m);
	ok = extract(dir, &m, why, sizeof(why));
	tap_ok(!ok && strstr(why, "not a directory"), "tar_extract: a file then a directory of that name: %s", why);
	clear_dir(dir);
	mkdir(dir, 0700);
	mem_open(&m);
	tar_add_dir(&m.w, "a", 0755);
	tar_add_dir(&m.w, "a", 0755);
	tar_add_file(&m.w, "f", 0644, "x", 1);
	tar_add_file(&m.w, "f", 0644, "x", 1);
	mem_close(&m);
	ok = extract(dir, &m, why, sizeof(why));
	tap_ok(!ok && strstr(why, "entry 4 (f): already there"), "tar_extract: a directory twice is fine, a file twice not: %s", why);
	clear_dir(dir);
}

/* The text of a small file, "" if it cannot be read. */
static const char *slurp(const char *dir, const char *name)
{
	static char text[4096];
	char path[PATH_MAX];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

static bool run(const char *fmt, const char *dir)
{
	char cmd[PATH_MAX * 2];

	snprintf(cmd, sizeof(cmd), fmt, dir, dir, dir);
	return system(cmd) == 0;
}

/* GNU tar reads what the writer wrote, and tar_parse what GNU tar wrote (skipped without it). */
static void test_gnu_tar(void)
{
	char dir[] = "/tmp/vt-gnutar-XXXXXX", path[PATH_MAX], why[512], longname[300] = "sys/devices", link[300];
	struct seen s = { 0 };
	struct mem_tar m;
	FILE *f;
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;

	if (system("tar --version 2>/dev/null | grep -q 'GNU tar'") != 0 || !mkdtemp(dir)) {
		tap_ok(true, "# SKIP tar round trip with GNU tar: no GNU tar");
		return;
	}
	while (strlen(longname) < 250)
		strcat(longname, "/pci0000:00/0000:00:03.0");
	mem_open(&m);
	tar_add_dir(&m.w, "sys", 0755);
	tar_add_file(&m.w, longname, 0644, "long\n", 5);
	tar_add_symlink(&m.w, "sys/l", longname + 4);
	tar_add_file(&m.w, "sys/empty", 0644, "", 0);
	mem_close(&m);
	snprintf(path, sizeof(path), "%s/w.tar", dir);
	mem_save(&m, path);
	tap_ok(run("tar -tvf %s/w.tar >%s/list && mkdir %s/x", dir) &&
	       strstr(slurp(dir, "list"), "root/root") && strstr(slurp(dir, "list"), "sys/empty"),
	       "GNU tar lists the writer's archive: root/root, every entry");
	snprintf(path, sizeof(path), "x/%s", longname);
	tap_ok(run("tar -xf %s/w.tar -C %s/x", dir) && strcmp(slurp(dir, path), "long\n") == 0,
	       "GNU tar extracts the writer's %zu-byte pax name", strlen(longname));
	snprintf(path, sizeof(path), "%s/x/sys/l", dir);
	n = readlink(path, link, sizeof(link) - 1);
	tap_ok(n > 0 && (size_t)n == strlen(longname + 4) && memcmp(link, longname + 4, (size_t)n) == 0,
	       "GNU tar extracts the writer's long symlink target");

	tap_ok(run("cd %s/x && tar --format=pax --no-recursion -cf ../p.tar sys sys/l $(find sys -type f)"
		   " && tar --format=gnu -cf ../g.tar sys/empty"
		   " && tar --format=ustar -cf ../u.tar sys/empty", dir), "GNU tar writes pax, gnu and ustar archives");
	snprintf(path, sizeof(path), "%s/p.tar", dir);
	f = fopen(path, "r");
	while (f && !feof(f)) {
		buf = realloc(buf, len + 65536);
		len += fread(buf + len, 1, 65536, f);
	}
	if (f)
		fclose(f);
	tap_ok(parse(buf, len, NULL, &s, why, sizeof(why)) && s.n == 4, "tar_parse reads GNU tar's pax archive %s", why);
	for (size_t i = 0; i < s.n; i++)
		if (strcmp(s.e[i].name, longname) == 0)
			tap_ok(s.e[i].size == 5 && memcmp(s.e[i].data, "long\n", 5) == 0, "tar_parse: GNU tar's pax path=");
	free(buf);
	seen_free(&s);
	snprintf(path, sizeof(path), "%s/g.tar", dir);
	snprintf(link, sizeof(link), "%s/g", dir);
	mkdir(link, 0700);
	tap_ok(tar_extract_file(path, link, NULL, why, sizeof(why)) && strcmp(slurp(link, "sys/empty"), "") == 0,
	       "tar_extract: GNU tar's gnu-format archive %s", why);
	snprintf(path, sizeof(path), "%s/u.tar", dir);
	snprintf(link, sizeof(link), "%s/u", dir);
	tap_ok(!tar_extract_file(path, link, NULL, why, sizeof(why)) && strstr(why, "No such file"),
	       "tar_extract: a directory that is not there: %s", why);
	clear_dir(dir);
}

void test_tar(void)
{
	test_round_trip();
	test_refusals();
	test_extract();
	test_gnu_tar();
}
