/*
 * form.h - the push message out of an HTTP request body.
 *
 * Initiators send the push message in the form field XMLData
 * (application/x-www-form-urlencoded, as Avaya's guide and real
 * initiators do).  A raw XML body (Content-Type text/xml or
 * application/xml, or a body that starts with '<') is accepted too.
 * multipart/form-data is decoded by the HTTP layer (push/http.c, with
 * libmicrohttpd's post processor) and does not come here.
 *
 * The URL decoding is strict: '+' is a space, %HH must be two hex
 * digits; anything else is a broken form.  Pure, no I/O.
 */
#ifndef PN_PUSH_FORM_H
#define PN_PUSH_FORM_H

#include <stddef.h>

/*
 * 0 and *OUT (malloc'd, NUL-terminated, *OUTLEN bytes) holding the push
 * message; or an x-Push-Status code: 303 when there is no XMLData field
 * (or it is empty), 302 when the URL encoding is broken, 202 on ENOMEM.
 * CTYPE may be NULL.
 */
int push_form_xmldata(const char *ctype, const char *body, size_t len,
		      char **out, size_t *outlen);

/* Append NAME=VALUE, URL-encoded, to the '&'-separated form in BUF
 * (BUFSZ bytes, NUL-terminated).  -1 when it does not fit. */
int push_form_append(char *buf, size_t bufsz, const char *name,
		     const char *value);

#endif /* PN_PUSH_FORM_H */
