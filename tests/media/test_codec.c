/*
 * test_codec.c - the Opus complexity knob of media_codec_new reaches
 * libopus: the same signal coded at different complexities gives
 * different packets, a complexity < 0 or > 10 codes exactly as libopus's
 * default does, and G.711 takes (and ignores) any complexity.  The
 * peer's maxplaybackrate bounds the coded band.
 *
 * The signal is a voiced-speech stand-in (a gliding pitch with its
 * harmonics and a little seeded noise), so libopus codes it in the
 * SILK/hybrid mode a call uses, where complexity changes the search.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <opus.h>

#include "media/codec.h"

#define FRAME 960                 /* 20 ms at 48 kHz */
#define FRAMES 50                 /* 1 s */
#define MAXPKT 400

struct coded {
	uint8_t p[FRAMES][MAXPKT];
	int len[FRAMES];
};

static int16_t sig[FRAMES * FRAME];
static struct coded cx[13];       /* index: complexity + 1, -1..11 */

static void make_signal(void)
{
	uint32_t seed = 12345;
	double phase = 0;

	for (size_t i = 0; i < FRAMES * FRAME; i++) {
		double t = (double)i / 48000, f0 = 110 + 40 * sin(2 * M_PI * t);
		double s = 0;

		phase += 2 * M_PI * f0 / 48000;
		for (int h = 1; h <= 12; h++)
			s += sin(h * phase) / h;
		seed = seed * 1103515245u + 12345u;
		s += ((double)(seed >> 16 & 0x7fff) / 0x7fff - 0.5) * 0.05;
		sig[i] = (int16_t)(s * 6000);
	}
}

static void code(int complexity, struct coded *out)
{
	media_codec_t *c = media_codec_new("opus", &(media_codec_opts_t){ .bitrate = 32000, .fec = true, .complexity = complexity });

	assert_non_null(c);
	for (size_t f = 0; f < FRAMES; f++) {
		out->len[f] = media_codec_encode(c, sig + f * FRAME, FRAME,
						 out->p[f], MAXPKT);
		assert_true(out->len[f] > 0);
	}
	media_codec_free(c);
}

static bool same(const struct coded *a, const struct coded *b)
{
	for (size_t f = 0; f < FRAMES; f++)
		if (a->len[f] != b->len[f] ||
		    memcmp(a->p[f], b->p[f], (size_t)a->len[f]) != 0)
			return false;
	return true;
}

static int setup(void **state)
{
	(void)state;
	make_signal();
	for (int k = -1; k <= 11; k++)
		code(k, &cx[k + 1]);
	return 0;
}

static void test_complexity_changes_coding(void **state)
{
	(void)state;
	assert_false(same(&cx[0 + 1], &cx[10 + 1]));
	assert_false(same(&cx[5 + 1], &cx[10 + 1]));
	assert_false(same(&cx[0 + 1], &cx[5 + 1]));
}

/* < 0 and > 10 leave libopus at its own default, whatever this libopus
 * says that is. */
static void test_default(void **state)
{
	OpusEncoder *e;
	opus_int32 def = -1;
	int err;

	(void)state;
	e = opus_encoder_create(48000, 1, OPUS_APPLICATION_AUDIO, &err);
	assert_non_null(e);
	assert_int_equal(opus_encoder_ctl(e, OPUS_GET_COMPLEXITY(&def)),
			 OPUS_OK);
	opus_encoder_destroy(e);
	assert_in_range(def, 0, 10);
	assert_true(same(&cx[-1 + 1], &cx[def + 1]));
	assert_true(same(&cx[11 + 1], &cx[def + 1]));
}

/* The decoder of the other end takes any complexity's packets. */
static void test_decodes(void **state)
{
	media_codec_t *d = media_codec_new("opus", NULL);
	int16_t pcm[FRAME];

	(void)state;
	assert_non_null(d);
	for (size_t f = 0; f < FRAMES; f++)
		assert_int_equal(media_codec_decode(d, cx[0 + 1].p[f],
						    (size_t)cx[0 + 1].len[f],
						    pcm, FRAME), FRAME);
	media_codec_free(d);
}

/* The widest band of the packets coded with maxplaybackrate MAX_RATE. */
static int widest_band(unsigned max_rate)
{
	media_codec_t *c = media_codec_new("opus", &(media_codec_opts_t){
		.bitrate = 32000, .max_rate = max_rate, .complexity = 5 });
	uint8_t p[MAXPKT];
	int band = 0;

	assert_non_null(c);
	for (size_t f = 0; f < FRAMES; f++) {
		int n = media_codec_encode(c, sig + f * FRAME, FRAME, p,
					   MAXPKT);
		int b;

		assert_true(n > 0);
		b = opus_packet_get_bandwidth(p);
		if (b > band)
			band = b;
	}
	media_codec_free(c);
	return band;
}

/* A peer that renders no more than maxplaybackrate Hz (RFC 7587) gets
 * no band above it. */
static void test_max_playback_rate(void **state)
{
	(void)state;
	assert_true(widest_band(0) > OPUS_BANDWIDTH_WIDEBAND);
	assert_true(widest_band(48000) > OPUS_BANDWIDTH_WIDEBAND);
	assert_int_equal(widest_band(16000), OPUS_BANDWIDTH_WIDEBAND);
	assert_int_equal(widest_band(8000), OPUS_BANDWIDTH_NARROWBAND);
}

static void test_g711_ignores_it(void **state)
{
	static const char *names[] = { "pcmu", "pcma" };
	int16_t pcm[160] = { 0 };
	uint8_t out[160];

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		media_codec_t *c = media_codec_new(
			names[i], &(media_codec_opts_t){ .complexity = 3 });

		assert_non_null(c);
		assert_int_equal(media_codec_rate(c), 8000);
		assert_int_equal(media_codec_encode(c, pcm, 160, out, 160),
				 160);
		media_codec_free(c);
	}
	assert_null(media_codec_new("g729", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complexity_changes_coding),
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_decodes),
		cmocka_unit_test(test_max_playback_rate),
		cmocka_unit_test(test_g711_ignores_it),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
