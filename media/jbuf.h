/*
 * jbuf.h - adaptive jitter buffer for one incoming RTP stream.
 *
 * Packets go in as they arrive (any order), audio comes out one unit at a
 * time as the playout clock asks for it: the next packet in timestamp
 * order, a gap to conceal, a frame of stretch (to grow the delay), or
 * nothing yet (still buffering).  The buffer
 *   - reorders by timestamp and drops duplicates;
 *   - drops packets that come after their playout time ("late");
 *   - measures the jitter as the spread of the packets' transit time
 *     (arrival minus timestamp) over the last 2 s and aims its delay at
 *     that spread plus half a frame, within [min_ms, max_ms];
 *   - grows the delay by stretching one frame (the caller conceals it) as
 *     soon as it falls half a frame below the target, and shrinks it by
 *     skipping one packet once it has stayed above target + a frame +
 *     max(half a frame, the transit spread) for half a second (each step
 *     is audible: a steady stream, however bursty, gets none; a drifting
 *     clock gets one every 1/drift frames);
 *   - starts playing when the fastest packet would have waited the target;
 *   - starts over on an SSRC change, after three packets in a row with
 *     a wild timestamp jump or one beyond any jitter (arriving over
 *     max_ms earlier than the fastest packet of the window, or later than
 *     the slowest: the sender's timestamps leapt), and after 200 ms
 *     without any packet (then it learns the transit afresh too).
 * It knows nothing of codecs or sockets: the caller gives each packet's
 * duration in timestamp units and the time in milliseconds, which is what
 * makes it testable with synthetic traces (tests/media/test_jbuf.c).
 */
#ifndef PN_MEDIA_JBUF_H
#define PN_MEDIA_JBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct media_jbuf media_jbuf_t;

/* RATE: timestamp clock (Hz); FRAME: the playout unit in timestamp units
 * (20 ms); NULL on ENOMEM or bad arguments. */
media_jbuf_t *media_jbuf_new(unsigned rate, unsigned frame, unsigned min_ms,
			     unsigned max_ms);
void media_jbuf_free(media_jbuf_t *jb);
/* Forget every packet and estimate (new codec, new stream). */
void media_jbuf_reset(media_jbuf_t *jb);
/* The same for a stream whose timestamps now count RATE Hz with FRAME
 * of them a playout unit (the peer switched to a codec with another
 * clock); the counters go on.  -1 on bad arguments (nothing changed). */
int media_jbuf_set_clock(media_jbuf_t *jb, unsigned rate, unsigned frame);

typedef enum {
	MEDIA_JB_OK,        /* stored */
	MEDIA_JB_LATE,      /* its time has passed: dropped */
	MEDIA_JB_DUP,       /* already there: dropped */
	MEDIA_JB_JUMP,      /* timestamp far off: dropped (3 in a row resync) */
	MEDIA_JB_TOOBIG,    /* payload larger than a slot: dropped */
} media_jb_put_t;

media_jb_put_t media_jbuf_put(media_jbuf_t *jb, uint32_t ssrc, uint16_t seq,
			      uint32_t ts, uint8_t pt, const uint8_t *data,
			      size_t len, unsigned dur, uint64_t now_ms);

typedef enum {
	MEDIA_JB_PACKET,    /* play PKT */
	MEDIA_JB_LOST,      /* conceal PKT->dur samples (a gap) */
	MEDIA_JB_STRETCH,   /* conceal PKT->dur samples (growing the delay) */
	MEDIA_JB_WAIT,      /* nothing to play yet: PKT->dur of silence */
} media_jb_get_t;

typedef struct media_jb_pkt {
	const uint8_t *data;  /* valid until the next put or get */
	size_t len;
	uint32_t ts;
	unsigned dur;
	uint8_t pt;
} media_jb_pkt_t;

media_jb_get_t media_jbuf_get(media_jbuf_t *jb, uint64_t now_ms,
			      media_jb_pkt_t *pkt);
/* The next packet held, whatever its playout time (PKT as from get);
 * false when none is left.  For a codec switch: what the old codec left
 * is played out at once, before the buffer starts over on the new. */
bool media_jbuf_pop(media_jbuf_t *jb, media_jb_pkt_t *pkt);
/* The packet that plays next, if it is already there (in-band FEC after a
 * loss); false otherwise. */
bool media_jbuf_peek(const media_jbuf_t *jb, media_jb_pkt_t *pkt);

typedef struct media_jbuf_stats {
	uint64_t put, played, late, dup, jumps, overflow, resyncs;
	uint64_t lost, stretched, skipped;
	unsigned jitter_ms;   /* transit spread over the window */
	unsigned target_ms;   /* delay aimed at */
	int delay_ms;         /* delay now (over the fastest packet) */
	unsigned level;       /* packets held */
} media_jbuf_stats_t;

void media_jbuf_stats(const media_jbuf_t *jb, media_jbuf_stats_t *st);

/* Play a backlog at start instead of dropping it (audio that waited on
 * purpose, e.g. behind local alert tones), and never shrink the delay
 * it brings: for a stream nobody talks back to, delay costs nothing. */
void media_jbuf_keep_backlog(media_jbuf_t *jb);

#endif /* PN_MEDIA_JBUF_H */
