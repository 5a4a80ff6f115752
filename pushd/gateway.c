/*
 * gateway.c - the routes of pnphone-pushd.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "common/i18n.h"
#include "push/http.h"
#include "push/msg.h"
#include "pushd/api.h"
#include "pushd/catalog.h"
#include "pushd/gateway.h"
#include "pushd/tmpl.h"

#define API_PATH "/vpns/service/eventpushmessage"
#define STATUS_PATH "/vpns/service/message/"
#define SUB_PATH "/vpns/subscribe"
#define CONTENT_PATH "/vpns/content/"
/* display page text kept so that the escaped page stays under 5 KB */
#define DISPLAY_TEXT_MAX 900

struct pushd_gw {
	const conf_t *conf;
	pushd_store_t *store;
	pushd_deliver_t *deliver;
	ua_event_t *ev;
	push_http_t *http;
	char *body;          /* the answer being sent (copied by the server) */
};

static void answer(pushd_gw_t *g, push_http_resp_t *resp, int status,
		   const char *ctype, char *body, size_t len)
{
	free(g->body);
	g->body = body;
	resp->status = status;
	resp->ctype = ctype;
	resp->body = body ? body : "";
	resp->len = body ? len : 0;
}

static void answer_text(pushd_gw_t *g, push_http_resp_t *resp, int status,
			const char *text)
{
	char *b = strdup(text);

	answer(g, resp, status, "text/plain;charset=UTF-8", b,
	       b ? strlen(b) : 0);
}

static void answer_json(pushd_gw_t *g, push_http_resp_t *resp, int status,
			json_t *o)
{
	char *b = o ? json_dumps(o, JSON_PRESERVE_ORDER | JSON_INDENT(2))
		    : NULL;

	json_decref(o);
	if (!b) {
		answer_text(g, resp, 500, "out of memory\n");
		return;
	}
	answer(g, resp, status, "application/json;charset=UTF-8", b,
	       strlen(b));
}

/* ---- the event push API ----------------------------------------------- */

static void api_answer(pushd_gw_t *g, push_http_resp_t *resp, pushd_fmt_t f,
		       int code, long long msg_id,
		       const pushd_sub_ref_t *const *inv, size_t ninv,
		       const char *why, const char *peer)
{
	size_t len;
	char *b = pushd_api_render(f, code, msg_id, inv, ninv, &len);
	int status = strcmp(conf_str(g->conf, "pushd.http_status"), "200")
		     == 0 ? 200 : code;
	char text[512];

	if (!b) {
		answer_text(g, resp, 500, "out of memory\n");
		return;
	}
	answer(g, resp, status, pushd_api_ctype(f), b, len);
	snprintf(text, sizeof(text), _("pushd: event request from %s: %d "
		 "%s%s%s"), peer, code, pushd_api_description(f, code),
		 why ? " - " : "", why ? why : "");
	ua_event_emit(g->ev, "api_answer", text,
		      "{s:i, s:s, s:s, s:I, s:i, s:s*, s:s}", "code", code,
		      "description", pushd_api_description(f, code),
		      "format", f == PUSHD_JSON ? "json" : "xml",
		      "msgId", (json_int_t)msg_id, "invalid", (int)ninv,
		      "why", why, "peer", peer);
}

/* A ksid of our store: digits only, no sign, no leading junk. */
static bool ksid_value(const char *s, long long *out)
{
	char *end;

	if (!*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
		return false;
	*out = strtoll(s, &end, 10);
	return *out > 0;
}

/* Sort the subscribers out: valid ksids (each once) and invalid refs.
 * -1 when the store cannot be read. */
static int sort_subs(pushd_gw_t *g, const pushd_req_t *r, long long *valid,
		     size_t *nvalid, const pushd_sub_ref_t **inv,
		     size_t *ninv)
{
	*nvalid = *ninv = 0;
	for (size_t i = 0; i < r->nsubs; i++) {
		const pushd_sub_ref_t *s = &r->subs[i];
		pushd_subscriber_t sub;
		long long k;
		int rc = 0;
		bool dup = false;

		if (ksid_value(s->ksid, &k))
			rc = pushd_store_subscriber(g->store, k, &sub);
		if (rc < 0)
			return -1;
		if (rc == 0 ||
		    (s->ufid && *s->ufid && strcmp(s->ufid, sub.ufid) != 0) ||
		    (s->device_id && *s->device_id &&
		     strcasecmp(s->device_id, sub.device_id) != 0)) {
			inv[(*ninv)++] = s;
			continue;
		}
		for (size_t j = 0; j < *nvalid && !dup; j++)
			dup = valid[j] == k;
		if (!dup)
			valid[(*nvalid)++] = k;
	}
	return 0;
}

/* The text of the push, or NULL (400: nothing to show). */
static char *event_text(const pushd_event_t *e, const pushd_req_t *r)
{
	const char *tmpl = *e->text ? e->text : r->data ? r->data : "";
	char *t = pushd_tmpl_fill(tmpl, r->pairs, r->npairs,
				  e->display ? DISPLAY_TEXT_MAX
					     : PUSHD_API_DATA_MAX);

	if (t && !e->display)
		pushd_utf8_cut_chars(t, PUSH_TOPLINE_MAX);
	if (t && !*t) {
		free(t);
		t = NULL;
	}
	return t;
}

static void on_event_push(pushd_gw_t *g, const push_http_req_t *req,
			  push_http_resp_t *resp)
{
	bool known;
	pushd_fmt_t f = pushd_api_format(req->ctype, req->body, req->len,
					 &known);
	pushd_req_t *r = NULL;
	pushd_event_t e;
	pushd_message_t m = { 0 };
	long long *valid = NULL;
	const pushd_sub_ref_t **inv = NULL;
	size_t nvalid = 0, ninv = 0;
	char why[256] = "";
	int code;

	if (strcmp(req->method, "POST") != 0) {
		api_answer(g, resp, f, 400, -1, NULL, 0, "only POST is served",
			   req->peer);
		return;
	}
	if (req->too_large) {
		snprintf(why, sizeof(why), "the body is larger than %u bytes",
			 conf_uint(g->conf, "pushd.max_body"));
		api_answer(g, resp, f, 400, -1, NULL, 0, why, req->peer);
		return;
	}
	if (!known) {
		snprintf(why, sizeof(why), "Content-Type %s is neither XML "
			 "nor JSON", req->ctype ? req->ctype : "(none)");
		api_answer(g, resp, f, 400, -1, NULL, 0, why, req->peer);
		return;
	}
	code = pushd_api_parse(f, req->body, req->len,
			       conf_uint(g->conf, "pushd.max_subscribers"),
			       &r, why, sizeof(why));
	if (code) {
		api_answer(g, resp, f, code, -1, NULL, 0, why, req->peer);
		return;
	}
	code = pushd_catalog_find(g->conf, r->eventid, &e);
	if (code != 200) {
		snprintf(why, sizeof(why), "eventid %s", r->eventid);
		api_answer(g, resp, f, code, -1, NULL, 0, why, req->peer);
		goto out;
	}
	valid = calloc(r->nsubs, sizeof(*valid));
	inv = calloc(r->nsubs, sizeof(*inv));
	if (!valid || !inv || sort_subs(g, r, valid, &nvalid, inv, &ninv) <
	    0) {
		api_answer(g, resp, f, 500, -1, NULL, 0, valid && inv
			   ? pushd_store_error(g->store) : "out of memory",
			   req->peer);
		goto out;
	}
	m.text = event_text(&e, r);
	if (!m.text) {
		api_answer(g, resp, f, 400, -1, NULL, 0, "the event has no "
			   "text and the request no content.data", req->peer);
		goto out;
	}
	if (nvalid == 0) {
		api_answer(g, resp, f, 200, -1, inv, ninv,
			   "no valid subscriber", req->peer);
		goto out;
	}
	snprintf(m.event_id, sizeof(m.event_id), "%s", r->eventid);
	m.display = e.display;
	m.barge = r->priority;
	m.alert = e.alert;
	m.title = (char *)e.title;
	if (pushd_store_message_add(g->store, &m, valid, nvalid) < 0) {
		m.title = NULL;
		api_answer(g, resp, f, 500, -1, NULL, 0,
			   pushd_store_error(g->store), req->peer);
		goto out;
	}
	m.title = NULL;
	/* stored first: a failure to queue in memory is made good by the
	 * next start, which resumes every queued delivery */
	for (size_t i = 0; i < nvalid; i++)
		pushd_deliver_add(g->deliver, m.msg_id, valid[i], 0);
	{
		char text[256];

		snprintf(text, sizeof(text),
			 P_("pushd: message %lld (event %s) queued for %zu "
			    "subscriber",
			    "pushd: message %lld (event %s) queued for %zu "
			    "subscribers", nvalid), m.msg_id, r->eventid,
			 nvalid);
		ua_event_emit(g->ev, "message_queued", text,
			      "{s:I, s:s, s:s, s:b, s:i, s:i, s:s}",
			      "msgId", (json_int_t)m.msg_id, "eventid",
			      r->eventid, "type", e.display ? "display"
			      : "topline", "barge", r->priority,
			      "subscribers", (int)nvalid, "invalid",
			      (int)ninv, "text", m.text);
	}
	api_answer(g, resp, f, 200, m.msg_id, inv, ninv, NULL, req->peer);
out:
	free(m.text);
	free(valid);
	free(inv);
	pushd_req_free(r);
}

/* ---- message status ----------------------------------------------------- */

static bool id_from(const char *s, long long *out)
{
	return ksid_value(s, out);
}

static void on_status(pushd_gw_t *g, const push_http_req_t *req,
		      push_http_resp_t *resp)
{
	long long id;
	bool found;
	json_t *o;

	if (!id_from(req->path + strlen(STATUS_PATH), &id)) {
		answer_json(g, resp, 404, json_pack("{s:s}", "error",
			    "no such message"));
		return;
	}
	o = pushd_store_status(g->store, id, &found);
	if (!o)
		answer_json(g, resp, found ? 500 : 404, json_pack("{s:s}",
			    "error", found ? pushd_store_error(g->store)
			    : "no such message"));
	else
		answer_json(g, resp, 200, o);
}

/* ---- subscriptions -------------------------------------------------- */

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0'
		: c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Percent-decode S (LEN bytes) into OUT; -1 when broken or too long. */
static int unescape(const char *s, size_t len, char *out, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '%') {
			if (i + 2 >= len)
				return -1;
			if (hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
				return -1;
			c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		}
		if ((unsigned char)c < 0x20 || c == 0x7f || n + 1 >= size)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return 0;
}

typedef struct sub_query {
	char mac[64], extn[128], ip[64], set_id[32], port[8];
} sub_query_t;

/* The pairs of the raw query, split at '+' (the documented form) and
 * '&'.  NULL, or what is wrong. */
static const char *parse_query(const char *q, sub_query_t *sq)
{
	memset(sq, 0, sizeof(*sq));
	while (*q) {
		size_t len = strcspn(q, "+&"), klen;
		const char *eq = memchr(q, '=', len);
		char *dst = NULL;
		size_t size = 0;

		if (eq) {
			klen = (size_t)(eq - q);
#define FIELD(name, f) \
	if (klen == strlen(name) && strncasecmp(q, name, klen) == 0) { \
		dst = sq->f; \
		size = sizeof(sq->f); \
	}
			FIELD("MAC", mac)
			FIELD("Extn", extn)
			FIELD("ip", ip)
			FIELD("SetID", set_id)
			FIELD("port", port)
#undef FIELD
			if (dst && unescape(eq + 1, len - klen - 1, dst,
					    size) < 0)
				return N_("a value is badly encoded or too long");
		}
		q += len;
		if (*q)
			q++;
	}
	if (!*sq->mac || strspn(sq->mac, "0123456789abcdefABCDEF:-.") !=
	    strlen(sq->mac))
		return N_("MAC is missing or not a MAC address");
	if (!*sq->extn || strpbrk(sq->extn, " \t"))
		return N_("Extn is missing");
	if (strspn(sq->set_id, "0123456789abcdefghijklmnopqrstuvwxyz"
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_") != strlen(sq->set_id))
		return N_("SetID is not letters and digits");
	return NULL;
}

/* Are A and B the same numeric address? */
static bool same_ip(const char *a, const char *b)
{
	unsigned char x[16], y[16];

	if (inet_pton(AF_INET, a, x) == 1)
		return inet_pton(AF_INET, b, y) == 1 && memcmp(x, y, 4) == 0;
	return inet_pton(AF_INET6, a, x) == 1 &&
	       inet_pton(AF_INET6, b, y) == 1 && memcmp(x, y, 16) == 0;
}

static void on_subscribe(pushd_gw_t *g, const push_http_req_t *req,
			 push_http_resp_t *resp)
{
	sub_query_t sq;
	pushd_subscriber_t sub = { 0 };
	const char *bad = parse_query(req->query, &sq);
	unsigned char addr[16];
	char text[512];
	long long ksid;
	bool created;

	if (!bad && inet_pton(AF_INET, sq.ip, addr) != 1 &&
	    inet_pton(AF_INET6, sq.ip, addr) != 1)
		bad = N_("ip is not a numeric address");
	sub.port = conf_uint(g->conf, "pushd.phone_port");
	if (!bad && *sq.port) {
		unsigned long p = strspn(sq.port, "0123456789") ==
				  strlen(sq.port) ? strtoul(sq.port, NULL, 10)
						  : 0;

		if (p < 1 || p > 65535)
			bad = N_("port is not 1..65535");
		sub.port = (unsigned)p;
	}
	if (!bad && conf_bool(g->conf, "pushd.subscribe_check_ip") &&
	    !same_ip(sq.ip, req->peer))
		bad = N_("ip is not the address the subscription comes from");
	if (bad) {
		/* BAD stays English in the JSON and the HTTP answer */
		snprintf(text, sizeof(text), _("pushd: subscription from %s "
			 "refused: %s"), req->peer, _(bad));
		ua_event_emit(g->ev, "subscribe_refused", text,
			      "{s:s, s:s, s:s}", "peer", req->peer, "why", bad,
			      "query", req->query);
		snprintf(text, sizeof(text), "%s\n", bad);
		answer_text(g, resp, 400, text);
		return;
	}
	snprintf(sub.device_id, sizeof(sub.device_id), "%s", sq.mac);
	for (char *p = sub.device_id; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	snprintf(sub.ufid, sizeof(sub.ufid), "%s", sq.extn);
	snprintf(sub.ip, sizeof(sub.ip), "%s", sq.ip);
	snprintf(sub.set_id, sizeof(sub.set_id), "%s", sq.set_id);
	if (pushd_store_subscribe(g->store, &sub, &ksid, &created) < 0) {
		snprintf(text, sizeof(text), _("pushd: cannot store a "
			 "subscription: %s"), pushd_store_error(g->store));
		ua_event_emit(g->ev, "store_error", text, "{s:s}", "error",
			      pushd_store_error(g->store));
		answer_text(g, resp, 500, "the store cannot be written\n");
		return;
	}
	snprintf(text, sizeof(text), created
		 ? _("pushd: new subscriber %lld: %s at %s:%u (MAC %s)")
		 : _("pushd: known subscriber %lld: %s at %s:%u (MAC %s)"),
		 ksid, sub.ufid, sub.ip, sub.port, sub.device_id);
	ua_event_emit(g->ev, "subscribed", text,
		      "{s:I, s:s, s:s, s:s, s:i, s:s, s:b}",
		      "ksid", (json_int_t)ksid, "ufid", sub.ufid,
		      "deviceId", sub.device_id, "ip", sub.ip,
		      "port", (int)sub.port, "setId", sub.set_id,
		      "new", created);
	answer_json(g, resp, 200, json_pack("{s:I, s:s, s:s}", "ksid",
		    (json_int_t)ksid, "ufid", sub.ufid, "deviceId",
		    sub.device_id));
}

/* ---- content ------------------------------------------------------------ */

static void on_content(pushd_gw_t *g, const push_http_req_t *req,
		       push_http_resp_t *resp)
{
	const char *p = req->path + strlen(CONTENT_PATH), *slash;
	char num[24], *text = NULL, *title = NULL, *b = NULL;
	long long msg_id, ksid;
	pushd_message_t m;
	int rc;

	slash = strchr(p, '/');
	if (!slash || (size_t)(slash - p) >= sizeof(num))
		goto not_found;
	snprintf(num, sizeof(num), "%.*s", (int)(slash - p), p);
	if (!id_from(num, &msg_id) || !id_from(slash + 1, &ksid))
		goto not_found;
	rc = pushd_store_message_get(g->store, msg_id, &m);
	if (rc < 0) {
		answer_text(g, resp, 500, "the store cannot be read\n");
		return;
	}
	if (rc == 0)
		goto not_found;
	text = pushd_api_escape(m.text);
	title = pushd_api_escape(m.title);
	if (text && title) {
		size_t n = strlen(text) + strlen(title) + 160;

		b = malloc(n);
		if (b && m.display)
			snprintf(b, n, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
				 "\n<wml><card title=\"%s\"><p>%s</p></card>"
				 "</wml>\n", title, text);
		else if (b)
			snprintf(b, n, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
				 "\n<Response><Topline>%s</Topline>"
				 "</Response>\n", text);
	}
	free(text);
	free(title);
	pushd_message_clear(&m);
	if (!b) {
		answer_text(g, resp, 500, "out of memory\n");
		return;
	}
	answer(g, resp, 200, "text/xml;charset=UTF-8", b, strlen(b));
	if (pushd_store_pulled(g->store, msg_id, ksid) == 0) {
		char line[128];

		snprintf(line, sizeof(line), _("pushd: ksid %lld pulled "
			 "message %lld"), ksid, msg_id);
		ua_event_emit(g->ev, "pulled", line, "{s:I, s:I, s:s}",
			      "msgId", (json_int_t)msg_id, "ksid",
			      (json_int_t)ksid, "peer", req->peer);
	}
	return;
not_found:
	answer_text(g, resp, 404, "no such content\n");
}

/* ---- routing -------------------------------------------------------------- */

static bool prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static void on_request(void *arg, const push_http_req_t *req,
		       push_http_resp_t *resp)
{
	pushd_gw_t *g = arg;
	bool get = strcmp(req->method, "GET") == 0;

	if (strcmp(req->path, API_PATH) == 0)
		on_event_push(g, req, resp);
	else if (get && prefix(req->path, STATUS_PATH))
		on_status(g, req, resp);
	else if (get && strcmp(req->path, SUB_PATH) == 0)
		on_subscribe(g, req, resp);
	else if (get && prefix(req->path, CONTENT_PATH))
		on_content(g, req, resp);
	else
		answer_text(g, resp, 404, "not found\n");
}

pushd_gw_t *pushd_gw_new(su_root_t *root, const conf_t *conf,
			 pushd_store_t *store, ua_event_t *ev, char *err,
			 size_t errsz)
{
	pushd_gw_t *g = calloc(1, sizeof(*g));
	push_http_limits_t lim = {
		.max_body = conf_uint(conf, "pushd.max_body"),
		.max_conns = 256, .idle_s = 10, .head_max = 32768,
	};

	if (!g) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	g->conf = conf;
	g->store = store;
	g->ev = ev;
	g->http = push_http_new(root, conf_str(conf, "pushd.listen"), &lim,
				on_request, g, err, errsz);
	if (!g->http) {
		pushd_gw_free(g);
		return NULL;
	}
	return g;
}

void pushd_gw_set_deliver(pushd_gw_t *g, pushd_deliver_t *d)
{
	g->deliver = d;
}

void pushd_gw_free(pushd_gw_t *g)
{
	if (!g)
		return;
	push_http_free(g->http);
	free(g->body);
	free(g);
}

unsigned pushd_gw_port(const pushd_gw_t *g)
{
	return push_http_port(g->http);
}
