#include <stdlib.h>
#include <string.h>

#include "output_options.h"
#include "util/report.h"

bool output_format_parse(const struct output_options *o, enum output_format *format)
{
	static const char *const names[] = {
		[OUTPUT_TEXT] = "text", [OUTPUT_JSON] = "json", [OUTPUT_PROMETHEUS] = "prometheus",
	};
	size_t i;

	*format = o->json ? OUTPUT_JSON : OUTPUT_TEXT;
	if (!o->format)
		return true;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(o->format, names[i]) == 0) {
			if (o->json && i != OUTPUT_JSON) {
				vt_error(o->format, "contradicts --json", "give one of --json and --format");
				return false;
			}
			*format = (enum output_format)i;
			return true;
		}
	vt_error(o->format, "unknown format", "use text, json or prometheus");
	return false;
}

bool output_open(struct output *out, const struct output_options *o)
{
	char why[512];

	out->to_file = o->file != NULL;
	out->f = stdout;
	if (!out->to_file)
		return true;
	if (atomic_file_open(&out->file, o->file, why, sizeof(why)) < 0) {
		vt_error(o->file, "cannot write", "%s", why);
		return false;
	}
	out->f = out->file.f;
	return true;
}

bool output_close(struct output *out)
{
	char why[512];
	char *path;

	if (!out->to_file)
		return true;
	path = vt_xstrdup(out->file.path);
	if (atomic_file_commit(&out->file, why, sizeof(why)) < 0) {
		vt_error(path, "cannot write", "%s", why);
		free(path);
		return false;
	}
	free(path);
	return true;
}

void output_options_free(struct output_options *o)
{
	free(o->format);
	free(o->file);
}
