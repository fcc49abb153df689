/* libFuzzer: the persist configuration parser over any bytes (NUL-terminated copy). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "binding/persist_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct persist_conf c;
	char *text = malloc(size + 1), dev[32];
	size_t i;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	persist_conf_parse(&c, "fuzz.conf", text);
	for (i = 0; i < c.n; i++)
		persist_device_word(&c.e[i], dev, sizeof(dev));
	persist_conf_match(&c, "0000:01:00.0", 0x1234, 0x11e8);
	persist_conf_free(&c);
	free(text);
	return 0;
}
