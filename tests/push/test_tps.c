/*
 * test_tps.c - unit tests of push/tps.c: TPSLIST matching, including the
 * Avaya guide's own examples (company.com vs .company.com).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "push/status.h"
#include "push/tps.h"

#define T PUSH_TPS_TRUSTED
#define U PUSH_TPS_UNTRUSTED

static void check(const char *list, const char *href, push_tps_result_t want)
{
	char err[256] = "";
	push_tps_result_t got = push_tps_check(list, href, err, sizeof(err));

	if (got != want)
		fail_msg("tpslist '%s', href '%s': got %d, want %d %s",
			 list ? list : "(null)", href ? href : "(null)", got,
			 want, err);
}

static void test_avaya_examples(void **st)
{
	(void)st;
	/* A46-p62: "company.com" accepts all three, hacker included */
	check("company.com", "http://www.company.com", T);
	check("company.com", "http://associate.company.com", T);
	check("company.com", "http://www.hackercompany.com", T);
	/* ".company.com": the hacker URL is not acceptable */
	check(".company.com", "http://www.company.com", T);
	check(".company.com", "http://associate.company.com/x.xml", T);
	check(".company.com", "http://www.hackercompany.com", U);
	check(".company.com", "http://company.com/", U);
}

static void test_disabled_and_all(void **st)
{
	(void)st;
	check("", "http://a.example/", PUSH_TPS_DISABLED);
	check(NULL, "http://a.example/", PUSH_TPS_DISABLED);
	check(" , ,", "http://a.example/", PUSH_TPS_DISABLED);
	assert_false(push_tps_enabled(""));
	assert_false(push_tps_enabled(" ,"));
	assert_true(push_tps_enabled("/"));
	check("/", "http://anything.example:81/p?q=1", T);
	check("/", "https://[::1]/", T);
	check("x.org,/", "http://y.example/", T);
}

static void test_addresses(void **st)
{
	(void)st;
	check("10.0.0.5", "http://10.0.0.5/push.xml", T);
	check("10.0.0.5", "http://110.0.0.5/push.xml", U);
	check("10.0.0.5", "http://10.0.0.50/push.xml", U);
	check("127.0.0.1:8081", "http://127.0.0.1:8081/a", T);
	check("127.0.0.1:8081", "http://127.0.0.1:8082/a", U);
	check("127.0.0.1:8081", "http://127.0.0.1/a", U);
	check("h.example:80", "http://h.example/a", T);
	check("h.example:443", "https://h.example/a", T);
	check("[::1]", "http://[::1]:8080/a", T);
	check("[::1]:8080", "http://[::1]:8081/a", U);
}

static void test_paths(void **st)
{
	(void)st;
	check("tps.example/push", "http://tps.example/push/a.xml", T);
	check("tps.example/push", "http://tps.example/other/a.xml", U);
	check("tps.example/push", "http://www.tps.example/push", T);
	check("127.0.0.1:9000/apps/", "http://127.0.0.1:9000/apps/t.xml", T);
	check("127.0.0.1:9000/apps/", "http://127.0.0.1:9000/app.xml", U);
}

static void test_lists_and_case(void **st)
{
	(void)st;
	check("a.example,b.org", "http://www.b.org/", T);
	check("a.example, b.org ", "http://www.b.org/", T);
	check("a.example,b.org", "http://c.net/", U);
	check("Company.COM", "http://WWW.company.com/", T);
	check("http://company.com", "http://www.company.com/", T);
	check("https://company.com/x", "https://company.com/x/y", T);
	check("a.example,,b.org", "http://b.org/", T);
}

static void test_hostile_urls(void **st)
{
	char longurl[PUSH_HREF_MAX + 2];

	(void)st;
	/* the host is what a real URL parse says, not a prefix */
	check("trusted.example", "http://trusted.example@evil.org/", U);
	check("trusted.example", "http://evil.org/trusted.example", U);
	check("trusted.example", "http://evil.org?trusted.example", U);
	check("trusted.example", "http://evil.org#trusted.example", U);
	check("trusted.example", "ftp://trusted.example/", PUSH_TPS_NOT_HTTP);
	check("trusted.example", "file:///etc/passwd", PUSH_TPS_BAD_URI);
	check("/", "javascript:alert(1)", PUSH_TPS_BAD_URI);
	check("/", "/relative/path.xml", PUSH_TPS_BAD_URI);
	check("/", "trusted.example/a.xml", PUSH_TPS_BAD_URI);
	check("/", "", PUSH_TPS_BAD_URI);
	check("/", NULL, PUSH_TPS_BAD_URI);
	check("/", "http://", PUSH_TPS_BAD_URI);
	check("/", "http://a b/", PUSH_TPS_BAD_URI);
	/* 1024 characters are fine, 1025 are not */
	memset(longurl, 'a', sizeof(longurl));
	memcpy(longurl, "http://h.example/", 17);
	longurl[PUSH_HREF_MAX] = '\0';
	check("/", longurl, T);
	longurl[PUSH_HREF_MAX] = 'a';
	longurl[PUSH_HREF_MAX + 1] = '\0';
	check("/", longurl, PUSH_TPS_BAD_URI);
}

static void test_codes(void **st)
{
	(void)st;
	assert_int_equal(push_tps_code(PUSH_TPS_TRUSTED), 200);
	assert_int_equal(push_tps_code(PUSH_TPS_DISABLED), 201);
	assert_int_equal(push_tps_code(PUSH_TPS_BAD_URI), 501);
	assert_int_equal(push_tps_code(PUSH_TPS_NOT_HTTP), 402);
	assert_int_equal(push_tps_code(PUSH_TPS_UNTRUSTED), 402);
	assert_int_equal(push_status_http(402), 403);
	assert_true(push_href_valid("http://a.example/"));
	assert_false(push_href_valid("nope"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_avaya_examples),
		cmocka_unit_test(test_disabled_and_all),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_lists_and_case),
		cmocka_unit_test(test_hostile_urls),
		cmocka_unit_test(test_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
