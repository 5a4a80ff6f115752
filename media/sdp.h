/*
 * sdp.h - the audio session description pnphone offers and answers with.
 *
 * The offer lists the codecs of call.codecs in that order (Opus 48 kHz
 * with in-band FEC, PCMU, PCMA) plus telephone-event for RFC 4733 DTMF,
 * on one IPv4 or IPv6 address that the peer can reach: Asterisk's PJSIP
 * checks that c= is a real address, so it is never 0.0.0.0 or a name.
 * sofia-sip's soa does the offer/answer itself; these helpers only build
 * the local capabilities and read back what was agreed.
 */
#ifndef PN_MEDIA_SDP_H
#define PN_MEDIA_SDP_H

#include <stddef.h>

/* Dynamic payload types, chosen to match what Asterisk uses by default. */
#define MEDIA_PT_OPUS 111
#define MEDIA_PT_TELEPHONE_EVENT 101

/*
 * The local SDP for codec names CODECS[0..N) ("opus", "pcmu", "pcma") at
 * ADDR (numeric) and PORT.  Returns a malloc'd string, NULL on bad input
 * (no known codec, non-numeric address) or ENOMEM.
 */
char *media_sdp_local(const char *addr, unsigned port,
		      const char *const *codecs, size_t n);

/* The codec agreed in SDP (the first known codec of its first audio
 * m-line): "opus", "pcmu", "pcma", or NULL when there is none. */
const char *media_sdp_agreed_codec(const char *sdp);

/* Does the SDP's audio m-line offer telephone-event? */
int media_sdp_has_telephone_event(const char *sdp);

#endif /* PN_MEDIA_SDP_H */
