/*
 * ua_priv.h - what ua.c, reg.c and call.c share; not for other modules.
 *
 * Every nua handle the UA creates carries a magic that starts with a
 * ua_obj_kind, so the one nua callback can hand each event to the part
 * that owns the handle.
 */
#ifndef PN_UA_PRIV_H
#define PN_UA_PRIV_H

#include <stdbool.h>

#define NUA_MAGIC_T void
#define NUA_HMAGIC_T void
#define SU_ROOT_MAGIC_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag.h>

#include "ua/ua.h"

typedef enum { UA_OBJ_REG = 1, UA_OBJ_CALL, UA_OBJ_PING } ua_obj_kind_t;

typedef struct ua_reg ua_reg_t;
typedef struct ua_call ua_call_t;

/* What a request has answered of its challenges so far. */
typedef struct ua_auth_track {
	char realm[128];   /* realm of the last challenge answered */
	unsigned count;
} ua_auth_track_t;

struct ua {
	su_home_t home[1];
	su_root_t *root;
	nua_t *nua;
	const conf_t *conf;
	ua_event_t *ev;
	ua_state_t *state;
	ua_reg_t *reg;
	ua_call_t *calls;         /* singly linked, newest first */
	char *aor;                /* account.aor, or sip:user@host of listen */
	char *contact_host;       /* the host sip.listen binds, "" if any */
	char *listen_url;         /* what nua binds (sip.listen as a URL) */
	char *proxy;              /* account.outbound_proxy or NULL */
	char via_host[64];        /* our Via sent-by of the last 2xx REGISTER */
	bool ping_pending;        /* a keep-alive OPTIONS awaits its answer */
	bool quitting;
	bool media_suspended;     /* ua_media_suspend: an audio push plays */
	bool shutdown_sent;
	bool shutdown_done;       /* nua_r_shutdown final: nua_destroy ok */
	su_timer_t *quit_timer;
	su_timer_t *ping_timer;   /* OPTIONS keep-alive */
	struct media_player *ringer; /* plays while a call rings in */
	bool ringer_failed;       /* told once per ringing spell */
	struct { ua_obj_kind_t kind; nua_handle_t *nh; } ping;
	ua_auth_track_t ping_auth;  /* the keep-alive's challenges */
};

/* ua.c: shared helpers */

/*
 * Answer the 401/407 in SIP with the account's credentials (calls
 * nua_authenticate on NH).  False when it should not be answered: a
 * second challenge for a realm already answered (and not marked stale)
 * means the credentials were refused.
 */
bool ua_auth_answer(ua_t *ua, ua_auth_track_t *tr, nua_handle_t *nh,
		    const sip_t *sip);
/*
 * Whether the Contact of a dialog or binding whose requests go OVER_TCP
 * must say transport=tcp: when the phone also listens on UDP, nua's
 * Contact names no transport and the peer would send its requests over
 * UDP (RFC 3261 section 19.1.1).  Listening on TCP alone, nua says it.
 */
bool ua_contact_tcp(const ua_t *ua, bool over_tcp);
/* Whether URI says transport=tcp. */
bool ua_uri_tcp(const char *uri);
/* URI with ;transport=tcp added when sip.transport says so (a copy). */
char *ua_uri_with_transport(ua_t *ua, const char *uri);
/* Local numeric address toward PEER_HOST (or the listen address). */
void ua_local_addr(ua_t *ua, const char *peer_host, char *buf, size_t size);
/* The event for a failure: code, reason, and the catalogue text. */
void ua_emit_failure(ua_t *ua, const char *name, const char *what, int call,
		     int status, const char *phrase, const char *extra_key,
		     const char *extra_val, int retry_in);
void ua_maybe_finish_quit(ua_t *ua);

/* reg.c */
ua_reg_t *ua_reg_create(ua_t *ua);
void ua_reg_destroy(ua_reg_t *reg);
void ua_reg_start(ua_reg_t *reg);
void ua_reg_event(ua_reg_t *reg, nua_event_t event, int status,
		  const char *phrase, nua_handle_t *nh, const sip_t *sip);
/* Starts the un-REGISTER; 1 when one is in progress, 0 if not needed. */
int ua_reg_stop(ua_reg_t *reg);
/* An un-REGISTER is in flight (ours, or of a binding we moved from). */
bool ua_reg_busy(const ua_reg_t *reg);
const char *ua_reg_status(const ua_reg_t *reg);
/* The registrar in use (after failover and redirects), or NULL. */
const char *ua_reg_target(const ua_reg_t *reg);
/* the registrar holding our binding now, or NULL */
const char *ua_reg_registered_at(const ua_reg_t *reg);

/* call.c */
void ua_call_incoming(ua_t *ua, nua_handle_t *nh, const sip_t *sip);
void ua_call_event(ua_t *ua, ua_call_t *call, nua_event_t event, int status,
		   const char *phrase, nua_handle_t *nh, const sip_t *sip,
		   tagi_t tags[]);
void ua_call_command(ua_t *ua, const ua_cli_cmd_t *cmd);
/* Ends every call; returns how many are still ending. */
int ua_call_end_all(ua_t *ua);
void ua_call_free_all(ua_t *ua);

#endif /* PN_UA_PRIV_H */
