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

#include <stdbool.h>
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

/* What the two SDPs of a call agreed on for its audio stream. */
typedef struct media_sdp_neg {
	char addr[64];            /* where to send RTP (numeric) */
	unsigned port;            /* 0: the stream is off */
	unsigned rtcp_port;       /* a=rtcp, else port + 1 */
	char codec[8];            /* "opus", "pcmu", "pcma" */
	int send_pt;              /* payload type we send (the peer's) */
	int recv_pt;              /* payload type we announced */
	int te_send_pt, te_recv_pt;   /* telephone-event, -1 if none */
	bool send, recv;          /* directions, from a=sendonly etc. */
	unsigned ptime;           /* the peer's a=ptime, 0 if none */
	unsigned opus_bitrate;    /* peer's maxaveragebitrate, 0 if none */
	bool opus_fec;            /* peer asks for useinbandfec=1 */
} media_sdp_neg_t;

/*
 * Read the agreement from our SDP (LOCAL) and the peer's (REMOTE): the
 * codec is the first known one of the answer (REMOTE when
 * ANSWER_IS_REMOTE, else LOCAL).  0 and *NEG filled, -1 when there is no
 * usable audio stream (no common codec, unparsable SDP, no address).
 */
int media_sdp_negotiate(const char *local, const char *remote,
			bool answer_is_remote, media_sdp_neg_t *neg);

#endif /* PN_MEDIA_SDP_H */
