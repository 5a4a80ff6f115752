/*
 * keys.c - the table of every configuration key.
 *
 * The order of the table is the order conf_save() writes keys in and the
 * order documentation lists them in, so related keys stay together.  Help
 * strings are marked N_() and translated where they are printed.
 */
#include <string.h>

#include "common/i18n.h"
#include "conf/conf.h"

static const conf_key_t keys[] = {
	/* sip */
	{ .name = "sip.listen", .type = CONF_LISTEN,
	  .def = "udp:127.0.0.1:5060",
	  .help = N_("where SIP listens: comma-separated udp:HOST:PORT or "
		     "tcp:HOST:PORT (port 0 = any free port)") },
	{ .name = "sip.user_agent", .type = CONF_STRING, .def = "",
	  .help = N_("User-Agent header of outgoing messages "
		     "(empty = pnphone/VERSION)") },
	{ .name = "sip.transport", .type = CONF_ENUM, .def = "udp",
	  .words = "udp|tcp",
	  .help = N_("transport for requests to the registrar and the "
		     "outbound proxy: udp or tcp") },

	/* account */
	{ .name = "account.aor", .type = CONF_URI, .def = "",
	  .help = N_("address of record of the account, sip:user@domain") },
	{ .name = "account.display_name", .type = CONF_STRING, .def = "",
	  .help = N_("name shown to the people you call") },
	{ .name = "account.user", .type = CONF_STRING, .def = "",
	  .help = N_("authentication user name "
		     "(empty = user part of account.aor)") },
	{ .name = "account.password", .type = CONF_STRING, .def = "",
	  .help = N_("authentication password (keep this file private)") },
	{ .name = "account.registrar", .type = CONF_URIS, .def = "",
	  .help = N_("one or more comma-separated registrar URIs, tried in "
		     "order when one fails") },
	{ .name = "account.outbound_proxy", .type = CONF_URI, .def = "",
	  .help = N_("proxy every request is sent through (empty = none)") },
	{ .name = "account.expires", .type = CONF_UINT, .def = "600",
	  .min = 10, .max = 86400,
	  .help = N_("registration lifetime asked of the registrar, "
		     "in seconds") },
	{ .name = "account.register", .type = CONF_BOOL, .def = "off",
	  .help = N_("register the account (needs account.aor and "
		     "account.registrar)") },
	{ .name = "account.keepalive", .type = CONF_UINT, .def = "25",
	  .min = 0, .max = 3600,
	  .help = N_("seconds between OPTIONS keep-alives to the registrar "
		     "over UDP (0 = off)") },
	{ .name = "account.retry_max", .type = CONF_UINT, .def = "1800",
	  .min = 5, .max = 86400,
	  .help = N_("longest back-off between registration attempts, "
		     "in seconds") },
	{ .name = "account.registrar_fallback", .type = CONF_UINT,
	  .def = "300", .min = 0, .max = 86400,
	  .help = N_("registered at a later registrar, try the first one "
		     "again every this many seconds and go back to it when "
		     "it accepts (0 = stay)") },

	/* call */
	{ .name = "call.auto_answer", .type = CONF_BOOL, .def = "off",
	  .help = N_("answer incoming calls without user action") },
	{ .name = "call.auto_answer_delay", .type = CONF_UINT, .def = "0",
	  .min = 0, .max = 60,
	  .help = N_("seconds to ring before answering automatically") },
	{ .name = "call.codecs", .type = CONF_LIST, .def = "opus,pcmu,pcma",
	  .words = "opus|pcmu|pcma",
	  .help = N_("audio codecs to offer, most preferred first "
		     "(opus, pcmu, pcma)") },
	{ .name = "call.opus_complexity", .type = CONF_UINT, .def = "5",
	  .min = 0, .max = 10,
	  .help = N_("Opus encoder complexity, 0-10: lower costs less CPU at "
		     "a small cost in quality (5: WebRTC's choice for phones; "
		     "9-10 for desktops)") },
	{ .name = "call.waiting", .type = CONF_BOOL, .def = "on",
	  .help = N_("ring a second incoming call during a call "
		     "(off: answer it 486 Busy Here)") },
	{ .name = "call.session_expires", .type = CONF_UINT, .def = "1800",
	  .min = 90, .max = 86400,
	  .help = N_("session timer interval of calls, in seconds "
		     "(RFC 4028)") },
	{ .name = "call.no_answer_timeout", .type = CONF_UINT, .def = "120",
	  .min = 5, .max = 3600,
	  .help = N_("seconds a call may ring unanswered before it is "
		     "given up") },

	/* rtp */
	{ .name = "rtp.port_min", .type = CONF_UINT, .def = "16384",
	  .min = 1024, .max = 65534,
	  .help = N_("lowest local UDP port for media") },
	{ .name = "rtp.port_max", .type = CONF_UINT, .def = "32766",
	  .min = 1025, .max = 65535,
	  .help = N_("highest local UDP port for media "
		     "(above rtp.port_min)") },
	{ .name = "rtp.jitter_min_ms", .type = CONF_UINT, .def = "40",
	  .min = 0, .max = 1000,
	  .help = N_("smallest delay of the adaptive jitter buffer, in ms") },
	{ .name = "rtp.jitter_max_ms", .type = CONF_UINT, .def = "300",
	  .min = 20, .max = 2000,
	  .help = N_("largest delay of the adaptive jitter buffer, in ms "
		     "(at least rtp.jitter_min_ms)") },
	{ .name = "rtp.rtcp_interval", .type = CONF_UINT, .def = "5",
	  .min = 1, .max = 60,
	  .help = N_("seconds between RTCP reports and call_stats events "
		     "(randomised to 0.5-1.5 times this)") },

	/* audio */
	{ .name = "audio.source", .type = CONF_STRING, .def = "null",
	  .help = N_("audio input of calls: null, file:PATH.wav (played in "
		     "a loop), portaudio or portaudio:NAME") },
	{ .name = "audio.sink", .type = CONF_STRING, .def = "null",
	  .help = N_("audio output of calls: null, file:PATH.wav (recorded), "
		     "portaudio or portaudio:NAME") },
	{ .name = "audio.ring", .type = CONF_STRING, .def = "",
	  .help = N_("what plays on audio.sink while a call rings in: "
		     "empty for the built-in ring, file:PATH.wav (looped) "
		     "or null") },

	/* push */
	{ .name = "push.listen", .type = CONF_STRING,
	  .def = "127.0.0.1:8080",
	  .help = N_("HOST:PORT the push HTTP server listens on "
		     "(Push Agent)") },
	{ .name = "push.tpslist", .type = CONF_STRING, .def = "",
	  .help = N_("trusted push servers, comma-separated (Push Agent)") },
	{ .name = "push.subscribelist", .type = CONF_STRING, .def = "",
	  .help = N_("subscription servers the phone announces itself to, "
		     "comma-separated (Push Agent)") },
	{ .name = "push.subscribe_retry", .type = CONF_UINT, .def = "1200",
	  .min = 1, .max = 86400,
	  .help = N_("seconds between the retries (five at most) of a "
		     "subscription a server did not answer 200 (Push Agent)") },
	{ .name = "push.set_id", .type = CONF_STRING, .def = "PN00D01A",
	  .help = N_("SetID the phone sends subscription servers: the "
		     "8-character model code (Push Agent)") },

	/* provisioning */
	{ .name = "provisioning.pnp", .type = CONF_ENUM, .def = "auto",
	  .words = "auto|on|off",
	  .help = N_("plug-and-play discovery of the provisioning server: "
		     "auto, on or off (provisioning)") },
	{ .name = "provisioning.url", .type = CONF_STRING, .def = "",
	  .help = N_("URL of the provisioning server (provisioning)") },
	{ .name = "provisioning.profile_type", .type = CONF_STRING,
	  .def = "application",
	  .help = N_("profile type to ask the provisioning server for "
		     "(provisioning)") },
	{ .name = "provisioning.vendor", .type = CONF_STRING,
	  .def = "pnphone",
	  .help = N_("vendor name given to the provisioning server "
		     "(provisioning)") },
	{ .name = "provisioning.model", .type = CONF_STRING,
	  .def = "pnphone",
	  .help = N_("model name given to the provisioning server "
		     "(provisioning)") },
	{ .name = "provisioning.ca_file", .type = CONF_STRING, .def = "",
	  .help = N_("PEM file of the CA certificates that vouch for the "
		     "provisioning server (provisioning)") },
	{ .name = "provisioning.interface", .type = CONF_STRING, .def = "",
	  .help = N_("network interface to look for the provisioning "
		     "server on (provisioning)") },
	{ .name = "provisioning.state_dir", .type = CONF_STRING,
	  .def = "/var/lib/pnphone",
	  .help = N_("directory where the last good provisioned file is "
		     "kept (provisioning)") },
	{ .name = "provisioning.period", .type = CONF_UINT, .def = "86400",
	  .min = 0, .max = 2592000,
	  .help = N_("seconds between re-checks of the provisioning URL "
		     "(0 = only at start; provisioning)") },
	{ .name = "provisioning.random_delay", .type = CONF_UINT,
	  .def = "120", .min = 0, .max = 65535,
	  .help = N_("at most this many random seconds added to each "
		     "re-check, so phones do not all come at once "
		     "(provisioning)") },
	{ .name = "provisioning.connect_timeout", .type = CONF_UINT,
	  .def = "10", .min = 1, .max = 300,
	  .help = N_("seconds to wait for the provisioning server to "
		     "answer, or for the first TFTP block (provisioning)") },
	{ .name = "provisioning.timeout", .type = CONF_UINT, .def = "60",
	  .min = 1, .max = 3600,
	  .help = N_("seconds a whole download may take (provisioning)") },
	{ .name = "provisioning.max_size", .type = CONF_UINT,
	  .def = "262144", .min = 1024, .max = 16777216,
	  .help = N_("largest provisioned file accepted, in bytes "
		     "(provisioning)") },
	{ .name = "provisioning.mac", .type = CONF_STRING, .def = "",
	  .help = N_("MAC address for <MAC> in provisioning URLs, 12 hex "
		     "digits (empty = the interface's; provisioning)") },

	/* ui and logging */
	{ .name = "ui.language", .type = CONF_STRING, .def = "",
	  .help = N_("language of user-facing text (empty = from LANG)") },
	{ .name = "log.sip", .type = CONF_BOOL, .def = "off",
	  .help = N_("print every SIP message sent and received "
		     "(to stderr)") },
};

size_t conf_key_count(void)
{
	return sizeof(keys) / sizeof(keys[0]);
}

const conf_key_t *conf_key_at(size_t i)
{
	return i < conf_key_count() ? &keys[i] : NULL;
}

/* A linear search: the table is short and its order is meaningful, so it
 * is not kept sorted for bsearch. */
const conf_key_t *conf_key_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < conf_key_count(); i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}
