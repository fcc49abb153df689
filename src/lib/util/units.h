/* Sizes on the command line: 512M, 16G, 1T, 4096 (bytes); binary multiples. */
#ifndef VT_UNITS_H
#define VT_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool parse_size(const char *text, uint64_t *bytes);
/* "12 GiB", "1 MiB", "4 KiB", "100 bytes": exact in the largest binary unit, else "1.5 MiB". */
void format_size(uint64_t bytes, char *buf, size_t len);

#endif
