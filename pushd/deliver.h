/*
 * deliver.h - the gateway's pushes to the phones, on its su_root loop.
 *
 * Each delivery (a message to one subscriber) is an Avaya push:
 *     POST http://IP:PORT/forms/push   XMLData=<Push type=".." mode="..">
 *          <go href="URL/vpns/content/MSGID/KSID"/></Push>
 * through libcurl multi (push/fetch.h), at most max_inflight at once,
 * each within timeout_ms.  The phone's x-Push-Status decides:
 * 200/204 delivered; 202, HTTP 5xx or no answer: tried again after
 * retry_ms, doubled each time, up to `retries` more times, then failed;
 * any other status (205, 208, 3xx, 402, ...) refused, at once.  Every
 * attempt is written to the store (pushd/store.h) before the next step,
 * so a restart resumes exactly the deliveries that are still queued.
 * Every attempt and outcome is also an event (ua/event.h).
 */
#ifndef PN_PUSHD_DELIVER_H
#define PN_PUSHD_DELIVER_H

#include <stddef.h>

#include <sofia-sip/su_wait.h>

#include "push/fetch.h"
#include "pushd/store.h"
#include "ua/event.h"

typedef struct pushd_deliver pushd_deliver_t;

typedef struct pushd_deliver_opts {
	unsigned max_inflight;
	unsigned timeout_ms;
	unsigned retries;
	unsigned retry_ms;
	const char *content_url;   /* base of the hrefs, no trailing '/' */
} pushd_deliver_opts_t;

pushd_deliver_t *pushd_deliver_new(su_root_t *root, push_fetch_t *fetch,
				   pushd_store_t *store, ua_event_t *ev,
				   const pushd_deliver_opts_t *o);
/* Stops what is in flight (those deliveries stay queued in the store). */
void pushd_deliver_free(pushd_deliver_t *d);
/* Queue a delivery whose ATTEMPTS earlier attempts are in the store.
 * -1 on ENOMEM. */
int pushd_deliver_add(pushd_deliver_t *d, long long msg_id, long long ksid,
		      int attempts);
/* Deliveries queued or in flight. */
size_t pushd_deliver_pending(const pushd_deliver_t *d);

#endif /* PN_PUSHD_DELIVER_H */
