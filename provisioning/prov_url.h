/*
 * prov_url.h - turn what a PnP server or a user gives as a provisioning
 * URL into the one URL the phone fetches.
 *
 * Real servers send URLs in many shapes (AudioCodes, Snom, Yealink,
 * Planet ...), so the rules are lenient in form and strict in what they
 * let through:
 *
 *  - surrounding whitespace (and CR/LF) is trimmed; only the first line
 *    counts; inner whitespace or control characters are refused;
 *  - no scheme means TFTP: "10.0.0.1/x.cfg" is "tftp://10.0.0.1/x.cfg";
 *  - only tftp, http and https are accepted (scheme in any case); file:,
 *    ftp:, data: and every other scheme are refused;
 *  - AudioCodes' "proto://server/FIRMWARE;CONFIG": the part after the
 *    last ';' of the path names the configuration file, taken from the
 *    server's root ("tftp://h/fw.img;c.cfg" -> "tftp://h/c.cfg");
 *  - placeholders <MAC>, {mac}, $MAC (any case) become the MAC address
 *    as 12 lowercase hex digits, <MODEL>, {model}, $MODEL the model
 *    (percent-encoded where needed);
 *  - an empty path, or one that ends with '/', gets "<mac>.cfg"
 *    (12 lowercase hex digits, no separators: "00163e5a1b2c.cfg").
 *
 * Pure string work: no I/O, no allocation.
 */
#ifndef PN_PROV_URL_H
#define PN_PROV_URL_H

#include <stddef.h>

#define PROV_URL_MAX 1024

/*
 * Normalise IN (LEN bytes, not necessarily NUL-terminated) into OUT.
 * MAC must be 12 lowercase hex digits; MODEL may be empty.  0 on
 * success; -1 with a one-line reason in ERR otherwise.
 */
int prov_url_normalize(const char *in, size_t len, const char *mac,
		       const char *model, char *out, size_t outsz,
		       char *err, size_t errsz);

/* Is S 12 hex digits (either case)? */
int prov_url_mac_valid(const char *s);

#endif /* PN_PROV_URL_H */
