/*
 * store.c - the gateway's SQLite store.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <sqlite3.h>

#include "pushd/store.h"

#define SCHEMA_VERSION "1"

static const char schema_sql[] =
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE subscribers ("
	" ksid INTEGER PRIMARY KEY AUTOINCREMENT,"
	" device_id TEXT NOT NULL, ufid TEXT NOT NULL,"
	" ip TEXT NOT NULL, port INTEGER NOT NULL, set_id TEXT NOT NULL,"
	" created INTEGER NOT NULL, updated INTEGER NOT NULL,"
	" UNIQUE (device_id, ufid));"
	"CREATE TABLE messages ("
	" msg_id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" event_id TEXT NOT NULL, type TEXT NOT NULL, barge INTEGER NOT NULL,"
	" alert INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL,"
	" created INTEGER NOT NULL);"
	"CREATE TABLE deliveries ("
	" msg_id INTEGER NOT NULL REFERENCES messages(msg_id),"
	" ksid INTEGER NOT NULL,"
	" state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
	" push_status INTEGER, http INTEGER, error TEXT,"
	" pulled INTEGER, updated INTEGER NOT NULL,"
	" PRIMARY KEY (msg_id, ksid));"
	"CREATE INDEX deliveries_state ON deliveries (state);"
	"CREATE TABLE attempts ("
	" msg_id INTEGER NOT NULL, ksid INTEGER NOT NULL, n INTEGER NOT NULL,"
	" at INTEGER NOT NULL, http INTEGER, push_status INTEGER, error TEXT,"
	" PRIMARY KEY (msg_id, ksid, n));"
	"INSERT INTO meta VALUES ('schema', '" SCHEMA_VERSION "');"
	"INSERT INTO meta VALUES ('program', 'pnphone-pushd');";

enum {
	Q_SUB_INSERT, Q_SUB_UPDATE, Q_SUB_KSID, Q_SUB_GET, Q_SUB_COUNT, Q_MSG_ADD,
	Q_DLV_ADD, Q_MSG_GET, Q_ATT_ADD, Q_DLV_SET, Q_PULLED, Q_PENDING,
	Q_DLV_LIST, Q_ATT_LIST, Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_COUNT
};

static const char *const queries[Q_COUNT] = {
	[Q_SUB_INSERT] =
	"INSERT INTO subscribers (device_id, ufid, ip, port, set_id, created,"
	" updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
	[Q_SUB_UPDATE] =
	"UPDATE subscribers SET ip = ?3, port = ?4, set_id = ?5, updated = ?6"
	" WHERE device_id = ?1 AND ufid = ?2",
	[Q_SUB_KSID] =
	"SELECT ksid FROM subscribers WHERE device_id = ?1 AND ufid = ?2",
	[Q_SUB_GET] =
	"SELECT ksid, ufid, device_id, ip, port, set_id FROM subscribers"
	" WHERE ksid = ?1",
	[Q_SUB_COUNT] = "SELECT count(*) FROM subscribers",
	[Q_MSG_ADD] =
	"INSERT INTO messages (event_id, type, barge, alert, title, text,"
	" created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[Q_DLV_ADD] =
	"INSERT OR IGNORE INTO deliveries (msg_id, ksid, state, updated)"
	" VALUES (?1, ?2, 'queued', ?3)",
	[Q_MSG_GET] =
	"SELECT msg_id, event_id, type, barge, alert, title, text, created"
	" FROM messages WHERE msg_id = ?1",
	[Q_ATT_ADD] =
	"INSERT OR REPLACE INTO attempts (msg_id, ksid, n, at, http,"
	" push_status, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[Q_DLV_SET] =
	"UPDATE deliveries SET state = ?3, attempts = ?4, http = ?5,"
	" push_status = ?6, error = ?7, updated = ?8"
	" WHERE msg_id = ?1 AND ksid = ?2",
	[Q_PULLED] =
	"UPDATE deliveries SET pulled = ?3 WHERE msg_id = ?1 AND ksid = ?2"
	" AND pulled IS NULL",
	[Q_PENDING] =
	"SELECT msg_id, ksid, attempts FROM deliveries WHERE state = 'queued'"
	" ORDER BY msg_id, ksid",
	[Q_DLV_LIST] =
	"SELECT d.ksid, s.ufid, s.device_id, d.state, d.attempts,"
	" d.http, d.push_status, d.error, d.pulled, d.updated"
	" FROM deliveries d LEFT JOIN subscribers s ON s.ksid = d.ksid"
	" WHERE d.msg_id = ?1 ORDER BY d.ksid",
	[Q_ATT_LIST] =
	"SELECT ksid, n, at, http, push_status, error FROM attempts"
	" WHERE msg_id = ?1 ORDER BY ksid, n",
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
};

struct pushd_store {
	sqlite3 *db;
	sqlite3_stmt *q[Q_COUNT];
	char err[256];
};

static long long now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void note(pushd_store_t *s)
{
	snprintf(s->err, sizeof(s->err), "%s", sqlite3_errmsg(s->db));
}

/* The statement, reset and unbound, ready for binding. */
static sqlite3_stmt *q(pushd_store_t *s, int i)
{
	sqlite3_reset(s->q[i]);
	sqlite3_clear_bindings(s->q[i]);
	return s->q[i];
}

static int exec_one(pushd_store_t *s, int i)
{
	int rc = sqlite3_step(q(s, i));

	sqlite3_reset(s->q[i]);
	if (rc != SQLITE_DONE) {
		note(s);
		return -1;
	}
	return 0;
}

static int begin(pushd_store_t *s)
{
	return exec_one(s, Q_BEGIN);
}

static int commit(pushd_store_t *s)
{
	if (exec_one(s, Q_COMMIT) == 0)
		return 0;
	exec_one(s, Q_ROLLBACK);
	return -1;
}

static void rollback(pushd_store_t *s)
{
	char keep[sizeof(s->err)];

	memcpy(keep, s->err, sizeof(keep));
	exec_one(s, Q_ROLLBACK);
	memcpy(s->err, keep, sizeof(keep));
}

/* A write that failed: say why, free the statement, undo the
 * transaction.  Always -1, for the callers' return. */
static int abandon(pushd_store_t *s, sqlite3_stmt *st)
{
	note(s);
	sqlite3_reset(st);
	rollback(s);
	return -1;
}

static void bind_text(sqlite3_stmt *st, int i, const char *t)
{
	sqlite3_bind_text(st, i, t ? t : "", -1, SQLITE_TRANSIENT);
}

static void bind_opt_int(sqlite3_stmt *st, int i, int v)
{
	if (v)
		sqlite3_bind_int(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static void col_text(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(buf, size, "%s", t ? (const char *)t : "");
}

/* 0 when DB is a store of ours with a schema we know. */
static int check(pushd_store_t *s, const char *path, char *err,
		 size_t errsz)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	const unsigned char *v;

	/* quick_check reads every page: a damaged file is caught here,
	 * not in the middle of a delivery */
	if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL) !=
	    SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errsz, "%s is not a readable SQLite database "
			 "(%s); it is left as it is", path,
			 sqlite3_errmsg(s->db));
		goto out;
	}
	v = sqlite3_column_text(st, 0);
	if (!v || strcmp((const char *)v, "ok") != 0) {
		snprintf(err, errsz, "%s is corrupt (%s); it is left as it "
			 "is", path, v ? (const char *)v : "?");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = "
			       "'schema'", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errsz, "%s is not a pnphone-pushd store (%s); "
			 "it is left as it is", path, sqlite3_errmsg(s->db));
		goto out;
	}
	v = sqlite3_column_text(st, 0);
	if (!v || strcmp((const char *)v, SCHEMA_VERSION) != 0) {
		snprintf(err, errsz, "%s has schema %s, this program knows %s",
			 path, v ? (const char *)v : "?", SCHEMA_VERSION);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

pushd_store_t *pushd_store_open(const char *path, bool create,
				bool sync_full, unsigned busy_ms,
				char *err, size_t errsz)
{
	pushd_store_t *s = calloc(1, sizeof(*s));
	struct stat sb;
	char *msg = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	if (!s) {
		snprintf(err, errsz, "%s", strerror(ENOMEM));
		return NULL;
	}
	if (!path || !*path) {
		snprintf(err, errsz, "no store file is configured "
			 "(pushd.store)");
		goto fail;
	}
	if (stat(path, &sb) == 0 && create) {
		snprintf(err, errsz, "%s exists already; it is left as it is",
			 path);
		goto fail;
	}
	if (stat(path, &sb) < 0 && !create) {
		snprintf(err, errsz, "the store %s is missing (%s); make a new "
			 "one with pnphone-pushd --init-store", path,
			 strerror(errno));
		goto fail;
	}
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot open the store %s: %s", path,
			 s->db ? sqlite3_errmsg(s->db) : strerror(ENOMEM));
		goto fail;
	}
	sqlite3_busy_timeout(s->db, (int)busy_ms);
	sqlite3_extended_result_codes(s->db, 1);
	if (create && sqlite3_exec(s->db, "BEGIN", NULL, NULL, &msg) ==
	    SQLITE_OK && sqlite3_exec(s->db, schema_sql, NULL, NULL, &msg) ==
	    SQLITE_OK)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, &msg);
	if (msg) {
		snprintf(err, errsz, "cannot create the store %s: %s", path,
			 msg);
		goto fail;
	}
	if (check(s, path, err, errsz) < 0)
		goto fail;
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL,
			 &msg) != SQLITE_OK ||
	    sqlite3_exec(s->db, sync_full ? "PRAGMA synchronous = FULL"
			 : "PRAGMA synchronous = NORMAL", NULL, NULL, &msg) !=
	    SQLITE_OK) {
		snprintf(err, errsz, "cannot set up the store %s: %s", path,
			 msg ? msg : "?");
		goto fail;
	}
	for (int i = 0; i < Q_COUNT; i++)
		if (sqlite3_prepare_v2(s->db, queries[i], -1, &s->q[i],
				       NULL) != SQLITE_OK) {
			snprintf(err, errsz, "the store %s does not have the "
				 "expected tables: %s", path,
				 sqlite3_errmsg(s->db));
			goto fail;
		}
	return s;
fail:
	sqlite3_free(msg);
	pushd_store_close(s);
	return NULL;
}

void pushd_store_close(pushd_store_t *s)
{
	if (!s)
		return;
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(s->q[i]);
	sqlite3_close(s->db);
	free(s);
}

const char *pushd_store_error(const pushd_store_t *s)
{
	return s->err;
}

int pushd_store_subscribe(pushd_store_t *s, const pushd_subscriber_t *sub,
			  long long *ksid, bool *created)
{
	sqlite3_stmt *st;

	int rc;

	if (begin(s) < 0)
		return -1;
	/* look first: a failed INSERT would still use up a ksid */
	st = q(s, Q_SUB_KSID);
	bind_text(st, 1, sub->device_id);
	bind_text(st, 2, sub->ufid);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	*created = rc == SQLITE_DONE;
	*ksid = *created ? 0 : sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = q(s, *created ? Q_SUB_INSERT : Q_SUB_UPDATE);
	bind_text(st, 1, sub->device_id);
	bind_text(st, 2, sub->ufid);
	bind_text(st, 3, sub->ip);
	sqlite3_bind_int(st, 4, (int)sub->port);
	bind_text(st, 5, sub->set_id);
	sqlite3_bind_int64(st, 6, now_ms());
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_reset(st);
	if (*created)
		*ksid = sqlite3_last_insert_rowid(s->db);
	return commit(s);
fail:
	return abandon(s, st);
}

int pushd_store_subscriber(pushd_store_t *s, long long ksid,
			   pushd_subscriber_t *out)
{
	sqlite3_stmt *st = q(s, Q_SUB_GET);
	int rc;

	sqlite3_bind_int64(st, 1, ksid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		out->ksid = sqlite3_column_int64(st, 0);
		col_text(st, 1, out->ufid, sizeof(out->ufid));
		col_text(st, 2, out->device_id, sizeof(out->device_id));
		col_text(st, 3, out->ip, sizeof(out->ip));
		out->port = (unsigned)sqlite3_column_int(st, 4);
		col_text(st, 5, out->set_id, sizeof(out->set_id));
		rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		note(s);
		rc = -1;
	}
	sqlite3_reset(st);
	return rc;
}

size_t pushd_store_subscriber_count(pushd_store_t *s)
{
	sqlite3_stmt *st = q(s, Q_SUB_COUNT);
	size_t n = 0;

	if (sqlite3_step(st) == SQLITE_ROW)
		n = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

int pushd_store_message_add(pushd_store_t *s, pushd_message_t *m,
			    const long long *ksids, size_t n)
{
	sqlite3_stmt *st;
	long long now = now_ms();

	if (begin(s) < 0)
		return -1;
	st = q(s, Q_MSG_ADD);
	bind_text(st, 1, m->event_id);
	bind_text(st, 2, m->display ? "display" : "topline");
	sqlite3_bind_int(st, 3, m->barge);
	sqlite3_bind_int(st, 4, m->alert);
	bind_text(st, 5, m->title);
	bind_text(st, 6, m->text);
	sqlite3_bind_int64(st, 7, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_reset(st);
	m->msg_id = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < n; i++) {
		st = q(s, Q_DLV_ADD);
		sqlite3_bind_int64(st, 1, m->msg_id);
		sqlite3_bind_int64(st, 2, ksids[i]);
		sqlite3_bind_int64(st, 3, now);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(st);
	}
	return commit(s);
fail:
	return abandon(s, st);
}

int pushd_store_message_get(pushd_store_t *s, long long msg_id,
			    pushd_message_t *out)
{
	sqlite3_stmt *st = q(s, Q_MSG_GET);
	int rc;

	memset(out, 0, sizeof(*out));
	sqlite3_bind_int64(st, 1, msg_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t;

		out->msg_id = sqlite3_column_int64(st, 0);
		col_text(st, 1, out->event_id, sizeof(out->event_id));
		t = sqlite3_column_text(st, 2);
		out->display = t && strcmp((const char *)t, "display") == 0;
		out->barge = sqlite3_column_int(st, 3) != 0;
		out->alert = sqlite3_column_int(st, 4);
		t = sqlite3_column_text(st, 5);
		out->title = strdup(t ? (const char *)t : "");
		t = sqlite3_column_text(st, 6);
		out->text = strdup(t ? (const char *)t : "");
		out->created = sqlite3_column_int64(st, 7);
		rc = out->title && out->text ? 1 : -1;
		if (rc < 0)
			pushd_message_clear(out);
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		note(s);
		rc = -1;
	}
	sqlite3_reset(st);
	return rc;
}

void pushd_message_clear(pushd_message_t *m)
{
	free(m->title);
	free(m->text);
	m->title = m->text = NULL;
}

int pushd_store_attempt(pushd_store_t *s, long long msg_id, long long ksid,
			int n, int http, int push_status, const char *error,
			const char *state)
{
	sqlite3_stmt *st;
	long long now = now_ms();

	if (begin(s) < 0)
		return -1;
	st = q(s, Q_ATT_ADD);
	sqlite3_bind_int64(st, 1, msg_id);
	sqlite3_bind_int64(st, 2, ksid);
	sqlite3_bind_int(st, 3, n);
	sqlite3_bind_int64(st, 4, now);
	bind_opt_int(st, 5, http);
	bind_opt_int(st, 6, push_status);
	if (error)
		bind_text(st, 7, error);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_reset(st);
	st = q(s, Q_DLV_SET);
	sqlite3_bind_int64(st, 1, msg_id);
	sqlite3_bind_int64(st, 2, ksid);
	bind_text(st, 3, state);
	sqlite3_bind_int(st, 4, n);
	bind_opt_int(st, 5, http);
	bind_opt_int(st, 6, push_status);
	if (error)
		bind_text(st, 7, error);
	sqlite3_bind_int64(st, 8, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_reset(st);
	return commit(s);
fail:
	return abandon(s, st);
}

int pushd_store_pulled(pushd_store_t *s, long long msg_id, long long ksid)
{
	sqlite3_stmt *st = q(s, Q_PULLED);
	int rc;

	sqlite3_bind_int64(st, 1, msg_id);
	sqlite3_bind_int64(st, 2, ksid);
	sqlite3_bind_int64(st, 3, now_ms());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		note(s);
		return -1;
	}
	return 0;
}

int pushd_store_pending(pushd_store_t *s, pushd_store_pending_f *cb,
			void *arg)
{
	sqlite3_stmt *st = q(s, Q_PENDING);
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		cb(arg, sqlite3_column_int64(st, 0),
		   sqlite3_column_int64(st, 1), sqlite3_column_int(st, 2));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		note(s);
		return -1;
	}
	return 0;
}

/* Column I as a JSON integer, or null. */
static json_t *col_int(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	return json_integer(sqlite3_column_int64(st, i));
}

static json_t *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? json_string((const char *)t) : json_null();
}

json_t *pushd_store_status(pushd_store_t *s, long long msg_id, bool *found)
{
	pushd_message_t m;
	json_t *o = NULL, *list, *sum;
	sqlite3_stmt *st;
	int rc;

	*found = false;
	rc = pushd_store_message_get(s, msg_id, &m);
	if (rc <= 0) {
		*found = rc < 0;
		return NULL;
	}
	*found = true;
	list = json_array();
	sum = json_pack("{s:i, s:i, s:i, s:i}", "queued", 0, "delivered", 0,
			"refused", 0, "failed", 0);
	o = json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s, s:I, s:o, s:o}",
		      "msgId", (json_int_t)m.msg_id, "eventid", m.event_id,
		      "type", m.display ? "display" : "topline",
		      "mode", m.barge ? "barge" : "normal", "alert", m.alert,
		      "title", m.title, "text", m.text,
		      "created", (json_int_t)m.created,
		      "summary", sum, "deliveries", list);
	pushd_message_clear(&m);
	if (!o)
		return NULL;
	st = q(s, Q_DLV_LIST);
	sqlite3_bind_int64(st, 1, msg_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *state = (const char *)sqlite3_column_text(st, 3);
		json_t *n = json_object_get(sum, state ? state : "");

		if (n)
			json_integer_set(n, json_integer_value(n) + 1);
		json_array_append_new(list, json_pack(
			"{s:I, s:o, s:o, s:s, s:i, s:o, s:o, s:o, s:b, s:o,"
			" s:[]}",
			"ksid", (json_int_t)sqlite3_column_int64(st, 0),
			"ufid", col_str(st, 1), "deviceId", col_str(st, 2),
			"state", state ? state : "?",
			"attempts", sqlite3_column_int(st, 4),
			"http", col_int(st, 5), "pushStatus", col_int(st, 6),
			"error", col_str(st, 7),
			"pulled", sqlite3_column_type(st, 8) != SQLITE_NULL,
			"updated", col_int(st, 9), "history"));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	st = q(s, Q_ATT_LIST);
	sqlite3_bind_int64(st, 1, msg_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long ksid = sqlite3_column_int64(st, 0);
		size_t i;
		json_t *d;

		json_array_foreach(list, i, d) {
			if (json_integer_value(json_object_get(d, "ksid")) !=
			    ksid)
				continue;
			json_array_append_new(json_object_get(d, "history"),
				json_pack("{s:i, s:o, s:o, s:o, s:o}",
					  "n", sqlite3_column_int(st, 1),
					  "at", col_int(st, 2),
					  "http", col_int(st, 3),
					  "pushStatus", col_int(st, 4),
					  "error", col_str(st, 5)));
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	return o;
fail:
	note(s);
	json_decref(o);
	return NULL;
}
