/*
 * status.h - the catalogue of SIP response codes, explained for users.
 *
 * Every code of the response-code tables pnphone was seeded with (1xx to
 * 6xx, RFC 3261 and later RFCs) has an entry: the reason phrase as on the
 * wire, a one-line explanation of what it means for the person using the
 * phone, a hint of what to check, and what pnphone does about it.  Every
 * failure shown to the user carries it, e.g.
 *
 *   registration failed: 403 Forbidden — the server refused these
 *   credentials; check account.user and account.password
 *
 * The text fields are marked N_() for translation; the reason phrase is
 * protocol text and is never translated.
 */
#ifndef PN_UA_STATUS_H
#define PN_UA_STATUS_H

#include <stddef.h>

typedef struct ua_status {
	int code;
	const char *reason;   /* reason phrase, as on the wire */
	const char *explain;  /* what it means for the user */
	const char *hint;     /* what to check; may be "" */
	const char *action;   /* what pnphone does when it receives it */
} ua_status_t;

/* The entry for CODE, or NULL when the catalogue has none. */
const ua_status_t *ua_status_find(int code);
/* The entry for CODE, or the generic entry of its class (x00-x99) when
 * there is no exact one; NULL only outside 100-699. */
const ua_status_t *ua_status_lookup(int code);
/* Reason phrase for CODE ("Unknown" outside the catalogue's classes). */
const char *ua_status_reason(int code);

/*
 * "CODE REASON — explanation; hint" into BUF (always NUL-terminated).
 * WIRE_REASON, when not NULL and not empty, is the phrase the peer sent
 * and is shown instead of the catalogue's.  Returns the length that the
 * full text needs, as snprintf does.
 */
int ua_status_format(char *buf, size_t size, int code, const char *wire_reason);

/* Iteration in ascending code order, for --explain all and tests. */
size_t ua_status_count(void);
const ua_status_t *ua_status_at(size_t i);

#endif /* PN_UA_STATUS_H */
