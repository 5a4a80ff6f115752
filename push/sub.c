/*
 * sub.c - subscription requests to push.subscribelist, with retries.
 */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#define SU_WAKEUP_ARG_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#include "common/curl_dl.h"
#include "common/i18n.h"
#include "common/route.h"
#include "push/form.h"
#include "push/sub.h"

#define SERVERS_MAX 8

typedef struct server {
	struct push_sub *s;
	char *url;
	unsigned retries_left;
	su_timer_t *timer;
	push_xfer_t *xfer;
	bool retry;            /* this request may be retried */
	unsigned attempt;
} server_t;

struct push_sub {
	su_root_t *root;
	push_fetch_t *fetch;
	ua_event_t *ev;
	const conf_t *conf;
	server_t servers[SERVERS_MAX];
	size_t n;
};

/* The user part of account.aor: "sip:2001@pbx" -> "2001". */
static void extension(const conf_t *conf, char *buf, size_t size)
{
	const char *aor = conf_str(conf, "account.aor"), *p, *at;

	p = strchr(aor, ':');
	p = p ? p + 1 : aor;
	at = strchr(p, '@');
	snprintf(buf, size, "%.*s", at ? (int)(at - p) : 0, p);
}

/* The host part of URL, without IPv6 brackets. */
static bool url_host(const char *url, char *buf, size_t size)
{
	char err[256];
	CURLU *u;
	char *host = NULL;
	bool ok = false;

	if (pn_curl_load(err, sizeof(err)) < 0)
		return false;
	u = pn_curl.curl_url();
	if (u && !pn_curl.curl_url_set(u, CURLUPART_URL, url, 0) &&
	    !pn_curl.curl_url_get(u, CURLUPART_HOST, &host, 0)) {
		size_t l = strlen(host);

		if (l > 2 && host[0] == '[' && host[l - 1] == ']')
			snprintf(buf, size, "%.*s", (int)l - 2, host + 1);
		else
			snprintf(buf, size, "%s", host);
		ok = true;
	}
	pn_curl.curl_free(host);
	pn_curl.curl_url_cleanup(u);
	return ok;
}

/* Our address toward URL's host: the routing table's choice (a connected
 * UDP socket sends nothing), else push.listen's host, else 0.0.0.0. */
static void local_ip(const push_sub_t *s, const char *url, char *buf,
		     size_t size)
{
	const char *listen = conf_str(s->conf, "push.listen");
	const char *colon = strrchr(listen, ':');
	char host[256];

	if (url_host(url, host, sizeof(host)) &&
	    pn_route_source(host, buf, size))
		return;
	snprintf(buf, size, "0.0.0.0");
	if (colon && colon != listen && strncmp(listen, "0.0.0.0:", 8) != 0 &&
	    listen[0] != '[')
		snprintf(buf, size, "%.*s", (int)(colon - listen), listen);
}

/* The MAC address of the interface that has address IP. */
static void mac_of(const char *ip, char *buf, size_t size)
{
	struct ifaddrs *ifs = NULL, *i, *j;
	char addr[64];

	snprintf(buf, size, "00:00:00:00:00:00");
	if (getifaddrs(&ifs) < 0)
		return;
	for (i = ifs; i; i = i->ifa_next) {
		if (!i->ifa_addr || (i->ifa_addr->sa_family != AF_INET &&
				     i->ifa_addr->sa_family != AF_INET6))
			continue;
		if (getnameinfo(i->ifa_addr, i->ifa_addr->sa_family == AF_INET
				? sizeof(struct sockaddr_in)
				: sizeof(struct sockaddr_in6), addr,
				sizeof(addr), NULL, 0, NI_NUMERICHOST) != 0 ||
		    strcmp(addr, ip) != 0)
			continue;
		for (j = ifs; j; j = j->ifa_next) {
			const struct sockaddr_ll *ll;

			if (!j->ifa_addr || j->ifa_addr->sa_family != AF_PACKET ||
			    strcmp(j->ifa_name, i->ifa_name) != 0)
				continue;
			ll = (const struct sockaddr_ll *)j->ifa_addr;
			if (ll->sll_halen == 6)
				snprintf(buf, size,
					 "%02x:%02x:%02x:%02x:%02x:%02x",
					 ll->sll_addr[0], ll->sll_addr[1],
					 ll->sll_addr[2], ll->sll_addr[3],
					 ll->sll_addr[4], ll->sll_addr[5]);
			break;
		}
		break;
	}
	freeifaddrs(ifs);
}

static void send_one(server_t *sv);

static void on_retry(su_root_magic_t *magic, su_timer_t *t, void *arg)
{
	(void)magic;
	(void)t;
	send_one(arg);
}

static void on_done(void *arg, push_fetch_result_t r, long status,
		    const char *body, size_t len, const char *err)
{
	server_t *sv = arg;
	push_sub_t *s = sv->s;
	char text[1200], why[256];
	unsigned wait = conf_uint(s->conf, "push.subscribe_retry");

	(void)body;
	(void)len;
	sv->xfer = NULL;
	if (r == PUSH_FETCH_OK && status == 200) {
		snprintf(text, sizeof(text), _("push: subscribed to %s"),
			 sv->url);
		ua_event_emit(s->ev, "push_subscribed", text,
			      "{s:s, s:i, s:i}", "url", sv->url, "code", 200,
			      "attempt", (int)sv->attempt);
		sv->retries_left = 0;
		return;
	}
	if (r == PUSH_FETCH_OK)
		snprintf(why, sizeof(why), _("the server answered %ld"),
			 status);
	else
		snprintf(why, sizeof(why), "%s", err ? err : "?");
	if (sv->retry && sv->retries_left > 0) {
		sv->retries_left--;
		su_timer_set_interval(sv->timer, on_retry, sv,
				      (su_duration_t)wait * 1000);
	} else {
		wait = 0;
	}
	snprintf(text, sizeof(text), _("push: subscription to %s failed: %s"),
		 sv->url, why);
	ua_event_emit(s->ev, "push_subscribe_failed", text,
		      "{s:s, s:s, s:i, s:i, s:o*}", "url", sv->url, "why", why,
		      "code", (int)status, "attempt", (int)sv->attempt,
		      "retry_in", wait ? json_integer(wait) : NULL);
}

static void send_one(server_t *sv)
{
	push_sub_t *s = sv->s;
	char ip[64], mac[32], extn[128], query[512], *url;
	size_t need;

	if (sv->xfer)
		return;   /* one request at a time per server */
	local_ip(s, sv->url, ip, sizeof(ip));
	mac_of(ip, mac, sizeof(mac));
	extension(s->conf, extn, sizeof(extn));
	query[0] = '\0';
	/* the documented form: '+' between the pairs */
	/* MAC and ip are hex digits, dots and colons: safe in a query */
	snprintf(query, sizeof(query), "MAC=%s+", mac);
	push_form_append(query + strlen(query), sizeof(query) - strlen(query),
			 "Extn", extn);
	snprintf(query + strlen(query), sizeof(query) - strlen(query),
		 "+ip=%s+", ip);
	push_form_append(query + strlen(query), sizeof(query) - strlen(query),
			 "SetID", conf_str(s->conf, "push.set_id"));
	need = strlen(sv->url) + strlen(query) + 2;
	url = malloc(need);
	if (!url)
		return;
	snprintf(url, need, "%s%c%s", sv->url,
		 strchr(sv->url, '?') ? '&' : '?', query);
	sv->attempt++;
	sv->xfer = push_fetch_start(s->fetch, url, NULL, 4096, 10000,
				    on_done, sv);
	if (!sv->xfer)
		on_done(sv, PUSH_FETCH_FAILED, 0, "", 0,
			*push_fetch_error(s->fetch)
			? push_fetch_error(s->fetch)
			: _("cannot start the request"));
	free(url);
}

push_sub_t *push_sub_new(su_root_t *root, push_fetch_t *fetch,
			 ua_event_t *ev, const conf_t *conf)
{
	push_sub_t *s = calloc(1, sizeof(*s));
	const char *p = conf_str(conf, "push.subscribelist");

	if (!s)
		return NULL;
	s->root = root;
	s->fetch = fetch;
	s->ev = ev;
	s->conf = conf;
	while (*p && s->n < SERVERS_MAX) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		server_t *sv = &s->servers[s->n];

		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len) {
			sv->s = s;
			sv->url = strndup(p, len);
			sv->timer = su_timer_create(su_root_task(root), 0);
			if (!sv->url || !sv->timer) {
				push_sub_free(s);
				return NULL;
			}
			s->n++;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	return s;
}

void push_sub_free(push_sub_t *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < SERVERS_MAX; i++) {
		push_fetch_cancel(s->servers[i].xfer);
		su_timer_destroy(s->servers[i].timer);
		free(s->servers[i].url);
	}
	free(s);
}

bool push_sub_empty(const push_sub_t *s)
{
	return !s || s->n == 0;
}

bool push_sub_listed(const push_sub_t *s, const char *url)
{
	for (size_t i = 0; s && url && i < s->n; i++)
		if (strcmp(s->servers[i].url, url) == 0)
			return true;
	return false;
}

void push_sub_boot(push_sub_t *s)
{
	for (size_t i = 0; s && i < s->n; i++) {
		server_t *sv = &s->servers[i];

		su_timer_reset(sv->timer);
		sv->retry = true;
		sv->retries_left = PUSH_SUB_RETRIES;
		sv->attempt = 0;
		send_one(sv);
	}
}

void push_sub_push(push_sub_t *s, const char *url)
{
	for (size_t i = 0; s && i < s->n; i++) {
		server_t *sv = &s->servers[i];

		if (url && strcmp(sv->url, url) != 0)
			continue;
		/* a pushed re-subscription is not retried */
		su_timer_reset(sv->timer);
		sv->retry = false;
		sv->attempt = 0;
		send_one(sv);
	}
}
