/*
 * dynlib.c - dlopen() a library and fill a table of its functions.
 */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>

#include "common/dynlib.h"
#include "common/i18n.h"

int pn_dynlib_open(const char *soname, const pn_dynlib_sym_t *syms,
		   size_t n, char *err, size_t errsz)
{
	void *h, *addr[64];
	size_t i;

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
		return -1;
	}
	/* All or nothing: a table half filled would be a crash later. */
	for (i = 0; i < n; i++) {
		addr[i] = dlsym(h, syms[i].name);
		if (!addr[i]) {
			snprintf(err, errsz, _("%s has no %s"), soname,
				 syms[i].name);
			goto fail;
		}
	}
	for (i = 0; i < n; i++)
		*syms[i].ptr = addr[i];
	return 0;
fail:
	dlclose(h);     /* a reference count: an earlier open stays */
	return -1;
}
