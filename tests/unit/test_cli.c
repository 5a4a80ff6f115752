/*
 * test_cli.c - unit tests of ua/cli.c (the stdin command language).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ua/cli.h"

static ua_cli_cmd_t cmd;
static char err[256];

/* LINE parses; returns the command. */
static const ua_cli_cmd_t *ok_(const char *line, const char *file, int at)
{
	memset(&cmd, 0x5a, sizeof(cmd));
	memset(err, 'x', sizeof(err));
	if (ua_cli_parse(line, &cmd, err, sizeof(err)) != 0)
		_fail(file, at);
	if (err[0] != '\0')
		_fail(file, at);
	return &cmd;
}
#define ok(line) ok_((line), __FILE__, __LINE__)

/* LINE fails with a one-line message containing WANT; CMD is cleared. */
static void bad_(const char *line, const char *want, const char *file, int at)
{
	static const ua_cli_cmd_t zero;

	memset(&cmd, 0x5a, sizeof(cmd));
	memset(err, 'x', sizeof(err));
	if (ua_cli_parse(line, &cmd, err, sizeof(err)) != -1) {
		print_error("'%.60s' parsed, expected an error\n", line);
		_fail(file, at);
	}
	if (memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0' ||
	    strchr(err, '\n') != NULL || strchr(err, '\r') != NULL) {
		print_error("'%.60s': bad error message\n", line);
		_fail(file, at);
	}
	if (strstr(err, want) == NULL) {
		print_error("'%.60s': error '%s' lacks '%s'\n", line, err, want);
		_fail(file, at);
	}
	if (memcmp(&cmd, &zero, sizeof(cmd)) != 0) {
		print_error("'%.60s': command not cleared on error\n", line);
		_fail(file, at);
	}
}
#define bad(line, want) bad_((line), (want), __FILE__, __LINE__)

static void test_empty(void **st)
{
	static const char *const lines[] = {
		"", "\n", "\r\n", "   ", " \t \r\n", "#", "# comment\n",
		"   # indented comment", "#dial sip:x", "\t#\r\n", "\v\f\n",
	};

	(void)st;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		const ua_cli_cmd_t *c = ok(lines[i]);

		assert_int_equal(c->kind, UA_CLI_EMPTY);
		assert_int_equal(c->call, 0);
		assert_string_equal(c->arg, "");
	}
	assert_int_equal(ua_cli_parse(NULL, &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.kind, UA_CLI_EMPTY);
}

static void test_no_arg_commands(void **st)
{
	static const struct {
		const char *line;
		ua_cli_kind_t kind;
	} t[] = {
		{ "register", UA_CLI_REGISTER },
		{ "unregister", UA_CLI_UNREGISTER },
		{ "status", UA_CLI_STATUS },
		{ "help", UA_CLI_HELP },
		{ "quit", UA_CLI_QUIT },
		{ "exit", UA_CLI_QUIT },
		{ "devices", UA_CLI_DEVICES },
		{ "DEVICES", UA_CLI_DEVICES },
		{ "provision", UA_CLI_PROVISION },
		{ "  status  \r\n", UA_CLI_STATUS },
		{ "\tquit\n", UA_CLI_QUIT },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const ua_cli_cmd_t *c = ok(t[i].line);

		assert_int_equal(c->kind, t[i].kind);
		assert_int_equal(c->call, 0);
		assert_int_equal(c->code, 0);
		assert_string_equal(c->arg, "");
		assert_string_equal(c->value, "");
	}
	bad("status now", "status: takes no arguments");
	bad("register 1", "register: takes no arguments");
	bad("unregister all", "unregister: takes no arguments");
	bad("help dial", "help: takes no arguments");
	bad("quit 0", "quit: takes no arguments");
	bad("exit now", "takes no arguments");
	bad("devices all", "devices: takes no arguments");
	bad("provision now", "provision: takes no arguments");
}

static void test_unknown_command(void **st)
{
	char line[400];

	(void)st;
	bad("foo", "unknown command 'foo' (type help)");
	bad("foo bar baz", "unknown command 'foo' (type help)");
	bad("dialx sip:a", "unknown command 'dialx'");
	bad("dia sip:a", "unknown command 'dia'");
	bad("quit!", "unknown command 'quit!'");
	/* a control character is shown escaped, the message stays one line */
	bad("st\x01tus", "unknown command 'st\\x01tus'");
	bad("status\rnow", "unknown command 'status\\x0dnow'");
	bad("a\nb", "unknown command 'a\\x0ab'");
	bad("\xc3\xa9t\xc3\xa9", "unknown command '\\xc3\\xa9t\\xc3\\xa9'");
	/* a long word is shortened */
	memset(line, 'z', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	bad(line, "...' (type help)");
	assert_true(strlen(err) < 100);
}

static void test_case_insensitive(void **st)
{
	const ua_cli_cmd_t *c;

	(void)st;
	c = ok("DIAL sip:Alice@Example.COM");
	assert_int_equal(c->kind, UA_CLI_DIAL);
	/* the URI is kept as typed */
	assert_string_equal(c->arg, "sip:Alice@Example.COM");
	assert_int_equal(ok("Answer")->kind, UA_CLI_ANSWER);
	assert_int_equal(ok("HANGUP 2")->kind, UA_CLI_HANGUP);
	assert_int_equal(ok("HoLd")->kind, UA_CLI_HOLD);
	assert_int_equal(ok("RESUME")->kind, UA_CLI_RESUME);
	assert_int_equal(ok("Register")->kind, UA_CLI_REGISTER);
	assert_int_equal(ok("UNREGISTER")->kind, UA_CLI_UNREGISTER);
	assert_int_equal(ok("Status")->kind, UA_CLI_STATUS);
	assert_int_equal(ok("HELP")->kind, UA_CLI_HELP);
	assert_int_equal(ok("QUIT")->kind, UA_CLI_QUIT);
	assert_int_equal(ok("Exit")->kind, UA_CLI_QUIT);
	c = ok("TRANSFER sip:b@c 3");
	assert_int_equal(c->kind, UA_CLI_TRANSFER);
	assert_int_equal(c->call, 3);
	c = ok("ReJeCt DeClInE 2");
	assert_int_equal(c->kind, UA_CLI_REJECT);
	assert_int_equal(c->code, 603);
	assert_int_equal(c->call, 2);
	c = ok("Reject BUSY");
	assert_int_equal(c->code, 486);
	c = ok("STATE TEXT_ENTRY WEB");
	assert_int_equal(c->kind, UA_CLI_STATE);
	assert_string_equal(c->arg, "text_entry");
	assert_string_equal(c->value, "web");
	c = ok("State Local_Procedure ON");
	assert_string_equal(c->arg, "local_procedure");
	assert_string_equal(c->value, "on");
	c = ok("DTMF 1a");
	assert_int_equal(c->kind, UA_CLI_DTMF);
	assert_string_equal(c->arg, "1A");
	c = ok("dial SIP:bob@host");
	assert_string_equal(c->arg, "SIP:bob@host");
	c = ok("dial Tel:+4930123");
	assert_string_equal(c->arg, "Tel:+4930123");
}

static void test_line_ends(void **st)
{
	const ua_cli_cmd_t *c;

	(void)st;
	c = ok("answer 3\r\n");
	assert_int_equal(c->kind, UA_CLI_ANSWER);
	assert_int_equal(c->call, 3);
	c = ok("dial sip:bob@example.com\n");
	assert_string_equal(c->arg, "sip:bob@example.com");
	c = ok("dial sip:bob@example.com\r\n");
	assert_string_equal(c->arg, "sip:bob@example.com");
	c = ok("  \t dial \t  sip:bob@example.com \t \r\n");
	assert_string_equal(c->arg, "sip:bob@example.com");
	c = ok("dtmf 12#\r\n");
	assert_string_equal(c->arg, "12#");
	c = ok("state text_entry other\r\n");
	assert_string_equal(c->value, "other");
	c = ok("reject decline\r\n");
	assert_int_equal(c->code, 603);
	/* a line end inside the line is not a separator */
	bad("dial sip:a\r\nb", "control character");
	bad("answer 1\r2", "is not a call number");
}

static void test_dial(void **st)
{
	static const char *const good[] = {
		"sip:alice@example.com", "sips:alice@example.com:5061",
		"sip:alice@[2001:db8::1]:5060;transport=tcp", "tel:+4930123456",
		"sip:1234@10.0.0.1", "alice", "alice@example.com",
		"alice@example.com:5070", "+4930123", "*67", "1000",
		"sip:bob@host?subject=hi&priority=urgent",
		"sip:%61lice@host", "a!$&'()*+,-./;=?[]_~`{|}^\\#b@c",
	};
	const ua_cli_cmd_t *c;
	char line[1200];

	(void)st;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(line, sizeof(line), "dial %s", good[i]);
		c = ok(line);
		assert_int_equal(c->kind, UA_CLI_DIAL);
		assert_string_equal(c->arg, good[i]);
		assert_int_equal(c->call, 0);
	}

	bad("dial", "dial: missing URI");
	bad("dial   \r\n", "dial: missing URI");
	bad("dial sip:alice smith@example.com", "dial: too many arguments");
	bad("dial alice 2", "dial: too many arguments");
	bad("dial sip:a\x01" "b@c", "dial: URI contains a control character");
	bad("dial sip:a\x7f" "b@c", "control character");
	bad("dial sip:a\x1b[31m", "control character");
	bad("dial sip:\xc3\xa9@c", "non-ASCII");
	bad("dial <sip:a@b>", "dial: URI cannot contain '<'");
	bad("dial sip:a@b>", "cannot contain '>'");
	bad("dial \"bob\"", "cannot contain '\"'");
	bad("dial http://example.com", "dial: unsupported URI scheme 'http'");
	bad("dial mailto:a@b", "unsupported URI scheme 'mailto'");
	bad("dial sip:", "dial: nothing after 'sip:'");
	bad("dial SIPS:", "nothing after 'SIPS:'");
	bad("dial tel:", "nothing after 'tel:'");
	bad("dial @example.com", "is not a URI");
	bad("dial alice@", "is not a URI");
	bad("dial a@b@c", "is not a URI");
	bad("dial @", "is not a URI");
}

static void test_uri_length(void **st)
{
	char line[UA_CLI_ARG_MAX + 32];
	const ua_cli_cmd_t *c;
	size_t max = UA_CLI_ARG_MAX - 1;

	(void)st;
	/* exactly UA_CLI_ARG_MAX - 1 bytes fit */
	strcpy(line, "dial sip:");
	memset(line + 9, 'a', max - 4);
	line[9 + max - 4] = '\0';
	c = ok(line);
	assert_int_equal(strlen(c->arg), max);
	assert_int_equal(c->arg[max], '\0');
	assert_memory_equal(c->arg, "sip:aaa", 7);

	/* one more does not */
	strcpy(line, "dial sip:");
	memset(line + 9, 'a', max - 3);
	line[9 + max - 3] = '\0';
	bad(line, "dial: URI too long (at most 511 bytes)");

	/* same for transfer, with a call number after it */
	strcpy(line, "transfer ");
	memset(line + 9, 'b', max + 1);
	strcpy(line + 9 + max + 1, " 2");
	bad(line, "transfer: URI too long");
	line[9 + max] = '\0';
	strcat(line, " 2");
	c = ok(line);
	assert_int_equal(c->kind, UA_CLI_TRANSFER);
	assert_int_equal(strlen(c->arg), max);
	assert_int_equal(c->call, 2);
}

static void test_call_commands(void **st)
{
	static const struct {
		const char *name;
		ua_cli_kind_t kind;
	} t[] = {
		{ "answer", UA_CLI_ANSWER },
		{ "hangup", UA_CLI_HANGUP },
		{ "hold", UA_CLI_HOLD },
		{ "resume", UA_CLI_RESUME },
	};
	char line[64], want[64];
	const ua_cli_cmd_t *c;

	(void)st;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c = ok(t[i].name);
		assert_int_equal(c->kind, t[i].kind);
		assert_int_equal(c->call, 0);

		snprintf(line, sizeof(line), "%s 7", t[i].name);
		c = ok(line);
		assert_int_equal(c->kind, t[i].kind);
		assert_int_equal(c->call, 7);

		snprintf(line, sizeof(line), "%s 2147483647", t[i].name);
		assert_int_equal(ok(line)->call, 2147483647);

		snprintf(line, sizeof(line), "%s 007", t[i].name);
		assert_int_equal(ok(line)->call, 7);

		snprintf(line, sizeof(line), "%s abc", t[i].name);
		snprintf(want, sizeof(want), "%s: 'abc' is not a call number",
			 t[i].name);
		bad(line, want);

		snprintf(line, sizeof(line), "%s 1 2", t[i].name);
		snprintf(want, sizeof(want), "%s: too many arguments",
			 t[i].name);
		bad(line, want);
	}
	bad("answer 0", "answer: '0' is not a call number");
	bad("answer 00", "'00' is not a call number");
	bad("hangup -1", "hangup: '-1' is not a call number");
	bad("hold +1", "'+1' is not a call number");
	bad("resume 99999999999", "'99999999999' is not a call number");
	bad("answer 2147483648", "'2147483648' is not a call number");
	bad("answer 4294967297", "is not a call number");
	bad("answer 18446744073709551617", "is not a call number");
	bad("answer 1x", "'1x' is not a call number");
	bad("answer 0x10", "is not a call number");
	bad("answer 1.5", "is not a call number");
	bad("answer 1e3", "is not a call number");
}

static void test_reject(void **st)
{
	static const struct {
		const char *line;
		int code, call;
	} t[] = {
		{ "reject", 486, 0 },
		{ "reject busy", 486, 0 },
		{ "reject decline", 603, 0 },
		{ "reject 3", 486, 3 },
		{ "reject busy 3", 486, 3 },
		{ "reject 3 busy", 486, 3 },
		{ "reject decline 4", 603, 4 },
		{ "reject 4 decline", 603, 4 },
		{ "reject   DECLINE\t12\r\n", 603, 12 },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const ua_cli_cmd_t *c = ok(t[i].line);

		assert_int_equal(c->kind, UA_CLI_REJECT);
		assert_int_equal(c->code, t[i].code);
		assert_int_equal(c->call, t[i].call);
	}
	bad("reject busy decline", "reject: give busy or decline, not both");
	bad("reject decline decline", "not both");
	bad("reject 3 4", "reject: more than one call number");
	bad("reject foo", "reject: 'foo' is not busy, decline or a call number");
	bad("reject 0", "'0' is not busy, decline or a call number");
	bad("reject -2", "'-2' is not busy, decline or a call number");
	bad("reject 99999999999", "is not busy, decline or a call number");
	bad("reject busy 3 x", "reject: too many arguments");
	bad("reject busy 3 4", "reject: too many arguments");
	/* a number is a call, never a response code */
	assert_int_equal(ok("reject 603")->call, 603);
	assert_int_equal(cmd.code, 486);
}

static void test_dtmf(void **st)
{
	const ua_cli_cmd_t *c;
	char line[128];

	(void)st;
	c = ok("dtmf 5");
	assert_int_equal(c->kind, UA_CLI_DTMF);
	assert_string_equal(c->arg, "5");
	assert_int_equal(c->call, 0);
	c = ok("dtmf 0123456789*#ABCD");
	assert_string_equal(c->arg, "0123456789*#ABCD");
	c = ok("dtmf abcd");
	assert_string_equal(c->arg, "ABCD");
	c = ok("dtmf 12# 3");
	assert_string_equal(c->arg, "12#");
	assert_int_equal(c->call, 3);
	/* '#' in an argument is a digit, not a comment */
	c = ok("dtmf # 1");
	assert_string_equal(c->arg, "#");
	assert_int_equal(c->call, 1);

	/* 64 digits fit, 65 do not */
	strcpy(line, "dtmf ");
	memset(line + 5, '1', 64);
	line[5 + 64] = '\0';
	c = ok(line);
	assert_int_equal(strlen(c->arg), 64);
	line[5 + 64] = '2';
	line[5 + 65] = '\0';
	bad(line, "dtmf: too many digits (at most 64)");

	bad("dtmf", "dtmf: missing digits");
	bad("dtmf 12x", "dtmf: invalid digit 'x'");
	bad("dtmf e", "dtmf: invalid digit 'e'");
	bad("dtmf E", "invalid digit 'E'");
	bad("dtmf +1", "invalid digit '+'");
	bad("dtmf 1\x01", "invalid digit '\\x01'");
	bad("dtmf 1\xff", "invalid digit '\\xff'");
	bad("dtmf 1 0", "dtmf: '0' is not a call number");
	bad("dtmf 1 x", "dtmf: 'x' is not a call number");
	bad("dtmf 1 2 3", "dtmf: too many arguments");
}

static void test_transfer(void **st)
{
	const ua_cli_cmd_t *c;

	(void)st;
	c = ok("transfer sip:carol@example.com");
	assert_int_equal(c->kind, UA_CLI_TRANSFER);
	assert_string_equal(c->arg, "sip:carol@example.com");
	assert_int_equal(c->call, 0);
	c = ok("transfer carol 2");
	assert_string_equal(c->arg, "carol");
	assert_int_equal(c->call, 2);
	c = ok("transfer tel:+123 99");
	assert_int_equal(c->call, 99);

	bad("transfer", "transfer: missing URI");
	bad("transfer sip:a\tb c", "transfer: too many arguments");
	bad("transfer sip:a b", "transfer: 'b' is not a call number");
	bad("transfer sip:a 0", "transfer: '0' is not a call number");
	bad("transfer sip:a\x02", "transfer: URI contains a control character");
	bad("transfer ftp:x", "transfer: unsupported URI scheme 'ftp'");
	bad("transfer a@", "transfer: 'a@' is not a URI");
}

static void test_state(void **st)
{
	static const struct {
		const char *line, *arg, *value;
	} t[] = {
		{ "state text_entry none", "text_entry", "none" },
		{ "state text_entry web", "text_entry", "web" },
		{ "state text_entry other", "text_entry", "other" },
		{ "state text_entry OTHER", "text_entry", "other" },
		{ "state local_procedure on", "local_procedure", "on" },
		{ "state local_procedure off", "local_procedure", "off" },
		{ "state LOCAL_PROCEDURE Off\r\n", "local_procedure", "off" },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const ua_cli_cmd_t *c = ok(t[i].line);

		assert_int_equal(c->kind, UA_CLI_STATE);
		assert_string_equal(c->arg, t[i].arg);
		assert_string_equal(c->value, t[i].value);
		assert_int_equal(c->call, 0);
	}
	bad("state", "state: missing setting");
	bad("state text_entry", "state: text_entry: missing value "
	    "(none, web or other)");
	bad("state local_procedure", "local_procedure: missing value "
	    "(on or off)");
	bad("state volume 3", "state: unknown setting 'volume'");
	bad("state text_entry on", "text_entry must be none, web or other, "
	    "not 'on'");
	bad("state local_procedure web", "local_procedure must be on or off, "
	    "not 'web'");
	bad("state local_procedure 1", "not '1'");
	bad("state text_entry web now", "state: too many arguments");
}

static void test_err_buffer(void **st)
{
	char small[8];

	(void)st;
	/* no room for a message, or none at all: still -1, no crash */
	assert_int_equal(ua_cli_parse("foo", &cmd, NULL, 0), -1);
	assert_int_equal(ua_cli_parse("foo", &cmd, err, 0), -1);
	memset(small, 'x', sizeof(small));
	assert_int_equal(ua_cli_parse("foo", &cmd, small, sizeof(small)), -1);
	assert_int_equal(small[sizeof(small) - 1], '\0');
	assert_int_equal(strlen(small), sizeof(small) - 1);
	/* success clears ERR */
	strcpy(err, "stale");
	assert_int_equal(ua_cli_parse("status", &cmd, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	/* no command buffer */
	assert_int_equal(ua_cli_parse("status", NULL, err, sizeof(err)), -1);
}

static void test_long_lines(void **st)
{
	size_t n = 200000;
	char *line = malloc(n + 1);

	(void)st;
	assert_non_null(line);
	/* many tokens */
	for (size_t i = 0; i < n; i++)
		line[i] = i % 2 ? ' ' : '1';
	memcpy(line, "dtmf ", 5);
	line[n] = '\0';
	bad(line, "dtmf: too many arguments");
	memcpy(line, "ABCD ", 5);
	bad(line, "unknown command 'ABCD'");
	/* one huge token */
	memset(line, 'a', n);
	memcpy(line, "dial sip:", 9);
	bad(line, "dial: URI too long");
	memset(line, 'a', n);
	memcpy(line, "dtmf ", 5);
	bad(line, "dtmf: too many digits");
	memset(line, 'a', n);
	memcpy(line, "answer ", 7);
	bad(line, "is not a call number");
	memset(line, '9', n);
	memcpy(line, "answer ", 7);
	bad(line, "is not a call number");
	free(line);
}

static void test_help(void **st)
{
	static const char *const words[] = {
		"dial URI", "answer [CALL]", "reject [busy|decline] [CALL]",
		"hangup [CALL]", "hold [CALL]", "resume [CALL]",
		"dtmf DIGITS [CALL]", "transfer URI [CALL]", "register",
		"unregister", "state text_entry none|web|other",
		"state local_procedure on|off", "status", "help", "quit",
		"devices", "provision",
	};
	const char *h = ua_cli_help();
	const char *p;
	size_t col = 0, lines = 0;
	ua_cli_cmd_t c;

	(void)st;
	assert_non_null(h);
	assert_true(strlen(h) > 0);
	assert_int_equal(h[strlen(h) - 1], '\n');

	/* each syntax starts a line */
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);
		bool found = false;

		for (p = h; *p != '\0'; p = strchr(p, '\n') + 1) {
			if (strncmp(p, words[i], n) == 0 && p[n] == ' ') {
				found = true;
				break;
			}
		}
		if (!found)
			fail_msg("help lacks '%s'", words[i]);
	}

	/* command lines (up to the first blank one): aligned, each names a
	 * command the parser knows; no line is wider than 80 columns */
	for (p = h; *p != '\0' && *p != '\n'; p = strchr(p, '\n') + 1) {
		const char *eol = strchr(p, '\n');
		const char *gap = strstr(p, "  ");
		char word[32];
		size_t n = strcspn(p, " ");

		assert_non_null(eol);
		assert_true(eol - p <= 80);
		assert_true(gap != NULL && gap < eol);
		while (*gap == ' ')
			gap++;
		if (col == 0)
			col = (size_t)(gap - p);
		assert_int_equal((size_t)(gap - p), col);
		assert_true(n < sizeof(word));
		memcpy(word, p, n);
		word[n] = '\0';
		assert_true(ua_cli_parse(word, &c, err, sizeof(err)) == 0 ||
			    strstr(err, "unknown command") == NULL);
		lines++;
	}
	assert_int_equal(lines, sizeof(words) / sizeof(words[0]));
	for (p = h; *p != '\0'; p = strchr(p, '\n') + 1)
		assert_true(strchr(p, '\n') - p <= 80);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_no_arg_commands),
		cmocka_unit_test(test_unknown_command),
		cmocka_unit_test(test_case_insensitive),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_dial),
		cmocka_unit_test(test_uri_length),
		cmocka_unit_test(test_call_commands),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_dtmf),
		cmocka_unit_test(test_transfer),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_err_buffer),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_help),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
