/*
 * tps.c - TPSLIST matching.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "common/curl_dl.h"
#include "push/status.h"
#include "push/tps.h"

#define ENTRY_MAX 256

typedef struct {
	char *scheme, *host, *port, *path;
} url_parts_t;

static void parts_free(url_parts_t *p)
{
	pn_curl.curl_free(p->scheme);
	pn_curl.curl_free(p->host);
	pn_curl.curl_free(p->port);
	pn_curl.curl_free(p->path);
	memset(p, 0, sizeof(*p));
}

/* 0, or -1 when HREF is not an absolute URL with a host (or libcurl's
 * parser cannot be loaded: nothing is trusted then). */
static int parts_get(const char *href, url_parts_t *p)
{
	char err[256];
	CURLU *u;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	if (pn_curl_load(err, sizeof(err)) < 0)
		return -1;
	u = pn_curl.curl_url();
	if (!u || strlen(href) > PUSH_HREF_MAX)
		goto out;
	if (pn_curl.curl_url_set(u, CURLUPART_URL, href,
				 CURLU_NON_SUPPORT_SCHEME))
		goto out;
	if (pn_curl.curl_url_get(u, CURLUPART_SCHEME, &p->scheme, 0) ||
	    pn_curl.curl_url_get(u, CURLUPART_HOST, &p->host, 0) ||
	    pn_curl.curl_url_get(u, CURLUPART_PORT, &p->port,
				 CURLU_DEFAULT_PORT) ||
	    pn_curl.curl_url_get(u, CURLUPART_PATH, &p->path, 0))
		goto out;
	if (!*p->host)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		parts_free(p);
	pn_curl.curl_url_cleanup(u);
	return rc;
}

static bool is_address(const char *h)
{
	if (*h == '[')
		return true;
	for (; *h; h++)
		if (!isdigit((unsigned char)*h) && *h != '.')
			return false;
	return true;
}

static bool ends_with_nocase(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return m <= n && strcasecmp(s + n - m, suffix) == 0;
}

/* Does one entry (LEN bytes at E) trust the URL? */
static bool entry_match(const char *e, size_t len, const url_parts_t *u)
{
	char buf[ENTRY_MAX];
	char *host, *path, *port = NULL;

	/* room for the NUL and for the '/' the path split inserts */
	if (len == 0 || len + 2 > sizeof(buf))
		return false;
	memcpy(buf, e, len);
	buf[len] = '\0';
	host = buf;
	if (strncasecmp(host, "http://", 7) == 0)
		host += 7;
	else if (strncasecmp(host, "https://", 8) == 0)
		host += 8;
	path = strchr(host, '/');
	if (path) {
		/* keep the '/' of the path: compare "/p" against "/p..." */
		memmove(path + 1, path, strlen(path) + 1);
		*path++ = '\0';
	}
	if (*host == '[') {
		char *close = strchr(host, ']');

		if (!close)
			return false;
		if (close[1] == ':')
			port = close + 2;
		else if (close[1])
			return false;
		close[1] = '\0';
	} else if ((port = strchr(host, ':')) != NULL) {
		*port++ = '\0';
	}
	if (!*host)
		return false;
	if (is_address(host) ? strcasecmp(host, u->host) != 0
			     : !ends_with_nocase(u->host, host))
		return false;
	if (port && strcmp(port, u->port) != 0)
		return false;
	if (path && strncmp(u->path, path, strlen(path)) != 0)
		return false;
	return true;
}

static bool entry_all(const char *e, size_t len)
{
	return len == 1 && *e == '/';
}

static void trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* Calls FN on each non-empty entry until it returns true. */
static bool each_entry(const char *list,
		       bool (*fn)(const char *, size_t, const url_parts_t *),
		       const url_parts_t *u)
{
	const char *p = list ? list : "";

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *e = p;

		trim(&e, &len);
		if (len && fn(e, len, u))
			return true;
		if (!comma)
			break;
		p = comma + 1;
	}
	return false;
}

static bool any_entry(const char *e, size_t len, const url_parts_t *u)
{
	(void)e;
	(void)len;
	(void)u;
	return true;
}

static bool all_entry(const char *e, size_t len, const url_parts_t *u)
{
	(void)u;
	return entry_all(e, len);
}

static bool match_entry(const char *e, size_t len, const url_parts_t *u)
{
	return entry_match(e, len, u);
}

bool push_tps_enabled(const char *tpslist)
{
	return each_entry(tpslist, any_entry, NULL);
}

bool push_href_valid(const char *href)
{
	url_parts_t u;

	if (!href || parts_get(href, &u) < 0)
		return false;
	parts_free(&u);
	return true;
}

push_tps_result_t push_tps_check(const char *tpslist, const char *href,
				 char *err, size_t errsz)
{
	url_parts_t u;
	push_tps_result_t r;

	if (!push_tps_enabled(tpslist))
		return PUSH_TPS_DISABLED;
	if (!href || strlen(href) > PUSH_HREF_MAX)
		return PUSH_TPS_BAD_URI;
	/* Without libcurl no href can be judged: the phone's failing, not
	 * the sender's, and no reason to call the href malformed. */
	if (pn_curl_load(err, errsz) < 0)
		return PUSH_TPS_NO_PARSER;
	if (!href || parts_get(href, &u) < 0)
		return PUSH_TPS_BAD_URI;
	if (strcasecmp(u.scheme, "http") != 0 &&
	    strcasecmp(u.scheme, "https") != 0)
		r = PUSH_TPS_NOT_HTTP;
	else if (each_entry(tpslist, all_entry, &u) ||
		 each_entry(tpslist, match_entry, &u))
		r = PUSH_TPS_TRUSTED;
	else
		r = PUSH_TPS_UNTRUSTED;
	parts_free(&u);
	return r;
}

int push_tps_code(push_tps_result_t r)
{
	switch (r) {
	case PUSH_TPS_TRUSTED:
		return PUSH_OK;
	case PUSH_TPS_DISABLED:
		return PUSH_DISABLED;
	case PUSH_TPS_BAD_URI:
		return PUSH_BAD_URI;
	case PUSH_TPS_NOT_HTTP:
	case PUSH_TPS_UNTRUSTED:
		return PUSH_SECURITY;
	case PUSH_TPS_NO_PARSER:
		return PUSH_INTERNAL;
	}
	return PUSH_INTERNAL;
}
