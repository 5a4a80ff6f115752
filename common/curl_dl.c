/*
 * curl_dl.c - libcurl loaded and initialised on first use.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>

#include "common/curl_dl.h"
#include "common/i18n.h"

pn_curl_t pn_curl;

static const pn_dynlib_sym_t syms[] = {
	PN_DYNLIB_SYM(pn_curl, curl_global_init),
	PN_DYNLIB_SYM(pn_curl, curl_easy_init),
	PN_DYNLIB_SYM(pn_curl, curl_easy_setopt),
	PN_DYNLIB_SYM(pn_curl, curl_easy_getinfo),
	PN_DYNLIB_SYM(pn_curl, curl_easy_header),
	PN_DYNLIB_SYM(pn_curl, curl_easy_strerror),
	PN_DYNLIB_SYM(pn_curl, curl_easy_cleanup),
	PN_DYNLIB_SYM(pn_curl, curl_multi_init),
	PN_DYNLIB_SYM(pn_curl, curl_multi_setopt),
	PN_DYNLIB_SYM(pn_curl, curl_multi_add_handle),
	PN_DYNLIB_SYM(pn_curl, curl_multi_remove_handle),
	PN_DYNLIB_SYM(pn_curl, curl_multi_assign),
	PN_DYNLIB_SYM(pn_curl, curl_multi_socket_action),
	PN_DYNLIB_SYM(pn_curl, curl_multi_info_read),
	PN_DYNLIB_SYM(pn_curl, curl_multi_cleanup),
	PN_DYNLIB_SYM(pn_curl, curl_url),
	PN_DYNLIB_SYM(pn_curl, curl_url_set),
	PN_DYNLIB_SYM(pn_curl, curl_url_get),
	PN_DYNLIB_SYM(pn_curl, curl_url_cleanup),
	PN_DYNLIB_SYM(pn_curl, curl_free),
};

int pn_curl_load(char *err, size_t errsz)
{
	static bool ready;

	if (ready)
		return 0;
	if (!pn_curl.curl_global_init &&
	    pn_dynlib_open(CURL_SONAME, syms, sizeof(syms) / sizeof(syms[0]),
			   err, errsz) < 0)
		return -1;
	/* Never undone: curl_global_cleanup() is for a program that is done
	 * with libcurl, and a phone pulls again. */
	if (pn_curl.curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errsz, "%s", _("libcurl cannot start"));
		return -1;
	}
	ready = true;
	return 0;
}
