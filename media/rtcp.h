/*
 * rtcp.h - RTP statistics and RTCP reports (RFC 3550 §6, appendix A).
 *
 * One object per stream keeps what both ends report on: the packets we
 * sent, and for the packets we receive the sequence validation of
 * appendix A.1 (wrap, restart after a wild jump), the loss of A.3 and the
 * interarrival jitter of A.8.  It builds compound packets (SR when we have
 * sent since the last report, else RR, then SDES CNAME, optionally BYE)
 * and reads the peer's, from which it takes the loss and jitter the peer
 * sees and the round-trip time (LSR/DLSR).
 */
#ifndef PN_MEDIA_RTCP_H
#define PN_MEDIA_RTCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct media_rtcp media_rtcp_t;

media_rtcp_t *media_rtcp_new(uint32_t ssrc, unsigned rate);
void media_rtcp_free(media_rtcp_t *r);
/* New clock rate (codec change); receive statistics start over. */
void media_rtcp_set_rate(media_rtcp_t *r, unsigned rate);
/* The stream we receive changed clock rate (the peer switched codec) while
 * ours keeps its own: the interarrival jitter goes on in the new units,
 * measured afresh from the next packet (timestamps at two rates are no
 * jitter), and the peer's reports on our stream are read as before. */
void media_rtcp_set_recv_rate(media_rtcp_t *r, unsigned rate);

/* We send as SSRC from now on: a new clock rate wants a new SSRC (RFC
 * 3550 section 5.2, RFC 7160).  The sender report's counts start over;
 * the CNAME, which ties our SSRCs together, what we receive, and the
 * totals of media_rtcp_stats go on. */
void media_rtcp_set_ssrc(media_rtcp_t *r, uint32_t ssrc);

/* A packet we sent now: payload bytes, and TS, where the stream's RTP
 * clock stands (a telephone-event packet's own timestamp is its event's
 * start).  The sender report's RTP timestamp is TS carried forward to
 * the report's NTP time (RFC 3550 section 6.4.1), not the last packet's. */
void media_rtcp_sent(media_rtcp_t *r, uint32_t ts, size_t bytes);
/*
 * A packet received at NOW_US (monotonic microseconds): updates the
 * statistics and says whether its sequence number is acceptable (0) or a
 * wild jump to drop (-1; two consecutive packets after the jump make the
 * source start over).  The interarrival jitter is computed in timestamp
 * units (appendix A.8) from the microseconds: arrival times in whole
 * milliseconds would read as a jitter of a third of one on a perfect
 * network.  TIMED: its timestamp is the sampling instant of its audio, so it
 * counts toward the interarrival jitter.  A telephone-event packet is
 * not: every packet of an event repeats the event's start (RFC 4733),
 * and would read as jitter of the event's length.
 */
int media_rtcp_received(media_rtcp_t *r, uint32_t ssrc, uint16_t seq,
			uint32_t ts, uint64_t now_us, bool timed);

/* A compound report into BUF; its length, or 0 when CAP is too small. */
size_t media_rtcp_build(media_rtcp_t *r, uint8_t *buf, size_t cap, bool bye);
/* Read a compound packet from the peer; -1 when it is malformed. */
int media_rtcp_parse(media_rtcp_t *r, const uint8_t *buf, size_t len);

typedef struct media_rtcp_stats {
	uint64_t sent_packets, sent_bytes;
	uint64_t recv_packets, expected;
	int64_t lost;               /* cumulative, as we see it */
	unsigned loss_pct;          /* last report interval, as we see it */
	double jitter_ms;           /* A.8 estimate of what we receive */
	bool have_remote;           /* the peer reported on our stream */
	unsigned remote_loss_pct;   /* the peer's view of our stream */
	int64_t remote_lost;
	double remote_jitter_ms;
	int rtt_ms;                 /* -1 until known */
	uint64_t reports_sent, reports_received;
} media_rtcp_stats_t;

void media_rtcp_stats(const media_rtcp_t *r, media_rtcp_stats_t *st);

#endif /* PN_MEDIA_RTCP_H */
