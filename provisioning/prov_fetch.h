/*
 * prov_fetch.h - download one provisioning file with libcurl, on the
 * phone's event loop.
 *
 * libcurl's multi interface drives the transfer: its sockets are
 * registered in the su_root and its timer is a su_timer, so a download
 * never blocks the loop (and needs no thread of ours).  What is fetched
 * is limited on purpose:
 *  - only tftp, http and https; redirects (3 at most) only to http(s);
 *  - connect timeout and total timeout as given; the connect timeout
 *    also bounds the wait for TFTP's first block and any stall (less
 *    than a byte a second for that long);
 *  - HTTP errors (404, 500 ...) fail instead of returning an error page;
 *  - at most MAX_BYTES, enforced while receiving (TFTP announces no size);
 *  - HTTPS peers are verified, against CA_FILE when given;
 *  - a TFTP server that answers the options (tsize, blksize) wrongly is
 *    asked once more without options.
 * The result is reported once, through DONE, from the loop (never from
 * inside prov_fetch_start).
 */
#ifndef PN_PROV_FETCH_H
#define PN_PROV_FETCH_H

#include <stddef.h>

#include <sofia-sip/su_wait.h>

typedef struct prov_fetch prov_fetch_t;

typedef struct prov_fetch_opts {
	const char *ca_file;       /* PEM bundle; NULL or "" = system's */
	const char *user_agent;
	unsigned connect_timeout;  /* seconds */
	unsigned timeout;          /* seconds, whole transfer */
	size_t max_bytes;
} prov_fetch_opts_t;

/*
 * DATA/LEN: the file (valid during the call only), or DATA NULL and
 * REASON a one-line explanation.  The callee may prov_fetch_destroy().
 */
typedef void prov_fetch_done_f(void *arg, const char *data, size_t len,
			       const char *reason);

/* NULL (with ERR) when the transfer cannot even start. */
prov_fetch_t *prov_fetch_start(su_root_t *root, const char *url,
			       const prov_fetch_opts_t *opts,
			       prov_fetch_done_f *done, void *arg,
			       char *err, size_t errsz);
/* Cancels a transfer still running; DONE is then never called. */
void prov_fetch_destroy(prov_fetch_t *f);

#endif /* PN_PROV_FETCH_H */
