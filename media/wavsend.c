/*
 * wavsend.c - a WAV file as one G.711 RTP stream, paced on the loop.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define SU_ROOT_MAGIC_T void
#include <sofia-sip/su_wait.h>

#include "common/i18n.h"
#include "media/audio.h"
#include "media/clock.h"
#include "media/g711.h"
#include "media/rtcp.h"
#include "media/rtp.h"
#include "media/wav.h"
#include "media/wavsend.h"

#define RATE 8000
#define MAX_SAMPLES (60 * RATE / 1000)
#define BURST_MS 200

struct media_wavsend {
	su_root_t *root;
	media_clock_t *clock;
	media_source_t *src;
	media_rtcp_t *rtcp;
	int fd;
	struct sockaddr_storage to, to_rtcp;
	socklen_t tolen;
	bool pcma;
	unsigned ptime_ms, samples;  /* per packet */
	uint64_t total, sent;        /* samples of the file, sent so far */
	uint64_t packets;
	uint64_t next_ms;
	uint32_t ssrc, ts;
	uint16_t seq;
	bool finished;
	media_wavsend_done_f *done;
	void *arg;
};

static socklen_t addr_of(struct sockaddr_storage *ss, const char *addr,
			 unsigned port)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (port == 0 || port > 65534)
		return 0;
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		return sizeof(*s6);
	}
	return 0;
}

/* How many samples the file holds, at 8 kHz; -1 and ERR if unreadable. */
static int64_t file_samples(const char *path, char *err, size_t errsz)
{
	media_wav_t *w = media_wav_open_read(path, err, errsz);
	int16_t buf[4096];
	uint64_t n = 0;
	size_t got;
	unsigned rate;

	if (!w)
		return -1;
	rate = media_wav_rate(w);
	while ((got = media_wav_read(w, buf, 4096)) > 0)
		n += got;
	media_wav_close(w);
	if (rate == 0)
		return 0;
	return (int64_t)(n * RATE / rate);
}

static void send_packet(media_wavsend_t *w)
{
	int16_t pcm[MAX_SAMPLES];
	uint8_t pkt[MEDIA_RTP_HDR + MAX_SAMPLES];
	uint64_t left = w->total - w->sent;
	size_t n = w->samples;
	media_rtp_hdr_t h = { .marker = w->packets == 0,
			      .pt = w->pcma ? 8 : 0, .seq = w->seq++,
			      .ts = w->ts, .ssrc = w->ssrc };

	media_source_read(w->src, pcm, n);
	if (left < n)   /* the file's end: silence, not its start again */
		memset(pcm + left, 0, (n - left) * sizeof(int16_t));
	if (w->pcma)
		media_g711_alaw_encode(pkt + MEDIA_RTP_HDR, pcm, n);
	else
		media_g711_ulaw_encode(pkt + MEDIA_RTP_HDR, pcm, n);
	media_rtp_write_hdr(pkt, &h);
	/* A receiver that is not there yet (ICMP unreachable) is not an
	 * error of ours: it may open its port any moment. */
	(void)sendto(w->fd, pkt, MEDIA_RTP_HDR + n, 0,
		     (const struct sockaddr *)&w->to, w->tolen);
	media_rtcp_sent(w->rtcp, w->ts, n);
	w->ts += (uint32_t)n;
	w->sent += left < n ? left : n;
	w->packets++;
}

static void finish(media_wavsend_t *w)
{
	uint8_t buf[256];
	size_t len = media_rtcp_build(w->rtcp, buf, sizeof(buf), true);

	if (len)
		(void)sendto(w->fd, buf, len, 0,
			     (const struct sockaddr *)&w->to_rtcp, w->tolen);
	w->finished = true;
	media_clock_stop(w->clock);
	if (w->done)
		w->done(w->arg);
}

static void on_tick(void *arg)
{
	media_wavsend_t *w = arg;
	uint64_t now = media_clock_now_ms();

	if (w->finished)
		return;
	if (now > w->next_ms + BURST_MS)
		w->next_ms = now;
	while (w->next_ms <= now && w->sent < w->total) {
		send_packet(w);
		w->next_ms += w->ptime_ms;
	}
	if (w->sent >= w->total)
		finish(w);        /* may free W: nothing after this */
}

media_wavsend_t *media_wavsend_new(su_root_t *root,
				   const media_wavsend_cfg_t *cfg,
				   media_wavsend_done_f *done, void *arg,
				   char *err, size_t errsz)
{
	media_wavsend_t *w = NULL;
	char spec[4096 + 8];
	int64_t total;

	if (cfg->ptime_ms < 10 || cfg->ptime_ms > 60 || cfg->ptime_ms % 10) {
		snprintf(err, errsz, "%s", _("the packet time must be 10 to "
					     "60 ms in steps of 10"));
		return NULL;
	}
	if (strlen(cfg->path) > sizeof(spec) - 8) {
		snprintf(err, errsz, "%s", _("file name too long"));
		return NULL;
	}
	total = file_samples(cfg->path, err, errsz);
	if (total < 0)
		return NULL;
	if (total == 0) {
		snprintf(err, errsz, _("%s has no audio"), cfg->path);
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		goto nomem;
	w->fd = -1;
	w->root = root;
	w->pcma = cfg->pcma;
	w->ptime_ms = cfg->ptime_ms;
	w->samples = cfg->ptime_ms * RATE / 1000;
	w->total = (uint64_t)total;
	w->done = done;
	w->arg = arg;
	w->ssrc = media_rtp_random();
	w->seq = (uint16_t)media_rtp_random();
	w->ts = media_rtp_random();
	w->tolen = addr_of(&w->to, cfg->addr, cfg->port);
	if (!w->tolen || !addr_of(&w->to_rtcp, cfg->addr, cfg->port + 1)) {
		snprintf(err, errsz, _("not a numeric address and port: %s %u"),
			 cfg->addr, cfg->port);
		goto fail;
	}
	snprintf(spec, sizeof(spec), "file:%s", cfg->path);
	w->src = media_source_open(spec, RATE, err, errsz);
	if (!w->src)
		goto fail;
	w->fd = socket(w->to.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
		       SOCK_CLOEXEC, 0);
	if (w->fd < 0) {
		snprintf(err, errsz, _("cannot open a UDP socket: %s"),
			 strerror(errno));
		goto fail;
	}
	w->rtcp = media_rtcp_new(w->ssrc, RATE);
	w->clock = media_clock_new(root, on_tick, w);
	if (!w->rtcp || !w->clock)
		goto nomem;
	w->next_ms = media_clock_now_ms();
	media_clock_every(w->clock, w->next_ms, w->ptime_ms);
	return w;
nomem:
	snprintf(err, errsz, "%s", _("out of memory"));
fail:
	media_wavsend_free(w);
	return NULL;
}

uint64_t media_wavsend_packets(const media_wavsend_t *w)
{
	return w->packets;
}

double media_wavsend_seconds(const media_wavsend_t *w)
{
	return (double)w->total / RATE;
}

void media_wavsend_free(media_wavsend_t *w)
{
	if (!w)
		return;
	media_clock_free(w->clock);
	media_rtcp_free(w->rtcp);
	media_source_close(w->src);
	if (w->fd >= 0)
		close(w->fd);
	free(w);
}
