/*
 * tps.h - the trusted push server list (TPSLIST) and the href check.
 *
 * push.tpslist holds comma-separated entries: a domain ("company.com",
 * ".company.com"), a domain or address with a path ("tps.example/push"),
 * optionally with a port ("10.0.0.5:8080"), or an IPv4/IPv6 address.
 * "/" alone trusts every server; an empty list disables push.
 *
 * Matching follows the Avaya examples, which are string based and not
 * anchored on a label boundary: "company.com" trusts www.company.com and
 * also www.hackercompany.com; ".company.com" trusts www.company.com but
 * not hackercompany.com.  Precisely (decided here; the guide gives only
 * examples):
 *   - the href must be an absolute http:// or https:// URL of at most
 *     1024 characters; its host is taken from a real URL parse (libcurl's),
 *     so "http://trusted@evil/" is judged on "evil";
 *   - a domain entry matches when the href's host ends with it
 *     (case-insensitive); an address entry only when equal;
 *   - an entry port must equal the href's port (80/443 when not given);
 *   - an entry path must be a prefix of the href's path;
 *   - a leading "http://" or "https://" in an entry is ignored.
 * No I/O and no state of its own; libcurl, whose URL parser it uses, is
 * loaded at the first check (common/curl_dl.h), and a check made without
 * it says so (PUSH_TPS_NO_PARSER) rather than judge the href.
 */
#ifndef PN_PUSH_TPS_H
#define PN_PUSH_TPS_H

#include <stdbool.h>
#include <stddef.h>

#define PUSH_HREF_MAX 1024

typedef enum {
	PUSH_TPS_TRUSTED = 0,
	PUSH_TPS_DISABLED,    /* the list is empty: 201 */
	PUSH_TPS_BAD_URI,     /* not a full URL, or too long: 501 */
	PUSH_TPS_NOT_HTTP,    /* another scheme: 402 */
	PUSH_TPS_UNTRUSTED,   /* no entry matches: 402 */
	PUSH_TPS_NO_PARSER,   /* libcurl, which parses the href, cannot be
				 loaded: 202, the phone's fault */
} push_tps_result_t;

/* Does the list have at least one entry? */
bool push_tps_enabled(const char *tpslist);
/* Is HREF a full URL of at most PUSH_HREF_MAX characters with a host?
 * (Any scheme: the subscription check needs this alone.) */
bool push_href_valid(const char *href);
/* ERR says why on PUSH_TPS_NO_PARSER. */
push_tps_result_t push_tps_check(const char *tpslist, const char *href,
				 char *err, size_t errsz);
/* The x-Push-Status code for a result (200 for trusted). */
int push_tps_code(push_tps_result_t r);

#endif /* PN_PUSH_TPS_H */
