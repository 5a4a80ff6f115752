/*
 * decide.c - the decision table (Avaya push interface, "pushable
 * states"): one row a rule, read top to bottom, first match wins.
 */
#include "config.h"

#include <stddef.h>

#include "push/decide.h"
#include "push/status.h"

typedef enum {
	WHEN_LOCAL_PROCEDURE,
	WHEN_TEXT_WEB,
	WHEN_TEXT_OTHER,
	WHEN_TEXT_ANY,
	WHEN_ALERTING,
	WHEN_ACTIVE,
	WHEN_SOFT_HOLD,
	WHEN_AUDIO_PLAYING,
} when_t;

#define ANY_TYPE -1
#define ANY_MODE -1

static const struct row {
	int type;      /* push_type_t or ANY_TYPE */
	int mode;      /* push_mode_t or ANY_MODE */
	when_t when;
	int code;
	const char *why;
} table[] = {
	/* type               mode              when                   code */
	{ PUSH_TYPE_AUDIO,    ANY_MODE,         WHEN_LOCAL_PROCEDURE,  208,
	  "a local procedure is running" },
	{ ANY_TYPE,           ANY_MODE,         WHEN_LOCAL_PROCEDURE,  205,
	  "a local procedure is running" },
	{ PUSH_TYPE_DISPLAY,  PUSH_MODE_NORMAL, WHEN_TEXT_WEB,         205,
	  "a Web text-entry screen is open" },
	{ PUSH_TYPE_DISPLAY,  PUSH_MODE_NORMAL, WHEN_TEXT_OTHER,       204,
	  "another application is in text entry: the page is kept" },
	{ PUSH_TYPE_TOPLINE,  PUSH_MODE_NORMAL, WHEN_TEXT_ANY,         205,
	  "a text-entry screen is open" },
	{ PUSH_TYPE_TOPLINE,  PUSH_MODE_NORMAL, WHEN_ALERTING,         205,
	  "a call is ringing" },
	{ PUSH_TYPE_TOPLINE,  PUSH_MODE_NORMAL, WHEN_SOFT_HOLD,        205,
	  "a call is on hold" },
	{ PUSH_TYPE_AUDIO,    PUSH_MODE_NORMAL, WHEN_ALERTING,         208,
	  "a call is ringing" },
	{ PUSH_TYPE_AUDIO,    PUSH_MODE_NORMAL, WHEN_ACTIVE,           208,
	  "the phone is on a call" },
	{ PUSH_TYPE_AUDIO,    PUSH_MODE_NORMAL, WHEN_AUDIO_PLAYING,    208,
	  "pushed audio is already playing" },
};

static bool holds(when_t w, const push_phone_flags_t *f)
{
	switch (w) {
	case WHEN_LOCAL_PROCEDURE:
		return f->local_procedure;
	case WHEN_TEXT_WEB:
		return f->text_entry == PUSH_TEXT_WEB;
	case WHEN_TEXT_OTHER:
		return f->text_entry == PUSH_TEXT_OTHER;
	case WHEN_TEXT_ANY:
		return f->text_entry != PUSH_TEXT_NONE;
	case WHEN_ALERTING:
		return f->alerting;
	case WHEN_ACTIVE:
		return f->call_active;
	case WHEN_SOFT_HOLD:
		return f->soft_hold;
	case WHEN_AUDIO_PLAYING:
		return f->audio_playing;
	}
	return false;
}

int push_decide(push_type_t type, push_mode_t mode,
		const push_phone_flags_t *f, const char **why)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct row *r = &table[i];

		if ((r->type == ANY_TYPE || r->type == (int)type) &&
		    (r->mode == ANY_MODE || r->mode == (int)mode) &&
		    holds(r->when, f)) {
			if (why)
				*why = r->why;
			return r->code;
		}
	}
	if (why)
		*why = "the phone is in a pushable state";
	return PUSH_OK;
}
