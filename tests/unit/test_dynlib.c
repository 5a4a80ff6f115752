/*
 * test_dynlib.c - common/dynlib.c: a table filled from a real library;
 * a library that is not there and a symbol that is not there give an
 * error that names them and leave the table as it was; a failure is
 * remembered (a library that appears at once is not tried again);
 * libcurl opens under the soname configure found, and its URL parser
 * works.  A failure is remembered per library: each test that fails one
 * uses a library of its own.
 */
#define _GNU_SOURCE 1           /* dladdr(): where the C library is */
#include "config.h"

#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/curl_dl.h"
#include "common/dynlib.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct {
	PN_DYNLIB_PTR(strlen);
	PN_DYNLIB_PTR(memchr);
} c;

static void test_fills_the_table(void **st)
{
	const pn_dynlib_sym_t syms[] = {
		PN_DYNLIB_SYM(c, strlen), PN_DYNLIB_SYM(c, memchr),
	};
	const char *abc = "abc";
	char err[256] = "";

	(void)st;
	memset(&c, 0, sizeof(c));
	assert_int_equal(pn_dynlib_open("libc.so.6", syms, N(syms), err,
					sizeof(err)), 0);
	assert_non_null(c.strlen);
	assert_int_equal(c.strlen("phone"), 5);
	assert_ptr_equal(c.memchr(abc, 'c', 3), abc + 2);
	/* opened again: the same */
	assert_int_equal(pn_dynlib_open("libc.so.6", syms, N(syms), err,
					sizeof(err)), 0);
}

static void test_missing_library(void **st)
{
	const pn_dynlib_sym_t syms[] = { PN_DYNLIB_SYM(c, strlen) };
	char err[256] = "";

	(void)st;
	memset(&c, 0, sizeof(c));
	assert_int_equal(pn_dynlib_open("libpnphone-none.so.9", syms,
					N(syms), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "libpnphone-none.so.9"));
	assert_null(c.strlen);
}

static void test_missing_symbol(void **st)
{
	void *nope = NULL;
	const pn_dynlib_sym_t syms[] = {
		PN_DYNLIB_SYM(c, strlen),
		{ "pn_dynlib_no_such_symbol", &nope },
	};
	char err[256] = "";

	(void)st;
	memset(&c, 0, sizeof(c));
	assert_int_equal(pn_dynlib_open("libm.so.6", syms, N(syms), err,
					sizeof(err)), -1);
	assert_non_null(strstr(err, "pn_dynlib_no_such_symbol"));
	/* all or nothing: strlen was found, and still not set */
	assert_null(c.strlen);
	assert_null(nope);
}

/* Not there, then there (a link to the C library): still the first
 * answer, without a dlopen(), for PN_DYNLIB_RETRY_S. */
static void test_failure_remembered(void **st)
{
	const pn_dynlib_sym_t syms[] = { PN_DYNLIB_SYM(c, strlen) };
	char dir[] = "/tmp/pn-dynlib-XXXXXX", path[64];
	char err[256] = "", again[256] = "";
	Dl_info libc;

	(void)st;
	memset(&c, 0, sizeof(c));
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/libpn-later.so", dir);
	assert_int_equal(pn_dynlib_open(path, syms, N(syms), err,
					sizeof(err)), -1);
	assert_true(dladdr((void *)strlen, &libc) != 0);
	assert_int_equal(symlink(libc.dli_fname, path), 0);
	assert_int_equal(pn_dynlib_open(path, syms, N(syms), again,
					sizeof(again)), -1);
	assert_string_equal(again, err);
	assert_null(c.strlen);
	unlink(path);
	rmdir(dir);
}

/* What configure found is what the phone will open. */
static void test_curl_loads(void **st)
{
	char err[256] = "";
	CURLU *u;
	char *host = NULL;

	(void)st;
	assert_int_equal(pn_curl_load(err, sizeof(err)), 0);
	assert_int_equal(pn_curl_load(err, sizeof(err)), 0);
	u = pn_curl.curl_url();
	assert_non_null(u);
	assert_int_equal(pn_curl.curl_url_set(u, CURLUPART_URL,
					      "http://push.example:8080/x", 0),
			 CURLUE_OK);
	assert_int_equal(pn_curl.curl_url_get(u, CURLUPART_HOST, &host, 0),
			 CURLUE_OK);
	assert_string_equal(host, "push.example");
	pn_curl.curl_free(host);
	pn_curl.curl_url_cleanup(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fills_the_table),
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_missing_symbol),
		cmocka_unit_test(test_failure_remembered),
		cmocka_unit_test(test_curl_loads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
