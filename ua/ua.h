/*
 * ua.h - the SIP user agent: one account, its registration, its calls.
 *
 * Built on sofia-sip's nua, which runs on the caller's su_root (one event
 * loop for everything; nua's own thread is switched off).  Nothing of
 * nua's tag lists or its callback leaves ua/: the rest of pnphone talks to
 * the UA through the commands of cli.h and hears from it through the
 * events of event.h, and asks the phone state through ua_phone_state().
 *
 * Lifetime: ua_create() binds the SIP transports (and fails with a message
 * if it cannot), ua_start() registers when the configuration asks for it,
 * ua_quit() hangs up every call, un-REGISTERs (bounded in time) and shuts
 * nua down, then stops the root loop; ua_destroy() frees what is left.
 */
#ifndef PN_UA_H
#define PN_UA_H

#include <stdbool.h>
#include <stddef.h>

#include <sofia-sip/su_wait.h>

#include "conf/conf.h"
#include "ua/cli.h"
#include "ua/event.h"
#include "ua/state.h"

typedef struct ua ua_t;

/* NULL and ERR on failure (bad sip.listen, port in use, ENOMEM). */
ua_t *ua_create(su_root_t *root, const conf_t *conf, ua_event_t *ev,
		char *err, size_t errsz);
void ua_start(ua_t *ua);
/* Carry out one parsed CLI command. */
void ua_command(ua_t *ua, const ua_cli_cmd_t *cmd);
/* Graceful exit; breaks the root loop when done (at most ~6 s). */
void ua_quit(ua_t *ua);
void ua_destroy(ua_t *ua);

ua_state_t *ua_phone_state(ua_t *ua);
/* Is the account registered right now? (the push subscription service) */
bool ua_registered(ua_t *ua);
/*
 * Stop (ON) or restart the media of every call, locally: the peers are
 * not told (no re-INVITE, the calls stay up and are not marked held), so
 * a barge audio push can take the sound device.  Emits call_held /
 * call_resumed with "by": "push".  Calls answered meanwhile get their
 * media at the restart.
 */
void ua_media_suspend(ua_t *ua, bool on);

#endif /* PN_UA_H */
