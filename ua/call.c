/*
 * call.c - calls: dial, answer, reject, hang up, hold, resume, DTMF,
 * transfer, and what the peer does to them.
 *
 * One ua_call per INVITE dialog, bound to its nua handle.  sofia-sip's soa
 * does the SDP offer/answer; the call reserves its RTP ports and hands soa
 * its local SDP (media/sdp.h).  What nua leaves to the application is
 * here: answering challenges, following 3xx other than 302, retrying a
 * re-INVITE after 491 (RFC 3261 §14.1), call waiting, and the events.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <jansson.h>

#include "ua/ua_priv.h"

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_util.h>
#include <sofia-sip/su_string.h>
#include <sofia-sip/soa_tag.h>
#include <sofia-sip/url.h>

#include "common/i18n.h"
#include "media/audio.h"
#include "media/player.h"
#include "media/rtpport.h"
#include "media/sdp.h"
#include "media/stream.h"
#include "ua/status.h"

#define CALL_MAX_REDIRECTS 5

/*
 * soa's default answer keeps only the first common codec and so drops
 * telephone-event; an answer lists every common codec instead, in the
 * offer's order as RFC 3264 §6.1 recommends, so the first one is the
 * codec both sides send.  An offer lists call.codecs in its order.
 * Given with each request: a handle's soa does not take these from
 * nua_create's tags.
 */
#define CALL_SOA_TAGS(c) \
	SOATAG_USER_SDP_STR((c)->sdp), SOATAG_ADDRESS((c)->addr), \
	SOATAG_RTP_SELECT(SOA_RTP_SELECT_COMMON), \
	SOATAG_RTP_SORT(SOA_RTP_SORT_REMOTE)

struct ua_call {
	ua_obj_kind_t kind;        /* UA_OBJ_CALL: first, see ua_priv.h */
	ua_call_t *next;
	ua_t *ua;
	nua_handle_t *nh;
	int id;
	bool outgoing;
	bool we_offered;           /* in the latest offer/answer exchange */
	bool established;
	bool answered;             /* our 200 went out (ACK may be pending) */
	bool held;                 /* we put it on hold */
	bool remote_held;          /* the peer put us on hold */
	bool hold_wanted;          /* what the pending re-INVITE asks */
	bool reinvite_pending;
	bool bye_wanted;           /* hung up: BYE once the dialog is up */
	bool ended;                /* call_ended emitted */
	bool peer_has_te;          /* peer offered telephone-event */
	int final_code;            /* the failure that ends it, if any */
	char *final_reason;
	const char *ended_by;      /* "local" or "remote" */
	char *peer;                /* remote URI */
	char *target;              /* the peer's Contact: the remote target */
	char *route;               /* the dialog's route set, a Route value */
	bool route_learnt;         /* from the request or 2xx that made it */
	char addr[64];             /* our media address */
	char *sdp;                 /* our SDP capabilities */
	char codec[8];             /* agreed codec, once known */
	media_rtpport_t *rtp;
	media_stream_t *media;     /* RTP once an SDP agreement exists */
	char *local_sdp;           /* the last SDPs soa reported */
	char *remote_sdp;
	bool media_error_told;     /* one error event per call is enough */
	bool push_held;            /* its media stopped by ua_media_suspend */
	ua_auth_track_t auth;
	unsigned redirects;
	/* the alternatives of the 3xx followed, best q first, not yet tried
	 * (in ua->home); ALT_CODE is that 3xx */
	char *alts[CALL_MAX_REDIRECTS];
	unsigned n_alts;
	int alt_code;
	su_timer_t *timer;         /* 491 retry, auto-answer, no-answer */
	nua_handle_t *refer_nh;    /* the call that asked us to transfer */
	sip_event_t *refer_event;  /* the REFER's implicit subscription */
};

/* ---- bookkeeping ----------------------------------------------------- */

static ua_call_t *call_find(ua_t *ua, int id)
{
	ua_call_t *c;

	for (c = ua->calls; c; c = c->next)
		if (c->id == id)
			return c;
	return NULL;
}

/* The call a command without an id means: a ringing incoming call for
 * answer/reject, else the newest call. */
static ua_call_t *call_current(ua_t *ua, bool want_ringing)
{
	ua_call_t *c;

	if (want_ringing)
		for (c = ua->calls; c; c = c->next)
			if (!c->outgoing && !c->established && !c->ended)
				return c;
	for (c = ua->calls; c; c = c->next)
		if (!c->ended)
			return c;
	return NULL;
}

static void call_set_state(ua_call_t *c, ua_call_state_t st)
{
	ua_state_call_set(c->ua->state, c->id, st);
}

static void call_free(ua_call_t *c)
{
	ua_t *ua = c->ua;
	ua_call_t **pp;

	for (pp = &ua->calls; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	ua_state_call_remove(ua->state, c->id);
	if (c->nh) {
		nua_handle_bind(c->nh, NULL);
		nua_handle_destroy(c->nh);
	}
	if (c->refer_nh)
		nua_handle_unref(c->refer_nh);
	su_timer_destroy(c->timer);
	media_stream_free(c->media);
	media_rtpport_close(c->rtp);
	free(c->sdp);
	free(c->local_sdp);
	free(c->remote_sdp);
	su_free(ua->home, c->peer);
	su_free(ua->home, c->target);
	su_free(ua->home, c->route);
	su_free(ua->home, c->final_reason);
	su_free(ua->home, c->refer_event);
	while (c->n_alts)
		su_free(ua->home, c->alts[--c->n_alts]);
	su_free(ua->home, c);
}

static void call_bind_media(ua_call_t *c, const char *peer_host)
{
	ua_t *ua = c->ua;
	const char *names[8];
	size_t i, n = conf_list_count(ua->conf, "call.codecs");

	ua_local_addr(ua, peer_host, c->addr, sizeof(c->addr));
	c->rtp = media_rtpport_open(c->addr,
				    conf_uint(ua->conf, "rtp.port_min"),
				    conf_uint(ua->conf, "rtp.port_max"));
	if (n > 8)
		n = 8;
	for (i = 0; i < n; i++)
		names[i] = conf_list_item(ua->conf, "call.codecs", i);
	if (c->rtp)
		c->sdp = media_sdp_local(c->addr, media_rtpport_port(c->rtp),
					 names, n);
}

static ua_call_t *call_new(ua_t *ua, bool outgoing, ua_call_state_t st)
{
	ua_call_t *c;
	int id = ua_state_call_add(ua->state, st);

	if (id == 0)
		return NULL;
	c = su_zalloc(ua->home, sizeof(*c));
	if (!c) {
		ua_state_call_remove(ua->state, id);
		return NULL;
	}
	c->kind = UA_OBJ_CALL;
	c->ua = ua;
	c->id = id;
	c->outgoing = outgoing;
	c->we_offered = outgoing;
	c->timer = su_timer_create(su_root_task(ua->root), 0);
	c->next = ua->calls;
	ua->calls = c;
	return c;
}

static void call_error(ua_t *ua, const char *msg)
{
	char text[600];

	snprintf(text, sizeof(text), _("error: %s"), msg);
	ua_event_emit(ua->ev, "error", text, "{s:s}", "message", msg);
}

/* ---- the ringer ----------------------------------------------------- */

/* A call rings in: it came in, and we have neither answered it nor sent
 * a final answer. */
static bool call_ringing_in(const ua_call_t *c)
{
	return !c->outgoing && !c->answered && !c->established &&
	       !c->ended && !c->final_code;
}

/* The ringer plays audio.ring on audio.sink while a call rings in and no
 * other call is up (then the sink is the call's: a waiting call is shown,
 * not rung).  It stops before an answered call's stream opens the sink,
 * and while an audio push has it.  Called after anything that may change
 * that. */
static void call_ringer_update(ua_t *ua)
{
	const char *sink = conf_str(ua->conf, "audio.sink");
	bool ring = false, busy = false;
	char err[300], msg[400];
	ua_call_t *c;

	for (c = ua->calls; c; c = c->next) {
		if (c->ended)
			continue;
		if (call_ringing_in(c))
			ring = true;
		else
			busy = true;
	}
	if (!ring)
		ua->ringer_failed = false;
	ring = ring && !busy && !ua->quitting && !ua->media_suspended &&
	       sink && *sink && strcmp(sink, "null") != 0 &&
	       !(conf_bool(ua->conf, "call.auto_answer") &&
		 conf_uint(ua->conf, "call.auto_answer_delay") == 0);
	if (!ring) {
		media_player_free(ua->ringer);
		ua->ringer = NULL;
		return;
	}
	if (ua->ringer || ua->ringer_failed)
		return;
	ua->ringer = media_player_new(ua->root,
				      conf_str(ua->conf, "audio.ring"), sink,
				      NULL, NULL, err, sizeof(err));
	if (!ua->ringer) {
		ua->ringer_failed = true;
		snprintf(msg, sizeof(msg), _("the ringer cannot play: %s"),
			 err);
		call_error(ua, msg);
	}
}

/* ---- media ---------------------------------------------------------- */

/* The figures of a stream, for call_stats and status. */
static json_t *call_rtp_json(const media_stream_stats_t *st)
{
	const media_rtcp_stats_t *r = &st->rtcp;

	return json_pack("{s:s*, s:s*, s:b, s:b, s:I, s:I, s:I, s:i, s:f, "
			 "s:o*, s:o*, s:o*, s:o*, s:i, s:i, s:I, s:I, s:I, "
			 "s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
			 "s:I, s:I, s:I}",
		"codec", st->codec, "recv_codec", st->recv_codec,
		"sending", st->sending,
		"receiving", st->receiving,
		"packets_sent", (json_int_t)r->sent_packets,
		"packets_received", (json_int_t)r->recv_packets,
		"packets_lost", (json_int_t)r->lost,
		"loss_pct", (int)r->loss_pct,
		"jitter_ms", r->jitter_ms,
		"remote_loss_pct", r->have_remote
			? json_integer(r->remote_loss_pct) : NULL,
		"remote_lost", r->have_remote
			? json_integer(r->remote_lost) : NULL,
		"remote_jitter_ms", r->have_remote
			? json_real(r->remote_jitter_ms) : NULL,
		"rtt_ms", r->rtt_ms >= 0 ? json_integer(r->rtt_ms) : NULL,
		"jb_delay_ms", st->jb.delay_ms,
		"jb_target_ms", (int)st->jb.target_ms,
		"late", (json_int_t)st->jb.late,
		"jb_stretched", (json_int_t)st->jb.stretched,
		"jb_skipped", (json_int_t)st->jb.skipped,
		"concealed_ms", (json_int_t)st->concealed_ms,
		"fec_recovered", (json_int_t)st->fec_recovered,
		"dropped_malformed", (json_int_t)st->bad_malformed,
		"dropped_pt", (json_int_t)st->bad_pt,
		"dropped_source", (json_int_t)st->bad_source,
		"dropped_seq", (json_int_t)st->bad_seq,
		"dropped_old_codec", (json_int_t)st->bad_old_codec,
		"codec_switches", (json_int_t)st->codec_switches,
		"source_changes", (json_int_t)st->source_changes,
		"rtcp_sent", (json_int_t)r->reports_sent,
		"rtcp_received", (json_int_t)r->reports_received,
		"device_underruns", (json_int_t)st->dev_underruns,
		"device_overruns", (json_int_t)st->dev_overruns);
}

/* "pcmu, lost 1 (0%), jitter 1.2 ms, RTT 3 ms" */
static void call_rtp_text(const media_stream_stats_t *st, char *buf,
			  size_t size)
{
	const media_rtcp_stats_t *r = &st->rtcp;

	/* RTT is known only once the peer has reported on our SR. */
	if (r->rtt_ms >= 0)
		snprintf(buf, size, _("%s, sent %llu, received %llu, lost %lld "
				      "(%u%%), jitter %.1f ms, RTT %d ms"),
			 st->codec ? st->codec : "?",
			 (unsigned long long)r->sent_packets,
			 (unsigned long long)r->recv_packets,
			 (long long)r->lost, r->loss_pct, r->jitter_ms,
			 r->rtt_ms);
	else
		snprintf(buf, size, _("%s, sent %llu, received %llu, lost %lld "
				      "(%u%%), jitter %.1f ms"),
			 st->codec ? st->codec : "?",
			 (unsigned long long)r->sent_packets,
			 (unsigned long long)r->recv_packets,
			 (long long)r->lost, r->loss_pct, r->jitter_ms);
}

static void call_emit_stats(ua_call_t *c, const media_stream_stats_t *st,
			    bool final)
{
	char figures[300], text[400];

	call_rtp_text(st, figures, sizeof(figures));
	snprintf(text, sizeof(text), _("call %d: audio %s"), c->id, figures);
	ua_event_emit(c->ua->ev, "call_stats", text, "{s:i, s:b, s:o}",
		      "call", c->id, "final", final, "rtp", call_rtp_json(st));
}

static void call_media_report(void *arg, const media_stream_stats_t *st)
{
	call_emit_stats(arg, st, false);
}

static void call_media_dtmf(void *arg, char digit)
{
	ua_call_t *c = arg;
	char text[64], d[2] = { digit, 0 };

	snprintf(text, sizeof(text), _("call %d: DTMF %s received"), c->id, d);
	ua_event_emit(c->ua->ev, "dtmf_received", text, "{s:i, s:s, s:s}",
		      "call", c->id, "digit", d, "via", "rtp");
}

static void call_media_error(ua_call_t *c, const char *why)
{
	char msg[400];

	if (c->media_error_told)
		return;
	c->media_error_told = true;
	snprintf(msg, sizeof(msg), _("call %d: no audio: %s"), c->id, why);
	call_error(c->ua, msg);
}

/* Start the stream, or bring it in line with the latest SDPs (hold,
 * resume, a new codec or address).  Until both SDPs are known there is
 * nothing to agree on.  -1 when they agree on nothing we can use. */
static int call_media_update(ua_call_t *c)
{
	ua_t *ua = c->ua;
	media_sdp_neg_t neg;
	bool hold = c->reinvite_pending ? c->hold_wanted : c->held;
	char err[300];

	if (!c->local_sdp || !c->remote_sdp || !c->rtp || c->ended ||
	    ua->media_suspended)
		return 0;
	if (media_sdp_negotiate(c->local_sdp, c->remote_sdp, c->we_offered,
				&neg) < 0) {
		call_media_error(c, _("the SDP has no audio stream we can "
				      "use"));
		return -1;
	}
	if (!c->media) {
		unsigned jmin = conf_uint(ua->conf, "rtp.jitter_min_ms");
		unsigned jmax = conf_uint(ua->conf, "rtp.jitter_max_ms");
		media_stream_cfg_t cfg = {
			.source = conf_str(ua->conf, "audio.source"),
			.sink = conf_str(ua->conf, "audio.sink"),
			.jitter_min_ms = jmin,
			.jitter_max_ms = jmax < jmin ? jmin : jmax,
			.rtcp_interval_s = conf_uint(ua->conf,
						     "rtp.rtcp_interval"),
			.opus_complexity = (int)conf_uint(ua->conf,
						"call.opus_complexity"),
		};
		media_stream_cb_t cb = { call_media_dtmf, call_media_report,
					 c };

		c->media = media_stream_new(ua->root,
					    media_rtpport_rtp_fd(c->rtp),
					    media_rtpport_rtcp_fd(c->rtp),
					    &cfg, &cb, err, sizeof(err));
		if (!c->media) {
			call_media_error(c, err);
			return 0;
		}
	}
	if (media_stream_start(c->media, &neg, hold, err, sizeof(err)) < 0)
		call_media_error(c, err);
	return 0;
}

/* The last figures, then every socket and buffer of the stream goes. */
static void call_media_stop(ua_call_t *c)
{
	media_stream_stats_t st;

	if (!c->media)
		return;
	if (media_stream_running(c->media)) {
		media_stream_stats(c->media, &st);
		call_emit_stats(c, &st, true);
	}
	media_stream_free(c->media);
	c->media = NULL;
}

static void call_keep_sdp(char **slot, const char *sdp)
{
	char *copy;

	if (!sdp)
		return;
	copy = strdup(sdp);
	if (!copy)
		return;
	free(*slot);
	*slot = copy;
}

/* ---- events ---------------------------------------------------------- */

/* call_ended once per call, with the failure that ended it if any. */
static void call_emit_ended(ua_call_t *c)
{
	ua_t *ua = c->ua;
	char what[64], text[700];

	call_media_stop(c);
	if (c->ended)
		return;
	c->ended = true;
	ua_state_call_remove(ua->state, c->id);
	snprintf(what, sizeof(what), _("call %d ended"), c->id);
	if (c->final_code >= 300) {
		ua_emit_failure(ua, "call_ended", what, c->id, c->final_code,
				c->final_reason, "by",
				c->ended_by ? c->ended_by : "remote", -1);
		return;
	}
	snprintf(text, sizeof(text), _("%s by the %s side"), what,
		 c->ended_by && strcmp(c->ended_by, "local") == 0
		 ? _("local") : _("remote"));
	ua_event_emit(ua->ev, "call_ended", text, "{s:i, s:s}",
		      "call", c->id, "by", c->ended_by ? c->ended_by
						       : "remote");
}

static void call_note_final(ua_call_t *c, int status, const char *phrase,
			    const char *by)
{
	if (c->final_code)
		return;
	c->final_code = status;
	c->final_reason = su_strdup(c->ua->home, phrase);
	if (!c->ended_by)
		c->ended_by = by;
}

/*
 * What a request of ours inside the dialog needs besides its identifiers
 * (RFC 3261 section 12.1): the remote target, from the peer's Contact
 * (every 2xx and target refresh renews it), and the route set, from the
 * Record-Route of the request or response that made the dialog: as is
 * at the UAS, reversed at the UAC.  nua keeps both to itself; they are
 * kept here for call_bye_behind_nua().
 */
static void call_learn_dialog(ua_call_t *c, const sip_t *sip, bool uac)
{
	ua_t *ua = c->ua;
	const sip_record_route_t *r;
	char *v = NULL;

	if (!sip)
		return;
	if (sip->sip_contact && sip->sip_contact->m_url->url_host) {
		su_free(ua->home, c->target);
		c->target = url_as_string(ua->home, sip->sip_contact->m_url);
	}
	if (c->route_learnt)
		return;
	c->route_learnt = true;
	for (r = sip->sip_record_route; r; r = r->r_next) {
		char *u = url_as_string(ua->home, r->r_url), *n;

		if (!u)
			continue;
		n = !v ? su_sprintf(ua->home, "<%s>", u)
		    : uac ? su_sprintf(ua->home, "<%s>, %s", u, v)
		    : su_sprintf(ua->home, "%s, <%s>", v, u);
		su_free(ua->home, u);
		su_free(ua->home, v);
		v = n;
	}
	su_free(ua->home, c->route);
	c->route = v;
}

/*
 * Debian's nua (sofia-sip 1.12.11 of 2011) ends a call without a BYE when
 * a re-INVITE inside it (hold, resume, a session refresh) gets a response
 * that RFC 5057 says ends the usage or the dialog: 408, 480, 404, 502...
 * sofia-sip sends the BYE since 2013 (FreeSWITCH FS-5641); without it the
 * peer keeps the call up, and the line busy, until a timer of its own.
 * So the BYE goes from here, on a handle of its own that knows nothing of
 * the call: the failed request's identifiers, its CSeq + 1, the remote
 * target and the route set.  (Not after 481: the peer has no such
 * dialog.)
 */
static void call_bye_behind_nua(ua_call_t *c, const sip_t *sip)
{
	ua_t *ua = c->ua;
	sip_cseq_t cseq[1];
	nua_handle_t *nh;

	if (!c->target || !sip || !sip->sip_cseq || !sip->sip_call_id ||
	    !sip->sip_from || !sip->sip_to || !sip->sip_to->a_tag)
		return;
	nh = nua_handle(ua->nua, NULL, SIPTAG_FROM(sip->sip_from),
			SIPTAG_TO(sip->sip_to),
			SIPTAG_CALL_ID(sip->sip_call_id), TAG_END());
	if (!nh)
		return;
	sip_cseq_init(cseq);
	cseq->cs_seq = sip->sip_cseq->cs_seq + 1;
	cseq->cs_method = sip_method_bye;
	cseq->cs_method_name = "BYE";
	/* its answer goes to on_unowned(), which drops the handle */
	nua_method(nh, NUTAG_METHOD("BYE"), NUTAG_URL(c->target),
		   TAG_IF(c->route, SIPTAG_ROUTE_STR(c->route)),
		   SIPTAG_CSEQ(cseq), TAG_END());
}

/* Does nua end the call on this final response to a re-INVITE? */
static bool call_ends_on(int status)
{
	int graceful = 0;

	return status >= 300 && status < 700 &&
	       sip_response_terminates_dialog(status, sip_method_invite,
					      &graceful) != 0;
}

/*
 * What each call's handle sets for itself.  nua answers a re-INVITE 200
 * by itself, whatever its offer: one with no codec of ours got "m=audio
 * 0" while the old stream ran on.  A handle with its own
 * NUTAG_AUTOANSWER(0) leaves the answer to call_on_reinvite (the
 * stack-wide setting does not count for this).  A dialog over TCP gets
 * a Contact that says so (ua_contact_tcp).
 */
static void call_handle_params(ua_call_t *c, nua_handle_t *nh, bool tcp)
{
	nua_set_hparams(nh, NUTAG_AUTOANSWER(0),
			TAG_IF(ua_contact_tcp(c->ua, tcp),
			       NUTAG_M_PARAMS("transport=tcp")),
			TAG_END());
}

/* ---- outgoing -------------------------------------------------------- */

/* sip:, sips: and tel: as given; "user" and "user@host" become SIP URIs
 * in the account's domain or at that host. */
static char *call_target(ua_t *ua, const char *arg)
{
	su_home_t tmp[1] = { SU_HOME_INIT(tmp) };
	url_t *aor;
	char *uri = NULL;

	if (strncasecmp(arg, "sip:", 4) == 0 ||
	    strncasecmp(arg, "sips:", 5) == 0 ||
	    strncasecmp(arg, "tel:", 4) == 0)
		uri = su_strdup(tmp, arg);
	else if (strchr(arg, '@'))
		uri = su_sprintf(tmp, "sip:%s", arg);
	else if ((aor = url_make(tmp, ua->aor)) && aor->url_host)
		uri = su_sprintf(tmp, "sip:%s@%s%s%s", arg, aor->url_host,
				 aor->url_port ? ":" : "",
				 aor->url_port ? aor->url_port : "");
	/* Through a proxy the proxy's transport applies; without one,
	 * sip.transport = tcp goes into the target itself. */
	uri = uri ? (ua->proxy ? su_strdup(ua->home, uri)
			       : ua_uri_with_transport(ua, uri)) : NULL;
	su_home_deinit(tmp);
	return uri;
}

static bool same_server(const url_t *a, const url_t *b)
{
	return a->url_host && b->url_host &&
	       su_casematch(a->url_host, b->url_host) &&
	       strcmp(url_port(a), url_port(b)) == 0;
}

/*
 * Without an outbound proxy, a call into our own domain (the AOR's host,
 * where a short number goes) goes through the registrar that holds our
 * binding when that is another server: after a failover to the second
 * registrar the first, often the AOR's host itself, is down, and the
 * registrar we are registered with is the one that routes our calls (a
 * desk phone's "SIP server").  A preloaded Route (RFC 3261 section
 * 8.1.2), loose; the dialog then follows its Record-Route.  NULL when
 * the call goes straight to its target.
 */
static url_t *call_via_registrar(ua_t *ua, su_home_t *home,
				 const url_t *target)
{
	const char *at = ua_reg_registered_at(ua->reg);
	url_t *reg = at ? url_make(home, at) : NULL;
	url_t *aor = url_make(home, ua->aor);

	if (ua->proxy || !reg || !aor || !same_server(target, aor) ||
	    same_server(target, reg))
		return NULL;
	if (!url_has_param(reg, "lr"))
		url_param_add(home, reg, "lr");
	return reg;
}

/*
 * INVITE URI on a new handle.  The request-URI is given as such
 * (NUTAG_URL), so its parameters (transport, user=phone) stay in it; its
 * ?headers (Replaces from an attended transfer's Refer-To) become
 * headers of the request.  REFER is the handle of the call whose REFER
 * this INVITE carries out: nua then reports the INVITE's progress to
 * the referrer in NOTIFYs of the REFER's event.  The old handle (a
 * redirected call's) is dropped only once the new one exists.
 */
static bool call_invite(ua_call_t *c, const char *uri, nua_handle_t *refer)
{
	su_home_t tmp[1] = { SU_HOME_INIT(tmp) };
	ua_t *ua = c->ua;
	url_t *u = url_make(tmp, uri);
	url_t *proxy = ua->proxy ? url_make(tmp, ua->proxy) : NULL;
	url_t *via = NULL;
	const char *headers = NULL;
	char *ruri = NULL, *route = NULL;
	nua_handle_t *nh = NULL;

	if (!u || !u->url_host || (u->url_type != url_sip &&
				   u->url_type != url_sips &&
				   u->url_type != url_tel)) {
		call_error(ua, _("not a valid SIP URI"));
		goto out;
	}
	if (u->url_headers) {
		headers = url_query_as_header_string(tmp, u->url_headers);
		u->url_headers = NULL;
	}
	ruri = url_as_string(tmp, u);
	via = call_via_registrar(ua, tmp, u);
	if (via) {
		proxy = via;
		route = su_sprintf(tmp, "<%s>", url_as_string(tmp, via));
	}
	if (!c->rtp)
		call_bind_media(c, proxy && proxy->url_host ? proxy->url_host
							    : u->url_host);
	if (!c->sdp) {
		call_error(ua, _("no free RTP port in rtp.port_min..rtp.port_max"));
		goto out;
	}
	nh = nua_handle(ua->nua, c, SIPTAG_TO_STR(su_sprintf(tmp, "<%s>",
							     ruri)),
			TAG_END());
	if (!nh) {
		call_error(ua, _("out of memory"));
		goto out;
	}
	if (c->nh) {
		nua_handle_bind(c->nh, NULL);
		nua_handle_destroy(c->nh);
	}
	c->nh = nh;
	call_handle_params(c, nh, ua_uri_tcp(via ? route : proxy ? ua->proxy
							      : ruri));
	memset(&c->auth, 0, sizeof(c->auth));
	su_free(ua->home, c->peer);
	c->peer = su_strdup(ua->home, ruri);
	ua_event_fix_utf8(c->peer);
	nua_invite(nh, NUTAG_URL(ruri),
		   TAG_IF(route, SIPTAG_ROUTE_STR(route)),
		   TAG_IF(headers, SIPTAG_HEADER_STR(headers)),
		   CALL_SOA_TAGS(c),
		   TAG_IF(refer, NUTAG_NOTIFY_REFER(refer)),
		   TAG_IF(refer && c->refer_event,
			  NUTAG_REFER_EVENT(c->refer_event)),
		   TAG_END());
out:
	su_home_deinit(tmp);
	return nh != NULL;
}

static bool call_dial(ua_t *ua, const char *arg, nua_handle_t *refer,
		      const sip_event_t *refer_event)
{
	char *uri = call_target(ua, arg);
	ua_call_t *c;
	char text[700];

	if (!uri) {
		call_error(ua, _("dial: give a full SIP URI (no account.aor "
				 "to complete it)"));
		return false;
	}
	c = call_new(ua, true, UA_CALL_DIALING);
	if (!c) {
		call_error(ua, _("dial: every call appearance is in use"));
		su_free(ua->home, uri);
		return false;
	}
	if (refer) {
		c->refer_nh = nua_handle_ref(refer);
		c->refer_event = refer_event ? sip_event_dup(ua->home,
							     refer_event)
					     : NULL;
	}
	if (!call_invite(c, uri, refer)) {
		su_free(ua->home, uri);
		call_free(c);
		return false;
	}
	snprintf(text, sizeof(text), _("call %d: calling %s"), c->id, c->peer);
	ua_event_emit(ua->ev, "call_outgoing", text, "{s:i, s:s}",
		      "call", c->id, "to", c->peer);
	su_free(ua->home, uri);
	return true;
}

/* ---- incoming -------------------------------------------------------- */

static void call_answer(ua_call_t *c);

static void call_timer_answer(su_root_magic_t *m, su_timer_t *t, void *arg)
{
	ua_call_t *c = arg;

	(void)m;
	(void)t;
	if (!c->established && !c->ended)
		call_answer(c);
}

static void call_timer_no_answer(su_root_magic_t *m, su_timer_t *t,
				 void *arg)
{
	ua_call_t *c = arg;

	(void)m;
	(void)t;
	if (c->established || c->ended)
		return;
	c->ended_by = "local";
	call_note_final(c, 480, "Temporarily Unavailable", "local");
	nua_respond(c->nh, SIP_480_TEMPORARILY_UNAVAILABLE, TAG_END());
	call_ringer_update(c->ua);
}

static const char *peer_host_of(const sip_t *sip)
{
	/* The top Via names where the request came from; the kernel's
	 * route toward it picks our address on that network. */
	if (sip && sip->sip_via) {
		if (sip->sip_via->v_received)
			return sip->sip_via->v_received;
		return sip->sip_via->v_host;
	}
	return NULL;
}

void ua_call_incoming(ua_t *ua, nua_handle_t *nh, const sip_t *sip)
{
	bool busy = ua_state_busy(ua->state);
	char *from = sip && sip->sip_from
		? url_as_string(ua->home, sip->sip_from->a_url) : NULL;
	char *to = sip && sip->sip_to
		? url_as_string(ua->home, sip->sip_to->a_url) : NULL;
	ua_call_t *c = NULL;
	char text[800];

	/* Any peer can put bytes that are not UTF-8 in a URI; JSON needs
	 * UTF-8. */
	ua_event_fix_utf8(from);
	ua_event_fix_utf8(to);
	if (ua->quitting || (busy && !conf_bool(ua->conf, "call.waiting")))
		goto busy_here;
	c = call_new(ua, false, UA_CALL_RINGING);
	if (!c)
		goto busy_here;
	c->nh = nh;
	nua_handle_bind(nh, c);
	call_learn_dialog(c, sip, false);
	call_handle_params(c, nh, sip && sip->sip_via &&
			   su_casematch(sip->sip_via->v_protocol,
					sip_transport_tcp));
	c->peer = su_strdup(ua->home, from);
	call_bind_media(c, peer_host_of(sip));
	if (!c->sdp) {
		/* No RTP port: better to say so than ring and fail. */
		call_note_final(c, 503, "Service Unavailable", "local");
		nua_respond(nh, SIP_503_SERVICE_UNAVAILABLE,
			    SIPTAG_RETRY_AFTER_STR("30"), TAG_END());
		goto done;
	}
	if (sip && sip->sip_payload && sip->sip_payload->pl_data) {
		char *offer = su_strndup(ua->home, sip->sip_payload->pl_data,
					 sip->sip_payload->pl_len);
		char *caps;

		if (!media_sdp_offer_usable(c->sdp, offer)) {
			/* Nothing to talk with: a 200 would set up a call
			 * without sound, a 488 lets a PBX try another way. */
			su_free(ua->home, offer);
			call_note_final(c, 488, "Not Acceptable Here", "local");
			nua_respond(nh, SIP_488_NOT_ACCEPTABLE,
				    SIPTAG_WARNING_STR("305 pnphone "
					"\"Incompatible media format\""),
				    TAG_END());
			goto done;
		}
		/* The answer carries only the telephone-event we send. */
		caps = media_sdp_for_offer(c->sdp, offer);

		if (caps) {
			free(c->sdp);
			c->sdp = caps;
		}
		c->peer_has_te = media_sdp_has_telephone_event(offer);
		su_free(ua->home, offer);
	}
	nua_respond(nh, SIP_180_RINGING, TAG_END());
	snprintf(text, sizeof(text), _("call %d: incoming call from %s"),
		 c->id, from ? from : "?");
	ua_event_emit(ua->ev, "call_incoming", text, "{s:i, s:s*, s:s*}",
		      "call", c->id, "from", from, "to", to);
	if (conf_bool(ua->conf, "call.auto_answer") && !busy)
		su_timer_set_interval(c->timer, call_timer_answer, c,
			1000 * conf_uint(ua->conf, "call.auto_answer_delay"));
	else
		su_timer_set_interval(c->timer, call_timer_no_answer, c,
			1000 * conf_uint(ua->conf, "call.no_answer_timeout"));
	call_ringer_update(ua);
	goto done;

busy_here:
	/* Call waiting off, every appearance used, or quitting. */
	nua_respond(nh, SIP_486_BUSY_HERE, TAG_END());
	snprintf(text, sizeof(text),
		 _("incoming call from %s answered 486 Busy Here"),
		 from ? from : "?");
	ua_event_emit(ua->ev, "call_rejected", text,
		      "{s:s*, s:i, s:s}", "from", from, "code", 486,
		      "reason", "Busy Here");
	nua_handle_destroy(nh);
done:
	su_free(ua->home, from);
	su_free(ua->home, to);
}

static void call_answer(ua_call_t *c)
{
	su_timer_reset(c->timer);
	c->answered = true;
	call_ringer_update(c->ua);
	nua_respond(c->nh, SIP_200_OK, CALL_SOA_TAGS(c), TAG_END());
}

/* ---- mid-call -------------------------------------------------------- */

static void call_send_reinvite(ua_call_t *c)
{
	c->reinvite_pending = true;
	nua_invite(c->nh, SOATAG_HOLD(c->hold_wanted ? "audio" : NULL),
		   TAG_END());
}

static void call_timer_reinvite(su_root_magic_t *m, su_timer_t *t,
				void *arg)
{
	ua_call_t *c = arg;

	(void)m;
	(void)t;
	if (c->established && !c->ended)
		call_send_reinvite(c);
}

/* RFC 3261 §14.1: after a 491 the owner of the Call-ID (the caller)
 * waits 2.1-4 s, the other side 0-2 s, in 10 ms units, so that the two
 * re-INVITEs that crossed do not cross again. */
static unsigned glare_wait_ms(bool call_id_owner)
{
	unsigned r = (unsigned)random();

	return call_id_owner ? 2100 + 10 * (r % 191) : 10 * (r % 201);
}

static void call_hold(ua_call_t *c, bool hold)
{
	if (!c->established) {
		call_error(c->ua, _("the call is not established"));
		return;
	}
	if (c->reinvite_pending) {
		call_error(c->ua, _("a re-INVITE is already in progress"));
		return;
	}
	if (c->held == hold) {
		call_error(c->ua, hold ? _("the call is already on hold")
				       : _("the call is not on hold"));
		return;
	}
	c->hold_wanted = hold;
	call_send_reinvite(c);
}

/* RFC 2976 INFO with application/dtmf-relay, what Asterisk and most
 * phones accept when RFC 4733 events cannot be sent. */
static void call_dtmf(ua_call_t *c, const char *digits)
{
	char body[64];
	const char *d;

	if (!c->established) {
		call_error(c->ua, _("the call is not established"));
		return;
	}
	/* RFC 4733 in the media stream when the peer takes it. */
	if (c->peer_has_te && c->media &&
	    media_stream_dtmf(c->media, digits) == 0)
		return;
	for (d = digits; *d; d++) {
		snprintf(body, sizeof(body), "Signal=%c\r\nDuration=160\r\n",
			 *d);
		nua_info(c->nh, SIPTAG_CONTENT_TYPE_STR("application/dtmf-relay"),
			 SIPTAG_PAYLOAD_STR(body), TAG_END());
	}
}

/*
 * Hang up in whatever state the call is in; CODE is the answer to a call
 * that still rings in.  A dialog we may not end yet is ended as soon as
 * it may: our 200 not yet ACKed (RFC 3261 section 15: no BYE before the
 * ACK), or a 200 that crosses our CANCEL (section 9.1: the caller then
 * sends BYE).
 */
static void call_hangup(ua_call_t *c, int code, const char *phrase)
{
	c->ended_by = "local";
	su_timer_reset(c->timer);
	if (c->established) {
		nua_bye(c->nh, TAG_END());
	} else if (c->answered || c->outgoing) {
		c->bye_wanted = true;
		if (c->outgoing)
			nua_cancel(c->nh, TAG_END());
	} else {
		call_note_final(c, code, phrase, "local");
		nua_respond(c->nh, code, phrase, TAG_END());
	}
}

/* ---- what nua tells us ---------------------------------------------- */

/* A Contact's q (RFC 3261 section 20.10): 1 when absent or malformed. */
static double call_contact_q(const sip_contact_t *m)
{
	char *end;
	double q;

	if (!m->m_q)
		return 1.0;
	q = strtod(m->m_q, &end);
	return end == m->m_q || q < 0 || q > 1 ? 1.0 : q;
}

/*
 * A 3xx's Contacts become the alternatives to try, highest q first, the
 * order of the header among equals (RFC 3261 section 8.1.3.4); those of
 * an earlier 3xx not yet tried come after them.  At most as many as
 * redirects are left.
 */
static void call_take_alternatives(ua_call_t *c, int status,
				   const sip_contact_t *contacts)
{
	ua_t *ua = c->ua;
	char *alts[CALL_MAX_REDIRECTS];
	double q[CALL_MAX_REDIRECTS];
	const sip_contact_t *m;
	unsigned n = 0, i, j, room = CALL_MAX_REDIRECTS - c->redirects;

	for (m = contacts; m && n < room; m = m->m_next) {
		double mq = call_contact_q(m);
		char *uri;

		if (m->m_url->url_type != url_sip &&
		    m->m_url->url_type != url_sips &&
		    m->m_url->url_type != url_tel)
			continue;   /* mailto:, http: ... are for a human */
		uri = url_as_string(ua->home, m->m_url);
		if (!uri)
			break;
		ua_event_fix_utf8(uri);
		for (i = n; i > 0 && q[i - 1] < mq; i--) {
			alts[i] = alts[i - 1];
			q[i] = q[i - 1];
		}
		alts[i] = uri;
		q[i] = mq;
		n++;
	}
	/* the older alternatives follow, as far as there is room */
	for (j = 0; j < c->n_alts; j++) {
		if (n < room)
			alts[n++] = c->alts[j];
		else
			su_free(ua->home, c->alts[j]);
	}
	memcpy(c->alts, alts, n * sizeof(alts[0]));
	c->n_alts = n;
	c->alt_code = status;
}

/* INVITE the next alternative of a 3xx; false when none is left. */
static bool call_try_alternative(ua_call_t *c)
{
	ua_t *ua = c->ua;
	char text[700];
	char *uri;
	bool sent;

	if (c->n_alts == 0 || c->redirects >= CALL_MAX_REDIRECTS)
		return false;
	uri = c->alts[0];
	memmove(c->alts, c->alts + 1, --c->n_alts * sizeof(c->alts[0]));
	c->redirects++;
	snprintf(text, sizeof(text), _("call %d: redirected to %s"), c->id,
		 uri);
	ua_event_emit(ua->ev, "call_redirected", text, "{s:i, s:s, s:i}",
		      "call", c->id, "to", uri, "code", c->alt_code);
	/* A new INVITE on a new handle; the old one ends quietly. */
	sent = call_invite(c, uri, c->refer_nh);
	su_free(ua->home, uri);
	return sent || call_try_alternative(c);
}

static void call_on_invite_response(ua_call_t *c, int status,
				    const char *phrase, nua_handle_t *nh,
				    const sip_t *sip)
{
	ua_t *ua = c->ua;
	char text[700];

	if (c->established) {
		if (status >= 200 && status < 300)
			call_learn_dialog(c, sip, true);
		else if (call_ends_on(status) && !c->bye_wanted) {
			call_note_final(c, status, phrase, "remote");
			if (status != 481)
				call_bye_behind_nua(c, sip);
		}
		/* Our re-INVITE (hold/resume); nua's own session-timer
		 * refreshes come here too and are none of ours. */
		if (status < 200 || !c->reinvite_pending)
			return;
		if (status == 491) {
			su_timer_set_interval(c->timer, call_timer_reinvite,
				c, glare_wait_ms(c->outgoing));
			return;
		}
		c->reinvite_pending = false;
		if (status >= 300) {
			char what[64];

			snprintf(what, sizeof(what),
				 c->hold_wanted ? _("call %d: hold failed")
						: _("call %d: resume failed"),
				 c->id);
			ua_emit_failure(ua, "error", what, c->id, status,
					phrase, NULL, NULL, -1);
			return;
		}
		c->held = c->hold_wanted;
		call_media_update(c);
		call_set_state(c, c->held ? UA_CALL_HELD : UA_CALL_ACTIVE);
		snprintf(text, sizeof(text), c->held
			 ? _("call %d: on hold") : _("call %d: resumed"),
			 c->id);
		ua_event_emit(ua->ev, c->held ? "call_held" : "call_resumed",
			      text, "{s:i, s:s}", "call", c->id,
			      "by", "local");
		return;
	}
	if (status == 180 || status == 181 || status == 182) {
		call_set_state(c, UA_CALL_EARLY);
		snprintf(text, sizeof(text), _("call %d: ringing (%d %s)"),
			 c->id, status, phrase);
		ua_event_emit(ua->ev, "call_ringing", text,
			      "{s:i, s:i, s:s}", "call", c->id,
			      "code", status, "reason", phrase);
		return;
	}
	if (status == 183) {
		bool early = sip && sip->sip_payload;

		call_set_state(c, UA_CALL_EARLY);
		snprintf(text, sizeof(text), _("call %d: %d %s%s"), c->id,
			 status, phrase, early ? _(" (early media)") : "");
		ua_event_emit(ua->ev, "call_early", text,
			      "{s:i, s:i, s:s, s:b}", "call", c->id,
			      "code", status, "reason", phrase,
			      "early_media", early);
		return;
	}
	if (status < 300) {
		/* established comes with the state event */
		call_learn_dialog(c, sip, true);
		return;
	}
	if (status == 401 || status == 407) {
		if (ua_auth_answer(ua, &c->auth, nh, sip))
			return;
		/* Refused credentials: nua would wait for others for ever
		 * and the call would never end. */
		call_note_final(c, status, phrase, "remote");
		call_emit_ended(c);
		call_free(c);
		ua_maybe_finish_quit(ua);
		return;
	}
	if (status >= 300 && status < 400 && status != 380 && status != 305 &&
	    sip && sip->sip_contact) {
		call_take_alternatives(c, status, sip->sip_contact);
		if (call_try_alternative(c))
			return;
	} else if (status < 600 && status != 487 && !c->bye_wanted &&
		   call_try_alternative(c)) {
		/* That target failed; a 6xx speaks for every one of them
		 * (RFC 3261 section 21.6), a 487 for the user who hung up. */
		return;
	}
	call_note_final(c, status, phrase, "remote");
}

/*
 * The peer answered our offer with nothing we can send or play: RFC 3264
 * gives the offerer no way to refuse an answer, so the call ends, with
 * the reason in the BYE (RFC 3326) rather than as a silent call.
 */
static void call_drop_unusable(ua_call_t *c)
{
	call_note_final(c, 488, "Not Acceptable Here", "local");
	c->ended_by = "local";
	c->established = true;
	nua_bye(c->nh, SIPTAG_REASON_STR("SIP;cause=488;text=\"Incompatible "
					 "media format\""), TAG_END());
}

static void call_on_state(ua_call_t *c, int status, const char *phrase,
			  tagi_t tags[])
{
	ua_t *ua = c->ua;
	int cs = -1, audio = -1, offer_sent = 0, offer_recv = 0;
	const char *remote = NULL, *local = NULL;
	bool unusable = false;
	char text[600];

	tl_gets(tags, NUTAG_CALLSTATE_REF(cs),
		SOATAG_ACTIVE_AUDIO_REF(audio),
		SOATAG_REMOTE_SDP_STR_REF(remote),
		SOATAG_LOCAL_SDP_STR_REF(local),
		NUTAG_OFFER_SENT_REF(offer_sent),
		NUTAG_OFFER_RECV_REF(offer_recv), TAG_END());
	/* The answer decides the codec (RFC 3264 section 6.1), and which
	 * side answers changes with each exchange: our hold re-INVITE on a
	 * call we took, the peer's re-INVITE on a call we made, an offer
	 * we put in a 200 to an INVITE without SDP. */
	if (offer_sent)
		c->we_offered = true;
	else if (offer_recv)
		c->we_offered = false;
	if (remote)
		c->peer_has_te = media_sdp_has_telephone_event(remote);
	call_keep_sdp(&c->local_sdp, local);
	call_keep_sdp(&c->remote_sdp, remote);
	if (cs == nua_callstate_ready && c->bye_wanted) {
		/* Hung up before it could be: now it can. */
		c->bye_wanted = false;
		c->established = true;
		nua_bye(c->nh, TAG_END());
		return;
	}
	/* Media follows every agreement: the answer, a 183 with SDP
	 * (early media), and re-INVITEs either way. */
	if (cs == nua_callstate_ready ||
	    ((local || remote) && c->established) ||
	    (remote && c->outgoing && cs == nua_callstate_proceeding))
		unusable = call_media_update(c) < 0;
	if (unusable && cs == nua_callstate_ready && c->we_offered) {
		call_drop_unusable(c);
		return;
	}
	/* The agreed codec heads the answer: the peer's when we offered,
	 * ours when we answered.  It comes with whichever state event
	 * carried the SDP, not always with "ready". */
	if (c->we_offered ? remote : local) {
		const char *codec = media_sdp_agreed_codec(
			c->we_offered ? remote : local);

		snprintf(c->codec, sizeof(c->codec), "%s", codec ? codec : "");
	}

	if (cs == nua_callstate_ready && !c->established) {
		const char *codec = *c->codec ? c->codec : NULL;

		c->established = true;
		su_timer_reset(c->timer);
		call_set_state(c, UA_CALL_ACTIVE);
		snprintf(text, sizeof(text),
			 _("call %d: established with %s (%s)"), c->id,
			 c->peer ? c->peer : "?", codec ? codec : "?");
		ua_event_emit(ua->ev, "call_established", text,
			      "{s:i, s:s*, s:s*, s:b}", "call", c->id,
			      "peer", c->peer, "codec", codec,
			      "audio", media_stream_running(c->media));
		return;
	}
	if (cs == nua_callstate_ready && c->established && audio >= 0 &&
	    !c->reinvite_pending) {
		/* A re-INVITE from the peer: did it hold or resume us? */
		bool remote_hold = audio == SOA_ACTIVE_RECVONLY ||
			(audio == SOA_ACTIVE_INACTIVE && !c->held);

		if (remote_hold != c->remote_held) {
			c->remote_held = remote_hold;
			if (remote_hold)
				snprintf(text, sizeof(text),
					 _("call %d: held by the peer"), c->id);
			else
				snprintf(text, sizeof(text),
					 _("call %d: resumed by the peer"),
					 c->id);
			ua_event_emit(ua->ev, remote_hold ? "call_held"
					: "call_resumed", text,
				      "{s:i, s:s}", "call", c->id,
				      "by", "remote");
		}
		return;
	}
	if (cs == nua_callstate_terminated) {
		if (!c->established && status >= 300)
			call_note_final(c, status, phrase, "remote");
		call_emit_ended(c);
	}
}

/*
 * The peer's re-INVITE (hold, resume, a new address or codec, a session
 * refresh): an offer with nothing we can use is refused with 488 (RFC
 * 3261 section 14.2), and the call goes on as it was.  Without an offer
 * soa puts ours in the 200.
 */
static void call_on_reinvite(ua_call_t *c, int status, const sip_t *sip)
{
	char *offer = NULL, text[300];
	bool usable = true;

	if (status >= 200)
		return;   /* nua has answered it (491, 500...) */
	call_learn_dialog(c, sip, false);
	if (sip && sip->sip_payload && sip->sip_payload->pl_data) {
		offer = strndup(sip->sip_payload->pl_data,
				sip->sip_payload->pl_len);
		usable = offer && media_sdp_offer_usable(c->sdp, offer);
		free(offer);
	}
	if (usable) {
		nua_respond(c->nh, SIP_200_OK, TAG_END());
		return;
	}
	nua_respond(c->nh, SIP_488_NOT_ACCEPTABLE,
		    SIPTAG_WARNING_STR("305 pnphone \"Incompatible media "
				       "format\""), TAG_END());
	snprintf(text, sizeof(text), _("call %d: the peer's new offer has no "
		 "codec we can use; refused (488), the call goes on"), c->id);
	ua_event_emit(c->ua->ev, "reinvite_refused", text, "{s:i, s:i}",
		      "call", c->id, "code", 488);
}

/* Progress of our REFER arrives as NOTIFY with a message/sipfrag body:
 * "SIP/2.0 180 Ringing". */
static void call_on_refer_notify(ua_call_t *c, const sip_t *sip)
{
	char frag[128], text[300];
	int code = 0;
	const char *reason = "";
	bool final;

	if (!sip || !sip->sip_payload || !sip->sip_payload->pl_data)
		return;
	snprintf(frag, sizeof(frag), "%.*s",
		 (int)(sip->sip_payload->pl_len < 127
		       ? sip->sip_payload->pl_len : 127),
		 sip->sip_payload->pl_data);
	frag[strcspn(frag, "\r\n")] = '\0';
	ua_event_fix_utf8(frag);
	if (sscanf(frag, "SIP/2.0 %d", &code) != 1 || code < 100 ||
	    code > 699)
		return;
	reason = strchr(frag + 8, ' ');
	reason = reason ? reason + 1 : "";
	final = code >= 200;
	snprintf(text, sizeof(text), _("call %d: transfer %s: %d %s"), c->id,
		 final ? (code < 300 ? _("succeeded") : _("failed"))
		       : _("in progress"), code, reason);
	ua_event_emit(c->ua->ev, "transfer_progress", text,
		      "{s:i, s:i, s:s, s:b}", "call", c->id, "code", code,
		      "reason", reason, "final", final);
	/* A blind transfer is done when the target answers: leave. */
	if (final && code < 300 && c->established)
		call_hangup(c, SIP_486_BUSY_HERE);
}

/* The peer sent DTMF as INFO: application/dtmf-relay "Signal=5" or
 * application/dtmf "5". */
static void call_on_info(ua_call_t *c, const sip_t *sip)
{
	char body[128];
	const char *p;
	char digit = 0;

	if (!sip || !sip->sip_payload || !sip->sip_payload->pl_data ||
	    !sip->sip_content_type)
		return;
	/* A bounded, terminated copy: the payload is pl_len bytes. */
	snprintf(body, sizeof(body), "%.*s",
		 (int)(sip->sip_payload->pl_len < sizeof(body) - 1
		       ? sip->sip_payload->pl_len : sizeof(body) - 1),
		 sip->sip_payload->pl_data);
	if (su_casematch(sip->sip_content_type->c_type,
			 "application/dtmf-relay")) {
		p = su_strcasestr(body, "Signal=");
		if (p)
			digit = p[7 + strspn(p + 7, " \t")];
	} else if (su_casematch(sip->sip_content_type->c_type,
				"application/dtmf")) {
		digit = body[strspn(body, " \t\r\n")];
	}
	if (digit && strchr("0123456789*#ABCDabcd", digit)) {
		char text[64], d[2] = { (char)toupper((unsigned char)digit),
					0 };

		snprintf(text, sizeof(text), _("call %d: DTMF %s received"),
			 c->id, d);
		ua_event_emit(c->ua->ev, "dtmf_received", text,
			      "{s:i, s:s, s:s}", "call", c->id, "digit", d,
			      "via", "info");
	}
}

/*
 * The peer asks us to call someone else (we are the transferee).  nua
 * leaves the answer to us (NUTAG_APPL_METHOD): 202, then the new call's
 * progress goes back in NOTIFYs of the REFER's implicit subscription.
 */
static void call_on_refer(ua_call_t *c, int status, nua_handle_t *nh,
			  const sip_t *sip, tagi_t tags[])
{
	ua_t *ua = c->ua;
	sip_event_t const *event = NULL;
	char *target;
	char text[600];

	if (status >= 200)
		return;   /* nua has answered it */
	if (!sip || !sip->sip_refer_to) {
		nua_respond(nh, 400, "Missing Refer-To",
			    NUTAG_WITH_THIS(ua->nua), TAG_END());
		return;
	}
	nua_respond(nh, SIP_202_ACCEPTED, NUTAG_WITH_THIS(ua->nua), TAG_END());
	tl_gets(tags, NUTAG_REFER_EVENT_REF(event), TAG_END());
	target = url_as_string(ua->home, sip->sip_refer_to->r_url);
	ua_event_fix_utf8(target);
	snprintf(text, sizeof(text), _("call %d: transferred to %s"), c->id,
		 target);
	ua_event_emit(ua->ev, "call_transferred", text, "{s:i, s:s}",
		      "call", c->id, "to", target);
	if (!call_dial(ua, target, nh, event))
		/* The REFER was accepted: the referrer must still hear how
		 * it ended (RFC 3515 section 2.4.5). */
		nua_notify(nh, NUTAG_SUBSTATE(nua_substate_terminated),
			   SIPTAG_CONTENT_TYPE_STR("message/sipfrag"),
			   SIPTAG_PAYLOAD_STR("SIP/2.0 503 Service "
					      "Unavailable\r\n"),
			   TAG_IF(event, SIPTAG_EVENT(event)), TAG_END());
	su_free(ua->home, target);
}

void ua_call_event(ua_t *ua, ua_call_t *c, nua_event_t event, int status,
		   const char *phrase, nua_handle_t *nh, const sip_t *sip,
		   tagi_t tags[])
{
	if (nh != c->nh)
		return;   /* an old handle of a redirected call */
	switch (event) {
	case nua_r_invite:
		call_on_invite_response(c, status, phrase, nh, sip);
		break;
	case nua_i_invite:
		call_on_reinvite(c, status, sip);
		break;
	case nua_i_state:
		call_on_state(c, status, phrase, tags);
		break;
	case nua_i_bye:
		c->ended_by = "remote";
		break;
	case nua_i_cancel:
		call_note_final(c, 487, "Request Terminated", "remote");
		break;
	case nua_r_cancel:
	case nua_r_bye:
		break;
	case nua_i_info:
		if (status < 200)   /* ours to answer (NUTAG_APPL_METHOD) */
			nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(ua->nua),
				    TAG_END());
		call_on_info(c, sip);
		break;
	case nua_r_info:
		if (status >= 300)
			ua_emit_failure(ua, "error", _("DTMF not delivered"),
					c->id, status, phrase, NULL, NULL, -1);
		break;
	case nua_r_refer:
		if (status >= 200)
			ua_event_emit(ua->ev, "transfer_progress",
				status < 300 ? _("transfer accepted")
					     : _("transfer refused"),
				"{s:i, s:i, s:s, s:b}", "call", c->id,
				"code", status, "reason", phrase,
				"final", status >= 300);
		break;
	case nua_i_notify:
		call_on_refer_notify(c, sip);
		break;
	case nua_i_refer:
		call_on_refer(c, status, nh, sip, tags);
		break;
	case nua_i_terminated:
		call_emit_ended(c);
		call_free(c);
		ua_maybe_finish_quit(ua);
		break;
	default:
		break;
	}
	call_ringer_update(ua);
}

/* ---- commands -------------------------------------------------------- */

static ua_call_t *call_for(ua_t *ua, const ua_cli_cmd_t *cmd, bool ringing)
{
	ua_call_t *c = cmd->call ? call_find(ua, cmd->call)
				 : call_current(ua, ringing);

	if (!c || c->ended) {
		char msg[64];

		if (cmd->call)
			snprintf(msg, sizeof(msg), _("no call %d"), cmd->call);
		else
			snprintf(msg, sizeof(msg), "%s", _("no call"));
		call_error(ua, msg);
		return NULL;
	}
	return c;
}

static void call_status(ua_t *ua)
{
	json_t *calls = json_array();
	ua_call_t *c;
	char text[1024];
	size_t len;
	const char *phone = ua_state_phone_name(ua_state_phone(ua->state));
	const char *reg = ua_reg_status(ua->reg);

	len = (size_t)snprintf(text, sizeof(text), _("status: %s, %s"), phone,
			       reg);
	for (c = ua->calls; c; c = c->next) {
		const char *st = ua_state_call_name(
			ua_state_call_get(ua->state, c->id));

		media_stream_stats_t ms;
		char figures[300] = "";

		if (c->media && media_stream_running(c->media)) {
			media_stream_stats(c->media, &ms);
			call_rtp_text(&ms, figures, sizeof(figures));
		}
		json_array_append_new(calls, json_pack("{s:i, s:s, s:s*, s:s, s:o*}",
			"call", c->id, "state", st, "peer", c->peer,
			"direction", c->outgoing ? "out" : "in",
			"rtp", *figures ? call_rtp_json(&ms) : NULL));
		if (len < sizeof(text))
			len += (size_t)snprintf(text + len, sizeof(text) - len,
				_("; call %d %s %s"), c->id, st,
				c->peer ? c->peer : "");
		if (*figures && len < sizeof(text))
			len += (size_t)snprintf(text + len, sizeof(text) - len,
						" (%s)", figures);
	}
	ua_event_emit(ua->ev, "status", text,
		      "{s:s, s:s, s:s, s:o, s:s, s:b}", "phone", phone,
		      "registration", reg, "aor", ua->aor, "calls", calls,
		      "text_entry", ua_state_text_entry_name(
			      ua_state_text_entry(ua->state)),
		      "local_procedure",
		      ua_state_local_procedure(ua->state));
}

struct dev_list {
	json_t *arr;
	char text[2048];
	size_t len;
};

static void call_device_one(void *arg, const media_audio_dev_t *d)
{
	struct dev_list *l = arg;

	json_array_append_new(l->arr, json_pack(
		"{s:s, s:s, s:i, s:i, s:f, s:b, s:b}", "name", d->name,
		"api", d->api, "inputs", d->max_in, "outputs", d->max_out,
		"rate", d->rate, "default_input", d->default_in,
		"default_output", d->default_out));
	if (l->len < sizeof(l->text))
		l->len += (size_t)snprintf(l->text + l->len,
			sizeof(l->text) - l->len,
			_("\n  %s (%s): %d in, %d out, %.0f Hz%s%s"), d->name,
			d->api, d->max_in, d->max_out, d->rate,
			d->default_in ? _(", default input") : "",
			d->default_out ? _(", default output") : "");
}

/* The devices command: what audio.source/sink = portaudio:NAME can name. */
static void call_devices(ua_t *ua)
{
	struct dev_list l = { .arr = json_array() };
	char err[256];
	int n = media_audio_devices(call_device_one, &l, err, sizeof(err));
	char text[2200];

	if (n < 0) {
		json_decref(l.arr);
		call_error(ua, err);
		return;
	}
	snprintf(text, sizeof(text), P_("%d sound device%s", "%d sound devices%s",
				       n), n, l.text);
	ua_event_emit(ua->ev, "devices", text, "{s:o}", "devices", l.arr);
}

static void call_state_cmd(ua_t *ua, const ua_cli_cmd_t *cmd)
{
	char text[UA_CLI_ARG_MAX + 64];

	if (strcmp(cmd->arg, "text_entry") == 0) {
		ua_text_entry_t t = strcmp(cmd->value, "web") == 0
			? UA_TEXT_ENTRY_WEB : strcmp(cmd->value, "other") == 0
			? UA_TEXT_ENTRY_OTHER : UA_TEXT_ENTRY_NONE;

		ua_state_set_text_entry(ua->state, t);
	} else {
		ua_state_set_local_procedure(ua->state,
			strcmp(cmd->value, "on") == 0);
	}
	snprintf(text, sizeof(text), _("state: %s %s"), cmd->arg, cmd->value);
	ua_event_emit(ua->ev, "state", text, "{s:s, s:s}", "name", cmd->arg,
		      "value", cmd->value);
}

static void call_command(ua_t *ua, const ua_cli_cmd_t *cmd);

void ua_call_command(ua_t *ua, const ua_cli_cmd_t *cmd)
{
	call_command(ua, cmd);
	call_ringer_update(ua);
}

static void call_command(ua_t *ua, const ua_cli_cmd_t *cmd)
{
	ua_call_t *c;

	switch (cmd->kind) {
	case UA_CLI_DIAL:
		call_dial(ua, cmd->arg, NULL, NULL);
		return;
	case UA_CLI_STATUS:
		call_status(ua);
		return;
	case UA_CLI_STATE:
		call_state_cmd(ua, cmd);
		return;
	case UA_CLI_DEVICES:
		call_devices(ua);
		return;
	default:
		break;
	}
	c = call_for(ua, cmd, cmd->kind == UA_CLI_ANSWER ||
			      cmd->kind == UA_CLI_REJECT);
	if (!c)
		return;
	switch (cmd->kind) {
	case UA_CLI_ANSWER:
		if (c->outgoing || c->established)
			call_error(ua, _("answer: the call is not ringing"));
		else
			call_answer(c);
		break;
	case UA_CLI_REJECT:
		if (c->outgoing || c->established) {
			call_error(ua, _("reject: the call is not ringing"));
			break;
		}
		su_timer_reset(c->timer);
		c->ended_by = "local";
		if (cmd->code == 603) {
			call_note_final(c, 603, "Decline", "local");
			nua_respond(c->nh, SIP_603_DECLINE, TAG_END());
		} else {
			call_note_final(c, 486, "Busy Here", "local");
			nua_respond(c->nh, SIP_486_BUSY_HERE, TAG_END());
		}
		break;
	case UA_CLI_HANGUP:
		/* What a phone's red button says to a ringing call; 603
		 * would stop a forking proxy's other branches too. */
		call_hangup(c, SIP_486_BUSY_HERE);
		break;
	case UA_CLI_HOLD:
		call_hold(c, true);
		break;
	case UA_CLI_RESUME:
		call_hold(c, false);
		break;
	case UA_CLI_DTMF:
		call_dtmf(c, cmd->arg);
		break;
	case UA_CLI_TRANSFER:
		if (!c->established) {
			call_error(ua, _("transfer: the call is not established"));
			break;
		}
		{
			char *to = call_target(ua, cmd->arg);

			if (!to) {
				call_error(ua, _("transfer: give a full SIP URI"));
				break;
			}
			nua_refer(c->nh, SIPTAG_REFER_TO_STR(to), TAG_END());
			su_free(ua->home, to);
		}
		break;
	default:
		call_error(ua, _("command not available"));
		break;
	}
}

int ua_call_end_all(ua_t *ua)
{
	ua_call_t *c;
	int n = 0;

	for (c = ua->calls; c; c = c->next) {
		if (c->ended)
			continue;
		/* The phone is going away, not its user saying no. */
		call_hangup(c, SIP_480_TEMPORARILY_UNAVAILABLE);
		n++;
	}
	return n;
}

void ua_call_free_all(ua_t *ua)
{
	while (ua->calls) {
		call_emit_ended(ua->calls);
		call_free(ua->calls);
	}
	media_player_free(ua->ringer);
	ua->ringer = NULL;
}

/* What queued up on a call's ports while its media was stopped is stale:
 * played now it would only be late.  Bounded by the socket buffers. */
static void call_media_drain(ua_call_t *c)
{
	int fds[2] = { media_rtpport_rtp_fd(c->rtp),
		       media_rtpport_rtcp_fd(c->rtp) };
	char buf[2048];
	int i, k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < 100000; i++)
			if (recv(fds[k], buf, sizeof(buf), MSG_DONTWAIT) < 0)
				break;
}

void ua_media_suspend(ua_t *ua, bool on)
{
	ua_call_t *c;
	char text[128];

	if (ua->media_suspended == on)
		return;
	ua->media_suspended = on;
	call_ringer_update(ua);   /* the push has the sink now, or not */
	for (c = ua->calls; c; c = c->next) {
		if (c->ended)
			continue;
		if (on && c->media) {
			/* no final call_stats, no RTCP BYE: the call goes on */
			media_stream_free_quiet(c->media);
			c->media = NULL;
			c->push_held = true;
			snprintf(text, sizeof(text),
				 _("call %d: on hold for an audio push"),
				 c->id);
			ua_event_emit(ua->ev, "call_held", text, "{s:i, s:s}",
				      "call", c->id, "by", "push");
		} else if (!on && c->rtp) {
			call_media_drain(c);
			call_media_update(c);
			if (!c->push_held)
				continue;
			c->push_held = false;
			snprintf(text, sizeof(text),
				 _("call %d: resumed after an audio push"),
				 c->id);
			ua_event_emit(ua->ev, "call_resumed", text,
				      "{s:i, s:s, s:b}", "call", c->id, "by",
				      "push", "audio",
				      media_stream_running(c->media));
		}
	}
}
