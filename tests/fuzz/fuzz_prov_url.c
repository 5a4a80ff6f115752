/*
 * fuzz_prov_url.c - libFuzzer target for prov_url_normalize() and
 * prov_file_load().
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -DLOCALEDIR=\"\" \
 *       tests/fuzz/fuzz_prov_url.c provisioning/prov_url.c \
 *       provisioning/prov_file.c conf/conf.c conf/keys.c common/i18n.c \
 *       -o fuzz_prov_url
 *   ./fuzz_prov_url -max_total_time=60
 *
 * Besides the sanitizers, it checks what the modules promise: a
 * normalised URL is NUL-terminated, starts with tftp://, http:// or
 * https://, holds no space or control character, and normalises to itself
 * again; a failed file load leaves the configuration at its defaults.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "provisioning/prov_file.h"
#include "provisioning/prov_url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_url(const char *in, size_t len)
{
	char out[PROV_URL_MAX], again[PROV_URL_MAX], err[256];

	if (prov_url_normalize(in, len, "00163E5A1B2C", "440HD", out,
			       sizeof(out), err, sizeof(err)) < 0) {
		if (memchr(err, '\0', sizeof(err)) == NULL || out[0] != '\0')
			abort();
		return;
	}
	if (strncmp(out, "tftp://", 7) && strncmp(out, "http://", 7) &&
	    strncmp(out, "https://", 8))
		abort();
	for (const char *p = out; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			abort();
	if (prov_url_normalize(out, strlen(out), "00163e5a1b2c", "440HD",
			       again, sizeof(again), err, sizeof(err)) < 0 ||
	    strcmp(out, again) != 0)
		abort();
}

static void check_file(const char *in, size_t len)
{
	conf_t *c = conf_new();
	char err[512];

	if (!c)
		return;
	if (prov_file_load(c, "fuzz", in, len, err, sizeof(err)) < 0)
		for (size_t i = 0; i < conf_key_count(); i++)
			if (conf_is_set(c, conf_key_at(i)->name))
				abort();
	conf_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_url((const char *)data, size);
	check_file((const char *)data, size);
	return 0;
}
