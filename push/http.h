/*
 * http.h - a small HTTP server on the su_root (libmicrohttpd).
 *
 * libmicrohttpd parses HTTP; it runs without a thread of its own: its
 * epoll descriptor is watched by the su_root and its timeouts are a
 * su_timer, so the handler runs on the phone's one loop.  Every request
 * is bounded: the body (a larger Content-Length is answered at once,
 * without reading it), the request head (per-connection memory), the
 * number of connections, and the idle time of a connection.
 *
 * The handler sees a whole request (method, path, Content-Type, peer,
 * body) and fills in the answer.  For multipart/form-data bodies the
 * server decodes the form itself (libmicrohttpd's post processor) and
 * hands over the one field named in the limits (XMLData).
 */
#ifndef PN_PUSH_HTTP_H
#define PN_PUSH_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <sofia-sip/su_wait.h>

typedef struct push_http push_http_t;

typedef struct push_http_limits {
	size_t max_body;        /* bytes of body kept (more: too_large) */
	unsigned max_conns;     /* connections at once */
	unsigned idle_s;        /* a connection idle this long is closed */
	size_t head_max;        /* memory per connection (request head) */
	const char *field;      /* multipart field handed over, or NULL */
} push_http_limits_t;

typedef struct push_http_req {
	const char *method;
	const char *path;
	const char *ctype;      /* Content-Type, or NULL */
	char peer[64];          /* client address */
	const char *body;       /* NUL-terminated; not for multipart */
	size_t len;
	bool multipart;         /* then FIELD holds the form field */
	const char *field;
	size_t field_len;
	bool too_large;         /* the body went over max_body */
	const char *query;      /* the query string as sent (after '?',
				 * not decoded), or "" */
	void *conn;             /* for push_http_arg */
} push_http_req_t;

#define PUSH_HTTP_HDR_MAX 4

typedef struct push_http_resp {
	int status;             /* HTTP status (default 200) */
	const char *ctype;      /* default text/plain */
	const char *body;       /* copied; may be NULL */
	size_t len;
	const char *hdr[PUSH_HTTP_HDR_MAX][2];
	size_t nhdr;
} push_http_resp_t;

typedef void push_http_handler_f(void *arg, const push_http_req_t *req,
				 push_http_resp_t *resp);

/* LISTEN: "HOST:PORT", "[V6]:PORT", ":PORT" (every address) or "PORT";
 * numeric hosts only (no DNS on the loop); port 0 = any free port.  NULL
 * and ERR when it cannot listen. */
push_http_t *push_http_new(su_root_t *root, const char *listen,
			   const push_http_limits_t *lim,
			   push_http_handler_f *h, void *arg,
			   char *err, size_t errsz);
void push_http_free(push_http_t *h);
/* Told when the server cannot start on a connection's arrival (say,
 * libmicrohttpd is not installed): the connections waiting are closed
 * and the next one tries again, unless FOR_GOOD (out of memory: the
 * listening socket is closed too).  Without it, the reason goes to
 * stderr. */
typedef void push_http_failed_f(void *arg, const char *why, bool for_good);
void push_http_on_failure(push_http_t *h, push_http_failed_f *f, void *arg);
/* The port it listens on (useful with port 0). */
unsigned push_http_port(const push_http_t *h);
/* A query-string argument of the request, or NULL. */
const char *push_http_arg(const push_http_req_t *req, const char *name);

#endif /* PN_PUSH_HTTP_H */
