/*
 * event.h - what the phone tells its user or the script driving it.
 *
 * Every observable happening (registered, call_incoming, error, ...) goes
 * through ua_event_emit() once.  With --json it becomes one JSON object a
 * line, {"event":NAME, ...fields}, whose field names never change with the
 * language; without it, the human-readable TEXT.  Each line is handed
 * over at once because scripts read it through a pipe.
 */
#ifndef PN_UA_EVENT_H
#define PN_UA_EVENT_H

#include <stdbool.h>
#include <stdio.h>

typedef struct ua_event ua_event_t;

struct su_root_s;

/* OUT is not closed by ua_event_free. NULL on ENOMEM. */
ua_event_t *ua_event_new(FILE *out, bool json);
/* ua_event_detach first, when attached. */
void ua_event_free(ua_event_t *ev);
/*
 * Never block the loop on a slow reader: when OUT is a pipe, socket or
 * file (not a terminal), its descriptor becomes non-blocking (restored by
 * ua_event_free) and lines wait in a queue, written as ROOT sees the
 * descriptor writable.  Past 256 KiB waiting, new lines are dropped and
 * counted; once the queue has drained, one line says how many:
 * {"event":"events_dropped","count":N}.  -1 when the descriptor's flags
 * cannot be changed.
 */
int ua_event_attach(ua_event_t *ev, struct su_root_s *root);
/* Before ROOT goes: lines the reader has not taken yet are handed over
 * for up to a second (then dropped), and the descriptor blocks again. */
void ua_event_detach(ua_event_t *ev);
bool ua_event_json(const ua_event_t *ev);

/*
 * Emit event NAME.  TEXT is the human line (already translated).  FMT is
 * a jansson json_pack() format for an object of extra fields, e.g.
 * "{s:i, s:s}", "code", 200, "reason", "OK"; NULL for none.  A field
 * whose value is NULL is left out with the "s*" / "o*" forms.
 */
void ua_event_emit(ua_event_t *ev, const char *name, const char *text,
		   const char *fmt, ...);

/*
 * Make S valid UTF-8 in place: each byte that does not belong to a
 * well-formed UTF-8 sequence becomes '?'.  For text from the network
 * (reason phrases, URIs), which JSON could not carry otherwise.  NULL is
 * fine.
 */
void ua_event_fix_utf8(char *s);

#endif /* PN_UA_EVENT_H */
