/* --json, --format and --output (-o), for the commands that report: check, groups. */
#ifndef VFIO_ADMIN_OUTPUT_OPTIONS_H
#define VFIO_ADMIN_OUTPUT_OPTIONS_H

#include <popt.h>
#include <stdbool.h>
#include <stdio.h>

#include "util/atomic_file.h"

enum output_format { OUTPUT_TEXT, OUTPUT_JSON, OUTPUT_PROMETHEUS };

struct output_options {
	int json;		/* --json */
	char *format;		/* --format, NULL when not given */
	char *file;		/* --output, NULL for stdout */
};

/* The popt entries; o must outlive the table. */
#define OUTPUT_OPTIONS(o) \
	{ "json", 'J', POPT_ARG_NONE, &(o)->json, 0, "JSON output (keys in vfio-tools(7)): --format json", NULL }, \
	{ "format", '\0', POPT_ARG_STRING, &(o)->format, 0, \
	  "Output format: text (default), json, or prometheus (node_exporter's textfile collector)", \
	  "text|json|prometheus" }, \
	{ "output", 'o', POPT_ARG_STRING, &(o)->file, 0, \
	  "Write to FILE instead of stdout, replacing it in one step (a temporary file renamed over it)", "FILE" }

/* --format with --json; false after reporting a bad or contradicting one. */
bool output_format_parse(const struct output_options *o, enum output_format *format);

struct output {
	FILE *f;		/* stdout, or the temporary file of --output */
	struct atomic_file file;
	bool to_file;
};

/* Where to write; false after reporting. */
bool output_open(struct output *out, const struct output_options *o);
/* Puts --output's file in place (nothing for stdout); false after reporting. */
bool output_close(struct output *out);
void output_options_free(struct output_options *o);

#endif
