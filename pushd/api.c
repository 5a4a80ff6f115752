/*
 * api.c - the Volt MX event push request (libxml2, jansson) and its
 * messageResponse.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "push/msg.h"
#include "pushd/api.h"

typedef struct ctx {
	char *why;
	size_t whysz;
	size_t max_subs;
} ctx_t;

static int bad(ctx_t *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(ctx_t *c, const char *fmt, ...)
{
	va_list ap;

	if (c->why && c->whysz && !*c->why) {
		va_start(ap, fmt);
		vsnprintf(c->why, c->whysz, fmt, ap);
		va_end(ap);
	}
	return 400;
}

void pushd_req_free(pushd_req_t *r)
{
	if (!r)
		return;
	free(r->eventid);
	for (size_t i = 0; i < r->npairs; i++) {
		free(r->pairs[i].name);
		free(r->pairs[i].content);
	}
	free(r->pairs);
	for (size_t i = 0; i < r->nsubs; i++) {
		free(r->subs[i].ksid);
		free(r->subs[i].ufid);
		free(r->subs[i].device_id);
	}
	free(r->subs);
	free(r->mime);
	free(r->data);
	free(r);
}

/* A copy of S if it has no control characters (tabs and newlines are
 * text) and fits MAX bytes; else NULL and 400. */
static int take(ctx_t *c, const char *what, const char *s, size_t max,
		char **out)
{
	if (strlen(s) > max)
		return bad(c, "%s is longer than %zu bytes", what, max);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') ||
		    *p == 0x7f)
			return bad(c, "%s has a control character", what);
	*out = strdup(s);
	return *out ? 0 : bad(c, "out of memory");
}

/* The common checks once the fields are in. */
static int finish(ctx_t *c, pushd_req_t *r)
{
	if (!r->eventid || !*r->eventid)
		return bad(c, "eventid is missing");
	if (r->nsubs == 0)
		return bad(c, "no subscriber");
	if (!r->mime || !*r->mime)
		return bad(c, "content.mimeType is missing");
	return 0;
}

static bool word_bool(const char *s, bool *out)
{
	if (strcasecmp(s, "true") == 0)
		*out = true;
	else if (strcasecmp(s, "false") == 0)
		*out = false;
	else
		return false;
	return true;
}

/* ---- JSON ------------------------------------------------------------ */

/* A string or an integer, as text; NULL member: *OUT stays NULL. */
static int json_scalar(ctx_t *c, json_t *o, const char *name, size_t max,
		       char **out, bool *numeric)
{
	json_t *v = json_object_get(o, name);
	char num[32];

	if (!v || json_is_null(v))
		return 0;
	if (numeric)
		*numeric = json_is_integer(v);
	if (json_is_string(v))
		return take(c, name, json_string_value(v), max, out);
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return take(c, name, num, max, out);
	}
	return bad(c, "%s is not a string or a number", name);
}

/* OBJ.NAME as an array: an array, or one object made a list of one. */
static int json_list(ctx_t *c, json_t *obj, const char *name, json_t **out)
{
	json_t *v = json_object_get(obj, name);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_object(v)) {
		*out = json_pack("[O]", v);
		return *out ? 0 : bad(c, "out of memory");
	}
	if (!json_is_array(v))
		return bad(c, "%s is not an array", name);
	*out = json_incref(v);
	return 0;
}

static json_t *json_obj(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	return json_is_object(v) ? v : NULL;
}

static int json_pairs(ctx_t *c, json_t *ev, pushd_req_t *r)
{
	json_t *enp = json_object_get(ev, "eventNamePairs"), *list, *k;
	size_t i;
	int rc;

	if (!enp || json_is_null(enp))
		return 0;
	if (!json_is_object(enp))
		return bad(c, "eventNamePairs is not an object");
	if ((rc = json_list(c, enp, "key", &list)) != 0 || !list)
		return rc;
	if (json_array_size(list) > PUSHD_API_PAIRS_MAX) {
		json_decref(list);
		return bad(c, "more than %d eventNamePairs",
			   PUSHD_API_PAIRS_MAX);
	}
	r->pairs = calloc(json_array_size(list) + 1, sizeof(*r->pairs));
	if (!r->pairs)
		rc = bad(c, "out of memory");
	json_array_foreach(list, i, k) {
		pushd_pair_t *p = &r->pairs[r->npairs];

		if (rc)
			break;
		if (!json_is_object(k)) {
			rc = bad(c, "an eventNamePairs key is not an object");
			break;
		}
		r->npairs++;
		if ((rc = json_scalar(c, k, "name", PUSHD_API_STR_MAX,
				      &p->name, NULL)) != 0 ||
		    (rc = json_scalar(c, k, "content", PUSHD_API_STR_MAX,
				      &p->content, NULL)) != 0)
			break;
		if (!p->name || !p->content)
			rc = bad(c, "an eventNamePairs key lacks its name or "
				 "content");
	}
	json_decref(list);
	return rc;
}

static int json_subs(ctx_t *c, json_t *msg, pushd_req_t *r)
{
	json_t *subs = json_obj(msg, "subscribers"), *list, *s;
	size_t i;
	int rc;

	if (!subs)
		return bad(c, "message.subscribers is missing");
	if ((rc = json_list(c, subs, "subscriber", &list)) != 0)
		return rc;
	if (!list)
		return bad(c, "subscribers.subscriber is missing");
	if (json_array_size(list) > c->max_subs) {
		json_decref(list);
		return bad(c, "more than %zu subscribers", c->max_subs);
	}
	r->subs = calloc(json_array_size(list) + 1, sizeof(*r->subs));
	if (!r->subs)
		rc = bad(c, "out of memory");
	json_array_foreach(list, i, s) {
		pushd_sub_ref_t *sr = &r->subs[r->nsubs];

		if (rc)
			break;
		if (!json_is_object(s)) {
			rc = bad(c, "a subscriber is not an object");
			break;
		}
		r->nsubs++;
		if ((rc = json_scalar(c, s, "ksid", 64, &sr->ksid,
				      &sr->numeric)) != 0 ||
		    (rc = json_scalar(c, s, "ufid", PUSHD_API_STR_MAX,
				      &sr->ufid, NULL)) != 0 ||
		    (rc = json_scalar(c, s, "deviceId", PUSHD_API_STR_MAX,
				      &sr->device_id, NULL)) != 0)
			break;
		if (!sr->ksid)
			rc = bad(c, "a subscriber has no ksid");
	}
	json_decref(list);
	return rc;
}

static int json_content(ctx_t *c, json_t *msg, pushd_req_t *r)
{
	json_t *ct = json_obj(msg, "content"), *ps;
	int rc;

	if (!ct)
		return bad(c, "message.content is missing");
	if ((rc = json_scalar(c, ct, "mimeType", PUSHD_API_STR_MAX, &r->mime,
			      NULL)) != 0 ||
	    (rc = json_scalar(c, ct, "data", PUSHD_API_DATA_MAX, &r->data,
			      NULL)) != 0)
		return rc;
	ps = json_object_get(ct, "priorityService");
	if (!ps || json_is_null(ps))
		return 0;
	if (json_is_boolean(ps))
		r->priority = json_is_true(ps);
	else if (!json_is_string(ps) ||
		 !word_bool(json_string_value(ps), &r->priority))
		return bad(c, "priorityService is not true or false");
	return 0;
}

static int parse_json(ctx_t *c, const char *body, size_t len,
		      pushd_req_t *r)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	json_t *ev, *msg;
	int rc;

	if (!root)
		return bad(c, "not JSON: %s (line %d)", je.text, je.line);
	ev = json_obj(root, "event");
	msg = ev ? json_obj(ev, "message") : NULL;
	if (!ev)
		rc = bad(c, "no \"event\" object");
	else if (!msg)
		rc = bad(c, "event.message is missing");
	else if ((rc = json_scalar(c, ev, "eventid", PUSHD_API_STR_MAX,
				   &r->eventid, NULL)) == 0 &&
		 (rc = json_pairs(c, ev, r)) == 0 &&
		 (rc = json_subs(c, msg, r)) == 0 &&
		 (rc = json_content(c, msg, r)) == 0)
		rc = finish(c, r);
	json_decref(root);
	return rc;
}

/* ---- XML ------------------------------------------------------------- */

static xmlNodePtr xchild(xmlNodePtr n, const char *name)
{
	for (n = n ? xmlFirstElementChild(n) : NULL; n;
	     n = xmlNextElementSibling(n))
		if (strcmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

/* The field NAME of N: an attribute, else a child element's text. */
static int xfield(ctx_t *c, xmlNodePtr n, const char *name, size_t max,
		  char **out)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	xmlNodePtr ch;
	int rc;

	if (!v && (ch = xchild(n, name)) != NULL) {
		if (xmlFirstElementChild(ch))
			return bad(c, "<%s> has elements inside", name);
		v = xmlNodeGetContent(ch);
	}
	if (!v)
		return 0;
	rc = take(c, name, (const char *)v, max, out);
	xmlFree(v);
	return rc;
}

static size_t xcount(xmlNodePtr n, const char *name)
{
	size_t k = 0;

	for (n = n ? xmlFirstElementChild(n) : NULL; n;
	     n = xmlNextElementSibling(n))
		k += strcmp((const char *)n->name, name) == 0;
	return k;
}

static int xml_pairs(ctx_t *c, xmlNodePtr ev, pushd_req_t *r)
{
	xmlNodePtr enp = xchild(ev, "eventNamePairs"), k;
	size_t n = xcount(enp, "key");
	int rc = 0;

	if (n > PUSHD_API_PAIRS_MAX)
		return bad(c, "more than %d eventNamePairs",
			   PUSHD_API_PAIRS_MAX);
	r->pairs = calloc(n + 1, sizeof(*r->pairs));
	if (!r->pairs)
		return bad(c, "out of memory");
	for (k = enp ? xmlFirstElementChild(enp) : NULL; k && !rc;
	     k = xmlNextElementSibling(k)) {
		pushd_pair_t *p = &r->pairs[r->npairs];

		if (strcmp((const char *)k->name, "key") != 0)
			continue;
		r->npairs++;
		if ((rc = xfield(c, k, "name", PUSHD_API_STR_MAX,
				 &p->name)) == 0 &&
		    (rc = xfield(c, k, "content", PUSHD_API_STR_MAX,
				 &p->content)) == 0 &&
		    (!p->name || !p->content))
			rc = bad(c, "an eventNamePairs key lacks its name or "
				 "content");
	}
	return rc;
}

static int xml_subs(ctx_t *c, xmlNodePtr msg, pushd_req_t *r)
{
	xmlNodePtr subs = xchild(msg, "subscribers"), s;
	size_t n = xcount(subs, "subscriber");
	int rc = 0;

	if (!subs)
		return bad(c, "message.subscribers is missing");
	if (n > c->max_subs)
		return bad(c, "more than %zu subscribers", c->max_subs);
	r->subs = calloc(n + 1, sizeof(*r->subs));
	if (!r->subs)
		return bad(c, "out of memory");
	for (s = xmlFirstElementChild(subs); s && !rc;
	     s = xmlNextElementSibling(s)) {
		pushd_sub_ref_t *sr = &r->subs[r->nsubs];

		if (strcmp((const char *)s->name, "subscriber") != 0)
			continue;
		r->nsubs++;
		if ((rc = xfield(c, s, "ksid", 64, &sr->ksid)) == 0 &&
		    (rc = xfield(c, s, "ufid", PUSHD_API_STR_MAX,
				 &sr->ufid)) == 0 &&
		    (rc = xfield(c, s, "deviceId", PUSHD_API_STR_MAX,
				 &sr->device_id)) == 0 && !sr->ksid)
			rc = bad(c, "a subscriber has no ksid");
	}
	return rc;
}

static int xml_content(ctx_t *c, xmlNodePtr msg, pushd_req_t *r)
{
	xmlNodePtr ct = xchild(msg, "content");
	char *ps = NULL;
	int rc;

	if (!ct)
		return bad(c, "message.content is missing");
	if ((rc = xfield(c, ct, "mimeType", PUSHD_API_STR_MAX,
			 &r->mime)) != 0 ||
	    (rc = xfield(c, ct, "data", PUSHD_API_DATA_MAX, &r->data)) != 0 ||
	    (rc = xfield(c, ct, "priorityService", 16, &ps)) != 0)
		return rc;
	if (ps && !word_bool(ps, &r->priority))
		rc = bad(c, "priorityService is not true or false");
	free(ps);
	return rc;
}

static int parse_xml(ctx_t *c, const char *body, size_t len, pushd_req_t *r)
{
	char why[256];
	xmlDocPtr doc = push_xml_parse(body, len, len, why, sizeof(why));
	xmlNodePtr ev, msg;
	int rc;

	if (!doc)
		return bad(c, "not well-formed XML: %s", why);
	ev = xmlDocGetRootElement(doc);
	msg = xchild(ev, "message");
	if (strcmp((const char *)ev->name, "event") != 0)
		rc = bad(c, "the root element is <%s>, not <event>",
			 (const char *)ev->name);
	else if (xcount(ev, "eventid") > 1)
		rc = bad(c, "more than one <eventid>");
	else if (!msg)
		rc = bad(c, "event.message is missing");
	else if ((rc = xfield(c, ev, "eventid", PUSHD_API_STR_MAX,
			      &r->eventid)) == 0 &&
		 (rc = xml_pairs(c, ev, r)) == 0 &&
		 (rc = xml_subs(c, msg, r)) == 0 &&
		 (rc = xml_content(c, msg, r)) == 0)
		rc = finish(c, r);
	xmlFreeDoc(doc);
	return rc;
}

/* ---- entry points ---------------------------------------------------- */

pushd_fmt_t pushd_api_format(const char *ctype, const char *body,
			     size_t len, bool *known)
{
	size_t n = ctype ? strcspn(ctype, "; \t") : 0;

	*known = true;
	if (n == 16 && strncasecmp(ctype, "application/json", n) == 0)
		return PUSHD_JSON;
	if (n > 5 && strncasecmp(ctype + n - 5, "+json", 5) == 0)
		return PUSHD_JSON;
	if ((n == 8 && strncasecmp(ctype, "text/xml", n) == 0) ||
	    (n == 15 && strncasecmp(ctype, "application/xml", n) == 0) ||
	    (n > 4 && strncasecmp(ctype + n - 4, "+xml", 4) == 0))
		return PUSHD_XML;
	*known = false;
	while (len && (*body == ' ' || *body == '\t' || *body == '\r' ||
		       *body == '\n')) {
		body++;
		len--;
	}
	return len && *body == '{' ? PUSHD_JSON : PUSHD_XML;
}

int pushd_api_parse(pushd_fmt_t f, const char *body, size_t len,
		    size_t max_subs, pushd_req_t **out, char *why,
		    size_t whysz)
{
	ctx_t c = { why, whysz, max_subs };
	pushd_req_t *r = calloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	if (why && whysz)
		why[0] = '\0';
	if (!r)
		return bad(&c, "out of memory");
	if (len == 0)
		rc = bad(&c, "empty body");
	else if (memchr(body, '\0', len))
		rc = bad(&c, "a NUL byte in the body");
	else
		rc = f == PUSHD_JSON ? parse_json(&c, body, len, r)
				     : parse_xml(&c, body, len, r);
	if (rc) {
		pushd_req_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

const char *pushd_api_description(pushd_fmt_t f, int code)
{
	switch (code) {
	case 200:
		return "Request Queued. ";
	case 400:
		return f == PUSHD_JSON ? "Invalid request format. "
				       : "Invalid request format.";
	case 404:
		return "Invalid Volt MX Application ID associated with Event.";
	case 405:
		return "Associated Application is not Published.";
	case 406:
		return "Invalid Volt MX Event ID. ";
	case 407:
		return "Event is not Published.";
	default:
		return "Server failed to process the request.";
	}
}

const char *pushd_api_ctype(pushd_fmt_t f)
{
	return f == PUSHD_JSON ? "application/json;charset=UTF-8"
			       : "text/xml;charset=UTF-8";
}

/* ksid as a JSON value: a number when it is one, else the text. */
static json_t *ksid_json(const pushd_sub_ref_t *s)
{
	char *end;
	long long v = strtoll(s->ksid, &end, 10);

	if (*s->ksid && !*end && s->ksid[0] != '+' && s->ksid[0] != ' ')
		return json_integer(v);
	return json_string(s->ksid);
}

static char *render_json(int code, long long msg_id,
			 const pushd_sub_ref_t *const *inv, size_t ninv,
			 size_t *len)
{
	json_t *o, *list = json_array(), *msgs = json_array();
	char *out;

	if (code == 500) {
		/* the guide's JSON form of the server error, as printed */
		json_decref(list);
		json_decref(msgs);
		o = json_pack("{s:s}", "500",
			      pushd_api_description(PUSHD_JSON, 500));
	} else {
		for (size_t i = 0; i < ninv; i++)
			json_array_append_new(list, json_pack(
				"{s:s, s:o, s:s}",
				"ufid", inv[i]->ufid ? inv[i]->ufid : "",
				"ksid", ksid_json(inv[i]),
				"deviceId", inv[i]->device_id
					    ? inv[i]->device_id : ""));
		if (code == 200)
			json_array_append_new(msgs, json_pack("{s:I}",
				"msgId", (json_int_t)msg_id));
		o = json_pack("{s:{s:o, s:s, s:i, s:o}}", "messageResponse",
			      "invalidSubscribers", list, "description",
			      pushd_api_description(PUSHD_JSON, code),
			      "code", code, "messages", msgs);
	}
	out = o ? json_dumps(o, JSON_PRESERVE_ORDER | JSON_INDENT(2)) : NULL;
	json_decref(o);
	*len = out ? strlen(out) : 0;
	return out;
}

/* Append S to the growing buffer, escaping XML's five. */
typedef struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
} sbuf_t;

static void sput(sbuf_t *b, const char *s, bool esc)
{
	for (; s && *s && !b->oom; s++) {
		const char *e = !esc ? NULL : *s == '<' ? "&lt;"
			: *s == '>' ? "&gt;" : *s == '&' ? "&amp;"
			: *s == '"' ? "&quot;" : *s == '\'' ? "&apos;" : NULL;
		size_t n = e ? strlen(e) : 1;

		if (b->len + n + 1 > b->cap) {
			size_t cap = (b->cap + n) * 2 + 256;
			char *p = realloc(b->p, cap);

			if (!p) {
				b->oom = true;
				return;
			}
			b->p = p;
			b->cap = cap;
		}
		memcpy(b->p + b->len, e ? e : s, n);
		b->len += n;
		b->p[b->len] = '\0';
	}
}

char *pushd_api_escape(const char *s)
{
	sbuf_t b = { 0 };

	sput(&b, "", false);
	sput(&b, s, true);
	if (!b.oom && !b.p)
		return strdup("");
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

static char *render_xml(int code, long long msg_id,
			const pushd_sub_ref_t *const *inv, size_t ninv,
			size_t *len)
{
	sbuf_t b = { 0 };
	char num[32];

	snprintf(num, sizeof(num), "%d", code);
	sput(&b, "<messageResponse>\n    <code>", false);
	sput(&b, num, false);
	sput(&b, "</code>\n    <description>", false);
	sput(&b, pushd_api_description(PUSHD_XML, code), true);
	sput(&b, "</description>\n", false);
	if (ninv) {
		sput(&b, "    <invalidSubscribers>\n", false);
		for (size_t i = 0; i < ninv; i++) {
			sput(&b, "        <subscriber ksid=\"", false);
			sput(&b, inv[i]->ksid, true);
			if (inv[i]->ufid) {
				sput(&b, "\" ufid=\"", false);
				sput(&b, inv[i]->ufid, true);
			}
			if (inv[i]->device_id) {
				sput(&b, "\" deviceId=\"", false);
				sput(&b, inv[i]->device_id, true);
			}
			sput(&b, "\"></subscriber>\n", false);
		}
		sput(&b, "    </invalidSubscribers>\n", false);
	}
	if (code == 200) {
		snprintf(num, sizeof(num), "%lld", msg_id);
		sput(&b, "    <messages>\n        <message msgId=\"", false);
		sput(&b, num, false);
		sput(&b, "\"></message>\n    </messages>\n", false);
	} else {
		sput(&b, "    <messages></messages>\n", false);
	}
	sput(&b, "</messageResponse>\n", false);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}

char *pushd_api_render(pushd_fmt_t f, int code, long long msg_id,
		       const pushd_sub_ref_t *const *invalid, size_t ninvalid,
		       size_t *len)
{
	*len = 0;
	return f == PUSHD_JSON
		? render_json(code, msg_id, invalid, ninvalid, len)
		: render_xml(code, msg_id, invalid, ninvalid, len);
}
