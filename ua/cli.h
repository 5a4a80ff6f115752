/*
 * cli.h - the command language read on stdin, one command a line.
 *
 * Pure parsing, no I/O: ua_cli_parse() turns a line into a command that
 * main() hands to the UA.  Call-related commands take an optional call id
 * (the number in the call_* events); without it they act on the current
 * call (the ringing one for answer/reject, else the newest live call).
 *
 *   dial URI                 call URI (sip:, sips:, tel:, or user / user@host)
 *   answer [CALL]            answer a ringing call
 *   reject [busy|decline] [CALL]  486 Busy Here (default) or 603 Decline
 *   hangup [CALL]            CANCEL before the answer, BYE after
 *   hold [CALL] / resume [CALL]
 *   dtmf DIGITS [CALL]       0-9 * # A-D
 *   transfer URI [CALL]      blind transfer (REFER)
 *   register / unregister    refresh the registration now / remove it
 *   state text_entry none|web|other
 *   state local_procedure on|off
 *   provision                fetch the provisioning file again now
 *   devices                  list the portaudio sound devices
 *   status, help, quit
 */
#ifndef PN_UA_CLI_H
#define PN_UA_CLI_H

#include <stddef.h>

#define UA_CLI_ARG_MAX 512

typedef enum {
	UA_CLI_EMPTY = 0,   /* blank line or comment: nothing to do */
	UA_CLI_DIAL,
	UA_CLI_ANSWER,
	UA_CLI_REJECT,
	UA_CLI_HANGUP,
	UA_CLI_HOLD,
	UA_CLI_RESUME,
	UA_CLI_DTMF,
	UA_CLI_TRANSFER,
	UA_CLI_REGISTER,
	UA_CLI_UNREGISTER,
	UA_CLI_STATE,
	UA_CLI_STATUS,
	UA_CLI_HELP,
	UA_CLI_QUIT,
	UA_CLI_PROVISION,
	UA_CLI_DEVICES,
} ua_cli_kind_t;

typedef struct ua_cli_cmd {
	ua_cli_kind_t kind;
	int call;                   /* call id, 0 = current call */
	int code;                   /* reject: 486 or 603 */
	char arg[UA_CLI_ARG_MAX];   /* URI, digits, or state name */
	char value[32];             /* state value */
} ua_cli_cmd_t;

/* 0 and *CMD filled, or -1 and ERR says what is wrong with LINE. */
int ua_cli_parse(const char *line, ua_cli_cmd_t *cmd, char *err, size_t errsz);

/* The help text, one command a line. */
const char *ua_cli_help(void);

#endif /* PN_UA_CLI_H */
