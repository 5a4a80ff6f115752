/*
 * test_status.c - unit tests of the SIP status-code catalogue (ua/status.c).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ua/status.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The codes of the two response-code lists the catalogue was seeded with,
 * transcribed by hand from /work/shared/seeds/002_e83698b3c0899f29.txt
 * (English table with Persian notes) and
 * /work/shared/seeds/004_3c12c047dc35f545.txt (Vietnamese list).
 */
static const int seed_002[] = {
	100, 101, 180, 181, 182, 183, 199,
	200, 202, 204,
	300, 301, 302, 305, 380,
	400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413,
	414, 415, 416, 417, 420, 421, 422, 423, 424, 428, 429, 430, 433, 436,
	437, 438, 439, 470, 480, 481, 482, 483, 484, 485, 486, 487, 488, 489,
	491, 493, 494,
	500, 501, 502, 503, 504, 505, 513, 580,
	600, 603, 604, 606,
};

static const int seed_004[] = {
	100, 180, 181, 182, 183,
	200, 202,
	300, 301, 302, 305, 380,
	400, 401, 402, 403, 404, 405, 406, 407, 408, 410, 413, 414, 415, 416,
	420, 421, 423, 480, 481, 482, 483, 484, 485, 486, 487, 488, 491, 493,
	500, 501, 502, 503, 504, 505, 513,
	600, 603, 604, 606,
};

/* The configuration keys a hint may name. */
static const char *const known_keys[] = {
	"account.user", "account.password", "account.aor",
	"account.registrar", "account.outbound_proxy", "account.expires",
	"call.codecs", "sip.listen", "sip.transport",
};

static int in_list(int code, const int *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == code)
			return 1;
	return 0;
}

static void test_seed_codes_present(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(seed_002); i++) {
		const ua_status_t *s = ua_status_find(seed_002[i]);

		if (s == NULL)
			fail_msg("seed 002 code %d missing", seed_002[i]);
		assert_int_equal(s->code, seed_002[i]);
	}
	for (size_t i = 0; i < ARRAY_LEN(seed_004); i++) {
		const ua_status_t *s = ua_status_find(seed_004[i]);

		if (s == NULL)
			fail_msg("seed 004 code %d missing", seed_004[i]);
		assert_int_equal(s->code, seed_004[i]);
	}
}

/* The catalogue is the union of the seeds, and nothing invented. */
static void test_only_seed_codes(void **state)
{
	size_t n = ua_status_count();
	size_t union_n = ARRAY_LEN(seed_002);

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(seed_004); i++)
		if (!in_list(seed_004[i], seed_002, ARRAY_LEN(seed_002)))
			union_n++;
	for (size_t i = 0; i < n; i++) {
		int code = ua_status_at(i)->code;

		if (!in_list(code, seed_002, ARRAY_LEN(seed_002)) &&
		    !in_list(code, seed_004, ARRAY_LEN(seed_004)))
			fail_msg("code %d is in no seed", code);
	}
	assert_int_equal(n, union_n);
}

static void test_reasons(void **state)
{
	(void)state;
	assert_string_equal(ua_status_find(401)->reason, "Unauthorized");
	assert_string_equal(ua_status_find(407)->reason,
			    "Proxy Authentication Required");
	assert_string_equal(ua_status_find(423)->reason, "Interval Too Brief");
	assert_string_equal(ua_status_find(486)->reason, "Busy Here");
	assert_string_equal(ua_status_find(603)->reason, "Decline");
	assert_string_equal(ua_status_find(101)->reason,
			    "Dialogue Establishment");
	assert_string_equal(ua_status_find(183)->reason, "Session Progress");
	assert_string_equal(ua_status_find(480)->reason,
			    "Temporarily Unavailable");
	assert_string_equal(ua_status_find(484)->reason, "Address Incomplete");
	assert_string_equal(ua_status_find(500)->reason,
			    "Server Internal Error");
	/* phrases as registered now, where the seed's differ */
	assert_string_equal(ua_status_find(181)->reason,
			    "Call Is Being Forwarded");
	assert_string_equal(ua_status_find(436)->reason, "Bad Identity Info");
	assert_string_equal(ua_status_find(437)->reason,
			    "Unsupported Credential");
	assert_string_equal(ua_status_find(482)->reason, "Loop Detected");
	assert_string_equal(ua_status_find(504)->reason, "Server Time-out");
	assert_string_equal(ua_status_reason(404), "Not Found");
	assert_string_equal(ua_status_reason(299), "Success");
	assert_string_equal(ua_status_reason(700), "Unknown");
	assert_string_equal(ua_status_reason(-1), "Unknown");
}

static void test_sorted_unique(void **state)
{
	size_t n = ua_status_count();

	(void)state;
	assert_true(n > 0);
	for (size_t i = 1; i < n; i++)
		if (ua_status_at(i - 1)->code >= ua_status_at(i)->code)
			fail_msg("entries %zu (%d) and %zu (%d) out of order",
				 i - 1, ua_status_at(i - 1)->code, i,
				 ua_status_at(i)->code);
	assert_null(ua_status_at(n));
	assert_null(ua_status_at(SIZE_MAX));
	/* every entry is found, by the binary search, as itself */
	for (size_t i = 0; i < n; i++) {
		const ua_status_t *s = ua_status_at(i);

		assert_true(s->code >= 100 && s->code <= 699);
		assert_ptr_equal(ua_status_find(s->code), s);
		assert_ptr_equal(ua_status_lookup(s->code), s);
	}
}

/* Each key-like word of TEXT (account.*, call.*, sip.*) is a real key. */
static void check_keys(int code, const char *text)
{
	static const char *const prefixes[] = { "account.", "call.", "sip." };

	for (const char *p = text; *p != '\0'; p++) {
		if (p != text && (p[-1] == '.' || p[-1] == '_' ||
				  (p[-1] >= 'a' && p[-1] <= 'z')))
			continue;
		for (size_t k = 0; k < ARRAY_LEN(prefixes); k++) {
			size_t len = 0;
			int ok = 0;

			if (strncmp(p, prefixes[k], strlen(prefixes[k])) != 0)
				continue;
			while (p[len] == '.' || p[len] == '_' ||
			       (p[len] >= 'a' && p[len] <= 'z'))
				len++;
			while (len > 0 && p[len - 1] == '.')
				len--;
			for (size_t j = 0; j < ARRAY_LEN(known_keys); j++)
				if (strlen(known_keys[j]) == len &&
				    strncmp(p, known_keys[j], len) == 0)
					ok = 1;
			if (!ok)
				fail_msg("%d: unknown key in \"%s\"", code, text);
		}
	}
}

static void check_entry(const ua_status_t *s)
{
	assert_non_null(s->reason);
	assert_non_null(s->explain);
	assert_non_null(s->hint);
	assert_non_null(s->action);
	if (s->reason[0] == '\0' || s->explain[0] == '\0' ||
	    s->action[0] == '\0')
		fail_msg("%d: empty reason, explain or action", s->code);
	/* they continue a sentence: no final full stop, no line break */
	if (s->explain[strlen(s->explain) - 1] == '.' ||
	    s->action[strlen(s->action) - 1] == '.' ||
	    (s->hint[0] != '\0' && s->hint[strlen(s->hint) - 1] == '.'))
		fail_msg("%d: text ends with a full stop", s->code);
	if (strpbrk(s->reason, "\r\n") || strpbrk(s->explain, "\r\n") ||
	    strpbrk(s->hint, "\r\n") || strpbrk(s->action, "\r\n"))
		fail_msg("%d: text with a line break", s->code);
	check_keys(s->code, s->hint);
}

static void test_texts_filled(void **state)
{
	static const int generic[] = { 150, 250, 350, 450, 550, 650 };

	(void)state;
	for (size_t i = 0; i < ua_status_count(); i++)
		check_entry(ua_status_at(i));
	for (size_t i = 0; i < ARRAY_LEN(generic); i++)
		check_entry(ua_status_lookup(generic[i]));
}

static void test_hints_and_actions(void **state)
{
	(void)state;
	assert_string_equal(ua_status_find(401)->hint,
			    "check account.user and account.password");
	assert_string_equal(ua_status_find(407)->hint,
			    "check account.user and account.password");
	assert_string_equal(ua_status_find(423)->hint, "");
	assert_non_null(strstr(ua_status_find(404)->hint, "account.aor"));
	assert_non_null(strstr(ua_status_find(423)->action, "Min-Expires"));
	assert_non_null(strstr(ua_status_find(422)->action, "Min-SE"));
	assert_non_null(strstr(ua_status_find(503)->action, "Retry-After"));
	assert_non_null(strstr(ua_status_find(302)->action, "5 redirects"));
	assert_non_null(strstr(ua_status_find(491)->action, "random"));
}

static void test_format_403(void **state)
{
	static const char want[] =
		"403 Forbidden — the server refused these credentials; "
		"check account.user and account.password";
	char buf[256];
	int n;

	(void)state;
	n = ua_status_format(buf, sizeof buf, 403, NULL);
	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
	/* the dash is U+2014 in UTF-8, between spaces */
	assert_memory_equal(buf + 13, " \xe2\x80\x94 ", 5);
}

static void test_format_empty_hint(void **state)
{
	static const char want[] =
		"603 Decline — the person you called declined the call";
	char buf[256];

	(void)state;
	assert_string_equal(ua_status_find(603)->hint, "");
	assert_int_equal(ua_status_format(buf, sizeof buf, 603, NULL),
			 (int)strlen(want));
	assert_string_equal(buf, want);
	assert_null(strchr(buf, ';'));
}

static void test_format_wire_reason(void **state)
{
	char buf[256];

	(void)state;
	ua_status_format(buf, sizeof buf, 486, "Busy");
	assert_string_equal(buf, "486 Busy — the person you called is busy; "
			    "try again later");
	/* an empty wire phrase is no phrase: the catalogue's is used */
	ua_status_format(buf, sizeof buf, 486, "");
	assert_string_equal(buf, "486 Busy Here — the person you called is "
			    "busy; try again later");
	ua_status_format(buf, sizeof buf, 486, NULL);
	assert_string_equal(buf, "486 Busy Here — the person you called is "
			    "busy; try again later");
}

static void test_format_truncated(void **state)
{
	char full[256];
	char small[32];
	int need;

	(void)state;
	need = ua_status_format(full, sizeof full, 403, NULL);
	assert_true(need > 16);

	memset(small, 'X', sizeof small);
	assert_int_equal(ua_status_format(small, 16, 403, NULL), need);
	assert_int_equal(small[15], '\0');
	assert_memory_equal(small, full, 15);
	for (size_t i = 16; i < sizeof small; i++)
		assert_int_equal(small[i], 'X');

	memset(small, 'X', sizeof small);
	assert_int_equal(ua_status_format(small, 1, 403, NULL), need);
	assert_int_equal(small[0], '\0');
	assert_int_equal(small[1], 'X');

	/* size 0 writes nothing, even with no buffer */
	memset(small, 'X', sizeof small);
	assert_int_equal(ua_status_format(small, 0, 403, NULL), need);
	assert_int_equal(small[0], 'X');
	assert_int_equal(ua_status_format(NULL, 0, 403, NULL), need);
	/* no buffer is never written, whatever the size says */
	assert_int_equal(ua_status_format(NULL, 16, 403, NULL), need);
	assert_int_equal(ua_status_format(NULL, 0, 800, "Odd"),
			 (int)strlen("800 Odd"));
}

static void test_generic_fallback(void **state)
{
	static const struct {
		int code;
		const char *reason;
	} cases[] = {
		{ 199, "Early Dialog Terminated" },
		{ 150, "Provisional" },
		{ 299, "Success" },
		{ 399, "Redirection" },
		{ 499, "Client Error" },
		{ 599, "Server Error" },
		{ 699, "Global Failure" },
	};
	char buf[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const ua_status_t *s = ua_status_lookup(cases[i].code);

		assert_non_null(s);
		assert_string_equal(s->reason, cases[i].reason);
	}
	assert_null(ua_status_find(299));
	assert_null(ua_status_find(499));
	assert_null(ua_status_find(699));
	/* generic entries are not iterated */
	for (size_t i = 0; i < ua_status_count(); i++) {
		assert_ptr_not_equal(ua_status_at(i), ua_status_lookup(299));
		assert_ptr_not_equal(ua_status_at(i), ua_status_lookup(499));
		assert_ptr_not_equal(ua_status_at(i), ua_status_lookup(699));
	}

	ua_status_format(buf, sizeof buf, 299, NULL);
	assert_string_equal(buf, "299 Success — the request succeeded");
	ua_status_format(buf, sizeof buf, 499, "Odd Thing");
	assert_memory_equal(buf, "499 Odd Thing — ", strlen("499 Odd Thing — "));
}

static void test_outside_classes(void **state)
{
	static const int codes[] = { 99, 700, -1, 0, 1000, INT_MIN, INT_MAX };
	char buf[64];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(codes); i++) {
		assert_null(ua_status_lookup(codes[i]));
		assert_null(ua_status_find(codes[i]));
		assert_string_equal(ua_status_reason(codes[i]), "Unknown");
	}
	assert_int_equal(ua_status_format(buf, sizeof buf, 700, NULL), 11);
	assert_string_equal(buf, "700 Unknown");
	ua_status_format(buf, sizeof buf, 99, "Strange");
	assert_string_equal(buf, "99 Strange");
	ua_status_format(buf, sizeof buf, -1, "");
	assert_string_equal(buf, "-1 Unknown");
	ua_status_format(buf, sizeof buf, INT_MIN, NULL);
	assert_string_equal(buf, "-2147483648 Unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_codes_present),
		cmocka_unit_test(test_only_seed_codes),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_sorted_unique),
		cmocka_unit_test(test_texts_filled),
		cmocka_unit_test(test_hints_and_actions),
		cmocka_unit_test(test_format_403),
		cmocka_unit_test(test_format_empty_hint),
		cmocka_unit_test(test_format_wire_reason),
		cmocka_unit_test(test_format_truncated),
		cmocka_unit_test(test_generic_fallback),
		cmocka_unit_test(test_outside_classes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
