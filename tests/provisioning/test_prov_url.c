/*
 * test_prov_url.c - unit tests of the provisioning URL normaliser
 * (provisioning/prov_url.c): trimming, the TFTP default, the AudioCodes
 * FIRMWARE;CONFIG form, placeholders, the <mac>.cfg default, refused
 * schemes and servers, long and broken input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provisioning/prov_url.h"

#define MAC "00163E5A1B2C"          /* as a user may type it */
#define MACL "00163e5a1b2c"         /* as the phone must use it */
#define MODEL "440HD"

static char out[PROV_URL_MAX], err[256];

static int norm_len(const char *in, size_t len, const char *model)
{
	memset(out, 'X', sizeof(out));
	out[sizeof(out) - 1] = '\0';
	err[0] = '\0';
	return prov_url_normalize(in, len, MAC, model, out, sizeof(out), err,
				  sizeof(err));
}

/* IN must normalise to WANT. */
static void ok(const char *in, const char *want)
{
	int rc = norm_len(in, strlen(in), MODEL);

	if (rc != 0)
		print_error("'%s' refused: %s\n", in, err);
	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
}

/* IN must be refused, the reason containing WHY, OUT left empty. */
static void refused(const char *in, size_t len, const char *why)
{
	int rc = norm_len(in, len, MODEL);

	if (rc == 0)
		print_error("'%s' accepted as '%s'\n", in, out);
	assert_int_equal(rc, -1);
	assert_int_equal(out[0], '\0');
	assert_non_null(strstr(err, why));
}

/* IN with MODEL must normalise to WANT. */
static void with_model(const char *in, const char *model, const char *want)
{
	assert_int_equal(norm_len(in, strlen(in), model), 0);
	assert_string_equal(out, want);
}

/* A literal's length, NULs inside included. */
#define REFUSED(lit, why) refused(lit, sizeof(lit) - 1, why)

static void test_trim(void **state)
{
	(void)state;
	ok("  http://10.0.0.1/a.cfg", "http://10.0.0.1/a.cfg");
	ok("http://10.0.0.1/a.cfg \t\r\n", "http://10.0.0.1/a.cfg");
	ok("\r\n\t http://10.0.0.1/a.cfg\r\n", "http://10.0.0.1/a.cfg");
	/* only the first line counts */
	ok("http://10.0.0.1/a.cfg\r\nhttp://evil.example/b.cfg",
	   "http://10.0.0.1/a.cfg");
}

static void test_no_scheme_is_tftp(void **state)
{
	(void)state;
	ok("10.0.0.1/x.cfg", "tftp://10.0.0.1/x.cfg");
	ok("10.0.0.1:6969/x.cfg", "tftp://10.0.0.1:6969/x.cfg");
	/* a host name followed by a port is not a scheme */
	ok("prov.example.com:8080/x.cfg", "tftp://prov.example.com:8080/x.cfg");
	ok("prov.example.com", "tftp://prov.example.com/" MACL ".cfg");
}

static void test_schemes_accepted(void **state)
{
	(void)state;
	ok("tftp://h/a.cfg", "tftp://h/a.cfg");
	ok("http://h/a.cfg", "http://h/a.cfg");
	ok("https://h/a.cfg", "https://h/a.cfg");
	/* scheme in any case, host and path kept as given */
	ok("HTTPS://Prov.Example/A.cfg", "https://Prov.Example/A.cfg");
	ok("TfTp://h/a.cfg", "tftp://h/a.cfg");
	ok("http://user:pw@h:8080/a.cfg", "http://user:pw@h:8080/a.cfg");
	ok("http://[::1]:8080/a.cfg", "http://[::1]:8080/a.cfg");
	ok("http://h/a.cfg?sn=1&x=2", "http://h/a.cfg?sn=1&x=2");
	/* the fragment never goes to the server */
	ok("http://h/a.cfg#top", "http://h/a.cfg");
}

static void test_schemes_refused(void **state)
{
	static const char *const bad[] = {
		"file:///etc/passwd", "FILE:///etc/shadow", "file:/etc/passwd",
		"ftp://h/a.cfg", "FTP://h/a.cfg", "ftps://h/a.cfg",
		"sftp://h/a.cfg", "tftps://h/a.cfg", "ldap://h/x",
		"gopher://h/", "dict://h:11211/stat", "scp://h/a.cfg",
		"data:text/plain,account.aor=sip:x@y", "javascript:alert(1)",
		"mailto:admin@example.com", "tftp:h/a.cfg", "http:h/a.cfg",
		"averyveryverylongscheme://h/a.cfg",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i], strlen(bad[i]), "tftp, http and https");
}

static void test_audiocodes_fw_cfg(void **state)
{
	(void)state;
	/* proto://server/FIRMWARE;CONFIG: CONFIG from the server's root */
	ok("tftp://10.0.0.1/400HD.img;conf.cfg", "tftp://10.0.0.1/conf.cfg");
	ok("http://h/fw/400HD.img;/cfg/<MAC>.cfg",
	   "http://h/cfg/" MACL ".cfg");
	ok("http://h/400HD.img;<MAC>.cfg", "http://h/" MACL ".cfg");
	/* no firmware: just the configuration */
	ok("tftp://h/;x.cfg", "tftp://h/x.cfg");
	/* an empty CONFIG is the default file */
	ok("tftp://h/400HD.img;", "tftp://h/" MACL ".cfg");
	ok("10.0.0.1/fw.img;a.cfg", "tftp://10.0.0.1/a.cfg");
}

static void test_placeholders(void **state)
{
	static const char *const macs[] = {
		"<MAC>", "<mac>", "<Mac>", "{mac}", "{MAC}", "{Mac}", "$MAC",
		"$mac", "$Mac",
	};
	static const char *const models[] = {
		"<MODEL>", "<model>", "{model}", "{MODEL}", "$MODEL", "$model",
	};
	char in[128];

	(void)state;
	for (size_t i = 0; i < sizeof(macs) / sizeof(macs[0]); i++) {
		snprintf(in, sizeof(in), "http://h/cfg/%s.cfg", macs[i]);
		ok(in, "http://h/cfg/" MACL ".cfg");
	}
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		snprintf(in, sizeof(in), "http://h/%s/<MAC>.cfg", models[i]);
		ok(in, "http://h/440HD/" MACL ".cfg");
	}
	ok("http://h/$MAC-$MAC.cfg", "http://h/" MACL "-" MACL ".cfg");
	ok("http://h/a.cfg?mac={mac}&m=<model>",
	   "http://h/a.cfg?mac=" MACL "&m=440HD");
	/* something that only looks like one stays */
	ok("http://h/<MACX>.cfg", "http://h/<MACX>.cfg");
	ok("http://h/$MA.cfg", "http://h/$MA.cfg");
	/* the model is percent-encoded; an empty model is fine */
	with_model("http://h/<MODEL>.cfg", "440 HD/x",
		   "http://h/440%20HD%2Fx.cfg");
	with_model("http://h/m<MODEL>.cfg", NULL, "http://h/m.cfg");
	with_model("http://h/m{model}.cfg", "", "http://h/m.cfg");
}

static void test_default_file(void **state)
{
	(void)state;
	/* 12 lowercase hex digits, no separators, even when MAC is upper */
	ok("http://h", "http://h/" MACL ".cfg");
	ok("http://h/", "http://h/" MACL ".cfg");
	ok("tftp://127.0.0.1", "tftp://127.0.0.1/" MACL ".cfg");
	ok("http://h:8080", "http://h:8080/" MACL ".cfg");
	ok("http://h/dir/", "http://h/dir/" MACL ".cfg");
	ok("http://h/dir/?x=1", "http://h/dir/" MACL ".cfg?x=1");
	ok("http://h?x=1", "http://h/" MACL ".cfg?x=1");
	ok("http://h#frag", "http://h/" MACL ".cfg");
	/* a result normalises to itself */
	ok("http://h/" MACL ".cfg", "http://h/" MACL ".cfg");
}

static void test_no_server(void **state)
{
	(void)state;
	REFUSED("http:///a.cfg", "no server");
	REFUSED("/a.cfg", "no server");
	REFUSED("http://:8080/a.cfg", "no server");
	REFUSED("http://@h/a.cfg", "no server");
	REFUSED("tftp://;x.cfg", "no server");
}

static void test_garbage(void **state)
{
	static const char *const bad[] = {
		"!!!", "http://<>/", "http://h:abc/x", "http://h:0/x",
		"http://h:99999/x", "http://h:/x", "http://h%41/x",
		"http://h\"x/a", "http://[zz]/x", "http://[::1/x",
		"http://[::1]x/a", "http://u@/x", "http://h{mac}/x",
		"<MAC>.cfg", "http://h\\x/a", "http://a,b/x",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i], strlen(bad[i]), "not a host name or address");
	REFUSED("not a url", "space");
	REFUSED("http://h/a b.cfg", "space");
	REFUSED("http://h/a\tb.cfg", "space");
	REFUSED("http://h/\x01.cfg", "control");
	REFUSED("http://h/\x7f.cfg", "control");
	REFUSED("http://h/caf\xc3\xa9.cfg", "non-ASCII");
	/* a NUL inside the given length is a control character */
	REFUSED("http://h/a\0b.cfg", "control");
}

static void test_empty(void **state)
{
	(void)state;
	REFUSED("", "empty");
	REFUSED(" \t\r\n", "empty");
}

static void test_length_not_nul(void **state)
{
	const char in[] = "http://h/a.cfgTRAILING";

	(void)state;
	/* IN need not be NUL-terminated: only LEN bytes count */
	assert_int_equal(norm_len(in, 14, MODEL), 0);
	assert_string_equal(out, "http://h/a.cfg");
}

static void test_too_long(void **state)
{
	char *in = malloc(4 * PROV_URL_MAX);
	char small[16];
	size_t n;

	(void)state;
	assert_non_null(in);
	/* an over-long input */
	n = (size_t)snprintf(in, 4 * PROV_URL_MAX, "http://h/");
	memset(in + n, 'a', 3 * PROV_URL_MAX);
	in[n + 3 * PROV_URL_MAX] = '\0';
	refused(in, strlen(in), "too long");
	/* the longest that fits, and one more byte */
	n = (size_t)snprintf(in, 4 * PROV_URL_MAX, "http://h/");
	memset(in + n, 'a', PROV_URL_MAX - 1 - n);
	in[PROV_URL_MAX - 1] = '\0';
	ok(in, in);
	in[PROV_URL_MAX - 1] = 'b';
	in[PROV_URL_MAX] = '\0';
	refused(in, strlen(in), "too long");
	/* short input that grows past the end by its placeholders */
	n = (size_t)snprintf(in, 4 * PROV_URL_MAX, "http://h/");
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(in + n, 4 * PROV_URL_MAX - n, "$MAC");
	assert_true(n < PROV_URL_MAX / 2);
	refused(in, n, "too long");
	/* the default file name that does not fit a small buffer */
	err[0] = '\0';
	memset(small, 'X', sizeof(small));
	assert_int_equal(prov_url_normalize("http://h", 8, MAC, MODEL, small,
					    sizeof(small), err, sizeof(err)),
			 -1);
	assert_int_equal(small[0], '\0');
	assert_non_null(strstr(err, "too long"));
	free(in);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	err[0] = '\0';
	assert_int_equal(prov_url_normalize("http://h/", 9, "0016", MODEL, out,
					    sizeof(out), err, sizeof(err)),
			 -1);
	assert_true(err[0] != '\0');
	assert_int_equal(prov_url_normalize("http://h/", 9, "00163e5a1b2g",
					    MODEL, out, sizeof(out), err,
					    sizeof(err)), -1);
	assert_int_equal(prov_url_normalize(NULL, 0, MAC, MODEL, out,
					    sizeof(out), err, sizeof(err)),
			 -1);
	assert_int_equal(prov_url_normalize("http://h/", 9, MAC, MODEL, out,
					    0, err, sizeof(err)), -1);
	/* no error buffer: still a clean refusal */
	assert_int_equal(prov_url_normalize("ftp://h/", 8, MAC, MODEL, out,
					    sizeof(out), NULL, 0), -1);
}

static void test_mac_valid(void **state)
{
	(void)state;
	assert_true(prov_url_mac_valid("00163e5a1b2c"));
	assert_true(prov_url_mac_valid("00163E5A1B2C"));
	assert_false(prov_url_mac_valid("00163e5a1b2"));
	assert_false(prov_url_mac_valid("00163e5a1b2cd"));
	assert_false(prov_url_mac_valid("00:16:3e:5a:1b:2c"));
	assert_false(prov_url_mac_valid("00163e5a1b2g"));
	assert_false(prov_url_mac_valid(""));
	assert_false(prov_url_mac_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_no_scheme_is_tftp),
		cmocka_unit_test(test_schemes_accepted),
		cmocka_unit_test(test_schemes_refused),
		cmocka_unit_test(test_audiocodes_fw_cfg),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_default_file),
		cmocka_unit_test(test_no_server),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_length_not_nul),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_mac_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
