/*
 * prov_pnp.h - SIP plug-and-play discovery of the provisioning server.
 *
 * The phone multicasts one SUBSCRIBE for the ua-profile event package to
 * sip.mcast.net (224.0.1.75:5060, TTL 1), shaped like the AudioCodes
 * 400HD's: Request-URI sip:224.0.1.75:5060, Expires: 0, Accept:
 * application/url, Event: ua-profile;profile-type=...;vendor=...;
 * model=...;version=..., Contact at its own unicast address and SIP port.
 * sofia-sip's nta sends it and retransmits it as RFC 3261 timer E does
 * (0, 0.5, 1.5, 3.5 s); the window closes WINDOW_MS after the first send.
 *
 * Real PnP servers answer 200 OK and send a NOTIFY whose headers are the
 * SUBSCRIBE's copied unswapped (From: is the phone's own, with its tag;
 * To: has no tag), which matches no dialog: such a NOTIFY reaches nta's
 * stray-request callback and is matched here by Call-ID alone.  A NOTIFY
 * that does match the dialog is taken the same way.  200 and NOTIFY may
 * come in either order.  The URL is the body of an application/url NOTIFY
 * (or the URL parameter of message/external-body;access-type=URL),
 * normalised by prov_url.  Rejected, with an event saying why:
 * another Call-ID (481), another content type (415), another event
 * package (489), an empty body or an unusable URL (400).
 *
 * Events (ua_event_emit): pnp_discovering, pnp_response, pnp_notify,
 * pnp_notify_rejected, pnp_timeout.
 *
 * The agent binds the phone's own SIP port (as real phones do) and must be
 * destroyed before the UA binds it.
 */
#ifndef PN_PROV_PNP_H
#define PN_PROV_PNP_H

#include <stddef.h>

#include <sofia-sip/su_wait.h>

#include "ua/event.h"

typedef struct prov_pnp prov_pnp_t;

typedef struct prov_pnp_opts {
	const char *host;          /* numeric local address to bind */
	unsigned port;             /* the phone's SIP port */
	const char *mac;           /* 12 hex digits: From user, URLs */
	const char *profile_type, *vendor, *model, *version, *user_agent;
	unsigned window_ms;        /* how long to listen after the send */
	int log_sip;               /* print the messages (TPORT_LOG) */
} prov_pnp_opts_t;

/* URL: the normalised provisioning URL, or NULL when no server gave a
 * usable one within the window.  The callee may prov_pnp_destroy(). */
typedef void prov_pnp_done_f(void *arg, const char *url);

/* NULL with ERR when the agent cannot bind (port taken, bad host). */
prov_pnp_t *prov_pnp_start(su_root_t *root, ua_event_t *ev,
			   const prov_pnp_opts_t *opts,
			   prov_pnp_done_f *done, void *arg,
			   char *err, size_t errsz);
void prov_pnp_destroy(prov_pnp_t *p);

#endif /* PN_PROV_PNP_H */
