/*
 * keys.c - the table of pnphone-pushd's configuration keys.
 */
#include "config.h"

#include "common/i18n.h"
#include "pushd/keys.h"

static const conf_key_t keys[] = {
	{ .name = "pushd.listen", .type = CONF_STRING,
	  .def = "127.0.0.1:8180",
	  .help = N_("where the gateway's HTTP server listens: HOST:PORT "
		     "(numeric host; 0.0.0.0 = every address)") },
	{ .name = "pushd.url", .type = CONF_STRING, .def = "",
	  .help = N_("base URL phones pull the push content from (it must "
		     "be in their push.tpslist); empty = http://LISTEN") },
	{ .name = "pushd.store", .type = CONF_STRING,
	  .def = "/var/lib/pnphone-pushd/store.db",
	  .help = N_("the SQLite store (make it with --init-store)") },
	{ .name = "pushd.store_sync", .type = CONF_ENUM, .def = "normal",
	  .words = "normal|full",
	  .help = N_("normal: a commit survives any crash of the gateway; "
		     "full: also a power cut (slower)") },
	{ .name = "pushd.phone_port", .type = CONF_UINT, .def = "80",
	  .min = 1, .max = 65535,
	  .help = N_("port of the phones' Push Agents, unless a "
		     "subscription names one (?port=N)") },
	{ .name = "pushd.subscribe_check_ip", .type = CONF_BOOL, .def = "on",
	  .help = N_("a subscription's ip must be the address it comes "
		     "from (no pushes to third parties)") },
	{ .name = "pushd.max_inflight", .type = CONF_UINT, .def = "32",
	  .min = 1, .max = 1024,
	  .help = N_("pushes in flight at once") },
	{ .name = "pushd.timeout", .type = CONF_UINT, .def = "5000",
	  .min = 100, .max = 120000,
	  .help = N_("milliseconds a phone has to answer a push") },
	{ .name = "pushd.retries", .type = CONF_UINT, .def = "2",
	  .min = 0, .max = 10,
	  .help = N_("more attempts after no answer, HTTP 5xx or "
		     "x-Push-Status 202") },
	{ .name = "pushd.retry_delay", .type = CONF_UINT, .def = "1000",
	  .min = 10, .max = 600000,
	  .help = N_("milliseconds before the first retry (doubled for "
		     "each next one)") },
	{ .name = "pushd.max_body", .type = CONF_UINT, .def = "1048576",
	  .min = 1024, .max = 67108864,
	  .help = N_("largest event request body, in bytes") },
	{ .name = "pushd.max_subscribers", .type = CONF_UINT,
	  .def = "10000", .min = 1, .max = 1000000,
	  .help = N_("most subscribers in one event request") },
	{ .name = "pushd.http_status", .type = CONF_ENUM, .def = "code",
	  .words = "code|200",
	  .help = N_("HTTP status of API answers: the response code, or "
		     "always 200 (the code is in the body either way)") },

	{ .name = "app.*.name", .type = CONF_STRING, .def = "",
	  .help = N_("name of the application <id>") },
	{ .name = "app.*.published", .type = CONF_BOOL, .def = "on",
	  .help = N_("off: its events are answered 405") },

	{ .name = "event.*.name", .type = CONF_STRING, .def = "",
	  .help = N_("name of the event <id>") },
	{ .name = "event.*.app", .type = CONF_STRING, .def = "",
	  .help = N_("the application id of the event (undefined: 404)") },
	{ .name = "event.*.published", .type = CONF_BOOL, .def = "on",
	  .help = N_("off: the event is answered 407") },
	{ .name = "event.*.type", .type = CONF_ENUM, .def = "topline",
	  .words = "topline|display",
	  .help = N_("the push the phones get: top line text or a display "
		     "page") },
	{ .name = "event.*.text", .type = CONF_STRING, .def = "",
	  .help = N_("text template; {name} takes the eventNamePairs value "
		     "(empty: the request's content.data)") },
	{ .name = "event.*.title", .type = CONF_STRING, .def = "",
	  .help = N_("title of a display page") },
	{ .name = "event.*.alert", .type = CONF_UINT, .def = "0",
	  .min = 0, .max = 3,
	  .help = N_("alert pings before the text (0-3)") },
};

size_t pushd_key_count(void)
{
	return sizeof(keys) / sizeof(keys[0]);
}

const conf_key_t *pushd_key_at(size_t i)
{
	return i < pushd_key_count() ? &keys[i] : NULL;
}

conf_t *pushd_conf_new(void)
{
	return conf_new_table(keys, pushd_key_count());
}
