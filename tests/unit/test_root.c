/*
 * test_root.c - common/root.c: sofia's loop on pn_root_create() sleeps
 * until a timer is due instead of polling for its last millisecond, and
 * no timer fires more than 1 ms early or goes missing.
 *
 * Two periodic su_timers, 10 ms and 7 ms apart, the second started
 * 0.5 ms after the first: each wakes the loop at a moment when the other
 * is a fraction of a millisecond off, the case where sofia's own loop
 * calls epoll_wait(..., 0) until the fraction has passed (hundreds of
 * times a wake-up).  epoll_wait is counted on its way to the C library:
 * this program defines it, and the dynamic linker gives sofia's call to
 * the program's definition, which passes it on.
 */
#define _GNU_SOURCE 1           /* RTLD_NEXT */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#include <sofia-sip/su.h>
#include <sofia-sip/su_time.h>
#include <sofia-sip/su_wait.h>

#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <time.h>

#include <cmocka.h>

#include "common/root.h"

static unsigned polls;          /* epoll_wait(..., 0) that found nothing */
static unsigned waits;

int epoll_wait(int epfd, struct epoll_event *ev, int max, int timeout)
{
	static int (*real)(int, struct epoll_event *, int, int);
	int n;

	if (!real)
		real = (int (*)(int, struct epoll_event *, int, int))
			dlsym(RTLD_NEXT, "epoll_wait");
	n = real(epfd, ev, max, timeout);
	waits++;
	if (timeout == 0 && n == 0)
		polls++;
	return n;
}

typedef struct {
	su_time_t first;        /* when the first tick was due */
	unsigned period;        /* ms */
	unsigned fired;
	long early_us;          /* the most any tick came before its time */
} ticker_t;

static void on_tick(su_root_magic_t *m, su_timer_t *t, su_timer_arg_t *arg)
{
	ticker_t *k = arg;
	su_time_t due = su_time_add(k->first, k->period * k->fired);
	long early = (long)(su_time_diff(due, su_now()) * 1e6);

	(void)m;
	(void)t;
	if (early > k->early_us)
		k->early_us = early;
	k->fired++;
}

static void on_end(su_root_magic_t *m, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)m;
	(void)t;
	su_root_break(arg);
}

static void test_sleeps_until_due(void **st)
{
	su_root_t *root = pn_root_create(NULL);
	su_timer_t *a, *b, *end;
	ticker_t ka = { .period = 10 }, kb = { .period = 7 };
	struct timespec half = { 0, 500 * 1000 };

	(void)st;
	assert_non_null(root);
	a = su_timer_create(su_root_task(root), ka.period);
	b = su_timer_create(su_root_task(root), kb.period);
	end = su_timer_create(su_root_task(root), 0);
	assert_true(a && b && end);
	ka.first = su_time_add(su_now(), ka.period);
	assert_int_equal(su_timer_run(a, on_tick, &ka), 0);
	nanosleep(&half, NULL);
	kb.first = su_time_add(su_now(), kb.period);
	assert_int_equal(su_timer_run(b, on_tick, &kb), 0);
	assert_int_equal(su_timer_set_interval(end, on_end, root, 700), 0);
	polls = waits = 0;
	su_root_run(root);

	print_message("10 ms: %u ticks, at most %ld us early; 7 ms: %u, "
		      "%ld us; %u epoll_wait, %u of them polls\n",
		      ka.fired, ka.early_us, kb.fired, kb.early_us, waits,
		      polls);
	/* 70 and 100 due; a loaded machine may run the last ones late */
	assert_in_range(ka.fired, 60, 70);
	assert_in_range(kb.fired, 85, 100);
	assert_true(ka.early_us <= 1000 && kb.early_us <= 1000);
	/* one wait a tick and a few more; sofia's own loop: thousands */
	assert_true(polls <= 20);
	assert_true(waits <= 2 * (ka.fired + kb.fired) + 20);
	su_timer_destroy(a);
	su_timer_destroy(b);
	su_timer_destroy(end);
	su_root_destroy(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sleeps_until_due),
	};
	int rc;

	su_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	su_deinit();
	return rc;
}
