/*
 * stream.h - one audio stream: RTP and RTCP on a socket pair, codec,
 * jitter buffer, source and sink, RFC 4733 events, statistics.
 *
 * The stream lives on the caller's su_root: its two sockets are watched
 * there and one 20 ms timer drives everything else.  Each tick it reads a
 * frame from the source, encodes and sends it (or a telephone-event packet
 * while a digit is being sent), pulls a frame out of the jitter buffer
 * (decoding, concealing, or FEC-recovering as the buffer says) and writes
 * it to the sink, and every rtcp_interval s (randomised ×0.5..1.5) sends
 * an RTCP report and calls the report callback.
 *
 * What arrives is checked before it is used: a truncated or malformed
 * packet, an unknown payload type, a packet from a stranger's address, a
 * wild sequence jump: each is counted (see media_stream_stats_t) and
 * dropped.  Every codec the two SDPs agreed (neg->rx) is a known payload
 * type: the peer may switch to any of them mid-call (RFC 3264 §5.1), and
 * the decoder follows the payload type, with the jitter buffer and the
 * RTCP receive clock at the new codec's rate (what the buffer held of
 * the old one is decoded first) and a resampler to the devices' rate,
 * which stays the codec we send (that one never changes by itself).
 *
 * Symmetric RTP: the stream sends to where the peer's packets come from.
 * The exact SDP address latches at once, whenever packets come from
 * there; another source (a NAT) only after a run of 3 packets in
 * sequence with one SSRC, and in place of a latched source only when
 * that one has been silent for 1 s (its NAT mapping changed): one
 * spoofed packet cannot take the stream.  Packets of a source being
 * learned are not played; they count in bad_source like a stranger's.
 * A stream with no SDP address (an audio push) latches its first packet.
 *
 * Used by a call (ua/call.c): media_stream_new() when the call has its
 * ports, media_stream_start() on every SDP agreement (answer, 183 early
 * media, re-INVITE: direction and codec follow), media_stream_free() when
 * it ends.  The sockets stay the caller's.
 *
 * Playing a G.711 RTP stream that arrives on a port through the sink
 * (audio push) is the same object with no peer and no source:
 *
 *   media_rtpport_t *p = media_rtpport_open_at(addr, port);
 *   media_stream_cfg_t cfg = { .source = "null", .sink = sink_spec,
 *                              .jitter_min_ms = 40, .jitter_max_ms = 300,
 *                              .opus_complexity = -1 };
 *   media_stream_t *s = media_stream_new(root, media_rtpport_rtp_fd(p),
 *                                        media_rtpport_rtcp_fd(p), &cfg,
 *                                        NULL, err, sizeof(err));
 *   media_sdp_neg_t neg = { .codec = "pcmu", .send_pt = 0, .recv_pt = 0,
 *                           .te_send_pt = -1, .te_recv_pt = -1,
 *                           .recv = true };          (no addr: any sender;
 *                                                     no rx: only .codec)
 *   media_stream_start(s, &neg, err, sizeof(err));
 *   ... media_stream_free(s); media_rtpport_close(p);
 */
#ifndef PN_MEDIA_STREAM_H
#define PN_MEDIA_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/jbuf.h"
#include "media/rtcp.h"
#include "media/sdp.h"

struct su_root_s;
typedef struct media_stream media_stream_t;

typedef struct media_stream_cfg {
	const char *source, *sink;     /* audio.h device specs */
	unsigned jitter_min_ms, jitter_max_ms;
	unsigned rtcp_interval_s;      /* 0 = 5 */
	/* Opus encoder complexity 0-10, < 0 = libopus's default.  0 is a
	 * real setting (the cheapest), so every initialiser sets it. */
	int opus_complexity;
} media_stream_cfg_t;

typedef struct media_stream_stats {
	const char *codec;             /* what we send */
	const char *recv_codec;        /* what the peer sends now */
	bool sending, receiving;
	media_rtcp_stats_t rtcp;
	media_jbuf_stats_t jb;
	/* received and dropped */
	uint64_t bad_malformed, bad_pt, bad_source, bad_seq;
	/* a packet of the codec the peer switched away from that arrived
	 * after the switch (reordered): not a reason to switch back */
	uint64_t bad_old_codec;
	/* times the peer switched codec (the decoder followed) */
	uint64_t codec_switches;
	/* times the RTP source latched onto a new address (the first
	 * latch included; a NAT rebinding is a second) */
	uint64_t source_changes;
	/* concealment */
	uint64_t concealed_ms, fec_recovered;
	uint64_t dtmf_sent, dtmf_received;
	/* sound card glitches (audio.h): playback ran dry, capture lost */
	uint64_t dev_underruns, dev_overruns;
} media_stream_stats_t;

typedef struct media_stream_cb {
	/* An RFC 4733 digit arrived ('0'-'9', '*', '#', 'A'-'D'). */
	void (*dtmf)(void *arg, char digit);
	/* An RTCP report went out (every rtcp_interval_s). */
	void (*report)(void *arg, const media_stream_stats_t *st);
	void *arg;
} media_stream_cb_t;

/* NULL and ERR when the devices cannot be opened or ENOMEM.  CB may be
 * NULL.  Nothing is sent before media_stream_start(). */
media_stream_t *media_stream_new(struct su_root_s *root, int rtp_fd,
				 int rtcp_fd, const media_stream_cfg_t *cfg,
				 const media_stream_cb_t *cb,
				 char *err, size_t errsz);
/* Apply an SDP agreement (again: only what changed is redone).  HOLD
 * forces sending off (we put the call on hold).  -1 and ERR when the
 * codec or a device cannot be set up. */
int media_stream_start(media_stream_t *s, const media_sdp_neg_t *neg,
		       bool hold, char *err, size_t errsz);
/* Queue DIGITS as RFC 4733 events; -1 when the peer takes none. */
int media_stream_dtmf(media_stream_t *s, const char *digits);
bool media_stream_running(const media_stream_t *s);
/* Play N samples (mono, at the codec's rate) through the sink ahead of
 * what the jitter buffer gives, e.g. the alert pings of an audio push.
 * -1 before media_stream_start() or when they do not fit (at most
 * ~1 s is queued). */
int media_stream_play_local(media_stream_t *s, const int16_t *pcm, size_t n);
/* The figures so far, with what arrived since the last tick read first. */
void media_stream_stats(media_stream_t *s, media_stream_stats_t *st);
/* Sends RTCP BYE, closes the devices; the sockets are left open. */
void media_stream_free(media_stream_t *s);
/* The same without the BYE: the stream stops, the peer is not told (a
 * call held locally for an audio push). */
void media_stream_free_quiet(media_stream_t *s);

#endif /* PN_MEDIA_STREAM_H */
