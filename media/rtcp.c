/*
 * rtcp.c - receive statistics and RTCP SR/RR/SDES/BYE.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "media/clock.h"
#include "media/rtcp.h"

#define MAX_DROPOUT 3000
#define MAX_MISORDER 100
#define SEQ_MOD 65536u

#define PT_SR 200
#define PT_RR 201
#define PT_SDES 202
#define PT_BYE 203

struct media_rtcp {
	uint32_t ssrc;
	unsigned rate;              /* our stream's clock */
	unsigned recv_rate;         /* the received stream's clock */
	char cname[32];
	/* what we send, as SSRC; and as the SSRCs before it */
	uint64_t sent_packets, sent_bytes;
	uint64_t sent_before_packets, sent_before_bytes;
	uint32_t last_ts;
	uint64_t last_ts_us;        /* when the RTP clock stood at last_ts */
	bool sent_since_report;
	/* what we receive (RFC 3550 A.1, A.3, A.8) */
	bool have_src;
	uint32_t src;
	uint16_t max_seq;
	uint32_t cycles, base_seq, bad_seq;
	uint64_t received, expected_prior, received_prior;
	uint32_t transit;           /* arrival - timestamp, modulo 2^32 */
	double jitter;              /* timestamp units */
	bool have_transit;
	unsigned loss_pct;
	/* the peer's sender reports */
	uint32_t lsr;               /* middle 32 bits of its last SR */
	uint64_t lsr_at_us;         /* when it came */
	/* the peer's reports on us */
	bool have_remote;
	unsigned remote_loss_pct;
	int64_t remote_lost;
	double remote_jitter;
	int rtt_ms;
	uint64_t reports_sent, reports_received;
};

/* US microseconds in units of a RATE clock, without overflow. */
static uint64_t us_to_units(uint64_t us, unsigned rate)
{
	return us / 1000000 * rate + us % 1000000 * rate / 1000000;
}

/* The NTP timestamp (RFC 3550 §4) of now. */
static uint64_t ntp_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return ((uint64_t)t.tv_sec + 2208988800u) << 32 |
	       (uint64_t)(((double)t.tv_nsec / 1e9) * 4294967296.0);
}

media_rtcp_t *media_rtcp_new(uint32_t ssrc, unsigned rate)
{
	media_rtcp_t *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->ssrc = ssrc;
	r->rate = rate ? rate : 8000;
	r->recv_rate = r->rate;
	r->rtt_ms = -1;
	snprintf(r->cname, sizeof(r->cname), "pnphone-%08x", ssrc);
	return r;
}

void media_rtcp_free(media_rtcp_t *r)
{
	free(r);
}

void media_rtcp_set_rate(media_rtcp_t *r, unsigned rate)
{
	if (rate && (rate != r->rate || rate != r->recv_rate)) {
		r->rate = r->recv_rate = rate;
		r->have_transit = false;
		r->jitter = 0;
	}
}

void media_rtcp_set_recv_rate(media_rtcp_t *r, unsigned rate)
{
	if (rate && rate != r->recv_rate) {
		/* The estimate stays what it was in time, not in ticks. */
		r->jitter = r->jitter * rate / r->recv_rate;
		r->recv_rate = rate;
		r->have_transit = false;
	}
}

void media_rtcp_set_ssrc(media_rtcp_t *r, uint32_t ssrc)
{
	r->ssrc = ssrc;
	r->sent_before_packets += r->sent_packets;
	r->sent_before_bytes += r->sent_bytes;
	r->sent_packets = r->sent_bytes = 0;
	r->sent_since_report = false;
}

void media_rtcp_sent(media_rtcp_t *r, uint32_t ts, size_t bytes)
{
	r->sent_packets++;
	r->sent_bytes += bytes;
	r->last_ts = ts;
	r->last_ts_us = media_clock_now_us();
	r->sent_since_report = true;
}

static void init_seq(media_rtcp_t *r, uint16_t seq)
{
	r->base_seq = seq;
	r->max_seq = seq;
	r->bad_seq = SEQ_MOD + 1;
	r->cycles = 0;
	r->received = 0;
	r->expected_prior = r->received_prior = 0;
}

int media_rtcp_received(media_rtcp_t *r, uint32_t ssrc, uint16_t seq,
			uint32_t ts, uint64_t now_us, bool timed)
{
	uint16_t delta;
	uint32_t transit;

	if (!r->have_src || ssrc != r->src) {
		r->have_src = true;
		r->src = ssrc;
		init_seq(r, seq);
		r->have_transit = false;
	} else {
		delta = (uint16_t)(seq - r->max_seq);
		if (delta < MAX_DROPOUT) {
			if (seq < r->max_seq)
				r->cycles += SEQ_MOD;
			r->max_seq = seq;
		} else if (delta <= SEQ_MOD - MAX_MISORDER) {
			/* A wild jump: believe it only when the next packet
			 * follows on from it (the peer restarted). */
			if (seq == r->bad_seq) {
				init_seq(r, seq);
			} else {
				r->bad_seq = (seq + 1) & (SEQ_MOD - 1);
				return -1;
			}
		}
		/* else: a duplicate or reordered packet, counted below */
	}
	r->received++;
	if (!timed)
		return 0;

	/* modulo 2^32, as the timestamps: only differences count */
	transit = (uint32_t)us_to_units(now_us, r->recv_rate) - ts;
	if (r->have_transit) {
		int64_t d = (int32_t)(transit - r->transit);

		if (d < 0)
			d = -d;
		/* Only plausible steps: a timestamp jump is no jitter. */
		if (d < (int64_t)r->recv_rate)
			r->jitter += ((double)d - r->jitter) / 16.0;
	}
	r->transit = transit;
	r->have_transit = true;
	return 0;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t expected_of(const media_rtcp_t *r)
{
	return (uint64_t)r->cycles + r->max_seq - r->base_seq + 1;
}

/* The report block on the source we receive (24 bytes). */
static void report_block(media_rtcp_t *r, uint8_t *p)
{
	uint64_t expected = expected_of(r);
	int64_t lost = (int64_t)expected - (int64_t)r->received;
	uint64_t exp_int = expected - r->expected_prior;
	int64_t lost_int = (int64_t)exp_int -
			   (int64_t)(r->received - r->received_prior);
	unsigned fraction = 0;
	uint32_t dlsr = 0;

	r->expected_prior = expected;
	r->received_prior = r->received;
	if (exp_int > 0 && lost_int > 0)
		fraction = (unsigned)((lost_int << 8) / (int64_t)exp_int);
	if (fraction > 255)
		fraction = 255;
	r->loss_pct = fraction * 100 / 256;
	if (lost > 0x7fffff)
		lost = 0x7fffff;
	if (lost < -0x800000)
		lost = -0x800000;
	if (r->lsr)
		dlsr = (uint32_t)((media_clock_now_us() - r->lsr_at_us) *
				  65536 / 1000000);
	put32(p, r->src);
	put32(p + 4, (uint32_t)fraction << 24 | ((uint32_t)lost & 0xffffff));
	put32(p + 8, (uint32_t)((r->cycles & 0xffff0000u) | r->max_seq));
	put32(p + 12, (uint32_t)r->jitter);
	put32(p + 16, r->lsr);
	put32(p + 20, dlsr);
}

size_t media_rtcp_build(media_rtcp_t *r, uint8_t *buf, size_t cap, bool bye)
{
	size_t off = 0, clen = strlen(r->cname), sdes_len;
	unsigned rc = r->have_src && r->received ? 1 : 0;

	if (cap < 28 + 24 + 12 + clen + 4 + 8)
		return 0;
	if (r->sent_since_report) {
		uint64_t ntp = ntp_now();
		uint64_t age_us = media_clock_now_us() - r->last_ts_us;

		buf[0] = (uint8_t)(0x80 | rc);
		buf[1] = PT_SR;
		put16(buf + 2, (unsigned)(6 + 6 * rc));
		put32(buf + 4, r->ssrc);
		put32(buf + 8, (uint32_t)(ntp >> 32));
		put32(buf + 12, (uint32_t)ntp);
		put32(buf + 16, r->last_ts +
				 (uint32_t)us_to_units(age_us, r->rate));
		put32(buf + 20, (uint32_t)r->sent_packets);
		put32(buf + 24, (uint32_t)r->sent_bytes);
		off = 28;
	} else {
		buf[0] = (uint8_t)(0x80 | rc);
		buf[1] = PT_RR;
		put16(buf + 2, (unsigned)(1 + 6 * rc));
		put32(buf + 4, r->ssrc);
		off = 8;
	}
	if (rc) {
		report_block(r, buf + off);
		off += 24;
	}
	r->sent_since_report = false;

	/* SDES: one chunk, CNAME, end item, padded to 32 bits. */
	sdes_len = (4 + 2 + clen + 1 + 3) / 4 * 4;
	memset(buf + off, 0, 4 + sdes_len);
	buf[off] = 0x81;
	buf[off + 1] = PT_SDES;
	put16(buf + off + 2, (unsigned)(sdes_len / 4));
	put32(buf + off + 4, r->ssrc);
	buf[off + 8] = 1;
	buf[off + 9] = (uint8_t)clen;
	memcpy(buf + off + 10, r->cname, clen);
	off += 4 + sdes_len;

	if (bye) {
		buf[off] = 0x81;
		buf[off + 1] = PT_BYE;
		put16(buf + off + 2, 1);
		put32(buf + off + 4, r->ssrc);
		off += 8;
	}
	r->reports_sent++;
	return off;
}

static void read_block(media_rtcp_t *r, const uint8_t *p)
{
	uint32_t w = get32(p + 4), lsr = get32(p + 16), dlsr = get32(p + 20);
	int32_t lost = (int32_t)(w << 8) >> 8;     /* 24-bit signed */

	if (get32(p) != r->ssrc)
		return;
	r->have_remote = true;
	r->remote_loss_pct = (w >> 24) * 100 / 256;
	r->remote_lost = lost;
	r->remote_jitter = get32(p + 12);
	if (lsr) {
		uint32_t a = (uint32_t)(ntp_now() >> 16);
		int32_t rtt = (int32_t)(a - lsr - dlsr);

		if (rtt >= 0)
			r->rtt_ms = (int)((int64_t)rtt * 1000 / 65536);
	}
}

int media_rtcp_parse(media_rtcp_t *r, const uint8_t *buf, size_t len)
{
	size_t off = 0;
	int seen = 0;

	while (off + 4 <= len) {
		const uint8_t *p = buf + off;
		size_t plen = 4 * ((size_t)(p[2] << 8 | p[3]) + 1);
		unsigned rc = p[0] & 0x1f, i;
		size_t first;

		if ((p[0] >> 6) != 2 || off + plen > len)
			return -1;
		if (p[1] == PT_SR || p[1] == PT_RR) {
			first = p[1] == PT_SR ? 28 : 8;
			if (plen < first + 24 * rc)
				return -1;
			if (p[1] == PT_SR) {
				/* Middle 32 bits of its NTP time, echoed in
				 * our next report as LSR. */
				r->lsr = (uint32_t)(get32(p + 8) << 16 |
						    get32(p + 12) >> 16);
				r->lsr_at_us = media_clock_now_us();
			}
			for (i = 0; i < rc; i++)
				read_block(r, p + first + 24 * i);
			seen = 1;
		}
		off += plen;
	}
	if (!seen && off == 0)
		return -1;
	if (seen)
		r->reports_received++;
	return 0;
}

void media_rtcp_stats(const media_rtcp_t *r, media_rtcp_stats_t *st)
{
	memset(st, 0, sizeof(*st));
	st->sent_packets = r->sent_before_packets + r->sent_packets;
	st->sent_bytes = r->sent_before_bytes + r->sent_bytes;
	st->recv_packets = r->received;
	st->expected = r->have_src ? expected_of(r) : 0;
	st->lost = r->have_src ? (int64_t)st->expected - (int64_t)r->received
			       : 0;
	st->loss_pct = r->loss_pct;
	st->jitter_ms = r->jitter * 1000.0 / r->recv_rate;
	st->have_remote = r->have_remote;
	st->remote_loss_pct = r->remote_loss_pct;
	st->remote_lost = r->remote_lost;
	st->remote_jitter_ms = r->remote_jitter * 1000.0 / r->rate;
	st->rtt_ms = r->rtt_ms;
	st->reports_sent = r->reports_sent;
	st->reports_received = r->reports_received;
}
