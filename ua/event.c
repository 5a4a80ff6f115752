/*
 * event.c - human or JSON event lines on one stream.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

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

/* Fields first, then "event" in front: scripts grep for "event" and a
 * fixed leading key makes the lines easier on the eye. */
static void emit_json(ua_event_t *ev, const char *name, const char *fmt,
		      va_list ap)
{
	json_t *obj = json_object();
	json_t *fields = NULL;
	json_error_t jerr;
	char *line;

	if (!obj)
		return;
	json_object_set_new(obj, "event", json_string(name));
	if (fmt) {
		fields = json_vpack_ex(&jerr, 0, fmt, ap);
		if (fields)
			json_object_update(obj, fields);
		else
			json_object_set_new(obj, "pack_error",
					    json_string(jerr.text));
	}
	line = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (line) {
		fputs(line, ev->out);
		fputc('\n', ev->out);
		free(line);
	}
	json_decref(fields);
	json_decref(obj);
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
	if (ev->json)
		emit_json(ev, name, fmt, ap);
	else
		fprintf(ev->out, "%s\n", text ? text : name);
	va_end(ap);
	fflush(ev->out);
}
