/*
 * state.h - the phone state: what the phone is doing, in one place.
 *
 * The UA reports call transitions here; everything else (the CLI status
 * command, the push agent's decision table, the UI) asks questions here
 * instead of keeping flags of its own.  Pure bookkeeping: no SIP, no I/O,
 * so it is unit-tested on its own.
 *
 * A phone has a few call appearances (UA_STATE_MAX_CALLS).  Each call has
 * an id (a small positive number handed out by ua_state_call_add) and a
 * state.  The phone state is derived from the calls: the most important
 * call decides (ringing > in call > on hold > early > dialing > idle).
 */
#ifndef PN_UA_STATE_H
#define PN_UA_STATE_H

#include <stdbool.h>
#include <stddef.h>

#define UA_STATE_MAX_CALLS 4

typedef enum {
	UA_CALL_IDLE = 0,    /* no call / slot free */
	UA_CALL_DIALING,     /* outgoing INVITE sent, no ringing yet */
	UA_CALL_RINGING,     /* incoming INVITE, alerting the user */
	UA_CALL_EARLY,       /* outgoing, remote ringing (180/183) */
	UA_CALL_ACTIVE,      /* established, media flowing both ways */
	UA_CALL_HELD,        /* established, held by us */
} ua_call_state_t;

typedef enum {
	UA_PHONE_IDLE = 0,
	UA_PHONE_DIALING,
	UA_PHONE_RINGING,
	UA_PHONE_EARLY,
	UA_PHONE_IN_CALL,
	UA_PHONE_ON_HOLD,
} ua_phone_state_t;

typedef enum {
	UA_TEXT_ENTRY_NONE = 0,
	UA_TEXT_ENTRY_WEB,    /* a web / push text-entry screen */
	UA_TEXT_ENTRY_OTHER,  /* another application's text entry */
} ua_text_entry_t;

typedef struct ua_state ua_state_t;

ua_state_t *ua_state_new(void);
void ua_state_free(ua_state_t *s);

/* Calls.  ua_state_call_add returns the new call's id (> 0), or 0 when
 * every appearance is in use.  Unknown ids are ignored / return false. */
int ua_state_call_add(ua_state_t *s, ua_call_state_t initial);
bool ua_state_call_set(ua_state_t *s, int id, ua_call_state_t st);
bool ua_state_call_remove(ua_state_t *s, int id);
ua_call_state_t ua_state_call_get(const ua_state_t *s, int id);
size_t ua_state_call_count(const ua_state_t *s);
/* The ids of live calls, oldest first; returns how many were written. */
size_t ua_state_call_ids(const ua_state_t *s, int *ids, size_t max);

/* Derived phone state, and the questions the push decision table asks. */
ua_phone_state_t ua_state_phone(const ua_state_t *s);
bool ua_state_call_alerting(const ua_state_t *s);  /* an incoming call rings */
bool ua_state_call_active(const ua_state_t *s);    /* on a call (active) */
bool ua_state_soft_hold(const ua_state_t *s);      /* a call held, none active */
bool ua_state_busy(const ua_state_t *s);           /* any call at all */

/* UI-driven flags (the `state` command sets them for UIs and tests). */
void ua_state_set_text_entry(ua_state_t *s, ua_text_entry_t t);
ua_text_entry_t ua_state_text_entry(const ua_state_t *s);
void ua_state_set_local_procedure(ua_state_t *s, bool on);
bool ua_state_local_procedure(const ua_state_t *s);
void ua_state_set_audio_push(ua_state_t *s, bool playing);
bool ua_state_audio_push(const ua_state_t *s);

/* Stable lowercase names, used in JSON events and the status command. */
const char *ua_state_call_name(ua_call_state_t st);
const char *ua_state_phone_name(ua_phone_state_t st);
const char *ua_state_text_entry_name(ua_text_entry_t t);

#endif /* PN_UA_STATE_H */
