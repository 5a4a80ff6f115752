/*
 * main.c - pnphone-pushd: the event push gateway.  Options, the
 * configuration, the store, one su_root loop (HTTP server, libcurl
 * multi, timers, SIGINT/SIGTERM through a signalfd).
 *
 * Exit status: 0 normal exit (SIGINT/SIGTERM) or a finished command;
 * 1 it cannot start (store missing or corrupt, port taken) or
 * --status found no such message; 2 bad command line or configuration.
 */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#define SU_WAKEUP_ARG_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "common/i18n.h"
#include "common/root.h"
#include "push/fetch.h"
#include "pushd/deliver.h"
#include "pushd/gateway.h"
#include "pushd/keys.h"
#include "pushd/store.h"
#include "ua/event.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define DEFAULT_CONF SYSCONFDIR "/pnphone-pushd.conf"

typedef struct run {
	su_root_t *root;
	int sig_fd;
	su_wait_t sig_wait[1];
	int sig_reg;
} run_t;

static void usage(FILE *out)
{
	fprintf(out, _(
"Usage: pnphone-pushd [--config FILE] [--json] [COMMAND]\n"
"The event push gateway: takes Volt MX event pushes (XML or JSON) on\n"
"POST /vpns/service/eventpushmessage and pushes them to the subscribed\n"
"phones (Avaya push interface).\n"
"\n"
"  -c, --config FILE   configuration (default %s)\n"
"  -j, --json          events as JSON, one object a line\n"
"Commands (instead of running):\n"
"      --init-store    create the store named by pushd.store\n"
"      --status MSGID  print a message's deliveries as JSON\n"
"      --check-config  check the configuration and exit\n"
"      --keys          list the configuration keys\n"
"  -h, --help          this help\n"
"  -V, --version       the version\n"
"\n"
"Exit status: 0 done; 1 cannot start (store missing or corrupt, port\n"
"taken) or no such message; 2 bad command line or configuration.\n"),
		DEFAULT_CONF);
}

static void print_keys(void)
{
	for (size_t i = 0; i < pushd_key_count(); i++) {
		const conf_key_t *k = pushd_key_at(i);

		printf("%-28s %-10s %s\n", k->name, k->def && *k->def
		       ? k->def : "\"\"", _(k->help));
	}
}

static int on_signal(void *magic, su_wait_t *w, void *arg)
{
	run_t *r = arg;
	struct signalfd_siginfo si;

	(void)magic;
	(void)w;
	if (read(r->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		su_root_break(r->root);
	return 0;
}

static int watch_signals(run_t *r)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	r->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (r->sig_fd < 0 ||
	    su_wait_create(r->sig_wait, r->sig_fd, SU_WAIT_IN) < 0)
		return -1;
	r->sig_reg = su_root_register(r->root, r->sig_wait, on_signal, r, 0);
	return r->sig_reg > 0 ? 0 : -1;
}

static void on_pending(void *arg, long long msg_id, long long ksid,
		       int attempts)
{
	pushd_deliver_add(arg, msg_id, ksid, attempts);
}

/* The base URL of the hrefs: pushd.url, or http://LISTEN. */
static void content_url(const conf_t *c, unsigned port, char *buf,
			size_t size)
{
	const char *url = conf_str(c, "pushd.url");
	const char *listen = conf_str(c, "pushd.listen");
	const char *colon = strrchr(listen, ':');
	int hlen = colon ? (int)(colon - listen) : 0;
	size_t n;

	if (*url) {
		snprintf(buf, size, "%s", url);
	} else if (hlen == 0 || strncmp(listen, "0.0.0.0", 7) == 0 ||
		   strncmp(listen, "[::]", 4) == 0) {
		snprintf(buf, size, "http://127.0.0.1:%u", port);
	} else {
		snprintf(buf, size, "http://%.*s:%u", hlen, listen, port);
	}
	n = strlen(buf);
	while (n && buf[n - 1] == '/')
		buf[--n] = '\0';
}

static int run(const conf_t *conf, ua_event_t *ev)
{
	run_t r = { .sig_fd = -1 };
	pushd_store_t *store = NULL;
	push_fetch_t *fetch = NULL;
	pushd_deliver_t *dlv = NULL;
	pushd_gw_t *gw = NULL;
	pushd_deliver_opts_t o = {
		.max_inflight = conf_uint(conf, "pushd.max_inflight"),
		.timeout_ms = conf_uint(conf, "pushd.timeout"),
		.retries = conf_uint(conf, "pushd.retries"),
		.retry_ms = conf_uint(conf, "pushd.retry_delay"),
	};
	char err[512], url[512], text[1024], subs[64], resumed[128];
	size_t nsubs;
	int rc = 1;

	su_init();
	r.root = pn_root_create(NULL);
	if (r.root && ua_event_attach(ev, r.root) < 0)
		fprintf(stderr, "pnphone-pushd: stdout stays blocking: %s\n",
			strerror(errno));
	if (!r.root || watch_signals(&r) < 0) {
		fprintf(stderr, "pnphone-pushd: %s\n",
			_("cannot set up the event loop"));
		goto out;
	}
	store = pushd_store_open(conf_str(conf, "pushd.store"), false,
				 strcmp(conf_str(conf, "pushd.store_sync"),
					"full") == 0, 200, err, sizeof(err));
	if (!store) {
		fprintf(stderr, "pnphone-pushd: %s\n", err);
		goto out;
	}
	fetch = push_fetch_new(r.root);
	gw = fetch ? pushd_gw_new(r.root, conf, store, ev, err, sizeof(err))
		   : NULL;
	if (!gw) {
		fprintf(stderr, "pnphone-pushd: %s\n", fetch ? err
			: _("cannot set up libcurl"));
		goto out;
	}
	/* the hrefs need the port the server got (pushd.listen may say 0);
	 * no request is served before the loop runs */
	content_url(conf, pushd_gw_port(gw), url, sizeof(url));
	o.content_url = url;
	dlv = pushd_deliver_new(r.root, fetch, store, ev, &o);
	if (!dlv) {
		fprintf(stderr, "pnphone-pushd: %s\n", _("out of memory"));
		goto out;
	}
	pushd_gw_set_deliver(gw, dlv);
	rc = 0;
	if (pushd_store_pending(store, on_pending, dlv) < 0) {
		fprintf(stderr, "pnphone-pushd: %s: %s\n",
			_("cannot read the queued deliveries"),
			pushd_store_error(store));
		rc = 1;
		goto out;
	}
	nsubs = pushd_store_subscriber_count(store);
	snprintf(subs, sizeof(subs), P_("%zu subscriber", "%zu subscribers",
					nsubs), nsubs);
	snprintf(resumed, sizeof(resumed), P_("%zu delivery resumed",
		 "%zu deliveries resumed", pushd_deliver_pending(dlv)),
		 pushd_deliver_pending(dlv));
	/* TRANSLATORS: the last two %s are "N subscribers" and "N
	 * deliveries resumed", translated on their own for the counts */
	snprintf(text, sizeof(text), _("pnphone-pushd %s: listening on %s "
		 "(port %u), %s, %s"), VERSION, conf_str(conf, "pushd.listen"),
		 pushd_gw_port(gw), subs, resumed);
	ua_event_emit(ev, "ready", text, "{s:s, s:i, s:s, s:i, s:i, s:s}",
		      "listen", conf_str(conf, "pushd.listen"),
		      "port", (int)pushd_gw_port(gw), "url", url,
		      "subscribers", (int)pushd_store_subscriber_count(store),
		      "resumed", (int)pushd_deliver_pending(dlv),
		      "version", VERSION);
	su_root_run(r.root);
	snprintf(text, sizeof(text), P_("pnphone-pushd: stopping; %zu "
		 "delivery stays queued for the next start", "pnphone-pushd: "
		 "stopping; %zu deliveries stay queued for the next start",
		 pushd_deliver_pending(dlv)), pushd_deliver_pending(dlv));
	ua_event_emit(ev, "stopped", text, "{s:i}", "queued",
		      (int)pushd_deliver_pending(dlv));
out:
	pushd_gw_free(gw);
	pushd_deliver_free(dlv);
	push_fetch_free(fetch);
	pushd_store_close(store);
	if (r.sig_reg > 0)
		su_root_deregister(r.root, r.sig_reg);
	if (r.sig_fd >= 0)
		close(r.sig_fd);
	ua_event_detach(ev);
	if (r.root)
		su_root_destroy(r.root);
	su_deinit();
	return rc;
}

static int show_status(const conf_t *conf, const char *id)
{
	char err[512], *end;
	long long msg_id = strtoll(id, &end, 10);
	pushd_store_t *s;
	json_t *o;
	bool found;
	int rc = 1;

	if (!*id || *end || msg_id <= 0) {
		fprintf(stderr, _("pnphone-pushd: '%s' is not a message id\n"),
			id);
		return 2;
	}
	s = pushd_store_open(conf_str(conf, "pushd.store"), false, false,
			     1000, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "pnphone-pushd: %s\n", err);
		return 1;
	}
	o = pushd_store_status(s, msg_id, &found);
	if (o) {
		json_dumpf(o, stdout, JSON_PRESERVE_ORDER | JSON_INDENT(2));
		putchar('\n');
		rc = 0;
	} else {
		fprintf(stderr, found ? "pnphone-pushd: %s\n"
			: _("pnphone-pushd: no message %s\n"),
			found ? pushd_store_error(s) : id);
	}
	json_decref(o);
	pushd_store_close(s);
	return rc;
}

int main(int argc, char **argv)
{
	enum { OPT_INIT = 256, OPT_STATUS, OPT_CHECK, OPT_KEYS };
	static const struct option lopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "init-store", no_argument, NULL, OPT_INIT },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ "check-config", no_argument, NULL, OPT_CHECK },
		{ "keys", no_argument, NULL, OPT_KEYS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = DEFAULT_CONF, *status = NULL;
	bool json = false, init = false, check = false;
	conf_t *conf = NULL;
	ua_event_t *ev = NULL;
	char err[512];
	int opt, rc = 2;

	pn_i18n_init(NULL);
	while ((opt = getopt_long(argc, argv, "c:jhV", lopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case OPT_INIT:
			init = true;
			break;
		case OPT_STATUS:
			status = optarg;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case OPT_KEYS:
			print_keys();
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("pnphone-pushd %s\n", VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	conf = pushd_conf_new();
	if (!conf || conf_load_file(conf, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "pnphone-pushd: %s\n", conf ? err
			: _("out of memory"));
		goto out;
	}
	if (check) {
		printf(_("%s: the configuration is valid\n"), path);
		rc = 0;
		goto out;
	}
	if (init) {
		pushd_store_t *s = pushd_store_open(conf_str(conf,
			"pushd.store"), true, true, 1000, err, sizeof(err));

		if (!s) {
			fprintf(stderr, "pnphone-pushd: %s\n", err);
			rc = 1;
			goto out;
		}
		pushd_store_close(s);
		printf(_("pnphone-pushd: created the store %s\n"),
		       conf_str(conf, "pushd.store"));
		rc = 0;
		goto out;
	}
	if (status) {
		rc = show_status(conf, status);
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	ev = ua_event_new(stdout, json);
	rc = ev ? run(conf, ev) : 1;
	ua_event_free(ev);
	curl_global_cleanup();
out:
	conf_free(conf);
	return rc;
}
