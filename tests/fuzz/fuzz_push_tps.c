/*
 * fuzz_push_tps.c - libFuzzer target for the TPSLIST matcher.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *       tests/fuzz/fuzz_push_tps.c push/tps.c common/curl_dl.c \
 *       common/dynlib.c -o fuzz_push_tps -ldl
 *   ./fuzz_push_tps -max_total_time=60
 *
 * The input is "TPSLIST\nHREF".  Checks: a result of the enum; an empty
 * list is always DISABLED; "/" trusts every valid http(s) href; an
 * href longer than 1024 characters is never trusted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "push/tps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *nl, *href, err[256];
	push_tps_result_t r, all;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	nl = strchr(buf, '\n');
	href = nl ? nl + 1 : buf;
	if (nl)
		*nl = '\0';
	r = push_tps_check(nl ? buf : "", href, err, sizeof(err));
	if (r > PUSH_TPS_UNTRUSTED)     /* or libcurl is missing */
		abort();
	if (!push_tps_enabled(nl ? buf : "") && r != PUSH_TPS_DISABLED)
		abort();
	all = push_tps_check("/", href, err, sizeof(err));
	if (all == PUSH_TPS_UNTRUSTED || all == PUSH_TPS_DISABLED)
		abort();
	if (r == PUSH_TPS_TRUSTED && (all != PUSH_TPS_TRUSTED ||
				      strlen(href) > PUSH_HREF_MAX))
		abort();
	free(buf);
	return 0;
}
