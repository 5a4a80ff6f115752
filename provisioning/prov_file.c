/*
 * prov_file.c - provisioned files: pnphone keys and AudioCodes 400HD keys.
 *
 * The file is rewritten into pnphone's own syntax, one output line per
 * key, and handed to conf_load_buffer() in one piece, so the all-or-nothing
 * rule and every value check are the configuration module's own.  A table
 * maps output lines back to input lines so that errors point into the
 * file the server sent.  AudioCodes keys that combine (the AOR is
 * line 0's id at the registrar's address) are gathered first and written
 * once the whole file is read.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "provisioning/prov_file.h"

#define LINE_MAX_BYTES 4096

/* AudioCodes keys that need more than a rename. */
enum ac_slot {
	AC_ID, AC_ENABLED, AC_PROXY_ADDR, AC_PROXY_PORT, AC_REG_ADDR,
	AC_REG_PORT, AC_REG_ENABLED, AC_OBP_ADDR, AC_OBP_PORT, AC_OBP_ENABLED,
	AC_TRANSPORT, AC_PERIOD, AC_HOURS, AC_NSLOTS
};

static const struct ac_key {
	const char *name;
	const char *key;      /* pnphone key for a plain rename, or NULL */
	int slot;             /* enum ac_slot otherwise */
} ac_keys[] = {
	{ "voip/line/0/id", NULL, AC_ID },
	{ "voip/line/0/enabled", NULL, AC_ENABLED },
	{ "voip/line/0/auth_name", "account.user", -1 },
	{ "voip/line/0/auth_password", "account.password", -1 },
	{ "voip/line/0/description", "account.display_name", -1 },
	{ "voip/signalling/sip/proxy_address", NULL, AC_PROXY_ADDR },
	{ "voip/signalling/sip/proxy_port", NULL, AC_PROXY_PORT },
	{ "voip/signalling/sip/sip_registrar/addr", NULL, AC_REG_ADDR },
	{ "voip/signalling/sip/sip_registrar/port", NULL, AC_REG_PORT },
	{ "voip/signalling/sip/sip_registrar/enabled", NULL, AC_REG_ENABLED },
	{ "voip/signalling/sip/sip_outbound_proxy/addr", NULL, AC_OBP_ADDR },
	{ "voip/signalling/sip/sip_outbound_proxy/port", NULL, AC_OBP_PORT },
	{ "voip/signalling/sip/sip_outbound_proxy/enabled", NULL,
	  AC_OBP_ENABLED },
	{ "voip/signalling/sip/transport_protocol", NULL, AC_TRANSPORT },
	{ "voip/signalling/sip/registration_expires", "account.expires", -1 },
	{ "provisioning/configuration/url", "provisioning.url", -1 },
	{ "provisioning/period/type", NULL, AC_PERIOD },
	{ "provisioning/period/hourly/hours_interval", NULL, AC_HOURS },
	{ "provisioning/random_provisioning_time", "provisioning.random_delay",
	  -1 },
};

/* AudioCodes subtrees a 400HD file carries that pnphone has no use for:
 * accepted and ignored (after the table above, which wins). */
static const char *const ac_ignored[] = {
	"voip/line/", "voip/signalling/", "voip/codec/", "voip/media/",
	"voip/regional_settings/", "voip/services/", "voip/dialing/",
	"voip/audio/", "voip/talk_event/", "voip/dialplan/", "provisioning/",
	"system/", "network/", "lan/", "management/", "security/",
	"personal_settings/", "user_settings/", "display/", "telephony/",
	"phone_lock/", "ems/", "sbc/",
};

struct gen {
	char *buf;
	size_t len, cap;
	size_t *lines;       /* output line -> input line */
	size_t nlines, lcap;
	bool oom;
	/* Every known pnphone key written so far and its input line, so
	 * that a key given twice (say voip/line/0/auth_name and
	 * account.user) is reported with the lines of the file the server
	 * sent, not of the rewritten text. */
	struct claim {
		const char *key;    /* from the key table */
		size_t line;
	} *claims;
	size_t nclaims, ccap;
	const struct claim *dup;   /* the first one given again */
	size_t dup_line;
};

struct ac_val {
	char *text;
	size_t line;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void trim(const char **s, size_t *len)
{
	while (*len > 0 && is_blank(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_blank((*s)[*len - 1]))
		(*len)--;
}

static bool ieq(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen && b[i]; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (x != y)
			return false;
	}
	return i == alen && b[i] == '\0';
}

static bool iprefix(const char *a, size_t alen, const char *p)
{
	size_t n = strlen(p);

	return alen >= n && ieq(a, n, p);
}

static void append(struct gen *g, const char *s, size_t n)
{
	if (g->oom)
		return;
	if (g->len + n + 1 > g->cap) {
		size_t cap = (g->cap + n + 1) * 2;
		char *nb = realloc(g->buf, cap);

		if (!nb) {
			g->oom = true;
			return;
		}
		g->buf = nb;
		g->cap = cap;
	}
	memcpy(g->buf + g->len, s, n);
	g->len += n;
	g->buf[g->len] = '\0';
}

/* End an output line that stands for input line LINE. */
static void end_line(struct gen *g, size_t line)
{
	append(g, "\n", 1);
	if (g->oom)
		return;
	if (g->nlines == g->lcap) {
		size_t cap = g->lcap ? g->lcap * 2 : 32;
		size_t *nl = realloc(g->lines, cap * sizeof(*nl));

		if (!nl) {
			g->oom = true;
			return;
		}
		g->lines = nl;
		g->lcap = cap;
	}
	g->lines[g->nlines++] = line;
}

/* Note that KEY (KLEN bytes) is written for input line LINE.  Keys
 * conf does not know are left to conf's own "unknown key". */
static void claim(struct gen *g, const char *key, size_t klen, size_t line)
{
	const conf_key_t *k = NULL;
	char name[128];

	if (g->oom || g->dup || klen >= sizeof(name))
		return;
	memcpy(name, key, klen);
	name[klen] = '\0';
	k = conf_key_find(name);
	if (!k)
		return;
	for (size_t i = 0; i < g->nclaims; i++)
		if (g->claims[i].key == k->name) {
			g->dup = &g->claims[i];
			g->dup_line = line;
			return;
		}
	if (g->nclaims == g->ccap) {
		size_t cap = g->ccap ? g->ccap * 2 : 16;
		struct claim *nc = realloc(g->claims, cap * sizeof(*nc));

		if (!nc) {
			g->oom = true;
			return;
		}
		g->claims = nc;
		g->ccap = cap;
	}
	g->claims[g->nclaims].key = k->name;
	g->claims[g->nclaims++].line = line;
}

static void emit(struct gen *g, const char *key, const char *val,
		 size_t vlen, size_t line)
{
	claim(g, key, strlen(key), line);
	append(g, key, strlen(key));
	append(g, "=", 1);
	append(g, val, vlen);
	end_line(g, line);
}

static void emit_str(struct gen *g, const char *key, const char *val,
		     size_t line)
{
	emit(g, key, val, strlen(val), line);
}

static int fail(char *err, size_t errsz, const char *name, size_t line,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail(char *err, size_t errsz, const char *name, size_t line,
		const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(err, errsz, "%s:%zu: %s", name, line, msg);
	else
		snprintf(err, errsz, "%s: %s", name, msg);
	return -1;
}

/* Point conf's "NAME:OUTLINE:" at the input line instead. */
static void remap_error(char *err, size_t errsz, const char *name,
			const struct gen *g)
{
	size_t n = strlen(name), out = 0;
	char *p, *end, rest[1024];

	if (strncmp(err, name, n) != 0 || err[n] != ':')
		return;
	p = err + n + 1;
	out = strtoul(p, &end, 10);
	if (end == p || *end != ':' || out == 0 || out > g->nlines)
		return;
	snprintf(rest, sizeof(rest), "%s", end);
	snprintf(err, errsz, "%s:%zu%s", name, g->lines[out - 1], rest);
}

static const struct ac_key *ac_find(const char *k, size_t klen)
{
	for (size_t i = 0; i < sizeof(ac_keys) / sizeof(ac_keys[0]); i++)
		if (ieq(k, klen, ac_keys[i].name))
			return &ac_keys[i];
	return NULL;
}

static bool ac_is_ignored(const char *k, size_t klen)
{
	for (size_t i = 0; i < sizeof(ac_ignored) / sizeof(ac_ignored[0]); i++)
		if (iprefix(k, klen, ac_ignored[i]))
			return true;
	return false;
}

static bool is_off(const struct ac_val *v)
{
	return v->text && strcmp(v->text, "0") == 0;
}

/* sip:HOST[:PORT] from an AudioCodes address and port pair. */
static void emit_sip_uri(struct gen *g, const char *key,
			 const struct ac_val *addr, const struct ac_val *port)
{
	char uri[600];

	if (port->text && *port->text)
		snprintf(uri, sizeof(uri), "sip:%s:%s", addr->text, port->text);
	else
		snprintf(uri, sizeof(uri), "sip:%s", addr->text);
	emit_str(g, key, uri, addr->line);
}

static int ac_derive(struct gen *g, struct ac_val *v, const char *name,
		     char *err, size_t errsz)
{
	const struct ac_val *reg = &v[AC_REG_ADDR], *reg_port = &v[AC_REG_PORT];
	char buf[600];

	if (!reg->text || !*reg->text || is_off(&v[AC_REG_ENABLED])) {
		reg = &v[AC_PROXY_ADDR];
		reg_port = &v[AC_PROXY_PORT];
	}
	if (reg->text && *reg->text)
		emit_sip_uri(g, "account.registrar", reg, reg_port);
	if (v[AC_ID].text && *v[AC_ID].text) {
		if (!reg->text || !*reg->text)
			return fail(err, errsz, name, v[AC_ID].line,
				_("voip/line/0/id needs "
				  "voip/signalling/sip/proxy_address or "
				  "sip_registrar/addr"));
		snprintf(buf, sizeof(buf), "sip:%s@%s", v[AC_ID].text,
			 reg->text);
		emit_str(g, "account.aor", buf, v[AC_ID].line);
		emit_str(g, "account.register",
			 is_off(&v[AC_ENABLED]) ? "off" : "on", v[AC_ID].line);
	}
	if (v[AC_OBP_ADDR].text && *v[AC_OBP_ADDR].text &&
	    !is_off(&v[AC_OBP_ENABLED]))
		emit_sip_uri(g, "account.outbound_proxy", &v[AC_OBP_ADDR],
			     &v[AC_OBP_PORT]);
	if (v[AC_TRANSPORT].text) {
		const char *t = v[AC_TRANSPORT].text;

		if (ieq(t, strlen(t), "udp") || ieq(t, strlen(t), "tcp")) {
			snprintf(buf, sizeof(buf), "%s", t);
			for (char *p = buf; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
			emit_str(g, "sip.transport", buf,
				 v[AC_TRANSPORT].line);
		} else {
			return fail(err, errsz, name, v[AC_TRANSPORT].line,
				_("voip/signalling/sip/transport_protocol: "
				  "'%s' is not UDP or TCP"), t);
		}
	}
	if (v[AC_PERIOD].text) {
		const char *t = v[AC_PERIOD].text;
		size_t n = strlen(t);
		unsigned long secs;

		if (ieq(t, n, "powerup"))
			secs = 0;
		else if (ieq(t, n, "every5minutes"))
			secs = 300;
		else if (ieq(t, n, "every15minutes"))
			secs = 900;
		else if (ieq(t, n, "daily"))
			secs = 86400;
		else if (ieq(t, n, "weekly"))
			secs = 604800;
		else if (ieq(t, n, "hourly")) {
			char *end;
			unsigned long h = 24;

			if (v[AC_HOURS].text) {
				h = strtoul(v[AC_HOURS].text, &end, 10);
				if (*end || h < 1 || h > 168)
					return fail(err, errsz, name,
						v[AC_HOURS].line,
						_("provisioning/period/hourly/"
						  "hours_interval: '%s' is not "
						  "1..168"), v[AC_HOURS].text);
			}
			secs = h * 3600;
		} else {
			return fail(err, errsz, name, v[AC_PERIOD].line,
				_("provisioning/period/type: '%s' is not "
				  "powerup, every5minutes, every15minutes, "
				  "hourly, daily or weekly"), t);
		}
		snprintf(buf, sizeof(buf), "%lu", secs);
		emit_str(g, "provisioning.period", buf, v[AC_PERIOD].line);
	}
	return 0;
}

static int dup_error(const struct gen *g, const char *name, char *err,
		     size_t errsz)
{
	size_t a, b;

	if (!g->dup)
		return 0;
	/* Derived keys are claimed after the whole file is read. */
	a = g->dup->line < g->dup_line ? g->dup->line : g->dup_line;
	b = g->dup->line < g->dup_line ? g->dup_line : g->dup->line;
	return fail(err, errsz, name, b,
		    _("%s: given twice, on lines %zu and %zu"), g->dup->key,
		    a, b);
}

/* One input line: a comment, a pnphone line or an AudioCodes key. */
static int one_line(struct gen *g, struct ac_val *v, const char *s,
		    size_t len, size_t line, const char *name, char *err,
		    size_t errsz)
{
	const char *eq, *key, *val;
	size_t klen, vlen;
	const struct ac_key *ak;

	if (len > LINE_MAX_BYTES)
		return fail(err, errsz, name, line, "%s",
			    _("line is too long"));
	if (memchr(s, '\0', len))
		return fail(err, errsz, name, line, "%s", _("NUL byte in line"));
	trim(&s, &len);
	if (len == 0 || s[0] == ';' || s[0] == '#')
		return 0;
	eq = memchr(s, '=', len);
	key = s;
	klen = eq ? (size_t)(eq - s) : len;
	trim(&key, &klen);
	if (!eq || !memchr(key, '/', klen)) {
		/* pnphone syntax: conf_load_buffer judges it. */
		if (klen == strlen("provisioning.state_dir") &&
		    memcmp(key, "provisioning.state_dir", klen) == 0)
			return fail(err, errsz, name, line,
				    _("%s may not be set by a provisioned "
				      "file"), "provisioning.state_dir");
		/* A line without '=' too: conf reports it. */
		if (eq)
			claim(g, key, klen, line);
		append(g, s, len);
		end_line(g, line);
		return dup_error(g, name, err, errsz);
	}
	val = eq + 1;
	vlen = len - (size_t)(val - s);
	trim(&val, &vlen);
	ak = ac_find(key, klen);
	if (!ak) {
		char k[256];

		snprintf(k, sizeof(k), "%.*s", (int)(klen < 200 ? klen : 200),
			 key);
		if (ac_is_ignored(key, klen))
			return 0;
		return fail(err, errsz, name, line, _("%s: unknown key"), k);
	}
	if (ak->key) {
		emit(g, ak->key, val, vlen, line);
		return dup_error(g, name, err, errsz);
	}
	if (v[ak->slot].text)
		return fail(err, errsz, name, line, _("%s: given twice"),
			    ak->name);
	v[ak->slot].text = strndup(val, vlen);
	v[ak->slot].line = line;
	if (!v[ak->slot].text)
		g->oom = true;
	return 0;
}

int prov_file_load(conf_t *c, const char *name, const char *buf, size_t len,
		   char *err, size_t errsz)
{
	struct gen g = { 0 };
	struct ac_val v[AC_NSLOTS] = { { 0 } };
	size_t pos = 0, line = 0;
	int rc = -1;

	if (!name)
		name = "(provisioned)";
	if (!c || (!buf && len)) {
		fail(err, errsz, name, 0, "%s", _("invalid arguments"));
		goto out;
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *s = buf + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		pos += n + (nl != NULL);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (one_line(&g, v, s, n, ++line, name, err, errsz) < 0)
			goto out;
	}
	if (ac_derive(&g, v, name, err, errsz) < 0 ||
	    dup_error(&g, name, err, errsz) < 0)
		goto out;
	if (g.oom) {
		fail(err, errsz, name, 0, "%s", _("out of memory"));
		goto out;
	}
	if (g.nlines == 0) {
		fail(err, errsz, name, 0, "%s", _("the file sets no key"));
		goto out;
	}
	rc = conf_load_buffer(c, name, g.buf, g.len, err, errsz);
	if (rc < 0)
		remap_error(err, errsz, name, &g);
out:
	for (int i = 0; i < AC_NSLOTS; i++)
		free(v[i].text);
	free(g.buf);
	free(g.lines);
	free(g.claims);
	return rc;
}
