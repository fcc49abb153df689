/* Findings of `check`: PASS/NOTE/WARN/FAIL lines with a stable id, a subject and a hint. */
#ifndef VT_FINDING_H
#define VT_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/json.h"

enum finding_level { LEVEL_PASS, LEVEL_NOTE, LEVEL_WARN, LEVEL_FAIL };

struct finding {
	char *id;		/* "irq.remapping", "acs.port", ... (doc/interfaces.md) */
	enum finding_level level;
	char *subject;		/* "machine" or a PCI address */
	char *message;
	char *hint;		/* NULL when there is none */
	bool live_only;		/* from a snapshot's record of its live state (checks/live_facts.h) */
};

struct findings {
	struct finding *f;
	size_t n;
};

/* Adds a finding; hint may be NULL; message is a printf format. */
void findings_add(struct findings *fs, enum finding_level level, const char *id,
		  const char *subject, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void findings_free(struct findings *fs);
/* Marks the findings from index from on as live-only. */
void findings_mark_live_only(struct findings *fs, size_t from);

const char *finding_level_name(enum finding_level level);
size_t findings_count(const struct findings *fs, enum finding_level level);

/* "LEVEL  subject: message  (hint)", one a line; colour only when color is true. */
void findings_print(const struct findings *fs, size_t from, FILE *out, bool color);
/* Writes the "findings" array. */
void findings_json(const struct findings *fs, struct json *j);

#endif
