/*
 * test_audio.c - the audio push's two ends on one su_root, over
 * 127.0.0.1 (ports 34900-34999): media/wavsend.h streams a WAV file,
 * push/audio.h plays it into a file: sink.  Checks the packet count for
 * each codec and packet time (no loss, nothing dropped), that the
 * recording holds the tone and the alert pings, the AudioTimer when
 * nothing arrives, and bad input.  (The SNR against the WAV sent is
 * measured end to end by audio_push.sh.)
 */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "media/wav.h"
#include "media/wavsend.h"
#include "push/audio.h"

typedef struct ctx {
	su_root_t *root;
	char dir[64], ref[96], rec[96];
	bool sent;
	const char *ended;
} ctx_t;

static int setup(void **state)
{
	ctx_t *c = calloc(1, sizeof(*c));
	char err[256];
	media_wav_t *w;
	int16_t pcm[8000];
	int i;

	su_init();
	c->root = su_root_create(NULL);
	snprintf(c->dir, sizeof(c->dir), "/tmp/pn-test_audio.XXXXXX");
	assert_non_null(mkdtemp(c->dir));
	snprintf(c->ref, sizeof(c->ref), "%s/ref.wav", c->dir);
	snprintf(c->rec, sizeof(c->rec), "%s/rec.wav", c->dir);
	/* 1 s of a 440 Hz tone with a slow swell */
	for (i = 0; i < 8000; i++)
		pcm[i] = (int16_t)(9000.0 * (0.6 + 0.4 * sin(i / 900.0)) *
				   sin(2 * M_PI * 440.0 * i / 8000.0));
	w = media_wav_open_write(c->ref, 8000, err, sizeof(err));
	assert_non_null(w);
	assert_int_equal(media_wav_write(w, pcm, 8000), 0);
	assert_int_equal(media_wav_close(w), 0);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	ctx_t *c = *state;

	unlink(c->ref);
	unlink(c->rec);
	rmdir(c->dir);
	su_root_destroy(c->root);
	su_deinit();
	free(c);
	return 0;
}

static void on_sent(void *arg)
{
	((ctx_t *)arg)->sent = true;
}

static void on_end(void *arg, const char *why)
{
	((ctx_t *)arg)->ended = why;
}

static void on_break(su_root_magic_t *m, su_timer_t *t, void *arg)
{
	(void)m;
	(void)t;
	su_root_break(arg);
}

/* Run the loop for MS milliseconds. */
static void run_for(ctx_t *c, unsigned ms)
{
	su_timer_t *t = su_timer_create(su_root_task(c->root), 0);

	su_timer_set_interval(t, on_break, c->root, ms);
	su_root_run(c->root);
	su_timer_destroy(t);
}

/* Samples of the recording louder than LIMIT, and all of them. */
static size_t loud(const char *path, int limit, size_t *total)
{
	char err[256];
	media_wav_t *w = media_wav_open_read(path, err, sizeof(err));
	int16_t buf[1024];
	size_t n, i, k = 0;

	*total = 0;
	assert_non_null(w);
	while ((n = media_wav_read(w, buf, 1024)) > 0) {
		for (i = 0; i < n; i++)
			k += abs(buf[i]) > limit;
		*total += n;
	}
	media_wav_close(w);
	return k;
}

static void one_stream(ctx_t *c, bool pcma, unsigned ptime, int alert)
{
	char err[256], sink[128];
	push_audio_t *a;
	push_audio_cfg_t cfg = { .sink = sink, .jitter_min_ms = 40,
				 .jitter_max_ms = 300, .pcma = pcma,
				 .timer_s = 5, .alert = alert };
	media_wavsend_cfg_t sc = { .path = c->ref, .pcma = pcma,
				   .ptime_ms = ptime, .addr = "127.0.0.1" };
	media_wavsend_t *s;
	push_audio_figures_t f;
	size_t total, n;

	snprintf(sink, sizeof(sink), "file:%s", c->rec);
	a = push_audio_new(c->root, "127.0.0.1", 34900, 34999, err,
			   sizeof(err));
	assert_non_null(a);
	assert_int_equal(push_audio_port(a) % 2, 0);
	assert_int_equal(push_audio_play(a, &cfg, on_end, c, err,
					 sizeof(err)), 0);
	assert_true(push_audio_playing(a));
	sc.port = push_audio_port(a);
	c->sent = false;
	c->ended = NULL;
	s = media_wavsend_new(c->root, &sc, on_sent, c, err, sizeof(err));
	assert_non_null(s);
	run_for(c, 1000 + 400 + (unsigned)alert * 250);
	assert_true(c->sent);
	assert_null(c->ended);
	assert_int_equal(media_wavsend_packets(s), (1000 + ptime - 1) / ptime);
	push_audio_figures(a, &f);
	assert_int_equal(f.packets, (1000 + ptime - 1) / ptime);
	assert_int_equal(f.lost, 0);
	assert_int_equal(f.dropped, 0);
	media_wavsend_free(s);
	push_audio_free(a);
	/* the tone's second is in the recording (and the pings before it) */
	n = loud(c->rec, 1000, &total);
	assert_true(total >= 8000 + (size_t)alert * 2000);
	assert_true(n >= 8000 * 6 / 10 + (size_t)alert * 500);
}

static void test_pcmu_20(void **state)
{
	one_stream(*state, false, 20, 0);
}

static void test_pcma_60(void **state)
{
	one_stream(*state, true, 60, 0);
}

static void test_pcmu_10_alert(void **state)
{
	one_stream(*state, false, 10, 3);
}

/* Nothing arrives: the AudioTimer (here 1 s) ends it all the same. */
static void test_timer(void **state)
{
	ctx_t *c = *state;
	char err[256], sink[128];
	push_audio_cfg_t cfg = { .sink = sink, .jitter_min_ms = 40,
				 .jitter_max_ms = 300, .timer_s = 1 };
	push_audio_t *a;

	snprintf(sink, sizeof(sink), "file:%s", c->rec);
	a = push_audio_new(c->root, "127.0.0.1", 34900, 34999, err,
			   sizeof(err));
	assert_non_null(a);
	assert_int_equal(push_audio_play(a, &cfg, on_end, c, err,
					 sizeof(err)), 0);
	c->ended = NULL;
	run_for(c, 600);
	assert_null(c->ended);
	run_for(c, 800);
	assert_non_null(c->ended);
	assert_string_equal(c->ended, "timer");
	push_audio_free(a);
}

/* Bad input: a sink that cannot be opened, a port pair that is taken, a
 * file that is not a WAV, a ptime out of range. */
static void test_errors(void **state)
{
	ctx_t *c = *state;
	char err[256] = "";
	push_audio_cfg_t cfg = { .sink = "file:/nonexistent/dir/x.wav",
				 .jitter_min_ms = 40, .jitter_max_ms = 300,
				 .timer_s = 5 };
	media_wavsend_cfg_t sc = { .path = c->ref, .ptime_ms = 25,
				   .addr = "127.0.0.1", .port = 34990 };
	push_audio_t *a, *b;

	a = push_audio_new(c->root, "127.0.0.1", 34900, 34901, err,
			   sizeof(err));
	assert_non_null(a);
	b = push_audio_new(c->root, "127.0.0.1", 34900, 34901, err,
			   sizeof(err));
	assert_null(b);
	assert_true(strlen(err) > 0);
	assert_int_equal(push_audio_play(a, &cfg, on_end, c, err,
					 sizeof(err)), -1);
	assert_false(push_audio_playing(a));
	push_audio_free(a);
	assert_null(media_wavsend_new(c->root, &sc, on_sent, c, err,
				      sizeof(err)));
	sc.ptime_ms = 20;
	sc.path = "/nonexistent.wav";
	assert_null(media_wavsend_new(c->root, &sc, on_sent, c, err,
				      sizeof(err)));
	sc.path = c->ref;
	sc.addr = "localhost";    /* names are refused: no DNS on the loop */
	assert_null(media_wavsend_new(c->root, &sc, on_sent, c, err,
				      sizeof(err)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcmu_20),
		cmocka_unit_test(test_pcma_60),
		cmocka_unit_test(test_pcmu_10_alert),
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
