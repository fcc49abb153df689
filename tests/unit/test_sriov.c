/* SR-IOV: VF token parsing, which kernels check a token on the cdev, the SR-IOV records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binding/bind_state.h"
#include "binding/sriov_state.h"
#include "tap.h"
#include "vfio/vf_token.h"

static void test_token_parse(void)
{
	uint8_t uuid[16];
	char text[VF_TOKEN_STRLEN];
	static const uint8_t want[16] = { 0xbd, 0x8d, 0x9d, 0x2b, 0x5a, 0x5f, 0x4f, 0x5a,
					  0xa2, 0x11, 0xf5, 0x91, 0x51, 0x4b, 0xa1, 0xf3 };

	tap_ok(vf_token_parse("BD8D9D2B-5a5f-4f5a-a211-f591514ba1f3", uuid, text) && memcmp(uuid, want, 16) == 0 &&
	       strcmp(text, "bd8d9d2b-5a5f-4f5a-a211-f591514ba1f3") == 0,
	       "vf token: a UUID in either case parses to its bytes, canonical lower case");
	tap_ok(!vf_token_parse("bd8d9d2b5a5f-4f5a-a211-f591514ba1f3-", uuid, text), "vf token: dashes out of place refused");
	tap_ok(!vf_token_parse("bd8d9d2b-5a5f-4f5a-a211-f591514ba1f", uuid, text), "vf token: too short refused");
	tap_ok(!vf_token_parse("bd8d9d2b-5a5f-4f5a-a211-f591514ba1f33", uuid, text), "vf token: too long refused");
	tap_ok(!vf_token_parse("gd8d9d2b-5a5f-4f5a-a211-f591514ba1f3", uuid, text), "vf token: a non-hex digit refused");
	tap_ok(!vf_token_parse("", uuid, text), "vf token: empty refused");
}

static void test_token_cdev(void)
{
	char why[256] = "";

	tap_ok(vf_token_cdev_supported("7.2.13+deb14-amd64", why, sizeof(why)), "cdev token: 7.2 checks it");
	tap_ok(vf_token_cdev_supported("6.19.0", why, sizeof(why)), "cdev token: 6.19 checks it");
	tap_ok(vf_token_cdev_supported("6.18.3", why, sizeof(why)), "cdev token: 6.18.3 (stable fix) checks it");
	tap_ok(!vf_token_cdev_supported("6.18.2", why, sizeof(why)) && strstr(why, "loses the VF token"),
	       "cdev token: 6.18.2 loses it: %s", why);
	tap_ok(!vf_token_cdev_supported("6.12.118+deb13-amd64", why, sizeof(why)) && strstr(why, "takes no VF token"),
	       "cdev token: 6.12 takes none: %s", why);
}

static void test_records(void)
{
	char dir[] = "/tmp/vt-sriov-unit.XXXXXX", path[256], **list;
	struct saved_env env = save_env("VFIO_TOOLS_STATE");
	struct sriov_record r = { "0000:01:00.0", 2, false }, got;
	struct bind_record b = { "0000:01:00.1", "nvme", "" };
	FILE *f;
	size_t n;

	if (!mkdtemp(dir)) {
		tap_ok(false, "sriov records: mkdtemp");
		return;
	}
	setenv("VFIO_TOOLS_STATE", dir, 1);
	tap_ok(sriov_state_load("0000:01:00.0", &got) == 0, "sriov records: none yet");
	tap_ok(sriov_state_record(&r) == 0 && sriov_state_load("0000:01:00.0", &got) == 1 && got.numvfs == 2 &&
	       !got.autoprobe, "sriov records: saved and loaded back");
	r.numvfs = 5;
	tap_ok(sriov_state_record(&r) == 0 && sriov_state_load("0000:01:00.0", &got) == 1 && got.numvfs == 2,
	       "sriov records: the first record wins");
	bind_state_record(&b);
	n = sriov_state_list(&list);
	tap_ok(n == 1 && strcmp(list[0], "0000:01:00.0") == 0, "sriov records: listed, bind records not");
	while (n)
		free(list[--n]);
	free(list);
	n = bind_state_list(&list);
	tap_ok(n == 1 && strcmp(list[0], "0000:01:00.1") == 0, "sriov records: bind_state_list skips them");
	while (n)
		free(list[--n]);
	free(list);
	snprintf(path, sizeof(path), "%s/0000:02:00.0.sriov", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("numvfs=70000\nautoprobe=1\n", f);
		fclose(f);
	}
	tap_ok(sriov_state_load("0000:02:00.0", &got) < 0, "sriov records: a count past 65535 is malformed");
	tap_ok(sriov_state_forget("0000:01:00.0") == 0 && sriov_state_load("0000:01:00.0", &got) == 0,
	       "sriov records: forgotten");
	unlink(path);
	bind_state_forget("0000:01:00.1");
	rmdir(dir);
	restore_env(&env);
}

void test_sriov(void)
{
	test_token_parse();
	test_token_cdev();
	test_records();
}
