/*
 * pnphone_push.c - pnphone-push, the Push Initiator.
 *
 * Sends a push message to a phone's Push Agent (POST /forms/push, form
 * field XMLData) and prints the x-Push-Status it answers, with what it
 * means.  For topline, display and audio it is also the trusted push
 * server: it serves the content on its own address (--listen) until the
 * phone has pulled it, then exits; for audio it first streams the WAV
 * file as G.711 RTP (media/wavsend.h) to the port the phone named in its
 * pull (rtpLPort) and to the address the pull came from.  The POST itself is a blocking libcurl call
 * (a command-line tool has nothing else to do meanwhile); the serving
 * runs on a su_root with push/http.c, like the phone's agent.
 *
 * Exit status: 0 when the phone accepted (200, 204) and, when serving,
 * pulled the content; 1 for another x-Push-Status; 2 bad usage; 3 no
 * answer from the phone; 4 the phone never pulled the content.
 */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#define SU_WAKEUP_ARG_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include <ctype.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "common/i18n.h"
#include "common/root.h"
#include "media/wav.h"
#include "media/wavsend.h"
#include "push/http.h"
#include "push/msg.h"
#include "push/status.h"

#define CONTENT_PATH "/pnphone-push/content"

typedef struct opts {
	const char *listen;
	const char *mode;
	int alert;
	long timeout_s;
	bool quiet;
	/* audio */
	bool pcma;
	unsigned ptime;
	int timer;         /* AudioTimer to ask for, 0: the phone's default */
} opts_t;

typedef struct serve {
	su_root_t *root;
	const char *body;
	bool pulled;
	int ticks_after;   /* polls since the pull: lets the answer go out */
	/* audio: the content is made when the phone says its port */
	const opts_t *o;
	const char *wav;   /* NULL: not audio */
	const char *host;  /* ours, for RTPRx:// */
	char content[512];
	media_wavsend_t *send;
	bool sent, failed;
	su_timer_t *tmo;
} serve_t;

static void usage(FILE *out)
{
	fprintf(out, "%s", _(
"Usage: pnphone-push [OPTION]... COMMAND ARGS... PHONE\n"
"Send a push (Avaya push interface) to a phone's Push Agent and print the\n"
"x-Push-Status it answers.\n"
"\n"
"Commands:\n"
"  send FILE.xml PHONE     POST the push message in FILE as XMLData\n"
"  topline TEXT PHONE      push TEXT to the top line; serve it ourselves\n"
"  display FILE PHONE      push the page in FILE (WML/XML); serve it\n"
"  audio FILE.wav PHONE    audio push: serve the content, then stream\n"
"                          the WAV file (16-bit PCM, any rate) as G.711\n"
"                          RTP to the port the phone asks for\n"
"  stop PHONE              end the audio push playing (RTPRx://STOP,\n"
"                          always barge)\n"
"\n"
"PHONE is HOST[:PORT] (port 80 by default) or the agent's URL.\n"
"\n"
"Options:\n"
"  -b, --barge            barge priority (default normal)\n"
"  -a, --alert N          ring N alert pings first (0-3)\n"
"  -l, --listen HOST:PORT where to serve the content (default\n"
"                         127.0.0.1:0, any free port); the phone must\n"
"                         trust HOST (push.tpslist)\n"
"  -t, --timeout S        wait at most S seconds for the phone (10)\n"
"  -q, --quiet            print only the status line\n"
"  -c, --codec pcmu|pcma  audio: the G.711 law (default pcmu)\n"
"  -p, --ptime MS         audio: packet size, 10-60 ms (default 40)\n"
"  -T, --timer S          audio: AudioTimer, the phone ends the push\n"
"                         after S s without packets (5-30; default:\n"
"                         the phone's, 20)\n"
"  -h, --help             show this help\n"
"\n"
"Examples:\n"
"  pnphone-push topline 'Lunch is served' 127.0.0.1:8080\n"
"  pnphone-push --barge display news.wml 192.0.2.7\n"
"  pnphone-push send push.xml http://192.0.2.7/forms/push\n"
"  pnphone-push --barge --codec pcma audio notice.wav 192.0.2.7\n"
"  pnphone-push stop 192.0.2.7\n"
"\n"
"Exit status: 0 the phone accepted the push (200, 204) and pulled the\n"
"content; 1 another x-Push-Status; 2 bad usage; 3 no answer from the\n"
"phone; 4 the phone never pulled the content.\n"));
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;

	if (!f)
		return NULL;
	buf = malloc(PUSH_MSG_MAX * 4 + 1);
	if (buf)
		n = fread(buf, 1, PUSH_MSG_MAX * 4, f);
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

static char *agent_url(const char *phone)
{
	size_t n = strlen(phone) + 32;
	char *url = malloc(n);

	if (!url)
		return NULL;
	if (strncasecmp(phone, "http://", 7) == 0 ||
	    strncasecmp(phone, "https://", 8) == 0)
		snprintf(url, n, "%s", phone);
	else
		snprintf(url, n, "http://%s/forms/push", phone);
	return url;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	char *status = arg;
	size_t len = size * n;

	if (len > 15 && strncasecmp(p, "x-Push-Status:", 14) == 0) {
		size_t k = len - 14, skip = 14;

		while (k && (p[skip] == ' ' || p[skip] == '\t')) {
			skip++;
			k--;
		}
		if (k > 127)
			k = 127;
		memcpy(status, p + skip, k);
		status[k] = '\0';
		status[strcspn(status, "\r\n")] = '\0';
	}
	return len;
}

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* POST XML; the x-Push-Status code, or -1 when the phone did not answer. */
static int post(const char *phone, const char *xml, long timeout_s,
		char *status, size_t size)
{
	CURL *c = curl_easy_init();
	char *url = agent_url(phone), *field = NULL, *body = NULL;
	int code = -1;
	CURLcode rc;

	status[0] = '\0';
	if (!c || !url)
		goto out;
	field = curl_easy_escape(c, xml, 0);
	body = field ? malloc(strlen(field) + 9) : NULL;
	if (!body)
		goto out;
	sprintf(body, "XMLData=%s", field);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, status);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		snprintf(status, size, "%s", curl_easy_strerror(rc));
		goto out;
	}
	if (status[0])
		code = atoi(status);
	else
		snprintf(status, size, "%s",
			 _("the answer has no x-Push-Status"));
out:
	curl_free(field);
	free(body);
	free(url);
	curl_easy_cleanup(c);
	return code;
}

static void on_timeout(su_root_magic_t *m, su_timer_t *t, void *arg);

static void on_sent(void *arg)
{
	serve_t *s = arg;

	s->sent = true;
}

/* The audio content names our address and the port the phone asked
 * for; the stream starts as the content goes out. */
static void audio_content(serve_t *s, const push_http_req_t *req,
			  push_http_resp_t *resp)
{
	const char *p = push_http_arg(req, "rtpLPort");
	char *end = NULL, err[300], timer[64] = "";
	long port = p ? strtol(p, &end, 10) : 0;
	media_wavsend_cfg_t cfg = { .path = s->wav, .pcma = s->o->pcma,
				    .ptime_ms = s->o->ptime,
				    .addr = req->peer };

	if (!p || *end || port < 1024 || port > 65534) {
		resp->status = 400;
		resp->body = "rtpLPort missing or not a port\n";
		resp->len = strlen(resp->body);
		return;
	}
	if (s->o->timer)
		snprintf(timer, sizeof(timer), "<AudioTimer value=\"%d\"/>",
			 s->o->timer);
	snprintf(s->content, sizeof(s->content),
		 "<?xml version=\"1.0\"?><Response><Audio codec=\"%s\" "
		 "packetsize=\"%u\">%s<Url href=\"RTPRx://%s:%ld\"/>"
		 "</Audio></Response>", s->o->pcma ? "PCMA" : "PCMU",
		 s->o->ptime, timer, s->host, port);
	resp->ctype = "text/xml";
	resp->body = s->content;
	resp->len = strlen(s->content);
	if (s->send || s->failed)
		return;          /* a second pull: the stream is under way */
	cfg.port = (unsigned)port;
	s->send = media_wavsend_new(s->root, &cfg, on_sent, s, err,
				    sizeof(err));
	if (!s->send) {
		fprintf(stderr, "pnphone-push: %s\n", err);
		s->failed = true;
		return;
	}
	s->pulled = true;
	if (!s->o->quiet)
		printf(_("  streaming %s to %s:%ld (%.1f s)\n"), s->wav,
		       req->peer, port, media_wavsend_seconds(s->send));
	/* the pull is done; now the file's length bounds the wait */
	su_timer_set_interval(s->tmo, on_timeout, s->root,
		(su_duration_t)(media_wavsend_seconds(s->send) * 1000) +
		s->o->timeout_s * 1000);
}

static void on_content(void *arg, const push_http_req_t *req,
		       push_http_resp_t *resp)
{
	serve_t *s = arg;

	if (strcmp(req->path, CONTENT_PATH) != 0) {
		resp->status = 404;
		resp->body = "not found\n";
		resp->len = strlen(resp->body);
		return;
	}
	if (s->wav) {
		audio_content(s, req, resp);
		return;
	}
	resp->ctype = "text/xml";
	resp->body = s->body;
	resp->len = strlen(s->body);
	s->pulled = true;
}

static void on_timeout(su_root_magic_t *m, su_timer_t *t, void *arg)
{
	(void)m;
	(void)t;
	su_root_break(arg);
}

static void on_poll(su_root_magic_t *m, su_timer_t *t, void *arg)
{
	serve_t *s = arg;

	(void)m;
	(void)t;
	if (s->failed || (s->pulled && (!s->wav || s->sent) &&
			  ++s->ticks_after >= 2))
		su_root_break(s->root);
}

static char *xml_escape(const char *s)
{
	char *out = malloc(strlen(s) * 6 + 1), *d = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		const char *e = *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
			: *s == '&' ? "&amp;" : *s == '"' ? "&quot;" : NULL;

		if (e) {
			strcpy(d, e);
			d += strlen(e);
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
	return out;
}

static int report(int code, const char *status, const opts_t *o)
{
	if (code < 0) {
		fprintf(stderr, _("pnphone-push: no answer from the phone: %s\n"),
			status);
		return 3;
	}
	printf("x-Push-Status: %s\n", status);
	if (!o->quiet)
		printf("  %s\n", push_status_meaning(code));
	return push_status_accepted(code) ? 0 : 1;
}

/* Serve BODY (or, with WAV, the audio content made at the pull), push
 * TYPE pointing at it, wait for the pull (and the stream). */
static int serve_and_push(const char *type, const char *body,
			  const char *wav, const char *phone,
			  const opts_t *o)
{
	su_root_t *root = NULL;
	push_http_t *h = NULL;
	su_timer_t *tmo = NULL, *poll = NULL;
	serve_t s = { .body = body, .wav = wav, .o = o };
	const push_http_limits_t lim = { .max_body = 4096, .max_conns = 4,
					 .idle_s = 10, .head_max = 16384 };
	char err[256], status[128], host[128], xml[1024], alert[32] = "";
	const char *colon;
	int code, rc = 3;

	su_init();
	root = pn_root_create(NULL);
	s.root = root;
	if (root)
		h = push_http_new(root, o->listen, &lim, on_content, &s, err,
				  sizeof(err));
	if (!h) {
		fprintf(stderr, "pnphone-push: %s\n", root ? err : "su_root");
		rc = 2;
		goto out;
	}
	colon = strrchr(o->listen, ':');
	snprintf(host, sizeof(host), "%.*s",
		 colon ? (int)(colon - o->listen) : 0, o->listen);
	if (!*host || strcmp(host, "0.0.0.0") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	s.host = host;
	if (o->alert > 0)
		snprintf(alert, sizeof(alert), " alert=\"%d\"", o->alert);
	snprintf(xml, sizeof(xml), "<?xml version=\"1.0\"?><Push type=\"%s\" "
		 "mode=\"%s\"%s><go href=\"http://%s:%u" CONTENT_PATH
		 "\"/></Push>", type, o->mode, alert, host, push_http_port(h));
	/* the timers first: audio_content() moves the timeout */
	tmo = su_timer_create(su_root_task(root), 0);
	poll = su_timer_create(su_root_task(root), 50);
	s.tmo = tmo;
	if (!tmo || !poll)
		goto out;
	code = post(phone, xml, o->timeout_s, status, sizeof(status));
	rc = report(code, status, o);
	if (rc != 0)
		goto out;
	if (!s.pulled)
		su_timer_set_interval(tmo, on_timeout, root,
				      o->timeout_s * 1000);
	su_timer_run(poll, on_poll, &s);
	su_root_run(root);
	if (s.failed) {
		rc = 1;
	} else if (wav && s.pulled && !s.sent) {
		fprintf(stderr, "%s", _("pnphone-push: the stream did not "
					"end in time\n"));
		rc = 4;
	} else if (wav && s.pulled && !o->quiet) {
		printf(_("  sent %llu RTP packets\n"),
		       (unsigned long long)media_wavsend_packets(s.send));
	}
	if (s.failed || (wav && s.pulled)) {
		/* told above */
	} else if (!s.pulled) {
		fprintf(stderr, _("pnphone-push: the phone did not pull the "
				  "content within %ld s\n"), o->timeout_s);
		rc = 4;
	} else if (!o->quiet) {
		printf("%s", _("  the phone pulled the content\n"));
	}
out:
	media_wavsend_free(s.send);
	su_timer_destroy(tmo);
	su_timer_destroy(poll);
	push_http_free(h);
	if (root)
		su_root_destroy(root);
	su_deinit();
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "barge", no_argument, NULL, 'b' },
		{ "alert", required_argument, NULL, 'a' },
		{ "listen", required_argument, NULL, 'l' },
		{ "timeout", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "codec", required_argument, NULL, 'c' },
		{ "ptime", required_argument, NULL, 'p' },
		{ "timer", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	opts_t o = { .listen = "127.0.0.1:0", .mode = "normal",
		     .timeout_s = 10, .ptime = 40 };
	const char *cmd, *arg, *phone;
	char status[128], *text = NULL, *body = NULL;
	int opt, rc = 2;

	pn_i18n_init(NULL);
	while ((opt = getopt_long(argc, argv, "ba:l:t:qc:p:T:h", lopts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			o.mode = "barge";
			break;
		case 'a':
			o.alert = atoi(optarg);
			if (o.alert < 0 || o.alert > 3) {
				fprintf(stderr, "%s", _("pnphone-push: "
					"--alert is 0 to 3\n"));
				return 2;
			}
			break;
		case 'l':
			o.listen = optarg;
			break;
		case 't':
			o.timeout_s = atol(optarg);
			if (o.timeout_s < 1 || o.timeout_s > 3600)
				o.timeout_s = 10;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'c':
			if (strcasecmp(optarg, "pcmu") != 0 &&
			    strcasecmp(optarg, "pcma") != 0) {
				fprintf(stderr, "%s", _("pnphone-push: "
					"--codec is pcmu or pcma\n"));
				return 2;
			}
			o.pcma = strcasecmp(optarg, "pcma") == 0;
			break;
		case 'p':
			o.ptime = (unsigned)atoi(optarg);
			if (o.ptime < 10 || o.ptime > 60 || o.ptime % 10) {
				fprintf(stderr, "%s", _("pnphone-push: "
					"--ptime is 10 to 60 in steps of 10\n"));
				return 2;
			}
			break;
		case 'T':
			o.timer = atoi(optarg);
			if (o.timer < 5 || o.timer > 30) {
				fprintf(stderr, "%s", _("pnphone-push: "
					"--timer is 5 to 30\n"));
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	/* stop takes no content argument */
	if (argc - optind == 2 && strcmp(argv[optind], "stop") == 0) {
		cmd = argv[optind];
		arg = NULL;
		phone = argv[optind + 1];
	} else if (argc - optind == 3) {
		cmd = argv[optind];
		arg = argv[optind + 1];
		phone = argv[optind + 2];
	} else {
		usage(stderr);
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (strcmp(cmd, "send") == 0) {
		body = read_file(arg);
		if (!body) {
			fprintf(stderr, _("pnphone-push: cannot read %s\n"),
				arg);
		} else {
			int code = post(phone, body, o.timeout_s, status,
					sizeof(status));

			rc = report(code, status, &o);
		}
	} else if (strcmp(cmd, "topline") == 0) {
		char *esc = xml_escape(arg);

		text = esc ? malloc(strlen(esc) + 96) : NULL;
		if (text) {
			sprintf(text, "<?xml version=\"1.0\"?><Response><Topline>"
				"%s</Topline></Response>", esc);
			rc = serve_and_push("topline", text, NULL, phone, &o);
		}
		free(esc);
	} else if (strcmp(cmd, "display") == 0) {
		body = read_file(arg);
		if (!body)
			fprintf(stderr, _("pnphone-push: cannot read %s\n"),
				arg);
		else
			rc = serve_and_push("display", body, NULL, phone, &o);
	} else if (strcmp(cmd, "audio") == 0) {
		/* a file we cannot send is found out before the push */
		char err[300];
		media_wav_t *w = media_wav_open_read(arg, err, sizeof(err));

		if (!w)
			fprintf(stderr, "pnphone-push: %s\n", err);
		else
			rc = serve_and_push("audio", NULL, arg, phone, &o);
		media_wav_close(w);
	} else if (strcmp(cmd, "stop") == 0) {
		o.mode = "barge";   /* the reference: STOP pushes are barge */
		rc = serve_and_push("audio", "<?xml version=\"1.0\"?>"
				    "<Response><Audio><Url href=\"RTPRx://STOP"
				    "\"/></Audio></Response>", NULL, phone,
				    &o);
	} else {
		fprintf(stderr, _("pnphone-push: unknown command '%s'\n"), cmd);
		usage(stderr);
	}
	free(text);
	free(body);
	curl_global_cleanup();
	return rc;
}
