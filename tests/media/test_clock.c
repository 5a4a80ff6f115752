/*
 * test_clock.c - media/clock.c on a real su_root: a deadline fires once,
 * not before it is due and without the loop spinning towards it; a
 * deadline already past fires at once; stop silences it; the callback
 * may free the clock; a periodic clock keeps its period without being
 * re-armed, one wake-up per tick.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <sofia-sip/su_wait.h>

#include "media/clock.h"

static su_root_t *root;

typedef struct {
	int calls;
	uint64_t at;
	media_clock_t *free_me;
} hit_t;

static void on_hit(void *arg)
{
	hit_t *h = arg;

	h->calls++;
	h->at = media_clock_now_ms();
	if (h->free_me) {
		media_clock_free(h->free_me);
		h->free_me = NULL;
	}
}

static int setup(void **st)
{
	(void)st;
	su_init();
	root = su_root_create(NULL);
	return root ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	su_root_destroy(root);
	su_deinit();
	return 0;
}

/* Loop steps until MS have passed; how many steps it took. */
static unsigned run(unsigned ms)
{
	uint64_t end = media_clock_now_ms() + ms;
	unsigned steps = 0;

	while (media_clock_now_ms() < end) {
		su_root_step(root, (su_duration_t)(end - media_clock_now_ms()));
		steps++;
	}
	return steps;
}

static void test_deadline(void **st)
{
	hit_t h = { 0 };
	media_clock_t *c = media_clock_new(root, on_hit, &h);
	uint64_t due;
	unsigned steps;

	(void)st;
	assert_non_null(c);
	due = media_clock_now_ms() + 30;
	media_clock_at(c, due);
	steps = run(60);
	assert_int_equal(h.calls, 1);
	assert_true(h.at >= due);
	assert_true(h.at < due + 20);
	/* a su_timer spun on epoll_wait(..., 0) for its last millisecond;
	 * this clock wakes the loop once for its deadline */
	assert_true(steps < 10);
	media_clock_free(c);
}

static void test_past_stop_and_free(void **st)
{
	hit_t h = { 0 };
	media_clock_t *c = media_clock_new(root, on_hit, &h);

	(void)st;
	assert_non_null(c);
	media_clock_at(c, 0);              /* long past: at once */
	run(10);
	assert_int_equal(h.calls, 1);
	media_clock_at(c, media_clock_now_ms() + 20);
	media_clock_stop(c);
	run(50);
	assert_int_equal(h.calls, 1);
	/* a later deadline replaces an earlier one */
	media_clock_at(c, media_clock_now_ms() + 5);
	media_clock_at(c, media_clock_now_ms() + 40);
	run(20);
	assert_int_equal(h.calls, 1);
	run(40);
	assert_int_equal(h.calls, 2);
	/* freed from its own callback */
	h.free_me = c;
	media_clock_at(c, media_clock_now_ms());
	run(20);
	assert_int_equal(h.calls, 3);
	assert_null(h.free_me);
}

static void test_every(void **st)
{
	hit_t h = { 0 };
	media_clock_t *c = media_clock_new(root, on_hit, &h);
	uint64_t first;
	unsigned steps;

	(void)st;
	assert_non_null(c);
	first = media_clock_now_ms() + 20;
	media_clock_every(c, first, 20);
	steps = run(20 + 9 * 20 + 10);      /* ticks at +20 .. +200 */
	/* a busy machine may run a tick late, never one too many */
	assert_in_range(h.calls, 8, 10);
	assert_true(h.at >= first + 7 * 20);
	/* one loop step per tick (and the end of run()), no spinning */
	assert_true(steps <= (unsigned)h.calls + 3);
	/* a one-shot deadline replaces the period */
	h.calls = 0;
	media_clock_at(c, media_clock_now_ms() + 10);
	run(80);
	assert_int_equal(h.calls, 1);
	/* and stop ends it */
	media_clock_every(c, media_clock_now_ms() + 10, 20);
	run(35);
	assert_in_range(h.calls, 2, 3);
	media_clock_stop(c);
	h.calls = 0;
	run(60);
	assert_int_equal(h.calls, 0);
	media_clock_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_past_stop_and_free),
		cmocka_unit_test(test_every),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
