/*
 * agent.c - the Push Agent: answer, pull, act.
 *
 * The answer is decided before the pull (the Avaya agent does the same:
 * a refused push "does not proceed to request Push Content"), so it is
 * synchronous and cheap; what can only go wrong in the pull (the content
 * too large, not valid, the server down) is reported as a push_rejected
 * event, as the initiator has its answer already.
 */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#define SU_WAKEUP_ARG_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "common/i18n.h"
#include "media/clock.h"
#include "media/player.h"
#include "push/agent.h"
#include "push/audio.h"
#include "push/decide.h"
#include "push/fetch.h"
#include "push/form.h"
#include "push/http.h"
#include "push/msg.h"
#include "push/status.h"
#include "push/sub.h"
#include "push/tps.h"

#define PUSH_PATH "/forms/push"
#define BODY_MAX (16 * 1024)        /* a form around a 5 KB message */
#define TOPLINE_SECONDS 30
#define SUBSCRIBE_GUARD_S 60
#define PULL_TIMEOUT_MS 10000

struct push_agent {
	su_root_t *root;
	const conf_t *conf;
	push_phone_t phone;
	push_schema_t *schema;
	push_http_t *http;
	push_fetch_t *fetch;
	push_sub_t *sub;
	const char *tpslist;
	/* the verdict on the last push message (see parse_msg) */
	struct {
		char *xml;
		size_t len;
		int code;
		push_msg_t *msg;      /* when code is 200 */
		char why[256];
	} memo;
	/* the TPSLIST verdict on the last href, and the list it was for */
	char *tps_href;
	char *tps_list;
	int tps_code;
	char http_failed[256];     /* the last reason the server could not
				      start, said once */
	/* the one pull */
	push_xfer_t *pull;
	push_msg_t *pull_msg;
	int pull_code;             /* 200, or 204 (display kept) */
	/* what is shown */
	su_timer_t *topline_timer;
	bool topline_shown;
	push_content_t *kept;      /* a 204 display page */
	media_player_t *pings;     /* a topline/display push's alert */
	media_clock_t *tick;
	/* audio push: the ports reserved for the pull under way, and what
	 * plays */
	push_audio_t *audio_next;
	push_audio_t *audio;
	bool media_held;           /* the calls' media is stopped for it */
	char rtp_addr[64];         /* where its RTP ports are bound */
	bool was_registered;
	double sub_guard_until;
	char status[96];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static push_phone_flags_t flags_of(const ua_state_t *s)
{
	push_phone_flags_t f;
	ua_text_entry_t te = ua_state_text_entry(s);

	f.text_entry = te == UA_TEXT_ENTRY_WEB ? PUSH_TEXT_WEB
		     : te == UA_TEXT_ENTRY_OTHER ? PUSH_TEXT_OTHER
		     : PUSH_TEXT_NONE;
	f.alerting = ua_state_call_alerting(s);
	f.call_active = ua_state_call_active(s);
	f.soft_hold = ua_state_soft_hold(s);
	f.local_procedure = ua_state_local_procedure(s);
	f.audio_playing = ua_state_audio_push(s);
	return f;
}

static void rejected(push_agent_t *a, int code, const char *stage,
		     const char *why, const char *source)
{
	char text[512];

	/* WHY stays English in the JSON when it is one of the N_() texts,
	 * which the human line translates; a reason from elsewhere (the
	 * loader's, common/dynlib.c) comes as it was written */
	snprintf(text, sizeof(text), _("push rejected: %d %s (%s)"), code,
		 push_status_reason(code), *why ? _(why) : why);
	ua_event_emit(a->phone.ev, "push_rejected", text,
		      "{s:i, s:s, s:s, s:s, s:s*}", "code", code,
		      "reason", push_status_reason(code), "stage", stage,
		      "why", why, "source", source);
}

/* The HTTP server could not start for a connection, which was closed.
 * A sender retries: the reason is said once, not once a try. */
static void on_http_failed(void *arg, const char *why, bool for_good)
{
	push_agent_t *a = arg;
	char text[512];

	if (!for_good && strcmp(a->http_failed, why) == 0)
		return;
	snprintf(a->http_failed, sizeof(a->http_failed), "%s", why);
	if (for_good)
		snprintf(text, sizeof(text), _("push agent off: %s"), why);
	else
		snprintf(text, sizeof(text),
			 _("the Push Agent cannot answer: %s"), why);
	ua_event_emit(a->phone.ev, "push_error", text, "{s:s}", "message",
		      why);
}

/* ---- acting on the content ----------------------------------------- */

static void topline_expired(su_root_magic_t *magic, su_timer_t *t,
			    void *arg)
{
	push_agent_t *a = arg;

	(void)magic;
	(void)t;
	a->topline_shown = false;
	ua_event_emit(a->phone.ev, "push_topline_expired",
		      _("push: the top line is cleared"), NULL);
}

static void alert_done(void *arg)
{
	push_agent_t *a = arg;

	media_player_free(a->pings);
	a->pings = NULL;
}

/* A topline or display push's alert pings, on audio.sink.  Not while a
 * call is there (the sink is its, or the ringer's) or pushed audio plays:
 * the event still says how many were asked for. */
static void alert(push_agent_t *a, int pings)
{
	const char *sink = conf_str(a->conf, "audio.sink");
	char text[128], sound[16], err[256] = "";
	bool play;

	if (pings <= 0)
		return;
	play = sink && *sink && strcmp(sink, "null") != 0 && !a->audio &&
	       ua_state_call_count(a->phone.state) == 0;
	if (play) {
		media_player_free(a->pings);
		snprintf(sound, sizeof(sound), "ping:%d", pings);
		a->pings = media_player_new(a->root, sound, sink, alert_done,
					    a, err, sizeof(err));
		play = a->pings != NULL;
	}
	snprintf(text, sizeof(text), P_("push: %d alert ping",
					"push: %d alert pings", pings), pings);
	ua_event_emit(a->phone.ev, "push_alert", text, "{s:i, s:b, s:s*}",
		      "pings", pings, "played", play, "why",
		      *err ? err : NULL);
}

static void show_topline(push_agent_t *a, const push_content_t *c,
			 const push_msg_t *m)
{
	char text[PUSH_TOPLINE_MAX * 4 + 64];

	alert(a, m->alert);
	snprintf(text, sizeof(text), _("push topline: %s"), c->text);
	ua_event_emit(a->phone.ev, "push_topline", text,
		      "{s:s, s:s, s:i}", "text", c->text, "mode",
		      push_mode_name(m->mode), "expires", TOPLINE_SECONDS);
	a->topline_shown = true;
	su_timer_set_interval(a->topline_timer, topline_expired, a,
			      TOPLINE_SECONDS * 1000);
}

static void show_display(push_agent_t *a, const push_content_t *c,
			 const char *mode, bool deferred)
{
	char text[PUSH_DISPLAY_MAX + 128];

	snprintf(text, sizeof(text), _("push display: %s%s%s"),
		 c->title ? c->title : "", c->title ? ": " : "", c->text);
	ua_event_emit(a->phone.ev, "push_display", text,
		      "{s:s, s:s*, s:s, s:b}", "text", c->text, "title",
		      c->title, "mode", mode, "deferred", deferred);
}

static void subscribe_content(push_agent_t *a, const push_content_t *c)
{
	if (c->sub_all) {
		push_sub_push(a->sub, NULL);
	} else if (push_sub_listed(a->sub, c->sub_url)) {
		push_sub_push(a->sub, c->sub_url);
	} else {
		rejected(a, PUSH_SUB_UNAVAILABLE, "content",
			 "the <Url href> is not in push.subscribelist", NULL);
	}
}

/* ---- audio -------------------------------------------------------- */

/* The human words for the keyword WHY of audio_stop() (the JSON keeps
 * the keyword). */
static const char *stop_text(const char *why)
{
	if (strcmp(why, "stop") == 0)
		return _("the server sent RTPRx://STOP");
	if (strcmp(why, "timer") == 0)
		return _("no packets within the AudioTimer");
	if (strcmp(why, "replaced") == 0)
		return _("another audio push took over");
	if (strcmp(why, "quit") == 0)
		return _("the agent stops");
	return why;
}

/* Stop what plays; RESUME: give the calls their media back (not when
 * another push takes over at once). */
static void audio_stop(push_agent_t *a, const char *why, bool resume)
{
	push_audio_figures_t f;
	char text[256];

	if (!a->audio)
		return;
	push_audio_figures(a->audio, &f);
	push_audio_free(a->audio);
	a->audio = NULL;
	ua_state_set_audio_push(a->phone.state, false);
	snprintf(text, sizeof(text), P_("push audio stopped (%s) after %.1f s, "
					"%llu packet", "push audio stopped (%s) "
					"after %.1f s, %llu packets",
					f.packets), stop_text(why), f.seconds,
		 (unsigned long long)f.packets);
	ua_event_emit(a->phone.ev, "push_audio_stopped", text,
		      "{s:s, s:b, s:f, s:I, s:I, s:I, s:I}", "why", why,
		      "playing", true,
		      "seconds", f.seconds, "packets", (json_int_t)f.packets,
		      "lost", (json_int_t)f.lost, "concealed_ms",
		      (json_int_t)f.concealed_ms, "dropped",
		      (json_int_t)f.dropped);
	if (resume && a->media_held && a->phone.media_suspend) {
		a->phone.media_suspend(a->phone.arg, false);
		a->media_held = false;
	}
}

static void on_audio_end(void *arg, const char *why)
{
	audio_stop(arg, why, true);
}

/* The <Audio> content: RTPRx://STOP, or a stream to play on the port
 * announced in the pull (or, if the server names another, on that one). */
static void audio_content(push_agent_t *a, const push_content_t *c,
			  const push_msg_t *m)
{
	push_audio_t *rx = a->audio_next;
	unsigned jmin = conf_uint(a->conf, "rtp.jitter_min_ms");
	unsigned jmax = conf_uint(a->conf, "rtp.jitter_max_ms");
	push_audio_cfg_t cfg = {
		.sink = conf_str(a->conf, "audio.sink"),
		.jitter_min_ms = jmin,
		.jitter_max_ms = jmax < jmin ? jmin : jmax,
		.pcma = c->pcma,
		.timer_s = (unsigned)c->timer,
		.alert = m->alert,
	};
	char err[300], text[400];

	a->audio_next = NULL;
	if (c->stop) {
		push_audio_free(rx);
		if (a->audio)
			audio_stop(a, "stop", true);
		else
			ua_event_emit(a->phone.ev, "push_audio_stopped",
				      _("push audio: nothing to stop"),
				      "{s:s, s:b}", "why", "stop", "playing",
				      false);
		return;
	}
	if (!rx || (unsigned)c->rtp_port != push_audio_port(rx)) {
		push_audio_free(rx);
		/* a trusted server may name another port, but not make the
		 * phone bind one outside its media range */
		if ((unsigned)c->rtp_port < conf_uint(a->conf, "rtp.port_min") ||
		    (unsigned)c->rtp_port >= conf_uint(a->conf, "rtp.port_max")) {
			rejected(a, PUSH_INTERNAL, "content", "the RTPRx port "
				 "is outside rtp.port_min..rtp.port_max",
				 m->href);
			return;
		}
		rx = push_audio_new(a->root, a->rtp_addr,
				    (unsigned)c->rtp_port,
				    (unsigned)c->rtp_port + 1, err,
				    sizeof(err));
		if (!rx) {
			rejected(a, PUSH_INTERNAL, "content", err, m->href);
			return;
		}
	}
	/* a barge push replaces what plays (a normal one got 208) */
	audio_stop(a, "replaced", false);
	if (a->phone.media_suspend && !a->media_held) {
		a->phone.media_suspend(a->phone.arg, true);
		a->media_held = true;
	}
	if (push_audio_play(rx, &cfg, on_audio_end, a, err, sizeof(err)) < 0) {
		push_audio_free(rx);
		rejected(a, PUSH_INTERNAL, "content", err, m->href);
		if (a->phone.media_suspend)
			a->phone.media_suspend(a->phone.arg, false);
		a->media_held = false;
		return;
	}
	a->audio = rx;
	ua_state_set_audio_push(a->phone.state, true);
	snprintf(text, sizeof(text), _("push audio on port %u (%s, from %s)"),
		 push_audio_port(rx), c->pcma ? "PCMA" : "PCMU",
		 c->rtp_host ? c->rtp_host : "?");
	ua_event_emit(a->phone.ev, "push_audio_started", text,
		      "{s:i, s:s, s:i, s:i, s:s*, s:s, s:i, s:s*}",
		      "port", (int)push_audio_port(rx), "codec",
		      c->pcma ? "pcma" : "pcmu", "packetsize", c->packetsize,
		      "timer", c->timer, "source", c->rtp_host, "mode",
		      push_mode_name(m->mode), "alert", m->alert,
		      "prompt", c->text);
}

static void on_pulled(void *arg, push_fetch_result_t r, long status,
		      const char *body, size_t len, const char *err)
{
	push_agent_t *a = arg;
	push_msg_t *m = a->pull_msg;
	push_content_t *c = NULL;
	char why[256];
	int code;

	a->pull = NULL;
	a->pull_msg = NULL;
	if (r == PUSH_FETCH_TOO_LARGE) {
		rejected(a, PUSH_TOO_LARGE, "pull",
			 "the content is larger than 5 KB", m->href);
		goto out;
	}
	if (r != PUSH_FETCH_OK || status != 200) {
		if (r == PUSH_FETCH_OK)
			snprintf(why, sizeof(why), "the server answered %ld",
				 status);
		else
			snprintf(why, sizeof(why), "%s", err ? err : "?");
		rejected(a, PUSH_INTERNAL, "pull", why, m->href);
		goto out;
	}
	ua_event_emit(a->phone.ev, "push_pulled", NULL, "{s:s, s:s, s:i}",
		      "type", push_type_name(m->type), "href", m->href,
		      "bytes", (int)len);
	code = push_content_parse(a->schema, m->type, body, len, &c, why,
				  sizeof(why));
	if (code != PUSH_OK) {
		rejected(a, code, "content", why, m->href);
		goto out;
	}
	switch (m->type) {
	case PUSH_TYPE_TOPLINE:
		show_topline(a, c, m);
		break;
	case PUSH_TYPE_DISPLAY:
		if (a->pull_code == PUSH_BACKGROUND) {
			push_content_free(a->kept);
			a->kept = c;
			c = NULL;
			ua_event_emit(a->phone.ev, "push_display_kept",
				_("push: a display page is kept for later"),
				"{s:s}", "href", m->href);
			break;
		}
		alert(a, m->alert);
		show_display(a, c, push_mode_name(m->mode), false);
		break;
	case PUSH_TYPE_SUBSCRIBE:
		subscribe_content(a, c);
		break;
	case PUSH_TYPE_AUDIO:
		audio_content(a, c, m);
		break;
	}
out:
	/* ports reserved for an audio pull that came to nothing */
	push_audio_free(a->audio_next);
	a->audio_next = NULL;
	push_content_free(c);
	push_msg_free(m);
}

/* Start the pull of M; false when it cannot start.  An audio pull names
 * the RTP port in the URL ("GET|POST http://server?rtpLPort=xxxx"); a GET
 * carries the postfields there too. */
static bool start_pull(push_agent_t *a, push_msg_t *m, int code)
{
	size_t need = strlen(m->href) + strlen(m->form) + 32;
	char *url = malloc(need), port[24] = "";
	const char *form = m->post ? "" : m->form;

	if (!url)
		return false;
	if (a->audio_next)
		snprintf(port, sizeof(port), "rtpLPort=%u",
			 push_audio_port(a->audio_next));
	snprintf(url, need, "%s%s%s%s%s", m->href,
		 *form || *port ? (strchr(m->href, '?') ? "&" : "?") : "",
		 form, *form && *port ? "&" : "", port);
	a->pull = push_fetch_start(a->fetch, url, m->post ? m->form : NULL,
				   PUSH_MSG_MAX, PULL_TIMEOUT_MS, on_pulled, a);
	free(url);
	if (!a->pull)
		return false;
	a->pull_msg = m;
	a->pull_code = code;
	return true;
}

/* ---- the answer ---------------------------------------------------- */

static void reply(push_agent_t *a, push_http_resp_t *resp, int code)
{
	snprintf(a->status, sizeof(a->status), "%d %s", code,
		 push_status_reason(code));
	resp->status = push_status_http(code);
	resp->hdr[0][0] = "x-Push-Status";
	resp->hdr[0][1] = a->status;
	resp->hdr[1][0] = "x-Avaya-Push-Status";
	resp->hdr[1][1] = a->status;
	resp->nhdr = 2;
	resp->body = a->status;
	resp->len = strlen(a->status);
}

/* The checks of the message itself, in the order of the Avaya agent:
 * parse, then the trusted server, then the state. */
/* The x-Push-Status code of TPSLIST for HREF.  The verdict on the last
 * href is kept: a server pushes the same pull URL again and again, and
 * taking it apart with libcurl each time was a tenth of a request's cost
 * in bench/push. */
static int trust(push_agent_t *a, const char *href, char *why,
		 size_t whysz)
{
	push_tps_result_t r;

	if (a->tps_href && strcmp(a->tps_href, href) == 0 &&
	    strcmp(a->tps_list, a->tpslist) == 0)
		return a->tps_code;
	r = push_tps_check(a->tpslist, href, why, whysz);
	if (r == PUSH_TPS_NO_PARSER)
		return push_tps_code(r);        /* not a verdict to keep */
	free(a->tps_href);
	free(a->tps_list);
	a->tps_code = push_tps_code(r);
	a->tps_href = strdup(href);
	a->tps_list = strdup(a->tpslist);
	if (!a->tps_href || !a->tps_list) {
		free(a->tps_href);
		free(a->tps_list);
		a->tps_href = a->tps_list = NULL;
	}
	return a->tps_code;
}

static void memo_clear(push_agent_t *a)
{
	free(a->memo.xml);
	push_msg_free(a->memo.msg);
	a->memo.xml = NULL;
	a->memo.msg = NULL;
}

/* push_msg_parse, with the verdict on the last message kept: initiators
 * send the same message again and again (what changes is the content at
 * its href), and parsing and validating it was a third of a request's
 * cost in bench/push.  Only the message's own verdict is kept; TPSLIST
 * and the phone's state are judged afresh every time. */
static int parse_msg(push_agent_t *a, const char *xml, size_t len,
		     push_msg_t **out, char *why, size_t whysz)
{
	int code;

	*out = NULL;
	if (a->memo.xml && a->memo.len == len &&
	    memcmp(a->memo.xml, xml, len) == 0) {
		snprintf(why, whysz, "%s", a->memo.why);
		if (a->memo.code != PUSH_OK)
			return a->memo.code;
		*out = push_msg_dup(a->memo.msg);
		return *out ? PUSH_OK : PUSH_INTERNAL;
	}
	code = push_msg_parse(a->schema, xml, len, out, why, whysz);
	memo_clear(a);
	if (code == PUSH_INTERNAL)
		return code;          /* out of memory: not the message's fault */
	a->memo.xml = malloc(len ? len : 1);
	a->memo.msg = code == PUSH_OK ? push_msg_dup(*out) : NULL;
	if (!a->memo.xml || (code == PUSH_OK && !a->memo.msg)) {
		memo_clear(a);
		return code;
	}
	memcpy(a->memo.xml, xml, len);
	a->memo.len = len;
	a->memo.code = code;
	snprintf(a->memo.why, sizeof(a->memo.why), "%s", why);
	return code;
}

static int judge(push_agent_t *a, const push_http_req_t *req,
		 push_msg_t **out, char *why, size_t whysz)
{
	char *xml = NULL;
	size_t len = 0;
	int code;

	if (req->too_large) {
		snprintf(why, whysz, "%s", N_("the request body is too large"));
		return PUSH_TOO_LARGE;
	}
	if (!push_tps_enabled(a->tpslist)) {
		snprintf(why, whysz, "%s", N_("push.tpslist is empty"));
		return PUSH_DISABLED;
	}
	if (req->multipart) {
		if (!req->field || !req->field_len) {
			snprintf(why, whysz, "%s", N_("no XMLData field"));
			return PUSH_NO_ELEMENT;
		}
		code = parse_msg(a, req->field, req->field_len, out, why,
				 whysz);
	} else {
		code = push_form_xmldata(req->ctype, req->body, req->len, &xml,
					 &len);
		if (code) {
			snprintf(why, whysz, "%s", code == PUSH_NOT_WELL_FORMED
				 ? N_("broken URL encoding")
				 : N_("no XMLData field"));
			return code;
		}
		code = parse_msg(a, xml, len, out, why, whysz);
		free(xml);
	}
	if (code != PUSH_OK)
		return code;
	code = trust(a, (*out)->href, why, whysz);
	if (code != PUSH_OK && code != PUSH_INTERNAL)
		snprintf(why, whysz, "%s", code == PUSH_BAD_URI
			 ? N_("the href is not a full URL of at most 1024 "
			      "characters")
			 : N_("the href is not http(s) on a trusted push "
			      "server"));
	return code;
}

/* The ports an audio push is to be sent to, announced in its pull. */
static push_audio_t *reserve_rtp(push_agent_t *a, char *why, size_t whysz)
{
	return push_audio_new(a->root, a->rtp_addr,
			      conf_uint(a->conf, "rtp.port_min"),
			      conf_uint(a->conf, "rtp.port_max"), why, whysz);
}

static void on_request(void *arg, const push_http_req_t *req,
		       push_http_resp_t *resp)
{
	push_agent_t *a = arg;
	push_msg_t *m = NULL;
	char why[256] = "";
	const char *rule = NULL;
	push_phone_flags_t f;
	char text[256];
	int code;

	if (strcmp(req->method, "POST") != 0 ||
	    strcmp(req->path, PUSH_PATH) != 0) {
		reply(a, resp, PUSH_SECURITY);
		resp->status = 403;
		rejected(a, PUSH_SECURITY, "request",
			 "only POST " PUSH_PATH " is served", req->peer);
		return;
	}
	code = judge(a, req, &m, why, sizeof(why));
	if (code != PUSH_OK) {
		reply(a, resp, code);
		if (code == PUSH_TOO_LARGE && req->too_large)
			resp->status = 413;
		rejected(a, code, "message", why, req->peer);
		push_msg_free(m);
		return;
	}
	ua_event_emit(a->phone.ev, "push_received", NULL,
		      "{s:s, s:s, s:i, s:s, s:s}", "type",
		      push_type_name(m->type), "mode", push_mode_name(m->mode),
		      "alert", m->alert, "source", req->peer, "href", m->href);
	if (m->type == PUSH_TYPE_SUBSCRIBE) {
		if (push_sub_empty(a->sub)) {
			code = PUSH_SUB_UNAVAILABLE;
			rule = "push.subscribelist is empty";
		} else if (now_s() < a->sub_guard_until) {
			code = PUSH_SUB_UNAVAILABLE;
			rule = "a subscribe push came less than a minute ago";
		} else {
			code = PUSH_OK;
		}
	} else {
		f = flags_of(a->phone.state);
		code = push_decide(m->type, m->mode, &f, &rule);
	}
	if (push_status_accepted(code) && a->pull) {
		code = PUSH_INTERNAL;
		rule = "busy with the pull of an earlier push";
	} else if (push_status_accepted(code) && m->type == PUSH_TYPE_AUDIO &&
		   !(a->audio_next = reserve_rtp(a, why, sizeof(why)))) {
		code = PUSH_INTERNAL;
		rule = why;
	} else if (push_status_accepted(code)) {
		if (start_pull(a, m, code)) {
			if (m->type == PUSH_TYPE_SUBSCRIBE)
				a->sub_guard_until = now_s() +
						     SUBSCRIBE_GUARD_S;
			m = NULL;   /* the pull owns it now */
		} else {
			push_audio_free(a->audio_next);
			a->audio_next = NULL;
			code = PUSH_INTERNAL;
			rule = *push_fetch_error(a->fetch)
			       ? push_fetch_error(a->fetch)
			       : "the pull could not start";
		}
	}
	reply(a, resp, code);
	snprintf(text, sizeof(text), _("push answered: %s"), a->status);
	ua_event_emit(a->phone.ev, "push_answered", text,
		      "{s:i, s:s, s:i, s:s*}", "code", code, "reason",
		      push_status_reason(code), "http", resp->status,
		      "why", push_status_accepted(code) ? NULL : rule);
	push_msg_free(m);
}

/* ---- housekeeping -------------------------------------------------- */

static void on_tick(void *arg)
{
	push_agent_t *a = arg;
	bool reg = a->phone.registered && a->phone.registered(a->phone.arg);

	/* "upon log on to the call server": each time it becomes
	 * registered, not on every refresh */
	if (reg && !a->was_registered)
		push_sub_boot(a->sub);
	a->was_registered = reg;
	if (a->kept && ua_state_text_entry(a->phone.state) ==
		       UA_TEXT_ENTRY_NONE &&
	    !ua_state_local_procedure(a->phone.state)) {
		show_display(a, a->kept, "normal", true);
		push_content_free(a->kept);
		a->kept = NULL;
	}
}

/* The host part of push.listen ("HOST:PORT", "[V6]:PORT", ":PORT",
 * "PORT"): the audio push's RTP ports are bound there too, every
 * address when it names none. */
static void listen_host(const char *listen, char *host, size_t size)
{
	const char *colon = strrchr(listen, ':');

	if (listen[0] == '[' && strchr(listen, ']'))
		snprintf(host, size, "%.*s",
			 (int)(strchr(listen, ']') - listen - 1), listen + 1);
	else if (colon)
		snprintf(host, size, "%.*s", (int)(colon - listen), listen);
	else
		host[0] = '\0';
	if (!host[0])
		snprintf(host, size, "0.0.0.0");
}

push_agent_t *push_agent_create(su_root_t *root, const conf_t *conf,
				const push_phone_t *phone, char *err,
				size_t errsz)
{
	push_agent_t *a;
	const push_http_limits_t lim = {
		.max_body = BODY_MAX,
		.max_conns = 32,
		.idle_s = 10,
		.head_max = 16 * 1024,
		.field = "XMLData",
	};

	err[0] = '\0';
	if (!*conf_str(conf, "push.listen"))
		return NULL;
	a = calloc(1, sizeof(*a));
	if (!a) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	a->root = root;
	a->conf = conf;
	a->phone = *phone;
	a->tpslist = conf_str(conf, "push.tpslist");
	listen_host(conf_str(conf, "push.listen"), a->rtp_addr,
		    sizeof(a->rtp_addr));
	a->schema = push_schema_new(err, errsz);
	if (!a->schema)
		goto fail;
	a->fetch = push_fetch_new(root);
	a->sub = a->fetch ? push_sub_new(root, a->fetch, phone->ev, conf)
			  : NULL;
	a->topline_timer = su_timer_create(su_root_task(root), 0);
	/* A periodic timerfd (media/clock.h): the kernel keeps the
	 * period, nothing re-arms it.  It starts half a second off nua's
	 * own one-second timer, so that the two do not wake the loop one
	 * after the other within a millisecond.  An idle phone calls
	 * epoll_wait 3 times a second. */
	a->tick = media_clock_new(root, on_tick, a);
	if (!a->fetch || !a->sub || !a->topline_timer || !a->tick) {
		snprintf(err, errsz, "out of memory");
		goto fail;
	}
	a->http = push_http_new(root, conf_str(conf, "push.listen"), &lim,
				on_request, a, err, errsz);
	if (!a->http)
		goto fail;
	push_http_on_failure(a->http, on_http_failed, a);
	media_clock_every(a->tick, media_clock_now_ms() + 1500, 1000);
	return a;
fail:
	push_agent_destroy(a);
	return NULL;
}

void push_agent_destroy(push_agent_t *a)
{
	if (!a)
		return;
	push_http_free(a->http);
	audio_stop(a, "quit", true);
	push_audio_free(a->audio_next);
	push_sub_free(a->sub);       /* before fetch: it cancels its own */
	push_fetch_free(a->fetch);   /* cancels the pull, no callback */
	push_msg_free(a->pull_msg);
	su_timer_destroy(a->topline_timer);
	media_clock_free(a->tick);
	push_content_free(a->kept);
	media_player_free(a->pings);
	memo_clear(a);
	push_schema_free(a->schema);
	free(a->tps_href);
	free(a->tps_list);
	free(a);
}
