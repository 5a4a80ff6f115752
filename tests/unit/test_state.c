/*
 * test_state.c - unit tests of ua/state.c (call bookkeeping, derived
 * phone state, UI flags, names).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ua/state.h"

#define N_LIVE 5
static const ua_call_state_t live_states[N_LIVE] = {
	UA_CALL_DIALING, UA_CALL_RINGING, UA_CALL_EARLY,
	UA_CALL_ACTIVE, UA_CALL_HELD,
};

static int setup(void **st)
{
	*st = ua_state_new();
	return *st == NULL ? -1 : 0;
}

static int teardown(void **st)
{
	ua_state_free(*st);
	return 0;
}

static void test_new_is_idle(void **st)
{
	ua_state_t *s = *st;
	int ids[UA_STATE_MAX_CALLS];

	assert_int_equal(ua_state_call_count(s), 0);
	assert_int_equal(ua_state_call_ids(s, ids, UA_STATE_MAX_CALLS), 0);
	assert_int_equal(ua_state_phone(s), UA_PHONE_IDLE);
	assert_false(ua_state_call_alerting(s));
	assert_false(ua_state_call_active(s));
	assert_false(ua_state_soft_hold(s));
	assert_false(ua_state_busy(s));
	assert_int_equal(ua_state_text_entry(s), UA_TEXT_ENTRY_NONE);
	assert_false(ua_state_local_procedure(s));
	assert_false(ua_state_audio_push(s));
}

static void test_free_null(void **st)
{
	(void)st;
	ua_state_free(NULL);
}

static void test_add_set_remove(void **st)
{
	ua_state_t *s = *st;
	int ids[UA_STATE_MAX_CALLS];
	int a, b;

	a = ua_state_call_add(s, UA_CALL_DIALING);
	assert_true(a > 0);
	assert_int_equal(ua_state_call_get(s, a), UA_CALL_DIALING);
	assert_int_equal(ua_state_call_count(s), 1);
	assert_true(ua_state_busy(s));

	assert_true(ua_state_call_set(s, a, UA_CALL_EARLY));
	assert_int_equal(ua_state_call_get(s, a), UA_CALL_EARLY);
	assert_true(ua_state_call_set(s, a, UA_CALL_ACTIVE));
	assert_int_equal(ua_state_call_get(s, a), UA_CALL_ACTIVE);

	b = ua_state_call_add(s, UA_CALL_RINGING);
	assert_true(b > 0);
	assert_int_not_equal(a, b);
	assert_int_equal(ua_state_call_count(s), 2);
	assert_int_equal(ua_state_call_get(s, b), UA_CALL_RINGING);
	assert_int_equal(ua_state_call_get(s, a), UA_CALL_ACTIVE);

	assert_true(ua_state_call_remove(s, a));
	assert_int_equal(ua_state_call_count(s), 1);
	assert_int_equal(ua_state_call_get(s, a), UA_CALL_IDLE);
	assert_int_equal(ua_state_call_get(s, b), UA_CALL_RINGING);
	assert_int_equal(ua_state_call_ids(s, ids, UA_STATE_MAX_CALLS), 1);
	assert_int_equal(ids[0], b);

	/* removing twice, or setting a removed call, fails */
	assert_false(ua_state_call_remove(s, a));
	assert_false(ua_state_call_set(s, a, UA_CALL_HELD));
	assert_int_equal(ua_state_call_count(s), 1);

	assert_true(ua_state_call_remove(s, b));
	assert_int_equal(ua_state_call_count(s), 0);
	assert_false(ua_state_busy(s));
	assert_int_equal(ua_state_phone(s), UA_PHONE_IDLE);
}

static void test_ids_monotonic(void **st)
{
	ua_state_t *s = *st;
	int prev = 0;

	/* add/remove in a loop: ids keep increasing, never reused */
	for (int i = 0; i < 1000; i++) {
		int id = ua_state_call_add(s, UA_CALL_RINGING);

		assert_true(id > prev);
		prev = id;
		if (i % 3 == 0) {
			/* a second call now and then, removed first */
			int id2 = ua_state_call_add(s, UA_CALL_DIALING);

			assert_true(id2 > prev);
			prev = id2;
			assert_true(ua_state_call_remove(s, id2));
		}
		assert_true(ua_state_call_remove(s, id));
	}
	/* small: the first ids are 1, 2, 3 ... */
	assert_true(prev < 2000);
}

static void test_ids_order(void **st)
{
	ua_state_t *s = *st;
	int a, b, c, d, e;
	int ids[UA_STATE_MAX_CALLS + 2];

	a = ua_state_call_add(s, UA_CALL_ACTIVE);
	b = ua_state_call_add(s, UA_CALL_HELD);
	c = ua_state_call_add(s, UA_CALL_RINGING);
	assert_int_equal(ua_state_call_ids(s, ids, 8), 3);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], b);
	assert_int_equal(ids[2], c);

	/* removing the middle one keeps the order of the others */
	assert_true(ua_state_call_remove(s, b));
	d = ua_state_call_add(s, UA_CALL_DIALING);
	assert_int_equal(ua_state_call_ids(s, ids, 8), 3);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], c);
	assert_int_equal(ids[2], d);

	/* a new call goes last even when the oldest left */
	assert_true(ua_state_call_remove(s, a));
	e = ua_state_call_add(s, UA_CALL_EARLY);
	assert_int_equal(ua_state_call_ids(s, ids, 8), 3);
	assert_int_equal(ids[0], c);
	assert_int_equal(ids[1], d);
	assert_int_equal(ids[2], e);

	/* max limits what is written */
	memset(ids, 0x55, sizeof(ids));
	assert_int_equal(ua_state_call_ids(s, ids, 2), 2);
	assert_int_equal(ids[0], c);
	assert_int_equal(ids[1], d);
	assert_int_equal(ids[2], 0x55555555);
	assert_int_equal(ua_state_call_ids(s, ids, 0), 0);
	assert_int_equal(ua_state_call_ids(s, NULL, 4), 0);
}

static void test_full_table(void **st)
{
	ua_state_t *s = *st;
	int ids[UA_STATE_MAX_CALLS];
	int last = 0;

	for (int i = 0; i < UA_STATE_MAX_CALLS; i++) {
		ids[i] = ua_state_call_add(s, UA_CALL_RINGING);
		assert_true(ids[i] > last);
		last = ids[i];
	}
	assert_int_equal(ua_state_call_count(s), UA_STATE_MAX_CALLS);
	assert_int_equal(ua_state_call_add(s, UA_CALL_DIALING), 0);
	assert_int_equal(ua_state_call_add(s, UA_CALL_RINGING), 0);
	assert_int_equal(ua_state_call_count(s), UA_STATE_MAX_CALLS);

	/* a free slot makes room again, with a fresh id */
	assert_true(ua_state_call_remove(s, ids[1]));
	last = ua_state_call_add(s, UA_CALL_DIALING);
	assert_true(last > ids[UA_STATE_MAX_CALLS - 1]);
	assert_int_equal(ua_state_call_add(s, UA_CALL_DIALING), 0);
}

static void test_ids_wrap(void **st)
{
	ua_state_t *s = *st;
	int keep, prev, id = 0;
	long n;

	/* call 1 stays up while a great many others come and go */
	keep = ua_state_call_add(s, UA_CALL_HELD);
	assert_int_equal(keep, 1);
	prev = keep;
	for (n = 0; n < 5000000; n++) {
		id = ua_state_call_add(s, UA_CALL_DIALING);
		assert_true(id > 0);
		assert_true(ua_state_call_remove(s, id));
		if (id < prev)
			break;
		prev = id;
	}
	/* the counter wrapped, long after many ids and far from INT_MAX */
	assert_true(n < 5000000);
	assert_true(prev >= 100000);
	assert_true(prev < INT_MAX / 2);
	/* and skipped the live call's id */
	assert_int_not_equal(id, keep);
	assert_int_equal(id, 2);
	assert_int_equal(ua_state_call_get(s, keep), UA_CALL_HELD);
	assert_int_equal(ua_state_call_count(s), 1);
}

static void test_unknown_ids(void **st)
{
	ua_state_t *s = *st;
	int a = ua_state_call_add(s, UA_CALL_ACTIVE);
	const int bad[] = { 0, -1, a + 1, a + 1000, INT_MAX, INT_MIN };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ua_state_call_get(s, bad[i]), UA_CALL_IDLE);
		assert_false(ua_state_call_set(s, bad[i], UA_CALL_HELD));
		assert_false(ua_state_call_remove(s, bad[i]));
	}
	assert_int_equal(ua_state_call_count(s), 1);
	assert_int_equal(ua_state_call_get(s, a), UA_CALL_ACTIVE);
}

static void test_invalid_enums(void **st)
{
	ua_state_t *s = *st;
	int a;

	/* a live call is never IDLE, nor out of range */
	assert_int_equal(ua_state_call_add(s, UA_CALL_IDLE), 0);
	assert_int_equal(ua_state_call_add(s, (ua_call_state_t)42), 0);
	assert_int_equal(ua_state_call_add(s, (ua_call_state_t)-1), 0);
	assert_int_equal(ua_state_call_count(s), 0);

	a = ua_state_call_add(s, UA_CALL_DIALING);
	assert_true(a > 0);
	assert_false(ua_state_call_set(s, a, UA_CALL_IDLE));
	assert_false(ua_state_call_set(s, a, (ua_call_state_t)6));
	assert_false(ua_state_call_set(s, a, (ua_call_state_t)-1));
	assert_int_equal(ua_state_call_get(s, a), UA_CALL_DIALING);

	ua_state_set_text_entry(s, UA_TEXT_ENTRY_WEB);
	ua_state_set_text_entry(s, (ua_text_entry_t)3);
	assert_int_equal(ua_state_text_entry(s), UA_TEXT_ENTRY_WEB);
	ua_state_set_text_entry(s, (ua_text_entry_t)-1);
	assert_int_equal(ua_state_text_entry(s), UA_TEXT_ENTRY_WEB);

	assert_string_equal(ua_state_call_name((ua_call_state_t)6), "unknown");
	assert_string_equal(ua_state_call_name((ua_call_state_t)-1), "unknown");
	assert_string_equal(ua_state_phone_name((ua_phone_state_t)6), "unknown");
	assert_string_equal(ua_state_phone_name((ua_phone_state_t)-7), "unknown");
	assert_string_equal(ua_state_text_entry_name((ua_text_entry_t)3),
			    "unknown");
	assert_string_equal(ua_state_text_entry_name((ua_text_entry_t)-1),
			    "unknown");
}

static void test_null_state(void **st)
{
	int ids[2];

	(void)st;
	assert_int_equal(ua_state_call_add(NULL, UA_CALL_RINGING), 0);
	assert_false(ua_state_call_set(NULL, 1, UA_CALL_ACTIVE));
	assert_false(ua_state_call_remove(NULL, 1));
	assert_int_equal(ua_state_call_get(NULL, 1), UA_CALL_IDLE);
	assert_int_equal(ua_state_call_count(NULL), 0);
	assert_int_equal(ua_state_call_ids(NULL, ids, 2), 0);
	assert_int_equal(ua_state_phone(NULL), UA_PHONE_IDLE);
	assert_false(ua_state_busy(NULL));
	ua_state_set_text_entry(NULL, UA_TEXT_ENTRY_WEB);
	ua_state_set_local_procedure(NULL, true);
	ua_state_set_audio_push(NULL, true);
	assert_int_equal(ua_state_text_entry(NULL), UA_TEXT_ENTRY_NONE);
	assert_false(ua_state_local_procedure(NULL));
	assert_false(ua_state_audio_push(NULL));
}

/* One call: the phone state mirrors it. */
static void test_single_call(void **st)
{
	static const struct {
		ua_call_state_t call;
		ua_phone_state_t phone;
		bool alerting, active, soft_hold;
	} t[] = {
		{ UA_CALL_DIALING, UA_PHONE_DIALING, false, false, false },
		{ UA_CALL_RINGING, UA_PHONE_RINGING, true, false, false },
		{ UA_CALL_EARLY, UA_PHONE_EARLY, false, false, false },
		{ UA_CALL_ACTIVE, UA_PHONE_IN_CALL, false, true, false },
		{ UA_CALL_HELD, UA_PHONE_ON_HOLD, false, false, true },
	};
	ua_state_t *s = *st;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int id = ua_state_call_add(s, t[i].call);

		assert_true(id > 0);
		assert_int_equal(ua_state_phone(s), t[i].phone);
		assert_int_equal(ua_state_call_alerting(s), t[i].alerting);
		assert_int_equal(ua_state_call_active(s), t[i].active);
		assert_int_equal(ua_state_soft_hold(s), t[i].soft_hold);
		assert_true(ua_state_busy(s));
		assert_true(ua_state_call_remove(s, id));
		assert_int_equal(ua_state_phone(s), UA_PHONE_IDLE);
	}
}

/*
 * Every pair of live call states for two calls, written out by hand (not
 * computed) so the table is an independent oracle of
 * ringing > in_call > on_hold > early > dialing.
 */
#define D UA_CALL_DIALING
#define R UA_CALL_RINGING
#define E UA_CALL_EARLY
#define A UA_CALL_ACTIVE
#define H UA_CALL_HELD
static const struct pair_case {
	ua_call_state_t first, second;
	ua_phone_state_t phone;
	bool alerting, active, soft_hold;
} pair_cases[] = {
	{ D, D, UA_PHONE_DIALING, false, false, false },
	{ D, R, UA_PHONE_RINGING, true, false, false },
	{ D, E, UA_PHONE_EARLY, false, false, false },
	{ D, A, UA_PHONE_IN_CALL, false, true, false },
	{ D, H, UA_PHONE_ON_HOLD, false, false, true },

	{ R, D, UA_PHONE_RINGING, true, false, false },
	{ R, R, UA_PHONE_RINGING, true, false, false },
	{ R, E, UA_PHONE_RINGING, true, false, false },
	{ R, A, UA_PHONE_RINGING, true, true, false },
	{ R, H, UA_PHONE_RINGING, true, false, true },

	{ E, D, UA_PHONE_EARLY, false, false, false },
	{ E, R, UA_PHONE_RINGING, true, false, false },
	{ E, E, UA_PHONE_EARLY, false, false, false },
	{ E, A, UA_PHONE_IN_CALL, false, true, false },
	{ E, H, UA_PHONE_ON_HOLD, false, false, true },

	{ A, D, UA_PHONE_IN_CALL, false, true, false },
	{ A, R, UA_PHONE_RINGING, true, true, false },
	{ A, E, UA_PHONE_IN_CALL, false, true, false },
	{ A, A, UA_PHONE_IN_CALL, false, true, false },
	{ A, H, UA_PHONE_IN_CALL, false, true, false },

	{ H, D, UA_PHONE_ON_HOLD, false, false, true },
	{ H, R, UA_PHONE_RINGING, true, false, true },
	{ H, E, UA_PHONE_ON_HOLD, false, false, true },
	{ H, A, UA_PHONE_IN_CALL, false, true, false },
	{ H, H, UA_PHONE_ON_HOLD, false, false, true },
};
#undef D
#undef R
#undef E
#undef A
#undef H

static void check_pair(const ua_state_t *s, const struct pair_case *c)
{
	if (ua_state_phone(s) != c->phone ||
	    ua_state_call_alerting(s) != c->alerting ||
	    ua_state_call_active(s) != c->active ||
	    ua_state_soft_hold(s) != c->soft_hold || !ua_state_busy(s))
		fail_msg("calls %s+%s: phone %s alerting %d active %d "
			 "soft_hold %d busy %d, expected %s %d %d %d 1",
			 ua_state_call_name(c->first),
			 ua_state_call_name(c->second),
			 ua_state_phone_name(ua_state_phone(s)),
			 ua_state_call_alerting(s), ua_state_call_active(s),
			 ua_state_soft_hold(s), ua_state_busy(s),
			 ua_state_phone_name(c->phone), c->alerting,
			 c->active, c->soft_hold);
}

static void test_pairs(void **st)
{
	ua_state_t *s = *st;

	assert_int_equal(sizeof(pair_cases) / sizeof(pair_cases[0]),
			 N_LIVE * N_LIVE);
	for (size_t i = 0; i < sizeof(pair_cases) / sizeof(pair_cases[0]); i++) {
		const struct pair_case *c = &pair_cases[i];
		int a, b;

		/* added in that state */
		a = ua_state_call_add(s, c->first);
		b = ua_state_call_add(s, c->second);
		assert_true(a > 0 && b > 0);
		check_pair(s, c);

		/* reached by transitions from other states */
		for (size_t j = 0; j < N_LIVE; j++) {
			assert_true(ua_state_call_set(s, a, live_states[j]));
			assert_true(ua_state_call_set(s, b,
					live_states[N_LIVE - 1 - j]));
			assert_true(ua_state_call_set(s, a, c->first));
			assert_true(ua_state_call_set(s, b, c->second));
			check_pair(s, c);
		}

		/* a third call, still dialing, never outranks them */
		if (c->phone != UA_PHONE_IDLE) {
			int d = ua_state_call_add(s, UA_CALL_DIALING);

			assert_true(d > 0);
			assert_int_equal(ua_state_phone(s), c->phone);
			assert_true(ua_state_call_remove(s, d));
		}

		/* removing one leaves the other deciding alone */
		assert_true(ua_state_call_remove(s, a));
		assert_int_equal(ua_state_call_get(s, b), c->second);
		assert_true(ua_state_call_remove(s, b));
		assert_int_equal(ua_state_phone(s), UA_PHONE_IDLE);
		assert_false(ua_state_busy(s));
	}
}

static void test_four_calls(void **st)
{
	ua_state_t *s = *st;
	int a = ua_state_call_add(s, UA_CALL_DIALING);
	int b = ua_state_call_add(s, UA_CALL_EARLY);
	int c = ua_state_call_add(s, UA_CALL_HELD);
	int d = ua_state_call_add(s, UA_CALL_ACTIVE);

	assert_int_equal(ua_state_phone(s), UA_PHONE_IN_CALL);
	assert_false(ua_state_soft_hold(s));
	assert_true(ua_state_call_set(s, a, UA_CALL_RINGING));
	assert_int_equal(ua_state_phone(s), UA_PHONE_RINGING);
	assert_true(ua_state_call_remove(s, a));
	assert_int_equal(ua_state_phone(s), UA_PHONE_IN_CALL);
	assert_true(ua_state_call_remove(s, d));
	assert_int_equal(ua_state_phone(s), UA_PHONE_ON_HOLD);
	assert_true(ua_state_soft_hold(s));
	assert_true(ua_state_call_remove(s, c));
	assert_int_equal(ua_state_phone(s), UA_PHONE_EARLY);
	assert_true(ua_state_call_remove(s, b));
	assert_int_equal(ua_state_phone(s), UA_PHONE_IDLE);
}

static void test_flags(void **st)
{
	ua_state_t *s = *st;

	ua_state_set_text_entry(s, UA_TEXT_ENTRY_WEB);
	assert_int_equal(ua_state_text_entry(s), UA_TEXT_ENTRY_WEB);
	ua_state_set_text_entry(s, UA_TEXT_ENTRY_OTHER);
	assert_int_equal(ua_state_text_entry(s), UA_TEXT_ENTRY_OTHER);
	ua_state_set_text_entry(s, UA_TEXT_ENTRY_NONE);
	assert_int_equal(ua_state_text_entry(s), UA_TEXT_ENTRY_NONE);

	ua_state_set_local_procedure(s, true);
	assert_true(ua_state_local_procedure(s));
	assert_false(ua_state_audio_push(s));
	ua_state_set_audio_push(s, true);
	assert_true(ua_state_audio_push(s));
	assert_true(ua_state_local_procedure(s));
	ua_state_set_local_procedure(s, false);
	assert_false(ua_state_local_procedure(s));
	assert_true(ua_state_audio_push(s));
	ua_state_set_audio_push(s, false);
	assert_false(ua_state_audio_push(s));

	/* flags do not touch the calls, nor the other way round */
	ua_state_set_text_entry(s, UA_TEXT_ENTRY_WEB);
	assert_int_equal(ua_state_phone(s), UA_PHONE_IDLE);
	assert_true(ua_state_call_add(s, UA_CALL_ACTIVE) > 0);
	assert_int_equal(ua_state_text_entry(s), UA_TEXT_ENTRY_WEB);
}

static void test_names(void **st)
{
	(void)st;
	assert_string_equal(ua_state_call_name(UA_CALL_IDLE), "idle");
	assert_string_equal(ua_state_call_name(UA_CALL_DIALING), "dialing");
	assert_string_equal(ua_state_call_name(UA_CALL_RINGING), "ringing");
	assert_string_equal(ua_state_call_name(UA_CALL_EARLY), "early");
	assert_string_equal(ua_state_call_name(UA_CALL_ACTIVE), "active");
	assert_string_equal(ua_state_call_name(UA_CALL_HELD), "held");

	assert_string_equal(ua_state_phone_name(UA_PHONE_IDLE), "idle");
	assert_string_equal(ua_state_phone_name(UA_PHONE_DIALING), "dialing");
	assert_string_equal(ua_state_phone_name(UA_PHONE_RINGING), "ringing");
	assert_string_equal(ua_state_phone_name(UA_PHONE_EARLY), "early");
	assert_string_equal(ua_state_phone_name(UA_PHONE_IN_CALL), "in_call");
	assert_string_equal(ua_state_phone_name(UA_PHONE_ON_HOLD), "on_hold");

	assert_string_equal(ua_state_text_entry_name(UA_TEXT_ENTRY_NONE), "none");
	assert_string_equal(ua_state_text_entry_name(UA_TEXT_ENTRY_WEB), "web");
	assert_string_equal(ua_state_text_entry_name(UA_TEXT_ENTRY_OTHER),
			    "other");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_new_is_idle),
		cmocka_unit_test(test_free_null),
		T(test_add_set_remove),
		T(test_ids_monotonic),
		T(test_ids_order),
		T(test_full_table),
		T(test_ids_wrap),
		T(test_unknown_ids),
		T(test_invalid_enums),
		cmocka_unit_test(test_null_state),
		T(test_single_call),
		T(test_pairs),
		T(test_four_calls),
		T(test_flags),
		T(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
