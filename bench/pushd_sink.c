/*
 * pushd_sink.c - bench/pushd-sink, the phones of bench/pushd: a minimal
 * Push Agent that answers every POST /forms/push at once with
 * "x-Push-Status: 200 Push Message Accepted" (push/http.c on a
 * su_root, like the phone's agent) and counts them.
 *
 *   bench/pushd-sink HOST:PORT EXPECT STATSFILE
 *
 * When the EXPECTth push has arrived it writes "COUNT FIRST_MS LAST_MS"
 * (wall-clock milliseconds of the first and last push) to STATSFILE;
 * it runs until SIGTERM.
 */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#define SU_WAKEUP_ARG_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "push/http.h"

typedef struct sink {
	unsigned long n, expect;
	long long first, last;
	const char *stats;
} sink_t;

static long long now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void on_req(void *arg, const push_http_req_t *req,
		   push_http_resp_t *resp)
{
	sink_t *s = arg;
	FILE *f;

	if (strcmp(req->path, "/forms/push") != 0) {
		resp->status = 403;
		return;
	}
	s->last = now_ms();
	if (!s->n++)
		s->first = s->last;
	resp->hdr[0][0] = "x-Push-Status";
	resp->hdr[0][1] = "200 Push Message Accepted";
	resp->nhdr = 1;
	if (s->n == s->expect && (f = fopen(s->stats, "w")) != NULL) {
		fprintf(f, "%lu %lld %lld\n", s->n, s->first, s->last);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	const push_http_limits_t lim = { .max_body = 8192, .max_conns = 1024,
					 .idle_s = 10, .head_max = 16384 };
	sink_t s = { 0 };
	su_root_t *root;
	push_http_t *h;
	char err[256];

	if (argc != 4) {
		fprintf(stderr, "usage: pushd-sink HOST:PORT EXPECT STATSFILE\n");
		return 2;
	}
	s.expect = strtoul(argv[2], NULL, 10);
	s.stats = argv[3];
	su_init();
	root = su_root_create(NULL);
	h = root ? push_http_new(root, argv[1], &lim, on_req, &s, err,
				 sizeof(err)) : NULL;
	if (!h) {
		fprintf(stderr, "pushd-sink: %s\n", root ? err : "su_root");
		return 1;
	}
	su_root_run(root);   /* until killed */
	push_http_free(h);
	su_root_destroy(root);
	su_deinit();
	return 0;
}
