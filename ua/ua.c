/*
 * ua.c - the nua stack, its one callback, and the UA's life cycle.
 *
 * nua is created on the caller's su_root with its own thread switched off
 * (su_root_threading(root, 0)): with it on, nua would run the SIP stack in
 * a clone thread and every callback would cross threads.  The callback
 * below only routes: registration events to reg.c, call events to call.c.
 */
#include "config.h"

#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ua/ua_priv.h"

#include <jansson.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/su_string.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/soa_tag.h>
#include <sofia-sip/tport_tag.h>
#include <sofia-sip/url.h>

#include "common/i18n.h"
#include "common/route.h"
#include "ua/status.h"

/* How long quit may wait for calls to end and the un-REGISTER answer
 * before it shuts the stack down anyway, and how long after that. */
#define UA_QUIT_WAIT_MS 4000
#define UA_SHUTDOWN_WAIT_MS 2000

/* ---- sip.listen -------------------------------------------------- */

static bool numeric_host(const char *h)
{
	unsigned char b[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, h, b) == 1 || inet_pton(AF_INET6, h, b) == 1;
}

/*
 * The address a wildcard sip.listen binds: the kernel's source address
 * toward the outbound proxy, or without one toward the first registrar,
 * when that is a numeric address of the wildcard's family; else toward
 * the default route (a documentation address: a connected UDP socket
 * sends nothing, and a name is not resolved here, off the loop).  False
 * when there is no route.
 */
static bool wildcard_host(ua_t *ua, bool v6, char *buf, size_t size)
{
	const char *uri = conf_str(ua->conf, "account.outbound_proxy");
	const char *target = v6 ? "2001:db8::1" : "192.0.2.1";
	su_home_t tmp[1] = { SU_HOME_INIT(tmp) };
	const char *host = "";
	url_t *u;
	char h[64];
	bool ok;

	if (!*uri && conf_list_count(ua->conf, "account.registrar"))
		uri = conf_list_item(ua->conf, "account.registrar", 0);
	u = *uri ? url_make(tmp, uri) : NULL;
	if (u && u->url_host)
		host = u->url_host;
	if (host[0] == '[' && strlen(host) > 2)
		snprintf(h, sizeof(h), "%.*s", (int)strlen(host) - 2, host + 1);
	else
		snprintf(h, sizeof(h), "%s", host);
	if (numeric_host(h) && (strchr(h, ':') != NULL) == v6)
		target = h;
	ok = pn_route_source(target, buf, size);
	su_home_deinit(tmp);
	return ok;
}

/*
 * nua binds one URL (udp, tcp, or both when the URL names no transport),
 * so sip.listen may name one HOST:PORT, with udp, tcp or both.
 *
 * A wildcard (0.0.0.0 or [::]) binds wildcard_host(), the address that
 * routes to the PBX.  Not sofia's "*": that binds one socket per local
 * address and sends every request from the first one, whose address is
 * also what Via and Contact say; on a host with a VPN or a container
 * bridge, that is often an address the PBX cannot answer.  (sofia has
 * no way to bind the wildcard address itself: 0.0.0.0 and maddr=0.0.0.0
 * also become one socket per address.)  With no route at all, sofia's
 * choice as before: "*", or "[::]" as written.
 */
static char *listen_url(ua_t *ua, char *err, size_t errsz)
{
	size_t i, n = conf_list_count(ua->conf, "sip.listen");
	const char *hostport = NULL;
	bool udp = false, tcp = false, wild;
	char host[256], canon[64];
	const char *port;

	for (i = 0; i < n; i++) {
		const char *item = conf_list_item(ua->conf, "sip.listen", i);
		const char *hp = strchr(item, ':') + 1;

		if (hostport && strcmp(hostport, hp) != 0) {
			snprintf(err, errsz, _("sip.listen: pnphone listens on "
				 "one HOST:PORT (with udp, tcp or both), not "
				 "'%s' and '%s'"), hostport, hp);
			return NULL;
		}
		hostport = hp;
		if (strncmp(item, "udp:", 4) == 0)
			udp = true;
		else
			tcp = true;
	}
	if (!hostport) {
		snprintf(err, errsz, "%s", _("sip.listen: no address given"));
		return NULL;
	}
	port = strrchr(hostport, ':');
	snprintf(host, sizeof(host), "%.*s", (int)(port - hostport), hostport);
	port++;
	wild = strcmp(host, "0.0.0.0") == 0 || strcmp(host, "[::]") == 0;
	ua->contact_host = su_strdup(ua->home, wild ? "" : host);
	if (wild) {
		bool v6 = host[0] == '[';

		if (wildcard_host(ua, v6, canon, sizeof(canon)))
			snprintf(host, sizeof(host), v6 ? "[%s]" : "%s",
				 canon);
		else if (!v6)
			snprintf(host, sizeof(host), "*");
	}
	return su_sprintf(ua->home, "sip:%s:%s%s", host,
			  strcmp(port, "0") == 0 ? "*" : port,
			  udp && tcp ? "" : udp ? ";transport=udp"
			  : ";transport=tcp");
}

/* ---- helpers shared with reg.c and call.c ------------------------ */

bool ua_contact_tcp(const ua_t *ua, bool over_tcp)
{
	return over_tcp && !su_strcasestr(ua->listen_url, "transport=");
}

bool ua_uri_tcp(const char *uri)
{
	return uri && su_strcasestr(uri, "transport=tcp");
}

bool ua_auth_answer(ua_t *ua, ua_auth_track_t *tr, nua_handle_t *nh,
		    const sip_t *sip)
{
	const msg_auth_t *au = NULL;
	su_home_t tmp[1] = { SU_HOME_INIT(tmp) };
	const char *realm, *user, *stale;
	char auth[600];
	url_t *u;
	int n;

	if (sip && sip->sip_proxy_authenticate)
		au = sip->sip_proxy_authenticate;
	else if (sip && sip->sip_www_authenticate)
		au = sip->sip_www_authenticate;
	if (!au || !au->au_scheme || tr->count >= 4)
		return false;
	/* nua wants the realm with its quotes, as the challenge has it. */
	realm = msg_header_find_param(au->au_common, "realm=");
	if (!realm || strlen(realm) >= sizeof(tr->realm))
		return false;
	stale = msg_header_find_param(au->au_common, "stale=");
	if (tr->count > 0 && strcmp(tr->realm, realm) == 0 &&
	    !(stale && su_casenmatch(stale, "true", 4)))
		return false;
	user = conf_str(ua->conf, "account.user");
	if (!*user) {
		u = url_make(tmp, ua->aor);
		user = u && u->url_user ? u->url_user : "";
	}
	n = snprintf(auth, sizeof(auth), "%s:%s:%s:%s", au->au_scheme, realm,
		     user, conf_str(ua->conf, "account.password"));
	su_home_deinit(tmp);
	if (n < 0 || n >= (int)sizeof(auth))
		return false;
	snprintf(tr->realm, sizeof(tr->realm), "%s", realm);
	tr->count++;
	nua_authenticate(nh, NUTAG_AUTH(auth), TAG_END());
	return true;
}

static bool first_interface_addr(char *buf, size_t size)
{
	struct ifaddrs *ifa, *i;
	bool found = false;

	if (getifaddrs(&ifa) < 0)
		return false;
	for (i = ifa; i && !found; i = i->ifa_next) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)i->ifa_addr;

		if (!s4 || s4->sin_family != AF_INET ||
		    ntohl(s4->sin_addr.s_addr) >> 24 == 127)
			continue;
		found = inet_ntop(AF_INET, &s4->sin_addr, buf,
				  (socklen_t)size) != NULL;
	}
	freeifaddrs(ifa);
	return found;
}

/*
 * The address the SDP advertises must be one the peer can send to: the
 * bound listen address when there is one, else the kernel's source
 * address toward the peer, else the first non-loopback interface.
 */
void ua_local_addr(ua_t *ua, const char *peer_host, char *buf, size_t size)
{
	char h[64];

	if (ua->contact_host && *ua->contact_host) {
		snprintf(h, sizeof(h), "%s", ua->contact_host);
		if (h[0] == '[') {   /* [v6] as written in sip.listen */
			memmove(h, h + 1, strlen(h));
			h[strcspn(h, "]")] = '\0';
		}
		if (numeric_host(h)) {
			snprintf(buf, size, "%s", h);
			return;
		}
	}
	if (peer_host && !numeric_host(peer_host) && peer_host[0] != '[' &&
	    *ua->via_host) {
		/* A name we will not resolve on the loop: the address nua
		 * put in the Via of our accepted REGISTER is the one that
		 * works toward the PBX. */
		snprintf(h, sizeof(h), "%s", ua->via_host);
		if (h[0] == '[') {
			memmove(h, h + 1, strlen(h));
			h[strcspn(h, "]")] = '\0';
		}
		if (numeric_host(h)) {
			snprintf(buf, size, "%s", h);
			return;
		}
	}
	if (peer_host) {
		snprintf(h, sizeof(h), "%s", peer_host);
		if (h[0] == '[') {
			memmove(h, h + 1, strlen(h));
			h[strcspn(h, "]")] = '\0';
		}
		if (pn_route_source(h, buf, size))
			return;
	}
	if (!first_interface_addr(buf, size))
		snprintf(buf, size, "127.0.0.1");
}

void ua_emit_failure(ua_t *ua, const char *name, const char *what, int call,
		     int status, const char *phrase, const char *extra_key,
		     const char *extra_val, int retry_in)
{
	const ua_status_t *st = ua_status_lookup(status);
	const char *local = st ? _(st->explain) : NULL;
	char text[768], line[900];

	/* JSON carries the English explanation for scripts, and the localised
	 * one only when a catalogue translated it. */
	if (st && strcmp(local, st->explain) == 0)
		local = NULL;
	ua_status_format(text, sizeof(text), status, phrase);
	if (retry_in >= 0)
		snprintf(line, sizeof(line), _("%s: %s (retrying in %d s)"),
			 what, text, retry_in);
	else
		snprintf(line, sizeof(line), "%s: %s", what, text);
	ua_event_emit(ua->ev, name, line,
		      "{s:o*, s:i, s:s, s:s*, s:s*, s:s*, s:o*}",
		      "call", call > 0 ? json_integer(call) : NULL,
		      "code", status,
		      "reason", phrase && *phrase ? phrase
				: st ? st->reason : "",
		      "explain", st ? st->explain : NULL,
		      "explain_local", local,
		      extra_key ? extra_key : "x", extra_val,
		      "retry_in", retry_in >= 0 ? json_integer(retry_in)
					: NULL);
}

/* ---- keep-alive ---------------------------------------------------- */

/*
 * A NAT binding for UDP lives 30 s to a few minutes; Asterisk's chan_sip
 * and PJSIP do not do RFC 5626 outbound, so nua's own keep-alive never
 * starts.  An OPTIONS to the registrar over the registration's transport
 * every account.keepalive seconds keeps the mapping open.
 */
static void ping_tick(su_root_magic_t *magic, su_timer_t *t, void *arg)
{
	ua_t *ua = arg;
	const char *registrar;

	(void)magic;
	(void)t;
	if (ua->quitting || strcmp(ua_reg_status(ua->reg), "registered") != 0)
		return;
	registrar = ua_reg_target(ua->reg);
	if (!ua->ping.nh) {
		ua->ping.kind = UA_OBJ_PING;
		ua->ping.nh = nua_handle(ua->nua, &ua->ping,
					 SIPTAG_TO_STR(ua->aor), TAG_END());
	}
	/* One at a time: while the registrar does not answer, keep-alives
	 * must not pile up behind each other. */
	if (ua->ping.nh && registrar && !ua->ping_pending) {
		ua->ping_pending = true;
		nua_options(ua->ping.nh, NUTAG_URL(registrar),
			    SIPTAG_MAX_FORWARDS_STR("70"), TAG_END());
	}
}

/*
 * Any answer, even 404, proves the path is open.  A registrar that
 * challenges OPTIONS as well gets the account's credentials: nua keeps
 * a challenged request waiting for them, and every later OPTIONS on the
 * handle would queue behind it for ever.  Refused credentials cost the
 * handle; the next keep-alive starts on a fresh one.
 */
static void on_ping_answer(ua_t *ua, int status, nua_handle_t *nh,
			   const sip_t *sip)
{
	bool challenged = status == 401 || status == 407;

	if (status < 200)
		return;
	if (challenged && ua_auth_answer(ua, &ua->ping_auth, nh, sip))
		return;
	ua->ping_pending = false;
	memset(&ua->ping_auth, 0, sizeof(ua->ping_auth));
	if (challenged) {
		nua_handle_destroy(ua->ping.nh);
		ua->ping.nh = NULL;
	}
}

/* ---- the nua callback ------------------------------------------------ */

static void on_shutdown(ua_t *ua, int status)
{
	if (status < 200)
		return;
	ua->shutdown_done = true;
	su_root_break(ua->root);
}

/*
 * A NOTIFY for no subscription of ours (nua hands these over because of
 * NUTAG_APPL_METHOD("NOTIFY"); those of our own subscriptions, REFER
 * progress, it still answers 200 itself).  The answer stays what nua
 * gave: 481.  A ua-profile one is a PnP server answering after the
 * provisioning window closed (its agent is gone and the port is ours
 * now), which deserves a word: the phone will not take that URL.
 */
static void on_unsolicited_notify(ua_t *ua, nua_handle_t *nh,
				  const sip_t *sip)
{
	char url[256] = "", text[512];
	const char *reason = "Subscription Does Not Exist";

	nua_respond(nh, 481, reason, NUTAG_WITH_CURRENT(ua->nua), TAG_END());
	if (!sip || !sip->sip_event || !sip->sip_event->o_type ||
	    strcasecmp(sip->sip_event->o_type, "ua-profile") != 0)
		return;
	if (sip->sip_payload && sip->sip_payload->pl_data &&
	    sip->sip_content_type && sip->sip_content_type->c_type &&
	    strcasecmp(sip->sip_content_type->c_type, "application/url") == 0)
		snprintf(url, sizeof(url), "%.*s",
			 (int)(sip->sip_payload->pl_len < sizeof(url) - 1
			       ? sip->sip_payload->pl_len : sizeof(url) - 1),
			 sip->sip_payload->pl_data);
	url[strcspn(url, "\r\n")] = '\0';
	ua_event_fix_utf8(url);
	snprintf(text, sizeof(text), _("provisioning: a PnP NOTIFY came after "
		 "the discovery window and was refused (481)%s%s"),
		 *url ? ": " : "", url);
	ua_event_emit(ua->ev, "pnp_notify_late", text,
		      "{s:i, s:s, s:s*, s:s*}", "code", 481, "reason", reason,
		      "call_id", sip->sip_call_id ? sip->sip_call_id->i_id
						  : NULL,
		      "url", *url ? url : NULL);
}

static void on_unowned(ua_t *ua, nua_event_t event, int status,
		       nua_handle_t *nh, const sip_t *sip)
{
	switch (event) {
	case nua_i_invite:
		ua_call_incoming(ua, nh, sip);
		break;
	case nua_i_refer:
		/* A REFER outside a call would make the phone dial whom a
		 * stranger names (click-to-dial, toll fraud): refused. */
		if (status < 200)
			nua_respond(nh, SIP_403_FORBIDDEN,
				    NUTAG_WITH_THIS(ua->nua), TAG_END());
		nua_handle_destroy(nh);
		break;
	case nua_i_info:
		/* RFC 6086 section 4.2.2: INFO belongs to an INVITE dialog;
		 * nua answered one outside any 200, as if taken. */
		if (status < 200)
			nua_respond(nh, SIP_481_NO_TRANSACTION,
				    NUTAG_WITH_THIS(ua->nua), TAG_END());
		nua_handle_destroy(nh);
		break;
	case nua_i_options:
	case nua_i_notify:
	case nua_i_message:
	case nua_i_subscribe:
	case nua_i_publish:
	case nua_i_method:
	case nua_i_terminated:
		/* An out-of-dialog request nua has answered already (or
		 * refused: Allow names what we serve); nothing of ours
		 * holds the handle. */
		if (nh)
			nua_handle_destroy(nh);
		break;
	case nua_r_method:
		/* the BYE call.c sends for a call nua ended without one */
		if (status >= 200 && nh)
			nua_handle_destroy(nh);
		break;
	default:
		break;
	}
}

static void on_nua(nua_event_t event, int status, char const *phrase,
		   nua_t *nua, void *magic, nua_handle_t *nh, void *hmagic,
		   sip_t const *sip, tagi_t tags[])
{
	ua_t *ua = magic;
	ua_obj_kind_t *kind = hmagic;
	char ph[256];

	(void)nua;
	/* The phrase comes from the network: it must be printable as JSON
	 * wherever it goes. */
	snprintf(ph, sizeof(ph), "%s", phrase ? phrase : "");
	ua_event_fix_utf8(ph);
	phrase = ph;
	if (event == nua_r_shutdown) {
		on_shutdown(ua, status);
		return;
	}
	if (event == nua_i_notify && status < 200) {
		on_unsolicited_notify(ua, nh, sip);
		if (!kind)
			nua_handle_destroy(nh);
		return;
	}
	if (!kind) {
		on_unowned(ua, event, status, nh, sip);
		return;
	}
	switch (*kind) {
	case UA_OBJ_REG:
		ua_reg_event(ua->reg, event, status, phrase, nh, sip);
		break;
	case UA_OBJ_CALL:
		ua_call_event(ua, hmagic, event, status, phrase, nh, sip,
			      tags);
		break;
	case UA_OBJ_PING:
		on_ping_answer(ua, status, nh, sip);
		break;
	}
}

/* ---- life cycle ---------------------------------------------------- */

char *ua_uri_with_transport(ua_t *ua, const char *uri)
{
	const char *q;

	/* sip.transport = tcp applies to every request the UA routes by
	 * itself, unless the URI already says; the parameter goes before
	 * any ?headers. */
	if (!uri || !*uri || strcmp(conf_str(ua->conf, "sip.transport"),
				    "tcp") != 0 || strstr(uri, "transport=") ||
	    strncasecmp(uri, "sip:", 4) != 0)
		return su_strdup(ua->home, uri);
	q = strchr(uri, '?');
	if (!q)
		return su_sprintf(ua->home, "%s;transport=tcp", uri);
	return su_sprintf(ua->home, "%.*s;transport=tcp%s", (int)(q - uri),
			  uri, q);
}

ua_t *ua_create(su_root_t *root, const conf_t *conf, ua_event_t *ev,
		char *err, size_t errsz)
{
	ua_t *ua = calloc(1, sizeof(*ua));
	char *url, *from, *user_part = NULL;
	const char *ua_name, *display;
	url_t *aor_url;

	if (!ua) {
		snprintf(err, errsz, "%s", strerror(ENOMEM));
		return NULL;
	}
	su_home_init(ua->home);
	ua->root = root;
	ua->conf = conf;
	ua->ev = ev;
	ua->state = ua_state_new();
	if (!ua->state)
		goto fail;
	url = listen_url(ua, err, errsz);
	if (!url)
		goto fail;
	ua->listen_url = url;

	ua->aor = su_strdup(ua->home, conf_str(conf, "account.aor"));
	if (!*ua->aor) {
		/* Peer to peer without an account: an AOR at our own host. */
		ua->aor = su_sprintf(ua->home, "sip:pnphone@%s",
			*ua->contact_host ? ua->contact_host : "localhost");
	}
	aor_url = url_make(ua->home, ua->aor);
	if (!aor_url || !aor_url->url_host) {
		snprintf(err, errsz, _("account.aor: '%s' is not a SIP URI"),
			 ua->aor);
		goto fail;
	}
	user_part = aor_url->url_user ? (char *)aor_url->url_user : NULL;
	ua->proxy = *conf_str(conf, "account.outbound_proxy")
		? ua_uri_with_transport(ua, conf_str(conf, "account.outbound_proxy"))
		: NULL;
	display = conf_str(conf, "account.display_name");
	from = *display ? su_sprintf(ua->home, "\"%s\" <%s>", display, ua->aor)
			: su_sprintf(ua->home, "<%s>", ua->aor);
	ua_name = *conf_str(conf, "sip.user_agent")
		? conf_str(conf, "sip.user_agent") : PACKAGE_NAME "/" VERSION;

	su_root_threading(root, 0);
	ua->nua = nua_create(root, on_nua, ua,
		NUTAG_URL(url),
		SIPTAG_FROM_STR(from),
		TAG_IF(user_part, NUTAG_M_USERNAME(user_part)),
		TAG_IF(*display, NUTAG_M_DISPLAY(display)),
		NUTAG_USER_AGENT(ua_name),
		/* validate probes the AOR, not the registrar, and the
		 * outbound keep-alive goes there too: our own OPTIONS
		 * keep-alive replaces both. */
		NUTAG_OUTBOUND("no-validate no-options-keepalive"),
		TAG_IF(ua->proxy, NUTAG_PROXY(ua->proxy)),
		NUTAG_AUTOALERT(0),
		NUTAG_AUTOANSWER(0),
		NUTAG_AUTOACK(1),
		/* 18x without 100rel: PRACK only when the peer requires it. */
		NUTAG_EARLY_MEDIA(0),
		/* Retry-After is honoured by reg.c so that it can also move
		 * to the next registrar. */
		NUTAG_MAX_RETRY_AFTER(0),
		/* nua would follow a 302 inside one request and forget it:
		 * the un-REGISTER would then go to the old registrar.
		 * reg.c and call.c follow every 3xx themselves. */
		NUTAG_AUTO302(0),
		NUTAG_SESSION_TIMER(conf_uint(conf, "call.session_expires")),
		NUTAG_MIN_SE(90),
		NUTAG_SESSION_REFRESHER(nua_any_refresher),
		/* What this phone serves; nua's default also lists MESSAGE,
		 * SUBSCRIBE and PRACK-less extras we answer 405. */
		SIPTAG_ALLOW_STR("INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, "
				 "REFER, NOTIFY, UPDATE, PRACK"),
		/* No "replaces": an INVITE with Replaces is not served. */
		NUTAG_SUPPORTED("timer"),
		/* Unsolicited NOTIFYs come to on_unsolicited_notify; every
		 * REFER and INFO to call.c or on_unowned, which refuses
		 * those outside a call (nua would accept them, 202 or 200,
		 * and then nothing). */
		NUTAG_APPL_METHOD("NOTIFY"),
		NUTAG_APPL_METHOD("REFER"),
		NUTAG_APPL_METHOD("INFO"),
		SOATAG_AF(SOA_AF_IP4_IP6),
		TAG_IF(conf_bool(conf, "log.sip"), TPTAG_LOG(1)),
		TAG_END());
	if (!ua->nua) {
		snprintf(err, errsz, _("cannot listen on %s: %s"), url,
			 strerror(errno ? errno : EADDRINUSE));
		goto fail;
	}
	ua->reg = ua_reg_create(ua);
	ua->quit_timer = su_timer_create(su_root_task(root), 0);
	ua->ping_timer = su_timer_create(su_root_task(root), 0);
	if (!ua->reg || !ua->quit_timer || !ua->ping_timer) {
		snprintf(err, errsz, "%s", strerror(ENOMEM));
		goto fail;
	}
	return ua;
fail:
	ua_destroy(ua);
	return NULL;
}

void ua_start(ua_t *ua)
{
	size_t i, n = conf_list_count(ua->conf, "sip.listen");
	json_t *listen = json_array();
	char text[512];
	unsigned ka = conf_uint(ua->conf, "account.keepalive");

	for (i = 0; i < n; i++)
		json_array_append_new(listen, json_string(
			conf_list_item(ua->conf, "sip.listen", i)));
	snprintf(text, sizeof(text), _("ready: %s listening on %s"), ua->aor,
		 conf_str(ua->conf, "sip.listen"));
	ua_event_emit(ua->ev, "ready", text, "{s:o, s:s, s:s, s:s}",
		      "listen", listen, "bound", ua->listen_url,
		      "aor", ua->aor, "version", VERSION);
	if (conf_bool(ua->conf, "account.register")) {
		ua_reg_start(ua->reg);
		/* Over TCP the connection itself keeps the NAT binding. */
		if (ka > 0 && strcmp(conf_str(ua->conf, "sip.transport"),
				     "udp") == 0) {
			su_timer_destroy(ua->ping_timer);
			ua->ping_timer = su_timer_create(su_root_task(ua->root),
							 ka * 1000);
			if (ua->ping_timer)
				su_timer_run(ua->ping_timer, ping_tick, ua);
		}
	}
}

static void ua_error(ua_t *ua, const char *msg)
{
	char text[300];

	snprintf(text, sizeof(text), _("error: %s"), msg);
	ua_event_emit(ua->ev, "error", text, "{s:s}", "message", msg);
}

void ua_command(ua_t *ua, const ua_cli_cmd_t *cmd)
{
	const char *rs = ua_reg_status(ua->reg);

	if (ua->quitting) {
		ua_error(ua, _("shutting down"));
		return;
	}
	switch (cmd->kind) {
	case UA_CLI_REGISTER:
		if (!conf_bool(ua->conf, "account.register"))
			ua_error(ua, _("account.register is off"));
		else if (strcmp(rs, "unregistering") == 0)
			ua_error(ua, _("an un-REGISTER is in progress"));
		else
			ua_reg_start(ua->reg);
		break;
	case UA_CLI_UNREGISTER:
		if (strcmp(rs, "registered") != 0 &&
		    strcmp(rs, "registering") != 0 &&
		    strcmp(rs, "unregistering") != 0)
			ua_error(ua, _("not registered"));
		else
			ua_reg_stop(ua->reg);
		break;
	default:
		ua_call_command(ua, cmd);
		break;
	}
}

static void shutdown_stack(ua_t *ua);

static void quit_expired(su_root_magic_t *magic, su_timer_t *t, void *arg)
{
	ua_t *ua = arg;

	(void)magic;
	(void)t;
	if (!ua->shutdown_sent) {
		shutdown_stack(ua);
		return;
	}
	/* nua did not finish its shutdown in time either. */
	su_root_break(ua->root);
}

static void shutdown_stack(ua_t *ua)
{
	ua->shutdown_sent = true;
	/* Handles with pending client transactions would keep nua's
	 * shutdown waiting for their timers (32 s): drop them first. */
	ua_call_free_all(ua);
	if (ua->ping.nh) {
		nua_handle_destroy(ua->ping.nh);
		ua->ping.nh = NULL;
	}
	ua_reg_destroy(ua->reg);
	ua->reg = NULL;
	su_timer_set_interval(ua->quit_timer, quit_expired, ua,
			      UA_SHUTDOWN_WAIT_MS);
	nua_shutdown(ua->nua);
}

void ua_maybe_finish_quit(ua_t *ua)
{
	if (!ua->quitting || ua->shutdown_sent)
		return;
	if (ua->calls || (ua->reg && ua_reg_busy(ua->reg)))
		return;
	shutdown_stack(ua);
}

void ua_quit(ua_t *ua)
{
	if (ua->quitting)
		return;
	ua->quitting = true;
	su_timer_reset(ua->ping_timer);
	su_timer_set_interval(ua->quit_timer, quit_expired, ua,
			      UA_QUIT_WAIT_MS);
	ua_call_end_all(ua);
	ua_reg_stop(ua->reg);
	ua_maybe_finish_quit(ua);
}

void ua_destroy(ua_t *ua)
{
	int i;

	if (!ua)
		return;
	ua_call_free_all(ua);
	if (ua->ping.nh)
		nua_handle_destroy(ua->ping.nh);
	ua->ping.nh = NULL;
	ua_reg_destroy(ua->reg);
	ua->reg = NULL;
	su_timer_destroy(ua->quit_timer);
	su_timer_destroy(ua->ping_timer);
	if (ua->nua && !ua->shutdown_done) {
		/* Destroyed without ua_quit (a start-up failure): nua must
		 * still be shut down first, or nua_destroy asserts. */
		if (!ua->shutdown_sent)
			nua_shutdown(ua->nua);
		for (i = 0; i < 300 && !ua->shutdown_done; i++)
			su_root_step(ua->root, 10);
	}
	if (ua->nua && ua->shutdown_done)
		nua_destroy(ua->nua);
	ua_state_free(ua->state);
	su_home_deinit(ua->home);
	free(ua);
}

ua_state_t *ua_phone_state(ua_t *ua)
{
	return ua->state;
}

bool ua_registered(ua_t *ua)
{
	return ua && ua->reg && strcmp(ua_reg_status(ua->reg),
				       "registered") == 0;
}
