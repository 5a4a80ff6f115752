/*
 * sdp.h - the audio session description pnphone offers and answers with.
 *
 * The offer lists the codecs of call.codecs in that order (Opus 48 kHz
 * with in-band FEC, PCMU, PCMA) plus an RFC 4733 telephone-event for
 * each of their RTP clock rates (RFC 4733 section 2.1: events share the
 * audio's SSRC and timestamps), and telephone-event/8000 always, the
 * one every peer knows; on one IPv4 or IPv6 address that the peer can
 * reach: Asterisk's PJSIP checks that c= is a real address, so it is
 * never 0.0.0.0 or a name.  sofia-sip's soa does the offer/answer
 * itself; these helpers build the local capabilities (narrowed to one
 * telephone-event when answering) and read back what was agreed: the
 * one codec we send and every codec we may receive.
 */
#ifndef PN_MEDIA_SDP_H
#define PN_MEDIA_SDP_H

#include <stdbool.h>
#include <stddef.h>

/* Dynamic payload types of our offers: browsers' numbers for Opus and
 * telephone-event/48000, Asterisk's for telephone-event/8000 (Asterisk
 * numbers Opus 107).  An answer takes the offer's numbers instead (soa;
 * RFC 3264 section 6.1; tests/media/sdp_answer.sh). */
#define MEDIA_PT_OPUS 111
#define MEDIA_PT_TELEPHONE_EVENT 101
#define MEDIA_PT_TELEPHONE_EVENT_48K 110

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

/*
 * Our capabilities LOCAL (from media_sdp_local) narrowed for answering
 * OFFER: the one telephone-event we will send, the offer's at the clock
 * rate of the codec the answer will pick (the offer's first that we
 * have), else the offer's first one (a peer such as baresip 1.0.0 has
 * only telephone-event/8000, also next to Opus), under the offer's
 * payload type unless one of our codecs uses it; none when the offer
 * has none.  soa answers with what both have, so the answer carries
 * only that one.  A malloc'd SDP, or NULL (no common codec, unparsable
 * SDP, ENOMEM): then answer with LOCAL as it is.
 */
char *media_sdp_for_offer(const char *local, const char *offer);

/* Whether OFFER has an RTP/AVP audio stream in use with a codec LOCAL
 * has: if not, the call is refused with 488 (RFC 3261 section 13.3.1.1)
 * rather than answered with a stream that carries no sound. */
bool media_sdp_offer_usable(const char *local, const char *offer);

/* A telephone-event payload type and its clock rate. */
typedef struct media_sdp_te {
	int pt;
	unsigned rate;            /* 0: no entry */
} media_sdp_te_t;

#define MEDIA_SDP_TE_MAX 4

/* A codec both SDPs list: the peer may send it at any time (RFC 3264
 * sections 5.1 and 6.1), under our number or, as some peers do, its
 * own. */
typedef struct media_sdp_codec {
	char name[8];             /* "opus", "pcmu", "pcma" */
	int pt;                   /* its payload type in our SDP */
	int peer_pt;              /* ... and in the peer's */
	unsigned rate;            /* RTP clock */
} media_sdp_codec_t;

/* One entry a codec we know (a peer listing one twice gets one). */
#define MEDIA_SDP_CODEC_MAX 4

/* What the two SDPs of a call agreed on for its audio stream. */
typedef struct media_sdp_neg {
	char addr[64];            /* where to send RTP (numeric) */
	unsigned port;            /* 0: the stream is off */
	unsigned rtcp_port;       /* a=rtcp, else port + 1 */
	char codec[8];            /* "opus", "pcmu", "pcma" */
	int send_pt;              /* payload type we send (the peer's) */
	int recv_pt;              /* payload type we announced */
	/* telephone-event: the peer's at the codec's clock rate, else its
	 * first, which we send with (at its rate: the event durations count
	 * its ticks, the timestamps stay the audio's); ours at that rate,
	 * else our first; -1 if none */
	int te_send_pt, te_recv_pt;
	unsigned te_send_rate;
	/* every telephone-event we announced: events arrive on any */
	media_sdp_te_t te_recv[MEDIA_SDP_TE_MAX];
	/* every codec agreed, in the answer's order (rx[0] is CODEC): what
	 * we must be ready to receive */
	media_sdp_codec_t rx[MEDIA_SDP_CODEC_MAX];
	unsigned n_rx;
	bool send, recv;          /* directions, from a=sendonly etc. */
	unsigned ptime;           /* the peer's a=ptime, 0 if none */
	unsigned opus_bitrate;    /* peer's maxaveragebitrate, 0 if none */
	unsigned opus_max_rate;   /* peer's maxplaybackrate, 0 if none */
	bool opus_fec;            /* peer asks for useinbandfec=1 */
} media_sdp_neg_t;

/*
 * Read the agreement from our SDP (LOCAL) and the peer's (REMOTE): the
 * codec we send is the first known one of the answer (REMOTE when
 * ANSWER_IS_REMOTE, else LOCAL); every known codec the answer lists
 * that both SDPs have may arrive (NEG->rx).  0 and *NEG filled, -1 when
 * there is no usable audio stream (no common codec, unparsable SDP, no
 * address).
 */
int media_sdp_negotiate(const char *local, const char *remote,
			bool answer_is_remote, media_sdp_neg_t *neg);

#endif /* PN_MEDIA_SDP_H */
