/*
 * status.h - the x-Push-Status codes of the Avaya push interface.
 *
 * Every answer of the Push Agent carries "x-Push-Status: CODE REASON"
 * (and the same value in x-Avaya-Push-Status for older initiators).  This
 * is the one table of the 16 codes: the reason phrase exactly as the
 * Avaya API guide prints it, the HTTP status that goes with it, and what
 * the code means for the person who sent the push (pnphone-push prints
 * that).  Pure data, no I/O.
 */
#ifndef PN_PUSH_STATUS_H
#define PN_PUSH_STATUS_H

#include <stdbool.h>
#include <stddef.h>

enum {
	PUSH_OK = 200,              /* Push Message Accepted */
	PUSH_DISABLED = 201,        /* TPSLIST empty */
	PUSH_INTERNAL = 202,        /* internal error, e.g. busy with a pull */
	PUSH_BACKGROUND = 204,      /* accepted, shown later */
	PUSH_NOT_PUSH_STATE = 205,  /* state refuses text */
	PUSH_NOT_AUDIO_STATE = 208, /* state refuses audio */
	PUSH_INVALID = 301,         /* not valid against the schema */
	PUSH_NOT_WELL_FORMED = 302,
	PUSH_NO_ELEMENT = 303,
	PUSH_BAD_ENCODING = 304,
	PUSH_BAD_ROOT = 305,
	PUSH_EMPTY_POST = 306,      /* method=post without postfield */
	PUSH_TOO_LARGE = 307,       /* over 5 KB */
	PUSH_SECURITY = 402,        /* href not trusted / not http(s) */
	PUSH_BAD_URI = 501,         /* href not a full URL, or too long */
	PUSH_SUB_UNAVAILABLE = 503, /* SUBSCRIBELIST empty or DoS minute */
};

/* The Avaya reason phrase (English, never translated: it goes on the
 * wire), or NULL for a code that is not in the table. */
const char *push_status_reason(int code);
/* The HTTP status line code sent with it (200, or 403 for 402). */
int push_status_http(int code);
/* What it means for the sender, translated (for pnphone-push). */
const char *push_status_meaning(int code);
/* Accepted by the phone (200, 204): pnphone-push exits 0. */
bool push_status_accepted(int code);

/* The table in order, for tests and documentation. */
size_t push_status_count(void);
int push_status_at(size_t i);

#endif /* PN_PUSH_STATUS_H */
