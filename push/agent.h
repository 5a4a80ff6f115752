/*
 * agent.h - the Push Agent: the phone's side of the Avaya push interface.
 *
 * An HTTP server (push/http.h) on push.listen takes
 * POST /forms/push with the push message in the form field XMLData and
 * answers at once with "x-Push-Status: CODE REASON" (and the same in
 * x-Avaya-Push-Status): the message is checked (push/msg.h), its href
 * judged against push.tpslist (push/tps.h), and the phone state put
 * through the decision table (push/decide.h).  Anything else gets HTTP
 * 403.  Then, for an accepted push, the agent pulls the content from the
 * href (push/fetch.h, one pull at a time: a push that arrives during a
 * pull gets 202) and acts on it: a topline text (30 s), a display page
 * (a 204 page is kept and shown when the phone leaves text entry), a
 * subscribe request (push/sub.h), an audio push (push/audio.h: its RTP
 * port is reserved before the pull and named in it as rtpLPort; the
 * calls' media is stopped locally through media_suspend while it plays,
 * and the phone state's audio-push flag is set).  Every step is a JSON
 * event.
 *
 * The phone is reached through push_phone_t only: its state (ua/state.h),
 * its event stream (ua/event.h), and whether it is registered.
 */
#ifndef PN_PUSH_AGENT_H
#define PN_PUSH_AGENT_H

#include <stdbool.h>
#include <stddef.h>

#include <sofia-sip/su_wait.h>

#include "conf/conf.h"
#include "ua/event.h"
#include "ua/state.h"

typedef struct push_agent push_agent_t;

typedef struct push_phone {
	ua_state_t *state;
	ua_event_t *ev;
	bool (*registered)(void *arg);   /* may be NULL: never */
	/* stop / restart the calls' media locally (ua_media_suspend);
	 * may be NULL */
	void (*media_suspend)(void *arg, bool on);
	void *arg;
} push_phone_t;

/*
 * NULL with ERR empty when push.listen is empty (no agent); NULL with
 * ERR set when it cannot start (the phone goes on without push).
 */
push_agent_t *push_agent_create(su_root_t *root, const conf_t *conf,
				const push_phone_t *phone, char *err,
				size_t errsz);
void push_agent_destroy(push_agent_t *a);

#endif /* PN_PUSH_AGENT_H */
