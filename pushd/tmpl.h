/*
 * tmpl.h - the text of an event: "{name}" placeholders of the template
 * take the values of the request's eventNamePairs.
 *
 * A placeholder is '{', a name of 1..64 bytes without braces, '}'.  A
 * name the request does not give stays as written, so a missing pair is
 * visible rather than silently blank; "{{" is a literal '{'.  The result
 * is cut at MAX bytes, on a UTF-8 character boundary.  Pure, no I/O.
 */
#ifndef PN_PUSHD_TMPL_H
#define PN_PUSHD_TMPL_H

#include <stddef.h>

typedef struct pushd_pair {
	char *name;
	char *content;
} pushd_pair_t;

/* malloc'd, or NULL on ENOMEM. */
char *pushd_tmpl_fill(const char *tmpl, const pushd_pair_t *pairs,
		      size_t n, size_t max);
/* Cut S in place to at most MAX characters (code points). */
void pushd_utf8_cut_chars(char *s, size_t max);

#endif /* PN_PUSHD_TMPL_H */
