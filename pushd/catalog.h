/*
 * catalog.h - the events and applications the gateway knows, read from
 * its configuration (pushd/keys.c):
 *
 *     app.<id>.name = Shop                 app.<id>.published = on
 *     event.<id>.name = Order shipped      event.<id>.app = <app id>
 *     event.<id>.published = on            event.<id>.type = topline
 *     event.<id>.text = Order {order} for {name} has shipped
 *     event.<id>.title = Shop              event.<id>.alert = 0..3
 *
 * pushd_catalog_find judges a request's eventid with the Volt MX codes,
 * in this order: 406 no such event, 404 its application is not defined,
 * 405 the application is not published, 407 the event is not
 * published; 200 and *OUT otherwise.  Pure: no I/O.
 */
#ifndef PN_PUSHD_CATALOG_H
#define PN_PUSHD_CATALOG_H

#include <stdbool.h>

#include "conf/conf.h"

typedef struct pushd_event {
	const char *id;
	const char *name;
	const char *app;
	const char *text;       /* template; "" = the request's data */
	const char *title;      /* display pushes */
	bool display;           /* event.<id>.type = display */
	int alert;
} pushd_event_t;

/* Strings in *OUT point into C (and ID). */
int pushd_catalog_find(const conf_t *c, const char *id, pushd_event_t *out);
/* Is ID defined in SECTION ("event", "app")? */
bool pushd_catalog_has(const conf_t *c, const char *section, const char *id);

#endif /* PN_PUSHD_CATALOG_H */
