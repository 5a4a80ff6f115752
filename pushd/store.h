/*
 * store.h - the gateway's store: subscribers, messages, deliveries and
 * every delivery attempt, in one SQLite file.
 *
 * Every write is one transaction (a message and all its deliveries go in
 * together, or nothing does), in WAL mode, so a crash or a kill -9 loses
 * nothing that was committed: what a client was told (a msgId) or what
 * the status shows is on disk.  A store is never created implicitly: a
 * missing file, a file that is not a pnphone-pushd store, a newer schema
 * or a failed integrity check are reported and the file is left alone
 * (pushd_store_open with CREATE makes a new one, and refuses to touch an
 * existing file).
 *
 * Subscribers are keyed by (deviceId, ufid) - the phone's MAC and its
 * extension - so a phone that subscribes again keeps its ksid and only
 * its address is updated.  Delivery states: queued (waiting or being
 * tried), delivered (x-Push-Status 200/204), refused (another final
 * x-Push-Status, e.g. 205), failed (no answer, 5xx or 202 after the
 * last retry).
 *
 * Calls are synchronous (SQLite is a local file; a busy database waits at
 * most busy_ms) and run on the gateway's loop.
 */
#ifndef PN_PUSHD_STORE_H
#define PN_PUSHD_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

typedef struct pushd_store pushd_store_t;

typedef struct pushd_subscriber {
	long long ksid;
	char ufid[128];          /* extension */
	char device_id[64];      /* MAC */
	char ip[64];
	unsigned port;           /* the phone's Push Agent port */
	char set_id[32];
} pushd_subscriber_t;

typedef struct pushd_message {
	long long msg_id;
	char event_id[72];
	bool display;            /* else topline */
	bool barge;
	int alert;
	char *title;             /* malloc'd, may be "" */
	char *text;              /* malloc'd */
	long long created;       /* wall-clock ms */
} pushd_message_t;

/* One delivery still to be done (queued), for a restart. */
typedef void pushd_store_pending_f(void *arg, long long msg_id,
				   long long ksid, int attempts);

/* SYNC_FULL: fsync at every commit (survives power loss, slower); else
 * WAL's "normal" (survives any crash of the process). */
pushd_store_t *pushd_store_open(const char *path, bool create,
				bool sync_full, unsigned busy_ms,
				char *err, size_t errsz);
void pushd_store_close(pushd_store_t *s);
/* The last SQLite error, for logs. */
const char *pushd_store_error(const pushd_store_t *s);

/* Insert or update the subscriber (DEVICE_ID, UFID).  0 and *KSID (and
 * *CREATED), or -1. */
int pushd_store_subscribe(pushd_store_t *s, const pushd_subscriber_t *sub,
			  long long *ksid, bool *created);
/* 1 found (*OUT filled), 0 not found, -1 error. */
int pushd_store_subscriber(pushd_store_t *s, long long ksid,
			   pushd_subscriber_t *out);
size_t pushd_store_subscriber_count(pushd_store_t *s);

/* The message and one queued delivery per KSIDS[i], in one transaction.
 * M->msg_id is set.  0 or -1 (nothing written). */
int pushd_store_message_add(pushd_store_t *s, pushd_message_t *m,
			    const long long *ksids, size_t n);
/* 1 found (*OUT filled; free with pushd_message_clear), 0, -1. */
int pushd_store_message_get(pushd_store_t *s, long long msg_id,
			    pushd_message_t *out);
void pushd_message_clear(pushd_message_t *m);

/* One attempt's outcome: HTTP status (0: none), x-Push-Status (0: none),
 * ERROR (NULL: none) and the delivery's new STATE ("queued",
 * "delivered", "refused", "failed").  0 or -1. */
int pushd_store_attempt(pushd_store_t *s, long long msg_id, long long ksid,
			int n, int http, int push_status, const char *error,
			const char *state);
/* The phone pulled the content. */
int pushd_store_pulled(pushd_store_t *s, long long msg_id, long long ksid);
/* Every queued delivery, oldest message first.  0 or -1. */
int pushd_store_pending(pushd_store_t *s, pushd_store_pending_f *cb,
			void *arg);

/* The message, its deliveries and their attempts as a JSON object (the
 * answer of GET /vpns/service/message/MSGID); NULL and *FOUND false when
 * there is no such message, NULL and *FOUND true on error. */
json_t *pushd_store_status(pushd_store_t *s, long long msg_id, bool *found);

#endif /* PN_PUSHD_STORE_H */
