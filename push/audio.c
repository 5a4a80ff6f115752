/*
 * audio.c - an audio push played through the sink: the media engine's
 * receive path on the announced port, the AudioTimer, the alert pings.
 */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/su_wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/i18n.h"
#include "media/player.h"
#include "media/rtpport.h"
#include "media/stream.h"
#include "push/audio.h"

#define RATE 8000
#define WATCH_MS 250

struct push_audio {
	su_root_t *root;
	media_rtpport_t *port;
	media_stream_t *stream;
	su_timer_t *watch;
	unsigned timer_s;
	uint64_t seen;            /* packets accepted at the last look */
	double last_rx, started;  /* monotonic seconds */
	push_audio_end_f *end;
	void *arg;
};

static double mono_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

push_audio_t *push_audio_new(su_root_t *root, const char *addr, unsigned min,
			     unsigned max, char *err, size_t errsz)
{
	push_audio_t *a = calloc(1, sizeof(*a));

	if (!a) {
		snprintf(err, errsz, "%s", _("out of memory"));
		return NULL;
	}
	a->root = root;
	a->port = media_rtpport_open(addr, min, max);
	if (!a->port) {
		snprintf(err, errsz, _("no free RTP port on %s in %u-%u: %s"),
			 addr, min, max, strerror(errno));
		free(a);
		return NULL;
	}
	return a;
}

unsigned push_audio_port(const push_audio_t *a)
{
	return media_rtpport_port(a->port);
}

/* The AudioTimer: restarted by every packet, and running from the start
 * (a server that never sends does not hold the phone forever).  A
 * one-shot timer set again each time: the end callback frees it, and
 * sofia-sip reads a periodic (su_timer_run) timer after its callback. */
static void on_watch(su_root_magic_t *m, su_timer_t *t, void *arg)
{
	push_audio_t *a = arg;
	media_stream_stats_t st;
	double now = mono_s();

	(void)m;
	(void)t;
	media_stream_stats(a->stream, &st);
	if (st.rtcp.recv_packets != a->seen) {
		a->seen = st.rtcp.recv_packets;
		a->last_rx = now;
	}
	if (now - a->last_rx >= a->timer_s) {
		a->end(a->arg, "timer");   /* may free A */
		return;
	}
	su_timer_set_interval(a->watch, on_watch, a, WATCH_MS);
}

/* The pings a topline or display push sounds (media/player.c), queued
 * ahead of the pushed audio: three fit well inside the stream's
 * one-second playout queue. */
static void pings(push_audio_t *a, int n)
{
	int16_t pcm[RATE / 2];
	size_t len = media_player_ping(pcm, RATE / 2, RATE);

	while (len && n-- > 0)
		if (media_stream_play_local(a->stream, pcm, len) < 0)
			break;
}

int push_audio_play(push_audio_t *a, const push_audio_cfg_t *cfg,
		    push_audio_end_f *end, void *arg, char *err,
		    size_t errsz)
{
	media_stream_cfg_t scfg = {
		.source = "null",
		.sink = cfg->sink,
		.jitter_min_ms = cfg->jitter_min_ms,
		.jitter_max_ms = cfg->jitter_max_ms,
		.opus_complexity = -1,         /* G.711 only */
	};
	media_sdp_neg_t neg = {
		.te_send_pt = -1, .te_recv_pt = -1, .recv = true,
	};

	if (a->stream) {
		snprintf(err, errsz, "already playing");
		return -1;
	}
	snprintf(neg.codec, sizeof(neg.codec), "%s", cfg->pcma ? "pcma"
								: "pcmu");
	neg.send_pt = neg.recv_pt = cfg->pcma ? 8 : 0;
	a->stream = media_stream_new(a->root, media_rtpport_rtp_fd(a->port),
				     media_rtpport_rtcp_fd(a->port), &scfg,
				     NULL, err, errsz);
	if (!a->stream)
		return -1;
	a->watch = su_timer_create(su_root_task(a->root), WATCH_MS);
	if (!a->watch) {
		snprintf(err, errsz, "%s", _("out of memory"));
		goto fail;
	}
	if (media_stream_start(a->stream, &neg, true, err, errsz) < 0)
		goto fail;
	pings(a, cfg->alert);
	a->timer_s = cfg->timer_s;
	a->end = end;
	a->arg = arg;
	a->started = a->last_rx = mono_s();
	su_timer_set_interval(a->watch, on_watch, a, WATCH_MS);
	return 0;
fail:
	su_timer_destroy(a->watch);
	a->watch = NULL;
	media_stream_free(a->stream);
	a->stream = NULL;
	return -1;
}

bool push_audio_playing(const push_audio_t *a)
{
	return a && a->stream;
}

void push_audio_figures(const push_audio_t *a, push_audio_figures_t *f)
{
	media_stream_stats_t st;

	memset(f, 0, sizeof(*f));
	if (!a->stream)
		return;
	media_stream_stats(a->stream, &st);
	f->packets = st.rtcp.recv_packets;
	f->lost = st.rtcp.lost;
	f->concealed_ms = st.concealed_ms;
	f->dropped = st.bad_malformed + st.bad_pt + st.bad_source +
		     st.bad_seq;
	f->seconds = mono_s() - a->started;
}

void push_audio_free(push_audio_t *a)
{
	if (!a)
		return;
	su_timer_destroy(a->watch);
	media_stream_free(a->stream);
	media_rtpport_close(a->port);
	free(a);
}
