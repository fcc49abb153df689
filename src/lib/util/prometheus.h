/*
 * Prometheus' text exposition format (0.0.4), as node_exporter's textfile collector reads
 * it: "# HELP" and "# TYPE" once per family, then its samples, without timestamps.
 */
#ifndef VT_PROMETHEUS_H
#define VT_PROMETHEUS_H

#include <stddef.h>
#include <stdio.h>

struct prom_label {
	const char *name;
	const char *value;	/* NULL is written as "" (the same as no label to Prometheus) */
};

/* "# HELP name help" (help escaped) and "# TYPE name type" ("gauge", "counter", ...). */
void prom_family(FILE *out, const char *name, const char *type, const char *help);
/* "name{a="x",b="y"} value": labels may be NULL when n is 0. */
void prom_sample(FILE *out, const char *name, const struct prom_label *labels, size_t n, double value);

/* A label value with backslash, double quote and newline escaped as the format wants. */
void prom_write_label_value(FILE *out, const char *value);
/* A value: integers without exponent, "NaN", "+Inf", "-Inf". */
void prom_write_value(FILE *out, double value);

#endif
