/*
 * dynlib.c - dlopen() a library and fill a table of its functions.
 */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/dynlib.h"
#include "common/i18n.h"

/* The libraries that could not be opened lately, and why. */
typedef struct {
	char soname[64];
	time_t at;              /* CLOCK_MONOTONIC seconds */
	char why[256];
} failure_t;

static failure_t failures[8];

static time_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static failure_t *failure_of(const char *soname)
{
	size_t i;

	for (i = 0; i < sizeof(failures) / sizeof(failures[0]); i++)
		if (strcmp(failures[i].soname, soname) == 0)
			return &failures[i];
	return NULL;
}

static void remember(const char *soname, const char *why)
{
	failure_t *f = failure_of(soname);
	size_t i;

	for (i = 0; !f && i < sizeof(failures) / sizeof(failures[0]); i++)
		if (!failures[i].soname[0])
			f = &failures[i];
	if (!f)
		f = &failures[0];       /* more libraries than we have */
	snprintf(f->soname, sizeof(f->soname), "%s", soname);
	snprintf(f->why, sizeof(f->why), "%s", why);
	f->at = now_s();
}

int pn_dynlib_open(const char *soname, const pn_dynlib_sym_t *syms,
		   size_t n, char *err, size_t errsz)
{
	void *h, *addr[64];
	failure_t *f = failure_of(soname);
	size_t i;

	if (f && now_s() - f->at < PN_DYNLIB_RETRY_S) {
		snprintf(err, errsz, "%s", f->why);
		return -1;
	}
	if (n > sizeof(addr) / sizeof(addr[0])) {
		snprintf(err, errsz, "%s: %s", soname, "too many symbols");
		return -1;
	}
	/* RTLD_NOW: a missing symbol shows here, not in the middle of a
	 * call; RTLD_LOCAL: its symbols stay out of everyone else's way. */
	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(err, errsz, _("cannot load %s: %s"), soname,
			 dlerror());
		remember(soname, err);
		return -1;
	}
	/* All or nothing: a table half filled would be a crash later. */
	for (i = 0; i < n; i++) {
		addr[i] = dlsym(h, syms[i].name);
		if (!addr[i]) {
			snprintf(err, errsz, _("%s has no %s"), soname,
				 syms[i].name);
			remember(soname, err);
			goto fail;
		}
	}
	for (i = 0; i < n; i++)
		*syms[i].ptr = addr[i];
	if (f)
		f->soname[0] = '\0';
	return 0;
fail:
	dlclose(h);     /* a reference count: an earlier open stays */
	return -1;
}
