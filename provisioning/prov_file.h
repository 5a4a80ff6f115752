/*
 * prov_file.h - read a provisioned configuration file.
 *
 * A provisioning server sends the phone a text file of "key = value"
 * lines.  It may be written in pnphone's own syntax (conf.h: the keys of
 * `pnphone --keys`, '#' comments) or with the keys a real AudioCodes 400HD
 * provisioning server sends ("voip/line/0/id=1001", ';' comments), or a
 * mix.  The AudioCodes keys are mapped onto pnphone's keys by one table in
 * prov_file.c (documented in README): line 0's id, auth_name,
 * auth_password and description; the SIP proxy, registrar and outbound
 * proxy addresses and ports; the transport; the registration lifetime;
 * the provisioning URL and period.  AudioCodes subtrees pnphone has no
 * use for (codecs, network, display, other lines ...) are listed once as
 * ignored; any other key is an error.
 *
 * Loading is all or nothing, as for the local file: a syntax error, an
 * unknown key or a bad value rejects the whole file and leaves the
 * configuration untouched.  Errors name the file and the line of the
 * original text.  A provisioned file may not set provisioning.state_dir
 * (it would let a server choose where the phone writes).
 */
#ifndef PN_PROV_FILE_H
#define PN_PROV_FILE_H

#include <stddef.h>

#include "conf/conf.h"

/* Overlay BUF (LEN bytes, named NAME in messages) onto C.  0 on success;
 * -1 with C unchanged and a one-line ERR otherwise. */
int prov_file_load(conf_t *c, const char *name, const char *buf, size_t len,
		   char *err, size_t errsz);

#endif /* PN_PROV_FILE_H */
