/*
 * prov.c - the provisioning run: discovery, fetch, validation, keeping
 * the last good file, applying, re-checking (see prov.h).
 *
 * The provisioned layer is a conf_t of its own whose explicitly set keys
 * are what the server gave; the effective configuration is always
 * rebuilt as local + layer, so the precedence lives in one function
 * (overlay) and --show-config can say where each value comes from.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#define SU_ROOT_MAGIC_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include "common/i18n.h"
#include "common/route.h"
#include "provisioning/prov.h"
#include "provisioning/prov_fetch.h"
#include "provisioning/prov_file.h"
#include "provisioning/prov_pnp.h"
#include "provisioning/prov_url.h"

#define STATE_FILE "provisioned.conf"
#define PNP_WINDOW_MS 5000

struct prov {
	su_root_t *root;
	const conf_t *local;
	ua_event_t *ev;
	prov_apply_f *apply;
	void *arg;
	conf_t *layer;              /* the last good provisioned keys */
	prov_pnp_t *pnp;
	prov_fetch_t *fetch;
	su_timer_t *period_timer;
	bool booting;               /* the UA waits for this run */
	char url[PROV_URL_MAX];     /* being fetched */
	char mac[13];
};

/* ---- layers ------------------------------------------------------------ */

/* "key=value" lines of every key set in C. */
static char *serialize(const conf_t *c, size_t *len)
{
	size_t cap = 256, n = 0;
	char *buf = malloc(cap);

	for (size_t i = 0; buf && i < conf_key_count(); i++) {
		const char *k = conf_key_at(i)->name, *v;
		size_t need;

		if (!conf_is_set(c, k))
			continue;
		v = conf_str(c, k);
		need = strlen(k) + strlen(v) + 3;
		if (n + need > cap) {
			char *nb;

			while (n + need > cap)
				cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		n += (size_t)snprintf(buf + n, cap - n, "%s=%s\n", k, v);
	}
	if (buf)
		*len = n;
	return buf;
}

static int overlay_onto(conf_t *dst, const conf_t *src, const char *name,
			char *err, size_t errsz)
{
	size_t len = 0;
	char *buf = serialize(src, &len);
	int rc;

	if (!buf) {
		snprintf(err, errsz, "%s", strerror(ENOMEM));
		return -1;
	}
	rc = conf_load_buffer(dst, name, buf, len, err, errsz);
	free(buf);
	return rc;
}

/* The effective configuration: defaults < LOCAL < LAYER. */
static conf_t *overlay(const conf_t *local, const conf_t *layer, char *err,
		       size_t errsz)
{
	conf_t *c = conf_new();

	if (!c) {
		snprintf(err, errsz, "%s", strerror(ENOMEM));
		return NULL;
	}
	if (overlay_onto(c, local, "local", err, errsz) < 0 ||
	    (layer && overlay_onto(c, layer, "provisioned", err, errsz) < 0)) {
		conf_free(c);
		return NULL;
	}
	return c;
}

static char *state_path(const conf_t *local)
{
	const char *dir = conf_str(local, "provisioning.state_dir");
	char *path = malloc(strlen(dir) + sizeof("/" STATE_FILE));

	if (path)
		sprintf(path, "%s/%s", dir, STATE_FILE);
	return path;
}

/* The last good layer, or an empty one when there is none (or it no
 * longer validates against this program's keys). */
static conf_t *load_layer(const conf_t *local)
{
	conf_t *layer = conf_new();
	char *path = state_path(local);
	char err[512];

	if (layer && path && access(path, F_OK) == 0 &&
	    conf_load_file(layer, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "pnphone: %s\n", err);
		conf_free(layer);
		layer = conf_new();
	}
	free(path);
	return layer;
}

static bool layer_empty(const conf_t *layer)
{
	for (size_t i = 0; i < conf_key_count(); i++)
		if (conf_is_set(layer, conf_key_at(i)->name))
			return false;
	return true;
}

/* A value as it is in effect: the layer's if it sets it. */
static const char *eff_str(const prov_t *p, const char *key)
{
	return conf_is_set(p->layer, key) ? conf_str(p->layer, key)
					  : conf_str(p->local, key);
}

static unsigned eff_uint(const prov_t *p, const char *key)
{
	return conf_is_set(p->layer, key) ? conf_uint(p->layer, key)
					  : conf_uint(p->local, key);
}

/* ---- identity ------------------------------------------------------ */

/* provisioning.mac, else the hardware address of provisioning.interface
 * or of the first interface that has one. */
static void find_mac(const conf_t *local, char mac[13])
{
	const char *want = conf_str(local, "provisioning.mac");
	const char *ifname = conf_str(local, "provisioning.interface");
	struct ifaddrs *ifs, *i;

	strcpy(mac, "000000000000");
	if (prov_url_mac_valid(want)) {
		for (int k = 0; k < 12; k++)
			mac[k] = (char)(want[k] >= 'A' && want[k] <= 'F'
					? want[k] - 'A' + 'a' : want[k]);
		return;
	}
	if (getifaddrs(&ifs) < 0)
		return;
	for (i = ifs; i; i = i->ifa_next) {
		struct sockaddr_ll *ll = (struct sockaddr_ll *)i->ifa_addr;
		unsigned sum = 0;

		if (!ll || ll->sll_family != AF_PACKET || ll->sll_halen != 6 ||
		    (i->ifa_flags & IFF_LOOPBACK) ||
		    (*ifname && strcmp(ifname, i->ifa_name) != 0))
			continue;
		for (int k = 0; k < 6; k++)
			sum |= ll->sll_addr[k];
		if (sum == 0)
			continue;
		for (int k = 0; k < 6; k++)
			sprintf(mac + 2 * k, "%02x", ll->sll_addr[k]);
		break;
	}
	freeifaddrs(ifs);
}

/* The IPv4 address of interface NAME. */
static bool interface_addr(const char *name, char *buf, size_t size)
{
	struct ifaddrs *ifs, *i;
	bool found = false;

	if (getifaddrs(&ifs) < 0)
		return false;
	for (i = ifs; i && !found; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    strcmp(i->ifa_name, name) == 0)
			found = inet_ntop(AF_INET, &((struct sockaddr_in *)
				i->ifa_addr)->sin_addr, buf,
				(socklen_t)size) != NULL;
	freeifaddrs(ifs);
	return found;
}

/* Host and port of the first udp: item of sip.listen, as PnP binds
 * them (the phone's own SIP port, like real phones). */
static bool pnp_address(const conf_t *local, char *host, size_t size,
			unsigned *port)
{
	const char *ifname = conf_str(local, "provisioning.interface");

	for (size_t i = 0; i < conf_list_count(local, "sip.listen"); i++) {
		const char *item = conf_list_item(local, "sip.listen", i);
		const char *colon = strrchr(item, ':');

		if (strncmp(item, "udp:", 4) != 0 || !colon)
			continue;
		*port = (unsigned)atoi(colon + 1);
		snprintf(host, size, "%.*s", (int)(colon - item - 4), item + 4);
		if (*ifname)
			return interface_addr(ifname, host, size);
		if (strcmp(host, "0.0.0.0") == 0)
			/* the route toward the PnP group */
			return pn_route_source("224.0.1.75", host, size);
		return inet_pton(AF_INET, host, &(struct in_addr){ 0 }) == 1;
	}
	return false;
}

/* ---- events ------------------------------------------------------------ */

/* The human words for the keyword STAGE (the JSON keeps the keyword). */
static const char *stage_text(const char *stage)
{
	if (strcmp(stage, "url") == 0)
		return _("finding the URL");
	if (strcmp(stage, "fetch") == 0)
		return _("fetching the file");
	if (strcmp(stage, "validate") == 0)
		return _("checking the file");
	if (strcmp(stage, "save") == 0)
		return _("saving the configuration");
	if (strcmp(stage, "pnp") == 0)
		return _("PnP discovery");
	return stage;
}

static void failed(prov_t *p, const char *stage, const char *reason)
{
	char text[1024];

	snprintf(text, sizeof(text), _("provisioning failed (%s): %s"),
		 stage_text(stage), reason);
	ua_event_emit(p->ev, "provisioning_failed", text, "{s:s, s:s, s:s*}",
		      "stage", stage, "reason", reason, "url",
		      p->url[0] ? p->url : NULL);
}

/* ---- the run ------------------------------------------------------- */

static void schedule(prov_t *p);
static void start_fetch(prov_t *p, const char *url);

/* End of a run: tell the owner, arm the next re-check. */
static void run_end(prov_t *p, conf_t *conf)
{
	bool boot = p->booting;

	p->booting = false;
	schedule(p);
	if (conf || boot)
		p->apply(p->arg, conf, boot);
}

static int save_layer(prov_t *p, const conf_t *layer, char *err,
		      size_t errsz)
{
	const char *dir = conf_str(p->local, "provisioning.state_dir");
	char *path = state_path(p->local);
	int rc = -1;

	if (!path)
		snprintf(err, errsz, "%s", strerror(ENOMEM));
	else if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
	else
		rc = conf_save(layer, path, err, errsz);
	free(path);
	return rc;
}

/* Validate DATA as a provisioned file; keep and apply it when good. */
static void take_file(prov_t *p, const char *data, size_t len)
{
	conf_t *layer = conf_new(), *old_eff = NULL, *new_eff = NULL;
	conf_t *result = NULL;
	json_t *changed = json_array();
	char err[1024], text[1024];
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0, n;
	bool same;

	if (!layer || !changed) {
		failed(p, "validate", strerror(ENOMEM));
		goto out;
	}
	if (prov_file_load(layer, p->url, data, len, err, sizeof(err)) < 0) {
		failed(p, "validate", err);
		goto out;
	}
	/* The URL it came from is the one to re-check, unless the file
	 * names another (AudioCodes provisioning/configuration/url). */
	if (!conf_is_set(layer, "provisioning.url") &&
	    conf_set(layer, "provisioning.url", p->url, err,
		     sizeof(err)) < 0) {
		failed(p, "validate", err);
		goto out;
	}
	new_eff = overlay(p->local, layer, err, sizeof(err));
	if (new_eff)
		old_eff = overlay(p->local, p->layer, err, sizeof(err));
	if (!new_eff || !old_eff) {
		failed(p, "validate", err);
		goto out;
	}
	for (size_t i = 0; i < conf_key_count(); i++) {
		const char *k = conf_key_at(i)->name;

		if (strcmp(conf_str(old_eff, k), conf_str(new_eff, k)) != 0)
			json_array_append_new(changed, json_string(k));
	}
	n = json_array_size(changed);
	a = serialize(layer, &alen);
	b = serialize(p->layer, &blen);
	same = a && b && alen == blen && memcmp(a, b, alen) == 0;
	if (!same && save_layer(p, layer, err, sizeof(err)) < 0) {
		failed(p, "save", err);
		goto out;
	}
	if (same)
		snprintf(text, sizeof(text),
			 _("provisioned from %s: unchanged"), p->url);
	else
		snprintf(text, sizeof(text),
			 P_("provisioned from %s: %zu key changed",
			    "provisioned from %s: %zu keys changed", n),
			 p->url, n);
	ua_event_emit(p->ev, "provisioned", text, "{s:s, s:o, s:b}", "url",
		      p->url, "changed", changed, "unchanged", same);
	changed = NULL;
	if (!same) {
		conf_free(p->layer);
		p->layer = layer;
		layer = NULL;
	}
	if (n > 0) {
		result = new_eff;
		new_eff = NULL;
	}
out:
	free(a);
	free(b);
	json_decref(changed);
	conf_free(layer);
	conf_free(old_eff);
	conf_free(new_eff);
	p->url[0] = '\0';
	run_end(p, result);
}

static void on_fetched(void *arg, const char *data, size_t len,
		       const char *reason)
{
	prov_t *p = arg;
	prov_fetch_t *f = p->fetch;   /* owns DATA: freed last */
	char text[PROV_URL_MAX + 64];

	p->fetch = NULL;
	if (!data) {
		failed(p, "fetch", reason);
		p->url[0] = '\0';
		run_end(p, NULL);
	} else {
		snprintf(text, sizeof(text),
			 _("provisioning: fetched %s (%zu bytes)"), p->url, len);
		ua_event_emit(p->ev, "provisioning_fetch", text, "{s:s, s:I}",
			      "url", p->url, "bytes", (json_int_t)len);
		take_file(p, data, len);
	}
	prov_fetch_destroy(f);
}

static void start_fetch(prov_t *p, const char *raw)
{
	char err[512], ua[256];
	prov_fetch_opts_t o = {
		.ca_file = eff_str(p, "provisioning.ca_file"),
		.user_agent = ua,
		.connect_timeout = eff_uint(p, "provisioning.connect_timeout"),
		.timeout = eff_uint(p, "provisioning.timeout"),
		.max_bytes = eff_uint(p, "provisioning.max_size"),
	};

	snprintf(ua, sizeof(ua), "%s %s/%s", *eff_str(p, "sip.user_agent")
		 ? eff_str(p, "sip.user_agent") : PACKAGE_NAME "/" VERSION,
		 eff_str(p, "provisioning.model"), VERSION);
	if (prov_url_normalize(raw, strlen(raw), p->mac,
			       eff_str(p, "provisioning.model"), p->url,
			       sizeof(p->url), err, sizeof(err)) < 0) {
		p->url[0] = '\0';
		failed(p, "url", err);
		run_end(p, NULL);
		return;
	}
	p->fetch = prov_fetch_start(p->root, p->url, &o, on_fetched, p, err,
				    sizeof(err));
	if (!p->fetch) {
		failed(p, "fetch", err);
		p->url[0] = '\0';
		run_end(p, NULL);
	}
}

/* The URL to fetch when PnP gave none. */
static const char *known_url(const prov_t *p)
{
	return eff_str(p, "provisioning.url");
}

static void on_pnp_done(void *arg, const char *url)
{
	prov_t *p = arg;
	char copy[PROV_URL_MAX];

	snprintf(copy, sizeof(copy), "%s", url ? url : known_url(p));
	prov_pnp_destroy(p->pnp);
	p->pnp = NULL;
	if (!url || !layer_empty(p->layer)) {
		/* With a last good file (or nothing new to fetch) the phone
		 * starts now; a fetch goes on in the background. */
		p->booting = false;
		p->apply(p->arg, NULL, true);
	}
	if (*copy)
		start_fetch(p, copy);
	else
		schedule(p);
}

static void on_period(su_root_magic_t *magic, su_timer_t *t, void *arg)
{
	prov_t *p = arg;

	(void)magic;
	(void)t;
	prov_run_now(p);
}

static void schedule(prov_t *p)
{
	unsigned period = eff_uint(p, "provisioning.period");
	unsigned spread = eff_uint(p, "provisioning.random_delay");
	unsigned long secs;

	su_timer_reset(p->period_timer);
	if (period == 0 || !*known_url(p))
		return;
	secs = period + (spread ? (unsigned long)random() % (spread + 1) : 0);
	su_timer_set_interval(p->period_timer, on_period, p,
			      (su_duration_t)(secs > 2000000 ? 2000000 : secs)
			      * 1000);
}

void prov_run_now(prov_t *p)
{
	if (p->pnp || p->fetch) {
		ua_event_emit(p->ev, "error",
			_("error: provisioning is already running"), "{s:s}",
			"message", _("provisioning is already running"));
		return;
	}
	if (!*known_url(p)) {
		failed(p, "url", _("no provisioning URL is known"));
		schedule(p);
		return;
	}
	start_fetch(p, known_url(p));
}

/* "auto" is for a phone out of the box: nothing in the local file says
 * where its configuration or its account is. */
static bool pnp_wanted(const conf_t *local)
{
	const char *mode = conf_str(local, "provisioning.pnp");

	return strcmp(mode, "on") == 0 ||
	       (strcmp(mode, "auto") == 0 &&
		!*conf_str(local, "provisioning.url") &&
		!*conf_str(local, "account.aor"));
}

bool prov_boot(prov_t *p)
{
	char host[64], err[512];
	unsigned port = 0;
	bool waits;
	prov_pnp_opts_t o = {
		.mac = p->mac,
		.profile_type = eff_str(p, "provisioning.profile_type"),
		.vendor = eff_str(p, "provisioning.vendor"),
		.model = eff_str(p, "provisioning.model"),
		.version = VERSION,
		.user_agent = *eff_str(p, "sip.user_agent")
			? eff_str(p, "sip.user_agent") : PACKAGE_NAME "/" VERSION,
		.window_ms = PNP_WINDOW_MS,
		.log_sip = conf_bool(p->local, "log.sip"),
	};

	if (pnp_wanted(p->local)) {
		if (!pnp_address(p->local, host, sizeof(host), &port) ||
		    port == 0) {
			failed(p, "pnp", _("PnP needs an IPv4 udp: entry with "
					   "a fixed port in sip.listen"));
		} else {
			o.host = host;
			o.port = port;
			p->pnp = prov_pnp_start(p->root, p->ev, &o, on_pnp_done,
						p, err, sizeof(err));
			if (p->pnp) {
				p->booting = true;
				return true;
			}
			failed(p, "pnp", err);
		}
	}
	if (!*known_url(p))
		return false;
	/* Out of the box the phone waits for its first file; with a last
	 * good one it starts on that at once. */
	waits = p->booting = layer_empty(p->layer);
	start_fetch(p, known_url(p));
	return waits;
}

prov_t *prov_create(su_root_t *root, const conf_t *local, ua_event_t *ev,
		    prov_apply_f *apply, void *arg)
{
	prov_t *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->root = root;
	p->local = local;
	p->ev = ev;
	p->apply = apply;
	p->arg = arg;
	p->layer = load_layer(local);
	p->period_timer = su_timer_create(su_root_task(root), 0);
	if (!p->layer || !p->period_timer) {
		prov_destroy(p);
		return NULL;
	}
	find_mac(local, p->mac);
	return p;
}

conf_t *prov_initial(prov_t *p)
{
	char err[1024];
	conf_t *c = overlay(p->local, p->layer, err, sizeof(err));

	if (!c) {
		/* The kept file no longer fits this local file. */
		fprintf(stderr, "pnphone: %s\n", err);
		conf_free(p->layer);
		p->layer = conf_new();
		c = overlay(p->local, NULL, err, sizeof(err));
	}
	return c;
}

void prov_destroy(prov_t *p)
{
	if (!p)
		return;
	prov_pnp_destroy(p->pnp);
	prov_fetch_destroy(p->fetch);
	su_timer_destroy(p->period_timer);
	conf_free(p->layer);
	free(p);
}

int prov_show_config(FILE *out, const conf_t *local)
{
	conf_t *layer = load_layer(local), *eff;
	char err[1024];

	if (!layer)
		return 1;
	eff = overlay(local, layer, err, sizeof(err));
	if (!eff) {
		fprintf(stderr, "pnphone: %s\n", err);
		conf_free(layer);
		return 2;
	}
	for (size_t i = 0; i < conf_key_count(); i++) {
		const char *k = conf_key_at(i)->name;
		const char *from = conf_is_set(layer, k) ? "provisioned"
				   : conf_is_set(local, k) ? "local" : "default";
		const char *v = conf_str(eff, k);

		if (strcmp(k, "account.password") == 0 && *v)
			v = "(hidden)";
		fprintf(out, "%-28s %-12s %s\n", k, from, v);
	}
	conf_free(eff);
	conf_free(layer);
	return 0;
}
