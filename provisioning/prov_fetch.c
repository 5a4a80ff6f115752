/*
 * prov_fetch.c - libcurl's multi interface on the su_root (see
 * prov_fetch.h).
 *
 * Each socket libcurl wants watched becomes a su_root registration whose
 * index is stored with pn_curl.curl_multi_assign(); libcurl's timeout is one
 * su_timer.  The result is handed over from a zero-delay timer of its own
 * so that the caller may destroy everything from its callback without
 * pulling the ground from under libcurl or the root's dispatch loop.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define SU_ROOT_MAGIC_T void
#define SU_WAKEUP_ARG_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include "common/curl_dl.h"
#include "common/i18n.h"
#include "provisioning/prov_fetch.h"

struct prov_fetch {
	su_root_t *root;
	CURLM *multi;
	CURL *easy;
	su_timer_t *curl_timer;    /* libcurl's timeout */
	su_timer_t *done_timer;    /* hands the result over */
	prov_fetch_done_f *done;
	void *arg;
	char *data;
	size_t len, cap, max;
	unsigned connect_timeout, timeout;
	bool too_big;
	bool retried;              /* TFTP asked again without options */
	bool finished;
	char reason[CURL_ERROR_SIZE + 64];
	char errbuf[CURL_ERROR_SIZE];
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userp)
{
	prov_fetch_t *f = userp;
	size_t n = size * nmemb;

	if (n > f->max - f->len) {
		/* libcurl then fails with CURLE_WRITE_ERROR. */
		f->too_big = true;
		return 0;
	}
	if (f->len + n + 1 > f->cap) {
		size_t cap = f->cap ? f->cap : 4096;
		char *nd;

		while (cap < f->len + n + 1)
			cap *= 2;
		nd = realloc(f->data, cap);
		if (!nd)
			return 0;
		f->data = nd;
		f->cap = cap;
	}
	memcpy(f->data + f->len, ptr, n);
	f->len += n;
	f->data[f->len] = '\0';
	return n;
}

static void hand_over(su_root_magic_t *magic, su_timer_t *t, void *arg)
{
	prov_fetch_t *f = arg;

	(void)magic;
	(void)t;
	if (f->reason[0])
		f->done(f->arg, NULL, 0, f->reason);
	else
		f->done(f->arg, f->data ? f->data : "", f->len, NULL);
}

static void finish(prov_fetch_t *f, CURLcode rc)
{
	long code = 0;

	f->finished = true;
	if (rc == CURLE_OK) {
		pn_curl.curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE,
					  &code);
		/* TFTP reports no code; HTTP must say 200 (a 204 or 304 is
		 * no configuration). */
		if (code != 0 && code != 200)
			snprintf(f->reason, sizeof(f->reason),
				 _("the server answered %ld instead of a file"),
				 code);
	} else if (f->too_big) {
		snprintf(f->reason, sizeof(f->reason),
			 _("the file is larger than %zu bytes"), f->max);
	} else if (rc == CURLE_OPERATION_TIMEDOUT) {
		/* libcurl's own text names whatever it did last (for TFTP
		 * "getpeername() failed"), not the bound that was hit. */
		snprintf(f->reason, sizeof(f->reason),
			 _("no answer from the server, or too slow (%u s to "
			   "answer, %u s for the whole file)"),
			 f->connect_timeout, f->timeout);
	} else {
		snprintf(f->reason, sizeof(f->reason), "%s%s%s",
			 pn_curl.curl_easy_strerror(rc),
			 f->errbuf[0] ? ": " : "", f->errbuf);
	}
	if (!f->done_timer ||
	    su_timer_set_interval(f->done_timer, hand_over, f, 0) < 0)
		hand_over(NULL, NULL, f);
}

static void check_messages(prov_fetch_t *f)
{
	CURLMsg *m;
	int left;

	while (!f->finished &&
	       (m = pn_curl.curl_multi_info_read(f->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		if (m->data.result == CURLE_TFTP_ILLEGAL && !f->retried) {
			/* A server that mangles tsize/blksize: ask plainly. */
			f->retried = true;
			f->len = 0;
			f->errbuf[0] = '\0';
			pn_curl.curl_multi_remove_handle(f->multi, f->easy);
			pn_curl.curl_easy_setopt(f->easy,
						 CURLOPT_TFTP_NO_OPTIONS, 1L);
			if (pn_curl.curl_multi_add_handle(f->multi, f->easy)
			    == CURLM_OK)
				continue;
		}
		finish(f, m->data.result);
	}
}

static int on_socket_ready(su_root_magic_t *magic, su_wait_t *w, void *arg)
{
	prov_fetch_t *f = arg;
	int ev = su_wait_events(w, w->fd), flags = 0, running;

	(void)magic;
	if (ev & SU_WAIT_IN)
		flags |= CURL_CSELECT_IN;
	if (ev & SU_WAIT_OUT)
		flags |= CURL_CSELECT_OUT;
	if (ev & (SU_WAIT_ERR | SU_WAIT_HUP))
		flags |= CURL_CSELECT_ERR;
	if (!f->finished) {
		pn_curl.curl_multi_socket_action(f->multi, w->fd, flags,
						 &running);
		check_messages(f);
	}
	return 0;
}

static int on_curl_socket(CURL *easy, curl_socket_t s, int what, void *userp,
			  void *socketp)
{
	prov_fetch_t *f = userp;
	int index = (int)(intptr_t)socketp;
	int events = (what & CURL_POLL_IN ? SU_WAIT_IN : 0) |
		     (what & CURL_POLL_OUT ? SU_WAIT_OUT : 0);
	su_wait_t w[1];

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (index > 0)
			su_root_deregister(f->root, index);
		pn_curl.curl_multi_assign(f->multi, s, NULL);
		return 0;
	}
	if (index > 0)
		return su_root_eventmask(f->root, index, s, events) < 0 ? -1 : 0;
	if (su_wait_create(w, s, events) < 0)
		return -1;
	index = su_root_register(f->root, w, on_socket_ready, f, 0);
	if (index <= 0) {
		su_wait_destroy(w);
		return -1;
	}
	pn_curl.curl_multi_assign(f->multi, s, (void *)(intptr_t)index);
	return 0;
}

static void on_curl_timeout(su_root_magic_t *magic, su_timer_t *t, void *arg)
{
	prov_fetch_t *f = arg;
	int running;

	(void)magic;
	(void)t;
	if (f->finished)
		return;
	pn_curl.curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0,
					 &running);
	check_messages(f);
}

static int on_curl_timer(CURLM *multi, long ms, void *userp)
{
	prov_fetch_t *f = userp;

	(void)multi;
	if (ms < 0) {
		su_timer_reset(f->curl_timer);
		return 0;
	}
	return su_timer_set_interval(f->curl_timer, on_curl_timeout, f,
				     (su_duration_t)ms) < 0 ? -1 : 0;
}

static bool setup_easy(prov_fetch_t *f, const char *url,
		       const prov_fetch_opts_t *o)
{
	CURL *e = f->easy;
	bool ok = true;

#define SET(opt, val) \
	ok = ok && pn_curl.curl_easy_setopt(e, opt, val) == CURLE_OK
	SET(CURLOPT_URL, url);
	SET(CURLOPT_PROTOCOLS_STR, "tftp,http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, 3L);
	SET(CURLOPT_CONNECTTIMEOUT, (long)o->connect_timeout);
	SET(CURLOPT_TIMEOUT, (long)o->timeout);
	/* libcurl's TFTP counts the connect timeout only until the request
	 * is sent (UDP "connects" at once) and then waits for the first
	 * block as long as the total timeout allows.  Less than a byte a
	 * second for connect_timeout seconds ends it instead: a silent
	 * server, or one that stalls (HTTP too), within the connect bound. */
	SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
	SET(CURLOPT_LOW_SPEED_TIME, (long)o->connect_timeout);
	SET(CURLOPT_FAILONERROR, 1L);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_HTTPAUTH, (long)(CURLAUTH_BASIC | CURLAUTH_DIGEST));
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	SET(CURLOPT_WRITEFUNCTION, on_data);
	SET(CURLOPT_WRITEDATA, f);
	SET(CURLOPT_ERRORBUFFER, f->errbuf);
	if (o->user_agent && *o->user_agent)
		SET(CURLOPT_USERAGENT, o->user_agent);
	if (o->ca_file && *o->ca_file)
		SET(CURLOPT_CAINFO, o->ca_file);
#undef SET
	return ok;
}

prov_fetch_t *prov_fetch_start(su_root_t *root, const char *url,
			       const prov_fetch_opts_t *opts,
			       prov_fetch_done_f *done, void *arg,
			       char *err, size_t errsz)
{
	prov_fetch_t *f;

	/* loaded by the first download, not at boot (common/curl_dl.h) */
	if (pn_curl_load(err, errsz) < 0)
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f) {
		snprintf(err, errsz, "%s", _("out of memory"));
		return NULL;
	}
	f->root = root;
	f->done = done;
	f->arg = arg;
	f->max = opts->max_bytes;
	f->connect_timeout = opts->connect_timeout;
	f->timeout = opts->timeout;
	f->multi = pn_curl.curl_multi_init();
	f->easy = pn_curl.curl_easy_init();
	f->curl_timer = su_timer_create(su_root_task(root), 0);
	f->done_timer = su_timer_create(su_root_task(root), 0);
	if (!f->multi || !f->easy || !f->curl_timer || !f->done_timer) {
		snprintf(err, errsz, "%s", _("out of memory"));
		goto fail;
	}
	if (!setup_easy(f, url, opts)) {
		snprintf(err, errsz, _("libcurl refused the options for %s"),
			 url);
		goto fail;
	}
	pn_curl.curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION,
				  on_curl_socket);
	pn_curl.curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	pn_curl.curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION,
				  on_curl_timer);
	pn_curl.curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	/* Adding the handle arms the timer; the transfer starts from the
	 * loop. */
	if (pn_curl.curl_multi_add_handle(f->multi, f->easy) != CURLM_OK) {
		snprintf(err, errsz, _("libcurl cannot start %s"), url);
		goto fail;
	}
	return f;
fail:
	prov_fetch_destroy(f);
	return NULL;
}

void prov_fetch_destroy(prov_fetch_t *f)
{
	if (!f)
		return;
	if (f->multi && f->easy)
		pn_curl.curl_multi_remove_handle(f->multi, f->easy);
	if (f->easy)
		pn_curl.curl_easy_cleanup(f->easy);
	if (f->multi)
		pn_curl.curl_multi_cleanup(f->multi);
	su_timer_destroy(f->curl_timer);
	su_timer_destroy(f->done_timer);
	free(f->data);
	free(f);
}
