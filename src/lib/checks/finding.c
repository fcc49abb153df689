#include <stdarg.h>
#include <stdlib.h>

#include "checks/finding.h"
#include "util/report.h"

static const char *const level_names[] = {
	[LEVEL_PASS] = "PASS", [LEVEL_NOTE] = "NOTE", [LEVEL_WARN] = "WARN", [LEVEL_FAIL] = "FAIL",
};

/* Green, blue, yellow, red: as virt-host-validate colours its verdicts. */
static const char *const level_colors[] = {
	[LEVEL_PASS] = "\033[32m", [LEVEL_NOTE] = "\033[34m",
	[LEVEL_WARN] = "\033[33m", [LEVEL_FAIL] = "\033[31m",
};

const char *finding_level_name(enum finding_level level)
{
	return level_names[level];
}

void findings_add(struct findings *fs, enum finding_level level, const char *id,
		  const char *subject, const char *hint, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = vt_xvasprintf(fmt, ap);
	va_end(ap);
	fs->f = vt_xrealloc(fs->f, fs->n + 1, sizeof(*fs->f));
	f = &fs->f[fs->n++];
	f->id = vt_xstrdup(id);
	f->level = level;
	f->subject = vt_xstrdup(subject);
	f->message = msg;
	f->hint = hint ? vt_xstrdup(hint) : NULL;
	f->live_only = false;
}

void findings_mark_live_only(struct findings *fs, size_t from)
{
	for (; from < fs->n; from++)
		fs->f[from].live_only = true;
}

void findings_free(struct findings *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		free(fs->f[i].id);
		free(fs->f[i].subject);
		free(fs->f[i].message);
		free(fs->f[i].hint);
	}
	free(fs->f);
	fs->f = NULL;
	fs->n = 0;
}

size_t findings_count(const struct findings *fs, enum finding_level level)
{
	size_t i, n = 0;

	for (i = 0; i < fs->n; i++)
		n += fs->f[i].level == level;
	return n;
}

void findings_print(const struct findings *fs, size_t from, FILE *out, bool color)
{
	size_t i;

	for (i = from; i < fs->n; i++) {
		const struct finding *f = &fs->f[i];

		if (color)
			fprintf(out, "%s%s\033[0m", level_colors[f->level], level_names[f->level]);
		else
			fputs(level_names[f->level], out);
		fprintf(out, "  %s: %s", f->subject, f->message);
		if (f->hint)
			fprintf(out, "  (%s)", f->hint);
		if (f->live_only)
			fputs("  [recorded live when the snapshot was taken]", out);
		fputc('\n', out);
	}
}

void findings_json(const struct findings *fs, struct json *j)
{
	size_t i;

	json_array_begin(j, "findings");
	for (i = 0; i < fs->n; i++) {
		json_object_begin(j, NULL);
		json_string(j, "id", fs->f[i].id);
		json_string(j, "level", level_names[fs->f[i].level]);
		json_string(j, "subject", fs->f[i].subject);
		json_string(j, "message", fs->f[i].message);
		json_string(j, "hint", fs->f[i].hint);
		if (fs->f[i].live_only)
			json_bool(j, "live_only", true);
		json_object_end(j);
	}
	json_array_end(j);
}
