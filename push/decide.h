/*
 * decide.h - may the phone take this push now?  The decision table.
 *
 * The Avaya push interface answers a display, topline or audio push
 * according to its priority (normal or barge) and what the phone is
 * doing.  The whole table lives in push/decide.c, one row a rule, first
 * match wins, no row = 200 Push Message Accepted:
 *
 *   type     mode    when the phone is ...                 code
 *   any      any     in a local procedure                  205 (208 audio)
 *   display  normal  in a Web text-entry screen            205
 *   display  normal  in another application's text entry  204 (kept)
 *   topline  normal  in any text entry                     205
 *   topline  normal  ringing (a call alerting)             205
 *   topline  normal  with a call on soft hold              205
 *   audio    normal  ringing (a call alerting)             208
 *   audio    normal  on an active call                     208
 *   audio    normal  already playing pushed audio          208
 *
 * A barge push is refused only in a local procedure; a barge audio push
 * during a call holds the call locally.  Subscribe pushes are not
 * decided here (see push/agent.c: 503 or 200).  Pure: the caller copies
 * the answers of the phone state (ua/state.h) into push_phone_flags_t.
 */
#ifndef PN_PUSH_DECIDE_H
#define PN_PUSH_DECIDE_H

#include <stdbool.h>

#include "push/msg.h"

typedef enum {
	PUSH_TEXT_NONE = 0,
	PUSH_TEXT_WEB,          /* a Web text-entry screen */
	PUSH_TEXT_OTHER,        /* another application's text entry */
} push_text_entry_t;

typedef struct push_phone_flags {
	push_text_entry_t text_entry;
	bool alerting;          /* an incoming call rings */
	bool call_active;       /* on a call */
	bool soft_hold;         /* a call on hold, none active */
	bool local_procedure;
	bool audio_playing;     /* pushed audio is playing */
} push_phone_flags_t;

/* 200, 204, 205 or 208; *WHY (may be NULL) names the rule, in English. */
int push_decide(push_type_t type, push_mode_t mode,
		const push_phone_flags_t *f, const char **why);

#endif /* PN_PUSH_DECIDE_H */
