/*
 * rtp.c - RTP header and RFC 4733 event payload encoding.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "media/rtp.h"

uint32_t media_rtp_random(void)
{
	uint32_t v;

	/* Without the kernel's entropy (early boot, old kernel), random()
	 * stirred with the clock still differs between calls and phones. */
	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v)) {
		struct timespec t;

		clock_gettime(CLOCK_MONOTONIC, &t);
		v = (uint32_t)random() ^ (uint32_t)t.tv_nsec ^
		    (uint32_t)t.tv_sec;
	}
	return v;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

int media_rtp_parse(const uint8_t *buf, size_t len, media_rtp_hdr_t *h)
{
	size_t off;

	if (len < MEDIA_RTP_HDR || (buf[0] >> 6) != 2)
		return -1;
	off = MEDIA_RTP_HDR + 4u * (buf[0] & 0x0f);
	if (off > len)
		return -1;
	if (buf[0] & 0x10) {            /* header extension */
		if (off + 4 > len)
			return -1;
		off += 4 + 4u * be16(buf + off + 2);
		if (off > len)
			return -1;
	}
	if (buf[0] & 0x20) {            /* padding: count in the last byte */
		uint8_t pad = buf[len - 1];

		if (pad == 0 || off + pad > len)
			return -1;
		len -= pad;
	}
	h->marker = buf[1] & 0x80;
	h->pt = buf[1] & 0x7f;
	h->seq = be16(buf + 2);
	h->ts = be32(buf + 4);
	h->ssrc = be32(buf + 8);
	h->payload = buf + off;
	h->plen = len - off;
	return 0;
}

void media_rtp_write_hdr(uint8_t *buf, const media_rtp_hdr_t *h)
{
	buf[0] = 0x80;
	buf[1] = (uint8_t)((h->marker ? 0x80 : 0) | (h->pt & 0x7f));
	buf[2] = (uint8_t)(h->seq >> 8);
	buf[3] = (uint8_t)h->seq;
	buf[4] = (uint8_t)(h->ts >> 24);
	buf[5] = (uint8_t)(h->ts >> 16);
	buf[6] = (uint8_t)(h->ts >> 8);
	buf[7] = (uint8_t)h->ts;
	buf[8] = (uint8_t)(h->ssrc >> 24);
	buf[9] = (uint8_t)(h->ssrc >> 16);
	buf[10] = (uint8_t)(h->ssrc >> 8);
	buf[11] = (uint8_t)h->ssrc;
}

int media_rtp_event_parse(const uint8_t *p, size_t len, media_rtp_event_t *e)
{
	if (len < 4)
		return -1;
	e->event = p[0];
	e->end = p[1] & 0x80;
	e->volume = p[1] & 0x3f;
	e->duration = be16(p + 2);
	return 0;
}

void media_rtp_event_write(uint8_t *p, const media_rtp_event_t *e)
{
	p[0] = e->event;
	p[1] = (uint8_t)((e->end ? 0x80 : 0) | (e->volume & 0x3f));
	p[2] = (uint8_t)(e->duration >> 8);
	p[3] = (uint8_t)e->duration;
}

static const char digits[] = "0123456789*#ABCD";

int media_rtp_event_code(char digit)
{
	const char *p;

	if (digit >= 'a' && digit <= 'd')
		digit = (char)(digit - 'a' + 'A');
	p = digit ? strchr(digits, digit) : NULL;
	return p ? (int)(p - digits) : -1;
}

char media_rtp_event_digit(int code)
{
	return code >= 0 && code < 16 ? digits[code] : 0;
}
