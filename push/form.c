/*
 * form.c - XMLData from a form body, and form encoding for the pulls.
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "push/form.h"
#include "push/status.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode LEN bytes at S into OUT (room for LEN + 1); -1 if broken. */
static long url_decode(const char *s, size_t len, char *out)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '+') {
			out[n++] = ' ';
		} else if (s[i] == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return -1;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			out[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[n++] = s[i];
		}
	}
	out[n] = '\0';
	return (long)n;
}

static bool ctype_is(const char *ctype, const char *want)
{
	size_t n = strlen(want);

	if (!ctype)
		return false;
	while (*ctype == ' ' || *ctype == '\t')
		ctype++;
	return strncasecmp(ctype, want, n) == 0 &&
	       (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

static bool looks_like_xml(const char *body, size_t len)
{
	size_t i = 0;

	/* a UTF-8 byte order mark, then blanks */
	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)body[i]))
		i++;
	return i < len && body[i] == '<';
}

static int raw_copy(const char *body, size_t len, char **out, size_t *outlen)
{
	if (len == 0)
		return PUSH_NO_ELEMENT;
	*out = malloc(len + 1);
	if (!*out)
		return PUSH_INTERNAL;
	memcpy(*out, body, len);
	(*out)[len] = '\0';
	*outlen = len;
	return 0;
}

int push_form_xmldata(const char *ctype, const char *body, size_t len,
		      char **out, size_t *outlen)
{
	const char *p = body, *end = body + len;

	*out = NULL;
	*outlen = 0;
	if (ctype_is(ctype, "text/xml") || ctype_is(ctype, "application/xml"))
		return raw_copy(body, len, out, outlen);
	if (!ctype_is(ctype, "application/x-www-form-urlencoded") &&
	    looks_like_xml(body, len))
		return raw_copy(body, len, out, outlen);
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *fend = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(fend - p));
		char name[16];
		long n;

		if (eq && (size_t)(eq - p) < sizeof(name) &&
		    url_decode(p, (size_t)(eq - p), name) >= 0 &&
		    strcmp(name, "XMLData") == 0) {
			size_t vlen = (size_t)(fend - eq - 1);

			if (vlen == 0)
				return PUSH_NO_ELEMENT;
			*out = malloc(vlen + 1);
			if (!*out)
				return PUSH_INTERNAL;
			n = url_decode(eq + 1, vlen, *out);
			if (n < 0) {
				free(*out);
				*out = NULL;
				return PUSH_NOT_WELL_FORMED;
			}
			if (n == 0) {
				free(*out);
				*out = NULL;
				return PUSH_NO_ELEMENT;
			}
			*outlen = (size_t)n;
			return 0;
		}
		p = amp ? amp + 1 : end;
	}
	return PUSH_NO_ELEMENT;
}

static int put(char *buf, size_t bufsz, size_t *n, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			if (*n + 1 >= bufsz)
				return -1;
			buf[(*n)++] = (char)c;
		} else {
			if (*n + 3 >= bufsz)
				return -1;
			buf[(*n)++] = '%';
			buf[(*n)++] = hex[c >> 4];
			buf[(*n)++] = hex[c & 15];
		}
	}
	buf[*n] = '\0';
	return 0;
}

int push_form_append(char *buf, size_t bufsz, const char *name,
		     const char *value)
{
	size_t n = strlen(buf), n0 = n;

	if (n && n + 1 < bufsz)
		buf[n++] = '&';
	if (n + 1 >= bufsz || put(buf, bufsz, &n, name) < 0 ||
	    n + 1 >= bufsz) {
		buf[n0] = '\0';
		return -1;
	}
	buf[n++] = '=';
	buf[n] = '\0';
	if (put(buf, bufsz, &n, value) < 0) {
		buf[n0] = '\0';
		return -1;
	}
	return 0;
}
