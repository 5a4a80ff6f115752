/*
 * prov.h - provisioning: find the configuration server, fetch the file,
 * validate it, keep it, apply it, and check it again periodically.
 *
 * Layers, lowest first: built-in defaults < the local file (--config) <
 * the provisioned file.  The last good provisioned file is kept, with the
 * URL it came from (as provisioning.url), in
 * provisioning.state_dir/provisioned.conf (written atomically, mode 0600);
 * a failed or bad download never touches it nor what runs.
 *
 * Start-up (prov_boot): SIP PnP discovery when provisioning.pnp is on, or
 * auto and the local file sets no provisioning.url (prov_pnp, 5 s at
 * most); then one fetch from the URL found, the static URL or the one kept
 * with the last good file.  A phone that has a last good file starts on it
 * at once and takes a newer file live; a phone without one (out of the
 * box) waits for that first fetch, bounded by provisioning.timeout.
 * After that, a re-check every provisioning.period seconds plus a random
 * 0..provisioning.random_delay, and at once on prov_run_now (the
 * `provision` command).  An unchanged file is not applied again.
 *
 * Events: provisioning_fetch (url, bytes), provisioned (url, changed:
 * the keys whose effective value changed, unchanged), provisioning_failed
 * (stage: pnp|url|fetch|validate|save, reason, url), plus prov_pnp's.
 */
#ifndef PN_PROV_H
#define PN_PROV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <sofia-sip/su_wait.h>

#include "conf/conf.h"
#include "ua/event.h"

typedef struct prov prov_t;

/*
 * A provisioning run ended.  CONF: the new effective configuration
 * (ownership passes to the callee), or NULL when what runs stays.  BOOT:
 * this ends the start-up run; the UA may start now.
 */
typedef void prov_apply_f(void *arg, conf_t *conf, bool boot);

/* LOCAL must outlive the prov_t.  NULL on ENOMEM. */
prov_t *prov_create(su_root_t *root, const conf_t *local, ua_event_t *ev,
		    prov_apply_f *apply, void *arg);
void prov_destroy(prov_t *p);

/* The configuration to start with: local overlaid with the last good
 * provisioned file (if it still validates).  A new conf; NULL on ENOMEM. */
conf_t *prov_initial(prov_t *p);

/* Start the start-up run.  True: APPLY(..., boot = true) will come from
 * the loop; false: nothing to wait for, start the UA now. */
bool prov_boot(prov_t *p);

/* Fetch again now (the `provision` command). */
void prov_run_now(prov_t *p);

/* Print every key's effective value and where it comes from
 * (default, local, provisioned); passwords are not shown. */
int prov_show_config(FILE *out, const conf_t *local);

#endif /* PN_PROV_H */
