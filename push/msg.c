/*
 * msg.c - safe libxml2 parsing of push messages and push content.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlversion.h>

#include "common/dynlib.h"
#include "common/i18n.h"
#include "push/form.h"
#include "push/msg.h"
#include "push/status.h"

/* push/schema.c, generated from etc/push.xsd */
extern const char push_schema_xsd[];

/* postfields URL-encoded: each byte at most three */
#define FORM_MAX (PUSH_MSG_MAX * 3 + 1)

/* A kept parser context is rebuilt once its dictionary holds this many
 * names, so that a stream of pushes with ever new element names cannot
 * grow it without bound. */
#define PARSER_DICT_MAX 2048

/* libxml2 (and ICU and C++ behind it) is loaded by the first push, not by
 * the phone: most phones spend most of their life with no push to parse
 * (common/dynlib.h). */
static struct {
	PN_DYNLIB_PTR(xmlInitParser);
	PN_DYNLIB_PTR(xmlFree);        /* a variable: the free function */
	PN_DYNLIB_PTR(xmlCreateMemoryParserCtxt);
	PN_DYNLIB_PTR(xmlNewParserCtxt);
	PN_DYNLIB_PTR(xmlCtxtReset);
	PN_DYNLIB_PTR(xmlCtxtUseOptions);
	PN_DYNLIB_PTR(xmlFreeParserCtxt);
	PN_DYNLIB_PTR(xmlDictSize);
#if LIBXML_VERSION < 21200
	PN_DYNLIB_PTR(xmlParserInputBufferCreateStatic);
#else
	PN_DYNLIB_PTR(xmlParserInputBufferCreateMem);
#endif
	PN_DYNLIB_PTR(xmlFreeParserInputBuffer);
	PN_DYNLIB_PTR(xmlNewIOInputStream);
	PN_DYNLIB_PTR(inputPush);
	PN_DYNLIB_PTR(xmlParseDocument);
	PN_DYNLIB_PTR(xmlStopParser);
	PN_DYNLIB_PTR(xmlFreeDoc);
	PN_DYNLIB_PTR(xmlDocGetRootElement);
	PN_DYNLIB_PTR(xmlFirstElementChild);
	PN_DYNLIB_PTR(xmlNextElementSibling);
	PN_DYNLIB_PTR(xmlGetNoNsProp);
	PN_DYNLIB_PTR(xmlNodeGetContent);
	PN_DYNLIB_PTR(xmlSchemaNewMemParserCtxt);
	PN_DYNLIB_PTR(xmlSchemaParse);
	PN_DYNLIB_PTR(xmlSchemaFreeParserCtxt);
	PN_DYNLIB_PTR(xmlSchemaNewValidCtxt);
	PN_DYNLIB_PTR(xmlSchemaSetValidStructuredErrors);
	PN_DYNLIB_PTR(xmlSchemaValidateDoc);
	PN_DYNLIB_PTR(xmlSchemaFreeValidCtxt);
	PN_DYNLIB_PTR(xmlSchemaFree);
} libxml;

static const pn_dynlib_sym_t xml_syms[] = {
	PN_DYNLIB_SYM(libxml, xmlInitParser),
	PN_DYNLIB_SYM(libxml, xmlFree),
	PN_DYNLIB_SYM(libxml, xmlCreateMemoryParserCtxt),
	PN_DYNLIB_SYM(libxml, xmlNewParserCtxt),
	PN_DYNLIB_SYM(libxml, xmlCtxtReset),
	PN_DYNLIB_SYM(libxml, xmlCtxtUseOptions),
	PN_DYNLIB_SYM(libxml, xmlFreeParserCtxt),
	PN_DYNLIB_SYM(libxml, xmlDictSize),
#if LIBXML_VERSION < 21200
	PN_DYNLIB_SYM(libxml, xmlParserInputBufferCreateStatic),
#else
	PN_DYNLIB_SYM(libxml, xmlParserInputBufferCreateMem),
#endif
	PN_DYNLIB_SYM(libxml, xmlFreeParserInputBuffer),
	PN_DYNLIB_SYM(libxml, xmlNewIOInputStream),
	PN_DYNLIB_SYM(libxml, inputPush),
	PN_DYNLIB_SYM(libxml, xmlParseDocument),
	PN_DYNLIB_SYM(libxml, xmlStopParser),
	PN_DYNLIB_SYM(libxml, xmlFreeDoc),
	PN_DYNLIB_SYM(libxml, xmlDocGetRootElement),
	PN_DYNLIB_SYM(libxml, xmlFirstElementChild),
	PN_DYNLIB_SYM(libxml, xmlNextElementSibling),
	PN_DYNLIB_SYM(libxml, xmlGetNoNsProp),
	PN_DYNLIB_SYM(libxml, xmlNodeGetContent),
	PN_DYNLIB_SYM(libxml, xmlSchemaNewMemParserCtxt),
	PN_DYNLIB_SYM(libxml, xmlSchemaParse),
	PN_DYNLIB_SYM(libxml, xmlSchemaFreeParserCtxt),
	PN_DYNLIB_SYM(libxml, xmlSchemaNewValidCtxt),
	PN_DYNLIB_SYM(libxml, xmlSchemaSetValidStructuredErrors),
	PN_DYNLIB_SYM(libxml, xmlSchemaValidateDoc),
	PN_DYNLIB_SYM(libxml, xmlSchemaFreeValidCtxt),
	PN_DYNLIB_SYM(libxml, xmlSchemaFree),
};

struct push_schema {
	xmlSchemaPtr schema;
	xmlSchemaValidCtxtPtr valid;   /* reused: one loop, one at a time */
	xmlParserCtxtPtr parser;       /* reused for push messages, same */
};

/* What one parse saw, reached from the libxml2 callbacks. */
typedef struct parse_ctl {
	bool refused;          /* DOCTYPE (message) or entity declaration */
	int first_error;       /* libxml2 code of the first error, 0 none */
	char *why;
	size_t whysz;
} parse_ctl_t;

static void note(parse_ctl_t *pc, const char *msg)
{
	char *nl;

	if (!pc->why || !pc->whysz || *pc->why)
		return;
	snprintf(pc->why, pc->whysz, "%s", msg);
	while ((nl = strpbrk(pc->why, "\r\n")) != NULL)
		*nl = nl[1] ? ' ' : '\0';
}

/* libxml2 ready to use: 0, or -1 with the reason in PC. */
static int xml_ready(parse_ctl_t *pc)
{
	char err[256];

	if (libxml.xmlInitParser)
		return 0;
	if (pn_dynlib_open(XML_SONAME, xml_syms,
			   sizeof(xml_syms) / sizeof(xml_syms[0]), err,
			   sizeof(err)) < 0) {
		note(pc, err);
		return -1;
	}
	libxml.xmlInitParser();
	return 0;
}

static void on_parse_error(void *ctx, xmlErrorPtr e)
{
	parse_ctl_t *pc = ((xmlParserCtxtPtr)ctx)->_private;

	if (!e || e->level < XML_ERR_ERROR)
		return;
	if (!pc->first_error)
		pc->first_error = e->code;
	note(pc, e->message ? e->message : "XML error");
}

static void on_valid_error(void *arg, xmlErrorPtr e)
{
	if (e && e->message)
		note(arg, e->message);
}

static void refuse(void *ctx, const char *why)
{
	xmlParserCtxtPtr c = ctx;
	parse_ctl_t *pc = c->_private;

	if (!pc->refused) {
		pc->refused = true;
		if (pc->why && pc->whysz)
			pc->why[0] = '\0';
		note(pc, why);
	}
	libxml.xmlStopParser(c);
}

static void refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *ext,
		       const xmlChar *sys)
{
	(void)name;
	(void)ext;
	(void)sys;
	refuse(ctx, "a document type declaration is not allowed in a push "
		    "message");
}

/* A page may name its DTD (WML does); it is never loaded. */
static void ignore_dtd(void *ctx, const xmlChar *name, const xmlChar *ext,
		       const xmlChar *sys)
{
	(void)ctx;
	(void)name;
	(void)ext;
	(void)sys;
}

static void refuse_entity(void *ctx, const xmlChar *name, int type,
			  const xmlChar *pub, const xmlChar *sys,
			  xmlChar *content)
{
	(void)name;
	(void)type;
	(void)pub;
	(void)sys;
	(void)content;
	refuse(ctx, "entity declarations are not allowed");
}

static void refuse_unparsed(void *ctx, const xmlChar *name,
			    const xmlChar *pub, const xmlChar *sys,
			    const xmlChar *notation)
{
	(void)name;
	(void)pub;
	(void)sys;
	(void)notation;
	refuse(ctx, "entity declarations are not allowed");
}

static bool encoding_known(const xmlChar *enc)
{
	static const char *const ok[] = {
		"UTF-8", "UTF8", "US-ASCII", "ASCII", "ISO-8859-1",
		"ISO8859-1", "ISO_8859-1", "LATIN1", "LATIN-1",
	};

	if (!enc)
		return true;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcasecmp((const char *)enc, ok[i]) == 0)
			return true;
	return false;
}

/* A parser context reading BUF: KEEP's, reset, when KEEP is given (a push
 * message: creating and freeing a context and its dictionary for every
 * push was a tenth of the Push Agent's cost in bench/push), else a new
 * one.  NULL on ENOMEM. */
static xmlParserCtxtPtr parser_for(xmlParserCtxtPtr *keep, const char *buf,
				   size_t len)
{
	xmlParserInputBufferPtr ib;
	xmlParserInputPtr in;
	xmlParserCtxtPtr c;

	if (!keep)
		return libxml.xmlCreateMemoryParserCtxt(buf, (int)len);
	if (!*keep)
		*keep = libxml.xmlNewParserCtxt();
	c = *keep;
	if (!c)
		return NULL;
	libxml.xmlCtxtReset(c);
	/* read in place: BUF outlives the parse.  libxml2 2.12 deprecates
	 * the static buffer and no longer copies in the memory one. */
#if LIBXML_VERSION < 21200
	ib = libxml.xmlParserInputBufferCreateStatic(buf, (int)len,
						     XML_CHAR_ENCODING_NONE);
#else
	ib = libxml.xmlParserInputBufferCreateMem(buf, (int)len,
						  XML_CHAR_ENCODING_NONE);
#endif
	in = ib ? libxml.xmlNewIOInputStream(c, ib, XML_CHAR_ENCODING_NONE)
		: NULL;
	if (!in) {
		if (ib)
			libxml.xmlFreeParserInputBuffer(ib);
		return NULL;
	}
	libxml.inputPush(c, in);
	return c;
}

/* Give back C: freed unless it is KEEP's and may be used again. */
static void parser_done(xmlParserCtxtPtr *keep, xmlParserCtxtPtr c)
{
	if (!c)
		return;
	if (keep && *keep == c &&
	    libxml.xmlDictSize(c->dict) < PARSER_DICT_MAX) {
		libxml.xmlCtxtReset(c);
		return;
	}
	if (keep && *keep == c)
		*keep = NULL;
	libxml.xmlFreeParserCtxt(c);
}

/* The document, or NULL and *CODE.  MAX: the size cap (307 above it).
 * KEEP: a parser context to reuse, or NULL. */
static xmlDocPtr parse(const char *buf, size_t len, bool page, size_t max,
		       int *code, parse_ctl_t *pc, xmlParserCtxtPtr *keep)
{
	xmlParserCtxtPtr c;
	xmlDocPtr doc = NULL;
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

#if LIBXML_VERSION >= 21300
	opts |= XML_PARSE_NO_XXE;
#endif
	*code = PUSH_OK;
	if (len > max) {
		*code = PUSH_TOO_LARGE;
		note(pc, max == PUSH_MSG_MAX ? "larger than 5 KB"
					     : "larger than the size limit");
		return NULL;
	}
	if (len == 0) {
		*code = PUSH_NO_ELEMENT;
		note(pc, "empty document");
		return NULL;
	}
	c = parser_for(keep, buf, len);
	if (!c) {
		*code = PUSH_INTERNAL;
		note(pc, "out of memory");
		return NULL;
	}
	libxml.xmlCtxtUseOptions(c, opts);
	c->_private = pc;
	c->sax->serror = on_parse_error;
	c->sax->internalSubset = page ? ignore_dtd : refuse_dtd;
	c->sax->externalSubset = NULL;
	c->sax->entityDecl = refuse_entity;
	c->sax->unparsedEntityDecl = refuse_unparsed;
	libxml.xmlParseDocument(c);
	doc = c->myDoc;
	c->myDoc = NULL;
	if (pc->refused) {
		*code = PUSH_INVALID;
	} else if (!c->wellFormed || pc->first_error) {
		switch (pc->first_error) {
		case XML_ERR_DOCUMENT_EMPTY:
			*code = PUSH_NO_ELEMENT;
			break;
		case XML_ERR_UNSUPPORTED_ENCODING:
		case XML_ERR_UNKNOWN_ENCODING:
			*code = PUSH_BAD_ENCODING;
			break;
		default:
			*code = PUSH_NOT_WELL_FORMED;
			break;
		}
	} else if (!doc) {
		*code = PUSH_INTERNAL;
	} else if (!encoding_known(doc->encoding)) {
		*code = PUSH_BAD_ENCODING;
		note(pc, "only UTF-8, US-ASCII and ISO-8859-1 are supported");
	} else if (!libxml.xmlDocGetRootElement(doc)) {
		*code = PUSH_NO_ELEMENT;
		note(pc, "no root element");
	}
	if (*code != PUSH_OK) {
		libxml.xmlFreeDoc(doc);
		doc = NULL;
	}
	parser_done(keep, c);
	return doc;
}

struct _xmlDoc *push_xml_parse(const char *buf, size_t len, size_t max,
			       char *why, size_t whysz)
{
	parse_ctl_t pc = { .why = why, .whysz = whysz };
	int code;

	if (why && whysz)
		why[0] = '\0';
	if (xml_ready(&pc) < 0)
		return NULL;
	return parse(buf, len, false, max, &code, &pc, NULL);
}

static int validate(push_schema_t *sc, xmlDocPtr doc, parse_ctl_t *pc)
{
	xmlSchemaValidCtxtPtr v = sc->valid;
	int rc;

	libxml.xmlSchemaSetValidStructuredErrors(v, on_valid_error, pc);
	rc = libxml.xmlSchemaValidateDoc(v, doc);
	libxml.xmlSchemaSetValidStructuredErrors(v, NULL, NULL);
	if (rc > 0)
		return PUSH_INVALID;
	return rc < 0 ? PUSH_INTERNAL : PUSH_OK;
}

push_schema_t *push_schema_new(char *err, size_t errsz)
{
	push_schema_t *sc = calloc(1, sizeof(*sc));

	if (!sc)
		snprintf(err, errsz, "%s", _("out of memory"));
	return sc;
}

/* The schema compiled, at the first push (with libxml2 loaded): 0, or -1
 * with the reason in PC. */
static int schema_ready(push_schema_t *sc, parse_ctl_t *pc)
{
	xmlSchemaParserCtxtPtr pctx;

	if (sc->valid)
		return 0;
	if (xml_ready(pc) < 0)
		return -1;
	pctx = libxml.xmlSchemaNewMemParserCtxt(push_schema_xsd,
						(int)strlen(push_schema_xsd));
	if (pctx)
		sc->schema = libxml.xmlSchemaParse(pctx);
	libxml.xmlSchemaFreeParserCtxt(pctx);
	if (sc->schema)
		sc->valid = libxml.xmlSchemaNewValidCtxt(sc->schema);
	if (!sc->valid) {
		libxml.xmlSchemaFree(sc->schema);
		sc->schema = NULL;
		note(pc, "the push schema does not compile");
		return -1;
	}
	return 0;
}

void push_schema_free(push_schema_t *sc)
{
	if (!sc)
		return;
	/* all NULL unless a push loaded libxml2 */
	if (sc->parser)
		libxml.xmlFreeParserCtxt(sc->parser);
	if (sc->valid)
		libxml.xmlSchemaFreeValidCtxt(sc->valid);
	if (sc->schema)
		libxml.xmlSchemaFree(sc->schema);
	free(sc);
}

/* ---- helpers ------------------------------------------------------- */

/* A malloc'd copy of attribute NAME (trimmed), or NULL. */
static char *attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = libxml.xmlGetNoNsProp(n, (const xmlChar *)name);
	char *s, *b, *e;

	if (!v)
		return NULL;
	for (b = (char *)v; isspace((unsigned char)*b); b++)
		;
	e = b + strlen(b);
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	s = strndup(b, (size_t)(e - b));
	(*libxml.xmlFree)(v);
	return s;
}

/* Lowercase, without spaces: "Top Line" -> "topline". */
static void squash(char *s)
{
	char *d = s;

	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			*d++ = (char)tolower((unsigned char)*s);
	*d = '\0';
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	for (n = libxml.xmlFirstElementChild(n); n;
	     n = libxml.xmlNextElementSibling(n))
		if (strcmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

/* Append TEXT to OUT (N bytes used, MAX room) with every run of blanks
 * made one space; cut on a UTF-8 character boundary. */
static void add_text(char *out, size_t *n, size_t max, const char *text)
{
	for (; *text && *n + 1 < max; text++) {
		unsigned char ch = (unsigned char)*text;

		if (isspace(ch)) {
			if (*n && out[*n - 1] != ' ')
				out[(*n)++] = ' ';
			continue;
		}
		out[(*n)++] = (char)ch;
	}
	/* do not leave half a character at the cut */
	if (*text && *n) {
		size_t i = *n;

		while (i > 0 && ((unsigned char)out[i - 1] & 0xC0) == 0x80)
			i--;
		if (i > 0 && ((unsigned char)out[i - 1] & 0x80))
			*n = i - 1;
	}
	out[*n] = '\0';
}

static char *collapsed(const char *text, size_t max)
{
	char *out = malloc(max + 1);
	size_t n = 0;

	if (!out)
		return NULL;
	out[0] = '\0';
	add_text(out, &n, max + 1, text);
	while (n && out[n - 1] == ' ')
		out[--n] = '\0';
	return out;
}

/* Cut S after MAXCHARS UTF-8 characters. */
static void cut_chars(char *s, size_t maxchars)
{
	size_t chars = 0;

	for (; *s; s++) {
		if (((unsigned char)*s & 0xC0) != 0x80) {
			if (chars == maxchars) {
				*s = '\0';
				return;
			}
			chars++;
		}
	}
}

static char *node_text(xmlNodePtr n, size_t max)
{
	xmlChar *t = libxml.xmlNodeGetContent(n);
	char *s;

	s = collapsed(t ? (const char *)t : "", max);
	(*libxml.xmlFree)(t);
	return s;
}

static void page_walk(xmlNodePtr n, char *out, size_t *len, size_t max,
		      char **title)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			add_text(out, len, max, (const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)n->name;

			if (strcasecmp(name, "head") == 0 ||
			    strcasecmp(name, "script") == 0 ||
			    strcasecmp(name, "style") == 0)
				continue;
			if (!*title)
				*title = attr(n, "title");
			add_text(out, len, max, " ");
			page_walk(n->children, out, len, max, title);
			add_text(out, len, max, " ");
		}
	}
}

/* ---- the push message ---------------------------------------------- */

static int msg_fill(xmlNodePtr root, push_msg_t *m, parse_ctl_t *pc)
{
	xmlNodePtr go = child(root, "go"), pf;
	char *type = attr(root, "type"), *mode = attr(root, "mode");
	char *alert = attr(root, "alert"), *method;
	char *form = NULL;
	bool any = false;
	int code = PUSH_INTERNAL;

	if (!go || !type)
		goto out;
	squash(type);
	m->type = strcmp(type, "display") == 0 ? PUSH_TYPE_DISPLAY
		: strcmp(type, "topline") == 0 ? PUSH_TYPE_TOPLINE
		: strcmp(type, "audio") == 0 ? PUSH_TYPE_AUDIO
		: PUSH_TYPE_SUBSCRIBE;
	if (mode) {
		squash(mode);
		m->mode = strcmp(mode, "barge") == 0 ? PUSH_MODE_BARGE
						     : PUSH_MODE_NORMAL;
	}
	m->alert = alert ? atoi(alert) : 0;
	m->href = attr(go, "href");
	method = attr(go, "method");
	if (method) {
		squash(method);
		m->post = strcmp(method, "post") == 0;
		free(method);
	}
	/* not calloc: zeroing 15 KB a push showed in bench/push */
	form = malloc(FORM_MAX);
	if (!m->href || !form)
		goto out;
	form[0] = '\0';
	for (pf = libxml.xmlFirstElementChild(go); pf;
	     pf = libxml.xmlNextElementSibling(pf)) {
		xmlChar *name = libxml.xmlGetNoNsProp(pf,
						      (const xmlChar *)"name");
		xmlChar *value = libxml.xmlGetNoNsProp(pf,
						       (const xmlChar *)"value");
		int rc = push_form_append(form, FORM_MAX,
			name ? (const char *)name : "",
			value ? (const char *)value : "");

		(*libxml.xmlFree)(name);
		(*libxml.xmlFree)(value);
		if (rc < 0)
			goto out;
		any = true;
	}
	if (m->post && !any) {
		note(pc, "method=\"post\" without a <postfield>");
		code = PUSH_EMPTY_POST;
		goto out;
	}
	m->form = form;
	form = NULL;
	code = PUSH_OK;
out:
	free(form);
	free(type);
	free(mode);
	free(alert);
	return code;
}

int push_msg_parse(push_schema_t *sc, const char *xml, size_t len,
		   push_msg_t **out, char *why, size_t whysz)
{
	parse_ctl_t pc = { .why = why, .whysz = whysz };
	xmlDocPtr doc;
	xmlNodePtr root;
	push_msg_t *m = NULL;
	int code;

	*out = NULL;
	if (why && whysz)
		why[0] = '\0';
	if (schema_ready(sc, &pc) < 0)
		return PUSH_INTERNAL;
	doc = parse(xml, len, false, PUSH_MSG_MAX, &code, &pc, &sc->parser);
	if (!doc)
		return code;
	root = libxml.xmlDocGetRootElement(doc);
	if (strcmp((const char *)root->name, "Push") != 0) {
		note(&pc, "the root element is not <Push>");
		code = PUSH_BAD_ROOT;
		goto out;
	}
	code = validate(sc, doc, &pc);
	if (code != PUSH_OK)
		goto out;
	m = calloc(1, sizeof(*m));
	if (!m) {
		code = PUSH_INTERNAL;
		goto out;
	}
	code = msg_fill(root, m, &pc);
	if (code == PUSH_OK) {
		*out = m;
		m = NULL;
	}
out:
	push_msg_free(m);
	libxml.xmlFreeDoc(doc);
	return code;
}

push_msg_t *push_msg_dup(const push_msg_t *m)
{
	push_msg_t *d = malloc(sizeof(*d));

	if (!d)
		return NULL;
	*d = *m;
	d->href = m->href ? strdup(m->href) : NULL;
	d->form = m->form ? strdup(m->form) : NULL;
	if ((m->href && !d->href) || (m->form && !d->form)) {
		push_msg_free(d);
		return NULL;
	}
	return d;
}

void push_msg_free(push_msg_t *m)
{
	if (!m)
		return;
	free(m->href);
	free(m->form);
	free(m);
}

/* ---- the push content ---------------------------------------------- */

/* "RTPRx://HOST:PORT" or "RTPRx://STOP". */
static int rtp_url(const char *href, push_content_t *c, parse_ctl_t *pc)
{
	const char *p, *colon;
	char *end;
	long port;

	if (!href || strncasecmp(href, "RTPRx://", 8) != 0)
		goto bad;
	p = href + 8;
	if (strcasecmp(p, "STOP") == 0) {
		c->stop = true;
		return PUSH_OK;
	}
	if (*p == '[') {
		const char *close = strchr(p, ']');

		if (!close || close[1] != ':')
			goto bad;
		c->rtp_host = strndup(p + 1, (size_t)(close - p - 1));
		colon = close + 1;
	} else {
		colon = strrchr(p, ':');
		if (!colon || colon == p)
			goto bad;
		c->rtp_host = strndup(p, (size_t)(colon - p));
	}
	port = strtol(colon + 1, &end, 10);
	if (!c->rtp_host || *end || end == colon + 1 || port < 1 ||
	    port > 65535)
		goto bad;
	c->rtp_port = (int)port;
	return PUSH_OK;
bad:
	note(pc, "the audio <Url href> is not RTPRx://HOST:PORT or "
		 "RTPRx://STOP");
	return PUSH_INVALID;
}

static int content_fill(xmlNodePtr root, push_content_t *c, parse_ctl_t *pc)
{
	xmlNodePtr n;
	char *v;
	int code = PUSH_OK;

	switch (c->type) {
	case PUSH_TYPE_TOPLINE:
		n = child(root, "Topline");
		if (!n)
			break;
		c->text = node_text(n, PUSH_TOPLINE_MAX * 4);
		if (!c->text)
			return PUSH_INTERNAL;
		cut_chars(c->text, PUSH_TOPLINE_MAX);
		return PUSH_OK;
	case PUSH_TYPE_AUDIO:
		n = child(root, "Audio");
		if (!n)
			break;
		v = attr(n, "codec");
		c->pcma = v && strcasecmp(v, "PCMA") == 0;
		free(v);
		v = attr(n, "packetsize");
		c->packetsize = v ? atoi(v) : 40;
		free(v);
		c->timer = 20;
		if (child(n, "AudioTimer")) {
			v = attr(child(n, "AudioTimer"), "value");
			c->timer = v ? (int)strtol(v, NULL, 10) : 20;
			free(v);
			if (c->timer < 5 || c->timer > 30)
				c->timer = c->timer < 5 ? 5 : 30;
		}
		if (child(n, "Promptline"))
			c->text = node_text(child(n, "Promptline"),
					    PUSH_DISPLAY_MAX);
		v = attr(child(n, "Url"), "href");
		code = rtp_url(v, c, pc);
		free(v);
		return code;
	case PUSH_TYPE_SUBSCRIBE:
		n = child(root, "Subscribe");
		if (!n)
			break;
		v = attr(n, "type");
		c->sub_all = v && strcasecmp(v, "all") == 0;
		free(v);
		c->sub_url = attr(child(n, "Url"), "href");
		return c->sub_url ? PUSH_OK : PUSH_INTERNAL;
	case PUSH_TYPE_DISPLAY:
		break;
	}
	note(pc, "the content does not match the push type");
	return PUSH_INVALID;
}

int push_content_parse(push_schema_t *sc, push_type_t type, const char *xml,
		       size_t len, push_content_t **out, char *why,
		       size_t whysz)
{
	parse_ctl_t pc = { .why = why, .whysz = whysz };
	xmlDocPtr doc;
	xmlNodePtr root;
	push_content_t *c;
	int code = PUSH_INTERNAL;

	*out = NULL;
	if (why && whysz)
		why[0] = '\0';
	if (xml_ready(&pc) < 0)
		return PUSH_INTERNAL;
	doc = parse(xml, len, type == PUSH_TYPE_DISPLAY, PUSH_MSG_MAX, &code,
		    &pc, NULL);
	if (!doc)
		return code;
	root = libxml.xmlDocGetRootElement(doc);
	c = calloc(1, sizeof(*c));
	if (!c)
		goto out;
	c->type = type;
	if (type == PUSH_TYPE_DISPLAY) {
		size_t n = 0;

		c->text = malloc(PUSH_DISPLAY_MAX + 1);
		if (!c->text)
			goto out;
		c->text[0] = '\0';
		page_walk(root, c->text, &n, PUSH_DISPLAY_MAX + 1, &c->title);
		while (n && c->text[n - 1] == ' ')
			c->text[--n] = '\0';
		memmove(c->text, c->text + (c->text[0] == ' '),
			strlen(c->text + (c->text[0] == ' ')) + 1);
		code = PUSH_OK;
	} else if (strcmp((const char *)root->name, "Response") != 0) {
		note(&pc, "the root element is not <Response>");
		code = PUSH_BAD_ROOT;
	} else if ((code = validate(sc, doc, &pc)) == PUSH_OK) {
		code = content_fill(root, c, &pc);
	}
	if (code == PUSH_OK) {
		*out = c;
		c = NULL;
	}
out:
	push_content_free(c);
	libxml.xmlFreeDoc(doc);
	return code;
}

void push_content_free(push_content_t *c)
{
	if (!c)
		return;
	free(c->text);
	free(c->title);
	free(c->rtp_host);
	free(c->sub_url);
	free(c);
}

const char *push_type_name(push_type_t t)
{
	switch (t) {
	case PUSH_TYPE_DISPLAY:
		return "display";
	case PUSH_TYPE_TOPLINE:
		return "topline";
	case PUSH_TYPE_AUDIO:
		return "audio";
	case PUSH_TYPE_SUBSCRIBE:
		return "subscribe";
	}
	return "?";
}

const char *push_mode_name(push_mode_t m)
{
	return m == PUSH_MODE_BARGE ? "barge" : "normal";
}
