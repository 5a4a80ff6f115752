/*
 * prov_url.c - normalisation of provisioning URLs (see prov_url.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "provisioning/prov_url.h"

struct out {
	char *buf;
	size_t size, len;
	bool overflow;
};

static void put(struct out *o, const char *s, size_t len)
{
	if (o->overflow || o->len + len >= o->size) {
		o->overflow = true;
		return;
	}
	memcpy(o->buf + o->len, s, len);
	o->len += len;
	o->buf[o->len] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_alpha(char c)
{
	c = lower(c);
	return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool iprefix(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(s[i]) != word[i])
			return false;
	return true;
}

int prov_url_mac_valid(const char *s)
{
	size_t i;

	for (i = 0; s && s[i]; i++)
		if (!is_digit(s[i]) && !(lower(s[i]) >= 'a' &&
					 lower(s[i]) <= 'f'))
			return 0;
	return s && i == 12;
}

/* Length of a scheme at S ("tftp" in "tftp:..."), 0 if none. */
static size_t scheme_len(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 0 || !is_alpha(s[0]))
		return 0;
	while (i < len && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' ||
			   s[i] == '-' || s[i] == '.'))
		i++;
	return i < len && s[i] == ':' ? i : 0;
}

/*
 * Is S (LEN bytes) a server a transfer can go to: [USERINFO@]HOST[:PORT]
 * with HOST a name or IPv4 address (letters, digits, '-', '.', '_') or a
 * bracketed IPv6 address, and PORT 1..65535?  Anything else ("!!!",
 * "<>", "h:abc") is garbage a server sent, refused here rather than
 * handed to libcurl.
 */
static bool authority_ok(const char *s, size_t len)
{
	const char *at = NULL, *host, *end = s + len, *colon = NULL;
	unsigned long port = 0;

	for (const char *p = s; p < end; p++)
		if (*p == '@')
			at = p;
	if (at) {
		for (const char *p = s; p < at; p++)
			if (!is_alpha(*p) && !is_digit(*p) &&
			    !strchr("-._~!$&'()*+,;=:%", *p))
				return false;
	}
	host = at ? at + 1 : s;
	if (host < end && *host == '[') {
		const char *p = host + 1;

		while (p < end && (is_digit(*p) || (lower(*p) >= 'a' &&
			lower(*p) <= 'f') || *p == ':' || *p == '.'))
			p++;
		if (p == host + 1 || p >= end || *p != ']')
			return false;
		colon = p + 1 < end ? p + 1 : NULL;
		if (colon && *colon != ':')
			return false;
	} else {
		const char *p = host;

		while (p < end && (is_alpha(*p) || is_digit(*p) ||
				   strchr("-._", *p)))
			p++;
		if (p == host || (p < end && *p != ':'))
			return false;
		colon = p < end ? p : NULL;
	}
	if (!colon)
		return true;
	for (const char *p = colon + 1; p < end; p++) {
		if (!is_digit(*p) || port > 65535)
			return false;
		port = port * 10 + (unsigned long)(*p - '0');
	}
	return port >= 1 && port <= 65535;
}

static void put_encoded(struct out *o, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[3] = { '%', hex[c >> 4], hex[c & 15] };

		if (is_alpha((char)c) || is_digit((char)c) || strchr("-._~", c))
			put(o, s, 1);
		else
			put(o, esc, 3);
	}
}

/* Copy S (LEN bytes) with the placeholders replaced. */
static void put_expanded(struct out *o, const char *s, size_t len,
			 const char *mac, const char *model)
{
	static const char *const mac_names[] = { "<mac>", "{mac}", "$mac" };
	static const char *const model_names[] = {
		"<model>", "{model}", "$model" };
	size_t i = 0;

	while (i < len) {
		bool done = false;

		for (size_t k = 0; k < 3 && !done; k++) {
			if (iprefix(s + i, len - i, model_names[k])) {
				put_encoded(o, model);
				i += strlen(model_names[k]);
				done = true;
			} else if (iprefix(s + i, len - i, mac_names[k])) {
				puts_(o, mac);
				i += strlen(mac_names[k]);
				done = true;
			}
		}
		if (!done)
			put(o, s + i++, 1);
	}
}

static int refuse(char *err, size_t errsz, const char *why)
{
	if (err && errsz)
		snprintf(err, errsz, "%s", why);
	return -1;
}

int prov_url_normalize(const char *in, size_t len, const char *mac,
		       const char *model, char *out, size_t outsz,
		       char *err, size_t errsz)
{
	struct out o = { out, outsz, 0, false };
	const char *s = in, *rest, *auth_end, *path, *path_end, *semi = NULL;
	char scheme[8], macl[13];
	size_t n, i;

	if (!in || !out || outsz == 0 || !prov_url_mac_valid(mac))
		return refuse(err, errsz, _("invalid arguments"));
	out[0] = '\0';
	for (i = 0; i < 12; i++)
		macl[i] = lower(mac[i]);
	macl[12] = '\0';
	mac = macl;
	if (!model)
		model = "";
	while (len > 0 && is_space(*s)) {
		s++;
		len--;
	}
	for (n = 0; n < len && s[n] != '\r' && s[n] != '\n'; n++)
		;
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n == 0)
		return refuse(err, errsz, _("the URL is empty"));
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f)
			return refuse(err, errsz, _("the URL contains a space, "
				"a control character or a non-ASCII byte"));
	}

	i = scheme_len(s, n);
	if (i > 0 && n - i >= 3 && memcmp(s + i, "://", 3) == 0) {
		if (i >= sizeof(scheme))
			return refuse(err, errsz, _("only tftp, http and "
				"https URLs are fetched"));
		for (size_t k = 0; k < i; k++)
			scheme[k] = lower(s[k]);
		scheme[i] = '\0';
		if (strcmp(scheme, "tftp") && strcmp(scheme, "http") &&
		    strcmp(scheme, "https"))
			return refuse(err, errsz, _("only tftp, http and "
				"https URLs are fetched"));
		rest = s + i + 3;
	} else if (i > 0 && !(i + 1 < n && is_digit(s[i + 1]))) {
		/* "file:/x", "mailto:x": a scheme, not HOST:PORT. */
		return refuse(err, errsz, _("only tftp, http and https URLs "
					    "are fetched"));
	} else {
		strcpy(scheme, "tftp");
		rest = s;
	}

	n -= (size_t)(rest - s);
	for (i = 0; i < n && !strchr("/?#;", rest[i]); i++)
		;
	if (i == 0)
		return refuse(err, errsz, _("the URL names no server"));
	if (rest[0] == ':' || rest[0] == '@')
		return refuse(err, errsz, _("the URL names no server"));
	auth_end = rest + i;
	if (!authority_ok(rest, i))
		return refuse(err, errsz, _("the URL's server is not a host "
					    "name or address"));
	path = auth_end;
	for (path_end = path; path_end < rest + n && *path_end != '?' &&
	     *path_end != '#'; path_end++)
		if (*path_end == ';')
			semi = path_end;

	puts_(&o, scheme);
	puts_(&o, "://");
	put(&o, rest, (size_t)(auth_end - rest));
	if (semi) {
		/* AudioCodes: FIRMWARE;CONFIG, CONFIG from the root. */
		const char *cfg = semi + 1;

		while (cfg < path_end && *cfg == '/')
			cfg++;
		puts_(&o, "/");
		put_expanded(&o, cfg, (size_t)(path_end - cfg), mac, model);
	} else {
		put_expanded(&o, path, (size_t)(path_end - path), mac, model);
	}
	if (o.len == strlen(scheme) + 3 + (size_t)(auth_end - rest))
		puts_(&o, "/");
	if (!o.overflow && o.buf[o.len - 1] == '/') {
		puts_(&o, mac);
		puts_(&o, ".cfg");
	}
	if (path_end < rest + n && *path_end == '?') {
		const char *q_end = memchr(path_end, '#',
					   (size_t)(rest + n - path_end));

		if (!q_end)
			q_end = rest + n;
		put_expanded(&o, path_end, (size_t)(q_end - path_end), mac,
			     model);
	}
	if (o.overflow) {
		out[0] = '\0';
		return refuse(err, errsz, _("the URL is too long"));
	}
	return 0;
}
