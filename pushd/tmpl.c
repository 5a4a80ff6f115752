/*
 * tmpl.c - placeholder substitution.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pushd/tmpl.h"

#define NAME_MAX_LEN 64

typedef struct buf {
	char *p;
	size_t len, max;
	int full;
} buf_t;

static void put(buf_t *b, const char *s, size_t n)
{
	if (b->full)
		return;
	if (b->len + n > b->max) {
		n = b->max - b->len;
		b->full = 1;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* LEN, or less so that S does not end inside a character. */
static size_t utf8_complete(const char *s, size_t len)
{
	size_t i, need;
	unsigned char c;

	if (len == 0)
		return 0;
	i = len - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	c = (unsigned char)s[i];
	need = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
		: 4;
	return i + need > len ? i : len;
}

static const char *lookup(const pushd_pair_t *pairs, size_t n,
			  const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(pairs[i].name) == len &&
		    memcmp(pairs[i].name, name, len) == 0)
			return pairs[i].content;
	return NULL;
}

char *pushd_tmpl_fill(const char *tmpl, const pushd_pair_t *pairs,
		      size_t n, size_t max)
{
	buf_t b = { .p = malloc(max + 1), .max = max };
	const char *s = tmpl;

	if (!b.p)
		return NULL;
	while (*s && !b.full) {
		const char *close, *v;

		if (s[0] == '{' && s[1] == '{') {
			put(&b, "{", 1);
			s += 2;
			continue;
		}
		close = s[0] == '{' ? strpbrk(s + 1, "{}") : NULL;
		if (close && *close == '}' && close - s - 1 >= 1 &&
		    close - s - 1 <= NAME_MAX_LEN &&
		    (v = lookup(pairs, n, s + 1, (size_t)(close - s - 1)))) {
			put(&b, v, strlen(v));
			s = close + 1;
			continue;
		}
		put(&b, s, 1);
		s++;
	}
	/* a cut in the middle of a character would be invalid UTF-8 */
	if (b.full)
		b.len = utf8_complete(b.p, b.len);
	b.p[b.len] = '\0';
	return b.p;
}

void pushd_utf8_cut_chars(char *s, size_t max)
{
	size_t chars = 0;

	for (char *p = s; *p; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;
		if (chars++ == max) {
			*p = '\0';
			return;
		}
	}
}
