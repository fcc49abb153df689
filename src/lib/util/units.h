/* Sizes on the command line: 512M, 16G, 1T, 4096 (bytes); binary multiples. */
#ifndef VT_UNITS_H
#define VT_UNITS_H

#include <stdbool.h>
#include <stdint.h>

bool parse_size(const char *text, uint64_t *bytes);

#endif
