/*
 * test_rtcp.c - media/rtcp.c against RFC 3550: the sender report's RTP
 * timestamp is the stream's clock carried forward to the report's NTP
 * time (6.4.1), also during a telephone-event; the report block's loss
 * (A.3: fraction per interval, cumulative, negative with duplicates),
 * extended highest sequence across a wrap (A.1), a wild jump dropped
 * until the next packet confirms it; the interarrival jitter (A.8) to a
 * fraction of a millisecond; LSR/DLSR echoed and the round trip read
 * back; a new SSRC restarts the sender counts; BYE; malformed compound
 * packets refused.  Times are bounded by the test's own clock readings,
 * never by how long a step is expected to take.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "media/clock.h"
#include "media/rtcp.h"

#define SSRC 0x11223344u
#define PEER 0xa1b2c3d4u

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void sleep_ms(unsigned ms)
{
	struct timespec t = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };

	nanosleep(&t, NULL);
}

static uint64_t ntp_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return ((uint64_t)t.tv_sec + 2208988800u) << 32 |
	       (uint64_t)(((double)t.tv_nsec / 1e9) * 4294967296.0);
}

/* The report block of a compound packet (SR or RR first), or NULL. */
static const uint8_t *block_of(const uint8_t *buf, size_t len)
{
	size_t first = buf[1] == 200 ? 28 : 8;

	if (len < first + 24 || (buf[0] & 0x1f) < 1)
		return NULL;
	return buf + first;
}

/* Build a report and check its block: FRACTION lost (of 256), LOST
 * cumulative (24 bits), HIGHEST extended sequence number received. */
static void check_block(media_rtcp_t *r, unsigned fraction, uint32_t lost,
			uint32_t highest)
{
	uint8_t buf[256];
	size_t n = media_rtcp_build(r, buf, sizeof(buf), false);
	const uint8_t *blk = block_of(buf, n);

	assert_non_null(blk);
	assert_int_equal(get32(blk), PEER);
	assert_int_equal(blk[4], fraction);
	assert_int_equal(get32(blk + 4) & 0xffffff, lost);
	assert_int_equal(get32(blk + 8), highest);
}

static void test_sr_timestamp_follows_the_clock(void **st)
{
	media_rtcp_t *r = media_rtcp_new(SSRC, 48000);
	uint8_t buf[256];
	uint64_t t0, t1, t2, t3;
	uint32_t ts;
	size_t n;

	(void)st;
	t0 = media_clock_now_us();
	media_rtcp_sent(r, 1000000, 80);
	t1 = media_clock_now_us();
	sleep_ms(30);
	t2 = media_clock_now_us();
	n = media_rtcp_build(r, buf, sizeof(buf), false);
	t3 = media_clock_now_us();
	assert_true(n >= 28);
	assert_int_equal(buf[1], 200);
	assert_int_equal(get32(buf + 4), SSRC);
	assert_int_equal(get32(buf + 20), 1);          /* packets */
	assert_int_equal(get32(buf + 24), 80);         /* octets */
	/* 48 units a millisecond since the packet: not the packet's ts */
	ts = get32(buf + 16);
	print_message("SR ts %u, %u after the packet's (%.1f ms)\n", ts,
		      ts - 1000000, (ts - 1000000) / 48.0);
	assert_in_range(ts - 1000000, (t2 - t1) * 48 / 1000,
			(t3 - t0) * 48 / 1000 + 1);
	/* nothing sent since: a receiver report */
	n = media_rtcp_build(r, buf, sizeof(buf), false);
	assert_int_equal(buf[1], 201);
	media_rtcp_free(r);
}

static void test_sr_ntp_is_now(void **st)
{
	media_rtcp_t *r = media_rtcp_new(SSRC, 8000);
	uint8_t buf[256];
	uint64_t a, b, ntp;

	(void)st;
	media_rtcp_sent(r, 5, 160);
	a = ntp_now();
	assert_true(media_rtcp_build(r, buf, sizeof(buf), false) > 0);
	b = ntp_now();
	ntp = (uint64_t)get32(buf + 8) << 32 | get32(buf + 12);
	assert_true(ntp >= a - 4295 && ntp <= b + 4295);  /* 1 us */
	media_rtcp_free(r);
}

/* RFC 3550 A.3: 100 expected, 10 lost; then an interval without loss. */
static void test_loss(void **st)
{
	media_rtcp_t *r = media_rtcp_new(SSRC, 8000);
	media_rtcp_stats_t s;
	uint64_t now = 1000000;
	uint16_t seq;

	(void)st;
	for (seq = 100; seq < 200; seq++) {
		now += 20000;
		if (seq % 10 == 3)
			continue;
		assert_int_equal(media_rtcp_received(r, PEER, seq, seq * 160u,
						     now, true), 0);
	}
	check_block(r, 10 * 256 / 100, 10, 199);
	media_rtcp_stats(r, &s);
	assert_int_equal(s.lost, 10);
	assert_int_equal(s.loss_pct, 9);                 /* 25/256 */

	for (seq = 200; seq < 250; seq++)
		media_rtcp_received(r, PEER, seq, seq * 160u, now += 20000,
				    true);
	check_block(r, 0, 10, 249);
	media_rtcp_free(r);
}

/* Duplicates make the cumulative loss negative (A.3), the fraction 0. */
static void test_duplicates(void **st)
{
	media_rtcp_t *r = media_rtcp_new(SSRC, 8000);
	uint16_t seq;

	(void)st;
	for (seq = 1; seq <= 10; seq++)
		media_rtcp_received(r, PEER, seq, seq * 160u, seq * 20000u,
				    true);
	media_rtcp_received(r, PEER, 5, 800, 300000, true);
	media_rtcp_received(r, PEER, 6, 960, 300000, true);
	check_block(r, 0, 0xfffffe, 10);                /* lost -2 */
	media_rtcp_free(r);
}

/* A.1: the sequence wraps into the cycle count; a wild jump is dropped
 * until the packet after it shows the peer restarted. */
static void test_sequence(void **st)
{
	media_rtcp_t *r = media_rtcp_new(SSRC, 8000);
	unsigned i;

	(void)st;
	for (i = 0; i < 16; i++)
		assert_int_equal(media_rtcp_received(r, PEER,
				 (uint16_t)(65530 + i), i * 160, i * 20000,
				 true), 0);
	check_block(r, 0, 0, 65536u + 9);

	assert_int_equal(media_rtcp_received(r, PEER, 40000, 0, 400000,
					     true), -1);
	assert_int_equal(media_rtcp_received(r, PEER, 30000, 0, 420000,
					     true), -1);
	/* 30001 follows the last jump: the peer restarted there */
	assert_int_equal(media_rtcp_received(r, PEER, 30001, 160, 440000,
					     true), 0);
	check_block(r, 0, 0, 30001);
	media_rtcp_free(r);
}

/* A.8 with arrivals alternating 0 and 2.5 ms late: |D| is 2.5 ms each
 * time, which J approaches.  Arrivals in whole ms could not show it. */
static void test_jitter(void **st)
{
	media_rtcp_t *r = media_rtcp_new(SSRC, 48000);
	media_rtcp_stats_t s;
	const uint8_t *blk;
	uint8_t buf[256];
	uint32_t ts0 = 0xfffff000u;      /* wraps on the way */
	unsigned i;
	size_t n;

	(void)st;
	for (i = 0; i < 200; i++)
		media_rtcp_received(r, PEER, (uint16_t)i, ts0 + i * 960,
				    5000000 + i * 20000 + (i % 2) * 2500,
				    true);
	media_rtcp_stats(r, &s);
	print_message("jitter %.3f ms\n", s.jitter_ms);
	assert_true(s.jitter_ms > 2.45 && s.jitter_ms < 2.55);
	n = media_rtcp_build(r, buf, sizeof(buf), false);
	blk = block_of(buf, n);
	assert_in_range(get32(blk + 12), 118, 122);       /* 120 units */

	/* a telephone-event repeats its start: not jitter */
	for (i = 200; i < 210; i++)
		media_rtcp_received(r, PEER, (uint16_t)i, ts0 + 200 * 960,
				    5000000 + i * 20000, false);
	media_rtcp_stats(r, &s);
	assert_true(s.jitter_ms > 2.45 && s.jitter_ms < 2.55);
	media_rtcp_free(r);
}

/* The peer's SR is echoed as LSR with the delay since as DLSR; the
 * peer's block on us, with our SR's LSR, gives the round trip. */
static void test_lsr_dlsr_rtt(void **st)
{
	media_rtcp_t *r = media_rtcp_new(SSRC, 8000);
	media_rtcp_stats_t s;
	uint8_t sr[28] = { 0x80, 200, 0, 6 }, rr[32] = { 0x81, 201, 0, 7 };
	uint8_t buf[256];
	const uint8_t *blk;
	uint64_t ntp, ours, a, b;
	uint32_t lsr, dlsr;
	size_t n;

	(void)st;
	media_rtcp_received(r, PEER, 1, 160, 1000, true);
	ntp = ntp_now();
	put32(sr + 4, PEER);
	put32(sr + 8, (uint32_t)(ntp >> 32));
	put32(sr + 12, (uint32_t)ntp);
	a = media_clock_now_us();
	assert_int_equal(media_rtcp_parse(r, sr, sizeof(sr)), 0);
	sleep_ms(20);
	media_rtcp_sent(r, 1, 10);
	n = media_rtcp_build(r, buf, sizeof(buf), false);
	b = media_clock_now_us();
	blk = block_of(buf, n);
	assert_non_null(blk);
	lsr = get32(blk + 16);
	dlsr = get32(blk + 20);
	assert_int_equal(lsr, (uint32_t)(ntp >> 16));
	/* DLSR in 1/65536 s */
	assert_in_range(dlsr, 20 * 65536 / 1000 - 1,
			(b - a) * 65536 / 1000000 + 1);

	/* the peer answers our SR after holding it 10 ms; we read it
	 * some 30 ms after we sent it */
	ours = (uint64_t)get32(buf + 8) << 32 | get32(buf + 12);
	a = ntp_now();
	sleep_ms(30);
	put32(rr + 4, PEER);
	put32(rr + 8, SSRC);
	put32(rr + 8 + 16, (uint32_t)(ours >> 16));
	put32(rr + 8 + 20, 655);                        /* 10 ms */
	assert_int_equal(media_rtcp_parse(r, rr, sizeof(rr)), 0);
	b = ntp_now();
	media_rtcp_stats(r, &s);
	print_message("rtt %d ms\n", s.rtt_ms);
	assert_true(s.have_remote);
	assert_in_range(s.rtt_ms, (int)(((a - ours) >> 16) * 1000 / 65536) + 30
			- 10 - 1, (int)(((b - ours) >> 16) * 1000 / 65536) - 10 + 1);
	media_rtcp_free(r);
}

/* RFC 3550 5.2: a new SSRC (a new clock rate) starts the sender counts
 * over; the call's totals go on; BYE names the SSRC. */
static void test_new_ssrc_and_bye(void **st)
{
	media_rtcp_t *r = media_rtcp_new(SSRC, 48000);
	media_rtcp_stats_t s;
	uint8_t buf[256];
	size_t n, off;

	(void)st;
	media_rtcp_sent(r, 1, 100);
	media_rtcp_sent(r, 961, 100);
	n = media_rtcp_build(r, buf, sizeof(buf), true);
	/* SR, SDES, then BYE with our SSRC */
	for (off = 0; off + 4 <= n && buf[off + 1] != 203;
	     off += 4 * ((size_t)(buf[off + 2] << 8 | buf[off + 3]) + 1))
		;
	assert_true(off + 8 <= n);
	assert_int_equal(get32(buf + off + 4), SSRC);

	media_rtcp_set_ssrc(r, 0x55667788u);
	media_rtcp_set_rate(r, 8000);
	media_rtcp_sent(r, 7, 40);
	n = media_rtcp_build(r, buf, sizeof(buf), false);
	assert_int_equal(buf[1], 200);
	assert_int_equal(get32(buf + 4), 0x55667788u);
	assert_int_equal(get32(buf + 20), 1);
	assert_int_equal(get32(buf + 24), 40);
	media_rtcp_stats(r, &s);
	assert_int_equal(s.sent_packets, 3);
	assert_int_equal(s.sent_bytes, 240);
	media_rtcp_free(r);
}

static void test_malformed(void **st)
{
	media_rtcp_t *r = media_rtcp_new(SSRC, 8000);
	uint8_t p[64] = { 0x80, 201, 0, 1 };
	media_rtcp_stats_t s;

	(void)st;
	put32(p + 4, PEER);
	assert_int_equal(media_rtcp_parse(r, p, 0), -1);
	assert_int_equal(media_rtcp_parse(r, p, 3), -1);
	assert_int_equal(media_rtcp_parse(r, p, 8), 0);     /* empty RR */
	p[0] = 0x40;                                        /* version 1 */
	assert_int_equal(media_rtcp_parse(r, p, 8), -1);
	p[0] = 0x80;
	p[3] = 9;                                           /* 40 bytes */
	assert_int_equal(media_rtcp_parse(r, p, 8), -1);
	p[0] = 0x82;                                        /* 2 blocks */
	p[3] = 6;                                           /* room for 1 */
	assert_int_equal(media_rtcp_parse(r, p, 28), -1);
	/* a valid RR followed by a truncated packet */
	p[0] = 0x80;
	p[3] = 1;
	p[8] = 0x81;
	p[9] = 202;
	p[11] = 5;
	assert_int_equal(media_rtcp_parse(r, p, 16), -1);
	media_rtcp_stats(r, &s);
	assert_false(s.have_remote);
	media_rtcp_free(r);
}

static void test_small_buffer(void **st)
{
	media_rtcp_t *r = media_rtcp_new(SSRC, 8000);
	uint8_t buf[40];

	(void)st;
	media_rtcp_sent(r, 1, 1);
	assert_int_equal(media_rtcp_build(r, buf, sizeof(buf), true), 0);
	media_rtcp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sr_timestamp_follows_the_clock),
		cmocka_unit_test(test_sr_ntp_is_now),
		cmocka_unit_test(test_loss),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_sequence),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_lsr_dlsr_rtt),
		cmocka_unit_test(test_new_ssrc_and_bye),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_small_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
