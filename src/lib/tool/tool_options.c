#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool/cli.h"
#include "util/report.h"
#include "tool/tool_options.h"
#include "vfio/vf_token.h"

struct tool_common tool_common;

struct poptOption tool_common_options[] = {
	{ "json", 'j', POPT_ARG_NONE, &tool_common.json, 0, "Print JSON", NULL },
	{ "backend", 'b', POPT_ARG_STRING, &tool_common.backend_text, 0,
	  "How to open the device: auto (iommufd when the kernel offers it), group, iommufd",
	  "auto|group|iommufd" },
	{ "vf-token", '\0', POPT_ARG_STRING, &tool_common.vf_token, 0,
	  "Open an SR-IOV VF (or PF) with this VF token, as the PF's user set it on vfio-pci", "UUID" },
	POPT_TABLEEND
};

static bool check_vf_token(void)
{
	uint8_t uuid[16];
	char canonical[VF_TOKEN_STRLEN];

	if (!tool_common.vf_token || vf_token_parse(tool_common.vf_token, uuid, canonical))
		return true;
	vt_error(tool_common.vf_token, "invalid VF token", "expected a UUID: 8-4-4-4-12 hex digits");
	return false;
}

static bool check_backend(void)
{
	if (!tool_common.backend_text) {
		tool_common.backend = VFIO_BACKEND_AUTO;
		return true;
	}
	if (vfio_backend_parse(tool_common.backend_text, &tool_common.backend))
		return true;
	vt_error(tool_common.backend_text, "unknown backend", "use auto, group or iommufd");
	return false;
}

static bool collect_args(poptContext ctx, const char *usage, size_t min, size_t max, struct tool_args *args)
{
	const char *arg;

	while ((arg = poptGetArg(ctx))) {
		if (args->n == max) {
			vt_error(arg, "unexpected argument", "usage: %s %s", cli_command_path(), usage);
			return false;
		}
		args->arg[args->n++] = vt_xstrdup(arg);
	}
	if (args->n >= min)
		return true;
	vt_error(cli_command_path(), "missing argument", "usage: %s %s", cli_command_path(), usage);
	return false;
}

bool tool_parse(int argc, const char **argv, const struct poptOption *table, const char *usage,
		size_t min, size_t max, bool (*on_option)(int val, const char *arg), struct tool_args *args)
{
	poptContext ctx = poptGetContext(cli_command_path(), argc, argv, table, 0);
	bool ok = true;
	int val;

	memset(args, 0, sizeof(*args));
	poptSetOtherOptionHelp(ctx, usage);
	while (ok && (val = cli_next_option(ctx)) != 0) {
		if (val < 0 || !on_option)
			ok = false;
		else {
			char *arg = poptGetOptArg(ctx);

			ok = on_option(val, arg);
			free(arg);
		}
	}
	ok = ok && check_backend() && check_vf_token() && collect_args(ctx, usage, min, max, args);
	poptFreeContext(ctx);
	if (!ok)
		tool_args_free(args);
	return ok;
}

void tool_args_free(struct tool_args *args)
{
	size_t i;

	for (i = 0; i < args->n; i++)
		free(args->arg[i]);
	args->n = 0;
}

bool tool_parse_u64(const char *what, const char *text, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(text, &end, 0);
	if (text[0] == '-' || text[0] == '\0' || *end || errno) {
		vt_error(text, what, "not a number (decimal or 0x hex)");
		return false;
	}
	if (*out > max) {
		vt_error(text, what, "out of range (at most %llu)", max);
		return false;
	}
	return true;
}

