/*
 * fuzz_cli.c - libFuzzer target for ua_cli_parse().
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *       tests/fuzz/fuzz_cli.c ua/cli.c -o fuzz_cli
 *   ./fuzz_cli -max_total_time=60
 *
 * Each input is one line (NUL-terminated copy, so the parser sees a C
 * string as main() gives it).  Besides the sanitizers, it checks what the
 * parser promises: a result of 0 or -1, a one-line NUL-terminated error,
 * NUL-terminated arg/value, and a cleared command on error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ua/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const ua_cli_cmd_t zero;
	ua_cli_cmd_t cmd;
	char err[256];
	char *line = malloc(size + 1);
	int r;

	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';

	memset(&cmd, 0xa5, sizeof(cmd));
	memset(err, 0xa5, sizeof(err));
	r = ua_cli_parse(line, &cmd, err, sizeof(err));
	if (r != 0 && r != -1)
		abort();
	if (memchr(err, '\0', sizeof(err)) == NULL ||
	    strchr(err, '\n') != NULL || strchr(err, '\r') != NULL)
		abort();
	if (memchr(cmd.arg, '\0', sizeof(cmd.arg)) == NULL ||
	    memchr(cmd.value, '\0', sizeof(cmd.value)) == NULL)
		abort();
	if (r == -1 && (err[0] == '\0' || memcmp(&cmd, &zero, sizeof(cmd)) != 0))
		abort();
	if (r == 0 && err[0] != '\0')
		abort();
	if (r == 0 && (cmd.call < 0 || cmd.kind > UA_CLI_QUIT))
		abort();

	/* a tiny error buffer must be safe too */
	ua_cli_parse(line, &cmd, err, 1);
	if (err[0] != '\0')
		abort();
	free(line);
	return 0;
}
