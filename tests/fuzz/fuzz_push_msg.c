/*
 * fuzz_push_msg.c - libFuzzer target for the push-message parser: the
 * form decoding (push_form_xmldata), push_msg_parse and, on the same
 * bytes, push_content_parse for every push type.
 *
 *   make                        (generates push/schema.c)
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *       $(pkg-config --cflags libxml-2.0) \
 *       tests/fuzz/fuzz_push_msg.c push/msg.c push/form.c push/schema.c \
 *       common/dynlib.c -o fuzz_push_msg -ldl
 * (libxml2 is loaded at the first message, common/dynlib.h)
 *   ./fuzz_push_msg -max_total_time=60
 *
 * Besides the sanitizers it checks what the module promises: a code of
 * the x-Push-Status table, a message exactly when the code is 200 (with
 * an href and a form string), a NUL-terminated one-line reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "push/form.h"
#include "push/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static push_schema_t *sc;

static void check_code(int code)
{
	static const int ok[] = { 200, 202, 301, 302, 303, 304, 305, 306, 307 };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (ok[i] == code)
			return;
	fprintf(stderr, "unexpected code %d\n", code);
	abort();
}

static void check_why(const char *why, size_t n)
{
	if (!memchr(why, '\0', n) || strchr(why, '\n'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[256], err[128], *xml = NULL;
	size_t len;
	push_msg_t *m = NULL;
	push_content_t *c = NULL;
	int code;

	if (!sc && !(sc = push_schema_new(err, sizeof(err))))
		abort();
	code = push_msg_parse(sc, (const char *)data, size, &m, why,
			      sizeof(why));
	check_code(code);
	check_why(why, sizeof(why));
	if ((code == 200) != (m != NULL))
		abort();
	if (m && (!m->href || !m->form))
		abort();
	push_msg_free(m);
	for (int t = PUSH_TYPE_DISPLAY; t <= PUSH_TYPE_SUBSCRIBE; t++) {
		code = push_content_parse(sc, (push_type_t)t,
					  (const char *)data, size, &c, why,
					  sizeof(why));
		check_code(code);
		if ((code == 200) != (c != NULL))
			abort();
		push_content_free(c);
		c = NULL;
	}
	code = push_form_xmldata("application/x-www-form-urlencoded",
				 (const char *)data, size, &xml, &len);
	if (code == 0 && (!xml || xml[len] != '\0' || len == 0))
		abort();
	free(xml);
	return 0;
}
