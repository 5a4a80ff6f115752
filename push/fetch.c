/*
 * fetch.c - libcurl multi driven by the su_root.
 *
 * curl tells us which sockets to watch (socket callback) and when to
 * call it back (timer callback); we register each socket as a su_wait
 * and keep one su_timer.  Finished transfers are collected after every
 * curl_multi_socket_action and their callbacks run outside curl's own
 * callbacks, as curl requires.
 */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#define SU_WAKEUP_ARG_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/curl_dl.h"
#include "push/fetch.h"

struct push_fetch {
	su_root_t *root;
	CURLM *multi;
	su_timer_t *timer;
	push_xfer_t *xfers;       /* running, singly linked */
	bool in_action;
	char why[256];            /* why the last start failed, or "" */
};

struct push_xfer {
	push_fetch_t *f;
	push_xfer_t *next;
	CURL *easy;
	push_fetch_done_f *cb;
	void *arg;
	char *body;
	size_t len, max;
	bool too_large;
	char err[CURL_ERROR_SIZE];
};

/* One watched socket. */
typedef struct sock {
	push_fetch_t *f;
	curl_socket_t fd;
	int index;                /* su_root registration */
} sock_t;

static void collect(push_fetch_t *f);

static int on_sock(su_root_magic_t *magic, su_wait_t *w, void *arg)
{
	sock_t *s = arg;
	push_fetch_t *f = s->f;
	int ev = su_wait_events(w, s->fd), mask = 0, running;

	(void)magic;
	if (ev & SU_WAIT_IN)
		mask |= CURL_CSELECT_IN;
	if (ev & SU_WAIT_OUT)
		mask |= CURL_CSELECT_OUT;
	if (ev & (SU_WAIT_ERR | SU_WAIT_HUP))
		mask |= CURL_CSELECT_ERR;
	pn_curl.curl_multi_socket_action(f->multi, s->fd, mask, &running);
	collect(f);
	return 0;
}

static int sock_cb(CURL *easy, curl_socket_t fd, int what, void *userp,
		   void *socketp)
{
	push_fetch_t *f = userp;
	sock_t *s = socketp;
	int events = 0;
	su_wait_t w[1];

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s) {
			if (s->index > 0)
				su_root_deregister(f->root, s->index);
			free(s);
		}
		pn_curl.curl_multi_assign(f->multi, fd, NULL);
		return 0;
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= SU_WAIT_IN;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= SU_WAIT_OUT;
	if (s) {
		su_root_eventmask(f->root, s->index, fd, events);
		return 0;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -1;
	s->f = f;
	s->fd = fd;
	if (su_wait_create(w, fd, events) < 0) {
		free(s);
		return -1;
	}
	s->index = su_root_register(f->root, w, on_sock, s, 0);
	if (s->index <= 0) {
		su_wait_destroy(w);
		free(s);
		return -1;
	}
	pn_curl.curl_multi_assign(f->multi, fd, s);
	return 0;
}

static void on_timer(su_root_magic_t *magic, su_timer_t *t, void *arg)
{
	push_fetch_t *f = arg;
	int running;

	(void)magic;
	(void)t;
	pn_curl.curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0,
					 &running);
	collect(f);
}

static int timer_cb(CURLM *multi, long ms, void *userp)
{
	push_fetch_t *f = userp;

	(void)multi;
	if (ms < 0)
		su_timer_reset(f->timer);
	else
		su_timer_set_interval(f->timer, on_timer, f,
				      (su_duration_t)ms);
	return 0;
}

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	push_xfer_t *x = arg;
	size_t len = size * n;
	char *nb;

	if (x->len + len > x->max) {
		x->too_large = true;
		return 0;   /* aborts the transfer */
	}
	nb = realloc(x->body, x->len + len + 1);
	if (!nb)
		return 0;
	x->body = nb;
	memcpy(x->body + x->len, p, len);
	x->len += len;
	x->body[x->len] = '\0';
	return len;
}

static void unlink_xfer(push_xfer_t *x)
{
	push_xfer_t **pp;

	for (pp = &x->f->xfers; *pp; pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			break;
		}
}

static void xfer_free(push_xfer_t *x)
{
	if (!x)
		return;
	if (x->easy) {
		pn_curl.curl_multi_remove_handle(x->f->multi, x->easy);
		pn_curl.curl_easy_cleanup(x->easy);
	}
	free(x->body);
	free(x);
}

static void collect(push_fetch_t *f)
{
	CURLMsg *m;
	int left;

	while ((m = pn_curl.curl_multi_info_read(f->multi, &left)) != NULL) {
		push_xfer_t *x = NULL;
		long status = 0;
		push_fetch_result_t r;
		const char *err;

		if (m->msg != CURLMSG_DONE)
			continue;
		pn_curl.curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
					  (char **)&x);
		if (!x)
			continue;
		pn_curl.curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE,
					  &status);
		if (x->too_large) {
			r = PUSH_FETCH_TOO_LARGE;
			err = "the content is too large";
		} else if (m->data.result != CURLE_OK) {
			r = PUSH_FETCH_FAILED;
			err = *x->err
			      ? x->err
			      : pn_curl.curl_easy_strerror(m->data.result);
		} else {
			r = PUSH_FETCH_OK;
			err = NULL;
		}
		unlink_xfer(x);
		x->cb(x->arg, r, status, x->body ? x->body : "", x->len, err);
		xfer_free(x);
	}
}

push_fetch_t *push_fetch_new(su_root_t *root)
{
	push_fetch_t *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->root = root;
	f->timer = su_timer_create(su_root_task(root), 0);
	if (!f->timer) {
		push_fetch_free(f);
		return NULL;
	}
	return f;
}

/* libcurl is loaded by the first pull, not by the phone (common/curl_dl.h):
 * ERR says why not. */
static bool multi_ready(push_fetch_t *f, char *err, size_t errsz)
{
	if (f->multi)
		return true;
	if (pn_curl_load(err, errsz) < 0)
		return false;
	f->multi = pn_curl.curl_multi_init();
	if (!f->multi)
		return false;
	pn_curl.curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	pn_curl.curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	pn_curl.curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	pn_curl.curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	return true;
}

void push_fetch_free(push_fetch_t *f)
{
	if (!f)
		return;
	while (f->xfers) {
		push_xfer_t *x = f->xfers;

		f->xfers = x->next;
		xfer_free(x);
	}
	if (f->multi)
		pn_curl.curl_multi_cleanup(f->multi);
	su_timer_destroy(f->timer);
	free(f);
}

push_xfer_t *push_fetch_start(push_fetch_t *f, const char *url,
			      const char *form, size_t max_body,
			      long timeout_ms, push_fetch_done_f *cb,
			      void *arg)
{
	push_xfer_t *x = calloc(1, sizeof(*x));
	CURL *e;

	f->why[0] = '\0';
	if (!x || !multi_ready(f, f->why, sizeof(f->why))) {
		free(x);
		return NULL;
	}
	x->f = f;
	x->cb = cb;
	x->arg = arg;
	x->max = max_body;
	x->easy = e = pn_curl.curl_easy_init();
	if (!e)
		goto fail;
	pn_curl.curl_easy_setopt(e, CURLOPT_URL, url);
	pn_curl.curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	pn_curl.curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->err);
	pn_curl.curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	pn_curl.curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	pn_curl.curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	pn_curl.curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	pn_curl.curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	pn_curl.curl_easy_setopt(e, CURLOPT_USERAGENT,
				 PACKAGE_NAME "/" VERSION);
	pn_curl.curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	pn_curl.curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	if (form)
		pn_curl.curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, form);
	if (pn_curl.curl_multi_add_handle(f->multi, e) != CURLM_OK)
		goto fail;
	x->next = f->xfers;
	f->xfers = x;
	return x;
fail:
	if (x->easy)
		pn_curl.curl_easy_cleanup(x->easy);
	free(x);
	return NULL;
}

const char *push_fetch_error(const push_fetch_t *f)
{
	return f->why;
}

const char *push_fetch_header(push_xfer_t *x, const char *name)
{
	struct curl_header *h = NULL;

	if (!x || !x->easy ||
	    pn_curl.curl_easy_header(x->easy, name, 0, CURLH_HEADER, -1, &h) !=
	    CURLHE_OK || !h)
		return NULL;
	return h->value;
}

void push_fetch_cancel(push_xfer_t *x)
{
	if (!x)
		return;
	unlink_xfer(x);
	xfer_free(x);
}
