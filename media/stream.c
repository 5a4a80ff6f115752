/*
 * stream.c - the RTP audio stream of a call on the su_root loop.
 */
#define _GNU_SOURCE             /* recvmmsg */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define SU_ROOT_MAGIC_T void
#define SU_WAKEUP_ARG_T void
#include <sofia-sip/su_wait.h>
#include <speex/speex_resampler.h>

#include "common/i18n.h"
#include "media/audio.h"
#include "media/clock.h"
#include "media/codec.h"
#include "media/rtp.h"
#include "media/stream.h"

#define PTIME_MS 20
#define CATCHUP_MS 1000         /* longest stall made up for */
#define MAX_PKT 1500
#define FIFO 8192               /* decoded samples: > 120 ms at 48 kHz */
#define DTMF_MS 100             /* tone length we send */
#define DTMF_GAP_MS 60          /* pause between digits */
#define DTMF_ENDS 3             /* end packets (RFC 4733 §2.5.1.4) */
#define DTMF_QUEUE 64
#define EV_RECENT 4             /* received events remembered */
#define RX_BATCH 16             /* packets per recvmmsg() */
#define RX_TICK 64              /* packets read per tick at most */
/* A new RTP source is believed after this many packets from it in
 * sequence and with one SSRC (Asterisk's strictrtp learns on 4): one
 * spoofed packet cannot take the stream, and a peer behind a NAT loses
 * 40 ms at the start. */
#define LEARN_PACKETS 3
/* ... each at most this many ahead of the one before (lost packets) */
#define LEARN_GAP 4
/* A latched source silent this long may be replaced by a learned one
 * (the peer's NAT mapping changed): longer than Opus DTX's 400 ms
 * keep-alive and the jitter buffer's 200 ms rebuffer, so a talking peer
 * is never taken for gone, short enough that a new mapping costs about
 * a second of audio.  Shorter would let a stranger take over a peer
 * that merely paused; no timeout at all left a moved peer mute. */
#define LATCH_IDLE_MS 1000

struct media_stream {
	su_root_t *root;
	int rtp_fd, rtcp_fd;
	su_wait_t rtp_wait[1], rtcp_wait[1];
	int rtp_reg, rtcp_reg;     /* rtp_reg: until the stream starts */
	/* The 20 ms ticks (clock.h).  A started stream reads RTP on them,
	 * not when it arrives: one wake-up per frame instead of two, and the
	 * kernel's arrival stamps keep the jitter measurement exact.  Before
	 * it starts, RTP is read as it comes, and thrown away. */
	media_clock_t *clock;
	char *source_spec, *sink_spec;
	media_stream_cfg_t cfg;
	media_stream_cb_t cb;

	bool started;
	media_sdp_neg_t neg;
	bool sending, receiving;
	media_codec_t *codec;       /* what we send (and at first receive) */
	media_jbuf_t *jb;
	media_rtcp_t *rtcp;
	media_source_t *src;
	media_sink_t *sink;
	unsigned rate, frame;       /* codec clock, samples per tick */

	/* What the peer sends now: any codec agreed (RFC 3264 §5.1), so it
	 * may switch mid-call while we keep sending ours.  DEC is CODEC, or
	 * RX_OWN once the peer switched to another codec; the jitter buffer
	 * counts that codec's clock (RX_RATE) and RS brings its audio to the
	 * devices' rate, which stays ours. */
	media_codec_t *dec, *rx_own;
	unsigned rx_rate;
	SpeexResamplerState *rs;    /* NULL while RX_RATE == RATE */
	/* the newest audio packet queued: a straggler of the codec before a
	 * switch must not switch back */
	bool rx_have_seq;
	uint32_t rx_ssrc;
	uint16_t rx_seq;

	/* where the peer is */
	struct sockaddr_storage peer, peer_rtcp, sdp_peer, sdp_peer_rtcp;
	socklen_t peer_len, peer_rtcp_len, sdp_len, sdp_rtcp_len;
	bool latched, rtcp_latched;
	uint64_t peer_heard_ms;     /* last packet from the latched source */
	/* a source being learned: its run of packets in sequence */
	struct sockaddr_storage cand;
	uint32_t cand_ssrc;
	uint16_t cand_seq;
	unsigned cand_run;          /* 0: none */

	/* what we send */
	uint32_t ssrc, ts;
	uint16_t seq;
	bool marker;

	/* RFC 4733 sending */
	char dtmf_q[DTMF_QUEUE + 1];
	int dtmf_code;              /* event being sent, -1 none */
	uint32_t dtmf_ts;
	int dtmf_pt;                /* its telephone-event, fixed for it */
	unsigned dtmf_rate;         /* ... and that one's clock */
	unsigned dtmf_elapsed_ms, dtmf_ends, dtmf_gap_ms;
	/* RFC 4733 receiving: the events last reported, newest first */
	unsigned ev_n;
	uint32_t ev_ts[EV_RECENT], ev_ssrc;

	uint64_t next_tick_ms, next_rtcp_ms;
	int16_t fifo[FIFO];         /* decoded, at the devices' rate */
	size_t fifo_len;
	int16_t rx_pcm[FIFO];       /* decoded, at the codec's rate */

	media_stream_stats_t st;
};

/* ---- addresses ------------------------------------------------------ */

static socklen_t make_addr(struct sockaddr_storage *ss, const char *addr,
			   unsigned port)
{
	memset(ss, 0, sizeof(*ss));
	if (!addr || !*addr || port == 0 || port > 65535)
		return 0;
	if (strchr(addr, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1)
			return 0;
		return sizeof(*s6);
	}
	{
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
			return 0;
		return sizeof(*s4);
	}
}

/* Whether the RTP socket can send to A (IPv4 and IPv6 sockets are
 * apart: an IPv4 one cannot reach an IPv6 peer). */
static bool same_family(const media_stream_t *s,
			const struct sockaddr_storage *a)
{
	struct sockaddr_storage me;
	socklen_t len = sizeof(me);

	if (getsockname(s->rtp_fd, (struct sockaddr *)&me, &len) < 0)
		return true;   /* not known: let sendto tell */
	return me.ss_family == a->ss_family ||
	       (me.ss_family == AF_INET6 && a->ss_family == AF_INET);
}

/* Same host (PORT too when WITH_PORT)? */
static bool same_addr(const struct sockaddr_storage *a,
		      const struct sockaddr_storage *b, bool with_port)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_addr.s_addr == y->sin_addr.s_addr &&
		       (!with_port || x->sin_port == y->sin_port);
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a,
					  *y = (const void *)b;

		return memcmp(&x->sin6_addr, &y->sin6_addr,
			      sizeof(x->sin6_addr)) == 0 &&
		       (!with_port || x->sin6_port == y->sin6_port);
	}
	return false;
}

static void latch(media_stream_t *s, const struct sockaddr_storage *from,
		  socklen_t len)
{
	s->peer = *from;
	s->peer_len = len;
	s->latched = true;
	s->cand_run = 0;
	s->st.source_changes++;
}

/*
 * Symmetric RTP with a guard against strangers.  The exact SDP address
 * is the peer: it latches at once, and always wins the latch back.  Any
 * other source (a peer behind a NAT, or one like baresip that writes
 * another of its addresses in the SDP) is learned: it latches after
 * LEARN_PACKETS packets from it in sequence with one SSRC (another
 * source in between starts the count over), and
 * while another source is latched only once that one has been silent
 * for LATCH_IDLE_MS (the peer's NAT mapping changed).  A stream with no
 * SDP address (an audio push) has nobody to prefer: its first packet
 * latches.  NOW: the packet's arrival.  false: drop it (being learned,
 * or a stranger).
 */
static bool source_ok(media_stream_t *s, const struct sockaddr_storage *from,
		      socklen_t len, const media_rtp_hdr_t *h, uint64_t now)
{
	unsigned need = s->sdp_len ? LEARN_PACKETS : 1;

	if (s->sdp_len && same_addr(from, &s->sdp_peer, true) &&
	    !(s->latched && same_addr(from, &s->peer, true)))
		latch(s, from, len);
	if (s->latched && same_addr(from, &s->peer, true)) {
		if (now > s->peer_heard_ms)
			s->peer_heard_ms = now;
		return true;
	}
	if (s->cand_run > 0 && same_addr(from, &s->cand, true) &&
	    h->ssrc == s->cand_ssrc) {
		/* Its next packets (a lost one allowed) count; a reordered
		 * or wild one of the same stream neither counts nor starts
		 * the learning over, or a little reordering, or a peer's
		 * stray packets, would keep it from ever latching. */
		uint16_t ahead = (uint16_t)(h->seq - s->cand_seq);

		if (ahead < 1 || ahead > LEARN_GAP)
			return false;
		if (s->cand_run < need)
			s->cand_run++;
	} else {
		s->cand = *from;
		s->cand_ssrc = h->ssrc;
		s->cand_run = 1;
	}
	s->cand_seq = h->seq;
	if (s->cand_run < need ||
	    (s->latched && now < s->peer_heard_ms + LATCH_IDLE_MS))
		return false;
	latch(s, from, len);
	s->peer_heard_ms = now;
	return true;
}

/* ---- sending -------------------------------------------------------- */

static void send_rtp(media_stream_t *s, uint8_t pt, bool marker, uint32_t ts,
		     const uint8_t *payload, size_t len)
{
	uint8_t pkt[MEDIA_RTP_HDR + MAX_PKT];
	media_rtp_hdr_t h = { .marker = marker, .pt = pt, .seq = s->seq++,
			      .ts = ts, .ssrc = s->ssrc };
	const struct sockaddr_storage *to = s->latched ? &s->peer
						       : &s->sdp_peer;
	socklen_t tolen = s->latched ? s->peer_len : s->sdp_len;

	if (tolen == 0 || len > MAX_PKT)
		return;
	media_rtp_write_hdr(pkt, &h);
	memcpy(pkt + MEDIA_RTP_HDR, payload, len);
	/* UDP send errors (ICMP unreachable from a peer not yet
	 * listening) are not ours to report per packet. */
	(void)sendto(s->rtp_fd, pkt, MEDIA_RTP_HDR + len, 0,
		     (const struct sockaddr *)to, tolen);
	media_rtcp_sent(s->rtcp, s->ts, len);
}

/* One tick of RFC 4733: true when an event packet replaced the audio. */
static bool dtmf_tick(media_stream_t *s)
{
	uint8_t p[4];
	media_rtp_event_t ev = { .volume = 10 };

	if (s->dtmf_code < 0) {
		if (s->dtmf_gap_ms > 0) {
			s->dtmf_gap_ms = s->dtmf_gap_ms > PTIME_MS
				? s->dtmf_gap_ms - PTIME_MS : 0;
			return false;
		}
		if (!s->dtmf_q[0])
			return false;
		s->dtmf_code = media_rtp_event_code(s->dtmf_q[0]);
		memmove(s->dtmf_q, s->dtmf_q + 1, strlen(s->dtmf_q));
		if (s->dtmf_code < 0)
			return false;
		/* The timestamp is the audio's (one SSRC, one timeline,
		 * RFC 4733 section 2.1); the durations count the ticks of
		 * the telephone-event's own clock, the codec's unless the
		 * peer has only another one (baresip: 8000 with Opus). */
		s->dtmf_ts = s->ts;
		s->dtmf_pt = s->neg.te_send_pt;
		s->dtmf_rate = s->neg.te_send_rate ? s->neg.te_send_rate
						   : 8000;
		s->dtmf_elapsed_ms = 0;
		s->dtmf_ends = 0;
		s->st.dtmf_sent++;
	}
	s->dtmf_elapsed_ms += PTIME_MS;
	ev.event = (uint8_t)s->dtmf_code;
	ev.duration = (uint16_t)(s->dtmf_elapsed_ms * s->dtmf_rate / 1000);
	ev.end = s->dtmf_elapsed_ms >= DTMF_MS;
	if (ev.end) {
		ev.duration = (uint16_t)(DTMF_MS * s->dtmf_rate / 1000);
		s->dtmf_ends++;
	}
	media_rtp_event_write(p, &ev);
	send_rtp(s, (uint8_t)s->dtmf_pt, s->dtmf_elapsed_ms == PTIME_MS,
		 s->dtmf_ts, p, sizeof(p));
	if (s->dtmf_ends >= DTMF_ENDS) {
		s->dtmf_code = -1;
		s->dtmf_gap_ms = DTMF_GAP_MS;
		s->marker = true;       /* audio resumes: a new talkspurt */
	}
	return true;
}

static void send_frame(media_stream_t *s)
{
	int16_t pcm[960];
	uint8_t out[MAX_PKT];
	int n;

	if (s->neg.te_send_pt >= 0 && dtmf_tick(s))
		return;
	media_source_read(s->src, pcm, s->frame);
	n = media_codec_encode(s->codec, pcm, s->frame, out, sizeof(out));
	if (n > 0)
		send_rtp(s, (uint8_t)s->neg.send_pt, s->marker, s->ts, out,
			 (size_t)n);
	s->marker = false;
}

/* ---- playout -------------------------------------------------------- */

/* Queue N decoded samples (s->rx_pcm, at the received codec's rate) for
 * the sink, at its rate; what does not fit (over 120 ms) is dropped. */
static void fifo_put(media_stream_t *s, size_t n)
{
	size_t room = FIFO - s->fifo_len;

	if (!s->rs) {
		if (n > room)
			n = room;
		memcpy(s->fifo + s->fifo_len, s->rx_pcm, n * sizeof(int16_t));
		s->fifo_len += n;
	} else {
		spx_uint32_t il = (spx_uint32_t)n, ol = (spx_uint32_t)room;

		speex_resampler_process_int(s->rs, 0, s->rx_pcm, &il,
					    s->fifo + s->fifo_len, &ol);
		s->fifo_len += ol;
	}
}

static void conceal(media_stream_t *s, unsigned n, const media_jb_pkt_t *next)
{
	if (n > FIFO)
		n = FIFO;
	if (next) {
		if (media_codec_recover(s->dec, next->data, next->len,
					s->rx_pcm, n))
			s->st.fec_recovered++;
	} else {
		media_codec_conceal(s->dec, s->rx_pcm, n);
	}
	fifo_put(s, n);
	s->st.concealed_ms += n * 1000u / s->rx_rate;
}

static void play_frame(media_stream_t *s, uint64_t now)
{
	media_jb_pkt_t pkt, next;
	int n;

	while (s->fifo_len < s->frame) {
		switch (media_jbuf_get(s->jb, now, &pkt)) {
		case MEDIA_JB_PACKET:
			n = media_codec_decode(s->dec, pkt.data, pkt.len,
					       s->rx_pcm, FIFO);
			if (n > 0)
				fifo_put(s, (size_t)n);
			else
				conceal(s, pkt.dur, NULL);
			break;
		case MEDIA_JB_LOST:
			conceal(s, pkt.dur, media_jbuf_peek(s->jb, &next)
					    ? &next : NULL);
			break;
		case MEDIA_JB_STRETCH:
			conceal(s, pkt.dur, NULL);
			break;
		case MEDIA_JB_WAIT:
		default:
			memset(s->fifo + s->fifo_len, 0,
			       (s->frame - s->fifo_len) * sizeof(int16_t));
			s->fifo_len = s->frame;
			break;
		}
	}
	media_sink_write(s->sink, s->fifo, s->frame);
	s->fifo_len -= s->frame;
	memmove(s->fifo, s->fifo + s->frame, s->fifo_len * sizeof(int16_t));
}

/* ---- RTCP ----------------------------------------------------------- */

static unsigned rtcp_interval_ms(const media_stream_t *s)
{
	unsigned base = (s->cfg.rtcp_interval_s ? s->cfg.rtcp_interval_s : 5)
			* 1000;

	/* RFC 3550 §6.3.1: randomise to 0.5..1.5 of the interval. */
	return base / 2 + media_rtp_random() % (base + 1);
}

static void send_rtcp(media_stream_t *s, bool bye)
{
	uint8_t buf[256];
	size_t len = media_rtcp_build(s->rtcp, buf, sizeof(buf), bye);
	const struct sockaddr_storage *to = s->rtcp_latched ? &s->peer_rtcp
							    : &s->sdp_peer_rtcp;
	socklen_t tolen = s->rtcp_latched ? s->peer_rtcp_len : s->sdp_rtcp_len;

	if (len && tolen)
		(void)sendto(s->rtcp_fd, buf, len, 0,
			     (const struct sockaddr *)to, tolen);
}

/* ---- the clock ------------------------------------------------------ */

static size_t rtp_drain(media_stream_t *s, size_t max);

static void on_tick(void *arg)
{
	media_stream_t *s = arg;
	uint64_t now = media_clock_now_ms();
	unsigned frames = 0;

	if (!s->started)
		return;
	(void)rtp_drain(s, RX_TICK);
	/* Catch up on ticks the loop was too busy for: what arrived
	 * meanwhile is in the buffer, and a late timer must not lose it.
	 * Ten frames a tick, so the rest of the loop is served in between;
	 * after a stall longer than the buffer can hold, start afresh. */
	if (now > s->next_tick_ms + CATCHUP_MS) {
		s->next_tick_ms = now;
		media_clock_every(s->clock, now + PTIME_MS, PTIME_MS);
	}
	while (s->next_tick_ms <= now && frames++ < 10) {
		if (s->sending)
			send_frame(s);
		s->ts += s->frame;
		play_frame(s, s->next_tick_ms);
		s->next_tick_ms += PTIME_MS;
	}
	if (now >= s->next_rtcp_ms) {
		s->next_rtcp_ms = now + rtcp_interval_ms(s);
		send_rtcp(s, false);
		if (s->cb.report) {
			media_stream_stats_t st;

			media_stream_stats(s, &st);
			s->cb.report(s->cb.arg, &st);
		}
	}
}

/* ---- receiving ------------------------------------------------------ */

static bool is_pt(int want, uint8_t pt)
{
	return want >= 0 && (int)pt == want;
}

/* A telephone-event: any we announced, or the peer's own number. */
static bool is_te_pt(const media_stream_t *s, uint8_t pt)
{
	unsigned i;

	if (is_pt(s->neg.te_recv_pt, pt) || is_pt(s->neg.te_send_pt, pt))
		return true;
	for (i = 0; i < MEDIA_SDP_TE_MAX && s->neg.te_recv[i].rate; i++)
		if (is_pt(s->neg.te_recv[i].pt, pt))
			return true;
	return false;
}

static void on_event(media_stream_t *s, const media_rtp_hdr_t *h)
{
	media_rtp_event_t ev;
	char digit;
	unsigned i;

	if (media_rtp_event_parse(h->payload, h->plen, &ev) < 0) {
		s->st.bad_malformed++;
		return;
	}
	/* One digit per event timestamp: updates and end packets carry
	 * the same one.  Not only the last event's: an end packet
	 * reordered behind the next event's first packet would report
	 * the old digit again, and then the new one a second time. */
	if (h->ssrc != s->ev_ssrc) {
		s->ev_ssrc = h->ssrc;
		s->ev_n = 0;
	}
	for (i = 0; i < s->ev_n; i++)
		if (s->ev_ts[i] == h->ts)
			return;
	digit = media_rtp_event_digit(ev.event);
	if (!digit)
		return;             /* a non-DTMF event: ignored */
	memmove(s->ev_ts + 1, s->ev_ts, sizeof(s->ev_ts) - sizeof(s->ev_ts[0]));
	s->ev_ts[0] = h->ts;
	if (s->ev_n < EV_RECENT)
		s->ev_n++;
	s->st.dtmf_received++;
	if (s->cb.dtmf)
		s->cb.dtmf(s->cb.arg, digit);
}

/* The agreed codec (s->neg.rx) that payload type PT is, under our
 * numbers (PEER false) or the peer's; NULL if none. */
static const media_sdp_codec_t *rx_codec(const media_stream_t *s, uint8_t pt,
					 bool peer)
{
	unsigned i;

	for (i = 0; i < s->neg.n_rx; i++)
		if (is_pt(peer ? s->neg.rx[i].peer_pt : s->neg.rx[i].pt, pt))
			return &s->neg.rx[i];
	return NULL;
}

/* Decode codec NAME from now on: the send codec's own decoder, or a new
 * one.  A codec at another clock gets the jitter buffer and the RTCP
 * receive statistics counted in its ticks (timestamps at two rates in
 * one buffer would read as a wild jump, or as a second of jitter) and a
 * resampler to the devices' rate, which is the send codec's.  At the
 * same clock the buffer starts over all the same: what it holds is the
 * other codec's, and is decoded into the playout queue first, so that
 * the switch costs no audio.  -1 on ENOMEM: nothing changed. */
static int rx_use(media_stream_t *s, const char *name)
{
	media_codec_t *own = NULL;
	SpeexResamplerState *rs = NULL;
	media_jb_pkt_t pkt;
	unsigned rate;
	int rc = -1, e = 0, n;

	if (strcmp(name, media_codec_name(s->codec)) != 0) {
		own = media_codec_new_decoder(name);
		if (!own)
			goto out;
	}
	rate = media_codec_rate(own ? own : s->codec);
	if (rate != s->rate) {
		rs = speex_resampler_init(1, rate, s->rate,
					  SPEEX_RESAMPLER_QUALITY_VOIP, &e);
		if (!rs)
			goto out;
	}
	while (media_jbuf_pop(s->jb, &pkt)) {
		n = media_codec_decode(s->dec, pkt.data, pkt.len, s->rx_pcm,
				       FIFO);
		if (n > 0)
			fifo_put(s, (size_t)n);
	}
	/* valid for every codec we have: cannot fail after the drain */
	if (media_jbuf_set_clock(s->jb, rate, rate * PTIME_MS / 1000) < 0)
		goto out;
	media_rtcp_set_recv_rate(s->rtcp, rate);
	media_codec_free(s->rx_own);
	if (s->rs)
		speex_resampler_destroy(s->rs);
	s->rx_own = own;
	s->dec = own ? own : s->codec;
	s->rs = rs;
	s->rx_rate = rate;
	s->rx_have_seq = false;
	own = NULL;
	rs = NULL;
	rc = 0;
out:
	media_codec_free(own);
	if (rs)
		speex_resampler_destroy(rs);
	return rc;
}

/* The peer sends codec C (agreed) where it sent another: follow it,
 * unless the packet is older than the newest queued, a straggler of the
 * codec it switched away from.  false: drop the packet. */
static bool rx_follow(media_stream_t *s, const media_sdp_codec_t *c,
		      const media_rtp_hdr_t *h)
{
	if (strcmp(c->name, media_codec_name(s->dec)) == 0)
		return true;
	if (s->rx_have_seq && h->ssrc == s->rx_ssrc &&
	    (int16_t)(h->seq - s->rx_seq) < 0) {
		s->st.bad_old_codec++;
		return false;
	}
	if (rx_use(s, c->name) < 0) {
		s->st.bad_pt++;             /* no memory to decode it */
		return false;
	}
	s->st.codec_switches++;
	return true;
}

static void on_rtp_packet(media_stream_t *s, const uint8_t *buf, size_t len,
			  const struct sockaddr_storage *from, socklen_t flen,
			  uint64_t now_us)
{
	uint64_t now = now_us / 1000;
	media_rtp_hdr_t h;
	const media_sdp_codec_t *codec;
	bool event;
	int dur;

	if (media_rtp_parse(buf, len, &h) < 0) {
		s->st.bad_malformed++;
		return;
	}
	/* Our codecs' numbers first, then the telephone-events, then the
	 * peer's own numbers (accepted too): they may collide with ours. */
	codec = rx_codec(s, h.pt, false);
	event = !codec && is_te_pt(s, h.pt);
	if (!codec && !event)
		codec = rx_codec(s, h.pt, true);
	if (!codec && !event) {
		s->st.bad_pt++;
		return;
	}
	if (!source_ok(s, from, flen, &h, now)) {
		s->st.bad_source++;
		return;
	}
	if (media_rtcp_received(s->rtcp, h.ssrc, h.seq, h.ts, now_us,
				!event) < 0) {
		s->st.bad_seq++;
		return;
	}
	if (!s->receiving)
		return;
	if (event) {
		on_event(s, &h);
		return;
	}
	if (!rx_follow(s, codec, &h))
		return;
	dur = media_codec_samples(s->dec, h.payload, h.plen);
	if (dur <= 0 || (unsigned)dur > s->rx_rate * 120 / 1000) {
		s->st.bad_malformed++;
		return;
	}
	if (!s->rx_have_seq || h.ssrc != s->rx_ssrc ||
	    (int16_t)(h.seq - s->rx_seq) > 0) {
		s->rx_have_seq = true;
		s->rx_ssrc = h.ssrc;
		s->rx_seq = h.seq;
	}
	media_jbuf_put(s->jb, h.ssrc, h.seq, h.ts, h.pt, h.payload, h.plen,
		       (unsigned)dur, now);
}

/*
 * When the packet reached the host, on our monotonic clock (us).  The
 * jitter buffer and RTCP measure the network's jitter from these times;
 * stamped when the loop gets round to reading them, they would carry the
 * loop's own delays too (a busy machine), and the buffer would grow for
 * nothing.
 * The kernel's stamp is on the realtime clock: only the packet's age is
 * taken from it, so a clock step costs one odd packet at most.
 */
static uint64_t arrival_us(struct msghdr *msg, uint64_t mono_now,
			   const struct timespec *real_now)
{
#ifdef SCM_TIMESTAMPNS
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		struct timespec ts;
		int64_t age_us;

		if (c->cmsg_level != SOL_SOCKET ||
		    c->cmsg_type != SCM_TIMESTAMPNS ||
		    c->cmsg_len < CMSG_LEN(sizeof(ts)))
			continue;
		memcpy(&ts, CMSG_DATA(c), sizeof(ts));
		age_us = ((int64_t)real_now->tv_sec - ts.tv_sec) * 1000000 +
			 ((int64_t)real_now->tv_nsec - ts.tv_nsec) / 1000;
		if (age_us >= 0 && age_us < 1000000 &&
		    (uint64_t)age_us < mono_now)
			return mono_now - (uint64_t)age_us;
	}
#else
	(void)msg;
	(void)real_now;
#endif
	return mono_now;
}

/*
 * Read up to MAX packets waiting on the RTP socket, RX_BATCH to a system
 * call; how many were read.  Bounded, so a flood cannot starve the rest of
 * the loop: what a tick leaves, the kernel keeps or drops.  Before the
 * stream starts, packets are read and thrown away.
 */
static size_t rtp_drain(media_stream_t *s, size_t max)
{
	uint8_t buf[RX_BATCH][MAX_PKT + 64];
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct timespec)) + 64];
	} ctl[RX_BATCH];
	struct sockaddr_storage from[RX_BATCH];
	struct iovec iov[RX_BATCH];
	struct mmsghdr mm[RX_BATCH];
	size_t done = 0;

	while (done < max) {
		unsigned want = max - done < RX_BATCH ? (unsigned)(max - done)
						      : RX_BATCH;
		struct timespec real_now;
		uint64_t mono_now;
		int n, i;

		for (i = 0; i < (int)want; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = sizeof(buf[i]);
			mm[i].msg_hdr = (struct msghdr){
				.msg_name = &from[i],
				.msg_namelen = sizeof(from[i]),
				.msg_iov = &iov[i], .msg_iovlen = 1,
				.msg_control = ctl[i].buf,
				.msg_controllen = sizeof(ctl[i].buf),
			};
		}
		n = recvmmsg(s->rtp_fd, mm, want, MSG_DONTWAIT | MSG_TRUNC,
			     NULL);
		if (n <= 0)
			break;
		done += (size_t)n;
		if (!s->started)
			continue;
		mono_now = media_clock_now_us();
		clock_gettime(CLOCK_REALTIME, &real_now);
		for (i = 0; i < n; i++) {
			/* MSG_TRUNC: the length the packet had */
			if (mm[i].msg_len > sizeof(buf[i])) {
				s->st.bad_malformed++;
				continue;
			}
			on_rtp_packet(s, buf[i], mm[i].msg_len, &from[i],
				      mm[i].msg_hdr.msg_namelen,
				      arrival_us(&mm[i].msg_hdr, mono_now,
						 &real_now));
			/* a callback may have stopped the stream */
			if (!s->started)
				return done;
		}
		if ((unsigned)n < want)
			break;              /* nothing more waiting */
	}
	return done;
}

static int on_rtp(su_root_magic_t *m, su_wait_t *w, void *arg)
{
	(void)m;
	(void)w;
	(void)rtp_drain(arg, RX_TICK);
	return 0;
}

static int on_rtcp(su_root_magic_t *m, su_wait_t *w, void *arg)
{
	media_stream_t *s = arg;
	uint8_t buf[1500];
	int i;

	(void)m;
	(void)w;
	for (i = 0; i < 16; i++) {
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(s->rtcp_fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &flen);
		media_rtcp_stats_t rs;

		if (n < 0)
			break;
		if (!s->started)
			continue;
		/* From the peer's host only (the RTP latch or the SDP). */
		if (!(s->latched && same_addr(&from, &s->peer, false)) &&
		    !(s->sdp_len && same_addr(&from, &s->sdp_peer, false))) {
			s->st.bad_source++;
			continue;
		}
		if (media_rtcp_parse(s->rtcp, buf, (size_t)n) < 0) {
			s->st.bad_malformed++;
			continue;
		}
		if (!s->rtcp_latched || !same_addr(&from, &s->peer_rtcp, true)) {
			s->peer_rtcp = from;
			s->peer_rtcp_len = flen;
			s->rtcp_latched = true;
		}
		/* The loss the peer sees tunes Opus's FEC. */
		media_rtcp_stats(s->rtcp, &rs);
		if (rs.have_remote && s->codec)
			media_codec_set_loss(s->codec, rs.remote_loss_pct);
	}
	return 0;
}

/* ---- lifetime ------------------------------------------------------- */

media_stream_t *media_stream_new(su_root_t *root, int rtp_fd, int rtcp_fd,
				 const media_stream_cfg_t *cfg,
				 const media_stream_cb_t *cb,
				 char *err, size_t errsz)
{
	media_stream_t *s = calloc(1, sizeof(*s));

	if (!s)
		goto nomem;
	s->root = root;
	s->rtp_fd = rtp_fd;
	s->rtcp_fd = rtcp_fd;
	s->cfg = *cfg;
	s->source_spec = strdup(cfg->source ? cfg->source : "null");
	s->sink_spec = strdup(cfg->sink ? cfg->sink : "null");
	if (cb)
		s->cb = *cb;
	s->ssrc = media_rtp_random();
	s->seq = (uint16_t)media_rtp_random();
	s->ts = media_rtp_random();
	s->dtmf_code = -1;
	s->rtcp = media_rtcp_new(s->ssrc, 8000);
	if (!s->source_spec || !s->sink_spec || !s->rtcp)
		goto nomem;
	s->clock = media_clock_new(root, on_tick, s);
	if (!s->clock)
		goto sockfail;
#ifdef SO_TIMESTAMPNS
	/* Arrival times for the jitter buffer and RTCP (see arrival_us);
	 * without them the loop's clock stands in. */
	{
		int on = 1;

		(void)setsockopt(rtp_fd, SOL_SOCKET, SO_TIMESTAMPNS, &on,
				 sizeof(on));
	}
#endif
	if (su_wait_create(s->rtp_wait, rtp_fd, SU_WAIT_IN) < 0 ||
	    (s->rtp_reg = su_root_register(root, s->rtp_wait, on_rtp, s,
					   0)) <= 0)
		goto sockfail;
	if (su_wait_create(s->rtcp_wait, rtcp_fd, SU_WAIT_IN) < 0 ||
	    (s->rtcp_reg = su_root_register(root, s->rtcp_wait, on_rtcp, s,
					    0)) <= 0)
		goto sockfail;
	return s;
nomem:
	snprintf(err, errsz, "%s", _("out of memory"));
	media_stream_free(s);
	return NULL;
sockfail:
	snprintf(err, errsz, _("cannot watch the RTP sockets: %s"),
		 strerror(errno));
	media_stream_free(s);
	return NULL;
}

/* Open codec, buffer and devices for the codec of NEG (a new codec
 * starts all of them afresh). */
static int setup_codec(media_stream_t *s, const media_sdp_neg_t *neg,
		       char *err, size_t errsz)
{
	media_codec_t *codec;
	unsigned rate;

	codec = media_codec_new(neg->codec, &(media_codec_opts_t){
		.bitrate = neg->opus_bitrate, .fec = neg->opus_fec,
		.max_rate = neg->opus_max_rate,
		.complexity = s->cfg.opus_complexity });
	if (!codec) {
		snprintf(err, errsz, _("cannot start codec %s"), neg->codec);
		return -1;
	}
	rate = media_codec_rate(codec);
	if (s->codec && media_codec_rate(s->codec) != rate) {
		/* One SSRC, one clock (RFC 3550 section 5.2, RFC 7160): the
		 * stream at the old rate says goodbye, a new SSRC starts at
		 * a new random sequence and timestamp. */
		send_rtcp(s, true);
		s->ssrc = media_rtp_random();
		s->seq = (uint16_t)media_rtp_random();
		s->ts = media_rtp_random();
		s->marker = true;
		media_rtcp_set_ssrc(s->rtcp, s->ssrc);
	}
	media_codec_free(s->codec);
	s->codec = codec;
	/* The receive side starts over on the codec we send. */
	media_codec_free(s->rx_own);
	s->rx_own = NULL;
	s->dec = codec;
	if (s->rs)
		speex_resampler_destroy(s->rs);
	s->rs = NULL;
	s->rx_rate = rate;
	s->rx_have_seq = false;
	if (rate != s->rate || !s->jb) {
		media_jbuf_free(s->jb);
		media_source_close(s->src);
		media_sink_close(s->sink);
		s->src = NULL;
		s->sink = NULL;
		s->rate = rate;
		s->frame = rate * PTIME_MS / 1000;
		s->jb = media_jbuf_new(rate, s->frame, s->cfg.jitter_min_ms,
				       s->cfg.jitter_max_ms);
		if (!s->jb) {
			snprintf(err, errsz, "%s",
				 _("bad jitter buffer limits"));
			return -1;
		}
		s->src = media_source_open(s->source_spec, rate, err, errsz);
		if (!s->src)
			return -1;
		s->sink = media_sink_open(s->sink_spec, rate, err, errsz);
		if (!s->sink)
			return -1;
		media_rtcp_set_rate(s->rtcp, rate);
	} else {
		/* the buffer may count a codec the peer switched to */
		(void)media_jbuf_set_clock(s->jb, rate, s->frame);
		media_rtcp_set_rate(s->rtcp, rate);
	}
	s->fifo_len = 0;
	return 0;
}

int media_stream_start(media_stream_t *s, const media_sdp_neg_t *neg,
		       bool hold, char *err, size_t errsz)
{
	bool new_codec = !s->codec || strcmp(neg->codec, s->neg.codec) != 0;
	bool was_sending = s->sending;

	if (new_codec && setup_codec(s, neg, err, errsz) < 0) {
		s->started = false;
		media_clock_stop(s->clock);
		return -1;
	}
	if (!s->sdp_len || strcmp(neg->addr, s->neg.addr) != 0 ||
	    neg->port != s->neg.port) {
		/* A new address in the SDP: latch again. */
		s->sdp_len = make_addr(&s->sdp_peer, neg->addr, neg->port);
		s->sdp_rtcp_len = make_addr(&s->sdp_peer_rtcp, neg->addr,
					    neg->rtcp_port);
		s->latched = s->rtcp_latched = false;
		s->cand_run = 0;
		if (s->sdp_len && !same_family(s, &s->sdp_peer)) {
			/* Our socket cannot reach it: say so once, rather
			 * than a call whose every send fails unseen. */
			snprintf(err, errsz, _("the peer's audio address %s "
				 "is not of our address family"), neg->addr);
			s->sdp_len = s->sdp_rtcp_len = 0;
			return -1;
		}
	}
	s->neg = *neg;
	if (s->neg.n_rx == 0) {
		/* Only the one codec (an audio push): ours, or the peer's
		 * number for it.  A decoder whose codec is no longer agreed
		 * stays until a packet of an agreed one replaces it. */
		snprintf(s->neg.rx[0].name, sizeof(s->neg.rx[0].name), "%s",
			 neg->codec);
		s->neg.rx[0].pt = neg->recv_pt;
		s->neg.rx[0].peer_pt = neg->send_pt;
		s->neg.rx[0].rate = s->rate;
		s->neg.n_rx = 1;
	}
	s->sending = neg->send && !hold && s->sdp_len;
	s->receiving = neg->recv;
	if (s->sending && !was_sending)
		s->marker = true;
	if (!s->started) {
		uint64_t now = media_clock_now_ms();

		/* From now on the ticks read RTP.  What is queued now came
		 * since the loop last looked (with the offer's answer, say,
		 * or before an audio push's stream was made): the first
		 * tick takes it.  A stream started again after a failed
		 * codec change has not been read since: that is stale. */
		if (s->rtp_reg > 0) {
			su_root_deregister(s->root, s->rtp_reg);
			s->rtp_reg = 0;
		} else {
			(void)rtp_drain(s, 4096);
		}
		s->started = true;
		s->next_tick_ms = now + PTIME_MS;
		/* RFC 3550 §6.2: the first report after half an interval. */
		s->next_rtcp_ms = now + rtcp_interval_ms(s) / 2;
		media_clock_every(s->clock, s->next_tick_ms, PTIME_MS);
	}
	return 0;
}

int media_stream_dtmf(media_stream_t *s, const char *digits)
{
	size_t have = strlen(s->dtmf_q), add = strlen(digits);

	if (!s->started || s->neg.te_send_pt < 0 || !s->sending)
		return -1;
	if (have + add > DTMF_QUEUE)
		return -1;
	memcpy(s->dtmf_q + have, digits, add + 1);
	return 0;
}

/* The samples join the playout queue, which play_frame() drains before
 * it asks the jitter buffer for more: no second path to the sink. */
int media_stream_play_local(media_stream_t *s, const int16_t *pcm, size_t n)
{
	if (!s->started || !s->sink || n > FIFO - s->fifo_len)
		return -1;
	memcpy(s->fifo + s->fifo_len, pcm, n * sizeof(*pcm));
	s->fifo_len += n;
	/* What arrives while the local audio (an audio push's alert pings)
	 * plays is not a stale backlog: it is to be heard after them. */
	if (s->jb)
		media_jbuf_keep_backlog(s->jb);
	return 0;
}

/* media_stream_free() says BYE only for a started stream. */
void media_stream_free_quiet(media_stream_t *s)
{
	if (s)
		s->started = false;
	media_stream_free(s);
}

bool media_stream_running(const media_stream_t *s)
{
	return s && s->started;
}

void media_stream_stats(media_stream_t *s, media_stream_stats_t *st)
{
	/* what arrived since the last tick counts too (the last packets of
	 * an audio push that is stopping, say) */
	if (s->started)
		(void)rtp_drain(s, RX_TICK);
	*st = s->st;
	st->codec = s->codec ? media_codec_name(s->codec) : NULL;
	st->recv_codec = s->dec ? media_codec_name(s->dec) : NULL;
	st->sending = s->started && s->sending;
	st->receiving = s->started && s->receiving;
	st->dev_underruns = s->sink ? media_sink_underruns(s->sink) : 0;
	st->dev_overruns = s->src ? media_source_overruns(s->src) : 0;
	media_rtcp_stats(s->rtcp, &st->rtcp);
	if (s->jb)
		media_jbuf_stats(s->jb, &st->jb);
	else
		memset(&st->jb, 0, sizeof(st->jb));
}

void media_stream_free(media_stream_t *s)
{
	if (!s)
		return;
	if (s->started && s->rtcp)
		send_rtcp(s, true);
	if (s->rtp_reg > 0)
		su_root_deregister(s->root, s->rtp_reg);
	if (s->rtcp_reg > 0)
		su_root_deregister(s->root, s->rtcp_reg);
	media_clock_free(s->clock);
	media_codec_free(s->codec);
	media_codec_free(s->rx_own);
	if (s->rs)
		speex_resampler_destroy(s->rs);
	media_jbuf_free(s->jb);
	media_rtcp_free(s->rtcp);
	media_source_close(s->src);
	media_sink_close(s->sink);
	free(s->source_spec);
	free(s->sink_spec);
	free(s);
}
