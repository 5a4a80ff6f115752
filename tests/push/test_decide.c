/*
 * test_decide.c - the decision table, exhaustively: every push type and
 * mode against every combination of the phone's flags (3 x 2 x 3 x 2^5 =
 * 576 cases), each compared with the rules of the Avaya guide written
 * out here a second time, independently of push/decide.c's table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "push/decide.h"

/* The guide's rules, as prose turned into code (A46-p30/39/47, A96). */
static int oracle(push_type_t t, push_mode_t m, const push_phone_flags_t *f)
{
	bool barge = m == PUSH_MODE_BARGE;

	switch (t) {
	case PUSH_TYPE_DISPLAY:
		if (f->local_procedure)
			return 205;
		if (barge)
			return 200;
		if (f->text_entry == PUSH_TEXT_WEB)
			return 205;
		if (f->text_entry == PUSH_TEXT_OTHER)
			return 204;
		return 200;
	case PUSH_TYPE_TOPLINE:
		if (f->local_procedure)
			return 205;
		if (barge)
			return 200;
		if (f->text_entry != PUSH_TEXT_NONE || f->alerting ||
		    f->soft_hold)
			return 205;
		return 200;
	case PUSH_TYPE_AUDIO:
		if (f->local_procedure)
			return 208;
		if (barge)
			return 200;
		if (f->alerting || f->call_active || f->audio_playing)
			return 208;
		return 200;
	case PUSH_TYPE_SUBSCRIBE:
		break;
	}
	return -1;
}

static void test_exhaustive(void **st)
{
	unsigned n = 0;

	(void)st;
	for (int t = PUSH_TYPE_DISPLAY; t <= PUSH_TYPE_AUDIO; t++)
	for (int m = PUSH_MODE_NORMAL; m <= PUSH_MODE_BARGE; m++)
	for (int te = PUSH_TEXT_NONE; te <= PUSH_TEXT_OTHER; te++)
	for (unsigned bits = 0; bits < 32; bits++) {
		push_phone_flags_t f = {
			.text_entry = (push_text_entry_t)te,
			.alerting = bits & 1,
			.call_active = bits & 2,
			.soft_hold = bits & 4,
			.local_procedure = bits & 8,
			.audio_playing = bits & 16,
		};
		const char *why = NULL;
		int got = push_decide((push_type_t)t, (push_mode_t)m, &f, &why);
		int want = oracle((push_type_t)t, (push_mode_t)m, &f);

		if (got != want)
			fail_msg("%s %s text_entry=%d alerting=%d active=%d "
				 "soft_hold=%d local=%d audio=%d: got %d, "
				 "want %d", push_type_name((push_type_t)t),
				 push_mode_name((push_mode_t)m), te,
				 f.alerting, f.call_active, f.soft_hold,
				 f.local_procedure, f.audio_playing, got,
				 want);
		assert_non_null(why);
		n++;
	}
	assert_int_equal(n, 576);
}

/* A few rows spelled out, so a reader sees the table at work. */
static void test_examples(void **st)
{
	push_phone_flags_t idle = { 0 }, f;

	(void)st;
	assert_int_equal(push_decide(PUSH_TYPE_TOPLINE, PUSH_MODE_NORMAL,
				     &idle, NULL), 200);
	f = idle;
	f.text_entry = PUSH_TEXT_OTHER;
	assert_int_equal(push_decide(PUSH_TYPE_DISPLAY, PUSH_MODE_NORMAL,
				     &f, NULL), 204);
	f = idle;
	f.call_active = true;
	assert_int_equal(push_decide(PUSH_TYPE_AUDIO, PUSH_MODE_NORMAL,
				     &f, NULL), 208);
	assert_int_equal(push_decide(PUSH_TYPE_AUDIO, PUSH_MODE_BARGE,
				     &f, NULL), 200);
	f = idle;
	f.local_procedure = true;
	assert_int_equal(push_decide(PUSH_TYPE_AUDIO, PUSH_MODE_BARGE,
				     &f, NULL), 208);
	assert_int_equal(push_decide(PUSH_TYPE_DISPLAY, PUSH_MODE_BARGE,
				     &f, NULL), 205);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exhaustive),
		cmocka_unit_test(test_examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
