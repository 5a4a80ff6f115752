/*
 * conf.h - the key = value configuration of pnphone.
 *
 * One syntax for the local file and for provisioned files: one
 * "key = value" a line, '#' starts a comment (whole line, or after
 * whitespace), blank lines ignored, surrounding whitespace trimmed.
 * Every key is declared in a table (conf/keys.c) with its type, default,
 * limits and a one-line description; an unknown key or a bad value is an
 * error naming the source, the line and the key.
 *
 * Loading is all or nothing: a file is parsed and validated into a copy and
 * only a fully valid result replaces the current values, so a bad file
 * never leaves a half-applied configuration.  conf_save() writes a
 * temporary file and renames it, so a crash never leaves a torn file.
 *
 * Lists (sip.listen, account.registrar, call.codecs) are comma separated.
 */
#ifndef PN_CONF_H
#define PN_CONF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct conf conf_t;

/* The value types of the key table. */
typedef enum {
	CONF_STRING,  /* any text */
	CONF_BOOL,    /* on/off, yes/no, true/false, 1/0 */
	CONF_UINT,    /* decimal, within [min, max] */
	CONF_ENUM,    /* one word of a fixed set */
	CONF_LIST,    /* comma-separated words of a fixed set, no repeats */
	CONF_URI,     /* sip: or sips: URI, or empty */
	CONF_URIS,    /* comma-separated sip:/sips: URIs */
	CONF_LISTEN,  /* comma-separated udp:HOST:PORT or tcp:HOST:PORT */
} conf_type_t;

typedef struct conf_key {
	const char *name;
	conf_type_t type;
	const char *def;      /* default, as it would be written in the file */
	unsigned min, max;    /* CONF_UINT bounds */
	const char *words;    /* CONF_ENUM/CONF_LIST: "a|b|c" */
	const char *help;     /* one line, for README and --help-keys */
} conf_key_t;

/* A configuration holding every key at its default. NULL on ENOMEM. */
conf_t *conf_new(void);
void conf_free(conf_t *c);

/*
 * The same, over another program's table of N keys (pnphone-pushd has
 * its own); KEYS must outlive the configuration.  conf_new() is this
 * with the phone's table (conf_key_at).  A key name may have one '*'
 * label, "event.*.name": it declares that key for every id (1..64
 * letters, digits, '-', '_'), so "event.7.name" and "event.sale.name"
 * are both keys, with the entry's type, limits and default.  The typed
 * accessors take such names too; an id never given reads as the
 * default.  The cross-key rules are the phone's (they name phone keys,
 * so another table has none).
 */
conf_t *conf_new_table(const conf_key_t *keys, size_t n);
/* The ids given in SECTION ("event" for event.*.KEY), each once, in
 * order of first appearance.  conf_id_at: 0, or -1 when I is past the
 * end or the id does not fit in BUF. */
size_t conf_id_count(const conf_t *c, const char *section);
int conf_id_at(const conf_t *c, const char *section, size_t i, char *buf,
	       size_t size);
/* The table C was made with (for --keys listings of other programs). */
size_t conf_table_count(const conf_t *c);
const conf_key_t *conf_table_at(const conf_t *c, size_t i);

/*
 * Parse a file (or a buffer named NAME in messages) over the current
 * values.  0 on success.  -1 on error: C is unchanged and ERR holds
 * "NAME:LINE: KEY: what is wrong" (or "NAME: why" when it cannot be read).
 */
int conf_load_file(conf_t *c, const char *path, char *err, size_t errsz);
int conf_load_buffer(conf_t *c, const char *name, const char *buf, size_t len,
		     char *err, size_t errsz);

/* Set one key from text, validated as in a file.  -1 and ERR on error. */
int conf_set(conf_t *c, const char *key, const char *value,
	     char *err, size_t errsz);

/* Typed access.  KEY must be declared; an undeclared key is a programming
 * error and returns "" / false / 0. */
const char *conf_str(const conf_t *c, const char *key);
bool conf_bool(const conf_t *c, const char *key);
unsigned conf_uint(const conf_t *c, const char *key);
/* List items of a list-valued key (CONF_LIST, CONF_URIS, CONF_LISTEN). */
size_t conf_list_count(const conf_t *c, const char *key);
const char *conf_list_item(const conf_t *c, const char *key, size_t i);
/* Was KEY given explicitly (file or conf_set), rather than defaulted? */
bool conf_is_set(const conf_t *c, const char *key);

/* Atomic save of every explicitly set key (temporary file + rename). */
int conf_save(const conf_t *c, const char *path, char *err, size_t errsz);

/* The key table, for documentation and iteration. */
size_t conf_key_count(void);
const conf_key_t *conf_key_at(size_t i);
const conf_key_t *conf_key_find(const char *name);

#endif /* PN_CONF_H */
