/*
 * curl_dl.h - libcurl for the phone, loaded by the first transfer.
 *
 * Pulls (push/fetch.c), provisioning downloads (provisioning/
 * prov_fetch.c) and the URL parser the trust list and the push
 * subscriptions use (push/tps.c, push/sub.c) are rare in a phone's life;
 * libcurl, with OpenSSL's set-up and the Kerberos, LDAP and SSH libraries
 * behind it, is a megabyte and a half of resident memory from the moment
 * it is loaded.  So the phone
 * calls libcurl through pn_curl, filled by pn_curl_load() when a transfer
 * is about to start (common/dynlib.h):
 *
 *   if (pn_curl_load(err, sizeof(err)) < 0) ... err says why ...
 *   CURL *e = pn_curl.curl_easy_init();
 *
 * pn_curl_load() also runs curl_global_init() once; the library stays
 * loaded and initialised for the life of the process.  Include this
 * header instead of <curl/curl.h>: it turns off curl's type-checking
 * macros, which would otherwise rewrite pn_curl.curl_easy_setopt(...).
 */
#ifndef PN_CURL_DL_H
#define PN_CURL_DL_H

#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK
#endif
#include <stddef.h>
#include <curl/curl.h>

#include "common/dynlib.h"

typedef struct {
	PN_DYNLIB_PTR(curl_global_init);
	PN_DYNLIB_PTR(curl_easy_init);
	PN_DYNLIB_PTR(curl_easy_setopt);
	PN_DYNLIB_PTR(curl_easy_getinfo);
	PN_DYNLIB_PTR(curl_easy_header);
	PN_DYNLIB_PTR(curl_easy_strerror);
	PN_DYNLIB_PTR(curl_easy_cleanup);
	PN_DYNLIB_PTR(curl_multi_init);
	PN_DYNLIB_PTR(curl_multi_setopt);
	PN_DYNLIB_PTR(curl_multi_add_handle);
	PN_DYNLIB_PTR(curl_multi_remove_handle);
	PN_DYNLIB_PTR(curl_multi_assign);
	PN_DYNLIB_PTR(curl_multi_socket_action);
	PN_DYNLIB_PTR(curl_multi_info_read);
	PN_DYNLIB_PTR(curl_multi_cleanup);
	PN_DYNLIB_PTR(curl_url);
	PN_DYNLIB_PTR(curl_url_set);
	PN_DYNLIB_PTR(curl_url_get);
	PN_DYNLIB_PTR(curl_url_cleanup);
	PN_DYNLIB_PTR(curl_free);
} pn_curl_t;

/* Valid once pn_curl_load() has returned 0. */
extern pn_curl_t pn_curl;

/* Load and initialise libcurl (once): 0, or -1 with ERR saying why. */
int pn_curl_load(char *err, size_t errsz);

#endif /* PN_CURL_DL_H */
