/*
 * test_conf.c - unit tests of the configuration module (conf/).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"

#define NAME "pnphone.conf"

/* Each test gets a fresh configuration and an error buffer. */
struct fixture {
	conf_t *c;
	char err[512];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->c = conf_new()) == NULL) {
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

static int load(struct fixture *f, const char *text)
{
	f->err[0] = '\0';
	return conf_load_buffer(f->c, NAME, text, strlen(text), f->err,
				sizeof(f->err));
}

/* Load TEXT, expecting it to fail with exactly MSG. */
static void load_fails(struct fixture *f, const char *text, const char *msg)
{
	assert_int_equal(load(f, text), -1);
	assert_string_equal(f->err, msg);
}

static void load_ok(struct fixture *f, const char *text)
{
	int rc = load(f, text);

	if (rc != 0)
		print_error("unexpected error: %s\n", f->err);
	assert_int_equal(rc, 0);
	assert_string_equal(f->err, "");
}

/* ---- the table and the defaults ---------------------------------------- */

static void test_key_table(void **state)
{
	(void)state;
	assert_true(conf_key_count() > 30);
	assert_null(conf_key_at(conf_key_count()));
	assert_null(conf_key_find("account.foo"));
	assert_null(conf_key_find(NULL));
	for (size_t i = 0; i < conf_key_count(); i++) {
		const conf_key_t *k = conf_key_at(i);

		assert_non_null(k);
		assert_ptr_equal(conf_key_find(k->name), k);
		assert_non_null(k->def);
		assert_non_null(k->help);
		assert_true(strlen(k->help) > 10);
		assert_null(strchr(k->help, '\n'));
		if (k->type == CONF_UINT)
			assert_true(k->min <= k->max);
		if (k->type == CONF_ENUM || k->type == CONF_LIST)
			assert_non_null(k->words);
	}
	assert_int_equal(conf_key_find("account.expires")->type, CONF_UINT);
	assert_int_equal(conf_key_find("account.expires")->min, 10);
	assert_int_equal(conf_key_find("account.expires")->max, 86400);
	assert_string_equal(conf_key_find("call.codecs")->words,
			    "opus|pcmu|pcma");
}

static void test_defaults(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < conf_key_count(); i++) {
		const conf_key_t *k = conf_key_at(i);

		assert_string_equal(conf_str(f->c, k->name), k->def);
		assert_false(conf_is_set(f->c, k->name));
	}
	assert_string_equal(conf_str(f->c, "sip.listen"), "udp:127.0.0.1:5060");
	assert_int_equal(conf_list_count(f->c, "sip.listen"), 1);
	assert_string_equal(conf_list_item(f->c, "sip.listen", 0),
			    "udp:127.0.0.1:5060");
	assert_string_equal(conf_str(f->c, "sip.transport"), "udp");
	assert_false(conf_bool(f->c, "account.register"));
	assert_true(conf_bool(f->c, "call.waiting"));
	assert_int_equal(conf_uint(f->c, "account.expires"), 600);
	assert_int_equal(conf_uint(f->c, "account.keepalive"), 25);
	assert_int_equal(conf_uint(f->c, "call.opus_complexity"), 5);
	assert_int_equal(conf_uint(f->c, "rtp.port_min"), 16384);
	assert_int_equal(conf_uint(f->c, "rtp.port_max"), 32766);
	assert_int_equal(conf_list_count(f->c, "account.registrar"), 0);
	assert_int_equal(conf_list_count(f->c, "call.codecs"), 3);
	assert_string_equal(conf_list_item(f->c, "call.codecs", 0), "opus");
	assert_string_equal(conf_list_item(f->c, "call.codecs", 2), "pcma");
	assert_string_equal(conf_str(f->c, "provisioning.pnp"), "auto");
	assert_string_equal(conf_str(f->c, "audio.source"), "null");
}

/* Every default must also be accepted when written explicitly. */
static void test_defaults_valid(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < conf_key_count(); i++) {
		const conf_key_t *k = conf_key_at(i);
		int rc = conf_set(f->c, k->name, k->def, f->err,
				  sizeof(f->err));

		if (rc != 0)
			print_error("%s\n", f->err);
		assert_int_equal(rc, 0);
		assert_true(conf_is_set(f->c, k->name));
	}
}

static void test_misuse(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(conf_str(f->c, "no.such"), "");
	assert_false(conf_bool(f->c, "no.such"));
	assert_int_equal(conf_uint(f->c, "no.such"), 0);
	assert_int_equal(conf_list_count(f->c, "no.such"), 0);
	assert_string_equal(conf_list_item(f->c, "no.such", 0), "");
	assert_false(conf_is_set(f->c, "no.such"));
	assert_string_equal(conf_list_item(f->c, "call.codecs", 3), "");
	/* typed access to a key of another type */
	assert_int_equal(conf_uint(f->c, "call.waiting"), 0);
	assert_false(conf_bool(f->c, "account.expires"));
	assert_int_equal(conf_list_count(f->c, "account.expires"), 0);
	assert_string_equal(conf_str(NULL, "account.expires"), "");
}

/* ---- types ------------------------------------------------------------- */

static void test_bool(void **state)
{
	struct fixture *f = *state;
	static const char *const on[] = { "on", "ON", "Yes", "true", "TRUE",
					  "1" };
	static const char *const off[] = { "off", "Off", "no", "NO", "false",
					   "0" };
	char line[64];

	for (size_t i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		snprintf(line, sizeof(line), "log.sip = %s\n", on[i]);
		load_ok(f, line);
		assert_true(conf_bool(f->c, "log.sip"));
		snprintf(line, sizeof(line), "log.sip = %s\n", off[i]);
		load_ok(f, line);
		assert_false(conf_bool(f->c, "log.sip"));
	}
	load_fails(f, "log.sip = maybe\n",
		   NAME ":1: log.sip: 'maybe' is not on/off, yes/no, "
		   "true/false or 1/0");
	load_fails(f, "\nlog.sip = 2\n",
		   NAME ":2: log.sip: '2' is not on/off, yes/no, "
		   "true/false or 1/0");
	load_fails(f, "log.sip =\n",
		   NAME ":1: log.sip: a value is required: on/off, yes/no, "
		   "true/false or 1/0");
	load_fails(f, "log.sip = onn\n",
		   NAME ":1: log.sip: 'onn' is not on/off, yes/no, "
		   "true/false or 1/0");
}

static void test_uint(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "account.expires = 10\n");
	assert_int_equal(conf_uint(f->c, "account.expires"), 10);
	load_ok(f, "account.expires = 86400\n");
	assert_int_equal(conf_uint(f->c, "account.expires"), 86400);
	load_ok(f, "account.expires = 0300\n");
	assert_int_equal(conf_uint(f->c, "account.expires"), 300);
	load_ok(f, "account.keepalive = 0\n");
	assert_int_equal(conf_uint(f->c, "account.keepalive"), 0);
	load_ok(f, "call.opus_complexity = 0\n");
	assert_int_equal(conf_uint(f->c, "call.opus_complexity"), 0);
	load_ok(f, "call.opus_complexity = 10\n");
	assert_int_equal(conf_uint(f->c, "call.opus_complexity"), 10);
	load_fails(f, "call.opus_complexity = 11\n",
		   NAME ":1: call.opus_complexity: 11 is out of range 0..10");

	load_fails(f, "a.b = 1\n#\n\n\n\n\n", NAME ":1: a.b: unknown key");
	load_fails(f, "\n\n\n\n\n\naccount.expires = 5\n",
		   NAME ":7: account.expires: 5 is out of range 10..86400");
	load_fails(f, "account.expires = 86401\n",
		   NAME ":1: account.expires: 86401 is out of range "
		   "10..86400");
	load_fails(f, "account.expires = 4294967296\n",
		   NAME ":1: account.expires: 4294967296 is out of range "
		   "10..86400");
	load_fails(f, "account.expires = 4294967306\n",
		   NAME ":1: account.expires: 4294967306 is out of range "
		   "10..86400");
	load_fails(f, "account.expires = 99999999999999999999999999\n",
		   NAME ":1: account.expires: 99999999999999999999999999 is "
		   "out of range 10..86400");
	load_fails(f, "account.expires = -1\n",
		   NAME ":1: account.expires: '-1' is not a number in "
		   "10..86400");
	load_fails(f, "account.expires = +60\n",
		   NAME ":1: account.expires: '+60' is not a number in "
		   "10..86400");
	load_fails(f, "account.expires = 6 0\n",
		   NAME ":1: account.expires: '6 0' is not a number in "
		   "10..86400");
	load_fails(f, "account.expires = 0x40\n",
		   NAME ":1: account.expires: '0x40' is not a number in "
		   "10..86400");
	load_fails(f, "account.expires =\n",
		   NAME ":1: account.expires: a value is required: a number "
		   "in 10..86400");
	assert_int_equal(conf_uint(f->c, "account.expires"), 300);
}

static void test_enum(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "sip.transport = TCP\n");
	assert_string_equal(conf_str(f->c, "sip.transport"), "tcp");
	load_ok(f, "provisioning.pnp = Off\n");
	assert_string_equal(conf_str(f->c, "provisioning.pnp"), "off");
	load_fails(f, "sip.transport = sctp\n",
		   NAME ":1: sip.transport: 'sctp' is not one of udp|tcp");
	load_fails(f, "sip.transport = udp|tcp\n",
		   NAME ":1: sip.transport: 'udp|tcp' is not one of udp|tcp");
	load_fails(f, "sip.transport = ud\n",
		   NAME ":1: sip.transport: 'ud' is not one of udp|tcp");
	load_fails(f, "sip.transport =\n",
		   NAME ":1: sip.transport: a value is required: one of "
		   "udp|tcp");
	assert_string_equal(conf_str(f->c, "sip.transport"), "tcp");
}

static void test_list(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "call.codecs = PCMA ,\topus\n");
	assert_string_equal(conf_str(f->c, "call.codecs"), "pcma ,\topus");
	assert_int_equal(conf_list_count(f->c, "call.codecs"), 2);
	assert_string_equal(conf_list_item(f->c, "call.codecs", 0), "pcma");
	assert_string_equal(conf_list_item(f->c, "call.codecs", 1), "opus");
	load_ok(f, "call.codecs = pcmu\n");
	assert_int_equal(conf_list_count(f->c, "call.codecs"), 1);
	assert_string_equal(conf_list_item(f->c, "call.codecs", 0), "pcmu");

	load_fails(f, "call.codecs = opus,g722\n",
		   NAME ":1: call.codecs: 'g722' is not one of "
		   "opus|pcmu|pcma");
	load_fails(f, "call.codecs = opus, pcmu, OPUS\n",
		   NAME ":1: call.codecs: 'opus' is listed twice");
	load_fails(f, "call.codecs = opus,,pcmu\n",
		   NAME ":1: call.codecs: empty item in list");
	load_fails(f, "call.codecs = opus,\n",
		   NAME ":1: call.codecs: empty item in list");
	load_fails(f, "call.codecs = ,\n",
		   NAME ":1: call.codecs: empty item in list");
	load_fails(f, "call.codecs =\n",
		   NAME ":1: call.codecs: a value is required: one or more "
		   "of opus|pcmu|pcma");
	assert_int_equal(conf_list_count(f->c, "call.codecs"), 1);
}

static void test_uri(void **state)
{
	struct fixture *f = *state;
	char line[700];

	load_ok(f, "account.aor = sip:alice@example.com\n");
	assert_string_equal(conf_str(f->c, "account.aor"),
			    "sip:alice@example.com");
	load_ok(f, "account.aor = sips:alice@example.com;transport=tcp\n");
	load_ok(f, "account.outbound_proxy = SIP:proxy.example.com:5060\n");
	load_ok(f, "account.outbound_proxy =\n");
	assert_string_equal(conf_str(f->c, "account.outbound_proxy"), "");
	assert_true(conf_is_set(f->c, "account.outbound_proxy"));

	load_fails(f, "account.aor = http://example.com\n",
		   NAME ":1: account.aor: 'http://example.com' is not a sip: "
		   "or sips: URI");
	load_fails(f, "account.aor = sip:\n",
		   NAME ":1: account.aor: 'sip:' is not a sip: or sips: URI");
	load_fails(f, "account.aor = sips:\n",
		   NAME ":1: account.aor: 'sips:' is not a sip: or sips: URI");
	load_fails(f, "account.aor = alice@example.com\n",
		   NAME ":1: account.aor: 'alice@example.com' is not a sip: "
		   "or sips: URI");
	load_fails(f, "account.aor = sip:alice @example.com\n",
		   NAME ":1: account.aor: 'sip:alice @example.com' contains "
		   "whitespace");
	load_fails(f, "account.aor = sip:a\tb\n",
		   NAME ":1: account.aor: 'sip:a\tb' contains whitespace");
	load_fails(f, "account.aor = sip:a\x01" "b\n",
		   NAME ":1: account.aor: control character in value");

	/* 512 bytes is the limit */
	snprintf(line, sizeof(line), "account.aor = sip:%0508d\n", 0);
	load_ok(f, line);
	assert_int_equal(strlen(conf_str(f->c, "account.aor")), 512);
	snprintf(line, sizeof(line), "account.aor = sip:%0509d\n", 0);
	load_fails(f, line, NAME ":1: account.aor: URI is longer than 512 "
		   "bytes");
}

static void test_uris(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "account.registrar = sip:a.example.com , sips:b.example.com"
		   ";transport=tcp\n");
	assert_int_equal(conf_list_count(f->c, "account.registrar"), 2);
	assert_string_equal(conf_list_item(f->c, "account.registrar", 0),
			    "sip:a.example.com");
	assert_string_equal(conf_list_item(f->c, "account.registrar", 1),
			    "sips:b.example.com;transport=tcp");
	load_ok(f, "account.registrar = sip:only\n");
	assert_int_equal(conf_list_count(f->c, "account.registrar"), 1);
	load_ok(f, "account.registrar =\n");
	assert_int_equal(conf_list_count(f->c, "account.registrar"), 0);
	assert_true(conf_is_set(f->c, "account.registrar"));

	load_fails(f, "account.registrar = sip:a,,sip:b\n",
		   NAME ":1: account.registrar: empty item in list");
	load_fails(f, "account.registrar = sip:a,\n",
		   NAME ":1: account.registrar: empty item in list");
	load_fails(f, "account.registrar = sip:a, tel:+123\n",
		   NAME ":1: account.registrar: 'tel:+123' is not a sip: or "
		   "sips: URI");
	load_fails(f, "account.registrar = sip:a b\n",
		   NAME ":1: account.registrar: 'sip:a b' contains "
		   "whitespace");
}

static void test_listen(void **state)
{
	struct fixture *f = *state;
	static const char *const bad_host[] = {
		"udp:256.1.1.1:5060", "udp:1.2.3:5060", "udp:1.2.3.4.5:5060",
		"udp:01.2.3.4:5060", "udp:[::g]:5060", "udp:[]:5060",
		"udp::5060", "udp:a_b:5060", "udp:-a.example:5060",
		"udp:a..b:5060", "udp:a.:5060", "udp:::1:5060",
		"udp:[::1]x:5060", "udp:[::1:5060",
	};
	char line[128], msg[256];

	load_ok(f, "sip.listen = udp:0.0.0.0:5060, tcp:[::1]:0 ,"
		   "udp:host-1.Example.com:65535\n");
	assert_int_equal(conf_list_count(f->c, "sip.listen"), 3);
	assert_string_equal(conf_list_item(f->c, "sip.listen", 0),
			    "udp:0.0.0.0:5060");
	assert_string_equal(conf_list_item(f->c, "sip.listen", 1),
			    "tcp:[::1]:0");
	assert_string_equal(conf_list_item(f->c, "sip.listen", 2),
			    "udp:host-1.Example.com:65535");
	load_ok(f, "sip.listen = tcp:[fe80::1:2:3:4]:5061\n");
	load_ok(f, "sip.listen = udp:localhost:5060\n");
	load_ok(f, "sip.listen =\n");
	assert_int_equal(conf_list_count(f->c, "sip.listen"), 0);

	load_fails(f, "sip.listen = sctp:1.2.3.4:5060\n",
		   NAME ":1: sip.listen: 'sctp:1.2.3.4:5060' is not "
		   "udp:HOST:PORT or tcp:HOST:PORT");
	load_fails(f, "sip.listen = udp:1.2.3.4\n",
		   NAME ":1: sip.listen: 'udp:1.2.3.4' is not udp:HOST:PORT or "
		   "tcp:HOST:PORT");
	load_fails(f, "sip.listen = udp:1.2.3.4:65536\n",
		   NAME ":1: sip.listen: 'udp:1.2.3.4:65536' has an invalid "
		   "port (0..65535)");
	load_fails(f, "sip.listen = udp:1.2.3.4:\n",
		   NAME ":1: sip.listen: 'udp:1.2.3.4:' has an invalid port "
		   "(0..65535)");
	load_fails(f, "sip.listen = udp:1.2.3.4:-1\n",
		   NAME ":1: sip.listen: 'udp:1.2.3.4:-1' has an invalid port "
		   "(0..65535)");
	load_fails(f, "sip.listen = udp:1.2.3.4:5060,\n",
		   NAME ":1: sip.listen: empty item in list");
	for (size_t i = 0; i < sizeof(bad_host) / sizeof(bad_host[0]); i++) {
		snprintf(line, sizeof(line), "sip.listen = %s\n", bad_host[i]);
		snprintf(msg, sizeof(msg),
			 NAME ":1: sip.listen: '%s' has an invalid host",
			 bad_host[i]);
		load_fails(f, line, msg);
	}
	assert_int_equal(conf_list_count(f->c, "sip.listen"), 0);
}

static void test_string(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "account.password = a=b = c\n");
	assert_string_equal(conf_str(f->c, "account.password"), "a=b = c");
	load_ok(f, "account.display_name = Zoë\tVan Dijk\n");
	assert_string_equal(conf_str(f->c, "account.display_name"),
			    "Zoë\tVan Dijk");
	load_fails(f, "account.display_name = Zo\xeb\n",
		   NAME ":1: account.display_name: value is not valid UTF-8");
	load_fails(f, "account.display_name = \xc0\xaf\n",
		   NAME ":1: account.display_name: value is not valid UTF-8");
	load_fails(f, "account.display_name = \xed\xa0\x80\n",
		   NAME ":1: account.display_name: value is not valid UTF-8");
	load_fails(f, "account.display_name = a\x1b[2Jb\n",
		   NAME ":1: account.display_name: control character in "
		   "value");
	load_fails(f, "account.display_name = a\rb\n",
		   NAME ":1: account.display_name: control character in "
		   "value");
	assert_string_equal(conf_str(f->c, "account.display_name"),
			    "Zoë\tVan Dijk");
}

/* ---- syntax ------------------------------------------------------------ */

static void test_comments(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "# a comment\n"
		   "   # an indented comment\n"
		   "\n"
		   "   \t \n"
		   "account.password = abc#1   # trailing comment\n"
		   "account.user = bob\t# after a tab\n"
		   "account.display_name = #x\n"
		   "sip.user_agent =#lead\n"
		   "provisioning.url = http://h/#frag\n");
	assert_string_equal(conf_str(f->c, "account.password"), "abc#1");
	assert_string_equal(conf_str(f->c, "account.user"), "bob");
	assert_string_equal(conf_str(f->c, "account.display_name"), "");
	assert_true(conf_is_set(f->c, "account.display_name"));
	assert_string_equal(conf_str(f->c, "sip.user_agent"), "#lead");
	assert_string_equal(conf_str(f->c, "provisioning.url"),
			    "http://h/#frag");
	assert_false(conf_is_set(f->c, "account.aor"));
	/* a comment does not hide a missing '=' */
	load_fails(f, "account.user # = bob\n", NAME ":1: missing '='");
}

static void test_empty_input(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(conf_load_buffer(f->c, NAME, NULL, 0, f->err,
					  sizeof(f->err)), 0);
	load_ok(f, "");
	load_ok(f, "\n\n");
	load_ok(f, "# only\n# comments");
	load_ok(f, "\xef\xbb\xbf");
	for (size_t i = 0; i < conf_key_count(); i++)
		assert_false(conf_is_set(f->c, conf_key_at(i)->name));
}

static void test_crlf(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "# comment\r\naccount.user = bob\r\n"
		   "account.expires = 60\r\n\r\n"
		   "account.password = x # c\r\n"
		   "call.codecs = pcmu\r\n");
	assert_string_equal(conf_str(f->c, "account.user"), "bob");
	assert_int_equal(conf_uint(f->c, "account.expires"), 60);
	assert_string_equal(conf_str(f->c, "account.password"), "x");
	assert_string_equal(conf_list_item(f->c, "call.codecs", 0), "pcmu");
	/* no final newline */
	load_ok(f, "account.user = carol");
	assert_string_equal(conf_str(f->c, "account.user"), "carol");
	load_ok(f, "account.user = dave\r");
	assert_string_equal(conf_str(f->c, "account.user"), "dave");
	load_fails(f, "\r\naccount.bad = 1\r\n",
		   NAME ":2: account.bad: unknown key");
}

static void test_bom(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "\xef\xbb\xbf" "account.user = bob\n");
	assert_string_equal(conf_str(f->c, "account.user"), "bob");
	load_ok(f, "\xef\xbb\xbf# comment\r\naccount.user = eve\r\n");
	assert_string_equal(conf_str(f->c, "account.user"), "eve");
	/* only at the very start */
	load_fails(f, "\n\xef\xbb\xbf" "account.user = bob\n",
		   NAME ":2: invalid character in key");
	load_fails(f, "\xef\xbb\xbf\xef\xbb\xbf" "account.user = bob\n",
		   NAME ":1: invalid character in key");
}

static void test_duplicate(void **state)
{
	struct fixture *f = *state;

	load_fails(f, "# x\naccount.aor = sip:a@b\nlog.sip = on\n"
		   "account.aor = sip:c@d\n",
		   NAME ":4: account.aor: given twice, on lines 2 and 4");
	assert_string_equal(conf_str(f->c, "account.aor"), "");
	/* twice with the same value is still a mistake */
	load_fails(f, "log.sip = on\nlog.sip = on\n",
		   NAME ":2: log.sip: given twice, on lines 1 and 2");
}

static void test_unknown_key(void **state)
{
	struct fixture *f = *state;

	load_fails(f, "# comment\nlog.sip = on\naccount.foo = 1\n",
		   NAME ":3: account.foo: unknown key");
	assert_false(conf_bool(f->c, "log.sip"));
	load_fails(f, "Account.aor = sip:a@b\n",
		   NAME ":1: Account.aor: unknown key");
	load_fails(f, "account aor = sip:a@b\n",
		   NAME ":1: invalid character in key");
	load_fails(f, "acc\x1b[0mount = 1\n",
		   NAME ":1: invalid character in key");
}

static void test_missing_equals(void **state)
{
	struct fixture *f = *state;

	load_fails(f, "log.sip = on\naccount.user bob\n",
		   NAME ":2: missing '='");
	load_fails(f, "log.sip\n", NAME ":1: missing '='");
	load_fails(f, " = bob\n", NAME ":1: missing key before '='");
	assert_false(conf_is_set(f->c, "log.sip"));
}

static void test_long_line(void **state)
{
	struct fixture *f = *state;
	const char *prefix = "account.password = ";
	size_t plen = strlen(prefix);
	char *buf = malloc(4096 + 8);

	assert_non_null(buf);
	/* exactly 4096 bytes, with CRLF: accepted */
	memcpy(buf, prefix, plen);
	memset(buf + plen, 'x', 4096 - plen);
	memcpy(buf + 4096, "\r\n", 3);
	load_ok(f, buf);
	assert_int_equal(strlen(conf_str(f->c, "account.password")),
			 4096 - plen);
	/* 4097 bytes: rejected, here on line 2 */
	buf[0] = '\n';
	memcpy(buf + 1, prefix, plen);
	memset(buf + 1 + plen, 'y', 4097 - plen);
	memcpy(buf + 4098, "\n", 2);
	load_fails(f, buf, NAME ":2: line is longer than 4096 bytes");
	/* also when it is only a comment */
	memset(buf, '#', 4097);
	buf[4097] = '\0';
	load_fails(f, buf, NAME ":1: line is longer than 4096 bytes");
	assert_int_equal(strlen(conf_str(f->c, "account.password")),
			 4096 - plen);
	free(buf);
}

static void test_nul_byte(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "log.sip = on\naccount.user = b\0b\n";

	assert_int_equal(conf_load_buffer(f->c, NAME, text, sizeof(text) - 1,
					  f->err, sizeof(f->err)), -1);
	assert_string_equal(f->err, NAME ":2: NUL byte in line");
	/* even in a comment */
	assert_int_equal(conf_load_buffer(f->c, NAME, "# \0\n", 4, f->err,
					  sizeof(f->err)), -1);
	assert_string_equal(f->err, NAME ":1: NUL byte in line");
	assert_false(conf_bool(f->c, "log.sip"));
	assert_false(conf_is_set(f->c, "log.sip"));
}

/* ---- loading semantics ------------------------------------------------- */

static void test_all_or_nothing(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "account.user = alice\naccount.expires = 300\n");
	load_fails(f, "account.user = bob\n"
		   "account.expires = 900\n"
		   "call.codecs = opus\n"
		   "account.keepalive = 99999\n",
		   NAME ":4: account.keepalive: 99999 is out of range 0..3600");
	assert_string_equal(conf_str(f->c, "account.user"), "alice");
	assert_int_equal(conf_uint(f->c, "account.expires"), 300);
	assert_int_equal(conf_list_count(f->c, "call.codecs"), 3);
	assert_false(conf_is_set(f->c, "call.codecs"));
	assert_false(conf_is_set(f->c, "account.keepalive"));
	/* an error found only by the cross-key rules undoes as much */
	load_fails(f, "account.user = bob\naccount.register = on\n",
		   NAME ":2: account.register is on but account.aor is empty");
	assert_string_equal(conf_str(f->c, "account.user"), "alice");
	assert_false(conf_is_set(f->c, "account.register"));
}

static void test_overlay(void **state)
{
	struct fixture *f = *state;
	static const char overlay[] = "account.expires = 900\n"
				      "call.codecs = opus, pcma\n";

	load_ok(f, "account.aor = sip:alice@example.com\n"
		   "account.expires = 300\ncall.codecs = pcmu\n");
	assert_int_equal(conf_load_buffer(f->c, "provisioned.conf", overlay,
					  strlen(overlay), f->err,
					  sizeof(f->err)), 0);
	assert_string_equal(conf_str(f->c, "account.aor"),
			    "sip:alice@example.com");
	assert_int_equal(conf_uint(f->c, "account.expires"), 900);
	assert_int_equal(conf_list_count(f->c, "call.codecs"), 2);
	assert_string_equal(conf_list_item(f->c, "call.codecs", 1), "pcma");
	assert_true(conf_is_set(f->c, "account.aor"));
	assert_true(conf_is_set(f->c, "account.expires"));
	/* an overlay may set a key back to empty */
	load_ok(f, "account.aor =\n");
	assert_string_equal(conf_str(f->c, "account.aor"), "");
	assert_true(conf_is_set(f->c, "account.aor"));
	/* and error messages name the overlay */
	assert_int_equal(conf_load_buffer(f->c, "provisioned.conf",
					  "x = 1\n", 6, f->err,
					  sizeof(f->err)), -1);
	assert_string_equal(f->err, "provisioned.conf:1: x: unknown key");
}

static void test_cross_register(void **state)
{
	struct fixture *f = *state;

	load_fails(f, "log.sip = on\naccount.register = on\n",
		   NAME ":2: account.register is on but account.aor is empty");
	load_fails(f, "account.register = yes\naccount.aor = sip:a@b\n",
		   NAME ":1: account.register is on but account.registrar "
		   "is empty");
	load_ok(f, "account.register = on\naccount.aor = sip:a@b\n"
		   "account.registrar = sip:b\n");
	assert_true(conf_bool(f->c, "account.register"));
	/* a later file that empties the AOR has no line to blame */
	load_fails(f, "account.aor =\n",
		   NAME ": account.register is on but account.aor is empty");
	load_fails(f, "account.registrar =\n",
		   NAME ": account.register is on but account.registrar is "
		   "empty");
	assert_string_equal(conf_str(f->c, "account.aor"), "sip:a@b");
	/* turning registration off makes them optional again */
	load_ok(f, "account.register = off\naccount.aor =\n");
	assert_int_equal(conf_set(f->c, "account.register", "on", f->err,
				  sizeof(f->err)), -1);
	assert_string_equal(f->err,
			    "account.register is on but account.aor is empty");
	assert_false(conf_bool(f->c, "account.register"));
}

static void test_cross_rtp(void **state)
{
	struct fixture *f = *state;

	load_fails(f, "rtp.port_min = 20000\nrtp.port_max = 20000\n",
		   NAME ":2: rtp.port_max: 20000 is not above rtp.port_min "
		   "(20000)");
	load_fails(f, "rtp.port_min = 40000\n",
		   NAME ": rtp.port_max: 32766 is not above rtp.port_min "
		   "(40000)");
	load_fails(f, "rtp.port_max = 1025\n",
		   NAME ":1: rtp.port_max: 1025 is not above rtp.port_min "
		   "(16384)");
	assert_false(conf_is_set(f->c, "rtp.port_max"));
}

static void test_rtp_bounds(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "rtp.port_min = 1024\nrtp.port_max = 1025\n");
	assert_int_equal(conf_uint(f->c, "rtp.port_min"), 1024);
	assert_int_equal(conf_uint(f->c, "rtp.port_max"), 1025);
	load_ok(f, "rtp.port_max = 65535\nrtp.port_min = 65534\n");
	load_fails(f, "rtp.port_min = 1023\n",
		   NAME ":1: rtp.port_min: 1023 is out of range 1024..65534");
	load_fails(f, "rtp.port_max = 65536\n",
		   NAME ":1: rtp.port_max: 65536 is out of range 1025..65535");
}

static void test_set(void **state)
{
	struct fixture *f = *state;
	char *err = f->err;
	size_t sz = sizeof(f->err);

	assert_int_equal(conf_set(f->c, "account.expires", " 3600 ", err, sz),
			 0);
	assert_int_equal(conf_uint(f->c, "account.expires"), 3600);
	assert_string_equal(conf_str(f->c, "account.expires"), "3600");
	assert_true(conf_is_set(f->c, "account.expires"));
	assert_string_equal(err, "");

	assert_int_equal(conf_set(f->c, "account.expires", "5", err, sz), -1);
	assert_string_equal(err,
			    "account.expires: 5 is out of range 10..86400");
	assert_int_equal(conf_uint(f->c, "account.expires"), 3600);

	assert_int_equal(conf_set(f->c, "account.foo", "1", err, sz), -1);
	assert_string_equal(err, "account.foo: unknown key");
	assert_int_equal(conf_set(f->c, NULL, "1", err, sz), -1);

	assert_int_equal(conf_set(f->c, "sip.transport", "TCP", err, sz), 0);
	assert_string_equal(conf_str(f->c, "sip.transport"), "tcp");
	assert_int_equal(conf_set(f->c, "account.password", "#x", err, sz), 0);
	assert_string_equal(conf_str(f->c, "account.password"), "#x");
	assert_int_equal(conf_set(f->c, "account.password", "a #x", err, sz),
			 -1);
	assert_string_equal(err, "account.password: a '#' after a space or "
			    "tab would start a comment");
	assert_int_equal(conf_set(f->c, "account.password", "a\nb", err, sz),
			 -1);
	assert_string_equal(err, "account.password: control character in "
			    "value");
	assert_string_equal(conf_str(f->c, "account.password"), "#x");
	assert_int_equal(conf_set(f->c, "account.display_name", NULL, err, sz),
			 0);
	assert_true(conf_is_set(f->c, "account.display_name"));

	assert_int_equal(conf_set(f->c, "rtp.port_min", "40000", err, sz), -1);
	assert_string_equal(err, "rtp.port_max: 32766 is not above "
			    "rtp.port_min (40000)");
	assert_int_equal(conf_set(f->c, "call.codecs", "pcma,pcmu", err, sz),
			 0);
	assert_int_equal(conf_list_count(f->c, "call.codecs"), 2);
	/* a tiny or missing error buffer is not written past */
	assert_int_equal(conf_set(f->c, "account.expires", "x", err, 8), -1);
	assert_string_equal(err, "account");
	assert_int_equal(conf_set(f->c, "account.expires", "x", NULL, 0), -1);
}

/* ---- files ------------------------------------------------------------- */

/* A temporary directory, removed with its content by rm_tmpdir. */
static char *make_tmpdir(void)
{
	char *dir = strdup("/tmp/test_conf.XXXXXX");

	assert_non_null(dir);
	assert_non_null(mkdtemp(dir));
	return dir;
}

static void rm_tmpdir(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static char *read_text(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 65536);

	assert_non_null(fp);
	assert_non_null(buf);
	assert_true(fread(buf, 1, 65535, fp) < 65535);
	fclose(fp);
	return buf;
}

static void test_save_round_trip(void **state)
{
	struct fixture *f = *state;
	char *dir = make_tmpdir();
	char path[512], tmp[520];
	struct stat st;
	conf_t *c2 = conf_new();
	char *text;

	assert_non_null(c2);
	snprintf(path, sizeof(path), "%s/pnphone.conf", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	load_ok(f, "account.password = abc#1\n"
		   "account.aor = sip:alice@example.com\n"
		   "account.display_name =\n"
		   "sip.transport = TCP\n"
		   "call.codecs = pcma , opus\n"
		   "account.register = on\n"
		   "account.registrar = sip:r1, sip:r2\n"
		   "sip.user_agent=#hash first\n");
	assert_int_equal(conf_set(f->c, "account.expires", "120", f->err,
				  sizeof(f->err)), 0);
	assert_int_equal(conf_save(f->c, path, f->err, sizeof(f->err)), 0);
	assert_string_equal(f->err, "");

	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(count_entries(dir), 1);

	/* only the explicit keys, in table order */
	text = read_text(path);
	assert_null(strstr(text, "sip.listen"));
	assert_null(strstr(text, "call.waiting"));
	assert_non_null(strstr(text, "account.password = abc#1\n"));
	assert_non_null(strstr(text, "account.display_name =\n"));
	assert_non_null(strstr(text, "sip.user_agent =#hash first\n"));
	assert_true(strstr(text, "sip.user_agent") <
		    strstr(text, "sip.transport"));
	assert_true(strstr(text, "account.aor") <
		    strstr(text, "account.expires"));
	assert_true(strstr(text, "account.expires") <
		    strstr(text, "call.codecs"));
	free(text);

	assert_int_equal(conf_load_file(c2, path, f->err, sizeof(f->err)), 0);
	for (size_t i = 0; i < conf_key_count(); i++) {
		const char *k = conf_key_at(i)->name;

		assert_string_equal(conf_str(c2, k), conf_str(f->c, k));
		assert_int_equal(conf_is_set(c2, k), conf_is_set(f->c, k));
		assert_int_equal(conf_list_count(c2, k),
				 conf_list_count(f->c, k));
	}
	assert_string_equal(conf_str(c2, "account.password"), "abc#1");
	assert_string_equal(conf_str(c2, "sip.user_agent"), "#hash first");
	assert_true(conf_bool(c2, "account.register"));
	conf_free(c2);
	rm_tmpdir(dir);
}

/* A value that just fits on a line must still fit once saved. */
static void test_save_long_value(void **state)
{
	struct fixture *f = *state;
	char *dir = make_tmpdir();
	char path[512];
	char *buf = malloc(4096 + 2);
	conf_t *c2 = conf_new();
	size_t vlen = 4096 - strlen("account.password=");

	assert_non_null(buf);
	assert_non_null(c2);
	snprintf(path, sizeof(path), "%s/pnphone.conf", dir);
	strcpy(buf, "account.password=");
	memset(buf + strlen(buf), 'p', vlen);
	buf[4096] = '\0';
	load_ok(f, buf);
	assert_int_equal(conf_save(f->c, path, f->err, sizeof(f->err)), 0);
	assert_int_equal(conf_load_file(c2, path, f->err, sizeof(f->err)), 0);
	assert_string_equal(conf_str(c2, "account.password"),
			    conf_str(f->c, "account.password"));

	/* conf_set refuses what could not be written on one line */
	buf[vlen] = '\0';
	memset(buf, 'q', vlen);
	assert_int_equal(conf_set(f->c, "account.password", buf, f->err,
				  sizeof(f->err)), 0);
	buf[vlen] = 'q';
	buf[vlen + 1] = '\0';
	assert_int_equal(conf_set(f->c, "account.password", buf, f->err,
				  sizeof(f->err)), -1);
	assert_string_equal(f->err, "account.password: value is too long for "
			    "a line of 4096 bytes");
	assert_int_equal(strlen(conf_str(f->c, "account.password")), vlen);
	conf_free(c2);
	free(buf);
	rm_tmpdir(dir);
}

static void test_save_replaces(void **state)
{
	struct fixture *f = *state;
	char *dir = make_tmpdir();
	char path[512], tmp[520];
	struct stat st;
	FILE *fp;
	char *text;

	snprintf(path, sizeof(path), "%s/pnphone.conf", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	/* an old world-readable file and a stale temporary file */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("account.user = old\n", fp);
	fclose(fp);
	assert_int_equal(chmod(path, 0644), 0);
	fp = fopen(tmp, "w");
	assert_non_null(fp);
	fputs("garbage\n", fp);
	fclose(fp);

	assert_int_equal(conf_set(f->c, "account.user", "new", f->err,
				  sizeof(f->err)), 0);
	assert_int_equal(conf_save(f->c, path, f->err, sizeof(f->err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(access(tmp, F_OK), -1);
	text = read_text(path);
	assert_non_null(strstr(text, "account.user = new\n"));
	assert_null(strstr(text, "old"));
	free(text);
	rm_tmpdir(dir);
}

static void test_save_errors(void **state)
{
	struct fixture *f = *state;
	char *dir = make_tmpdir();
	char path[512], msg[600];

	snprintf(path, sizeof(path), "%s/no/such/pnphone.conf", dir);
	assert_int_equal(conf_save(f->c, path, f->err, sizeof(f->err)), -1);
	snprintf(msg, sizeof(msg), "%s.tmp: No such file or directory", path);
	assert_string_equal(f->err, msg);
	/* renaming over a directory fails and leaves no temporary file */
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(conf_save(f->c, path, f->err, sizeof(f->err)), -1);
	snprintf(msg, sizeof(msg), "%s: Is a directory", path);
	assert_string_equal(f->err, msg);
	assert_int_equal(count_entries(dir), 1);
	assert_int_equal(rmdir(path), 0);
	rm_tmpdir(dir);
}

static void test_load_file(void **state)
{
	struct fixture *f = *state;
	char *dir = make_tmpdir();
	char path[512], msg[600];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/missing.conf", dir);
	assert_int_equal(conf_load_file(f->c, path, f->err, sizeof(f->err)),
			 -1);
	snprintf(msg, sizeof(msg), "%s: No such file or directory", path);
	assert_string_equal(f->err, msg);

	assert_int_equal(conf_load_file(f->c, dir, f->err, sizeof(f->err)),
			 -1);
	snprintf(msg, sizeof(msg), "%s: Is a directory", dir);
	assert_string_equal(f->err, msg);

	snprintf(path, sizeof(path), "%s/a.conf", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("account.user = bob\nlog.sip = on\n", fp);
	fclose(fp);
	assert_int_equal(conf_load_file(f->c, path, f->err, sizeof(f->err)),
			 0);
	assert_string_equal(conf_str(f->c, "account.user"), "bob");
	assert_true(conf_bool(f->c, "log.sip"));

	/* errors in a file are named after its path */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("account.user = carol\naccount.expires = 1\n", fp);
	fclose(fp);
	assert_int_equal(conf_load_file(f->c, path, f->err, sizeof(f->err)),
			 -1);
	snprintf(msg, sizeof(msg),
		 "%s:2: account.expires: 1 is out of range 10..86400", path);
	assert_string_equal(f->err, msg);
	assert_string_equal(conf_str(f->c, "account.user"), "bob");
	unlink(path);
	rm_tmpdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_key_table),
		T(test_defaults),
		T(test_defaults_valid),
		T(test_misuse),
		T(test_bool),
		T(test_uint),
		T(test_enum),
		T(test_list),
		T(test_uri),
		T(test_uris),
		T(test_listen),
		T(test_string),
		T(test_comments),
		T(test_empty_input),
		T(test_crlf),
		T(test_bom),
		T(test_duplicate),
		T(test_unknown_key),
		T(test_missing_equals),
		T(test_long_line),
		T(test_nul_byte),
		T(test_all_or_nothing),
		T(test_overlay),
		T(test_cross_register),
		T(test_cross_rtp),
		T(test_rtp_bounds),
		T(test_set),
		T(test_save_round_trip),
		T(test_save_long_value),
		T(test_save_replaces),
		T(test_save_errors),
		T(test_load_file),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
