/*
 * jbuf.c - adaptive jitter buffer.
 *
 * Timestamps are extended to 64 bits on arrival so wrap-around is never a
 * special case.  The packets held are kept in an index array sorted by
 * timestamp (a few dozen at most: insertion is a short memmove).
 *
 * The delay is measured against the fastest packet of the window, not
 * against the buffer's fill level: the fill level swings with every
 * packet's jitter, while now - playout - min(transit) moves only when the
 * playout point or the path really changes.  That keeps the grow/shrink
 * decisions calm.
 *
 * The playout clock moves in whole frames while packets arrive at any
 * phase of it, so the delay can only be held within a band a frame wide
 * ([target, target + frame) when playout starts), and it wanders
 * further by as much as the transit spread as the window learns faster
 * or forgets slower packets.  Each step is audible (a frame made up or
 * thrown away), so the band outside which the buffer acts is wider than
 * both together: it grows below target - frame/2, and shrinks only above
 * target + frame + max(frame/2, spread), and only when the delay has been
 * that high for SHRINK_HOLD frames in a row.  A steady stream, however
 * bursty, then plays without a single step; one whose clock drifts
 * still gets one every 1/drift frames.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "media/jbuf.h"

#define SLOT_BYTES 1280     /* an Opus packet is at most 1275 bytes */
#define WIN 100             /* transit samples: ~2 s at 20 ms */
#define ADAPT_GAP 4         /* frames between two grow/shrink steps */
#define SHRINK_HOLD 25      /* frames the delay stays too high: shrink */
#define JUMPS_TO_RESYNC 3
#define EMPTY_MS 200        /* without packets this long: rebuffer */

struct slot {
	int64_t ts;
	unsigned dur;
	uint16_t seq;
	uint8_t pt;
	size_t len;
	uint8_t data[SLOT_BYTES];
};

struct media_jbuf {
	bool keep_backlog;     /* media_jbuf_keep_backlog */
	unsigned rate, frame, min_ms, max_ms;
	unsigned cap;              /* slots */
	struct slot *slots;
	unsigned *order;           /* slot indices by timestamp */
	unsigned *free_list;
	unsigned n, nfree;

	bool have_ssrc;
	uint32_t ssrc;
	int64_t last_ext;          /* last extended timestamp seen */
	bool started;
	int64_t playout;           /* extended ts of the next sample to play */
	unsigned empty_frames;     /* consecutive gets with nothing held */
	unsigned since_adapt;
	unsigned too_high;         /* consecutive gets above the shrink line */
	unsigned jumps_in_row;
	int64_t last_now_ts;       /* time of the last get, in ts units */

	int64_t transit[WIN];      /* now (ts units) - ts */
	unsigned tn, tpos;
	int64_t tmin, tmax;

	struct slot out;           /* what get handed out */
	media_jbuf_stats_t st;
};

static int64_t ms_to_ts(const media_jbuf_t *jb, uint64_t ms)
{
	return (int64_t)(ms * jb->rate / 1000);
}

static int ts_to_ms(const media_jbuf_t *jb, int64_t ts)
{
	return (int)(ts * 1000 / (int64_t)jb->rate);
}

media_jbuf_t *media_jbuf_new(unsigned rate, unsigned frame, unsigned min_ms,
			     unsigned max_ms)
{
	media_jbuf_t *jb;

	if (rate < 1000 || frame == 0 || min_ms > max_ms || max_ms > 5000)
		return NULL;
	jb = calloc(1, sizeof(*jb));
	if (!jb)
		return NULL;
	jb->rate = rate;
	jb->frame = frame;
	jb->min_ms = min_ms;
	jb->max_ms = max_ms;
	/* Room for the longest delay in 10 ms packets plus reordering. */
	jb->cap = max_ms / 10 + 24;
	jb->slots = calloc(jb->cap, sizeof(*jb->slots));
	jb->order = calloc(jb->cap, sizeof(*jb->order));
	jb->free_list = calloc(jb->cap, sizeof(*jb->free_list));
	if (!jb->slots || !jb->order || !jb->free_list) {
		media_jbuf_free(jb);
		return NULL;
	}
	media_jbuf_reset(jb);
	return jb;
}

void media_jbuf_free(media_jbuf_t *jb)
{
	if (!jb)
		return;
	free(jb->slots);
	free(jb->order);
	free(jb->free_list);
	free(jb);
}

static void flush(media_jbuf_t *jb)
{
	unsigned i;

	jb->n = 0;
	jb->nfree = jb->cap;
	for (i = 0; i < jb->cap; i++)
		jb->free_list[i] = i;
	jb->started = false;
	jb->empty_frames = 0;
	jb->jumps_in_row = 0;
}

void media_jbuf_reset(media_jbuf_t *jb)
{
	flush(jb);
	jb->have_ssrc = false;
	jb->tn = jb->tpos = 0;
}

int media_jbuf_set_clock(media_jbuf_t *jb, unsigned rate, unsigned frame)
{
	if (rate < 1000 || frame == 0)
		return -1;
	jb->rate = rate;
	jb->frame = frame;
	/* the transit window and the playout point are in the old units */
	media_jbuf_reset(jb);
	return 0;
}

/* The delay aimed at: the jitter seen plus half a frame of margin. */
static int64_t target_ts(const media_jbuf_t *jb)
{
	int64_t t = (jb->tn ? jb->tmax - jb->tmin : 0) + jb->frame / 2;
	int64_t lo = ms_to_ts(jb, jb->min_ms), hi = ms_to_ts(jb, jb->max_ms);

	return t < lo ? lo : t > hi ? hi : t;
}

/* Above this delay the buffer holds more than it needs: the band of the
 * frame-stepped playout clock plus the transit wander, see the top. */
static int64_t shrink_line(const media_jbuf_t *jb, int64_t target)
{
	int64_t spread = jb->tn ? jb->tmax - jb->tmin : 0;
	int64_t wander = spread > jb->frame / 2 ? spread : jb->frame / 2;

	return target + jb->frame + wander;
}

static void note_transit(media_jbuf_t *jb, int64_t ext, uint64_t now_ms)
{
	unsigned i;

	jb->transit[jb->tpos] = ms_to_ts(jb, now_ms) - ext;
	jb->tpos = (jb->tpos + 1) % WIN;
	if (jb->tn < WIN)
		jb->tn++;
	jb->tmin = jb->tmax = jb->transit[0];
	for (i = 1; i < jb->tn; i++) {
		if (jb->transit[i] < jb->tmin)
			jb->tmin = jb->transit[i];
		if (jb->transit[i] > jb->tmax)
			jb->tmax = jb->transit[i];
	}
}

/*
 * A timestamp leap too small for the wild-jump test but more than any
 * jitter explains: the packet arrives over max_ms (and a frame) earlier
 * than the fastest one of the window, or later than the slowest.  A
 * sender that leapt forward (a media server switching streams, with the
 * marker bit or without) would otherwise have its audio wait that long,
 * up to the 1.6 s of the wild-jump test; one that leapt back would have
 * every packet dropped as late.  Three in a row start the buffer over,
 * as a wild jump does.
 */
static bool beyond_jitter(const media_jbuf_t *jb, int64_t ext,
			  uint64_t now_ms)
{
	int64_t t = ms_to_ts(jb, now_ms) - ext;
	int64_t lim = ms_to_ts(jb, jb->max_ms) + jb->frame;

	return jb->tn > 0 && (jb->tmin - t > lim || t - jb->tmax > lim);
}

static void drop_head(media_jbuf_t *jb)
{
	jb->free_list[jb->nfree++] = jb->order[0];
	jb->n--;
	memmove(jb->order, jb->order + 1, jb->n * sizeof(*jb->order));
}

media_jb_put_t media_jbuf_put(media_jbuf_t *jb, uint32_t ssrc, uint16_t seq,
			      uint32_t ts, uint8_t pt, const uint8_t *data,
			      size_t len, unsigned dur, uint64_t now_ms)
{
	int64_t ext, jump = ms_to_ts(jb, 2 * jb->max_ms + 1000);
	struct slot *s;
	unsigned i, pos, idx;

	if (len > SLOT_BYTES)
		return MEDIA_JB_TOOBIG;
	if (!jb->have_ssrc || ssrc != jb->ssrc) {
		/* A new source (or the peer restarted): nothing of the old
		 * one applies, timestamps included. */
		if (jb->have_ssrc)
			jb->st.resyncs++;
		media_jbuf_reset(jb);
		jb->have_ssrc = true;
		jb->ssrc = ssrc;
		jb->last_ext = ts;
	}
	ext = jb->last_ext + (int32_t)(ts - (uint32_t)jb->last_ext);

	/* Far from where we are: a glitch, or the peer jumped for good. */
	if (jb->n > 0 || jb->started) {
		int64_t ref = jb->started ? jb->playout
					  : jb->slots[jb->order[0]].ts;

		if (ext - ref > jump || ref - ext > jump ||
		    beyond_jitter(jb, ext, now_ms)) {
			jb->st.jumps++;
			if (++jb->jumps_in_row < JUMPS_TO_RESYNC)
				return MEDIA_JB_JUMP;
			jb->st.resyncs++;
			flush(jb);
			jb->tn = jb->tpos = 0;
		}
	}
	jb->jumps_in_row = 0;
	jb->last_ext = ext;
	note_transit(jb, ext, now_ms);

	if (jb->started && ext + (int64_t)dur <= jb->playout) {
		jb->st.late++;
		return MEDIA_JB_LATE;
	}
	/* Insertion point, searched from the newest end. */
	for (pos = jb->n; pos > 0; pos--) {
		const struct slot *o = &jb->slots[jb->order[pos - 1]];

		if (o->ts == ext) {
			jb->st.dup++;
			return MEDIA_JB_DUP;
		}
		if (o->ts < ext)
			break;
	}
	if (jb->nfree == 0) {
		/* Full: the oldest packet is the least useful one. */
		jb->st.overflow++;
		drop_head(jb);
		if (pos > 0)
			pos--;
		if (jb->started && jb->n > 0)
			jb->playout = jb->slots[jb->order[0]].ts;
	}
	idx = jb->free_list[--jb->nfree];
	s = &jb->slots[idx];
	s->ts = ext;
	s->dur = dur ? dur : jb->frame;
	s->seq = seq;
	s->pt = pt;
	s->len = len;
	memcpy(s->data, data, len);
	for (i = jb->n; i > pos; i--)
		jb->order[i] = jb->order[i - 1];
	jb->order[pos] = idx;
	jb->n++;
	jb->st.put++;
	return MEDIA_JB_OK;
}

/* The head packet goes out through a copy: its slot is free again. */
static void hand_out_head(media_jbuf_t *jb, media_jb_pkt_t *pkt)
{
	jb->out = jb->slots[jb->order[0]];
	drop_head(jb);
	jb->st.played++;
	pkt->data = jb->out.data;
	pkt->len = jb->out.len;
	pkt->ts = (uint32_t)jb->out.ts;
	pkt->dur = jb->out.dur;
	pkt->pt = jb->out.pt;
}

static media_jb_get_t give(media_jb_get_t r, media_jb_pkt_t *pkt,
			   unsigned dur)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->dur = dur;
	return r;
}

media_jb_get_t media_jbuf_get(media_jbuf_t *jb, uint64_t now_ms,
			      media_jb_pkt_t *pkt)
{
	int64_t target = target_ts(jb), delay;
	struct slot *h;

	jb->last_now_ts = ms_to_ts(jb, now_ms);

	if (!jb->started) {
		/* Start when the fastest packet seen would have waited the
		 * target: the delay begins at the bottom of its band. */
		if (jb->n == 0 || jb->last_now_ts - jb->slots[jb->order[0]].ts -
				  jb->tmin < target)
			return give(MEDIA_JB_WAIT, pkt, jb->frame);
		/* A backlog (packets that waited in the socket while the
		 * loop was busy, or before the stream was started) is old
		 * audio: playing it all would start with its whole length
		 * of delay, to be skipped away frame by frame later. */
		while (!jb->keep_backlog && jb->n > 1 &&
		       jb->last_now_ts - jb->slots[jb->order[0]].ts -
				    jb->tmin > shrink_line(jb, target)) {
			jb->st.skipped++;
			drop_head(jb);
		}
		jb->started = true;
		jb->playout = jb->slots[jb->order[0]].ts;
		jb->since_adapt = 0;
		jb->too_high = 0;
	}
	if (jb->n == 0) {
		/* Nothing at all: conceal, and after a while rebuffer (the
		 * peer paused, was put on hold, or the path broke). */
		jb->empty_frames++;
		if ((uint64_t)jb->empty_frames * jb->frame * 1000 >=
		    (uint64_t)EMPTY_MS * jb->rate) {
			/* What comes next may keep other time (a sender
			 * whose clock stopped while it was silent): its
			 * transit is learnt afresh. */
			jb->started = false;
			jb->empty_frames = 0;
			jb->tn = jb->tpos = 0;
			return give(MEDIA_JB_WAIT, pkt, jb->frame);
		}
		jb->playout += jb->frame;
		jb->st.lost++;
		return give(MEDIA_JB_LOST, pkt, jb->frame);
	}
	jb->empty_frames = 0;
	jb->since_adapt++;

	/* How long after the fastest packet's path we play. */
	delay = jb->last_now_ts - jb->playout - jb->tmin;
	if (delay > shrink_line(jb, target) && !jb->keep_backlog) {
		if (jb->too_high < SHRINK_HOLD)
			jb->too_high++;
	} else {
		jb->too_high = 0;
	}
	if (jb->since_adapt >= ADAPT_GAP) {
		if (delay < target - (int64_t)jb->frame / 2) {
			jb->since_adapt = 0;
			jb->too_high = 0;
			jb->st.stretched++;
			return give(MEDIA_JB_STRETCH, pkt, jb->frame);
		}
		h = &jb->slots[jb->order[0]];
		if (jb->too_high >= SHRINK_HOLD && jb->n > 1 &&
		    h->ts <= jb->playout) {
			jb->since_adapt = 0;
			jb->too_high = 0;
			jb->st.skipped++;
			jb->playout = h->ts + h->dur;
			drop_head(jb);
		}
	}

	h = &jb->slots[jb->order[0]];
	if (h->ts > jb->playout) {
		int64_t gap = h->ts - jb->playout;
		unsigned dur = gap < jb->frame ? (unsigned)gap : jb->frame;

		jb->playout += dur;
		jb->st.lost++;
		return give(MEDIA_JB_LOST, pkt, dur);
	}
	hand_out_head(jb, pkt);
	jb->playout = jb->out.ts + jb->out.dur;
	return MEDIA_JB_PACKET;
}

bool media_jbuf_pop(media_jbuf_t *jb, media_jb_pkt_t *pkt)
{
	if (jb->n == 0)
		return false;
	hand_out_head(jb, pkt);
	return true;
}

bool media_jbuf_peek(const media_jbuf_t *jb, media_jb_pkt_t *pkt)
{
	const struct slot *h;

	if (!jb->started || jb->n == 0)
		return false;
	h = &jb->slots[jb->order[0]];
	if (h->ts != jb->playout)
		return false;
	pkt->data = h->data;
	pkt->len = h->len;
	pkt->ts = (uint32_t)h->ts;
	pkt->dur = h->dur;
	pkt->pt = h->pt;
	return true;
}

void media_jbuf_stats(const media_jbuf_t *jb, media_jbuf_stats_t *st)
{
	*st = jb->st;
	st->jitter_ms = jb->tn ? (unsigned)ts_to_ms(jb, jb->tmax - jb->tmin)
			       : 0;
	st->target_ms = (unsigned)ts_to_ms(jb, target_ts(jb));
	st->level = jb->n;
	st->delay_ms = 0;
	if (jb->started && jb->tn) {
		/* As of the last get; good enough for a report. */
		st->delay_ms = ts_to_ms(jb, jb->last_now_ts - jb->playout -
					    jb->tmin);
	}
}

void media_jbuf_keep_backlog(media_jbuf_t *jb)
{
	jb->keep_backlog = true;
}
