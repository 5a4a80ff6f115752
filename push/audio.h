/*
 * audio.h - the receiving end of an audio push: G.711 RTP on the port
 * the phone announced (rtpLPort), played through the audio sink.
 *
 * A push_audio_t is made when the agent accepts an audio push, before
 * the pull, because the pull must name its port: it reserves an RTP/RTCP
 * pair (media/rtpport.h) in rtp.port_min..rtp.port_max.  When the content
 * says where the stream comes from, push_audio_play() runs the media
 * engine's receive path on it (media/stream.h with no peer and no
 * source: jitter buffer, PCMU or PCMA decoding and concealment, 10-60 ms
 * packets), after ALERT pings (a short 1 kHz tone each) played through
 * the same sink.  It ends by itself when no packet has come for TIMER_S
 * seconds (the AudioTimer; also before the first packet) and says so
 * through the end callback; the agent ends it otherwise (RTPRx://STOP, a
 * barge push replacing it, quit) with push_audio_free().
 */
#ifndef PN_PUSH_AUDIO_H
#define PN_PUSH_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sofia-sip/su_wait.h>

typedef struct push_audio push_audio_t;

/* Reserve a port pair on numeric ADDR in [MIN, MAX] (MIN = MAX - 1: that
 * pair exactly).  NULL and ERR when none is free. */
push_audio_t *push_audio_new(su_root_t *root, const char *addr, unsigned min,
			     unsigned max, char *err, size_t errsz);
/* The RTP port (the rtpLPort of the pull). */
unsigned push_audio_port(const push_audio_t *a);

typedef struct push_audio_cfg {
	const char *sink;              /* audio.h device spec */
	unsigned jitter_min_ms, jitter_max_ms;
	bool pcma;                     /* else PCMU */
	unsigned timer_s;              /* AudioTimer: 5..30 */
	int alert;                     /* pings first: 0..3 */
} push_audio_cfg_t;

/* END (ARG, "timer") runs once on the loop when the AudioTimer expires;
 * the callee may free A then. */
typedef void push_audio_end_f(void *arg, const char *why);

/* Start playing what arrives.  -1 and ERR when the sink or the codec
 * cannot be set up. */
int push_audio_play(push_audio_t *a, const push_audio_cfg_t *cfg,
		    push_audio_end_f *end, void *arg, char *err,
		    size_t errsz);
bool push_audio_playing(const push_audio_t *a);

typedef struct push_audio_figures {
	uint64_t packets;              /* accepted RTP packets */
	int64_t lost;
	uint64_t concealed_ms;
	uint64_t dropped;              /* malformed, wrong type, stranger */
	double seconds;                /* since push_audio_play */
} push_audio_figures_t;

void push_audio_figures(const push_audio_t *a, push_audio_figures_t *f);
/* Stops the stream and releases the ports. */
void push_audio_free(push_audio_t *a);

#endif /* PN_PUSH_AUDIO_H */
