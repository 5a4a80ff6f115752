/*
 * rtpport.h - reserve the RTP/RTCP port pair a call advertises in SDP.
 *
 * A call's SDP names an even RTP port and the odd RTCP port above it; the
 * pair is bound before the offer or answer is sent so that no other call
 * or program can take it, and released when the call ends.  Ports are
 * drawn at random from [rtp.port_min, rtp.port_max] (RFC 3550 §11 asks for
 * an even RTP port).  The media engine takes the sockets over.
 */
#ifndef PN_MEDIA_RTPPORT_H
#define PN_MEDIA_RTPPORT_H

typedef struct media_rtpport media_rtpport_t;

/* Bind a pair on numeric ADDR; NULL with errno set when none is free. */
media_rtpport_t *media_rtpport_open(const char *addr, unsigned min,
				    unsigned max);
/* Bind exactly PORT (even) and PORT + 1 on ADDR (e.g. a port an audio
 * push names); NULL with errno set when either is taken. */
media_rtpport_t *media_rtpport_open_at(const char *addr, unsigned port);
unsigned media_rtpport_port(const media_rtpport_t *p);
int media_rtpport_rtp_fd(const media_rtpport_t *p);
int media_rtpport_rtcp_fd(const media_rtpport_t *p);
void media_rtpport_close(media_rtpport_t *p);

#endif /* PN_MEDIA_RTPPORT_H */
