/*
 * status.c - the catalogue of SIP response codes, explained for users.
 *
 * The table holds every code of the two response-code lists pnphone was
 * seeded with, in ascending code order (ua_status_find() is a binary search
 * and the unit test checks the order).  Reason phrases are the ones
 * registered with IANA (RFC 3261 and later RFCs); the few codes the
 * registry lacks (101, 409, 411) keep the phrase of the seed list.
 *
 * explain, hint and action are written to continue a sentence: lower case,
 * no final full stop, so that ua_status_format() can build
 *
 *   403 Forbidden — the server refused these credentials; check ...
 *
 * and action reads with "pnphone" as its subject.  An empty hint is a bare
 * "" and not N_(""): the empty msgid is reserved by gettext.
 */
#include "ua/status.h"

#include <stdio.h>

#include "common/i18n.h"

static const ua_status_t status_table[] = {
	/* 1xx provisional */
	{ 100, "Trying",
	  N_("the server received the request and is working on it"),
	  "",
	  N_("shows progress and waits for the final answer") },
	{ 101, "Dialogue Establishment",
	  N_("the far end reports that the call is being set up (a code outside the SIP standards)"),
	  "",
	  N_("shows progress and waits for the final answer") },
	{ 180, "Ringing",
	  N_("the phone you called is ringing"),
	  "",
	  N_("shows that the other side is ringing and waits for an answer") },
	{ 181, "Call Is Being Forwarded",
	  N_("the call is being forwarded to another destination"),
	  "",
	  N_("shows progress and waits for the final answer") },
	{ 182, "Queued",
	  N_("the person you called cannot take the call yet, so it has been put in a queue"),
	  "",
	  N_("shows progress and waits in the queue for the final answer") },
	{ 183, "Session Progress",
	  N_("the call is still being set up; the network may play tones or announcements"),
	  "",
	  N_("shows progress and waits for the final answer") },
	{ 199, "Early Dialog Terminated",
	  N_("one of the places the call was sent to has given up; others may still answer"),
	  "",
	  N_("shows progress and keeps waiting for the other destinations") },

	/* 2xx success */
	{ 200, "OK",
	  N_("the request succeeded"),
	  "",
	  N_("proceeds: the registration is active or the call is connected") },
	{ 202, "Accepted",
	  N_("the request was accepted and will be carried out later (for example a call transfer)"),
	  "",
	  N_("proceeds and waits for the outcome to be reported") },
	{ 204, "No Notification",
	  N_("the subscription is still valid and no notification follows, as nothing has changed"),
	  "",
	  N_("proceeds with the state it already has") },

	/* 3xx redirection */
	{ 300, "Multiple Choices",
	  N_("the address leads to several possible destinations, listed by the server"),
	  "",
	  N_("for a registration or a call, retries at an address from Contact (at most 5 redirects); otherwise ends the attempt") },
	{ 301, "Moved Permanently",
	  N_("the address is no longer valid; the server gives the new one"),
	  N_("if it answers registrations, put the new address in account.registrar"),
	  N_("for a registration or a call, retries at the address in Contact (at most 5 redirects); otherwise ends the attempt") },
	{ 302, "Moved Temporarily",
	  N_("the destination can be reached at another address for now"),
	  "",
	  N_("for a registration or a call, retries at the address in Contact (at most 5 redirects); otherwise ends the attempt") },
	{ 305, "Use Proxy",
	  N_("the destination can only be reached through the proxy the server names"),
	  N_("if it keeps happening, set account.outbound_proxy to that proxy"),
	  N_("retries the request through the proxy given in Contact") },
	{ 380, "Alternative Service",
	  N_("the call failed; the server describes other services you may use instead"),
	  "",
	  N_("ends the attempt and shows the explanation") },

	/* 4xx client error */
	{ 400, "Bad Request",
	  N_("the server could not understand the request"),
	  N_("if it keeps happening, capture the SIP traffic and report it"),
	  N_("ends the attempt and shows the explanation") },
	{ 401, "Unauthorized",
	  N_("the server asks for a login and did not accept the credentials sent"),
	  N_("check account.user and account.password"),
	  N_("answers the challenge once with the configured credentials; a repeated challenge is a failure") },
	{ 402, "Payment Required",
	  N_("the service asks for payment (a code reserved for future use)"),
	  N_("check your account with your provider"),
	  N_("ends the attempt and shows the explanation") },
	{ 403, "Forbidden",
	  N_("the server refused these credentials"),
	  N_("check account.user and account.password"),
	  N_("on registration, stops registering and says why; otherwise ends the attempt") },
	{ 404, "Not Found",
	  N_("the user does not exist at that domain"),
	  N_("check the number you dialled, or account.aor"),
	  N_("on registration, stops registering and says why; otherwise ends the attempt") },
	{ 405, "Method Not Allowed",
	  N_("the server does not allow this kind of request for that address"),
	  N_("if it answers registrations, check that account.registrar names a registrar"),
	  N_("ends the attempt and shows the explanation") },
	{ 406, "Not Acceptable",
	  N_("the far end cannot reply in a form the request said it accepts"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 407, "Proxy Authentication Required",
	  N_("the proxy asks for a login and did not accept the credentials sent"),
	  N_("check account.user and account.password"),
	  N_("answers the challenge once with the configured credentials; a repeated challenge is a failure") },
	{ 408, "Request Timeout",
	  N_("the server could not complete the request in time, for example could not find the user"),
	  N_("try again later; if registration keeps timing out, check account.registrar and your network"),
	  N_("on registration, honours Retry-After, else backs off with jitter and moves to the next registrar; otherwise ends the attempt") },
	{ 409, "Conflict",
	  N_("the request conflicts with another one, such as an existing registration (obsolete code)"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 410, "Gone",
	  N_("the user existed once but can no longer be reached at this address"),
	  N_("check the number you dialled"),
	  N_("ends the attempt and shows the explanation") },
	{ 411, "Length Required",
	  N_("the server wants the length of the request body stated (obsolete code)"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 412, "Conditional Request Failed",
	  N_("the condition the request depended on no longer holds (published state changed or expired)"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 413, "Request Entity Too Large",
	  N_("the body of the request is larger than the server accepts"),
	  N_("offer fewer codecs in call.codecs"),
	  N_("ends the attempt and shows the explanation") },
	{ 414, "Request-URI Too Long",
	  N_("the address in the request is longer than the server accepts"),
	  N_("check the number you dialled"),
	  N_("ends the attempt and shows the explanation") },
	{ 415, "Unsupported Media Type",
	  N_("the server does not support the format of the request body"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 416, "Unsupported URI Scheme",
	  N_("the server does not support the kind of address used (such as sips: or tel:)"),
	  N_("check the number you dialled, or account.aor"),
	  N_("ends the attempt and shows the explanation") },
	{ 417, "Unknown Resource-Priority",
	  N_("the server did not understand the priority asked for the call"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 420, "Bad Extension",
	  N_("the server does not support a SIP extension the request required"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 421, "Extension Required",
	  N_("the server needs a SIP extension that the request did not offer"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 422, "Session Interval Too Small",
	  N_("the session timer asked for is shorter than the server allows"),
	  "",
	  N_("retries with the Min-SE the server asks for") },
	{ 423, "Interval Too Brief",
	  N_("the registration time asked for is shorter than the server allows"),
	  "",
	  N_("retries with the server's Min-Expires") },
	{ 424, "Bad Location Information",
	  N_("the location information in the request was malformed or not acceptable"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 428, "Use Identity Header",
	  N_("the server accepts only calls carrying a signed caller identity"),
	  N_("your provider must sign your calls; ask it"),
	  N_("ends the attempt and shows the explanation") },
	{ 429, "Provide Referrer Identity",
	  N_("the transfer did not carry valid proof of who asked for it"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 430, "Flow Failed",
	  N_("a connection between servers towards the phone has failed; others may still work"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 433, "Anonymity Disallowed",
	  N_("the person you called does not accept anonymous calls"),
	  N_("call again without hiding your identity"),
	  N_("ends the attempt and shows the explanation") },
	{ 436, "Bad Identity Info",
	  N_("the server could not obtain the certificate named by the caller identity"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 437, "Unsupported Credential",
	  N_("the server could not validate the credential that signed the caller identity"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 438, "Invalid Identity Header",
	  N_("the signature of the caller identity did not verify"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 439, "First Hop Lacks Outbound Support",
	  N_("the registrar supports SIP outbound but the first proxy on the way does not"),
	  N_("check account.outbound_proxy"),
	  N_("ends the attempt and shows the explanation") },
	{ 470, "Consent Needed",
	  N_("the recipient has not given permission for this request"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 480, "Temporarily Unavailable",
	  N_("the person you called cannot be reached right now"),
	  N_("try again later"),
	  N_("ends the attempt and shows the explanation") },
	{ 481, "Call/Transaction Does Not Exist",
	  N_("the far end does not know the call or transaction the request belongs to"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 482, "Loop Detected",
	  N_("the request came back to a server it had already passed through"),
	  N_("check account.outbound_proxy; otherwise the provider's routing is at fault"),
	  N_("ends the attempt and shows the explanation") },
	{ 483, "Too Many Hops",
	  N_("the request passed through too many servers"),
	  N_("check account.outbound_proxy; otherwise the provider's routing is at fault"),
	  N_("ends the attempt and shows the explanation") },
	{ 484, "Address Incomplete",
	  N_("the number or address dialled is incomplete"),
	  N_("check the number you dialled"),
	  N_("ends the attempt and shows the explanation") },
	{ 485, "Ambiguous",
	  N_("the address dialled matches more than one user"),
	  N_("dial a more precise address"),
	  N_("ends the attempt and shows the explanation") },
	{ 486, "Busy Here",
	  N_("the person you called is busy"),
	  N_("try again later"),
	  N_("ends the call as busy") },
	{ 487, "Request Terminated",
	  N_("the request was cancelled before it completed"),
	  "",
	  N_("reports that the call was cancelled") },
	{ 488, "Not Acceptable Here",
	  N_("the far end accepts none of the media offered (codecs, addresses or encryption)"),
	  N_("check call.codecs"),
	  N_("ends the attempt and shows the explanation") },
	{ 489, "Bad Event",
	  N_("the server does not support the event package subscribed to"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 491, "Request Pending",
	  N_("the far end was handling another change to the same call at the same time"),
	  "",
	  N_("re-sends the re-INVITE after a random wait (RFC 3261 section 14.1)") },
	{ 493, "Undecipherable",
	  N_("the far end could not decrypt the encrypted body of the request"),
	  "",
	  N_("ends the attempt and shows the explanation") },
	{ 494, "Security Agreement Required",
	  N_("the server requires a negotiated security mechanism before it accepts the request"),
	  "",
	  N_("ends the attempt and shows the explanation") },

	/* 5xx server error */
	{ 500, "Server Internal Error",
	  N_("the server hit an internal error"),
	  N_("try again later; if it persists, tell your provider"),
	  N_("on registration, honours Retry-After, else backs off with jitter and moves to the next registrar; otherwise ends the attempt") },
	{ 501, "Not Implemented",
	  N_("the server does not support this kind of request"),
	  N_("if it answers registrations, check that account.registrar names a registrar"),
	  N_("ends the attempt and shows the explanation") },
	{ 502, "Bad Gateway",
	  N_("a gateway or proxy got an invalid reply from the next server"),
	  N_("try again later"),
	  N_("ends the attempt and shows the explanation") },
	{ 503, "Service Unavailable",
	  N_("the server is overloaded or down for maintenance"),
	  N_("try again later; listing a backup in account.registrar helps"),
	  N_("on registration, honours Retry-After, else backs off with jitter and moves to the next registrar; otherwise ends the attempt") },
	{ 504, "Server Time-out",
	  N_("a server did not get a timely answer from another server it needed"),
	  N_("try again later"),
	  N_("on registration, honours Retry-After, else backs off with jitter and moves to the next registrar; otherwise ends the attempt") },
	{ 505, "Version Not Supported",
	  N_("the server does not support the SIP version of the request (SIP/2.0)"),
	  N_("check that account.registrar and account.outbound_proxy name SIP servers"),
	  N_("ends the attempt and shows the explanation") },
	{ 513, "Message Too Large",
	  N_("the request is longer than the server can process"),
	  N_("set sip.transport to tcp, or offer fewer codecs in call.codecs"),
	  N_("ends the attempt and shows the explanation") },
	{ 580, "Precondition Failure",
	  N_("the far end cannot meet the conditions the call set on its media (such as bandwidth)"),
	  "",
	  N_("ends the attempt and shows the explanation") },

	/* 6xx global failure */
	{ 600, "Busy Everywhere",
	  N_("the person you called is busy and no other destination can take the call"),
	  N_("try again later"),
	  N_("ends the call as busy") },
	{ 603, "Decline",
	  N_("the person you called declined the call"),
	  "",
	  N_("ends the call as declined") },
	{ 604, "Does Not Exist Anywhere",
	  N_("the user you called does not exist anywhere"),
	  N_("check the number you dialled"),
	  N_("ends the attempt and shows the explanation") },
	{ 606, "Not Acceptable",
	  N_("the far end was reached but accepts none of the media offered"),
	  N_("check call.codecs"),
	  N_("ends the attempt and shows the explanation") },
};

/*
 * One entry per class, used for codes the table lacks.  As RFC 3261
 * section 8.1.3.2 asks, an unknown code is handled like x00 of its class;
 * these entries carry that x00 as their code.
 */
static const ua_status_t status_generic[] = {
	{ 100, "Provisional",
	  N_("the request is in progress"),
	  "",
	  N_("shows progress and waits for the final answer") },
	{ 200, "Success",
	  N_("the request succeeded"),
	  "",
	  N_("proceeds") },
	{ 300, "Redirection",
	  N_("the destination is to be reached at another address"),
	  "",
	  N_("for a registration or a call, retries at the address in Contact (at most 5 redirects); otherwise ends the attempt") },
	{ 400, "Client Error",
	  N_("the server rejected the request"),
	  N_("check the number you dialled and the account settings"),
	  N_("ends the attempt and shows the explanation") },
	{ 500, "Server Error",
	  N_("the server failed to handle the request"),
	  N_("try again later"),
	  N_("on registration, backs off with jitter and moves to the next registrar; otherwise ends the attempt") },
	{ 600, "Global Failure",
	  N_("the request cannot succeed at any destination"),
	  "",
	  N_("ends the attempt and shows the explanation") },
};

#define STATUS_COUNT (sizeof status_table / sizeof status_table[0])

/* U+2014 EM DASH in UTF-8. */
#define EM_DASH "\xe2\x80\x94"

const ua_status_t *ua_status_find(int code)
{
	size_t lo = 0, hi = STATUS_COUNT;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = status_table[mid].code;

		if (c == code)
			return &status_table[mid];
		if (c < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const ua_status_t *ua_status_lookup(int code)
{
	const ua_status_t *s;

	if (code < 100 || code > 699)
		return NULL;
	s = ua_status_find(code);
	if (s != NULL)
		return s;
	return &status_generic[code / 100 - 1];
}

const char *ua_status_reason(int code)
{
	const ua_status_t *s = ua_status_lookup(code);

	return s != NULL ? s->reason : "Unknown";
}

int ua_status_format(char *buf, size_t size, int code, const char *wire_reason)
{
	const ua_status_t *s = ua_status_lookup(code);
	const char *reason;
	const char *hint;

	/* snprintf() with size 0 writes nothing and accepts a NULL buffer. */
	if (buf == NULL)
		size = 0;

	if (wire_reason != NULL && wire_reason[0] != '\0')
		reason = wire_reason;
	else
		reason = s != NULL ? s->reason : "Unknown";

	if (s == NULL)
		return snprintf(buf, size, "%d %s", code, reason);

	/* Never _(""): gettext maps the empty msgid to the catalogue header. */
	hint = s->hint[0] != '\0' ? _(s->hint) : "";
	return snprintf(buf, size, "%d %s " EM_DASH " %s%s%s", code, reason,
			_(s->explain), hint[0] != '\0' ? "; " : "", hint);
}

size_t ua_status_count(void)
{
	return STATUS_COUNT;
}

const ua_status_t *ua_status_at(size_t i)
{
	return i < STATUS_COUNT ? &status_table[i] : NULL;
}
