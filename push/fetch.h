/*
 * fetch.h - HTTP(S) requests on the su_root loop (libcurl multi).
 *
 * libcurl's multi interface with its sockets registered in the su_root
 * and its timer a su_timer, so a pull never blocks the loop.  Each
 * request is bounded: a body cap (the push content is at most 5 KB), a
 * total timeout, http and https only, no redirects (a redirect target
 * would escape the TPSLIST check).  The callback runs on the loop once
 * per request, and may start or cancel others.
 */
#ifndef PN_PUSH_FETCH_H
#define PN_PUSH_FETCH_H

#include <stddef.h>

#include <sofia-sip/su_wait.h>

typedef struct push_fetch push_fetch_t;
typedef struct push_xfer push_xfer_t;

typedef enum {
	PUSH_FETCH_OK = 0,        /* a response came (any HTTP status) */
	PUSH_FETCH_TOO_LARGE,     /* the body went over the cap */
	PUSH_FETCH_FAILED,        /* no response: ERR says why */
} push_fetch_result_t;

/* BODY is NUL-terminated (LEN bytes), valid during the call only. */
typedef void push_fetch_done_f(void *arg, push_fetch_result_t r,
			       long http_status, const char *body, size_t len,
			       const char *err);

push_fetch_t *push_fetch_new(su_root_t *root);
/* Cancels what is running, without callbacks. */
void push_fetch_free(push_fetch_t *f);

/* GET URL, or POST FORM (application/x-www-form-urlencoded) when FORM is
 * not NULL.  NULL on failure (no callback then). */
push_xfer_t *push_fetch_start(push_fetch_t *f, const char *url,
			      const char *form, size_t max_body,
			      long timeout_ms, push_fetch_done_f *cb,
			      void *arg);
/* Why the last push_fetch_start() returned NULL (libcurl could not be
 * loaded, say), or "" when it does not know. */
const char *push_fetch_error(const push_fetch_t *f);
/* No callback after this. */
void push_fetch_cancel(push_xfer_t *x);
/* A header of X's answer (the last one of that NAME, any case), or NULL;
 * only inside X's callback (the gateway reads x-Push-Status). */
const char *push_fetch_header(push_xfer_t *x, const char *name);

#endif /* PN_PUSH_FETCH_H */
