/*
 * fuzz_conf.c - libFuzzer target for conf_load_buffer().
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *       tests/fuzz/fuzz_conf.c conf/conf.c conf/keys.c -o fuzz_conf
 *   ./fuzz_conf -max_total_time=60
 *
 * Besides the sanitizers, it checks what the module promises:
 *  - a result of 0 or -1, and a NUL-terminated one-line error that starts
 *    with the buffer's name;
 *  - all or nothing: a failed load leaves every key at its default;
 *  - every loaded value can be written back and reads back the same,
 *    which is what conf_save() relies on.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

#define NAME "fuzz.conf"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const char *err, size_t errsz)
{
	if (memchr(err, '\0', errsz) == NULL ||
	    strncmp(err, NAME ":", strlen(NAME ":")) != 0 ||
	    strchr(err, '\n') != NULL || strchr(err, '\r') != NULL)
		abort();
}

static void check_defaults(const conf_t *c)
{
	for (size_t i = 0; i < conf_key_count(); i++) {
		const conf_key_t *k = conf_key_at(i);

		if (conf_is_set(c, k->name) ||
		    strcmp(conf_str(c, k->name), k->def) != 0)
			abort();
	}
}

/* Write the explicit keys as conf_save() would (a '#' right after the '='
 * is kept), without touching the disk. */
static char *serialize(const conf_t *c, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		return NULL;
	for (size_t i = 0; i < conf_key_count(); i++) {
		const char *name = conf_key_at(i)->name;

		if (conf_is_set(c, name))
			fprintf(f, "%s =%s\n", name, conf_str(c, name));
	}
	fclose(f);
	return buf;
}

static void check_round_trip(const conf_t *c)
{
	conf_t *c2 = conf_new();
	size_t len = 0;
	char *text = serialize(c, &len);
	char err[256];

	if (c2 == NULL || text == NULL)
		goto out;
	if (conf_load_buffer(c2, NAME, text, len, err, sizeof(err)) != 0)
		abort();
	for (size_t i = 0; i < conf_key_count(); i++) {
		const char *name = conf_key_at(i)->name;
		size_t n = conf_list_count(c, name);

		if (strcmp(conf_str(c, name), conf_str(c2, name)) != 0 ||
		    conf_is_set(c, name) != conf_is_set(c2, name) ||
		    conf_bool(c, name) != conf_bool(c2, name) ||
		    conf_uint(c, name) != conf_uint(c2, name) ||
		    n != conf_list_count(c2, name))
			abort();
		for (size_t j = 0; j < n; j++)
			if (strcmp(conf_list_item(c, name, j),
				   conf_list_item(c2, name, j)) != 0)
				abort();
	}
out:
	free(text);
	conf_free(c2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	conf_t *c = conf_new();
	char err[256];
	int r;

	if (c == NULL)
		return 0;
	memset(err, 0xa5, sizeof(err));
	r = conf_load_buffer(c, NAME, (const char *)data, size, err,
			     sizeof(err));
	if (r == 0)
		check_round_trip(c);
	else if (r == -1) {
		check_error(err, sizeof(err));
		check_defaults(c);
	} else {
		abort();
	}
	conf_free(c);
	return 0;
}
