/*
 * deliver.c - bounded, retried pushes to the phones.
 *
 * Jobs wait in a FIFO (ready), or in a list of retries with their due
 * time (delayed, one su_timer for the earliest); at most max_inflight
 * are in flight.  The store is written after every answer, before the
 * job moves on.
 */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#define SU_WAKEUP_ARG_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "common/i18n.h"
#include "push/form.h"
#include "push/status.h"
#include "pushd/deliver.h"

/* XMLData of a push, URL-encoded: the message is short */
#define FORM_MAX 4096

typedef struct job {
	struct job *next;
	pushd_deliver_t *d;
	long long msg_id, ksid;
	int attempts;              /* done so far */
	long long due;             /* ms, for delayed jobs */
	push_xfer_t *xfer;
} job_t;

struct pushd_deliver {
	su_root_t *root;
	push_fetch_t *fetch;
	pushd_store_t *store;
	ua_event_t *ev;
	pushd_deliver_opts_t o;
	char *content_url;
	job_t *ready, *ready_tail;
	job_t *delayed;
	job_t *inflight;
	size_t ninflight, nqueued;
	su_timer_t *timer;
	bool pumping;
};

static void pump(pushd_deliver_t *d);
static void arm(pushd_deliver_t *d);

static long long now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void push_ready(pushd_deliver_t *d, job_t *j)
{
	j->next = NULL;
	if (d->ready_tail)
		d->ready_tail->next = j;
	else
		d->ready = j;
	d->ready_tail = j;
}

static job_t *pop_ready(pushd_deliver_t *d)
{
	job_t *j = d->ready;

	if (j) {
		d->ready = j->next;
		if (!d->ready)
			d->ready_tail = NULL;
		j->next = NULL;
	}
	return j;
}

static void unlink_job(job_t **list, job_t *j)
{
	for (job_t **pp = list; *pp; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			j->next = NULL;
			return;
		}
}

static void on_timer(su_root_magic_t *m, su_timer_t *t, void *arg)
{
	pushd_deliver_t *d = arg;
	long long now = now_ms();
	job_t **pp = &d->delayed;

	(void)m;
	(void)t;
	while (*pp) {
		job_t *j = *pp;

		if (j->due <= now) {
			*pp = j->next;
			push_ready(d, j);
		} else {
			pp = &j->next;
		}
	}
	arm(d);
	pump(d);
}

/* The timer at the earliest retry. */
static void arm(pushd_deliver_t *d)
{
	long long first = 0, now = now_ms();

	for (job_t *j = d->delayed; j; j = j->next)
		if (!first || j->due < first)
			first = j->due;
	if (!first)
		su_timer_reset(d->timer);
	else
		su_timer_set_interval(d->timer, on_timer, d,
			(su_duration_t)(first > now ? first - now : 1));
}

static void finish(pushd_deliver_t *d, job_t *j)
{
	d->nqueued--;
	free(j);
}

static const char *outcome(int code, bool accepted, bool retry)
{
	(void)code;
	return accepted ? "delivered" : retry ? "queued" : "refused";
}

static void on_done(void *arg, push_fetch_result_t r, long http,
		    const char *body, size_t len, const char *err)
{
	job_t *j = arg;
	pushd_deliver_t *d = j->d;
	const char *hdr = push_fetch_header(j->xfer, "x-Push-Status");
	int ps = hdr ? atoi(hdr) : 0, n = ++j->attempts;
	bool accepted = push_status_accepted(ps), retry, last;
	const char *state, *why = NULL;
	char text[256], buf[128];

	(void)body;
	(void)len;
	j->xfer = NULL;
	unlink_job(&d->inflight, j);
	d->ninflight--;
	if (r != PUSH_FETCH_OK) {
		why = err ? err : "no answer";
		http = 0;
		ps = 0;
	} else if (!hdr) {
		snprintf(buf, sizeof(buf), "HTTP %ld without x-Push-Status",
			 http);
		why = buf;
	}
	retry = r != PUSH_FETCH_OK || http >= 500 || ps == PUSH_INTERNAL;
	last = (unsigned)n > d->o.retries;
	state = retry && last ? "failed" : outcome(ps, accepted, retry);
	if (!retry && !accepted && !hdr)
		state = "failed";   /* not a Push Agent */
	if (pushd_store_attempt(d->store, j->msg_id, j->ksid, n, (int)http,
				ps, why, state) < 0) {
		/* the job stays queued in the store: a restart retries it */
		snprintf(text, sizeof(text), _("pushd: cannot record a "
			 "delivery: %s"), pushd_store_error(d->store));
		ua_event_emit(d->ev, "store_error", text, "{s:s}", "error",
			      pushd_store_error(d->store));
	}
	snprintf(text, sizeof(text), _("pushd: message %lld to ksid %lld, "
		 "attempt %d: %s%s%s"), j->msg_id, j->ksid, n,
		 hdr ? hdr : "", hdr && why ? " " : "", why ? why : "");
	ua_event_emit(d->ev, "push_attempt", text,
		      "{s:I, s:I, s:i, s:i, s:i, s:s*, s:s}",
		      "msgId", (json_int_t)j->msg_id,
		      "ksid", (json_int_t)j->ksid, "attempt", n,
		      "http", (int)http, "pushStatus", ps, "error", why,
		      "state", state);
	if (strcmp(state, "queued") == 0) {
		unsigned shift = (unsigned)(n - 1) < 16 ? (unsigned)(n - 1)
							: 16;

		j->due = now_ms() + ((long long)d->o.retry_ms << shift);
		j->next = d->delayed;
		d->delayed = j;
		arm(d);
	} else {
		finish(d, j);
	}
	pump(d);
}

/* The XMLData form of the push for message M to KSID. */
static int build(pushd_deliver_t *d, const pushd_message_t *m,
		 long long ksid, char *form, size_t size)
{
	char xml[2048], alert[32] = "";

	if (m->alert > 0)
		snprintf(alert, sizeof(alert), " alert=\"%d\"", m->alert);
	if ((size_t)snprintf(xml, sizeof(xml), "<?xml version=\"1.0\"?>"
			     "<Push type=\"%s\" mode=\"%s\"%s><go href=\"%s/"
			     "vpns/content/%lld/%lld\"/></Push>",
			     m->display ? "display" : "topline",
			     m->barge ? "barge" : "normal", alert,
			     d->content_url, m->msg_id, ksid) >= sizeof(xml))
		return -1;
	form[0] = '\0';
	return push_form_append(form, size, "XMLData", xml);
}

static void fail_now(pushd_deliver_t *d, job_t *j, const char *why)
{
	char text[256];

	pushd_store_attempt(d->store, j->msg_id, j->ksid, j->attempts + 1, 0,
			    0, why, "failed");
	snprintf(text, sizeof(text), _("pushd: message %lld to ksid %lld: "
		 "%s"), j->msg_id, j->ksid, why);
	ua_event_emit(d->ev, "push_attempt", text,
		      "{s:I, s:I, s:i, s:i, s:i, s:s, s:s}",
		      "msgId", (json_int_t)j->msg_id,
		      "ksid", (json_int_t)j->ksid, "attempt",
		      j->attempts + 1, "http", 0, "pushStatus", 0,
		      "error", why, "state", "failed");
	finish(d, j);
}

static void start(pushd_deliver_t *d, job_t *j)
{
	pushd_subscriber_t sub;
	pushd_message_t m;
	char url[160], form[FORM_MAX];
	int rc;

	rc = pushd_store_subscriber(d->store, j->ksid, &sub);
	if (rc <= 0) {
		fail_now(d, j, rc < 0 ? "the store cannot be read"
				      : "the subscriber is gone");
		return;
	}
	rc = pushd_store_message_get(d->store, j->msg_id, &m);
	if (rc <= 0) {
		fail_now(d, j, rc < 0 ? "the store cannot be read"
				      : "the message is gone");
		return;
	}
	rc = build(d, &m, j->ksid, form, sizeof(form));
	pushd_message_clear(&m);
	snprintf(url, sizeof(url), strchr(sub.ip, ':')
		 ? "http://[%s]:%u/forms/push" : "http://%s:%u/forms/push",
		 sub.ip, sub.port);
	if (rc < 0 ||
	    !(j->xfer = push_fetch_start(d->fetch, url, form, 4096,
					 (long)d->o.timeout_ms, on_done, j))) {
		fail_now(d, j, "the push could not start");
		return;
	}
	j->next = d->inflight;
	d->inflight = j;
	d->ninflight++;
}

static void pump(pushd_deliver_t *d)
{
	/* on_done may run inside push_fetch_start's caller chain; one
	 * pump at a time keeps the in-flight count honest */
	if (d->pumping)
		return;
	d->pumping = true;
	while (d->ninflight < d->o.max_inflight && d->ready)
		start(d, pop_ready(d));
	d->pumping = false;
}

pushd_deliver_t *pushd_deliver_new(su_root_t *root, push_fetch_t *fetch,
				   pushd_store_t *store, ua_event_t *ev,
				   const pushd_deliver_opts_t *o)
{
	pushd_deliver_t *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->root = root;
	d->fetch = fetch;
	d->store = store;
	d->ev = ev;
	d->o = *o;
	d->content_url = strdup(o->content_url);
	d->timer = su_timer_create(su_root_task(root), 0);
	if (!d->content_url || !d->timer) {
		pushd_deliver_free(d);
		return NULL;
	}
	d->o.content_url = d->content_url;
	return d;
}

static void free_list(job_t *j)
{
	while (j) {
		job_t *next = j->next;

		push_fetch_cancel(j->xfer);
		free(j);
		j = next;
	}
}

void pushd_deliver_free(pushd_deliver_t *d)
{
	if (!d)
		return;
	free_list(d->ready);
	free_list(d->delayed);
	free_list(d->inflight);
	su_timer_destroy(d->timer);
	free(d->content_url);
	free(d);
}

int pushd_deliver_add(pushd_deliver_t *d, long long msg_id, long long ksid,
		      int attempts)
{
	job_t *j = calloc(1, sizeof(*j));

	if (!j)
		return -1;
	j->d = d;
	j->msg_id = msg_id;
	j->ksid = ksid;
	j->attempts = attempts;
	push_ready(d, j);
	d->nqueued++;
	pump(d);
	return 0;
}

size_t pushd_deliver_pending(const pushd_deliver_t *d)
{
	return d->nqueued;
}
