/*
 * wavsend.h - send a WAV file once as a G.711 RTP stream, paced on the
 * su_root loop.
 *
 * The sending half of an audio push (pnphone-push audio): the file is
 * read through the file: source of audio.h (so any 16-bit PCM WAV works,
 * at any rate, resampled to 8 kHz), encoded with g711.h (PCMU, payload
 * type 0, or PCMA, 8), packed with rtp.h, one packet every PTIME ms on a
 * su_timer that catches up after a busy loop (never bursting more than
 * 200 ms), the last packet padded with silence.  At the end an RTCP
 * sender report with BYE (rtcp.h) goes to PORT + 1 and the done callback
 * runs.  The socket is its own (an ephemeral port); nothing is received.
 */
#ifndef PN_MEDIA_WAVSEND_H
#define PN_MEDIA_WAVSEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct su_root_s;
typedef struct media_wavsend media_wavsend_t;

typedef struct media_wavsend_cfg {
	const char *path;          /* the WAV file */
	bool pcma;                 /* PCMA (8), else PCMU (0) */
	unsigned ptime_ms;         /* 10..60, a multiple of 10 */
	const char *addr;          /* numeric IPv4 or IPv6 */
	unsigned port;             /* RTP; RTCP goes to PORT + 1 */
} media_wavsend_cfg_t;

typedef void media_wavsend_done_f(void *arg);

/* Starts sending at once.  NULL and ERR on a bad file, address or
 * ptime.  DONE runs once, on the loop, after the last packet. */
media_wavsend_t *media_wavsend_new(struct su_root_s *root,
				   const media_wavsend_cfg_t *cfg,
				   media_wavsend_done_f *done, void *arg,
				   char *err, size_t errsz);
/* Packets sent so far, and the file's length in seconds. */
uint64_t media_wavsend_packets(const media_wavsend_t *w);
double media_wavsend_seconds(const media_wavsend_t *w);
/* Stops sending (no BYE when it had not finished). */
void media_wavsend_free(media_wavsend_t *w);

#endif /* PN_MEDIA_WAVSEND_H */
