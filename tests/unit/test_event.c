/*
 * test_event.c - unit tests of ua/event.c: each JSON line must be what
 * json_pack() would have made of the same format and values (checked by
 * parsing the line back and comparing with json_equal), with "event"
 * first, and bytes from the wire that are not UTF-8 must cost one '?'
 * each, never the event.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "ua/event.h"

typedef struct {
	char *buf;
	size_t len;
	FILE *out;
	ua_event_t *ev;
} fixture_t;

static int setup(void **st)
{
	fixture_t *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->out = open_memstream(&f->buf, &f->len);
	f->ev = f->out ? ua_event_new(f->out, true) : NULL;
	*st = f;
	return f->ev ? 0 : -1;
}

static int teardown(void **st)
{
	fixture_t *f = *st;

	ua_event_free(f->ev);
	if (f->out)
		fclose(f->out);
	free(f->buf);
	free(f);
	return 0;
}

/* The one line written since the last call, parsed; "event" checked to
 * be the first key, then removed so the rest compares with json_pack. */
static json_t *take_line(fixture_t *f, const char *name)
{
	json_error_t err;
	json_t *j;
	char want[64];

	fflush(f->out);
	assert_non_null(f->buf);
	assert_true(f->len > 0);
	assert_int_equal(f->buf[f->len - 1], '\n');
	assert_null(memchr(f->buf, '\n', f->len - 1));
	snprintf(want, sizeof(want), "{\"event\":\"%s\"", name);
	assert_memory_equal(f->buf, want, strlen(want));
	j = json_loadb(f->buf, f->len, 0, &err);
	if (!j)
		fail_msg("not JSON (%s): %.*s", err.text, (int)f->len, f->buf);
	assert_string_equal(json_string_value(json_object_get(j, "event")),
			    name);
	json_object_del(j, "event");
	rewind(f->out);
	f->len = 0;
	return j;
}

static void expect_same(json_t *got, json_t *want)
{
	char *g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
	char *w = json_dumps(want, JSON_COMPACT | JSON_SORT_KEYS);

	if (!json_equal(got, want))
		fail_msg("got %s, want %s", g, w);
	free(g);
	free(w);
	json_decref(got);
	json_decref(want);
}

static void test_no_fields(void **st)
{
	fixture_t *f = *st;

	ua_event_emit(f->ev, "ready", "text", NULL);
	expect_same(take_line(f, "ready"), json_object());
	ua_event_emit(f->ev, "ready", "text", "{}");
	expect_same(take_line(f, "ready"), json_object());
}

static void test_scalars(void **st)
{
	fixture_t *f = *st;
	json_int_t big = (json_int_t)1 << 40;

	ua_event_emit(f->ev, "e", NULL, "{s:s, s:i, s:I, s:b, s:b, s:f}",
		      "s", "plain", "i", -42, "I", big, "t", 1, "n", 0,
		      "f", 0.25);
	expect_same(take_line(f, "e"),
		    json_pack("{s:s, s:i, s:I, s:b, s:b, s:f}", "s", "plain",
			      "i", -42, "I", big, "t", 1, "n", 0, "f", 0.25));
}

/* Reals go out with 6 significant digits, top level or nested. */
static void test_real_digits(void **st)
{
	fixture_t *f = *st;
	const char *want = "{\"event\":\"e\",\"f\":13.7558,"
			   "\"o\":{\"j\":0.0612346}}\n";

	ua_event_emit(f->ev, "e", NULL, "{s:f, s:o}", "f", 13.755756660955686,
		      "o", json_pack("{s:f}", "j", 0.061234567));
	fflush(f->out);
	assert_int_equal(f->len, strlen(want));
	assert_memory_equal(f->buf, want, f->len);
	rewind(f->out);
	f->len = 0;
}

static void test_optional_and_objects(void **st)
{
	fixture_t *f = *st;

	ua_event_emit(f->ev, "e", NULL, "{s:s*, s:s*, s:o, s:o*, s:o*}",
		      "gone", (char *)NULL, "here", "x",
		      "obj", json_pack("{s:[i,i]}", "a", 1, 2),
		      "nobj", (json_t *)NULL, "arr", json_pack("[s]", "y"));
	expect_same(take_line(f, "e"),
		    json_pack("{s:s, s:{s:[i,i]}, s:[s]}", "here", "x", "obj",
			      "a", 1, 2, "arr", "y"));
}

static void test_escapes(void **st)
{
	fixture_t *f = *st;
	const char *s = "q\"b\\s/\n\r\t\x01\x1f" "end é 中 😀";

	ua_event_emit(f->ev, "e", NULL, "{s:s}", "v", s);
	expect_same(take_line(f, "e"), json_pack("{s:s}", "v", s));
}

static void test_bad_utf8_costs_one_char(void **st)
{
	fixture_t *f = *st;
	/* lone continuation, overlong, surrogate, truncated sequence */
	char s[] = "a\x80" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x82";
	char fixed[sizeof(s)];

	memcpy(fixed, s, sizeof(s));
	ua_event_fix_utf8(fixed);
	ua_event_emit(f->ev, "e", NULL, "{s:s, s:i}", "v", s, "n", 7);
	expect_same(take_line(f, "e"),
		    json_pack("{s:s, s:i}", "v", fixed, "n", 7));
}

static void test_nested_goes_through_jansson(void **st)
{
	fixture_t *f = *st;

	ua_event_emit(f->ev, "e", NULL, "{s:{s:i, s:s}, s:[i]}", "o", "a", 1,
		      "b", "x", "l", 5);
	expect_same(take_line(f, "e"),
		    json_pack("{s:{s:i, s:s}, s:[i]}", "o", "a", 1, "b", "x",
			      "l", 5));
	/* a NULL where a value is required: the line says why */
	ua_event_emit(f->ev, "e", NULL, "{s:{s:s}}", "o", "a", (char *)NULL);
	{
		json_t *j = take_line(f, "e");

		assert_non_null(json_object_get(j, "pack_error"));
		json_decref(j);
	}
}

static void test_human_mode(void **st)
{
	fixture_t *f = *st;
	ua_event_t *h = ua_event_new(f->out, false);

	assert_non_null(h);
	ua_event_emit(h, "e", "hello world", "{s:i}", "n", 1);
	ua_event_emit(h, "e2", NULL, NULL);
	fflush(f->out);
	assert_int_equal(f->len, strlen("hello world\ne2\n"));
	assert_memory_equal(f->buf, "hello world\ne2\n", f->len);
	ua_event_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scalars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_digits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_optional_and_objects,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_utf8_costs_one_char,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_nested_goes_through_jansson, setup, teardown),
		cmocka_unit_test_setup_teardown(test_human_mode, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
