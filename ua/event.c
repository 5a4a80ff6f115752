/*
 * event.c - human or JSON event lines on one stream.
 */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#define SU_WAKEUP_ARG_T void
#include <sofia-sip/su_wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "common/i18n.h"
#include "ua/event.h"

/* Lines kept for a slow reader before new ones are dropped. */
#define QUEUE_MAX (256 * 1024)
/* What ua_event_free still tries to hand over on the way out. */
#define FINAL_FLUSH_MS 1000

struct ua_event {
	FILE *out;
	bool json;
	/* ua_event_attach: lines wait in Q for a non-blocking FD */
	su_root_t *root;
	int fd;                   /* -1: through OUT, blocking */
	int fd_flags;             /* FD's flags before, restored at the end */
	su_wait_t wait[1];
	int wait_reg;             /* > 0 while waiting to write */
	char *q;
	size_t qoff, qlen, qcap;
	unsigned long dropped;    /* lines not kept since the last note */
};

ua_event_t *ua_event_new(FILE *out, bool json)
{
	ua_event_t *ev = calloc(1, sizeof(*ev));

	if (!ev)
		return NULL;
	ev->out = out;
	ev->json = json;
	ev->fd = -1;
	return ev;
}

static void queue_flush(ua_event_t *ev);

void ua_event_detach(ua_event_t *ev)
{
	struct pollfd pfd;
	int left = FINAL_FLUSH_MS / 50;

	if (!ev || ev->fd < 0)
		return;
	if (ev->wait_reg > 0)
		su_root_deregister(ev->root, ev->wait_reg);
	ev->wait_reg = 0;
	ev->root = NULL;
	/* the last lines (unregistered, ...) matter: wait a little for a
	 * slow reader, not for one that is gone */
	while (ev->qlen > ev->qoff && left-- > 0) {
		pfd.fd = ev->fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 50) > 0)
			queue_flush(ev);
	}
	fcntl(ev->fd, F_SETFL, ev->fd_flags);
	ev->fd = -1;
	ev->qoff = ev->qlen = 0;
}

void ua_event_free(ua_event_t *ev)
{
	if (!ev)
		return;
	ua_event_detach(ev);
	free(ev->q);
	free(ev);
}

bool ua_event_json(const ua_event_t *ev)
{
	return ev->json;
}

/* ---- the non-blocking queue ---------------------------------------- */

static int on_writable(su_root_magic_t *m, su_wait_t *w, void *arg);

static void queue_put(ua_event_t *ev, const char *p, size_t len)
{
	size_t cap;
	char *nq;

	/* no compaction here: a line being put together keeps its offset */
	if (ev->qlen + len > ev->qcap) {
		for (cap = ev->qcap ? ev->qcap : 4096; cap < ev->qlen + len;)
			cap *= 2;
		if (cap > ev->qcap) {
			nq = realloc(ev->q, cap);
			if (!nq)
				return;   /* the line ends up cut: dropped below */
			ev->q = nq;
			ev->qcap = cap;
		}
	}
	memcpy(ev->q + ev->qlen, p, len);
	ev->qlen += len;
}

/* Write what the reader takes now; wait for the rest. */
static void queue_flush(ua_event_t *ev)
{
	ssize_t n;

	while (ev->qoff < ev->qlen) {
		n = write(ev->fd, ev->q + ev->qoff, ev->qlen - ev->qoff);
		if (n > 0) {
			ev->qoff += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN ||
				     errno == EWOULDBLOCK)) {
			break;
		} else {
			/* the reader is gone (EPIPE): nobody to keep them for */
			ev->qoff = ev->qlen;
		}
	}
	if (ev->qoff == ev->qlen) {
		ev->qoff = ev->qlen = 0;
	} else if (ev->qoff > ev->qcap / 2) {
		memmove(ev->q, ev->q + ev->qoff, ev->qlen - ev->qoff);
		ev->qlen -= ev->qoff;
		ev->qoff = 0;
	}
	if (ev->qlen && ev->wait_reg <= 0 && ev->root &&
	    su_wait_create(ev->wait, ev->fd, SU_WAIT_OUT) == 0) {
		ev->wait_reg = su_root_register(ev->root, ev->wait,
						on_writable, ev, 0);
		if (ev->wait_reg <= 0)
			su_wait_destroy(ev->wait);
	}
}

static void note_dropped(ua_event_t *ev);

static int on_writable(su_root_magic_t *m, su_wait_t *w, void *arg)
{
	ua_event_t *ev = arg;

	(void)m;
	(void)w;
	queue_flush(ev);
	if (ev->qlen == 0) {
		su_root_deregister(ev->root, ev->wait_reg);
		ev->wait_reg = 0;
		note_dropped(ev);
	}
	return 0;
}

int ua_event_attach(ua_event_t *ev, su_root_t *root)
{
	int fd = fileno(ev->out), fl;

	if (fd < 0 || isatty(fd))
		return 0;
	fflush(ev->out);
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	ev->fd = fd;
	ev->fd_flags = fl;
	ev->root = root;
	return 0;
}

/* ---- composing a line ---------------------------------------------- */

/* Hand a piece of a line over: to stdio, or to the queue. */
static void out_write(ua_event_t *ev, const char *p, size_t len)
{
	if (ev->fd >= 0)
		queue_put(ev, p, len);
	else
		fwrite(p, 1, len, ev->out);
}

/* The line that began at queue offset START is complete: keep it if the
 * queue has room (else count it as dropped) and write what can be. */
static void line_done(ua_event_t *ev, size_t start)
{
	if (ev->fd < 0) {
		fflush(ev->out);
		return;
	}
	/* over the limit, or cut short by a failed allocation */
	if (ev->qlen - ev->qoff > QUEUE_MAX || ev->qlen == start ||
	    ev->q[ev->qlen - 1] != '\n') {
		ev->qlen = start;
		ev->dropped++;
	}
	if (ev->wait_reg <= 0)
		queue_flush(ev);
}

/* Once the queue has drained, say how many lines were lost. */
static void note_dropped(ua_event_t *ev)
{
	char line[160];
	size_t start = ev->qlen;
	int n;

	if (!ev->dropped)
		return;
	if (ev->json)
		n = snprintf(line, sizeof(line),
			     "{\"event\":\"events_dropped\",\"count\":%lu}\n",
			     ev->dropped);
	else
		n = snprintf(line, sizeof(line),
			     P_("%lu event dropped: the reader of events was "
				"too slow\n", "%lu events dropped: the reader "
				"of events was too slow\n", ev->dropped),
			     ev->dropped);
	ev->dropped = 0;
	out_write(ev, line, (size_t)n < sizeof(line) ? (size_t)n : 0);
	line_done(ev, start);
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

/* One event line is put together here and handed over in a few large
 * writes rather than a call per character or field. */
typedef struct line {
	ua_event_t *ev;
	size_t n;
	char buf[1024];
} line_t;

static int line_write(const char *p, size_t len, void *arg)
{
	line_t *l = arg;

	if (l->n + len > sizeof(l->buf)) {
		out_write(l->ev, l->buf, l->n);
		l->n = 0;
		if (len > sizeof(l->buf)) {
			out_write(l->ev, p, len);
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
 * cannot be written.  Reals with 6 significant digits: jansson's 17
 * print a jitter of 13.76 ms as 13.755756660955686. */
static void line_json(line_t *l, const json_t *value, size_t flags)
{
	size_t n0 = l->n;

	if (!value ||
	    json_dump_callback(value, line_write, l, flags | JSON_ENCODE_ANY |
			       JSON_REAL_PRECISION(6)) != 0) {
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
	line_t l = { .ev = ev };
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
	out_write(ev, l.buf, l.n);
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
	size_t start;
	va_list ap;

	if (!ev)
		return;
	start = ev->qlen;
	va_start(ap, fmt);
	if (ev->json) {
		emit_json(ev, name, fmt, ap);
	} else {
		/* "o" fields hand us a reference to drop */
		if (fmt && strchr(fmt, 'o'))
			json_decref(json_vpack_ex(NULL, 0, fmt, ap));
		text = text ? text : name;
		out_write(ev, text, strlen(text));
		out_write(ev, "\n", 1);
	}
	va_end(ap);
	line_done(ev, start);
}
