/*
 * test_pushd_api.c - the gateway's pure parts: the Volt MX request
 * parser and messageResponse (pushd/api.h), the text templates
 * (pushd/tmpl.h) and the event catalogue's codes (pushd/catalog.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pushd/api.h"
#include "pushd/catalog.h"
#include "pushd/keys.h"
#include "pushd/tmpl.h"

static pushd_req_t *parse_ok(pushd_fmt_t f, const char *body)
{
	pushd_req_t *r = NULL;
	char why[256];
	int rc = pushd_api_parse(f, body, strlen(body), 100, &r, why,
				 sizeof(why));

	if (rc)
		print_error("unexpected 400: %s\n", why);
	assert_int_equal(rc, 0);
	return r;
}

static void parse_bad(pushd_fmt_t f, const char *body)
{
	pushd_req_t *r = NULL;
	char why[256];

	assert_int_equal(pushd_api_parse(f, body, strlen(body), 2, &r, why,
					 sizeof(why)), 400);
	assert_null(r);
	assert_true(why[0] != '\0');
}

static void test_json(void **state)
{
	pushd_req_t *r;

	(void)state;
	r = parse_ok(PUSHD_JSON, "{\"event\":{\"message\":{\"content\":"
		"{\"priorityService\":\"true\",\"mimeType\":\"text/plain\","
		"\"data\":\"d\"},\"subscribers\":{\"subscriber\":[{\"ksid\":"
		"\"12\"},{\"ksid\":13,\"ufid\":\"u\",\"deviceId\":\"m\"}]}},"
		"\"eventNamePairs\":{\"key\":[{\"name\":\"n\",\"content\":"
		"\"c\"}]},\"eventid\":1}}");
	assert_string_equal(r->eventid, "1");
	assert_int_equal(r->nsubs, 2);
	assert_string_equal(r->subs[0].ksid, "12");
	assert_false(r->subs[0].numeric);
	assert_string_equal(r->subs[1].ksid, "13");
	assert_true(r->subs[1].numeric);
	assert_string_equal(r->subs[1].ufid, "u");
	assert_string_equal(r->subs[1].device_id, "m");
	assert_null(r->subs[0].ufid);
	assert_true(r->priority);
	assert_string_equal(r->data, "d");
	assert_int_equal(r->npairs, 1);
	assert_string_equal(r->pairs[0].content, "c");
	pushd_req_free(r);
	/* one subscriber as an object, boolean priority */
	r = parse_ok(PUSHD_JSON, "{\"event\":{\"eventid\":\"x\",\"message\":"
		"{\"subscribers\":{\"subscriber\":{\"ksid\":1}},\"content\":"
		"{\"mimeType\":\"text/plain\",\"priorityService\":false}}}}");
	assert_int_equal(r->nsubs, 1);
	assert_false(r->priority);
	pushd_req_free(r);
	parse_bad(PUSHD_JSON, "{");
	parse_bad(PUSHD_JSON, "");
	parse_bad(PUSHD_JSON, "{\"event\":{\"eventid\":true,\"message\":{}}}");
	parse_bad(PUSHD_JSON, "{\"event\":{\"eventid\":\"1\",\"message\":{"
		  "\"subscribers\":{\"subscriber\":[{\"ksid\":1},{\"ksid\":2},"
		  "{\"ksid\":3}]},\"content\":{\"mimeType\":\"t\"}}}}");
	parse_bad(PUSHD_JSON, "{\"event\":{\"eventid\":\"1\",\"message\":{"
		  "\"subscribers\":{\"subscriber\":[{\"ksid\":[1]}]},"
		  "\"content\":{\"mimeType\":\"t\"}}}}");
	parse_bad(PUSHD_JSON, "{\"event\":{\"eventid\":\"1\",\"message\":{"
		  "\"subscribers\":{\"subscriber\":[{\"ksid\":1}]},"
		  "\"content\":{\"mimeType\":\"t\",\"data\":\"a\\u0001\"}}}}");
}

static void test_xml(void **state)
{
	pushd_req_t *r;

	(void)state;
	r = parse_ok(PUSHD_XML, "<?xml version='1.0' encoding='UTF-8'?>"
		"<event><eventid>1</eventid><eventNamePairs><key name=\"a\" "
		"content=\"b\"/><key><name>c</name><content>d</content></key>"
		"</eventNamePairs><message><subscribers><subscriber "
		"ksid=\"5\"/><subscriber><ksid>6</ksid></subscriber>"
		"</subscribers><content><mimeType>text/plain</mimeType>"
		"<priorityService>TRUE</priorityService></content></message>"
		"</event>");
	assert_string_equal(r->eventid, "1");
	assert_int_equal(r->npairs, 2);
	assert_string_equal(r->pairs[1].name, "c");
	assert_int_equal(r->nsubs, 2);
	assert_string_equal(r->subs[1].ksid, "6");
	assert_true(r->priority);
	assert_null(r->data);
	pushd_req_free(r);
	parse_bad(PUSHD_XML, "<event>");
	parse_bad(PUSHD_XML, "<other/>");
	parse_bad(PUSHD_XML, "<!DOCTYPE event><event/>");
	parse_bad(PUSHD_XML, "<event><eventid>1</eventid><message>"
		  "<subscribers/><content><mimeType>t</mimeType></content>"
		  "</message></event>");
}

static void test_format(void **state)
{
	bool known;

	(void)state;
	assert_int_equal(pushd_api_format("application/json;charset=UTF-8",
					  "", 0, &known), PUSHD_JSON);
	assert_true(known);
	assert_int_equal(pushd_api_format("text/xml; charset=UTF-8", "{", 1,
					  &known), PUSHD_XML);
	assert_true(known);
	assert_int_equal(pushd_api_format("text/plain", " {", 2, &known),
			 PUSHD_JSON);
	assert_false(known);
	assert_int_equal(pushd_api_format(NULL, "<a/>", 4, &known),
			 PUSHD_XML);
	assert_false(known);
}

static void test_render(void **state)
{
	pushd_sub_ref_t s = { .ksid = (char *)"7" }, t = { .ksid = (char *)"a<" };
	const pushd_sub_ref_t *inv[] = { &s, &t };
	size_t len;
	char *b;

	(void)state;
	b = pushd_api_render(PUSHD_XML, 200, 42, NULL, 0, &len);
	assert_string_equal(b, "<messageResponse>\n    <code>200</code>\n"
		"    <description>Request Queued. </description>\n"
		"    <messages>\n        <message msgId=\"42\"></message>\n"
		"    </messages>\n</messageResponse>\n");
	free(b);
	b = pushd_api_render(PUSHD_XML, 200, -1, inv, 2, &len);
	assert_non_null(strstr(b, "<subscriber ksid=\"7\"></subscriber>"));
	assert_non_null(strstr(b, "<subscriber ksid=\"a&lt;\"></subscriber>"));
	assert_non_null(strstr(b, "msgId=\"-1\""));
	free(b);
	b = pushd_api_render(PUSHD_JSON, 500, -1, NULL, 0, &len);
	assert_string_equal(b, "{\n  \"500\": \"Server failed to process the "
			    "request.\"\n}");
	free(b);
	assert_string_equal(pushd_api_description(PUSHD_JSON, 400),
			    "Invalid request format. ");
	assert_string_equal(pushd_api_description(PUSHD_XML, 400),
			    "Invalid request format.");
	assert_string_equal(pushd_api_description(PUSHD_XML, 406),
			    "Invalid Volt MX Event ID. ");
}

static void test_tmpl(void **state)
{
	pushd_pair_t p[] = { { (char *)"name", (char *)"Bob" },
			     { (char *)"n", (char *)"{name}" } };
	char *t;

	(void)state;
	t = pushd_tmpl_fill("Hi {name}, {n} {missing} {{x} {", p, 2, 100);
	assert_string_equal(t, "Hi Bob, {name} {missing} {x} {");
	free(t);
	/* cut on a character boundary: "é" is two bytes */
	t = pushd_tmpl_fill("ab\xc3\xa9", NULL, 0, 3);
	assert_string_equal(t, "ab");
	free(t);
	t = strdup("a\xc3\xa9z");
	pushd_utf8_cut_chars(t, 2);
	assert_string_equal(t, "a\xc3\xa9");
	free(t);
}

static void test_catalog(void **state)
{
	conf_t *c = pushd_conf_new();
	pushd_event_t e;
	char err[256];
	static const char cfg[] =
		"app.a.name = A\napp.off.published = off\n"
		"event.1.app = a\nevent.1.text = T\nevent.1.type = display\n"
		"event.2.app = none\nevent.3.app = off\n"
		"event.4.app = a\nevent.4.published = off\n";

	(void)state;
	assert_int_equal(conf_load_buffer(c, "t", cfg, strlen(cfg), err,
					  sizeof(err)), 0);
	assert_int_equal(pushd_catalog_find(c, "1", &e), 200);
	assert_true(e.display);
	assert_string_equal(e.text, "T");
	assert_int_equal(pushd_catalog_find(c, "2", &e), 404);
	assert_int_equal(pushd_catalog_find(c, "3", &e), 405);
	assert_int_equal(pushd_catalog_find(c, "4", &e), 407);
	assert_int_equal(pushd_catalog_find(c, "5", &e), 406);
	assert_int_equal(pushd_catalog_find(c, "a.b", &e), 406);
	conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_xml),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_tmpl),
		cmocka_unit_test(test_catalog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
