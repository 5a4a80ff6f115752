/*
 * cli.c - parse one line of the stdin command language (see cli.h).
 *
 * The line is only read, never copied whole: it is cut into tokens
 * (pointer + length) on spaces and tabs, after trimming whitespace and the
 * line end at both ends.  Other control characters are not separators:
 * they stay inside a token and are rejected there.  Everything written to
 * cmd->arg and cmd->value is length-checked first, and tokens quoted in
 * error messages are escaped and shortened so a message stays one line.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "ua/cli.h"

/* The longest command has 3 arguments; more are only counted. */
#define MAX_TOKENS 4
#define DTMF_MAX 64
/* How much of a bad token an error message quotes. */
#define SHOW_MAX 40

struct tok {
	const char *p;
	size_t n;
};

enum args {
	ARGS_NONE,      /* register, status, ... */
	ARGS_CALL,      /* [CALL] */
	ARGS_URI,       /* URI */
	ARGS_URI_CALL,  /* URI [CALL] */
	ARGS_DTMF,      /* DIGITS [CALL] */
	ARGS_REJECT,    /* [busy|decline] [CALL] */
	ARGS_STATE,     /* text_entry none|web|other, local_procedure on|off */
};

static const struct command {
	const char *name;
	ua_cli_kind_t kind;
	enum args args;
} commands[] = {
	{ "dial", UA_CLI_DIAL, ARGS_URI },
	{ "answer", UA_CLI_ANSWER, ARGS_CALL },
	{ "reject", UA_CLI_REJECT, ARGS_REJECT },
	{ "hangup", UA_CLI_HANGUP, ARGS_CALL },
	{ "hold", UA_CLI_HOLD, ARGS_CALL },
	{ "resume", UA_CLI_RESUME, ARGS_CALL },
	{ "dtmf", UA_CLI_DTMF, ARGS_DTMF },
	{ "transfer", UA_CLI_TRANSFER, ARGS_URI_CALL },
	{ "register", UA_CLI_REGISTER, ARGS_NONE },
	{ "unregister", UA_CLI_UNREGISTER, ARGS_NONE },
	{ "state", UA_CLI_STATE, ARGS_STATE },
	{ "status", UA_CLI_STATUS, ARGS_NONE },
	{ "provision", UA_CLI_PROVISION, ARGS_NONE },
	{ "devices", UA_CLI_DEVICES, ARGS_NONE },
	{ "help", UA_CLI_HELP, ARGS_NONE },
	{ "quit", UA_CLI_QUIT, ARGS_NONE },
	{ "exit", UA_CLI_QUIT, ARGS_NONE },
};

/* Separators inside the line. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* What is trimmed at both ends (whitespace and the line end). */
static bool is_trim(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	       c == '\v' || c == '\f';
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* T is WORD (lowercase), ignoring ASCII case. */
static bool tok_is(const struct tok *t, const char *word)
{
	size_t n = strlen(word);

	if (t->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(t->p[i]) != word[i])
			return false;
	return true;
}

/* T as an error message may quote it: printable ASCII kept, the rest as
 * \xNN, cut after SHOW_MAX bytes.  BUF needs 4 * SHOW_MAX + 4 bytes. */
static const char *show(const struct tok *t, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < t->n && o + 5 < size; i++) {
		unsigned char c = (unsigned char)t->p[i];

		if (i == SHOW_MAX) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (c >= 0x20 && c < 0x7f) {
			buf[o++] = (char)c;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 0xf];
		}
	}
	buf[o] = '\0';
	return buf;
}

#define SHOW_SIZE (4 * SHOW_MAX + 8)

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errsz > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A call number: 1 .. INT_MAX in plain decimal digits. */
static bool parse_call(const struct tok *t, int *out)
{
	int v = 0;

	if (t->n == 0)
		return false;
	for (size_t i = 0; i < t->n; i++) {
		int d;

		if (!is_digit(t->p[i]))
			return false;
		d = t->p[i] - '0';
		if (v > (INT_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (v <= 0)
		return false;
	*out = v;
	return true;
}

static int call_arg(const char *name, const struct tok *t, ua_cli_cmd_t *cmd,
		    char *err, size_t errsz)
{
	char b[SHOW_SIZE];

	if (!parse_call(t, &cmd->call))
		return fail(err, errsz, _("%s: '%s' is not a call number"),
			    name, show(t, b, sizeof(b)));
	return 0;
}

static void copy_tok(char *dst, const struct tok *t)
{
	memcpy(dst, t->p, t->n);
	dst[t->n] = '\0';
}

/* sip:, sips:, tel:, or user / user@host; printable ASCII, no spaces. */
static int uri_arg(const char *name, const struct tok *t, ua_cli_cmd_t *cmd,
		   char *err, size_t errsz)
{
	char b[SHOW_SIZE];
	size_t s, at, nat = 0;

	if (t->n > sizeof(cmd->arg) - 1)
		return fail(err, errsz, _("%s: URI too long (at most %zu bytes)"),
			    name, sizeof(cmd->arg) - 1);
	for (size_t i = 0; i < t->n; i++) {
		unsigned char c = (unsigned char)t->p[i];

		if (c < 0x20 || c == 0x7f)
			return fail(err, errsz,
				    _("%s: URI contains a control character"),
				    name);
		if (c > 0x7f)
			return fail(err, errsz,
				    _("%s: URI contains a non-ASCII character"),
				    name);
		/* they delimit a URI in a SIP header, never part of one */
		if (c == '<' || c == '>' || c == '"')
			return fail(err, errsz, _("%s: URI cannot contain '%c'"),
				    name, c);
	}

	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	s = 0;
	if (is_alpha(t->p[0])) {
		s = 1;
		while (s < t->n && (is_alpha(t->p[s]) || is_digit(t->p[s]) ||
				    t->p[s] == '+' || t->p[s] == '-' ||
				    t->p[s] == '.'))
			s++;
		if (s == t->n || t->p[s] != ':')
			s = 0;
	}
	if (s > 0) {
		struct tok scheme = { t->p, s };

		if (!tok_is(&scheme, "sip") && !tok_is(&scheme, "sips") &&
		    !tok_is(&scheme, "tel"))
			return fail(err, errsz,
				    _("%s: unsupported URI scheme '%s' "
				      "(use sip:, sips:, tel: or user@host)"),
				    name, show(&scheme, b, sizeof(b)));
		if (s + 1 == t->n)
			return fail(err, errsz,
				    _("%s: nothing after '%s:'"),
				    name, show(&scheme, b, sizeof(b)));
	} else {
		at = 0;
		for (size_t i = 0; i < t->n; i++) {
			if (t->p[i] == '@') {
				nat++;
				at = i;
			}
		}
		if (nat > 1 || (nat == 1 && (at == 0 || at + 1 == t->n)))
			return fail(err, errsz,
				    _("%s: '%s' is not a URI, user or "
				      "user@host"),
				    name, show(t, b, sizeof(b)));
	}
	copy_tok(cmd->arg, t);
	return 0;
}

static int dtmf_arg(const struct tok *t, ua_cli_cmd_t *cmd,
		    char *err, size_t errsz)
{
	char b[SHOW_SIZE];

	for (size_t i = 0; i < t->n; i++) {
		char c = ascii_upper(t->p[i]);

		if (!is_digit(c) && c != '*' && c != '#' &&
		    (c < 'A' || c > 'D')) {
			struct tok one = { t->p + i, 1 };

			return fail(err, errsz, _("dtmf: invalid digit '%s' "
						  "(use 0-9 * # A-D)"),
				    show(&one, b, sizeof(b)));
		}
	}
	if (t->n > DTMF_MAX)
		return fail(err, errsz, _("dtmf: too many digits (at most %d)"),
			    DTMF_MAX);
	for (size_t i = 0; i < t->n; i++)
		cmd->arg[i] = ascii_upper(t->p[i]);
	cmd->arg[t->n] = '\0';
	return 0;
}

static int reject_args(const struct tok *tv, size_t ntok, ua_cli_cmd_t *cmd,
		       char *err, size_t errsz)
{
	char b[SHOW_SIZE];
	bool have_reason = false;

	cmd->code = 486;
	for (size_t i = 1; i < ntok; i++) {
		const struct tok *t = &tv[i];
		int code = tok_is(t, "busy") ? 486 :
			   tok_is(t, "decline") ? 603 : 0;
		int call;

		if (code != 0) {
			if (have_reason)
				return fail(err, errsz,
					    _("reject: give busy or decline, "
					      "not both"));
			have_reason = true;
			cmd->code = code;
		} else if (parse_call(t, &call)) {
			if (cmd->call != 0)
				return fail(err, errsz,
					    _("reject: more than one call "
					      "number"));
			cmd->call = call;
		} else {
			return fail(err, errsz,
				    _("reject: '%s' is not busy, decline or "
				      "a call number"),
				    show(t, b, sizeof(b)));
		}
	}
	return 0;
}

static int state_args(const struct tok *tv, size_t ntok, ua_cli_cmd_t *cmd,
		      char *err, size_t errsz)
{
	static const char *const text_entry[] = { "none", "web", "other" };
	static const char *const on_off[] = { "on", "off" };
	char b[SHOW_SIZE];
	const char *const *values;
	size_t nvalues;
	const char *expect;

	if (ntok < 2)
		return fail(err, errsz,
			    _("state: missing setting (text_entry "
			      "none|web|other, or local_procedure on|off)"));
	if (tok_is(&tv[1], "text_entry")) {
		values = text_entry;
		nvalues = sizeof(text_entry) / sizeof(text_entry[0]);
		expect = _("none, web or other");
		strcpy(cmd->arg, "text_entry");
	} else if (tok_is(&tv[1], "local_procedure")) {
		values = on_off;
		nvalues = sizeof(on_off) / sizeof(on_off[0]);
		expect = _("on or off");
		strcpy(cmd->arg, "local_procedure");
	} else {
		return fail(err, errsz,
			    _("state: unknown setting '%s' (text_entry or "
			      "local_procedure)"),
			    show(&tv[1], b, sizeof(b)));
	}
	if (ntok < 3)
		return fail(err, errsz, _("state: %s: missing value (%s)"),
			    cmd->arg, expect);
	if (ntok > 3)
		return fail(err, errsz, _("state: too many arguments"));
	for (size_t i = 0; i < nvalues; i++) {
		if (tok_is(&tv[2], values[i])) {
			/* every value is far shorter than cmd->value */
			snprintf(cmd->value, sizeof(cmd->value), "%s",
				 values[i]);
			return 0;
		}
	}
	return fail(err, errsz, _("state: %s must be %s, not '%s'"),
		    cmd->arg, expect, show(&tv[2], b, sizeof(b)));
}

static int parse_args(const struct command *c, const struct tok *tv,
		      size_t ntok, ua_cli_cmd_t *cmd, char *err, size_t errsz)
{
	switch (c->args) {
	case ARGS_NONE:
		if (ntok > 1)
			return fail(err, errsz, _("%s: takes no arguments"),
				    c->name);
		return 0;
	case ARGS_CALL:
		if (ntok > 2)
			return fail(err, errsz,
				    _("%s: too many arguments (at most a "
				      "call number)"), c->name);
		return ntok == 2 ? call_arg(c->name, &tv[1], cmd, err, errsz)
				 : 0;
	case ARGS_URI:
		if (ntok < 2)
			return fail(err, errsz, _("%s: missing URI"), c->name);
		if (ntok > 2)
			return fail(err, errsz,
				    _("%s: too many arguments (a URI has "
				      "no spaces)"), c->name);
		return uri_arg(c->name, &tv[1], cmd, err, errsz);
	case ARGS_URI_CALL:
		if (ntok < 2)
			return fail(err, errsz, _("%s: missing URI"), c->name);
		if (ntok > 3)
			return fail(err, errsz,
				    _("%s: too many arguments (a URI has "
				      "no spaces)"), c->name);
		if (uri_arg(c->name, &tv[1], cmd, err, errsz) < 0)
			return -1;
		return ntok == 3 ? call_arg(c->name, &tv[2], cmd, err, errsz)
				 : 0;
	case ARGS_DTMF:
		if (ntok < 2)
			return fail(err, errsz, _("dtmf: missing digits"));
		if (ntok > 3)
			return fail(err, errsz, _("dtmf: too many arguments"));
		if (dtmf_arg(&tv[1], cmd, err, errsz) < 0)
			return -1;
		return ntok == 3 ? call_arg(c->name, &tv[2], cmd, err, errsz)
				 : 0;
	case ARGS_REJECT:
		if (ntok > 3)
			return fail(err, errsz, _("reject: too many arguments"));
		return reject_args(tv, ntok, cmd, err, errsz);
	case ARGS_STATE:
		return state_args(tv, ntok, cmd, err, errsz);
	}
	return fail(err, errsz, _("%s: internal error"), c->name);
}

int ua_cli_parse(const char *line, ua_cli_cmd_t *cmd, char *err, size_t errsz)
{
	struct tok tv[MAX_TOKENS];
	size_t ntok = 0, start, end;
	char b[SHOW_SIZE];

	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (cmd == NULL)
		return fail(err, errsz, _("internal error: no command"));
	memset(cmd, 0, sizeof(*cmd));
	cmd->kind = UA_CLI_EMPTY;
	if (line == NULL)
		return 0;

	end = strlen(line);
	while (end > 0 && is_trim(line[end - 1]))
		end--;
	start = 0;
	while (start < end && is_trim(line[start]))
		start++;
	if (start == end || line[start] == '#')
		return 0;

	for (size_t i = start; i < end;) {
		size_t j = i;

		while (j < end && !is_blank(line[j]))
			j++;
		if (ntok < MAX_TOKENS) {
			tv[ntok].p = line + i;
			tv[ntok].n = j - i;
		}
		ntok++;
		while (j < end && is_blank(line[j]))
			j++;
		i = j;
	}

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct command *c = &commands[i];

		if (!tok_is(&tv[0], c->name))
			continue;
		cmd->kind = c->kind;
		if (parse_args(c, tv, ntok, cmd, err, errsz) < 0) {
			memset(cmd, 0, sizeof(*cmd));
			cmd->kind = UA_CLI_EMPTY;
			return -1;
		}
		return 0;
	}
	return fail(err, errsz, _("unknown command '%s' (type help)"),
		    show(&tv[0], b, sizeof(b)));
}

static const char *const help_text = N_(
	"dial URI                         call URI: sip:, sips:, tel:, user or user@host\n"
	"answer [CALL]                    answer a ringing call\n"
	"reject [busy|decline] [CALL]     refuse: 486 Busy Here (default) or 603 Decline\n"
	"hangup [CALL]                    end a call: CANCEL if unanswered, BYE after\n"
	"hold [CALL]                      put a call on hold\n"
	"resume [CALL]                    take a call off hold\n"
	"dtmf DIGITS [CALL]               send 1 to 64 DTMF digits: 0-9 * # A-D\n"
	"transfer URI [CALL]              blind-transfer a call to URI (REFER)\n"
	"register                         refresh the registration now\n"
	"unregister                       remove the registration\n"
	"state text_entry none|web|other  say which text-entry screen is shown\n"
	"state local_procedure on|off     say whether a local procedure runs\n"
	"status                           show the registration and the calls\n"
	"provision                        fetch the provisioning file again now\n"
	"devices                          list the sound devices (portaudio)\n"
	"help                             show this help\n"
	"quit                             leave pnphone (also: exit)\n"
	"\n"
	"CALL is a call number from the call events; without it, answer and\n"
	"reject act on the ringing call and the others on the newest call.\n");

const char *ua_cli_help(void)
{
	return _(help_text);
}
