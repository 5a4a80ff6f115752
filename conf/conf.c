/*
 * conf.c - parsing, validation, typed access and atomic saving of the
 * key = value configuration.  See conf.h for the file syntax.
 *
 * Every value is parsed once, when it is loaded or set, into a struct val
 * holding its text and its typed form (number, boolean, list items), so
 * the accessors never fail and never parse.  A load or a conf_set first
 * builds the new values in a side table ("pending"), checks the rules that
 * span several keys on the merged result, and only then swaps the new
 * values in; the swap cannot fail, which is what makes loading all or
 * nothing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/i18n.h"
#include "conf/conf.h"

#define LINE_MAX_BYTES 4096
#define URI_MAX_BYTES 512
/* Far above any real configuration; stops a wrong path (a disk image, a
 * log) from being read into memory whole. */
#define FILE_MAX_BYTES (1024 * 1024)

#define NO_KEY SIZE_MAX
/* The longest id a '*' label of a key name stands for. */
#define ID_MAX 64

struct val {
	char *text;          /* trimmed value; lowercased for ENUM and LIST */
	char *itembuf;       /* list items, split in place in a copy of text */
	const char **items;
	size_t nitems;
	unsigned u;          /* CONF_UINT */
	bool b;              /* CONF_BOOL */
	bool set;            /* given explicitly rather than defaulted */
};

/* A value of a pattern key: "event.7.name" for "event.*.name". */
struct inst {
	char *name;
	size_t key;          /* the pattern's index in the table */
	size_t line;         /* while pending: the line it was given on */
	struct val v;
};

struct conf {
	const conf_key_t *keys;
	struct inst *inst;   /* pattern-key values, in order of arrival */
	size_t ninst, capinst;
	size_t n;
	struct val v[];      /* one per key, in table order; for a pattern
			      * key, the default every id starts from */
};

/* A value parsed from the current file or conf_set, not yet applied. */
struct pending {
	struct val v;
	size_t line;         /* line it was given on; 0 for conf_set */
	bool given;
};

/* Everything one load or conf_set stages before it is applied. */
struct batch {
	const conf_t *c;
	struct pending *p;   /* one per key of the table */
	struct inst *inst;   /* pattern-key values given */
	size_t ninst, cap;
};

/* Where the text being parsed came from, for error messages. */
struct where {
	const char *name;    /* file or buffer name; NULL for conf_set */
	size_t line;         /* 0 when no line applies */
	char *err;
	size_t errsz;
};

static const char *const true_words[] = { "on", "yes", "true", "1" };
static const char *const false_words[] = { "off", "no", "false", "0" };

/* ---- error messages ---------------------------------------------------- */

static size_t vappendf(char *buf, size_t sz, size_t off, const char *fmt,
		      va_list ap) __attribute__((format(printf, 4, 0)));
static size_t appendf(char *buf, size_t sz, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(const struct where *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append to BUF at OFF; returns the new offset, never past the last byte,
 * so truncated messages stay NUL-terminated and later appends are no-ops. */
static size_t vappendf(char *buf, size_t sz, size_t off, const char *fmt,
		       va_list ap)
{
	int n;

	if (off + 1 >= sz)
		return off;
	n = vsnprintf(buf + off, sz - off, fmt, ap);
	if (n < 0)
		return off;
	if ((size_t)n >= sz - off)
		return sz - 1;
	return off + (size_t)n;
}

static size_t appendf(char *buf, size_t sz, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	off = vappendf(buf, sz, off, fmt, ap);
	va_end(ap);
	return off;
}

/* Format "NAME:LINE: KEY: message", leaving out the parts that do not
 * apply.  Always returns -1 so callers can "return fail(...)". */
static int fail(const struct where *w, const char *key, const char *fmt, ...)
{
	va_list ap;
	size_t off = 0;

	if (w->err == NULL || w->errsz == 0)
		return -1;
	w->err[0] = '\0';
	if (w->name != NULL && w->line > 0)
		off = appendf(w->err, w->errsz, off, "%s:%zu: ", w->name,
			      w->line);
	else if (w->name != NULL)
		off = appendf(w->err, w->errsz, off, "%s: ", w->name);
	if (key != NULL)
		off = appendf(w->err, w->errsz, off, "%s: ", key);
	va_start(ap, fmt);
	vappendf(w->err, w->errsz, off, fmt, ap);
	va_end(ap);
	return -1;
}

static void clear_err(char *err, size_t errsz)
{
	if (err != NULL && errsz > 0)
		err[0] = '\0';
}

/* ---- small text helpers ------------------------------------------------ */

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* ASCII only: the locale's tolower() would make "ON" differ in Turkish. */
static char ascii_lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool ieq_n(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen && b[i] != '\0'; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return i == alen && b[i] == '\0';
}

static bool iprefix(const char *s, const char *prefix)
{
	for (; *prefix != '\0'; s++, prefix++)
		if (ascii_lower(*s) != *prefix)
			return false;
	return true;
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

static void lowercase(char *s)
{
	for (; *s != '\0'; s++)
		*s = ascii_lower(*s);
}

/* Is W one of the '|'-separated WORDS?  Case-insensitive. */
static bool word_in(const char *words, const char *w)
{
	size_t wlen = strlen(w);

	while (words != NULL && *words != '\0') {
		const char *bar = strchr(words, '|');
		size_t n = bar != NULL ? (size_t)(bar - words) : strlen(words);

		if (n == wlen && ieq_n(words, n, w))
			return true;
		words = bar != NULL ? bar + 1 : NULL;
	}
	return false;
}

/* Length of the line without its comment: a '#' at the start or after a
 * blank starts one, while a '#' glued to text (a password "abc#1") does
 * not. */
static size_t comment_start(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '#' && (i == 0 || is_blank(s[i - 1])))
			return i;
	return len;
}

static bool has_control(const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return true;
	}
	return false;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
 * Values end up in SIP headers and on screen, which both want UTF-8. */
static bool utf8_valid(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s != '\0') {
		unsigned cp, min;
		size_t more;

		if (*s < 0x80) {
			s++;
			continue;
		} else if ((*s & 0xe0) == 0xc0) {
			cp = *s & 0x1fu;
			more = 1;
			min = 0x80;
		} else if ((*s & 0xf0) == 0xe0) {
			cp = *s & 0x0fu;
			more = 2;
			min = 0x800;
		} else if ((*s & 0xf8) == 0xf0) {
			cp = *s & 0x07u;
			more = 3;
			min = 0x10000;
		} else {
			return false;
		}
		for (size_t i = 1; i <= more; i++) {
			if ((s[i] & 0xc0) != 0x80)  /* also stops at NUL */
				return false;
			cp = cp << 6 | (s[i] & 0x3fu);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		s += more + 1;
	}
	return true;
}

static char *dup_n(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d != NULL) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

/* ---- the key table ----------------------------------------------------- */

static bool is_pattern(const conf_key_t *k)
{
	return strchr(k->name, '*') != NULL;
}

static bool is_id_char(char ch)
{
	return is_digit(ch) || ch == '-' || ch == '_' ||
	       (ascii_lower(ch) >= 'a' && ascii_lower(ch) <= 'z');
}

/* Does NAME (LEN bytes) spell the table name K?  A '*' in K stands for an
 * id of 1..ID_MAX letters, digits, '-' or '_'. */
static bool key_matches(const char *k, const char *name, size_t len)
{
	size_t i = 0;

	for (; *k != '\0'; k++) {
		if (*k == '*') {
			size_t start = i;

			while (i < len && is_id_char(name[i]))
				i++;
			if (i == start || i - start > ID_MAX)
				return false;
		} else if (i >= len || name[i++] != *k) {
			return false;
		}
	}
	return i == len;
}

static size_t key_index_n(const conf_t *c, const char *name, size_t len)
{
	for (size_t i = 0; i < c->n; i++)
		if (key_matches(c->keys[i].name, name, len))
			return i;
	return NO_KEY;
}

static size_t key_index(const conf_t *c, const char *name)
{
	return name != NULL ? key_index_n(c, name, strlen(name)) : NO_KEY;
}

/* ---- values ------------------------------------------------------------ */

static void val_clear(struct val *v)
{
	free(v->text);
	free(v->itembuf);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

/* Split V->text at commas into trimmed items.  An empty text has no items;
 * empty items are kept so that the type checks can reject them. */
static int split_items(struct val *v)
{
	size_t n = 1;
	char *s;

	if (v->text[0] == '\0')
		return 0;
	for (s = v->text; *s != '\0'; s++)
		n += *s == ',';
	v->itembuf = strdup(v->text);
	v->items = calloc(n, sizeof(*v->items));
	if (v->itembuf == NULL || v->items == NULL)
		return -1;
	s = v->itembuf;
	for (v->nitems = 0; v->nitems < n; v->nitems++) {
		char *comma = strchr(s, ',');
		char *end = comma != NULL ? comma : s + strlen(s);

		while (end > s && is_blank(end[-1]))
			end--;
		*end = '\0';
		while (is_blank(*s))
			s++;
		v->items[v->nitems] = s;
		s = comma != NULL ? comma + 1 : end;
	}
	return 0;
}

static int parse_bool(const conf_key_t *k, struct val *v,
		      const struct where *w)
{
	size_t n = sizeof(true_words) / sizeof(true_words[0]);

	for (size_t i = 0; i < n; i++) {
		if (ieq_n(v->text, strlen(v->text), true_words[i])) {
			v->b = true;
			return 0;
		}
		if (ieq_n(v->text, strlen(v->text), false_words[i])) {
			v->b = false;
			return 0;
		}
	}
	if (v->text[0] == '\0')
		return fail(w, k->name, _("a value is required: on/off, "
					  "yes/no, true/false or 1/0"));
	return fail(w, k->name, _("'%s' is not on/off, yes/no, true/false "
				  "or 1/0"), v->text);
}

static int parse_uint(const conf_key_t *k, struct val *v,
		      const struct where *w)
{
	unsigned long long n = 0;
	const char *s;

	if (v->text[0] == '\0')
		return fail(w, k->name, _("a value is required: a number in "
					  "%u..%u"), k->min, k->max);
	for (s = v->text; *s != '\0'; s++) {
		if (!is_digit(*s))
			return fail(w, k->name, _("'%s' is not a number in "
						  "%u..%u"),
				    v->text, k->min, k->max);
		/* Stop growing once past any unsigned bound rather than
		 * wrap, so a huge number still reads as out of range. */
		if (n <= UINT32_MAX)
			n = n * 10 + (unsigned)(*s - '0');
	}
	if (n < k->min || n > k->max)
		return fail(w, k->name, _("%s is out of range %u..%u"),
			    v->text, k->min, k->max);
	v->u = (unsigned)n;
	return 0;
}

static int parse_enum(const conf_key_t *k, struct val *v,
		      const struct where *w)
{
	if (v->text[0] == '\0')
		return fail(w, k->name, _("a value is required: one of %s"),
			    k->words);
	if (!word_in(k->words, v->text))
		return fail(w, k->name, _("'%s' is not one of %s"), v->text,
			    k->words);
	lowercase(v->text);
	return 0;
}

static int parse_list(const conf_key_t *k, struct val *v,
		      const struct where *w)
{
	lowercase(v->text);
	if (split_items(v) < 0)
		return fail(w, k->name, "%s", strerror(ENOMEM));
	if (v->nitems == 0)
		return fail(w, k->name, _("a value is required: one or more "
					  "of %s"), k->words);
	for (size_t i = 0; i < v->nitems; i++) {
		if (v->items[i][0] == '\0')
			return fail(w, k->name, _("empty item in list"));
		if (!word_in(k->words, v->items[i]))
			return fail(w, k->name, _("'%s' is not one of %s"),
				    v->items[i], k->words);
		for (size_t j = 0; j < i; j++)
			if (strcmp(v->items[i], v->items[j]) == 0)
				return fail(w, k->name,
					    _("'%s' is listed twice"),
					    v->items[i]);
	}
	return 0;
}

/* A non-empty sip: or sips: URI.  Only the outline is checked here; the
 * SIP stack parses it for real when it is used. */
static int check_uri(const conf_key_t *k, const char *s,
		     const struct where *w)
{
	if (strlen(s) > URI_MAX_BYTES)
		return fail(w, k->name, _("URI is longer than %d bytes"),
			    URI_MAX_BYTES);
	for (const char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return fail(w, k->name, _("'%s' contains whitespace"),
				    s);
	if (!(iprefix(s, "sip:") && s[4] != '\0') &&
	    !(iprefix(s, "sips:") && s[5] != '\0'))
		return fail(w, k->name, _("'%s' is not a sip: or sips: URI"),
			    s);
	return 0;
}

static int parse_uri(const conf_key_t *k, struct val *v,
		     const struct where *w)
{
	return v->text[0] == '\0' ? 0 : check_uri(k, v->text, w);
}

/* A comma-separated list whose every item CHECK accepts. */
static int parse_each(const conf_key_t *k, struct val *v,
		      const struct where *w,
		      int (*check)(const conf_key_t *, const char *,
				   const struct where *))
{
	if (split_items(v) < 0)
		return fail(w, k->name, "%s", strerror(ENOMEM));
	for (size_t i = 0; i < v->nitems; i++) {
		if (v->items[i][0] == '\0')
			return fail(w, k->name, _("empty item in list"));
		if (check(k, v->items[i], w) < 0)
			return -1;
	}
	return 0;
}

static int parse_uris(const conf_key_t *k, struct val *v,
		      const struct where *w)
{
	return parse_each(k, v, w, check_uri);
}

/* Dotted quad, each part 0..255 without leading zeros (which some parsers
 * would read as octal). */
static bool is_ipv4(const char *s, size_t len)
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		size_t start = i;
		unsigned n = 0;

		if (part > 0) {
			if (i >= len || s[i] != '.')
				return false;
			start = ++i;
		}
		while (i < len && is_digit(s[i]) && i - start < 3)
			n = n * 10 + (unsigned)(s[i++] - '0');
		if (i == start || n > 255 || (s[start] == '0' && i - start > 1))
			return false;
	}
	return i == len;
}

/* Letters, digits, '-' and '.', in labels of 1..63 that neither start nor
 * end with '-'. */
static bool is_hostname(const char *s, size_t len)
{
	size_t label = 0;

	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
		} else if (ch == '-' || is_digit(ch) ||
			   (ascii_lower(ch) >= 'a' && ascii_lower(ch) <= 'z')) {
			if (ch == '-' && label == 0)
				return false;
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0 && s[len - 1] != '-';
}

static bool is_host(const char *s, size_t len)
{
	char buf[INET6_ADDRSTRLEN];
	struct in6_addr a6;

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		if (len - 2 >= sizeof(buf))
			return false;
		memcpy(buf, s + 1, len - 2);
		buf[len - 2] = '\0';
		return inet_pton(AF_INET6, buf, &a6) == 1;
	}
	/* All digits and dots can only be an address, so "1.2.3.999" is an
	 * error rather than a strange host name. */
	if (strspn(s, "0123456789.") >= len)
		return is_ipv4(s, len);
	return is_hostname(s, len);
}

static bool is_port(const char *s)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; is_digit(s[i]) && i < 5; i++)
		n = n * 10 + (unsigned)(s[i] - '0');
	return i > 0 && s[i] == '\0' && n <= 65535;
}

/* udp:HOST:PORT or tcp:HOST:PORT; HOST is IPv4, [IPv6] or a name. */
static int check_listen(const conf_key_t *k, const char *s,
			const struct where *w)
{
	const char *host, *colon;

	if (strncmp(s, "udp:", 4) != 0 && strncmp(s, "tcp:", 4) != 0)
		return fail(w, k->name, _("'%s' is not udp:HOST:PORT or "
					  "tcp:HOST:PORT"), s);
	host = s + 4;
	/* The port follows the first ':' after the host, and an IPv6 host
	 * ends at its ']' since it has colons of its own. */
	colon = host[0] == '[' ? strchr(host, ']') : host;
	if (colon == NULL)
		return fail(w, k->name, _("'%s' has an invalid host"), s);
	colon = strchr(colon, ':');
	if (colon == NULL)
		return fail(w, k->name, _("'%s' is not udp:HOST:PORT or "
					  "tcp:HOST:PORT"), s);
	if (!is_host(host, (size_t)(colon - host)))
		return fail(w, k->name, _("'%s' has an invalid host"), s);
	if (!is_port(colon + 1))
		return fail(w, k->name, _("'%s' has an invalid port "
					  "(0..65535)"), s);
	return 0;
}

static int parse_listen(const conf_key_t *k, struct val *v,
			const struct where *w)
{
	return parse_each(k, v, w, check_listen);
}

static int parse_typed(const conf_key_t *k, struct val *v,
		       const struct where *w)
{
	switch (k->type) {
	case CONF_STRING:
		return 0;
	case CONF_BOOL:
		return parse_bool(k, v, w);
	case CONF_UINT:
		return parse_uint(k, v, w);
	case CONF_ENUM:
		return parse_enum(k, v, w);
	case CONF_LIST:
		return parse_list(k, v, w);
	case CONF_URI:
		return parse_uri(k, v, w);
	case CONF_URIS:
		return parse_uris(k, v, w);
	case CONF_LISTEN:
		return parse_listen(k, v, w);
	}
	return fail(w, k->name, _("key has an unknown type"));
}

/* Parse TEXT (trimmed, NUL-terminated) as a value of K into OUT, which must
 * be empty.  On error OUT is left empty. */
static int parse_value(const conf_key_t *k, const char *text, struct val *out,
		       const struct where *w)
{
	int rc = -1;

	if (has_control(text))
		fail(w, k->name, _("control character in value"));
	else if (!utf8_valid(text))
		fail(w, k->name, _("value is not valid UTF-8"));
	else if ((out->text = strdup(text)) == NULL)
		fail(w, k->name, "%s", strerror(ENOMEM));
	else
		rc = parse_typed(k, out, w);
	if (rc < 0)
		val_clear(out);
	return rc;
}

/* ---- loading ----------------------------------------------------------- */

static const struct val *view(const conf_t *c, const struct pending *p,
			      size_t i)
{
	return p != NULL && p[i].given ? &p[i].v : &c->v[i];
}

/* The rules that tie keys together, on the current values overlaid with
 * the pending ones (P may be NULL to check C alone). */
static int check_cross(const conf_t *c, const struct pending *p,
		       const struct where *where)
{
	size_t reg = key_index(c, "account.register");
	size_t aor = key_index(c, "account.aor");
	size_t registrar = key_index(c, "account.registrar");
	size_t pmin = key_index(c, "rtp.port_min");
	size_t pmax = key_index(c, "rtp.port_max");
	struct where w = *where;

	if (reg != NO_KEY && aor != NO_KEY && registrar != NO_KEY &&
	    view(c, p, reg)->b) {
		w.line = p != NULL && p[reg].given ? p[reg].line : 0;
		if (view(c, p, aor)->text[0] == '\0')
			return fail(&w, NULL, _("account.register is on but "
						"account.aor is empty"));
		if (view(c, p, registrar)->nitems == 0)
			return fail(&w, NULL, _("account.register is on but "
						"account.registrar is empty"));
	}
	if (pmin != NO_KEY && pmax != NO_KEY &&
	    view(c, p, pmin)->u >= view(c, p, pmax)->u) {
		w.line = p != NULL && p[pmax].given ? p[pmax].line : 0;
		return fail(&w, "rtp.port_max", _("%u is not above "
						  "rtp.port_min (%u)"),
			    view(c, p, pmax)->u, view(c, p, pmin)->u);
	}
	return 0;
}

static int batch_init(struct batch *b, const conf_t *c)
{
	memset(b, 0, sizeof(*b));
	b->c = c;
	b->p = calloc(c->n, sizeof(struct pending));
	return b->p != NULL ? 0 : -1;
}

static void inst_clear(struct inst *in)
{
	free(in->name);
	val_clear(&in->v);
}

static void batch_free(struct batch *b)
{
	if (b->p != NULL)
		for (size_t i = 0; i < b->c->n; i++)
			val_clear(&b->p[i].v);
	free(b->p);
	for (size_t i = 0; i < b->ninst; i++)
		inst_clear(&b->inst[i]);
	free(b->inst);
}

static struct inst *inst_find(struct inst *in, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(in[i].name, name) == 0)
			return &in[i];
	return NULL;
}

/* Room in C for every pattern value of B, so that commit cannot fail. */
static int reserve(conf_t *c, const struct batch *b)
{
	struct inst *n;

	if (c->ninst + b->ninst <= c->capinst)
		return 0;
	n = realloc(c->inst, (c->ninst + b->ninst) * sizeof(*n));
	if (n == NULL)
		return -1;
	c->inst = n;
	c->capinst = c->ninst + b->ninst;
	return 0;
}

/* Swap the pending values in.  Cannot fail: everything was allocated while
 * parsing (and reserved), and the old values go back into B to be freed
 * with it. */
static void commit(conf_t *c, struct batch *b)
{
	for (size_t i = 0; i < c->n; i++) {
		if (b->p[i].given) {
			struct val old = c->v[i];

			c->v[i] = b->p[i].v;
			c->v[i].set = true;
			b->p[i].v = old;
		}
	}
	for (size_t i = 0; i < b->ninst; i++) {
		struct inst *in = inst_find(c->inst, c->ninst,
					    b->inst[i].name);
		struct val old;

		b->inst[i].v.set = true;
		if (in == NULL) {
			c->inst[c->ninst++] = b->inst[i];
			memset(&b->inst[i], 0, sizeof(b->inst[i]));
			continue;
		}
		old = in->v;
		in->v = b->inst[i].v;
		b->inst[i].v = old;
	}
}

/* Room for one more pattern value in B. */
static int batch_grow(struct batch *b)
{
	size_t cap = b->cap ? b->cap * 2 : 8;
	struct inst *n;

	if (b->ninst < b->cap)
		return 0;
	n = realloc(b->inst, cap * sizeof(*n));
	if (n == NULL)
		return -1;
	b->inst = n;
	b->cap = cap;
	return 0;
}

/* Validate VALUE for key NAME (table index I) and stage it in B. */
static int stage(struct batch *b, size_t i, const char *name,
		 const char *value, size_t len, const struct where *w)
{
	conf_key_t k = b->c->keys[i];
	struct inst *in = NULL;
	char *text = dup_n(value, len);
	int rc = -1;

	/* messages name the key as written: event.7.name, not event.*.name */
	k.name = name;
	if (text == NULL)
		goto nomem;
	if (!is_pattern(&b->c->keys[i])) {
		rc = parse_value(&k, text, &b->p[i].v, w);
		if (rc == 0) {
			b->p[i].given = true;
			b->p[i].line = w->line;
		}
		goto out;
	}
	if (batch_grow(b) < 0)
		goto nomem;
	in = &b->inst[b->ninst];
	memset(in, 0, sizeof(*in));
	in->key = i;
	in->line = w->line;
	if ((in->name = strdup(name)) == NULL)
		goto nomem;
	rc = parse_value(&k, text, &in->v, w);
	if (rc == 0)
		b->ninst++;
	else
		inst_clear(in);
	goto out;
nomem:
	if (in != NULL)
		inst_clear(in);
	fail(w, name, "%s", strerror(ENOMEM));
out:
	free(text);
	return rc;
}

static bool is_printable_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return false;
	return true;
}

static int parse_line(struct batch *b, const char *s, size_t len,
		      const struct where *w)
{
	char key[LINE_MAX_BYTES + 1];
	const char *eq, *val;
	size_t klen, vlen, i;

	if (len > LINE_MAX_BYTES)
		return fail(w, NULL, _("line is longer than %d bytes"),
			    LINE_MAX_BYTES);
	if (memchr(s, '\0', len) != NULL)
		return fail(w, NULL, _("NUL byte in line"));
	len = comment_start(s, len);
	trim(&s, &len);
	if (len == 0)
		return 0;
	eq = memchr(s, '=', len);
	if (eq == NULL)
		return fail(w, NULL, _("missing '='"));
	klen = (size_t)(eq - s);
	val = eq + 1;
	vlen = len - klen - 1;
	trim(&s, &klen);
	trim(&val, &vlen);
	if (klen == 0)
		return fail(w, NULL, _("missing key before '='"));
	/* Only echo keys that are safe to print on a terminal. */
	if (!is_printable_ascii(s, klen))
		return fail(w, NULL, _("invalid character in key"));
	memcpy(key, s, klen);
	key[klen] = '\0';
	i = key_index(b->c, key);
	if (i == NO_KEY)
		return fail(w, key, _("unknown key"));
	if (is_pattern(&b->c->keys[i])) {
		const struct inst *in = inst_find(b->inst, b->ninst, key);

		if (in != NULL)
			return fail(w, key, _("given twice, on lines %zu "
					      "and %zu"), in->line, w->line);
	} else if (b->p[i].given) {
		return fail(w, key, _("given twice, on lines %zu and %zu"),
			    b->p[i].line, w->line);
	}
	return stage(b, i, key, val, vlen, w);
}

static int parse_lines(struct batch *b, const char *buf, size_t len,
		       struct where *w)
{
	static const char bom[] = "\xef\xbb\xbf";
	size_t pos = 0;

	if (len >= 3 && memcmp(buf, bom, 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *s = buf + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - s) : len - pos;

		pos += n + (nl != NULL);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		w->line++;
		if (parse_line(b, s, n, w) < 0)
			return -1;
	}
	w->line = 0;
	return 0;
}

int conf_load_buffer(conf_t *c, const char *name, const char *buf, size_t len,
		     char *err, size_t errsz)
{
	struct where w = { name != NULL ? name : "(buffer)", 0, err, errsz };
	struct batch b = { 0 };
	int rc = -1;

	if (c == NULL || (buf == NULL && len > 0))
		fail(&w, NULL, "%s", strerror(EINVAL));
	else if (batch_init(&b, c) < 0)
		fail(&w, NULL, "%s", strerror(ENOMEM));
	else if (parse_lines(&b, buf, len, &w) == 0 &&
		 check_cross(c, b.p, &w) == 0) {
		if (reserve(c, &b) < 0)
			fail(&w, NULL, "%s", strerror(ENOMEM));
		else
			rc = 0;
	}
	if (rc == 0) {
		commit(c, &b);
		clear_err(err, errsz);
	}
	if (b.c != NULL)
		batch_free(&b);
	return rc;
}

/* Read all of PATH into a malloc'd buffer. */
static int read_all(const char *path, char **out, size_t *outlen,
		    const struct where *w)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = -1;

	if (fd < 0) {
		fail(w, NULL, "%s", strerror(errno));
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nbuf;

			if (cap > FILE_MAX_BYTES) {
				fail(w, NULL, _("file is larger than %d bytes"),
				     FILE_MAX_BYTES);
				goto out;
			}
			cap = cap == 0 ? 4096 : cap * 2;
			nbuf = realloc(buf, cap);
			if (nbuf == NULL) {
				fail(w, NULL, "%s", strerror(ENOMEM));
				goto out;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fail(w, NULL, "%s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > FILE_MAX_BYTES) {
		fail(w, NULL, _("file is larger than %d bytes"),
		     FILE_MAX_BYTES);
		goto out;
	}
	*out = buf;
	*outlen = len;
	buf = NULL;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

int conf_load_file(conf_t *c, const char *path, char *err, size_t errsz)
{
	struct where w = { path, 0, err, errsz };
	char *buf = NULL;
	size_t len = 0;
	int rc = -1;

	if (path == NULL)
		fail(&w, NULL, "%s", strerror(EINVAL));
	else if (read_all(path, &buf, &len, &w) == 0)
		rc = conf_load_buffer(c, path, buf, len, err, errsz);
	free(buf);
	return rc;
}

/* A '#' after a blank would turn the rest of the value into a comment
 * when the file is read back, so such a value cannot be saved. */
static bool unsaveable(const char *s, size_t len)
{
	size_t at = comment_start(s, len);

	return at > 0 && at < len;
}

int conf_set(conf_t *c, const char *key, const char *value,
	     char *err, size_t errsz)
{
	struct where w = { NULL, 0, err, errsz };
	struct batch b = { 0 };
	size_t i = c != NULL ? key_index(c, key) : NO_KEY;
	size_t len = value != NULL ? strlen(value) : 0;
	int rc = -1;

	if (value == NULL)
		value = "";
	trim(&value, &len);
	if (c == NULL)
		fail(&w, key, "%s", strerror(EINVAL));
	else if (i == NO_KEY)
		fail(&w, key != NULL ? key : "(null)", _("unknown key"));
	else if (unsaveable(value, len))
		fail(&w, key, _("a '#' after a space or tab would start a "
				"comment"));
	else if (strlen(key) + 1 + len > LINE_MAX_BYTES)
		fail(&w, key, _("value is too long for a line of %d bytes"),
		     LINE_MAX_BYTES);
	else if (batch_init(&b, c) < 0)
		fail(&w, key, "%s", strerror(ENOMEM));
	else if (stage(&b, i, key, value, len, &w) == 0 &&
		 check_cross(c, b.p, &w) == 0) {
		if (reserve(c, &b) < 0)
			fail(&w, key, "%s", strerror(ENOMEM));
		else
			rc = 0;
	}
	if (rc == 0) {
		commit(c, &b);
		clear_err(err, errsz);
	}
	if (b.c != NULL)
		batch_free(&b);
	return rc;
}

/* ---- life cycle and access --------------------------------------------- */

conf_t *conf_new(void)
{
	return conf_new_table(conf_key_at(0), conf_key_count());
}

conf_t *conf_new_table(const conf_key_t *keys, size_t n)
{
	struct where w = { NULL, 0, NULL, 0 };
	conf_t *c = keys != NULL ? calloc(1, sizeof(*c) + n * sizeof(c->v[0]))
				 : NULL;

	if (c == NULL)
		return NULL;
	c->keys = keys;
	c->n = n;
	for (size_t i = 0; i < n; i++) {
		const conf_key_t *k = &keys[i];

		if (parse_value(k, k->def != NULL ? k->def : "", &c->v[i],
				&w) < 0)
			goto fail;
	}
	if (check_cross(c, NULL, &w) < 0)
		goto fail;
	return c;
fail:
	/* A default that does not validate is a bug in keys.c; the unit
	 * tests catch it, and callers see it as a failed allocation. */
	conf_free(c);
	return NULL;
}

void conf_free(conf_t *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		val_clear(&c->v[i]);
	for (size_t i = 0; i < c->ninst; i++)
		inst_clear(&c->inst[i]);
	free(c->inst);
	free(c);
}

static const struct val *lookup(const conf_t *c, const char *key)
{
	size_t i = c != NULL ? key_index(c, key) : NO_KEY;
	const struct inst *in;

	if (i == NO_KEY)
		return NULL;
	if (!is_pattern(&c->keys[i]))
		return &c->v[i];
	in = inst_find(c->inst, c->ninst, key);
	return in != NULL ? &in->v : &c->v[i];
}

/* The id in NAME of the pattern key K ("7" in "event.7.name"). */
static void id_of(const char *k, const char *name, const char **id,
		  size_t *len)
{
	size_t pre = (size_t)(strchr(k, '*') - k);

	*id = name + pre;
	*len = 0;
	while (is_id_char((*id)[*len]))
		(*len)++;
}

/* Does pattern key K belong to SECTION, i.e. is it "SECTION.*..."? */
static bool in_section(const char *k, const char *section)
{
	size_t n = strlen(section);

	return strncmp(k, section, n) == 0 && k[n] == '.' && k[n + 1] == '*';
}

/* The Ith distinct id of SECTION; COUNT gets how many there are. */
static const char *nth_id(const conf_t *c, const char *section, size_t want,
			  size_t *count, size_t *idlen)
{
	const char *found = NULL;
	size_t n = 0;

	for (size_t i = 0; c != NULL && section != NULL && i < c->ninst;
	     i++) {
		const char *k = c->keys[c->inst[i].key].name, *id;
		size_t len;
		bool seen = false;

		if (!in_section(k, section))
			continue;
		id_of(k, c->inst[i].name, &id, &len);
		for (size_t j = 0; j < i && !seen; j++) {
			const char *kj = c->keys[c->inst[j].key].name, *idj;
			size_t lenj;

			if (!in_section(kj, section))
				continue;
			id_of(kj, c->inst[j].name, &idj, &lenj);
			seen = lenj == len && memcmp(idj, id, len) == 0;
		}
		if (seen)
			continue;
		if (n++ == want) {
			found = id;
			*idlen = len;
		}
	}
	*count = n;
	return found;
}

size_t conf_id_count(const conf_t *c, const char *section)
{
	size_t n, len;

	nth_id(c, section, SIZE_MAX, &n, &len);
	return n;
}

int conf_id_at(const conf_t *c, const char *section, size_t i, char *buf,
	       size_t size)
{
	size_t n, len = 0;
	const char *id = nth_id(c, section, i, &n, &len);

	if (id == NULL || size == 0 || len >= size)
		return -1;
	memcpy(buf, id, len);
	buf[len] = '\0';
	return 0;
}

size_t conf_table_count(const conf_t *c)
{
	return c != NULL ? c->n : 0;
}

const conf_key_t *conf_table_at(const conf_t *c, size_t i)
{
	return c != NULL && i < c->n ? &c->keys[i] : NULL;
}

const char *conf_str(const conf_t *c, const char *key)
{
	const struct val *v = lookup(c, key);

	return v != NULL ? v->text : "";
}

/* b and u stay 0 for keys of other types, so no type check is needed. */
bool conf_bool(const conf_t *c, const char *key)
{
	const struct val *v = lookup(c, key);

	return v != NULL && v->b;
}

unsigned conf_uint(const conf_t *c, const char *key)
{
	const struct val *v = lookup(c, key);

	return v != NULL ? v->u : 0;
}

size_t conf_list_count(const conf_t *c, const char *key)
{
	const struct val *v = lookup(c, key);

	return v != NULL ? v->nitems : 0;
}

/* Like an undeclared key, an index past the end is a programming error;
 * "" keeps a careless caller from crashing. */
const char *conf_list_item(const conf_t *c, const char *key, size_t i)
{
	const struct val *v = lookup(c, key);

	return v != NULL && i < v->nitems ? v->items[i] : "";
}

bool conf_is_set(const conf_t *c, const char *key)
{
	const struct val *v = lookup(c, key);

	return v != NULL && v->set;
}

/* ---- saving ------------------------------------------------------------ */

/* The separator between key and value that reads back as the same value
 * and keeps the line within the limit. */
static const char *separator(const char *name, const char *text)
{
	/* "key = #x" would read back as an empty value, while a '#' right
	 * after the '=' is kept. */
	const char *sep = text[0] == '\0' || text[0] == '#' ? " =" : " = ";

	if (strlen(name) + strlen(sep) + strlen(text) > LINE_MAX_BYTES)
		sep = "=";
	return sep;
}

static int write_values(const conf_t *c, FILE *f)
{
	if (fputs("# Written by pnphone. Keys not listed have their default "
		  "value.\n", f) == EOF)
		return -1;
	for (size_t i = 0; i < c->n; i++) {
		const char *name = c->keys[i].name;
		const char *text = c->v[i].text;

		if (is_pattern(&c->keys[i])) {
			for (size_t j = 0; j < c->ninst; j++) {
				const struct inst *in = &c->inst[j];

				if (in->key == i &&
				    fprintf(f, "%s%s%s\n", in->name,
					    separator(in->name, in->v.text),
					    in->v.text) < 0)
					return -1;
			}
			continue;
		}
		if (!c->v[i].set)
			continue;
		if (fprintf(f, "%s%s%s\n", name, separator(name, text),
			    text) < 0)
			return -1;
	}
	return 0;
}

/* Make the rename itself durable.  Best effort: the new file is already
 * complete, so a failure here is not worth reporting as a failed save. */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? strdup(".")
		  : dup_n(path, slash == path ? 1 : (size_t)(slash - path));
	int fd = -1;

	if (dir != NULL)
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

int conf_save(const conf_t *c, const char *path, char *err, size_t errsz)
{
	struct where w = { path, 0, err, errsz };
	char *tmp = NULL;
	FILE *f = NULL;
	int fd = -1;
	bool created = false;
	int rc = -1;

	if (c == NULL || path == NULL) {
		fail(&w, NULL, "%s", strerror(EINVAL));
		goto out;
	}
	if ((tmp = malloc(strlen(path) + sizeof(".tmp"))) == NULL) {
		fail(&w, NULL, "%s", strerror(ENOMEM));
		goto out;
	}
	strcpy(tmp, path);
	strcat(tmp, ".tmp");
	w.name = tmp;
	/* A stale temporary file from a crash is removed so that O_EXCL can
	 * refuse to follow a symbolic link planted under its name. */
	if (unlink(tmp) < 0 && errno != ENOENT) {
		fail(&w, NULL, "%s", strerror(errno));
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		fail(&w, NULL, "%s", strerror(errno));
		goto out;
	}
	created = true;
	/* The file holds the password: 0600 whatever the umask. */
	if (fchmod(fd, 0600) < 0 || (f = fdopen(fd, "w")) == NULL) {
		fail(&w, NULL, "%s", strerror(errno));
		goto out;
	}
	fd = -1;
	if (write_values(c, f) < 0 || fflush(f) != 0 || fsync(fileno(f)) < 0) {
		fail(&w, NULL, "%s", strerror(errno));
		goto out;
	}
	if (fclose(f) != 0) {
		f = NULL;
		fail(&w, NULL, "%s", strerror(errno));
		goto out;
	}
	f = NULL;
	w.name = path;
	if (rename(tmp, path) < 0) {
		fail(&w, NULL, "%s", strerror(errno));
		goto out;
	}
	sync_dir(path);
	clear_err(err, errsz);
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (rc < 0 && created)
		unlink(tmp);
	free(tmp);
	return rc;
}
