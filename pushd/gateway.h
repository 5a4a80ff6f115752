/*
 * gateway.h - pnphone-pushd's HTTP face (push/http.h on the su_root):
 *
 *   POST /vpns/service/eventpushmessage   the Volt MX event push
 *        (pushd/api.h): judged (pushd/catalog.h), its subscribers
 *        checked against the store, stored with one queued delivery per
 *        valid subscriber in one transaction, handed to pushd/deliver.h,
 *        answered with the messageResponse (msgId).
 *   GET  /vpns/service/message/MSGID      the message's deliveries and
 *        every attempt's x-Push-Status, as JSON (pushd_store_status).
 *   GET  /vpns/subscribe?MAC=..+Extn=..+ip=..+SetID=..   a phone's
 *        subscription (push.subscribelist); '&' separators work too, and
 *        port=N names the phone's Push Agent port (else pushd.phone_port).
 *        Answers 200 {"ksid", "ufid", "deviceId"}.
 *   GET  /vpns/content/MSGID/KSID         the push content the phone pulls
 *        (<Response><Topline> or a WML page).
 *
 * Every request and outcome is an event (ua/event.h).
 */
#ifndef PN_PUSHD_GATEWAY_H
#define PN_PUSHD_GATEWAY_H

#include <stddef.h>

#include <sofia-sip/su_wait.h>

#include "conf/conf.h"
#include "pushd/deliver.h"
#include "pushd/store.h"
#include "ua/event.h"

typedef struct pushd_gw pushd_gw_t;

pushd_gw_t *pushd_gw_new(su_root_t *root, const conf_t *conf,
			 pushd_store_t *store, ua_event_t *ev, char *err,
			 size_t errsz);
/* Where accepted messages go; set before the loop runs. */
void pushd_gw_set_deliver(pushd_gw_t *g, pushd_deliver_t *d);
void pushd_gw_free(pushd_gw_t *g);
unsigned pushd_gw_port(const pushd_gw_t *g);

#endif /* PN_PUSHD_GATEWAY_H */
