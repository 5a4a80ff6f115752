/*
 * codec.c - Opus (libopus) and G.711 behind one small interface.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <opus.h>

#include "media/codec.h"
#include "media/g711.h"

enum kind { C_OPUS, C_PCMU, C_PCMA };

#define HIST 480               /* G.711 PLC history: 60 ms at 8 kHz */
#define PITCH_MIN 20           /* 2.5 ms: 400 Hz */
#define PITCH_MAX 120          /* 15 ms: 67 Hz */

struct media_codec {
	enum kind kind;
	const char *name;
	OpusEncoder *enc;
	OpusDecoder *dec;
	/* G.711 concealment */
	int16_t hist[HIST];        /* last samples played, newest last */
	unsigned lost_run;         /* samples concealed in a row */
	unsigned pitch, phase;
};

/* The band an Opus encoder may use for a receiver that renders no more
 * than MAX_RATE Hz (RFC 7587 section 6.1, maxplaybackrate): coding what
 * it cannot play wastes bits the lower band needs. */
static opus_int32 opus_band_for(unsigned max_rate)
{
	if (max_rate == 0 || max_rate > 24000)
		return OPUS_BANDWIDTH_FULLBAND;
	if (max_rate > 16000)
		return OPUS_BANDWIDTH_SUPERWIDEBAND;
	if (max_rate > 12000)
		return OPUS_BANDWIDTH_WIDEBAND;
	if (max_rate > 8000)
		return OPUS_BANDWIDTH_MEDIUMBAND;
	return OPUS_BANDWIDTH_NARROWBAND;
}

/* The Opus encoder of C, set up as the peer's fmtp and call.codecs ask;
 * -1 on ENOMEM. */
static int opus_encoder_setup(media_codec_t *c, const media_codec_opts_t *o)
{
	unsigned bitrate = o->bitrate;
	int e = 0;

	/* AUDIO, not VOIP: VOIP's voice high-pass shifts the phase of low
	 * voices and costs waveform fidelity for nothing a phone needs
	 * (baresip's default is AUDIO too). */
	c->enc = opus_encoder_create(48000, 1, OPUS_APPLICATION_AUDIO, &e);
	if (!c->enc)
		return -1;
	if (bitrate < 6000 || bitrate > 510000)
		bitrate = 32000;
	opus_encoder_ctl(c->enc, OPUS_SET_BITRATE((opus_int32)bitrate));
	opus_encoder_ctl(c->enc, OPUS_SET_INBAND_FEC(o->fec ? 1 : 0));
	opus_encoder_ctl(c->enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
	opus_encoder_ctl(c->enc, OPUS_SET_MAX_BANDWIDTH(
				 opus_band_for(o->max_rate)));
	/* Most of a call's CPU is the Opus encoder, and this is its knob: a
	 * phone's small ARM core wants less than libopus's default 9 (out
	 * of range: keep the default). */
	if (o->complexity >= 0 && o->complexity <= 10)
		opus_encoder_ctl(c->enc, OPUS_SET_COMPLEXITY(o->complexity));
	return 0;
}

/* OPTS NULL: a decoder only (an Opus encoder is the bigger half, and a
 * codec the peer switched to is never sent). */
static media_codec_t *codec_new(const char *name,
				const media_codec_opts_t *opts)
{
	media_codec_t *c = calloc(1, sizeof(*c));
	int e = 0;

	if (!c || !name)
		goto fail;
	if (strcmp(name, "pcmu") == 0) {
		c->kind = C_PCMU;
		c->name = "pcmu";
	} else if (strcmp(name, "pcma") == 0) {
		c->kind = C_PCMA;
		c->name = "pcma";
	} else if (strcmp(name, "opus") == 0) {
		c->kind = C_OPUS;
		c->name = "opus";
		c->dec = opus_decoder_create(48000, 1, &e);
		if (!c->dec)
			goto fail;
		if (opts && opus_encoder_setup(c, opts) < 0)
			goto fail;
	} else {
		goto fail;
	}
	return c;
fail:
	media_codec_free(c);
	return NULL;
}

media_codec_t *media_codec_new(const char *name,
			       const media_codec_opts_t *opts)
{
	static const media_codec_opts_t defaults = { .complexity = -1 };

	return codec_new(name, opts ? opts : &defaults);
}

media_codec_t *media_codec_new_decoder(const char *name)
{
	return codec_new(name, NULL);
}

void media_codec_free(media_codec_t *c)
{
	if (!c)
		return;
	if (c->enc)
		opus_encoder_destroy(c->enc);
	if (c->dec)
		opus_decoder_destroy(c->dec);
	free(c);
}

unsigned media_codec_rate(const media_codec_t *c)
{
	return c->kind == C_OPUS ? 48000 : 8000;
}

const char *media_codec_name(const media_codec_t *c)
{
	return c->name;
}

int media_codec_encode(media_codec_t *c, const int16_t *pcm, size_t n,
		       uint8_t *out, size_t cap)
{
	if (c->kind == C_OPUS) {
		opus_int32 r;

		if (!c->enc)
			return -1;
		r = opus_encode(c->enc, pcm, (int)n, out, (opus_int32)cap);

		return r < 0 ? -1 : (int)r;
	}
	if (n > cap)
		return -1;
	if (c->kind == C_PCMU)
		media_g711_ulaw_encode(out, pcm, n);
	else
		media_g711_alaw_encode(out, pcm, n);
	return (int)n;
}

int media_codec_samples(const media_codec_t *c, const uint8_t *p, size_t len)
{
	if (c->kind == C_OPUS) {
		int n = len ? opus_packet_get_nb_samples(p, (opus_int32)len,
							 48000) : -1;

		return n > 0 ? n : -1;
	}
	return len ? (int)len : -1;
}

/* Remember what was played, for the G.711 concealment. */
static void history(media_codec_t *c, const int16_t *pcm, size_t n)
{
	if (n >= HIST) {
		memcpy(c->hist, pcm + n - HIST, sizeof(c->hist));
	} else {
		memmove(c->hist, c->hist + n, (HIST - n) * sizeof(int16_t));
		memcpy(c->hist + HIST - n, pcm, n * sizeof(int16_t));
	}
}

int media_codec_decode(media_codec_t *c, const uint8_t *p, size_t len,
		       int16_t *pcm, size_t cap)
{
	if (c->kind == C_OPUS) {
		int r = opus_decode(c->dec, p, (opus_int32)len, pcm, (int)cap,
				    0);

		return r < 0 ? -1 : r;
	}
	if (len > cap)
		len = cap;
	if (c->kind == C_PCMU)
		media_g711_ulaw_decode(pcm, p, len);
	else
		media_g711_alaw_decode(pcm, p, len);
	if (c->lost_run && len > 0) {
		/* Fade from the concealment into the real signal over the
		 * first 4 ms so the seam does not click. */
		size_t i, k = len < 32 ? len : 32;

		for (i = 0; i < k; i++) {
			int prev = c->hist[HIST - 1];

			pcm[i] = (int16_t)((prev * (int)(k - i) +
					    pcm[i] * (int)i) / (int)k);
		}
	}
	c->lost_run = 0;
	history(c, pcm, len);
	return (int)len;
}

/* The lag (PITCH_MIN..PITCH_MAX) at which the history best repeats. */
static unsigned find_pitch(const int16_t *h)
{
	unsigned lag, best = PITCH_MAX;
	int64_t best_c = INT64_MIN;
	const unsigned win = 160;

	for (lag = PITCH_MIN; lag <= PITCH_MAX; lag++) {
		int64_t s = 0;
		unsigned i;

		for (i = HIST - win; i < HIST; i++)
			s += (int64_t)h[i] * h[i - lag];
		if (s > best_c) {
			best_c = s;
			best = lag;
		}
	}
	return best;
}

static void g711_conceal(media_codec_t *c, int16_t *pcm, size_t n)
{
	size_t i;

	if (c->lost_run == 0) {
		c->pitch = find_pitch(c->hist);
		c->phase = 0;
	}
	for (i = 0; i < n; i++) {
		/* Full level for 10 ms, then -20 % every 10 ms, silent
		 * after 60 ms: a long loss should not buzz. */
		unsigned run = c->lost_run + (unsigned)i;
		int gain = run < 80 ? 100 : run >= 480 ? 0
			 : 100 - 20 * (int)((run - 80) / 80 + 1);
		int s = c->hist[HIST - c->pitch + c->phase];

		if (gain < 0)
			gain = 0;
		pcm[i] = (int16_t)(s * gain / 100);
		c->phase = (c->phase + 1) % c->pitch;
	}
	c->lost_run += (unsigned)n;
}

void media_codec_conceal(media_codec_t *c, int16_t *pcm, size_t n)
{
	if (c->kind == C_OPUS) {
		if (opus_decode(c->dec, NULL, 0, pcm, (int)n, 0) < 0)
			memset(pcm, 0, n * sizeof(int16_t));
		return;
	}
	g711_conceal(c, pcm, n);
}

bool media_codec_recover(media_codec_t *c, const uint8_t *next, size_t len,
			 int16_t *pcm, size_t n)
{
	if (c->kind == C_OPUS && next && len &&
	    opus_decode(c->dec, next, (opus_int32)len, pcm, (int)n, 1) ==
	    (int)n)
		return true;
	media_codec_conceal(c, pcm, n);
	return false;
}

void media_codec_set_loss(media_codec_t *c, unsigned percent)
{
	if (c->kind == C_OPUS && c->enc)
		opus_encoder_ctl(c->enc, OPUS_SET_PACKET_LOSS_PERC(
					 (opus_int32)(percent > 100 ? 100
								    : percent)));
}
