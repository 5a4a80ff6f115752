/*
 * test_player.c - media/player.c on a real su_root, recorded through a
 * file: sink: the ring's cadence and tones, the pings and their end, the
 * sound forms accepted, and a sound that cannot open.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>
#include <unistd.h>

#include <cmocka.h>
#include <sofia-sip/su_wait.h>

#include "media/player.h"
#include "media/wav.h"

#define RATE MEDIA_PLAYER_RATE
#define MAXS (RATE * 4)

static su_root_t *root;
static char dir[64];

static int setup(void **st)
{
	(void)st;
	su_init();
	root = su_root_create(NULL);
	snprintf(dir, sizeof(dir), "/tmp/test_player.XXXXXX");
	return root && mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **st)
{
	char cmd[128];

	(void)st;
	su_root_destroy(root);
	su_deinit();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static uint64_t ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* Run the loop for MS_FOR milliseconds, or until *STOP. */
static void run(unsigned ms_for, const bool *stop)
{
	uint64_t end = ms() + ms_for;

	while (ms() < end && !(stop && *stop))
		su_root_step(root, 10);
}

static size_t load(const char *path, int16_t *pcm)
{
	char err[128];
	media_wav_t *w = media_wav_open_read(path, err, sizeof(err));
	size_t n;

	if (!w)
		fail_msg("%s: %s", path, err);
	assert_int_equal(media_wav_rate(w), RATE);
	n = media_wav_read(w, pcm, MAXS);
	media_wav_close(w);
	return n;
}

/* Power of frequency HZ in PCM[from..from+len) (Goertzel), over the mean
 * square: near 0.5 for a pure tone at HZ, near 0 away from it. */
static double tone(const int16_t *pcm, size_t from, size_t len, double hz)
{
	double k = 2.0 * cos(2.0 * M_PI * hz / RATE), s1 = 0, s2 = 0, e = 0;

	for (size_t i = 0; i < len; i++) {
		double s0 = pcm[from + i] + k * s1 - s2;

		s2 = s1;
		s1 = s0;
		e += (double)pcm[from + i] * pcm[from + i];
	}
	if (e == 0)
		return 0;
	return (s1 * s1 + s2 * s2 - k * s1 * s2) / (e * (double)len / 2.0);
}

static double rms(const int16_t *pcm, size_t from, size_t len)
{
	double e = 0;

	for (size_t i = 0; i < len; i++)
		e += (double)pcm[from + i] * pcm[from + i];
	return sqrt(e / (double)len);
}

static void test_sound_forms(void **st)
{
	static const char *const good[] = {
		"", "null", "file:/x.wav", "ping:1", "ping:9", NULL,
	};
	static const char *const bad[] = {
		"ping:0", "ping:10", "ping:", "ping:2x", "portaudio", "file:",
		"beep", NULL,
	};

	(void)st;
	assert_true(media_player_sound_ok(NULL));
	for (size_t i = 0; good[i]; i++)
		assert_true(media_player_sound_ok(good[i]));
	for (size_t i = 0; bad[i]; i++)
		assert_false(media_player_sound_ok(bad[i]));
}

/* 1.3 s of ring: on 0-0.4 s, off to 0.6 s, on to 1.0 s, then off. */
static void test_ring_cadence(void **st)
{
	static int16_t pcm[MAXS];
	char sink[128], err[256];
	media_player_t *p;
	size_t n, w = RATE / 20;   /* 50 ms windows */

	(void)st;
	snprintf(sink, sizeof(sink), "file:%s/ring.wav", dir);
	p = media_player_new(root, "", sink, NULL, NULL, err, sizeof(err));
	if (!p)
		fail_msg("%s", err);
	run(1300, NULL);
	media_player_free(p);
	n = load(sink + 5, pcm);
	assert_true(n >= RATE * 12 / 10 && n <= RATE * 14 / 10);
	for (size_t at = 0; at + w <= (size_t)RATE * 12 / 10; at += w) {
		double t = (double)at / RATE;
		bool on = (t >= 0.01 && t + 0.05 <= 0.39) ||
			  (t >= 0.61 && t + 0.05 <= 0.99);
		bool off = (t >= 0.41 && t + 0.05 <= 0.59) || t >= 1.01;

		if (on) {
			assert_true(rms(pcm, at, w) > 1500);
			assert_true(tone(pcm, at, w, 440) > 0.15);
			assert_true(tone(pcm, at, w, 480) > 0.15);
			assert_true(tone(pcm, at, w, 1000) < 0.01);
		} else if (off) {
			assert_true(rms(pcm, at, w) == 0);
		}
	}
}

static void on_done(void *arg)
{
	int *calls = arg;

	(*calls)++;
}

static void test_pings_end(void **st)
{
	static int16_t pcm[MAXS];
	char sink[128], err[256];
	media_player_t *p;
	int done = 0;
	bool stop = false;
	size_t n;

	(void)st;
	snprintf(sink, sizeof(sink), "file:%s/ping.wav", dir);
	p = media_player_new(root, "ping:3", sink, on_done, &done, err,
			     sizeof(err));
	if (!p)
		fail_msg("%s", err);
	for (int i = 0; i < 200 && !done; i++)
		run(10, &stop);
	assert_int_equal(done, 1);
	run(100, NULL);            /* and not again */
	assert_int_equal(done, 1);
	media_player_free(p);
	n = load(sink + 5, pcm);
	/* 3 x 250 ms, rounded up to whole 20 ms frames */
	assert_true(n >= (size_t)RATE * 3 / 4 && n < (size_t)RATE * 77 / 100);
	for (int k = 0; k < 3; k++) {
		size_t at = (size_t)k * RATE / 4;

		assert_true(rms(pcm, at + RATE / 100, RATE / 20) > 3000);
		assert_true(tone(pcm, at + RATE / 100, RATE / 20, 1000) > 0.4);
		assert_true(rms(pcm, at + RATE / 10, RATE * 15 / 100) == 0);
	}
}

static void test_file_and_failures(void **st)
{
	static int16_t pcm[MAXS];
	char src[128], sink[160], bad[160], err[256];
	media_player_t *p;
	media_wav_t *w;
	int16_t one[RATE / 10];
	size_t n;

	(void)st;
	/* a 100 ms 1 kHz file loops */
	snprintf(src, sizeof(src), "%s/src.wav", dir);
	w = media_wav_open_write(src, RATE, err, sizeof(err));
	if (!w)
		fail_msg("%s", err);
	for (size_t i = 0; i < RATE / 10; i++)
		one[i] = (int16_t)(6000 * sin(2 * M_PI * 1000.0 * i / RATE));
	assert_int_equal(media_wav_write(w, one, RATE / 10), 0);
	assert_int_equal(media_wav_close(w), 0);
	snprintf(sink, sizeof(sink), "file:%s/file.wav", dir);
	snprintf(bad, sizeof(bad), "file:%s", src);
	p = media_player_new(root, bad, sink, NULL, NULL, err, sizeof(err));
	if (!p)
		fail_msg("%s", err);
	run(500, NULL);
	media_player_free(p);
	n = load(sink + 5, pcm);
	assert_true(n >= RATE * 4 / 10);
	assert_true(tone(pcm, RATE * 3 / 10, RATE / 20, 1000) > 0.4);

	/* a sound file that is not there, a sound that is not a sound */
	err[0] = '\0';
	assert_null(media_player_new(root, "file:/nonexistent/r.wav", sink,
				     NULL, NULL, err, sizeof(err)));
	assert_true(err[0] != '\0');
	err[0] = '\0';
	assert_null(media_player_new(root, "beep", sink, NULL, NULL, err,
				     sizeof(err)));
	assert_true(err[0] != '\0');
	/* a sink that cannot open */
	snprintf(bad, sizeof(bad), "file:%s/no/such/dir/x.wav", dir);
	assert_null(media_player_new(root, "", bad, NULL, NULL, err,
				     sizeof(err)));
	/* "null" never opens the sink, so that one is fine */
	p = media_player_new(root, "null", bad, NULL, NULL, err, sizeof(err));
	assert_non_null(p);
	run(50, NULL);
	media_player_free(p);
	assert_int_equal(access(bad + 5, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sound_forms),
		cmocka_unit_test(test_ring_cadence),
		cmocka_unit_test(test_pings_end),
		cmocka_unit_test(test_file_and_failures),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
