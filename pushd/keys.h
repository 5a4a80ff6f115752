/*
 * keys.h - the configuration keys of pnphone-pushd (its own table for
 * conf/conf.h: the same key = value syntax and checks as the phone's
 * file).  Fixed keys pushd.*; one section per application (app.<id>.*)
 * and per event (event.<id>.*), see pushd/catalog.h.
 * `pnphone-pushd --keys` prints the table.
 */
#ifndef PN_PUSHD_KEYS_H
#define PN_PUSHD_KEYS_H

#include <stddef.h>

#include "conf/conf.h"

/* Every key at its default; NULL on ENOMEM. */
conf_t *pushd_conf_new(void);
size_t pushd_key_count(void);
const conf_key_t *pushd_key_at(size_t i);

#endif /* PN_PUSHD_KEYS_H */
