/*
 * reg.c - registration of the one account: REGISTER, challenges, refresh,
 * failover across registrars, back-off, un-REGISTER.
 *
 * nua already does some of it and is left to: it refreshes a binding
 * before it expires, retries through the proxy a 305 names, and retries
 * a 423 with the server's Min-Expires.  What it does not do is ours:
 * answering 401/407 (once per challenge), following 3xx (so that the
 * un-REGISTER goes where the binding is), Retry-After together with
 * failover to the next registrar (nua's own Retry-After restart is off),
 * back-off with jitter when a server gives no Retry-After, stopping
 * for good on answers that retrying cannot fix (403, 404, 6xx, bad
 * credentials), and the way back to the first registrar once it is up
 * again (account.registrar_fallback).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ua/ua_priv.h"

#include <sofia-sip/sip_header.h>
#include <sofia-sip/su_string.h>

#include "common/i18n.h"

#define REG_MAX_REDIRECTS 5
#define REG_BACKOFF_BASE 10   /* seconds, doubled per failed round */

typedef enum {
	REG_IDLE,          /* never started, or unregistered */
	REG_REGISTERING,   /* REGISTER in flight */
	REG_REGISTERED,    /* binding in place, nua refreshes it */
	REG_WAITING,       /* back-off timer running */
	REG_UNREGISTERING, /* un-REGISTER in flight */
	REG_STOPPED,       /* gave up: needs a new configuration */
} reg_st_t;

static const char *const reg_st_names[] = {
	"idle", "registering", "registered", "waiting", "unregistering",
	"failed",
};

struct ua_reg {
	ua_obj_kind_t kind;      /* UA_OBJ_REG: first, see ua_priv.h */
	ua_t *ua;
	nua_handle_t *nh;
	reg_st_t st;
	size_t idx;              /* registrar tried now */
	size_t tried;            /* registrars tried in this round */
	unsigned rounds;         /* failed rounds since the last success */
	ua_auth_track_t auth;    /* challenges answered since last 2xx */
	unsigned redirects;
	char *target;            /* registrar URI in use (may be a 3xx one) */
	char *nh_target;         /* the registrar reg->nh registers with */
	char *call_id;           /* of every REGISTER to nh_target */
	su_timer_t *timer;
	/* Registered at a later registrar: a REGISTER to the first one
	 * every account.registrar_fallback seconds, on a handle of its own,
	 * until one is accepted; the binding left behind is then removed. */
	su_timer_t *probe_timer;
	nua_handle_t *probe_nh;
	char *first_call_id;     /* of every REGISTER to the first registrar */
	ua_auth_track_t probe_auth;
	nua_handle_t *leaving[2]; /* un-REGISTERing bindings we moved from */
	ua_auth_track_t leaving_auth[2];
};

static const char *reg_registrar(ua_reg_t *reg, size_t i)
{
	return conf_list_item(reg->ua->conf, "account.registrar", i);
}

static size_t reg_count(ua_reg_t *reg)
{
	return conf_list_count(reg->ua->conf, "account.registrar");
}

ua_reg_t *ua_reg_create(ua_t *ua)
{
	ua_reg_t *reg = su_zalloc(ua->home, sizeof(*reg));

	if (!reg)
		return NULL;
	reg->kind = UA_OBJ_REG;
	reg->ua = ua;
	reg->timer = su_timer_create(su_root_task(ua->root), 0);
	reg->probe_timer = su_timer_create(su_root_task(ua->root), 0);
	if (!reg->timer || !reg->probe_timer) {
		su_timer_destroy(reg->timer);
		su_timer_destroy(reg->probe_timer);
		su_free(ua->home, reg);
		return NULL;
	}
	return reg;
}

/* The handle goes, the registrar and its Call-ID stay: the next REGISTER
 * to the same registrar continues the same registration. */
static void reg_drop(nua_handle_t **nh)
{
	if (*nh) {
		nua_handle_bind(*nh, NULL);
		nua_handle_destroy(*nh);
		*nh = NULL;
	}
}

static void reg_drop_handle(ua_reg_t *reg)
{
	reg_drop(&reg->nh);
}

static void reg_forget_target(ua_reg_t *reg)
{
	reg_drop_handle(reg);
	su_free(reg->ua->home, reg->nh_target);
	reg->nh_target = NULL;
	su_free(reg->ua->home, reg->call_id);
	reg->call_id = NULL;
}

/* Take NH's binding away: un-REGISTER on it (removing whatever binding a
 * REGISTER still in flight makes); the handle goes with the answer. */
static void reg_leave(ua_reg_t *reg, nua_handle_t *nh)
{
	size_t i = reg->leaving[0] ? 1 : 0;

	if (reg->leaving[0] && reg->leaving[1]) {
		/* two at once at most: the oldest gives way */
		reg_drop(&reg->leaving[0]);
		reg->leaving[0] = reg->leaving[1];
		reg->leaving_auth[0] = reg->leaving_auth[1];
		reg->leaving[1] = NULL;
	}
	reg->leaving[i] = nh;
	memset(&reg->leaving_auth[i], 0, sizeof(reg->leaving_auth[i]));
	nua_unregister(nh, TAG_END());
}

void ua_reg_destroy(ua_reg_t *reg)
{
	if (!reg)
		return;
	reg_forget_target(reg);
	reg_drop(&reg->probe_nh);
	reg_drop(&reg->leaving[0]);
	reg_drop(&reg->leaving[1]);
	su_free(reg->ua->home, reg->first_call_id);
	su_timer_destroy(reg->probe_timer);
	su_timer_destroy(reg->timer);
	su_free(reg->ua->home, reg->target);
	su_free(reg->ua->home, reg);
}

bool ua_reg_busy(const ua_reg_t *reg)
{
	return reg->st == REG_UNREGISTERING || reg->leaving[0] ||
	       reg->leaving[1];
}

const char *ua_reg_status(const ua_reg_t *reg)
{
	return reg ? reg_st_names[reg->st] : "idle";
}

const char *ua_reg_target(const ua_reg_t *reg)
{
	return reg ? reg->target : NULL;
}

const char *ua_reg_registered_at(const ua_reg_t *reg)
{
	return reg && reg->st == REG_REGISTERED ? reg->target : NULL;
}

/* A Call-ID for the REGISTERs to a registrar, in UA's home: the first
 * registrar's is always the same one, whichever handle sends it (RFC
 * 3261 section 10.2), so that it can be tried again from another. */
static char *reg_call_id(ua_reg_t *reg, bool first)
{
	su_home_t *home = reg->ua->home;
	sip_call_id_t *i;
	char *id;

	if (first && reg->first_call_id)
		return su_strdup(home, reg->first_call_id);
	i = sip_call_id_create(home, NULL);
	id = i ? su_strdup(home, i->i_id) : NULL;
	su_free(home, i);
	if (first && id)
		reg->first_call_id = su_strdup(home, id);
	return id;
}

static void reg_register(ua_reg_t *reg, nua_handle_t *nh, const char *target,
			 const char *call_id)
{
	ua_t *ua = reg->ua;
	char expires[16];

	snprintf(expires, sizeof(expires), "%u",
		 conf_uint(ua->conf, "account.expires"));
	nua_register(nh, NUTAG_REGISTRAR(target), SIPTAG_CALL_ID_STR(call_id),
		     TAG_IF(ua_contact_tcp(ua, ua_uri_tcp(ua->proxy ? ua->proxy
								    : target)),
			    NUTAG_M_PARAMS("transport=tcp")),
		     SIPTAG_EXPIRES_STR(expires), TAG_END());
}

/*
 * Send a REGISTER to reg->target.  The same registrar keeps its handle,
 * so every REGISTER to it carries the same Call-ID with a rising CSeq
 * (RFC 3261 §10.2); a new registrar gets a fresh handle: a new
 * registration, with no stale credentials or timers.
 */
static void reg_send(ua_reg_t *reg)
{
	ua_t *ua = reg->ua;
	char text[600];

	if (reg->nh_target && strcmp(reg->nh_target, reg->target) != 0)
		reg_forget_target(reg);
	if (!reg->nh_target) {
		/* nua would start a new Call-ID after a failed REGISTER and
		 * on a new handle; ours keeps one per registrar. */
		reg->nh_target = su_strdup(ua->home, reg->target);
		reg->call_id = reg_call_id(reg, reg->idx == 0 &&
					   !reg->redirects);
	}
	if (!reg->nh)
		reg->nh = nua_handle(ua->nua, reg, SIPTAG_TO_STR(ua->aor),
				     TAG_END());
	if (!reg->nh || !reg->nh_target || !reg->call_id) {
		reg_forget_target(reg);
		ua_event_emit(ua->ev, "error", _("error: out of memory"),
			      "{s:s}", "message", _("out of memory"));
		return;
	}
	reg->st = REG_REGISTERING;
	memset(&reg->auth, 0, sizeof(reg->auth));
	snprintf(text, sizeof(text), _("registering %s at %s"), ua->aor,
		 reg->target);
	ua_event_emit(ua->ev, "registering", text, "{s:s, s:s}",
		      "registrar", reg->target, "aor", ua->aor);
	reg_register(reg, reg->nh, reg->target, reg->call_id);
}

static void reg_use(ua_reg_t *reg, const char *uri)
{
	char *t = ua_uri_with_transport(reg->ua, uri);

	su_free(reg->ua->home, reg->target);
	reg->target = t;
}

static void reg_timer_fired(su_root_magic_t *m, su_timer_t *t, void *arg)
{
	ua_reg_t *reg = arg;

	(void)m;
	(void)t;
	if (reg->st == REG_WAITING)
		reg_send(reg);
}

void ua_reg_start(ua_reg_t *reg)
{
	if (!reg || reg_count(reg) == 0)
		return;
	su_timer_reset(reg->timer);
	reg->idx = 0;
	reg->tried = 1;
	reg->redirects = 0;
	reg_use(reg, reg_registrar(reg, 0));
	reg_send(reg);
}

/* Back-off without Retry-After: 10 s doubled per failed round, capped at
 * account.retry_max, times a random 0.5-1.0 so that a site full of phones
 * that lost their server together does not come back together. */
static unsigned reg_backoff(ua_reg_t *reg)
{
	unsigned cap = conf_uint(reg->ua->conf, "account.retry_max");
	unsigned n = reg->rounds > 16 ? 16 : reg->rounds;
	unsigned long base = (unsigned long)REG_BACKOFF_BASE << n;
	unsigned d;

	if (base > cap)
		base = cap;
	d = (unsigned)(base / 2 + (unsigned long)random() % (base / 2 + 1));
	return d ? d : 1;
}

/* A failure that another try may cure: the next registrar at once, or
 * the first one again after Retry-After or back-off. */
static void reg_retry(ua_reg_t *reg, int status, const char *phrase,
		      const sip_t *sip)
{
	ua_t *ua = reg->ua;
	unsigned delay;

	/* After a failed refresh nua un-REGISTERs on this handle by itself;
	 * a fresh handle (same Call-ID) keeps that out of our way. */
	reg_drop_handle(reg);
	if (reg->tried < reg_count(reg)) {
		ua_emit_failure(ua, "registration_failed",
				_("registration failed"), 0, status, phrase,
				"registrar", reg->target, 0);
		reg->idx = (reg->idx + 1) % reg_count(reg);
		reg->tried++;
		reg_use(reg, reg_registrar(reg, reg->idx));
		reg_send(reg);
		return;
	}
	/* Retry-After is honoured up to account.retry_max: a server must
	 * not be able to silence the phone for a day. */
	if (sip && sip->sip_retry_after && sip->sip_retry_after->af_delta > 0)
		delay = (unsigned)sip->sip_retry_after->af_delta;
	else
		delay = reg_backoff(reg);
	if (delay > conf_uint(ua->conf, "account.retry_max"))
		delay = conf_uint(ua->conf, "account.retry_max");
	reg->rounds++;
	ua_emit_failure(ua, "registration_failed", _("registration failed"),
			0, status, phrase, "registrar", reg->target,
			(int)delay);
	/* The next round starts again with the preferred registrar. */
	reg->idx = 0;
	reg->tried = 1;
	reg->redirects = 0;
	reg_use(reg, reg_registrar(reg, 0));
	reg->st = REG_WAITING;
	su_timer_set_interval(reg->timer, reg_timer_fired, reg, delay * 1000);
}

static void reg_give_up(ua_reg_t *reg, int status, const char *phrase)
{
	reg_drop_handle(reg);
	reg->st = REG_STOPPED;
	ua_emit_failure(reg->ua, "registration_failed",
			_("registration failed"), 0, status, phrase,
			"registrar", reg->target, -1);
}

/* Is M the binding this phone registered?  A registrar answers with
 * every binding of the AOR, other devices' too; ours has our listen
 * port and, when we listen on one address, our host. */
static bool contact_is_ours(ua_reg_t *reg, const sip_contact_t *m)
{
	const char *listen = conf_list_item(reg->ua->conf, "sip.listen", 0);
	const char *port = strrchr(listen, ':');
	const char *host = reg->ua->contact_host;
	const char *mport = m->m_url->url_port ? m->m_url->url_port : "5060";

	if (!port || strcmp(port + 1, mport) != 0)
		return false;
	return !host || !*host || !m->m_url->url_host ||
	       su_casematch(host, m->m_url->url_host);
}

static unsigned granted_expires(ua_reg_t *reg, const sip_t *sip,
				unsigned asked)
{
	const sip_contact_t *m;

	for (m = sip ? sip->sip_contact : NULL; m; m = m->m_next)
		if (m->m_expires && contact_is_ours(reg, m))
			return (unsigned)strtoul(m->m_expires, NULL, 10);
	if (sip && sip->sip_expires)
		return (unsigned)sip->sip_expires->ex_delta;
	return asked;
}

static void reg_probe_fired(su_root_magic_t *m, su_timer_t *t, void *arg);

static void reg_registered(ua_reg_t *reg, int status, const char *phrase,
			   const sip_t *sip)
{
	ua_t *ua = reg->ua;
	unsigned exp = granted_expires(reg, sip,
				       conf_uint(ua->conf, "account.expires"));
	unsigned fallback = conf_uint(ua->conf, "account.registrar_fallback");
	char text[600];

	reg->st = REG_REGISTERED;
	reg->rounds = 0;
	if (sip && sip->sip_via && sip->sip_via->v_host)
		snprintf(ua->via_host, sizeof(ua->via_host), "%s",
			 sip->sip_via->v_host);
	/* A later failure tries the other registrars at once. */
	reg->tried = 1;
	memset(&reg->auth, 0, sizeof(reg->auth));
	snprintf(text, sizeof(text),
		 _("registered: %s at %s (expires in %u s)"),
		 ua->aor, reg->target, exp);
	ua_event_emit(ua->ev, "registered", text,
		      "{s:s, s:s, s:i, s:i, s:s}",
		      "aor", ua->aor, "registrar", reg->target,
		      "expires", (int)exp, "code", status,
		      "reason", phrase);
	/* nua's refreshes come here too: they must not push the probe
	 * back every time */
	if (reg->idx != 0 && fallback > 0 && !reg->probe_nh &&
	    !su_timer_is_set(reg->probe_timer))
		su_timer_set_interval(reg->probe_timer, reg_probe_fired, reg,
				      fallback * 1000);
}

/* Registered at a later registrar: is the first one back? */
static void reg_probe_fired(su_root_magic_t *m, su_timer_t *t, void *arg)
{
	ua_reg_t *reg = arg;
	ua_t *ua = reg->ua;
	char *first, *id;

	(void)m;
	(void)t;
	if (reg->st != REG_REGISTERED || reg->idx == 0 || reg->probe_nh)
		return;
	id = reg_call_id(reg, true);   /* makes first_call_id if need be */
	reg->probe_nh = id ? nua_handle(ua->nua, reg, SIPTAG_TO_STR(ua->aor),
					TAG_END())
			   : NULL;
	su_free(ua->home, id);
	if (!reg->probe_nh)
		return;
	memset(&reg->probe_auth, 0, sizeof(reg->probe_auth));
	first = ua_uri_with_transport(ua, reg_registrar(reg, 0));
	reg_register(reg, reg->probe_nh, first, reg->first_call_id);
	su_free(ua->home, first);
}

/*
 * The answer to the first registrar's REGISTER.  Refused or still down:
 * the phone stays where it is and asks again later.  Accepted: that
 * handle becomes the registration, the binding at the other registrar
 * is removed, and calls follow (ua_reg_registered_at).
 */
static void reg_on_probe(ua_reg_t *reg, int status, const char *phrase,
			 nua_handle_t *nh, const sip_t *sip)
{
	ua_t *ua = reg->ua;
	unsigned fallback = conf_uint(ua->conf, "account.registrar_fallback");

	if (status < 200)
		return;
	if ((status == 401 || status == 407) &&
	    ua_auth_answer(ua, &reg->probe_auth, nh, sip))
		return;
	if (status >= 300) {
		reg_drop(&reg->probe_nh);
		if (reg->st == REG_REGISTERED && reg->idx != 0 && fallback)
			su_timer_set_interval(reg->probe_timer,
					      reg_probe_fired, reg,
					      fallback * 1000);
		return;
	}
	su_timer_reset(reg->timer);
	if (reg->nh)
		reg_leave(reg, reg->nh);
	reg->nh = reg->probe_nh;
	reg->probe_nh = NULL;
	reg->idx = 0;
	reg->redirects = 0;
	reg_use(reg, reg_registrar(reg, 0));
	su_free(ua->home, reg->nh_target);
	reg->nh_target = su_strdup(ua->home, reg->target);
	su_free(ua->home, reg->call_id);
	reg->call_id = su_strdup(ua->home, reg->first_call_id);
	reg_registered(reg, status, phrase, sip);
}

/* The answer to the un-REGISTER of a binding we moved away from. */
static void reg_on_left(ua_reg_t *reg, size_t i, int status,
			nua_handle_t *nh, const sip_t *sip)
{
	if (status < 200)
		return;
	if ((status == 401 || status == 407) &&
	    ua_auth_answer(reg->ua, &reg->leaving_auth[i], nh, sip))
		return;
	reg_drop(&reg->leaving[i]);
	ua_maybe_finish_quit(reg->ua);   /* quit waits for it too */
}

static void reg_on_register(ua_reg_t *reg, int status, const char *phrase,
			    nua_handle_t *nh, const sip_t *sip)
{
	ua_t *ua = reg->ua;

	if (status < 200)
		return;   /* 100 Trying, or nua restarting (302, 423) */
	if (status < 300) {
		reg_registered(reg, status, phrase, sip);
		return;
	}
	if (status == 401 || status == 407) {
		if (!ua_auth_answer(reg->ua, &reg->auth, nh, sip))
			reg_give_up(reg, status, phrase);
		return;
	}
	/* 305 is nua's (it retries through the proxy); 380 names no
	 * address to follow. */
	if (status >= 300 && status < 400 && status != 380 && status != 305) {
		const sip_contact_t *m = sip ? sip->sip_contact : NULL;

		if (m && reg->redirects < REG_MAX_REDIRECTS) {
			char *uri = url_as_string(ua->home, m->m_url);

			reg->redirects++;
			reg_use(reg, uri);
			su_free(ua->home, uri);
			reg_send(reg);
			return;
		}
		reg_give_up(reg, status, phrase);
		return;
	}
	switch (status) {
	case 403: case 404: case 423:
	case 600: case 603: case 604: case 606:
		/* 423 lands here only when nua could not renegotiate. */
		reg_give_up(reg, status, phrase);
		return;
	default:
		/* 408, 480, 5xx, transport errors (nua reports 503 and
		 * 408 for them) and other 4xx that a later try may not
		 * meet again. */
		reg_retry(reg, status, phrase, sip);
		return;
	}
}

static void reg_on_unregister(ua_reg_t *reg, int status, const char *phrase,
			      nua_handle_t *nh, const sip_t *sip)
{
	ua_t *ua = reg->ua;
	char text[600];

	if (status < 200)
		return;
	/* sofia-sip#319: a challenged un-REGISTER must be answered too,
	 * or the binding lingers at the registrar. */
	if ((status == 401 || status == 407) &&
	    ua_auth_answer(reg->ua, &reg->auth, nh, sip))
		return;
	reg_drop_handle(reg);
	reg->st = REG_IDLE;
	if (status < 300)
		snprintf(text, sizeof(text), _("unregistered: %s"), ua->aor);
	else
		snprintf(text, sizeof(text),
			 _("unregistered: %s (the registrar answered %d %s)"),
			 ua->aor, status, phrase);
	ua_event_emit(ua->ev, "unregistered", text, "{s:s, s:i, s:s}",
		      "aor", ua->aor, "code", status, "reason", phrase);
	ua_maybe_finish_quit(ua);
}

void ua_reg_event(ua_reg_t *reg, nua_event_t event, int status,
		  const char *phrase, nua_handle_t *nh, const sip_t *sip)
{
	size_t i;

	if (!reg || !nh)
		return;
	if (nh == reg->probe_nh) {
		if (event == nua_r_register)
			reg_on_probe(reg, status, phrase, nh, sip);
		return;
	}
	for (i = 0; i < 2; i++)
		if (nh == reg->leaving[i]) {
			if (event == nua_r_unregister)
				reg_on_left(reg, i, status, nh, sip);
			return;
		}
	if (nh != reg->nh)
		return;
	switch (event) {
	case nua_r_register:
		if (reg->st == REG_REGISTERING || reg->st == REG_REGISTERED)
			reg_on_register(reg, status, phrase, nh, sip);
		break;
	case nua_r_unregister:
		/* Only ours: nua also un-REGISTERs by itself after a failed
		 * refresh, on a handle we have dropped by then. */
		if (reg->st == REG_UNREGISTERING)
			reg_on_unregister(reg, status, phrase, nh, sip);
		break;
	default:
		break;
	}
}

int ua_reg_stop(ua_reg_t *reg)
{
	if (!reg)
		return 0;
	if (reg->st == REG_UNREGISTERING)
		return 1;
	su_timer_reset(reg->timer);
	su_timer_reset(reg->probe_timer);
	if (reg->probe_nh) {
		reg_leave(reg, reg->probe_nh);
		reg->probe_nh = NULL;
	}
	if (reg->st != REG_REGISTERED && reg->st != REG_REGISTERING) {
		reg_drop_handle(reg);
		if (reg->st == REG_WAITING)
			reg->st = REG_IDLE;
		return 0;
	}
	/* A REGISTER still in flight: un-REGISTER on the same handle
	 * removes whatever binding it makes. */
	reg->st = REG_UNREGISTERING;
	memset(&reg->auth, 0, sizeof(reg->auth));
	nua_unregister(reg->nh, TAG_END());
	return 1;
}
