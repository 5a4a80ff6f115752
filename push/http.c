/*
 * http.c - libmicrohttpd in "external select" epoll mode, driven by the
 * su_root: its epoll fd is one su_wait, its timeout one su_timer.
 *
 * The listening socket is ours, made at once; libmicrohttpd (and GnuTLS,
 * which it initialises when it is loaded: 2.5 MiB resident) is loaded and
 * started on it by the first connection (common/dynlib.h).
 */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#define SU_WAKEUP_ARG_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "common/dynlib.h"
#include "push/http.h"

static struct {
	PN_DYNLIB_PTR(MHD_start_daemon);
	PN_DYNLIB_PTR(MHD_stop_daemon);
	PN_DYNLIB_PTR(MHD_get_daemon_info);
	PN_DYNLIB_PTR(MHD_run);
	PN_DYNLIB_PTR(MHD_get_timeout);
	PN_DYNLIB_PTR(MHD_get_connection_info);
	PN_DYNLIB_PTR(MHD_lookup_connection_value);
	PN_DYNLIB_PTR(MHD_create_post_processor);
	PN_DYNLIB_PTR(MHD_post_process);
	PN_DYNLIB_PTR(MHD_destroy_post_processor);
	PN_DYNLIB_PTR(MHD_create_response_from_buffer);
	PN_DYNLIB_PTR(MHD_add_response_header);
	PN_DYNLIB_PTR(MHD_queue_response);
	PN_DYNLIB_PTR(MHD_destroy_response);
} mhd;

static const pn_dynlib_sym_t mhd_syms[] = {
	PN_DYNLIB_SYM(mhd, MHD_start_daemon),
	PN_DYNLIB_SYM(mhd, MHD_stop_daemon),
	PN_DYNLIB_SYM(mhd, MHD_get_daemon_info),
	PN_DYNLIB_SYM(mhd, MHD_run),
	PN_DYNLIB_SYM(mhd, MHD_get_timeout),
	PN_DYNLIB_SYM(mhd, MHD_get_connection_info),
	PN_DYNLIB_SYM(mhd, MHD_lookup_connection_value),
	PN_DYNLIB_SYM(mhd, MHD_create_post_processor),
	PN_DYNLIB_SYM(mhd, MHD_post_process),
	PN_DYNLIB_SYM(mhd, MHD_destroy_post_processor),
	PN_DYNLIB_SYM(mhd, MHD_create_response_from_buffer),
	PN_DYNLIB_SYM(mhd, MHD_add_response_header),
	PN_DYNLIB_SYM(mhd, MHD_queue_response),
	PN_DYNLIB_SYM(mhd, MHD_destroy_response),
};

/* A chunked body larger than this is not even read: the connection
 * is closed. */
#define DISCARD_MAX (1024 * 1024)

/* Answers repeat (the Push Agent has one per x-Push-Status code), so a
 * few MHD_Responses are kept and queued again while the answer is the
 * same byte for byte: building, heading and destroying one for every
 * request showed in bench/push.  Round-robin; small answers only. */
#define RESP_CACHE 8
#define RESP_KEY_MAX 1024

typedef struct resp_cached {
	char *key;               /* the answer, serialised by resp_key() */
	size_t len;
	struct MHD_Response *r;  /* one reference, ours */
} resp_cached_t;

struct push_http {
	su_root_t *root;
	int lfd;                 /* listening; MHD's once it runs */
	bool ipv6;
	struct MHD_Daemon *d;    /* NULL until the first connection */
	su_wait_t wait[1];       /* lfd until then, then MHD's epoll fd */
	int index;
	su_timer_t *timer;
	push_http_limits_t lim;
	push_http_handler_f *handler;
	void *arg;
	push_http_failed_f *failed;
	void *failed_arg;
	unsigned port;
	resp_cached_t cache[RESP_CACHE];
	unsigned cache_next;
};

/* One request being received. */
typedef struct req_ctx {
	push_http_t *h;
	char *body;
	size_t len;
	size_t seen;             /* bytes received, kept or not */
	bool too_large;
	struct MHD_PostProcessor *pp;
	char *field;
	size_t field_len;
	char *query;             /* raw, undecoded; NULL: none */
	bool started;
} req_ctx_t;

static void arm(push_http_t *h);

static int on_ready(su_root_magic_t *magic, su_wait_t *w, void *arg)
{
	push_http_t *h = arg;

	(void)magic;
	(void)w;
	mhd.MHD_run(h->d);
	arm(h);
	return 0;
}

static void on_timer(su_root_magic_t *magic, su_timer_t *t, void *arg)
{
	push_http_t *h = arg;

	(void)magic;
	(void)t;
	mhd.MHD_run(h->d);
	arm(h);
}

static void arm(push_http_t *h)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (mhd.MHD_get_timeout(h->d, &ms) == MHD_YES)
		su_timer_set_interval(h->timer, on_timer, h,
				      ms > 60000 ? 60000 : (su_duration_t)ms);
	else
		su_timer_reset(h->timer);
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind,
				const char *key, const char *filename,
				const char *ctype, const char *enc,
				const char *data, uint64_t off, size_t size)
{
	req_ctx_t *c = cls;
	char *nb;

	(void)kind;
	(void)filename;
	(void)ctype;
	(void)enc;
	(void)off;
	if (!c->h->lim.field || strcmp(key, c->h->lim.field) != 0)
		return MHD_YES;
	if (c->field_len + size > c->h->lim.max_body) {
		c->too_large = true;
		return MHD_YES;
	}
	nb = realloc(c->field, c->field_len + size + 1);
	if (!nb)
		return MHD_NO;
	c->field = nb;
	memcpy(c->field + c->field_len, data, size);
	c->field_len += size;
	c->field[c->field_len] = '\0';
	return MHD_YES;
}

static void peer_of(struct MHD_Connection *conn, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *ci = mhd.MHD_get_connection_info(conn,
		MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(buf, size, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  buf, (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
			  (socklen_t)size);
}

static bool key_put(char *buf, size_t *n, const char *p, size_t len)
{
	if (*n + len + 1 > RESP_KEY_MAX)
		return false;
	memcpy(buf + *n, p, len);
	*n += len;
	buf[(*n)++] = '\0';
	return true;
}

/* RESP and CLOSE as one string of NUL-separated parts into BUF
 * (RESP_KEY_MAX), or 0 when it does not fit. */
static size_t resp_key(const push_http_resp_t *resp, bool close, char *buf)
{
	const char *ct = resp->ctype ? resp->ctype : "text/plain";
	size_t n = 0;

	if (!key_put(buf, &n, close ? "c" : "k", 1) ||
	    !key_put(buf, &n, ct, strlen(ct)) ||
	    !key_put(buf, &n, resp->body ? resp->body : "", resp->len))
		return 0;
	for (size_t i = 0; i < resp->nhdr && i < PUSH_HTTP_HDR_MAX; i++)
		if (!key_put(buf, &n, resp->hdr[i][0],
			     strlen(resp->hdr[i][0])) ||
		    !key_put(buf, &n, resp->hdr[i][1],
			     strlen(resp->hdr[i][1])))
			return 0;
	return n;
}

static struct MHD_Response *build(const push_http_resp_t *resp, bool close)
{
	struct MHD_Response *r;

	r = mhd.MHD_create_response_from_buffer(resp->len, (void *)(resp->body ?
		resp->body : ""), MHD_RESPMEM_MUST_COPY);
	if (!r)
		return NULL;
	mhd.MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				    resp->ctype ? resp->ctype : "text/plain");
	for (size_t i = 0; i < resp->nhdr && i < PUSH_HTTP_HDR_MAX; i++)
		mhd.MHD_add_response_header(r, resp->hdr[i][0],
					    resp->hdr[i][1]);
	/* an unread body cannot be skipped on a kept-alive connection */
	if (close)
		mhd.MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION,
					    "close");
	return r;
}

static void cache_drop(resp_cached_t *e)
{
	if (e->r)
		mhd.MHD_destroy_response(e->r);
	free(e->key);
	memset(e, 0, sizeof(*e));
}

/* The kept response for KEY, or a new one, kept when possible.  *OWNED
 * tells the caller to destroy it after queueing. */
static struct MHD_Response *cached(push_http_t *h,
				   const push_http_resp_t *resp, bool close,
				   bool *owned)
{
	char key[RESP_KEY_MAX];
	size_t len = resp_key(resp, close, key);
	struct MHD_Response *r;
	resp_cached_t *e;

	*owned = true;
	for (size_t i = 0; len && i < RESP_CACHE; i++) {
		e = &h->cache[i];
		if (e->r && e->len == len && memcmp(e->key, key, len) == 0) {
			*owned = false;
			return e->r;
		}
	}
	r = build(resp, close);
	if (!r || !len)
		return r;
	e = &h->cache[h->cache_next++ % RESP_CACHE];
	cache_drop(e);
	e->key = malloc(len);
	if (!e->key)
		return r;
	memcpy(e->key, key, len);
	e->len = len;
	e->r = r;
	*owned = false;
	return r;
}

static enum MHD_Result answer(struct MHD_Connection *conn, req_ctx_t *c,
			      const char *url, const char *method)
{
	push_http_t *h = c->h;
	push_http_req_t req;
	push_http_resp_t resp;
	struct MHD_Response *r;
	enum MHD_Result ok;
	bool owned;

	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.method = method;
	req.path = url;
	req.ctype = mhd.MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
				MHD_HTTP_HEADER_CONTENT_TYPE);
	peer_of(conn, req.peer, sizeof(req.peer));
	req.body = c->body ? c->body : "";
	req.len = c->len;
	req.multipart = c->pp != NULL;
	req.field = c->field;
	req.field_len = c->field_len;
	req.too_large = c->too_large;
	req.query = c->query ? c->query : "";
	req.conn = conn;
	resp.status = 200;
	h->handler(h->arg, &req, &resp);
	r = cached(h, &resp, c->too_large, &owned);
	if (!r)
		return MHD_NO;
	ok = mhd.MHD_queue_response(conn, (unsigned)resp.status, r);
	if (owned)
		mhd.MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn,
				 const char *url, const char *method,
				 const char *version, const char *data,
				 size_t *size, void **con_cls)
{
	push_http_t *h = cls;
	req_ctx_t *c = *con_cls;

	(void)version;
	if (!c)
		return MHD_NO;   /* on_uri could not allocate */
	if (!c->started) {
		const char *cl, *ct;

		c->started = true;
		cl = mhd.MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
				MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > h->lim.max_body) {
			/* answered now: the body is never read */
			c->too_large = true;
			return answer(conn, c, url, method);
		}
		ct = mhd.MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
				MHD_HTTP_HEADER_CONTENT_TYPE);
		if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0)
			c->pp = mhd.MHD_create_post_processor(conn, 1024,
							      on_field, c);
		return MHD_YES;
	}
	if (*size) {
		c->seen += *size;
		if (c->seen > DISCARD_MAX)
			return MHD_NO;
		if (c->pp) {
			if (mhd.MHD_post_process(c->pp, data, *size) != MHD_YES)
				c->too_large = true;
		} else if (!c->too_large && c->len + *size <= h->lim.max_body) {
			char *nb = realloc(c->body, c->len + *size + 1);

			if (!nb)
				return MHD_NO;
			c->body = nb;
			memcpy(c->body + c->len, data, *size);
			c->len += *size;
			c->body[c->len] = '\0';
		} else {
			c->too_large = true;
		}
		*size = 0;
		return MHD_YES;
	}
	return answer(conn, c, url, method);
}

/* Before anything else of a request: its context, with the query string
 * as sent (libmicrohttpd hands over only decoded arguments, and turns
 * '+' into ' ', which the subscription's '+' separators need intact). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	req_ctx_t *c = calloc(1, sizeof(*c));
	const char *q = uri ? strchr(uri, '?') : NULL;

	(void)conn;
	if (!c)
		return NULL;
	c->h = cls;
	if (q && !(c->query = strdup(q + 1))) {
		free(c);
		return NULL;
	}
	return c;
}

static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **con_cls, enum MHD_RequestTerminationCode toe)
{
	req_ctx_t *c = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!c)
		return;
	if (c->pp)
		mhd.MHD_destroy_post_processor(c->pp);
	free(c->body);
	free(c->field);
	free(c->query);
	free(c);
	*con_cls = NULL;
}

/* "HOST:PORT" into SS; -1 when it is not numeric. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss,
			socklen_t *sslen, char *err, size_t errsz)
{
	char host[128];
	const char *port;
	struct addrinfo hints, *ai = NULL;
	int rc;

	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');

		if (!close || close[1] != ':' ||
		    (size_t)(close - listen) >= sizeof(host))
			goto bad;
		memcpy(host, listen + 1, (size_t)(close - listen - 1));
		host[close - listen - 1] = '\0';
		port = close + 2;
	} else if ((port = strrchr(listen, ':')) != NULL) {
		if ((size_t)(port - listen) >= sizeof(host))
			goto bad;
		memcpy(host, listen, (size_t)(port - listen));
		host[port - listen] = '\0';
		port++;
	} else {
		host[0] = '\0';
		port = listen;
	}
	if (!*host || strcmp(host, "*") == 0)
		snprintf(host, sizeof(host), "0.0.0.0");
	else if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &ai);
	if (rc != 0 || !ai || ai->ai_addrlen > sizeof(*ss))
		goto bad;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*sslen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
bad:
	if (ai)
		freeaddrinfo(ai);
	snprintf(err, errsz, "'%s' is not HOST:PORT with a numeric host",
		 listen);
	return -1;
}

/* Our own listening socket on SS: the fd, or -1 with ERR. */
static int listen_on(const struct sockaddr_storage *ss, socklen_t sslen,
		     const char *where, char *err, size_t errsz)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK |
			SOCK_CLOEXEC, 0), on = 1, e;

	if (fd < 0)
		goto fail;
	/* as libmicrohttpd sets its own: a restarted phone can listen
	 * again at once, and IPv6 means IPv6 only */
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss->ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
				 sizeof(on));
	if (bind(fd, (const struct sockaddr *)ss, sslen) < 0 ||
	    listen(fd, 64) < 0)
		goto fail;
	return fd;
fail:
	e = errno;
	snprintf(err, errsz, "cannot listen on %s: %s", where, strerror(e));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* libmicrohttpd loaded and started on our socket: 0, or -1 with ERR. */
static int start_daemon(push_http_t *h, char *err, size_t errsz)
{
	const union MHD_DaemonInfo *di;
	unsigned flags = MHD_USE_EPOLL | MHD_USE_TURBO;
	const push_http_limits_t *lim = &h->lim;

	if (!mhd.MHD_start_daemon &&
	    pn_dynlib_open(MHD_SONAME, mhd_syms,
			   sizeof(mhd_syms) / sizeof(mhd_syms[0]), err,
			   errsz) < 0)
		return -1;
	if (h->ipv6)
		flags |= MHD_USE_IPv6;
	h->d = mhd.MHD_start_daemon(flags, 0, NULL, NULL, on_access, h,
		MHD_OPTION_LISTEN_SOCKET, h->lfd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)lim->max_conns,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)lim->idle_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, lim->head_max,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, h,
		MHD_OPTION_END);
	if (!h->d) {
		snprintf(err, errsz, "%s", "libmicrohttpd does not start");
		return -1;
	}
	di = mhd.MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD);
	if (!di || su_wait_create(h->wait, di->epoll_fd, SU_WAIT_IN) < 0) {
		snprintf(err, errsz, "%s", "cannot watch the HTTP server");
		return -1;
	}
	h->index = su_root_register(h->root, h->wait, on_ready, h, 0);
	if (h->index <= 0) {
		su_wait_destroy(h->wait);
		snprintf(err, errsz, "%s", "cannot watch the HTTP server");
		return -1;
	}
	return 0;
}

static void failed(push_http_t *h, const char *why, bool for_good)
{
	if (h->failed)
		h->failed(h->failed_arg, why, for_good);
	else
		fprintf(stderr, "HTTP server on port %u: %s%s\n", h->port, why,
			for_good ? " (closed)" : "");
}

/*
 * The first connection is waiting: start the server, which finds it on
 * the socket.  Should libmicrohttpd not start (not installed, say), what
 * is waiting is closed and the next connection tries again: the phone
 * keeps running, and a client sees a refused request, not a hang.
 */
static int on_first(su_root_magic_t *magic, su_wait_t *w, void *arg)
{
	push_http_t *h = arg;
	char err[256];
	int c;

	(void)magic;
	(void)w;
	su_root_deregister(h->root, h->index);
	h->index = 0;
	if (start_daemon(h, err, sizeof(err)) == 0) {
		mhd.MHD_run(h->d);
		arm(h);
		return 0;
	}
	if (h->d) {
		/* Started, but not to be watched (out of memory): it owns
		 * our socket now, and it goes with it. */
		mhd.MHD_stop_daemon(h->d);
		h->d = NULL;
		h->lfd = -1;
		failed(h, err, true);
		return 0;
	}
	while ((c = accept(h->lfd, NULL, NULL)) >= 0)
		close(c);
	if (su_wait_create(h->wait, h->lfd, SU_WAIT_IN) == 0) {
		h->index = su_root_register(h->root, h->wait, on_first, h, 0);
		if (h->index <= 0) {
			su_wait_destroy(h->wait);
			h->index = 0;
		}
	}
	if (h->index == 0) {
		/* unwatched, it would leave clients hanging in its backlog */
		close(h->lfd);
		h->lfd = -1;
		failed(h, err, true);
		return 0;
	}
	failed(h, err, false);
	return 0;
}

void push_http_on_failure(push_http_t *h, push_http_failed_f *f, void *arg)
{
	h->failed = f;
	h->failed_arg = arg;
}

push_http_t *push_http_new(su_root_t *root, const char *listen,
			   const push_http_limits_t *lim,
			   push_http_handler_f *handler, void *arg,
			   char *err, size_t errsz)
{
	push_http_t *h = calloc(1, sizeof(*h));
	struct sockaddr_storage ss;
	socklen_t sslen;

	if (!h) {
		snprintf(err, errsz, "%s", strerror(ENOMEM));
		return NULL;
	}
	h->root = root;
	h->lfd = -1;
	h->lim = *lim;
	h->handler = handler;
	h->arg = arg;
	if (parse_listen(listen, &ss, &sslen, err, errsz) < 0)
		goto fail;
	h->ipv6 = ss.ss_family == AF_INET6;
	h->lfd = listen_on(&ss, sslen, listen, err, errsz);
	if (h->lfd < 0)
		goto fail;
	sslen = sizeof(ss);
	if (getsockname(h->lfd, (struct sockaddr *)&ss, &sslen) == 0)
		h->port = ntohs(ss.ss_family == AF_INET6
				? ((struct sockaddr_in6 *)&ss)->sin6_port
				: ((struct sockaddr_in *)&ss)->sin_port);
	h->timer = su_timer_create(su_root_task(root), 0);
	if (!h->timer || su_wait_create(h->wait, h->lfd, SU_WAIT_IN) < 0) {
		snprintf(err, errsz, "cannot watch the HTTP server");
		goto fail;
	}
	h->index = su_root_register(root, h->wait, on_first, h, 0);
	if (h->index <= 0) {
		su_wait_destroy(h->wait);
		snprintf(err, errsz, "cannot watch the HTTP server");
		goto fail;
	}
	return h;
fail:
	push_http_free(h);
	return NULL;
}

void push_http_free(push_http_t *h)
{
	if (!h)
		return;
	if (h->index > 0)
		su_root_deregister(h->root, h->index);
	su_timer_destroy(h->timer);
	if (h->d)
		mhd.MHD_stop_daemon(h->d);      /* closes lfd too */
	else if (h->lfd >= 0)
		close(h->lfd);
	for (size_t i = 0; i < RESP_CACHE; i++)
		cache_drop(&h->cache[i]);
	free(h);
}

unsigned push_http_port(const push_http_t *h)
{
	return h->port;
}

const char *push_http_arg(const push_http_req_t *req, const char *name)
{
	return mhd.MHD_lookup_connection_value(req->conn,
					       MHD_GET_ARGUMENT_KIND, name);
}
