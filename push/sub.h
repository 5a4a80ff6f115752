/*
 * sub.h - the subscription service: the phone announces itself to the
 * servers of push.subscribelist.
 *
 * When the phone registers, it sends each server an HTTP GET of its URL
 * with the query the Avaya guide prints,
 *     URL?MAC=00:11:22:33:44:55+Extn=2001+ip=192.0.2.7+SetID=PN00D01A
 * ('+' separators literally, as documented; '&' before MAC= when the URL
 * has a query already), and retries every push.subscribe_retry seconds
 * (20 minutes) up to five times while a server does not answer 200.  A
 * subscribe push sends the same request once, to every server or to the
 * one it names.  MAC and ip are those of the interface the phone reaches
 * the server through (or push.listen's address); Extn is the user part
 * of account.aor; SetID is push.set_id.
 */
#ifndef PN_PUSH_SUB_H
#define PN_PUSH_SUB_H

#include <stdbool.h>

#include <sofia-sip/su_wait.h>

#include "conf/conf.h"
#include "push/fetch.h"
#include "ua/event.h"

#define PUSH_SUB_RETRIES 5

typedef struct push_sub push_sub_t;

push_sub_t *push_sub_new(su_root_t *root, push_fetch_t *fetch,
			 ua_event_t *ev, const conf_t *conf);
void push_sub_free(push_sub_t *s);
/* Is the list empty? */
bool push_sub_empty(const push_sub_t *s);
/* Is URL exactly one of the list's servers? */
bool push_sub_listed(const push_sub_t *s, const char *url);
/* The phone registered: every server, with retries. */
void push_sub_boot(push_sub_t *s);
/* A subscribe push: every server (URL NULL) or URL, without retries. */
void push_sub_push(push_sub_t *s, const char *url);

#endif /* PN_PUSH_SUB_H */
