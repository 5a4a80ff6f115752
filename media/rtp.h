/*
 * rtp.h - RTP packets (RFC 3550 §5.1) and telephone-events (RFC 4733).
 *
 * Pure functions over byte buffers: parse checks every length against the
 * buffer (CSRCs, header extension, padding) so a truncated or forged
 * packet is refused, never read past.
 */
#ifndef PN_MEDIA_RTP_H
#define PN_MEDIA_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEDIA_RTP_HDR 12

typedef struct media_rtp_hdr {
	bool marker;
	uint8_t pt;
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	const uint8_t *payload;    /* inside the parsed buffer */
	size_t plen;
} media_rtp_hdr_t;

/* A random 32-bit value for an SSRC, an initial sequence number or
 * timestamp (RFC 3550 section 5.1 wants them unpredictable), or an SDP
 * o= session id. */
uint32_t media_rtp_random(void);

/* 0 when BUF[0..LEN) is a well-formed RTP packet, -1 if not. */
int media_rtp_parse(const uint8_t *buf, size_t len, media_rtp_hdr_t *h);
/* Write the 12-byte header of H (no CSRC) at BUF. */
void media_rtp_write_hdr(uint8_t *buf, const media_rtp_hdr_t *h);

/* An RFC 4733 event payload (4 bytes). */
typedef struct media_rtp_event {
	uint8_t event;             /* 0-9, 10 = *, 11 = #, 12-15 = A-D */
	bool end;
	uint8_t volume;            /* 0..63, -dBm0 */
	uint16_t duration;         /* in timestamp units */
} media_rtp_event_t;

int media_rtp_event_parse(const uint8_t *p, size_t len, media_rtp_event_t *e);
void media_rtp_event_write(uint8_t *p, const media_rtp_event_t *e);
/* '0'..'9', '*', '#', 'A'..'D' <-> event code; -1 / 0 when not DTMF. */
int media_rtp_event_code(char digit);
char media_rtp_event_digit(int code);

#endif /* PN_MEDIA_RTP_H */
