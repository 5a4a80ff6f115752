/*
 * api.h - the Volt MX "Events Push Payload" API: the request of
 * POST /vpns/service/eventpushmessage, in XML or JSON, and its
 * messageResponse in the same format, with the exact codes and
 * descriptions of the API guide.
 *
 * Request (JSON; XML has the same names as elements, and subscriber and
 * key may carry their fields as attributes):
 *   {"event": {"eventid": "1",
 *              "eventNamePairs": {"key": [{"name": .., "content": ..}]},
 *              "message": {"subscribers": {"subscriber":
 *                              [{"ksid": .., "ufid": .., "deviceId": ..}]},
 *                          "content": {"mimeType": "text/plain",
 *                                      "priorityService": "false",
 *                                      "data": ".."}}}}
 * eventid and ksid may be strings or numbers, priorityService a boolean
 * or "true"/"false"; subscriber and key may be one object instead of an
 * array; unknown members are ignored.  Anything else is 400: not UTF-8
 * JSON / well-formed XML (parsed as push/msg.h does: no DOCTYPE, no
 * entities, no network), wrong types, a missing eventid, subscriber,
 * ksid, content or mimeType, no subscriber, more than MAX_SUBS, strings
 * over their limits.  Pure: no I/O.
 */
#ifndef PN_PUSHD_API_H
#define PN_PUSHD_API_H

#include <stdbool.h>
#include <stddef.h>

#include "pushd/tmpl.h"

#define PUSHD_API_STR_MAX 1024      /* ids, names, pair contents */
#define PUSHD_API_DATA_MAX 4096     /* content.data */
#define PUSHD_API_PAIRS_MAX 64

typedef enum { PUSHD_XML = 0, PUSHD_JSON } pushd_fmt_t;

typedef struct pushd_sub_ref {
	char *ksid;             /* as given ("12", or "x" - then invalid) */
	char *ufid;             /* NULL when not given */
	char *device_id;
	bool numeric;           /* ksid was a JSON number */
} pushd_sub_ref_t;

typedef struct pushd_req {
	char *eventid;
	pushd_pair_t *pairs;
	size_t npairs;
	pushd_sub_ref_t *subs;
	size_t nsubs;
	char *mime;
	bool priority;          /* priorityService */
	char *data;             /* NULL when not given */
} pushd_req_t;

/* The format of a request: its Content-Type (text/xml, application/xml,
 * application/json, +json, +xml); for another or none, a body that
 * starts with '{' is JSON, anything else XML.  *KNOWN: the type was one
 * of those. */
pushd_fmt_t pushd_api_format(const char *ctype, const char *body,
			     size_t len, bool *known);

/* 0 and *OUT, or 400 and WHY (English, for the log). */
int pushd_api_parse(pushd_fmt_t f, const char *body, size_t len,
		    size_t max_subs, pushd_req_t **out, char *why,
		    size_t whysz);
void pushd_req_free(pushd_req_t *r);

/* The description of CODE in format F, exactly as the API guide prints
 * it (the 400 text differs between XML and JSON by a trailing space). */
const char *pushd_api_description(pushd_fmt_t f, int code);

/* The messageResponse: CODE, its description, for 200 MSG_ID (-1: none
 * valid) and the INVALID subscribers.  malloc'd, *LEN bytes; NULL on
 * ENOMEM. */
char *pushd_api_render(pushd_fmt_t f, int code, long long msg_id,
		       const pushd_sub_ref_t *const *invalid, size_t ninvalid,
		       size_t *len);

/* S with XML's five special characters escaped; malloc'd, NULL on
 * ENOMEM. */
char *pushd_api_escape(const char *s);

/* The Content-Type of answers in F. */
const char *pushd_api_ctype(pushd_fmt_t f);

#endif /* PN_PUSHD_API_H */
