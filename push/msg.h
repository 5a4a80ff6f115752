/*
 * msg.h - the push message (<Push>) and the push content (<Response>,
 * or a display page), parsed safely and checked against etc/push.xsd.
 *
 * libxml2 is used with no network (XML_PARSE_NONET), no entity
 * substitution, no DTD loading; a push message with a document type
 * declaration is refused outright (the parser is stopped at the DOCTYPE,
 * before any entity is declared), and a pulled page may name a DTD
 * (WML pages do) but may not declare entities.  So XXE and "billion
 * laughs" documents cost nothing.  The schema is compiled into the
 * program (push/schema.c is generated from etc/push.xsd) and parsed
 * once into a push_schema_t.
 *
 * push_msg_parse answers with the x-Push-Status code of the message
 * itself: 200 (then *OUT is set), 302, 303, 304, 305, 301, 306, 307.
 * The href is not judged here (push/tps.h does that: 501, 402).
 */
#ifndef PN_PUSH_MSG_H
#define PN_PUSH_MSG_H

#include <stdbool.h>
#include <stddef.h>

#define PUSH_MSG_MAX 5120         /* push message and content: 5 KB */
#define PUSH_TOPLINE_MAX 312      /* characters */
#define PUSH_DISPLAY_MAX 2048     /* bytes of page text kept */

typedef enum {
	PUSH_TYPE_DISPLAY = 0,
	PUSH_TYPE_TOPLINE,
	PUSH_TYPE_AUDIO,
	PUSH_TYPE_SUBSCRIBE,
} push_type_t;

typedef enum { PUSH_MODE_NORMAL = 0, PUSH_MODE_BARGE } push_mode_t;

typedef struct push_schema push_schema_t;

typedef struct push_msg {
	push_type_t type;
	push_mode_t mode;
	int alert;             /* 0..3 ring pings */
	bool post;             /* method="post" */
	char *href;
	char *form;            /* postfields, URL-encoded "a=1&b=2", or "" */
} push_msg_t;

typedef struct push_content {
	push_type_t type;
	char *text;            /* topline text, display page text, prompt */
	char *title;           /* display: the card title, or NULL */
	/* audio */
	bool stop;             /* RTPRx://STOP */
	bool pcma;             /* codec PCMA (default PCMU) */
	int packetsize;        /* ms, default 40 */
	int timer;             /* AudioTimer seconds, 5..30, default 20 */
	char *rtp_host;        /* RTPRx://HOST:PORT */
	int rtp_port;
	/* subscribe */
	bool sub_all;          /* type="all" (else "me") */
	char *sub_url;
} push_content_t;

/* NULL and ERR on failure (the embedded schema does not compile). */
push_schema_t *push_schema_new(char *err, size_t errsz);
void push_schema_free(push_schema_t *sc);

/* WHY (may be NULL) gets a one-line English reason on failure. */
int push_msg_parse(push_schema_t *sc, const char *xml, size_t len,
		   push_msg_t **out, char *why, size_t whysz);
void push_msg_free(push_msg_t *m);
/* A copy of M, or NULL on ENOMEM. */
push_msg_t *push_msg_dup(const push_msg_t *m);

/* The pulled content of a push of TYPE.  Same codes as push_msg_parse
 * (305: the root is not <Response>; 301: not valid). */
int push_content_parse(push_schema_t *sc, push_type_t type, const char *xml,
		       size_t len, push_content_t **out, char *why,
		       size_t whysz);
void push_content_free(push_content_t *c);

/* The same safe parse for another XML document of LEN <= MAX bytes (the
 * gateway's event requests): no network, no entities, no DOCTYPE, one
 * root element, a known encoding.  The document (xmlFreeDoc), or NULL
 * and WHY. */
struct _xmlDoc;
struct _xmlDoc *push_xml_parse(const char *buf, size_t len, size_t max,
			       char *why, size_t whysz);

const char *push_type_name(push_type_t t);
const char *push_mode_name(push_mode_t m);

#endif /* PN_PUSH_MSG_H */
