/*
 * test_jbuf.c - the jitter buffer against synthetic packet traces.
 *
 * A trace is a list of packets (arrival time, seq, timestamp, SSRC) made
 * by a seeded generator; sim() plays it like media/stream.c does: every
 * 20 ms it hands the buffer what has arrived, then pulls one frame of
 * audio.  The checks look at what was played, concealed and dropped, and
 * at the delay the buffer chose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "media/jbuf.h"

#define RATE 8000
#define FRAME 160                 /* 20 ms */
#define MAXP 5000

struct pkt {
	double at_ms;
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
};

struct trace {
	struct pkt p[MAXP];
	size_t n;
};

struct result {
	size_t played, lost, stretched, waited;
	uint32_t last_ts;
	int out_of_order;             /* played ts went backwards */
	unsigned max_target, min_target_late;
	int max_delay;
	media_jbuf_stats_t st;
};

/* A tiny deterministic generator (the trace must not change with libc). */
static uint32_t rng_state;
static double rnd(void)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return (double)(rng_state >> 8) / 16777216.0;
}

static int by_arrival(const void *a, const void *b)
{
	const struct pkt *x = a, *y = b;

	return x->at_ms < y->at_ms ? -1 : x->at_ms > y->at_ms;
}

/* N packets from START_MS, one per PERIOD_MS of sender time, each delayed
 * by BASE + uniform(0, JITTER) ms; LOSS: probability of dropping. */
static void gen(struct trace *t, size_t n, double start_ms, double period_ms,
		double base, double jitter, double loss, uint32_t ssrc,
		uint16_t seq0, uint32_t ts0)
{
	size_t i;

	for (i = 0; i < n && t->n < MAXP; i++) {
		if (loss > 0 && rnd() < loss)
			continue;
		t->p[t->n].at_ms = start_ms + i * period_ms + base +
				   jitter * rnd();
		t->p[t->n].seq = (uint16_t)(seq0 + i);
		t->p[t->n].ts = ts0 + (uint32_t)(i * FRAME);
		t->p[t->n].ssrc = ssrc;
		t->n++;
	}
}

/* Where the playout clock ticks relative to the trace's time 0: the
 * phase between the sender's packet clock and ours is arbitrary. */
static double tick_phase_ms;

static void sort_trace(struct trace *t)
{
	qsort(t->p, t->n, sizeof(t->p[0]), by_arrival);
}

/* Play the trace for DURATION_MS; R gets what happened.  From
 * LATE_FROM_MS on, the smallest target seen is recorded too. */
static void sim(const struct trace *t, double duration_ms, unsigned min_ms,
		unsigned max_ms, double late_from_ms, struct result *r)
{
	media_jbuf_t *jb = media_jbuf_new(RATE, FRAME, min_ms, max_ms);
	uint8_t payload[FRAME];
	size_t next = 0;
	double now;
	bool have_last = false;

	assert_non_null(jb);
	memset(r, 0, sizeof(*r));
	r->min_target_late = 100000;
	memset(payload, 0x55, sizeof(payload));
	for (now = tick_phase_ms; now < duration_ms; now += 20) {
		media_jb_pkt_t pkt;
		media_jbuf_stats_t st;
		size_t have = 0;

		while (next < t->n && t->p[next].at_ms <= now) {
			media_jbuf_put(jb, t->p[next].ssrc, t->p[next].seq,
				       t->p[next].ts, 0, payload, FRAME, FRAME,
				       (uint64_t)t->p[next].at_ms);
			next++;
		}
		while (have < FRAME) {
			switch (media_jbuf_get(jb, (uint64_t)now, &pkt)) {
			case MEDIA_JB_PACKET:
				if (have_last &&
				    (int32_t)(pkt.ts - r->last_ts) <= 0)
					r->out_of_order++;
				r->last_ts = pkt.ts;
				have_last = true;
				r->played++;
				break;
			case MEDIA_JB_LOST:
				/* not the tail after the trace ends */
				media_jbuf_stats(jb, &st);
				if (next < t->n || st.level > 0)
					r->lost++;
				break;
			case MEDIA_JB_STRETCH:
				r->stretched++;
				break;
			case MEDIA_JB_WAIT:
				r->waited++;
				break;
			}
			have += pkt.dur;
		}
		media_jbuf_stats(jb, &st);
		if (st.target_ms > r->max_target)
			r->max_target = st.target_ms;
		if (now >= late_from_ms && st.target_ms < r->min_target_late)
			r->min_target_late = st.target_ms;
		if (now >= late_from_ms && st.delay_ms > r->max_delay)
			r->max_delay = st.delay_ms;
	}
	media_jbuf_stats(jb, &r->st);
	media_jbuf_free(jb);
}

static struct trace tr;

static void test_clean(void **state)
{
	struct result r;

	(void)state;
	tr.n = 0;
	rng_state = 1;
	gen(&tr, 250, 0, 20, 5, 0, 0, 0x1234, 100, 1000);
	sort_trace(&tr);
	sim(&tr, 5200, 40, 300, 1000, &r);
	assert_int_equal(r.played, 250);
	assert_int_equal(r.lost, 0);
	assert_int_equal(r.out_of_order, 0);
	assert_int_equal(r.st.late, 0);
	/* no jitter: the delay stays near the minimum */
	assert_true(r.max_target <= 50);
	assert_true(r.max_delay <= 70);
}

static void test_reorder(void **state)
{
	struct result r;
	size_t i;

	(void)state;
	tr.n = 0;
	rng_state = 2;
	gen(&tr, 250, 0, 20, 5, 0, 0, 0x1234, 100, 1000);
	/* every 5th pair swapped: arrives 30 ms late, after its successor */
	for (i = 10; i + 1 < tr.n; i += 10)
		tr.p[i].at_ms += 30;
	sort_trace(&tr);
	sim(&tr, 5400, 40, 300, 1000, &r);
	assert_int_equal(r.played, 250);
	assert_int_equal(r.out_of_order, 0);
	assert_int_equal(r.st.late, 0);
	assert_int_equal(r.lost, 0);
}

static void test_burst_loss(void **state)
{
	struct result r;
	size_t i, j = 0;

	(void)state;
	tr.n = 0;
	rng_state = 3;
	gen(&tr, 250, 0, 20, 5, 0, 0, 0x1234, 65530, 4294967000u);
	/* drop packets 100..107: an 8-packet burst (and wrap seq and ts) */
	for (i = 0; i < tr.n; i++)
		if (i < 100 || i > 107)
			tr.p[j++] = tr.p[i];
	tr.n = j;
	sim(&tr, 5400, 40, 300, 1000, &r);
	assert_int_equal(r.played, 242);
	assert_int_equal(r.lost, 8);
	assert_int_equal(r.out_of_order, 0);
	assert_int_equal(r.st.resyncs, 0);
}

static void test_jitter_steps(void **state)
{
	struct result calm, rough, after;

	(void)state;
	/* 0 -> 60 ms of jitter: the target grows to cover it */
	tr.n = 0;
	rng_state = 4;
	gen(&tr, 200, 0, 20, 5, 0, 0, 7, 0, 0);
	gen(&tr, 400, 4000, 20, 5, 60, 0, 7, 200, 200 * FRAME);
	sort_trace(&tr);
	sim(&tr, 12000, 40, 300, 7000, &rough);
	assert_true(rough.min_target_late >= 60);
	/* once adapted, almost nothing is late (< 2 %) */
	assert_true(rough.st.late * 50 < 600);
	assert_int_equal(rough.out_of_order, 0);

	/* 60 ms -> 0: it shrinks back, by skipping */
	tr.n = 0;
	rng_state = 5;
	gen(&tr, 200, 0, 20, 5, 60, 0, 7, 0, 0);
	gen(&tr, 400, 4000, 20, 5, 0, 0, 7, 200, 200 * FRAME);
	sort_trace(&tr);
	sim(&tr, 12000, 40, 300, 9000, &after);
	assert_true(after.max_target >= 60);
	assert_true(after.min_target_late <= 50);
	assert_true(after.max_delay <= 80);
	assert_true(after.st.skipped > 0);

	/* the minimum holds without jitter */
	tr.n = 0;
	gen(&tr, 300, 0, 20, 5, 0, 0, 7, 0, 0);
	sim(&tr, 6000, 100, 300, 3000, &calm);
	assert_true(calm.min_target_late >= 100);
}

static void test_clock_drift(void **state)
{
	struct result fast, slow;

	(void)state;
	/* sender 1 % fast: 1500 packets in 29.7 s; the delay stays bounded
	 * because the buffer skips */
	tr.n = 0;
	rng_state = 6;
	gen(&tr, 1500, 0, 19.8, 5, 10, 0, 9, 0, 0);
	sort_trace(&tr);
	sim(&tr, 30000, 40, 300, 10000, &fast);
	assert_true(fast.st.skipped >= 10);
	assert_true(fast.max_delay <= 120);
	assert_int_equal(fast.out_of_order, 0);

	/* sender 1 % slow: the buffer stretches instead of running dry */
	tr.n = 0;
	rng_state = 7;
	gen(&tr, 1450, 0, 20.2, 5, 10, 0, 9, 0, 0);
	sort_trace(&tr);
	sim(&tr, 29500, 40, 300, 10000, &slow);
	assert_true(slow.stretched >= 10);
	assert_true(slow.lost < 15);
	assert_true(slow.played >= 1430);
}

static void test_ssrc_change(void **state)
{
	struct result r;

	(void)state;
	tr.n = 0;
	rng_state = 8;
	gen(&tr, 100, 0, 20, 5, 0, 0, 0xaaaa, 10, 50000);
	/* the peer restarts: new SSRC, sequence and timestamp */
	gen(&tr, 100, 2000, 20, 5, 0, 0, 0xbbbb, 40000, 900000000u);
	sort_trace(&tr);
	sim(&tr, 4400, 40, 300, 1000, &r);
	assert_int_equal(r.st.resyncs, 1);
	/* at most the old stream's tail is lost at the switch */
	assert_true(r.played >= 196);
	assert_true(r.lost <= 4);
}

/*
 * What baresip 1.0.0 sends from its aufile source, as pnphone received it
 * in a run of tests/media/baresip_audio.sh that failed (PCMU over
 * 127.0.0.1): the arrival times in ms of 252 consecutive packets of
 * 20 ms.  baresip's sender thread sleeps 4 ms at a time and sends a
 * packet once it is due, so packets come 16 to 24 ms apart and their
 * transit spreads over about 5 ms; there is no loss and no drift.  Our
 * clock ticked 16 ms after the first arrival.  The buffer used to start
 * with its delay at the top of its band (target + 20 ms) and skip a
 * packet, 20 ms of audio, the first time a packet came 1 ms faster than
 * any before it; at other phases it did not.  Nothing here calls for
 * any adaptation, at any phase.
 */
static const uint16_t baresip_arrivals[] = {
	0, 16, 37, 58, 78, 99, 119, 136, 156, 176, 196, 217,
	237, 258, 278, 299, 319, 339, 357, 377, 397, 418, 438, 458,
	479, 496, 517, 538, 558, 578, 599, 619, 636, 656, 677, 697,
	718, 740, 760, 776, 796, 816, 837, 858, 878, 898, 916, 937,
	958, 979, 996, 1016, 1037, 1057, 1078, 1098, 1118, 1139, 1157, 1177,
	1196, 1216, 1236, 1257, 1278, 1298, 1319, 1336, 1356, 1377, 1398, 1418,
	1439, 1459, 1476, 1496, 1517, 1537, 1558, 1579, 1596, 1617, 1637, 1658,
	1678, 1699, 1716, 1736, 1757, 1777, 1799, 1819, 1837, 1857, 1880, 1896,
	1916, 1937, 1957, 1977, 1997, 2018, 2038, 2059, 2079, 2096, 2119, 2139,
	2157, 2177, 2197, 2218, 2238, 2259, 2276, 2297, 2318, 2338, 2359, 2379,
	2397, 2417, 2438, 2458, 2478, 2499, 2519, 2536, 2556, 2580, 2596, 2617,
	2638, 2659, 2679, 2696, 2716, 2736, 2756, 2777, 2797, 2817, 2838, 2858,
	2879, 2899, 2916, 2936, 2956, 2977, 2997, 3018, 3038, 3059, 3079, 3099,
	3116, 3136, 3157, 3177, 3198, 3218, 3238, 3259, 3279, 3296, 3316, 3336,
	3357, 3377, 3398, 3418, 3438, 3459, 3476, 3497, 3518, 3539, 3556, 3576,
	3597, 3617, 3638, 3658, 3679, 3700, 3716, 3736, 3756, 3777, 3797, 3818,
	3839, 3859, 3875, 3896, 3916, 3937, 3957, 3978, 3998, 4019, 4040, 4056,
	4077, 4098, 4119, 4143, 4155, 4176, 4196, 4217, 4237, 4258, 4278, 4299,
	4319, 4335, 4356, 4376, 4397, 4417, 4438, 4458, 4479, 4499, 4516, 4536,
	4556, 4577, 4597, 4618, 4638, 4656, 4676, 4697, 4717, 4738, 4758, 4779,
	4799, 4816, 4836, 4856, 4877, 4897, 4918, 4938, 4959, 4979, 4996, 5016
};

static void test_baresip_trace(void **state)
{
	size_t n = sizeof(baresip_arrivals) / sizeof(baresip_arrivals[0]), i;
	int phase;
	struct result r;

	(void)state;
	tr.n = 0;
	for (i = 0; i < n; i++) {
		tr.p[i].at_ms = baresip_arrivals[i];
		tr.p[i].seq = (uint16_t)(19003 + i);
		tr.p[i].ts = 13380 + (uint32_t)(i * FRAME);
		tr.p[i].ssrc = 172637939;
		tr.n++;
	}
	/* the phase of the failed run first, then every other one */
	for (phase = 16; phase < 16 + 20; phase++) {
		tick_phase_ms = phase % 20;
		sim(&tr, 5400, 40, 300, 1000, &r);
		print_message("phase %2d ms: played %zu lost %zu stretched %zu "
			      "skipped %llu late %llu\n", phase % 20, r.played,
			      r.lost, r.stretched,
			      (unsigned long long)r.st.skipped,
			      (unsigned long long)r.st.late);
		assert_int_equal(r.st.skipped, 0);
		assert_int_equal(r.stretched, 0);
		assert_int_equal(r.lost, 0);
		assert_int_equal(r.st.late, 0);
		assert_int_equal(r.played, n);
		assert_int_equal(r.out_of_order, 0);
	}
	tick_phase_ms = 0;
}

/*
 * The same kind of sender, synthetic and longer: a thread that wakes
 * every 4 ms (plus up to 1.5 ms of scheduling slack) and sends one packet
 * per wake-up once it is due, 60 s at every phase of our clock.  A
 * steady stream must play out without a single adaptation.
 */
static void test_polling_sender(void **state)
{
	struct result r;
	int phase, seed;

	(void)state;
	for (seed = 1; seed <= 3; seed++) {
		for (phase = 0; phase < 20; phase++) {
			double t = 10 * seed;
			size_t i = 0;

			tr.n = 0;
			rng_state = (uint32_t)(100 * seed + phase);
			while (i < 3000 && tr.n < MAXP) {
				t += 4 + 1.5 * rnd();
				if (t < 20.0 * i)
					continue;
				tr.p[tr.n].at_ms = t + 0.2;
				tr.p[tr.n].seq = (uint16_t)i;
				tr.p[tr.n].ts = (uint32_t)(i * FRAME);
				tr.p[tr.n].ssrc = 5;
				tr.n++;
				i++;
			}
			tick_phase_ms = phase;
			sim(&tr, 60400, 40, 300, 1000, &r);
			if (r.st.skipped || r.stretched || r.lost || r.st.late)
				print_message("seed %d phase %2d ms: lost %zu "
					      "stretched %zu skipped %llu late "
					      "%llu\n", seed, phase, r.lost,
					      r.stretched,
					      (unsigned long long)r.st.skipped,
					      (unsigned long long)r.st.late);
			assert_int_equal(r.st.skipped, 0);
			assert_int_equal(r.stretched, 0);
			assert_int_equal(r.lost, 0);
			assert_int_equal(r.st.late, 0);
			assert_int_equal(r.played, 3000);
		}
	}
	tick_phase_ms = 0;
}

/*
 * A backlog at the start: the loop was busy (valgrind, a loaded machine)
 * while the peer's first 400 ms arrived, so they are all there, with
 * their true arrival times, when the first tick comes.  Playing them all
 * would start 400 ms late and cost a skipped frame every half second
 * for ten seconds; the old ones go at once instead.
 */
static void test_start_backlog(void **state)
{
	struct result r;

	(void)state;
	tr.n = 0;
	rng_state = 11;
	gen(&tr, 500, 0, 20, 1, 3, 0, 0x77, 0, 0);
	sort_trace(&tr);
	tick_phase_ms = 410;
	sim(&tr, 10600, 40, 300, 1000, &r);
	tick_phase_ms = 0;
	assert_true(r.st.skipped >= 15);
	assert_true(r.max_delay <= 60);
	assert_int_equal(r.played + r.st.skipped, 500);
	assert_int_equal(r.lost, 0);
	assert_int_equal(r.stretched, 0);
}

static void test_wild_jump(void **state)
{
	media_jbuf_t *jb = media_jbuf_new(RATE, FRAME, 40, 300);
	uint8_t p[FRAME] = { 0 };
	media_jb_pkt_t pkt;
	uint32_t ts = 1000;
	int i;

	(void)state;
	for (i = 0; i < 10; i++)
		assert_int_equal(media_jbuf_put(jb, 1, (uint16_t)i, ts + i * FRAME, 0, p,
						FRAME, FRAME, 20 * i),
				 MEDIA_JB_OK);
	/* one forged packet 1 hour ahead: dropped, the stream goes on */
	assert_int_equal(media_jbuf_put(jb, 1, 10, ts + 3600u * RATE, 0, p,
					FRAME, FRAME, 200), MEDIA_JB_JUMP);
	assert_int_equal(media_jbuf_put(jb, 1, 11, ts + 10 * FRAME, 0, p,
					FRAME, FRAME, 200), MEDIA_JB_OK);
	/* a duplicate */
	assert_int_equal(media_jbuf_put(jb, 1, 11, ts + 10 * FRAME, 0, p,
					FRAME, FRAME, 200), MEDIA_JB_DUP);
	/* too big for a slot */
	{
		static uint8_t big[4000];

		assert_int_equal(media_jbuf_put(jb, 1, 12, ts + 11 * FRAME, 0,
						big, sizeof(big), FRAME, 210),
				 MEDIA_JB_TOOBIG);
	}
	/* three in a row from far away: the peer really jumped */
	for (i = 0; i < 3; i++)
		media_jbuf_put(jb, 1, (uint16_t)(20 + i),
			       ts + 3600u * RATE + i * FRAME, 0, p, FRAME,
			       FRAME, 220 + 20 * i);
	assert_int_equal(media_jbuf_get(jb, 400, &pkt), MEDIA_JB_PACKET);
	assert_int_equal(pkt.ts, ts + 3600u * RATE + 2 * FRAME);
	media_jbuf_free(jb);
}

/* A sender whose timestamps leap while its packets keep coming every
 * 20 ms: 1 s forward (a media server switching streams), then 0.8 s back.
 * Both leaps are under the wild-jump test's 1.6 s: the forward one used
 * to hold the audio back that long, the backward one to drop every
 * packet as late.  Now three packets in a row beyond any jitter start
 * the buffer over. */
static void test_ts_leap(void **state)
{
	struct result r;
	uint32_t ts1 = 1000 + 100 * FRAME + RATE;              /* +1 s */
	uint32_t ts2 = ts1 + 100 * FRAME - RATE * 8 / 10;      /* -0.8 s */

	(void)state;
	tr.n = 0;
	rng_state = 7;
	gen(&tr, 100, 0, 20, 5, 10, 0, 0x77, 100, 1000);
	gen(&tr, 100, 2000, 20, 5, 10, 0, 0x77, 200, ts1);
	gen(&tr, 150, 4000, 20, 5, 10, 0, 0x77, 300, ts2);
	sort_trace(&tr);
	sim(&tr, 7200, 40, 300, 0, &r);
	print_message("ts leap: played %zu lost %zu max delay %d ms, "
		      "resyncs %u, late %u\n", r.played, r.lost, r.max_delay,
		      (unsigned)r.st.resyncs, (unsigned)r.st.late);
	assert_int_equal(r.st.resyncs, 2);
	assert_true(r.played >= 340);
	assert_true(r.max_delay <= 150);
}

static void test_bad_args(void **state)
{
	(void)state;
	assert_null(media_jbuf_new(RATE, 0, 40, 300));
	assert_null(media_jbuf_new(RATE, FRAME, 300, 40));
	assert_null(media_jbuf_new(10, FRAME, 40, 300));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_reorder),
		cmocka_unit_test(test_burst_loss),
		cmocka_unit_test(test_jitter_steps),
		cmocka_unit_test(test_clock_drift),
		cmocka_unit_test(test_ssrc_change),
		cmocka_unit_test(test_baresip_trace),
		cmocka_unit_test(test_polling_sender),
		cmocka_unit_test(test_start_backlog),
		cmocka_unit_test(test_wild_jump),
		cmocka_unit_test(test_ts_leap),
		cmocka_unit_test(test_bad_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
