/*
 * codec.h - the audio codecs of a call: Opus, PCMU, PCMA.
 *
 * One object holds the encoder and the decoder of one stream (or only a
 * decoder: what the peer sends after a codec switch), at the codec's own
 * rate (48000 Hz for Opus, 8000 Hz for G.711), mono.  Besides
 * encode and decode it conceals lost audio: Opus with its own PLC, or with
 * the in-band FEC carried by the packet that follows a loss; G.711 by
 * repeating the last pitch period with a fade (in the spirit of G.711
 * Appendix I).
 */
#ifndef PN_MEDIA_CODEC_H
#define PN_MEDIA_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct media_codec media_codec_t;

/* How to set up an Opus encoder (G.711 ignores it): what the peer's
 * fmtp asks for (RFC 7587), and our own CPU knob. */
typedef struct media_codec_opts {
	unsigned bitrate;     /* maxaveragebitrate; 0 = 32000 */
	bool fec;             /* useinbandfec=1: send in-band FEC */
	unsigned max_rate;    /* maxplaybackrate: the peer renders no more
			       * (Hz), the audio band is kept within it;
			       * 0 = 48000 */
	int complexity;       /* 0-10, CPU against quality; < 0 =
			       * libopus's default */
} media_codec_opts_t;

/* NAME: "opus", "pcmu", "pcma"; OPTS as above (NULL: the defaults).
 * NULL on an unknown name or ENOMEM. */
media_codec_t *media_codec_new(const char *name,
			       const media_codec_opts_t *opts);
/* A codec for decoding only: the one the peer switched to while we keep
 * sending another (an Opus one has no encoder: encode fails).  NULL as
 * above. */
media_codec_t *media_codec_new_decoder(const char *name);
void media_codec_free(media_codec_t *c);
unsigned media_codec_rate(const media_codec_t *c);
/* The name given to media_codec_new. */
const char *media_codec_name(const media_codec_t *c);

/* Encode N samples (a whole frame); bytes written, or -1. */
int media_codec_encode(media_codec_t *c, const int16_t *pcm, size_t n,
		       uint8_t *out, size_t cap);
/* Samples in a packet, without decoding it; -1 if it is malformed. */
int media_codec_samples(const media_codec_t *c, const uint8_t *p, size_t len);
/* Decode a packet into at most CAP samples; samples, or -1. */
int media_codec_decode(media_codec_t *c, const uint8_t *p, size_t len,
		       int16_t *pcm, size_t cap);
/* Make up N lost samples (PLC). */
void media_codec_conceal(media_codec_t *c, int16_t *pcm, size_t n);
/* Recover N lost samples from the FEC in NEXT, the packet after the loss
 * (Opus only; others conceal).  true when FEC was used. */
bool media_codec_recover(media_codec_t *c, const uint8_t *next, size_t len,
			 int16_t *pcm, size_t n);
/* Tell the encoder the loss the peer reports (Opus adds more FEC). */
void media_codec_set_loss(media_codec_t *c, unsigned percent);

#endif /* PN_MEDIA_CODEC_H */
