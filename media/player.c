/*
 * player.c - the ringer and alert pings, written to a sink from a timer.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "media/audio.h"
#include "media/clock.h"
#include "media/player.h"

#define RATE MEDIA_PLAYER_RATE
#define FRAME (RATE / 50)            /* 20 ms */
#define TICK_MS 20
#define CATCH_UP_FRAMES 25           /* at most 0.5 s after a stall */
#define RAMP_MS 5                    /* fades at both ends: no clicks */

/* The ring: on-off-on-off, in samples. */
#define RING_ON1 (RATE * 4 / 10)
#define RING_OFF1 (RATE * 2 / 10)
#define RING_ON2 (RATE * 4 / 10)
#define RING_PERIOD (RATE * 3)
#define RING_AMP 5000.0

/* A ping: 100 ms of 1 kHz, then 150 ms of silence. */
#define PING_ON_MS 100
#define PING_PERIOD_MS 250
#define PING_AMP 8000.0
#define PINGS_MAX 9

enum sound { S_NULL, S_RING, S_FILE, S_PINGS };

struct media_player {
	media_clock_t *clock;
	enum sound sound;
	unsigned pings;
	media_source_t *src;
	media_sink_t *sink;
	uint64_t pos;                /* samples written */
	uint64_t start_ms;
	media_player_done_f *done;
	void *arg;
};

/* SOUND's kind, and N for ping:N; -1 when malformed. */
static int parse_sound(const char *sound, enum sound *kind, unsigned *n)
{
	char *end;
	unsigned long v;

	*n = 0;
	if (!sound || !*sound) {
		*kind = S_RING;
	} else if (strcmp(sound, "null") == 0) {
		*kind = S_NULL;
	} else if (strncmp(sound, "file:", 5) == 0 && sound[5]) {
		*kind = S_FILE;
	} else if (strncmp(sound, "ping:", 5) == 0) {
		v = strtoul(sound + 5, &end, 10);
		if (end == sound + 5 || *end || v < 1 || v > PINGS_MAX)
			return -1;
		*kind = S_PINGS;
		*n = (unsigned)v;
	} else {
		return -1;
	}
	return 0;
}

bool media_player_sound_ok(const char *sound)
{
	enum sound kind;
	unsigned n;

	return parse_sound(sound, &kind, &n) == 0;
}

/* Fade in and out at both ends of a burst LEN samples long at RATE. */
static double ramp(uint64_t i, uint64_t len, unsigned rate)
{
	uint64_t r = (uint64_t)rate * RAMP_MS / 1000;

	if (i < r)
		return (double)i / (double)r;
	if (len - i < r)
		return (double)(len - i) / (double)r;
	return 1.0;
}

static int16_t ring_sample(uint64_t pos)
{
	uint64_t p = pos % RING_PERIOD, i, len;
	double t = (double)pos / RATE;

	if (p < RING_ON1) {
		i = p;
		len = RING_ON1;
	} else if (p >= RING_ON1 + RING_OFF1 &&
		   p < RING_ON1 + RING_OFF1 + RING_ON2) {
		i = p - RING_ON1 - RING_OFF1;
		len = RING_ON2;
	} else {
		return 0;
	}
	return (int16_t)(RING_AMP * ramp(i, len, RATE) *
			 (sin(2.0 * M_PI * 440.0 * t) +
			  sin(2.0 * M_PI * 480.0 * t)) / 2.0);
}

static int16_t ping_sample(uint64_t pos, unsigned rate)
{
	uint64_t on = (uint64_t)rate * PING_ON_MS / 1000;
	uint64_t p = pos % ((uint64_t)rate * PING_PERIOD_MS / 1000);

	if (p >= on)
		return 0;
	return (int16_t)(PING_AMP * ramp(p, on, rate) *
			 sin(2.0 * M_PI * 1000.0 * (double)p / rate));
}

size_t media_player_ping(int16_t *pcm, size_t max, unsigned rate)
{
	size_t n = (size_t)rate * PING_PERIOD_MS / 1000, i;

	if (n > max)
		return 0;
	for (i = 0; i < n; i++)
		pcm[i] = ping_sample(i, rate);
	return n;
}

/* One frame into PCM; false once a sound that does not loop is over. */
static bool render(media_player_t *p, int16_t *pcm)
{
	size_t i;

	switch (p->sound) {
	case S_RING:
		for (i = 0; i < FRAME; i++)
			pcm[i] = ring_sample(p->pos + i);
		break;
	case S_PINGS:
		if (p->pos >= (uint64_t)p->pings * RATE * PING_PERIOD_MS / 1000)
			return false;
		for (i = 0; i < FRAME; i++)
			pcm[i] = ping_sample(p->pos + i, RATE);
		break;
	case S_FILE:
		media_source_read(p->src, pcm, FRAME);
		break;
	case S_NULL:
		return false;
	}
	p->pos += FRAME;
	return true;
}

/* Every TICK_MS from the start (DONE may free P, and the clock with it). */
static void on_tick(void *arg)
{
	media_player_t *p = arg;
	uint64_t now = media_clock_now_ms();
	uint64_t due = (now - p->start_ms) * RATE / 1000 + FRAME;
	int16_t pcm[FRAME];
	unsigned n = 0;

	/* Behind by more than the catch-up allowance (the loop stalled):
	 * skip the rest rather than burst it into the sink. */
	if (due > p->pos + (uint64_t)CATCH_UP_FRAMES * FRAME)
		p->pos = due - (uint64_t)CATCH_UP_FRAMES * FRAME;
	while (p->pos < due && n++ < CATCH_UP_FRAMES) {
		if (!render(p, pcm)) {
			media_clock_stop(p->clock);     /* the sound is over */
			if (p->done)
				p->done(p->arg);   /* may free P */
			return;
		}
		media_sink_write(p->sink, pcm, FRAME);
	}
}

media_player_t *media_player_new(struct su_root_s *root, const char *sound,
				 const char *sink, media_player_done_f *done,
				 void *arg, char *err, size_t errsz)
{
	media_player_t *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, errsz, "%s", _("out of memory"));
		return NULL;
	}
	p->done = done;
	p->arg = arg;
	if (parse_sound(sound, &p->sound, &p->pings) < 0) {
		snprintf(err, errsz, _("not a sound: %s (use file:PATH.wav, "
				       "null, or nothing for the built-in "
				       "ring)"), sound);
		goto fail;
	}
	if (p->sound == S_NULL)
		return p;
	if (p->sound == S_FILE) {
		p->src = media_source_open(sound, RATE, err, errsz);
		if (!p->src)
			goto fail;
	}
	p->sink = media_sink_open(sink, RATE, err, errsz);
	if (!p->sink)
		goto fail;
	p->clock = media_clock_new(root, on_tick, p);
	if (!p->clock) {
		snprintf(err, errsz, "%s", _("out of memory"));
		goto fail;
	}
	p->start_ms = media_clock_now_ms();
	media_clock_every(p->clock, p->start_ms, TICK_MS);
	return p;
fail:
	media_player_free(p);
	return NULL;
}

void media_player_free(media_player_t *p)
{
	if (!p)
		return;
	media_clock_free(p->clock);
	media_source_close(p->src);
	media_sink_close(p->sink);
	free(p);
}
