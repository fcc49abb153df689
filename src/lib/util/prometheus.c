#include <math.h>

#include "util/prometheus.h"

/* HELP text escapes backslash and newline; label values a double quote too. */
static void write_escaped(FILE *out, const char *s, int quote)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '"' && quote)
			fputs("\\\"", out);
		else
			fputc(*s, out);
	}
}

void prom_write_label_value(FILE *out, const char *value)
{
	write_escaped(out, value, 1);
}

void prom_write_value(FILE *out, double value)
{
	if (isnan(value))
		fputs("NaN", out);
	else if (isinf(value))
		fputs(value > 0 ? "+Inf" : "-Inf", out);
	else if (value == floor(value) && fabs(value) < 9007199254740992.0)
		fprintf(out, "%.0f", value);
	else
		fprintf(out, "%.17g", value);
}

void prom_family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s ", name);
	write_escaped(out, help, 0);
	fprintf(out, "\n# TYPE %s %s\n", name, type);
}

void prom_sample(FILE *out, const char *name, const struct prom_label *labels, size_t n, double value)
{
	size_t i;

	fputs(name, out);
	for (i = 0; i < n; i++) {
		fprintf(out, "%c%s=\"", i ? ',' : '{', labels[i].name);
		prom_write_label_value(out, labels[i].value);
		fputc('"', out);
	}
	if (n)
		fputc('}', out);
	fputc(' ', out);
	prom_write_value(out, value);
	fputc('\n', out);
}
