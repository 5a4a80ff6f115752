/*
 * test_prov_file.c - unit tests of provisioned files
 * (provisioning/prov_file.c): pnphone's own syntax, the AudioCodes 400HD
 * keys and how they map onto pnphone's, ';' comments, ignored subtrees,
 * all-or-nothing loading with errors on the original line, the keys a
 * provisioned file may not set; and the sample files in etc/provisioning
 * (their paths come from the build: PROV_SAMPLE_DIR).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "provisioning/prov_file.h"

#ifndef PROV_SAMPLE_DIR
#define PROV_SAMPLE_DIR "etc/provisioning"
#endif

#define NAME "http://prov/x.cfg"

struct fixture {
	conf_t *c;
	char err[1024];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || !(f->c = conf_new())) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	conf_free(f->c);
	free(f);
	return 0;
}

static int load_len(struct fixture *f, const char *text, size_t len)
{
	f->err[0] = '\0';
	return prov_file_load(f->c, NAME, text, len, f->err, sizeof(f->err));
}

static void load_ok(struct fixture *f, const char *text)
{
	int rc = load_len(f, text, strlen(text));

	if (rc != 0)
		print_error("refused: %s\n", f->err);
	assert_int_equal(rc, 0);
}

/* No key may be set: a refused file leaves the configuration as it was
 * (the fixture starts at the defaults). */
static void assert_untouched(const conf_t *c)
{
	for (size_t i = 0; i < conf_key_count(); i++) {
		const char *k = conf_key_at(i)->name;

		if (conf_is_set(c, k))
			print_error("%s was set\n", k);
		assert_false(conf_is_set(c, k));
	}
}

/* TEXT must be refused with an error that starts with NAME:LINE: and
 * contains WHY; nothing applied. */
static void load_fails(struct fixture *f, const char *text, size_t len,
		       unsigned line, const char *why)
{
	char head[128];

	assert_int_equal(load_len(f, text, len), -1);
	if (line)
		snprintf(head, sizeof(head), "%s:%u: ", NAME, line);
	else
		snprintf(head, sizeof(head), "%s: ", NAME);
	if (strncmp(f->err, head, strlen(head)) != 0 || !strstr(f->err, why))
		print_error("error '%s', wanted '%s...%s'\n", f->err, head,
			    why);
	assert_int_equal(strncmp(f->err, head, strlen(head)), 0);
	assert_non_null(strstr(f->err, why));
	assert_untouched(f->c);
}

#define FAILS(f, lit, line, why) load_fails(f, lit, strlen(lit), line, why)

static void assert_value(const conf_t *c, const char *key, const char *want)
{
	if (strcmp(conf_str(c, key), want) != 0)
		print_error("%s = '%s', wanted '%s'\n", key, conf_str(c, key),
			    want);
	assert_string_equal(conf_str(c, key), want);
	assert_true(conf_is_set(c, key));
}

/* ---- pnphone syntax ------------------------------------------------ */

static void test_pnphone_syntax(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "# provisioned\n"
		   "account.aor = sip:alice@example.com\n"
		   "\n"
		   "  account.password=secret  \n"
		   "account.register = on\n"
		   "account.registrar = sip:pbx.example.com:5070\n"
		   "call.codecs = pcmu, opus\n"
		   "provisioning.period = 3600\n");
	assert_value(f->c, "account.aor", "sip:alice@example.com");
	assert_value(f->c, "account.password", "secret");
	assert_true(conf_bool(f->c, "account.register"));
	assert_value(f->c, "account.registrar", "sip:pbx.example.com:5070");
	assert_int_equal(conf_list_count(f->c, "call.codecs"), 2);
	assert_int_equal(conf_uint(f->c, "provisioning.period"), 3600);
	assert_false(conf_is_set(f->c, "account.user"));
}

static void test_overlay_keeps_other_keys(void **state)
{
	struct fixture *f = *state;
	char err[256];

	assert_int_equal(conf_set(f->c, "account.user", "bob", err,
				  sizeof(err)), 0);
	load_ok(f, "account.aor = sip:alice@example.com\n");
	assert_value(f->c, "account.user", "bob");
	assert_value(f->c, "account.aor", "sip:alice@example.com");
}

static void test_crlf_bom_no_final_newline(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "\xef\xbb\xbf; from a Windows server\r\n"
		   "voip/line/0/id=1001\r\n"
		   "voip/signalling/sip/proxy_address=10.0.0.5\r\n"
		   "account.display_name = Desk 7");
	assert_value(f->c, "account.aor", "sip:1001@10.0.0.5");
	assert_value(f->c, "account.display_name", "Desk 7");
}

static void test_comments(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "; AudioCodes comment\n"
		   "   ; indented\n"
		   "# pnphone comment\n"
		   ";voip/line/0/id=9999\n"
		   "#account.aor = sip:x@y\n"
		   "account.user = carol\n");
	assert_value(f->c, "account.user", "carol");
	assert_false(conf_is_set(f->c, "account.aor"));
}

/* ---- AudioCodes keys --------------------------------------------------- */

static void test_audiocodes_mapping(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "voip/line/0/enabled=1\n"
		   "voip/line/0/id=1001\n"
		   "voip/line/0/auth_name=u1001\n"
		   "voip/line/0/auth_password=pw\n"
		   "voip/line/0/description=Front Desk\n"
		   "voip/signalling/sip/proxy_address=pbx.example.com\n"
		   "voip/signalling/sip/proxy_port=5070\n"
		   "voip/signalling/sip/registration_expires=300\n"
		   "voip/signalling/sip/transport_protocol=TCP\n"
		   "voip/signalling/sip/sip_outbound_proxy/addr=sbc.example.com\n"
		   "voip/signalling/sip/sip_outbound_proxy/port=5080\n"
		   "provisioning/configuration/url=http://prov.example.com/<MAC>.cfg\n"
		   "provisioning/period/type=DAILY\n");
	assert_value(f->c, "account.aor", "sip:1001@pbx.example.com");
	assert_value(f->c, "account.user", "u1001");
	assert_value(f->c, "account.password", "pw");
	assert_value(f->c, "account.display_name", "Front Desk");
	assert_value(f->c, "account.registrar", "sip:pbx.example.com:5070");
	assert_true(conf_bool(f->c, "account.register"));
	assert_int_equal(conf_uint(f->c, "account.expires"), 300);
	assert_value(f->c, "sip.transport", "tcp");
	assert_value(f->c, "account.outbound_proxy", "sip:sbc.example.com:5080");
	assert_value(f->c, "provisioning.url",
		     "http://prov.example.com/<MAC>.cfg");
	assert_int_equal(conf_uint(f->c, "provisioning.period"), 86400);
}

static void test_audiocodes_registrar(void **state)
{
	struct fixture *f = *state;

	/* sip_registrar/addr wins over the proxy for the registrar and the
	 * AOR's domain; no port: none in the URI */
	load_ok(f, "voip/signalling/sip/proxy_address=proxy.example.com\n"
		   "voip/signalling/sip/sip_registrar/addr=reg.example.com\n"
		   "voip/line/0/id=1002\n");
	assert_value(f->c, "account.registrar", "sip:reg.example.com");
	assert_value(f->c, "account.aor", "sip:1002@reg.example.com");
	assert_false(conf_is_set(f->c, "account.outbound_proxy"));
}

static void test_audiocodes_disabled(void **state)
{
	struct fixture *f = *state;

	/* a disabled registrar falls back to the proxy; a disabled line does
	 * not register; a disabled outbound proxy is not used */
	load_ok(f, "voip/line/0/id=1003\n"
		   "voip/line/0/enabled=0\n"
		   "voip/signalling/sip/proxy_address=10.1.1.1\n"
		   "voip/signalling/sip/sip_registrar/addr=10.2.2.2\n"
		   "voip/signalling/sip/sip_registrar/enabled=0\n"
		   "voip/signalling/sip/sip_outbound_proxy/addr=10.3.3.3\n"
		   "voip/signalling/sip/sip_outbound_proxy/enabled=0\n");
	assert_value(f->c, "account.registrar", "sip:10.1.1.1");
	assert_value(f->c, "account.aor", "sip:1003@10.1.1.1");
	assert_false(conf_bool(f->c, "account.register"));
	assert_false(conf_is_set(f->c, "account.outbound_proxy"));
}

static void test_audiocodes_periods(void **state)
{
	static const struct {
		const char *text;
		unsigned secs;
	} cases[] = {
		{ "provisioning/period/type=POWERUP\n", 0 },
		{ "provisioning/period/type=EVERY5MINUTES\n", 300 },
		{ "provisioning/period/type=every15minutes\n", 900 },
		{ "provisioning/period/type=hourly\n", 24 * 3600 },
		{ "provisioning/period/type=HOURLY\n"
		  "provisioning/period/hourly/hours_interval=6\n", 6 * 3600 },
		{ "provisioning/period/type=Daily\n", 86400 },
		{ "provisioning/period/type=WEEKLY\n", 7 * 86400 },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		conf_free(f->c);
		f->c = conf_new();
		assert_non_null(f->c);
		load_ok(f, cases[i].text);
		assert_int_equal(conf_uint(f->c, "provisioning.period"),
				 cases[i].secs);
	}
}

static void test_audiocodes_case_and_spaces(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "VOIP/Line/0/ID = 1004\n"
		   "  voip/signalling/sip/proxy_address =  10.0.0.9  \n"
		   "voip/signalling/sip/transport_protocol=udp\n");
	assert_value(f->c, "account.aor", "sip:1004@10.0.0.9");
	assert_value(f->c, "sip.transport", "udp");
}

static void test_ignored_subtrees(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "voip/codec/codec_info/0/name=PCMU\n"
		   "voip/line/1/id=2002\n"
		   "voip/line/1/enabled=1\n"
		   "voip/signalling/sip/use_proxy=1\n"
		   "system/ntp/primary_server_address=pool.ntp.org\n"
		   "network/lan/dhcp/enabled=1\n"
		   "management/telnet/enabled=0\n"
		   "display/language=English\n"
		   "provisioning/firmware/url=tftp://h/fw.img\n"
		   "account.user = dave\n");
	/* only the pnphone key is set: nothing of line 1 leaked */
	for (size_t i = 0; i < conf_key_count(); i++) {
		const char *k = conf_key_at(i)->name;

		assert_int_equal(conf_is_set(f->c, k),
				 strcmp(k, "account.user") == 0);
	}
}

/* ---- refusals ---------------------------------------------------------- */

static void test_unknown_audiocodes_key(void **state)
{
	struct fixture *f = *state;

	/* line 6 of the text the server sent, with a good key before it */
	FAILS(f, "; header\n"
		 "\n"
		 "voip/line/0/id=1001\n"
		 "voip/signalling/sip/proxy_address=10.0.0.5\n"
		 "account.user = u\n"
		 "voice/line/0/id=1001\n"
		 "account.password = p\n", 6, "voice/line/0/id: unknown key");
}

static void test_unknown_pnphone_key(void **state)
{
	struct fixture *f = *state;

	/* conf's own error, pointed back at the original line 7 (the
	 * AudioCodes lines before it were rewritten) */
	FAILS(f, "; header\n"
		 "voip/line/0/id=1001\n"
		 "voip/line/0/auth_password=p\n"
		 "voip/signalling/sip/proxy_address=10.0.0.5\n"
		 "# comment\n"
		 "account.user = u\n"
		 "account.bogus = 1\n"
		 "call.waiting = off\n", 7, "account.bogus");
}

static void test_bad_values(void **state)
{
	struct fixture *f = *state;

	FAILS(f, "account.user = u\n"
		 "voip/signalling/sip/registration_expires=5\n", 2,
	      "account.expires");
	FAILS(f, "voip/signalling/sip/transport_protocol=SCTP\n", 1,
	      "transport_protocol");
	FAILS(f, "\nprovisioning/period/type=MONTHLY\n", 2, "period/type");
	FAILS(f, "provisioning/period/type=HOURLY\n"
		 "provisioning/period/hourly/hours_interval=0\n", 2,
	      "hours_interval");
	FAILS(f, "provisioning/period/type=HOURLY\n"
		 "provisioning/period/hourly/hours_interval=6h\n", 2,
	      "hours_interval");
	FAILS(f, "account.register = maybe\n", 1, "account.register");
	FAILS(f, "account.aor = alice\n", 1, "account.aor");
	/* an id with no server to put in its AOR */
	FAILS(f, "\n\nvoip/line/0/id=1001\n", 3, "voip/line/0/id");
	/* the same AudioCodes key twice */
	FAILS(f, "voip/line/0/id=1\n"
		 "voip/signalling/sip/proxy_address=h\n"
		 "voip/line/0/id=2\n", 3, "given twice");
}

static void test_given_twice(void **state)
{
	struct fixture *f = *state;

	/* the same pnphone key twice, through an AudioCodes key and
	 * directly, and through a derived key: the lines of the original */
	FAILS(f, "account.user = a\n; c\naccount.user = b\n", 3,
	      "account.user: given twice, on lines 1 and 3");
	FAILS(f, "; c\nvoip/line/0/auth_name=u1\n\naccount.user = u2\n", 4,
	      "account.user: given twice, on lines 2 and 4");
	FAILS(f, "voip/line/0/id=1001\n"
		 "voip/signalling/sip/proxy_address=h\n"
		 "account.aor = sip:x@h\n", 3,
	      "account.aor: given twice, on lines 1 and 3");
	FAILS(f, "account.aor = sip:x@h\n"
		 "voip/signalling/sip/proxy_address=h\n"
		 "voip/line/0/id=1001\n", 3,
	      "account.aor: given twice, on lines 1 and 3");
}

static void test_syntax_errors(void **state)
{
	struct fixture *f = *state;
	static char big[10000];

	FAILS(f, "account.user = u\nthis is not a key value line\n", 2, "");
	FAILS(f, "account.user = u\n= value\n", 2, "");
	/* an over-long line, and a NUL byte */
	memcpy(big, "account.user = ", 15);
	memset(big + 15, 'x', 9000);
	big[9015] = '\n';
	big[9016] = '\0';
	load_fails(f, big, strlen(big), 1, "too long");
	load_fails(f, "account.user = u\naccount.password = a\0b\n", 40, 2,
		   "NUL");
}

static void test_state_dir_refused(void **state)
{
	struct fixture *f = *state;

	FAILS(f, "account.user = u\nprovisioning.state_dir = /tmp/evil\n", 2,
	      "provisioning.state_dir");
	FAILS(f, "\n   provisioning.state_dir=/etc\n", 2,
	      "provisioning.state_dir");
}

static void test_empty_files(void **state)
{
	struct fixture *f = *state;

	load_fails(f, "", 0, 0, "no key");
	FAILS(f, "; only comments\n# and more\n\n", 0, "no key");
	/* a file of ignored keys sets nothing either */
	FAILS(f, "voip/codec/codec_info/0/name=PCMU\n", 0, "no key");
}

static void test_bad_arguments(void **state)
{
	struct fixture *f = *state;

	f->err[0] = '\0';
	assert_int_equal(prov_file_load(NULL, NAME, "a=b\n", 4, f->err,
					sizeof(f->err)), -1);
	assert_true(f->err[0] != '\0');
	assert_int_equal(prov_file_load(f->c, NAME, NULL, 4, f->err,
					sizeof(f->err)), -1);
	assert_untouched(f->c);
}

/* ---- the samples under etc/provisioning ----------------------------- */

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		*len = fread(buf, 1, (size_t)n, fp);
		buf[*len] = '\0';
	}
	fclose(fp);
	return buf;
}

static void load_sample(struct fixture *f, const char *file)
{
	char path[1024];
	size_t len = 0;
	char *buf;

	snprintf(path, sizeof(path), "%s/%s", PROV_SAMPLE_DIR, file);
	buf = slurp(path, &len);
	if (!buf)
		print_error("cannot read %s\n", path);
	assert_non_null(buf);
	f->err[0] = '\0';
	if (prov_file_load(f->c, path, buf, len, f->err, sizeof(f->err)) < 0)
		print_error("%s\n", f->err);
	free(buf);
	assert_string_equal(f->err, "");
}

static void test_sample_pnphone(void **state)
{
	struct fixture *f = *state;

	load_sample(f, "pnphone-sample.cfg");
	assert_value(f->c, "account.aor", "sip:1001@pbx.example.com");
	assert_true(conf_bool(f->c, "account.register"));
	assert_true(conf_is_set(f->c, "account.registrar"));
	assert_true(conf_is_set(f->c, "provisioning.period"));
}

static void test_sample_audiocodes(void **state)
{
	struct fixture *f = *state;

	load_sample(f, "audiocodes-400hd-sample.cfg");
	assert_value(f->c, "account.aor", "sip:1001@pbx.example.com");
	assert_value(f->c, "account.user", "1001");
	assert_value(f->c, "account.display_name", "Reception");
	assert_value(f->c, "account.registrar", "sip:pbx.example.com:5060");
	assert_value(f->c, "account.outbound_proxy",
		     "sip:sbc.example.com:5060");
	assert_value(f->c, "sip.transport", "udp");
	assert_true(conf_bool(f->c, "account.register"));
	assert_int_equal(conf_uint(f->c, "account.expires"), 3600);
	assert_int_equal(conf_uint(f->c, "provisioning.period"), 86400);
	assert_true(conf_is_set(f->c, "provisioning.url"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pnphone_syntax, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_overlay_keeps_other_keys,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_crlf_bom_no_final_newline,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_comments, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_audiocodes_mapping, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_audiocodes_registrar,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_audiocodes_disabled, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_audiocodes_periods, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_audiocodes_case_and_spaces,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_ignored_subtrees, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unknown_audiocodes_key,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_pnphone_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_given_twice, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_syntax_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_state_dir_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_empty_files, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sample_pnphone, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sample_audiocodes, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
