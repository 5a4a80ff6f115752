/*
 * event.c - human or JSON event lines on one stream.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ua/event.h"

struct ua_event {
	FILE *out;
	bool json;
};

ua_event_t *ua_event_new(FILE *out, bool json)
{
	ua_event_t *ev = calloc(1, sizeof(*ev));

	if (!ev)
		return NULL;
	ev->out = out;
	ev->json = json;
	return ev;
}

void ua_event_free(ua_event_t *ev)
{
	free(ev);
}

bool ua_event_json(const ua_event_t *ev)
{
	return ev->json;
}

/* Length of the well-formed UTF-8 sequence at P (RFC 3629: no
 * overlongs, no surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *p)
{
	size_t n, i;
	unsigned long cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* One event line is put together here and handed to stdio in a few
 * large writes rather than a call per character or field. */
typedef struct line {
	FILE *out;
	size_t n;
	char buf[1024];
} line_t;

static int line_write(const char *p, size_t len, void *arg)
{
	line_t *l = arg;

	if (l->n + len > sizeof(l->buf)) {
		fwrite(l->buf, 1, l->n, l->out);
		l->n = 0;
		if (len > sizeof(l->buf)) {
			fwrite(p, 1, len, l->out);
			return 0;
		}
	}
	memcpy(l->buf + l->n, p, len);
	l->n += len;
	return 0;
}

static void line_puts(line_t *l, const char *s)
{
	line_write(s, strlen(s), l);
}

/* VALUE compact, through jansson (nested values, reals); null if it
 * cannot be written. */
static void line_json(line_t *l, const json_t *value, size_t flags)
{
	size_t n0 = l->n;

	if (!value ||
	    json_dump_callback(value, line_write, l,
			       flags | JSON_ENCODE_ANY) != 0) {
		l->n = n0 <= l->n ? n0 : l->n;
		line_puts(l, "null");
	}
}

/* Write S as a JSON string (RFC 8259 §7).  A byte outside well-formed
 * UTF-8 becomes '?', as ua_event_fix_utf8 does, so that a stray byte
 * from the wire costs one character and not the whole event. */
static void line_string(line_t *l, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	char esc[8];
	size_t n;

	line_write("\"", 1, l);
	while (*p) {
		if (*p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80) {
			p++;
			continue;
		}
		line_write((const char *)run, (size_t)(p - run), l);
		if (*p >= 0x80) {
			n = utf8_seq(p);
			line_write(n ? (const char *)p : "?", n ? n : 1, l);
			p += n ? n : 1;
		} else {
			switch (*p) {
			case '"': line_puts(l, "\\\""); break;
			case '\\': line_puts(l, "\\\\"); break;
			case '\n': line_puts(l, "\\n"); break;
			case '\r': line_puts(l, "\\r"); break;
			case '\t': line_puts(l, "\\t"); break;
			default:
				snprintf(esc, sizeof(esc), "\\u%04x", *p);
				line_puts(l, esc);
				break;
			}
			p++;
		}
		run = p;
	}
	line_write((const char *)run, (size_t)(p - run), l);
	line_write("\"", 1, l);
}

/* Whether every field of FMT is one the flat writer below knows: a flat
 * object of s, s*, i, I, b, f, o and o* values.  Anything else (nested
 * objects, arrays) goes through json_pack. */
static bool flat_format(const char *fmt)
{
	const char *p;

	if (*fmt != '{')
		return false;
	for (p = fmt + 1; *p && *p != '}'; p++) {
		if (*p == ' ' || *p == ',' || *p == ':' || *p == '*' ||
		    *p == 's' || *p == 'i' || *p == 'I' || *p == 'b' ||
		    *p == 'f' || *p == 'o')
			continue;
		return false;
	}
	return *p == '}' && p[1] == '\0';
}

/* The fields of a flat FMT, written straight into the line.  A Push Agent
 * under load emits two events a request; building, dumping and freeing
 * jansson objects for them was a third of a request's cost
 * (bench/push).  Values come in json_pack's order and with its rules:
 * "s*" and "o*" leave a NULL field out, "o" steals the reference. */
static void put_flat(line_t *l, const char *fmt, va_list ap)
{
	const char *p = fmt + 1, *key, *str;
	char num[32];
	json_t *obj;
	bool opt;
	char type;

	for (;;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p != 's')
			break;
		key = va_arg(ap, const char *);
		p++;
		while (*p == ' ' || *p == ':')
			p++;
		type = *p++;
		opt = *p == '*';
		if (opt)
			p++;
		str = NULL;
		obj = NULL;
		if (type == 's')
			str = va_arg(ap, const char *);
		else if (type == 'o')
			obj = va_arg(ap, json_t *);
		if (opt && !str && !obj)
			continue;
		line_write(",", 1, l);
		line_string(l, key);
		line_write(":", 1, l);
		switch (type) {
		case 's':
			if (str)
				line_string(l, str);
			else
				line_puts(l, "null");
			break;
		case 'o':
			line_json(l, obj, JSON_COMPACT);
			json_decref(obj);
			break;
		case 'i':
			snprintf(num, sizeof(num), "%d", va_arg(ap, int));
			line_puts(l, num);
			break;
		case 'I':
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
				 va_arg(ap, json_int_t));
			line_puts(l, num);
			break;
		case 'b':
			line_puts(l, va_arg(ap, int) ? "true" : "false");
			break;
		case 'f':
			obj = json_real(va_arg(ap, double));
			line_json(l, obj, 0);
			json_decref(obj);
			break;
		}
	}
}

/* "event" goes first: scripts grep for it, and a fixed leading key makes
 * the lines easier on the eye.  NAME is one of our own identifiers and
 * needs no escaping. */
static void emit_json(ua_event_t *ev, const char *name, const char *fmt,
		      va_list ap)
{
	line_t l = { .out = ev->out };
	json_t *fields;
	json_error_t jerr;
	const char *k;
	json_t *v;

	line_puts(&l, "{\"event\":\"");
	line_puts(&l, name);
	line_write("\"", 1, &l);
	if (fmt && flat_format(fmt)) {
		put_flat(&l, fmt, ap);
	} else if (fmt) {
		fields = json_vpack_ex(&jerr, 0, fmt, ap);
		if (!fields)
			fields = json_pack("{s:s}", "pack_error", jerr.text);
		json_object_foreach(fields, k, v) {
			line_write(",", 1, &l);
			line_string(&l, k);
			line_write(":", 1, &l);
			line_json(&l, v, JSON_COMPACT);
		}
		json_decref(fields);
	}
	line_write("}\n", 2, &l);
	fwrite(l.buf, 1, l.n, l.out);
}

void ua_event_fix_utf8(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (p && *p) {
		size_t n = utf8_seq(p);

		if (n == 0)
			*p++ = '?';
		else
			p += n;
	}
}

void ua_event_emit(ua_event_t *ev, const char *name, const char *text,
		   const char *fmt, ...)
{
	va_list ap;

	if (!ev)
		return;
	va_start(ap, fmt);
	if (ev->json) {
		emit_json(ev, name, fmt, ap);
	} else {
		/* "o" fields hand us a reference to drop */
		if (fmt && strchr(fmt, 'o'))
			json_decref(json_vpack_ex(NULL, 0, fmt, ap));
		fprintf(ev->out, "%s\n", text ? text : name);
	}
	va_end(ap);
	fflush(ev->out);
}
