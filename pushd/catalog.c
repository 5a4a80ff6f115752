/*
 * catalog.c - events and applications out of the configuration.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "pushd/catalog.h"

#define ID_MAX 64

bool pushd_catalog_has(const conf_t *c, const char *section, const char *id)
{
	char buf[ID_MAX + 1];
	size_t n = conf_id_count(c, section);

	for (size_t i = 0; i < n; i++)
		if (conf_id_at(c, section, i, buf, sizeof(buf)) == 0 &&
		    strcmp(buf, id) == 0)
			return true;
	return false;
}

/* "SECTION.ID.KEY" */
static const char *key(char *buf, size_t size, const char *section,
		       const char *id, const char *k)
{
	snprintf(buf, size, "%s.%s.%s", section, id, k);
	return buf;
}

int pushd_catalog_find(const conf_t *c, const char *id, pushd_event_t *out)
{
	char k[ID_MAX * 2 + 32];
	const char *app;

	memset(out, 0, sizeof(*out));
	if (!id || strlen(id) > ID_MAX || !pushd_catalog_has(c, "event", id))
		return 406;
	app = conf_str(c, key(k, sizeof(k), "event", id, "app"));
	if (!*app || strlen(app) > ID_MAX || !pushd_catalog_has(c, "app", app))
		return 404;
	if (!conf_bool(c, key(k, sizeof(k), "app", app, "published")))
		return 405;
	if (!conf_bool(c, key(k, sizeof(k), "event", id, "published")))
		return 407;
	out->id = id;
	out->app = app;
	out->name = conf_str(c, key(k, sizeof(k), "event", id, "name"));
	out->text = conf_str(c, key(k, sizeof(k), "event", id, "text"));
	out->title = conf_str(c, key(k, sizeof(k), "event", id, "title"));
	out->display = strcmp(conf_str(c, key(k, sizeof(k), "event", id,
					      "type")), "display") == 0;
	out->alert = (int)conf_uint(c, key(k, sizeof(k), "event", id,
					   "alert"));
	return 200;
}
