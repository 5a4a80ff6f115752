/*
 * state.c - the phone state: call appearances and UI flags.
 *
 * Live calls sit in calls[0..ncalls-1] in insertion order (oldest first);
 * removing one shifts the newer ones down, so the order never changes.
 * A live call is never UA_CALL_IDLE: that value means "no such call" and
 * is what ua_state_call_get answers for an unknown id.
 *
 * Ids come from a counter that only goes up, so an id is not reused while
 * the phone runs and a late event for an ended call cannot reach a newer
 * one.  After ID_LIMIT - 1 calls the counter starts again at 1 (skipping
 * ids still live); that is far from INT_MAX and keeps ids short enough to
 * type in the CLI.
 */
#include <stdlib.h>

#include "ua/state.h"

/* Ids are 1 .. ID_LIMIT - 1. */
#define ID_LIMIT 1000000

struct ua_call_slot {
	int id;
	ua_call_state_t st;
};

struct ua_state {
	struct ua_call_slot calls[UA_STATE_MAX_CALLS];
	size_t ncalls;
	int next_id;
	ua_text_entry_t text_entry;
	bool local_procedure;
	bool audio_push;
};

/* A state a live call may be in (everything but IDLE and garbage). */
static bool call_state_live(ua_call_state_t st)
{
	switch (st) {
	case UA_CALL_DIALING:
	case UA_CALL_RINGING:
	case UA_CALL_EARLY:
	case UA_CALL_ACTIVE:
	case UA_CALL_HELD:
		return true;
	case UA_CALL_IDLE:
		return false;
	}
	return false;
}

static bool text_entry_valid(ua_text_entry_t t)
{
	switch (t) {
	case UA_TEXT_ENTRY_NONE:
	case UA_TEXT_ENTRY_WEB:
	case UA_TEXT_ENTRY_OTHER:
		return true;
	}
	return false;
}

/* Index of call ID in s->calls, or -1. */
static int find_call(const ua_state_t *s, int id)
{
	if (s == NULL || id <= 0)
		return -1;
	for (size_t i = 0; i < s->ncalls; i++)
		if (s->calls[i].id == id)
			return (int)i;
	return -1;
}

static bool any_call_in(const ua_state_t *s, ua_call_state_t st)
{
	if (s == NULL)
		return false;
	for (size_t i = 0; i < s->ncalls; i++)
		if (s->calls[i].st == st)
			return true;
	return false;
}

ua_state_t *ua_state_new(void)
{
	ua_state_t *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->next_id = 1;
	s->text_entry = UA_TEXT_ENTRY_NONE;
	return s;
}

void ua_state_free(ua_state_t *s)
{
	free(s);
}

int ua_state_call_add(ua_state_t *s, ua_call_state_t initial)
{
	int id;

	if (s == NULL || !call_state_live(initial) ||
	    s->ncalls >= UA_STATE_MAX_CALLS)
		return 0;
	/* At most UA_STATE_MAX_CALLS - 1 ids are live here, so this ends. */
	do {
		id = s->next_id;
		s->next_id = id + 1 >= ID_LIMIT ? 1 : id + 1;
	} while (find_call(s, id) >= 0);
	s->calls[s->ncalls].id = id;
	s->calls[s->ncalls].st = initial;
	s->ncalls++;
	return id;
}

bool ua_state_call_set(ua_state_t *s, int id, ua_call_state_t st)
{
	int i = find_call(s, id);

	if (i < 0 || !call_state_live(st))
		return false;
	s->calls[i].st = st;
	return true;
}

bool ua_state_call_remove(ua_state_t *s, int id)
{
	int i = find_call(s, id);

	if (i < 0)
		return false;
	for (size_t j = (size_t)i; j + 1 < s->ncalls; j++)
		s->calls[j] = s->calls[j + 1];
	s->ncalls--;
	s->calls[s->ncalls].id = 0;
	s->calls[s->ncalls].st = UA_CALL_IDLE;
	return true;
}

ua_call_state_t ua_state_call_get(const ua_state_t *s, int id)
{
	int i = find_call(s, id);

	return i < 0 ? UA_CALL_IDLE : s->calls[i].st;
}

size_t ua_state_call_count(const ua_state_t *s)
{
	return s == NULL ? 0 : s->ncalls;
}

size_t ua_state_call_ids(const ua_state_t *s, int *ids, size_t max)
{
	size_t n;

	if (s == NULL || ids == NULL)
		return 0;
	n = s->ncalls < max ? s->ncalls : max;
	for (size_t i = 0; i < n; i++)
		ids[i] = s->calls[i].id;
	return n;
}

ua_phone_state_t ua_state_phone(const ua_state_t *s)
{
	if (any_call_in(s, UA_CALL_RINGING))
		return UA_PHONE_RINGING;
	if (any_call_in(s, UA_CALL_ACTIVE))
		return UA_PHONE_IN_CALL;
	if (any_call_in(s, UA_CALL_HELD))
		return UA_PHONE_ON_HOLD;
	if (any_call_in(s, UA_CALL_EARLY))
		return UA_PHONE_EARLY;
	if (any_call_in(s, UA_CALL_DIALING))
		return UA_PHONE_DIALING;
	return UA_PHONE_IDLE;
}

bool ua_state_call_alerting(const ua_state_t *s)
{
	return any_call_in(s, UA_CALL_RINGING);
}

bool ua_state_call_active(const ua_state_t *s)
{
	return any_call_in(s, UA_CALL_ACTIVE);
}

bool ua_state_soft_hold(const ua_state_t *s)
{
	return any_call_in(s, UA_CALL_HELD) && !any_call_in(s, UA_CALL_ACTIVE);
}

bool ua_state_busy(const ua_state_t *s)
{
	return ua_state_call_count(s) > 0;
}

void ua_state_set_text_entry(ua_state_t *s, ua_text_entry_t t)
{
	if (s != NULL && text_entry_valid(t))
		s->text_entry = t;
}

ua_text_entry_t ua_state_text_entry(const ua_state_t *s)
{
	return s == NULL ? UA_TEXT_ENTRY_NONE : s->text_entry;
}

void ua_state_set_local_procedure(ua_state_t *s, bool on)
{
	if (s != NULL)
		s->local_procedure = on;
}

bool ua_state_local_procedure(const ua_state_t *s)
{
	return s != NULL && s->local_procedure;
}

void ua_state_set_audio_push(ua_state_t *s, bool playing)
{
	if (s != NULL)
		s->audio_push = playing;
}

bool ua_state_audio_push(const ua_state_t *s)
{
	return s != NULL && s->audio_push;
}

/* These names are protocol (JSON events), not user text: no _(). */
const char *ua_state_call_name(ua_call_state_t st)
{
	switch (st) {
	case UA_CALL_IDLE:    return "idle";
	case UA_CALL_DIALING: return "dialing";
	case UA_CALL_RINGING: return "ringing";
	case UA_CALL_EARLY:   return "early";
	case UA_CALL_ACTIVE:  return "active";
	case UA_CALL_HELD:    return "held";
	}
	return "unknown";
}

const char *ua_state_phone_name(ua_phone_state_t st)
{
	switch (st) {
	case UA_PHONE_IDLE:    return "idle";
	case UA_PHONE_DIALING: return "dialing";
	case UA_PHONE_RINGING: return "ringing";
	case UA_PHONE_EARLY:   return "early";
	case UA_PHONE_IN_CALL: return "in_call";
	case UA_PHONE_ON_HOLD: return "on_hold";
	}
	return "unknown";
}

const char *ua_state_text_entry_name(ua_text_entry_t t)
{
	switch (t) {
	case UA_TEXT_ENTRY_NONE:  return "none";
	case UA_TEXT_ENTRY_WEB:   return "web";
	case UA_TEXT_ENTRY_OTHER: return "other";
	}
	return "unknown";
}
