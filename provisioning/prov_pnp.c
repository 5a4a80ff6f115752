/*
 * prov_pnp.c - PnP discovery on a sofia-sip nta agent of its own (see
 * prov_pnp.h).
 *
 * nta rather than nua: nua answers the seed's NOTIFY 481 by itself (its
 * dialog matching wants the tags swapped), while nta hands a NOTIFY that
 * matches no leg to the agent's stray-request callback, where it is
 * matched by Call-ID.  Everything ends through a zero-delay timer so that
 * the caller can destroy the agent from its callback, never from inside
 * one of nta's.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SU_ROOT_MAGIC_T void
#define SU_TIMER_ARG_T void
#define NTA_AGENT_MAGIC_T struct prov_pnp
#define NTA_LEG_MAGIC_T struct prov_pnp
#define NTA_OUTGOING_MAGIC_T struct prov_pnp
#include <sofia-sip/msg_header.h>
#include <sofia-sip/nta.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su.h>
#include <sofia-sip/su_tag.h>
#include <sofia-sip/tport_tag.h>

#include "common/i18n.h"
#include "provisioning/prov_pnp.h"
#include "provisioning/prov_url.h"

#define PNP_GROUP "sip:224.0.1.75:5060"
#define ACCEPTED "application/url, message/external-body"

struct prov_pnp {
	su_home_t home[1];
	su_root_t *root;
	ua_event_t *ev;
	nta_agent_t *agent;
	nta_leg_t *leg;
	nta_outgoing_t *orq;
	su_timer_t *window;
	su_timer_t *finish_timer;
	prov_pnp_done_f *done;
	void *arg;
	const char *call_id;
	char mac[13];
	char *model;
	bool finished;
	char url[PROV_URL_MAX];
};

static void finish_now(su_root_magic_t *magic, su_timer_t *t, void *arg)
{
	struct prov_pnp *p = arg;

	(void)magic;
	(void)t;
	p->done(p->arg, p->url[0] ? p->url : NULL);
}

static void finish(struct prov_pnp *p)
{
	if (p->finished)
		return;
	p->finished = true;
	su_timer_reset(p->window);
	if (su_timer_set_interval(p->finish_timer, finish_now, p, 0) < 0)
		finish_now(NULL, NULL, p);
}

static void on_window(su_root_magic_t *magic, su_timer_t *t, void *arg)
{
	struct prov_pnp *p = arg;

	(void)magic;
	(void)t;
	if (p->finished)
		return;
	ua_event_emit(p->ev, "pnp_timeout",
		_("provisioning: no PnP server answered; going on with the "
		  "local configuration"), NULL);
	finish(p);
}

static int on_response(struct prov_pnp *p, nta_outgoing_t *orq,
		       sip_t const *sip)
{
	int status = sip && sip->sip_status ? sip->sip_status->st_status
		     : nta_outgoing_status(orq);
	const char *phrase = sip && sip->sip_status
			     ? sip->sip_status->st_phrase : "";
	char text[256];

	if (status < 200)
		return 0;
	/* 408 is nta's own timer F; the window closes long before. */
	if (!p->finished && status != 408) {
		snprintf(text, sizeof(text),
			 _("provisioning: PnP server answered %d %s"), status,
			 phrase);
		ua_event_emit(p->ev, "pnp_response", text, "{s:i, s:s}",
			      "code", status, "reason", phrase);
	}
	if (status < 300 && sip && sip->sip_to && sip->sip_to->a_tag)
		nta_leg_rtag(p->leg, sip->sip_to->a_tag);
	nta_outgoing_destroy(orq);
	p->orq = NULL;
	return 0;
}

static void reject_event(struct prov_pnp *p, int status, const char *why,
			 sip_t const *sip)
{
	char text[512];

	snprintf(text, sizeof(text),
		 _("provisioning: PnP NOTIFY refused (%d): %s"), status, why);
	ua_event_emit(p->ev, "pnp_notify_rejected", text, "{s:i, s:s, s:s*}",
		      "code", status, "reason", why, "call_id",
		      sip->sip_call_id ? sip->sip_call_id->i_id : NULL);
}

/* The URL a NOTIFY carries, or NULL with WHY set. */
static const char *notify_body(sip_t const *sip, char *buf, size_t size,
			       const char **why, int *status)
{
	const char *type = sip->sip_content_type
			   ? sip->sip_content_type->c_type : NULL;
	const sip_payload_t *pl = sip->sip_payload;

	*status = 400;
	if (!type || !*type) {
		*status = 415;
		*why = _("no Content-Type");
		return NULL;
	}
	if (strcasecmp(type, "application/url") == 0) {
		if (!pl || pl->pl_len == 0) {
			*why = _("the body is empty");
			return NULL;
		}
		if (pl->pl_len >= size) {
			*why = _("the body is too long for a URL");
			return NULL;
		}
		memcpy(buf, pl->pl_data, pl->pl_len);
		buf[pl->pl_len] = '\0';
		if (strlen(buf) != pl->pl_len) {
			*why = _("the body contains a NUL byte");
			return NULL;
		}
		return buf;
	}
	if (strcasecmp(type, "message/external-body") == 0) {
		const msg_param_t *params = sip->sip_content_type->c_params;
		const char *access = msg_params_find(params, "access-type=");
		const char *url = msg_params_find(params, "url=");
		size_t n;

		if (!access || strcasecmp(access, "URL") != 0 || !url) {
			*why = _("message/external-body without "
				 "access-type=URL and a URL");
			return NULL;
		}
		n = strlen(url);
		if (n >= 2 && url[0] == '"' && url[n - 1] == '"') {
			url++;
			n -= 2;
		}
		snprintf(buf, size, "%.*s", (int)n, url);
		return buf;
	}
	*status = 415;
	*why = _("the Content-Type is not application/url");
	return NULL;
}

/* Judge an incoming request; the status to answer it with. */
static int judge(struct prov_pnp *p, sip_t const *sip)
{
	char body[PROV_URL_MAX], url[PROV_URL_MAX], err[256];
	const char *why = NULL, *raw;
	int status;

	if (!sip->sip_request ||
	    sip->sip_request->rq_method != sip_method_notify) {
		reject_event(p, 405, _("only NOTIFY is accepted"), sip);
		return 405;
	}
	if (!sip->sip_call_id || strcmp(sip->sip_call_id->i_id,
					p->call_id) != 0) {
		reject_event(p, 481, _("the Call-ID is not the SUBSCRIBE's"),
			     sip);
		return 481;
	}
	if (p->finished) {
		reject_event(p, 481, _("a PnP server has answered already"),
			     sip);
		return 481;
	}
	if (sip->sip_event &&
	    strcasecmp(sip->sip_event->o_type, "ua-profile") != 0) {
		reject_event(p, 489, _("the Event is not ua-profile"), sip);
		return 489;
	}
	raw = notify_body(sip, body, sizeof(body), &why, &status);
	if (!raw) {
		reject_event(p, status, why, sip);
		return status;
	}
	if (prov_url_normalize(raw, strlen(raw), p->mac, p->model, url,
			       sizeof(url), err, sizeof(err)) < 0) {
		reject_event(p, 400, err, sip);
		return 400;
	}
	snprintf(p->url, sizeof(p->url), "%s", url);
	ua_event_emit(p->ev, "pnp_notify", url, "{s:s}", "url", url);
	return 200;
}

static void reply(nta_incoming_t *irq, int status)
{
	nta_incoming_treply(irq, status, sip_status_phrase(status),
			    TAG_IF(status == 415, SIPTAG_ACCEPT_STR(ACCEPTED)),
			    TAG_IF(status == 405, SIPTAG_ALLOW_STR("NOTIFY")),
			    TAG_IF(status == 489,
				   SIPTAG_ALLOW_EVENTS_STR("ua-profile")),
			    TAG_END());
}

/* A NOTIFY that matches the dialog (a tidy server). */
static int on_leg_request(struct prov_pnp *p, nta_leg_t *leg,
			  nta_incoming_t *irq, sip_t const *sip)
{
	int status = judge(p, sip);

	(void)leg;
	reply(irq, status);
	if (status == 200)
		finish(p);
	return 0;
}

/* Everything else, including the seed's NOTIFY. */
static int on_stray(struct prov_pnp *p, nta_agent_t *agent, msg_t *msg,
		    sip_t *sip)
{
	nta_incoming_t *irq;
	int status;

	if (!sip || !sip->sip_request ||
	    sip->sip_request->rq_method == sip_method_ack) {
		/* A late answer from a second server, or an ACK. */
		msg_destroy(msg);
		return 0;
	}
	status = judge(p, sip);
	irq = nta_incoming_create(agent, NULL, msg, sip, TAG_END());
	if (irq) {
		reply(irq, status);
		nta_incoming_destroy(irq);
	}
	if (status == 200)
		finish(p);
	return 0;
}

static int start_subscribe(struct prov_pnp *p, const prov_pnp_opts_t *o,
			   char *err, size_t errsz)
{
	char *from, *contact, *event, *bind;
	sip_call_id_t *cid;

	bind = su_sprintf(p->home, "sip:%s:%u;transport=udp", o->host,
			  o->port);
	p->agent = nta_agent_create(p->root, URL_STRING_MAKE(bind), on_stray,
				    p, NTATAG_UA(1), NTATAG_CLIENT_RPORT(1),
				    TAG_IF(o->log_sip, TPTAG_LOG(1)),
				    TAG_END());
	if (!p->agent) {
		snprintf(err, errsz, _("cannot listen on %s:%u for PnP"),
			 o->host, o->port);
		return -1;
	}
	from = su_sprintf(p->home, "<sip:%s@%s:%u>", p->mac, o->host, o->port);
	contact = from;
	cid = sip_call_id_create(p->home, NULL);
	event = su_sprintf(p->home, "ua-profile;profile-type=\"%s\";"
			   "vendor=\"%s\";model=\"%s\";version=\"%s\"",
			   o->profile_type, o->vendor, o->model, o->version);
	if (!cid || !event) {
		snprintf(err, errsz, "%s", _("out of memory"));
		return -1;
	}
	p->call_id = cid->i_id;
	/* No URLTAG_URL: nta would then also want the NOTIFY's
	 * Request-URI to equal the group's. */
	p->leg = nta_leg_tcreate(p->agent, on_leg_request, p,
				 SIPTAG_FROM_STR(from),
				 SIPTAG_TO_STR("<" PNP_GROUP ">"),
				 SIPTAG_CALL_ID(cid), TAG_END());
	if (!p->leg || nta_leg_tag(p->leg, NULL) == NULL) {
		snprintf(err, errsz, "%s", _("out of memory"));
		return -1;
	}
	p->orq = nta_outgoing_tcreate(p->leg, on_response, p, NULL,
		SIP_METHOD_SUBSCRIBE, URL_STRING_MAKE(PNP_GROUP),
		SIPTAG_EXPIRES_STR("0"),
		SIPTAG_EVENT_STR(event),
		SIPTAG_MAX_FORWARDS_STR("70"),
		SIPTAG_SUPPORTED_STR("timer, replaces"),
		SIPTAG_ACCEPT_STR("application/url"),
		SIPTAG_CONTACT_STR(contact),
		SIPTAG_USER_AGENT_STR(o->user_agent),
		TAG_END());
	if (!p->orq) {
		snprintf(err, errsz, _("cannot send the PnP SUBSCRIBE to %s"),
			 PNP_GROUP);
		return -1;
	}
	ua_event_emit(p->ev, "pnp_discovering",
		_("provisioning: looking for a PnP server (224.0.1.75:5060)"),
		"{s:s, s:s, s:s}", "to", "224.0.1.75:5060", "call_id",
		p->call_id, "contact", contact);
	return 0;
}

prov_pnp_t *prov_pnp_start(su_root_t *root, ua_event_t *ev,
			   const prov_pnp_opts_t *opts,
			   prov_pnp_done_f *done, void *arg,
			   char *err, size_t errsz)
{
	struct prov_pnp *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, errsz, "%s", _("out of memory"));
		return NULL;
	}
	su_home_init(p->home);
	p->root = root;
	p->ev = ev;
	p->done = done;
	p->arg = arg;
	snprintf(p->mac, sizeof(p->mac), "%s", opts->mac);
	p->model = su_strdup(p->home, opts->model);
	p->window = su_timer_create(su_root_task(root), 0);
	p->finish_timer = su_timer_create(su_root_task(root), 0);
	if (!p->window || !p->finish_timer || !p->model) {
		snprintf(err, errsz, "%s", _("out of memory"));
		goto fail;
	}
	if (start_subscribe(p, opts, err, errsz) < 0)
		goto fail;
	su_timer_set_interval(p->window, on_window, p,
			      (su_duration_t)opts->window_ms);
	return p;
fail:
	prov_pnp_destroy(p);
	return NULL;
}

void prov_pnp_destroy(prov_pnp_t *p)
{
	if (!p)
		return;
	su_timer_destroy(p->window);
	su_timer_destroy(p->finish_timer);
	if (p->orq)
		nta_outgoing_destroy(p->orq);
	if (p->leg)
		nta_leg_destroy(p->leg);
	if (p->agent)
		nta_agent_destroy(p->agent);
	su_home_deinit(p->home);
	free(p);
}
