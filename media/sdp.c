/*
 * sdp.c - local audio SDP and reading back what was agreed.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <sofia-sip/su_alloc.h>
#include <sofia-sip/sdp.h>

#include "media/sdp.h"

struct codec {
	const char *name;     /* as in call.codecs */
	int pt;
	unsigned rate;        /* RTP clock */
	const char *rtpmap;   /* encoding/clock[/channels] */
	const char *fmtp;     /* or NULL */
};

/* The telephone-event clock rates we take from a peer: durations are
 * counted in its ticks, and 100 ms must fit their 16 bits. */
#define TE_RATE_MIN 1000
#define TE_RATE_MAX 192000

/* Opus is always advertised as opus/48000/2 (RFC 7587 §7); FEC is what
 * keeps a call intelligible on a lossy link, so it is asked for. */
static const struct codec codecs[] = {
	{ "opus", MEDIA_PT_OPUS, 48000, "opus/48000/2",
	  "stereo=0;sprop-stereo=0;useinbandfec=1;maxaveragebitrate=32000;"
	  "maxplaybackrate=48000" },
	{ "pcmu", 0, 8000, "PCMU/8000", NULL },
	{ "pcma", 8, 8000, "PCMA/8000", NULL },
};

static const struct codec *codec_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(codecs) / sizeof(codecs[0]); i++)
		if (strcmp(codecs[i].name, name) == 0)
			return &codecs[i];
	return NULL;
}

/* Append to the string BUF of SIZE bytes (cut short when full). */
static void cat(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cat(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

char *media_sdp_local(const char *addr, unsigned port,
		      const char *const *names, size_t n)
{
	unsigned char buf[sizeof(struct in6_addr)];
	const char *family;
	char pts[64] = "", attrs[768] = "";
	unsigned rates[4];
	size_t i, j, known = 0, nrates = 0;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;

	if (!addr || port == 0 || port > 65535)
		return NULL;
	if (inet_pton(AF_INET, addr, buf) == 1)
		family = "IP4";
	else if (inet_pton(AF_INET6, addr, buf) == 1)
		family = "IP6";
	else
		return NULL;

	for (i = 0; i < n; i++) {
		const struct codec *c = codec_by_name(names[i]);

		if (!c)
			continue;
		known++;
		cat(pts, sizeof(pts), " %d", c->pt);
		cat(attrs, sizeof(attrs), "a=rtpmap:%d %s\r\n", c->pt,
		    c->rtpmap);
		if (c->fmtp)
			cat(attrs, sizeof(attrs), "a=fmtp:%d %s\r\n", c->pt,
			    c->fmtp);
		for (j = 0; j < nrates && rates[j] != c->rate; j++)
			;
		if (j == nrates && nrates < 3)
			rates[nrates++] = c->rate;
	}
	if (known == 0)
		return NULL;
	/* A telephone-event for each clock rate, in the codecs' order (a
	 * peer without one at our codec's rate falls back to its first).
	 * 8000 always, as Asterisk does: baresip 1.0.0 has only that one,
	 * also in an Opus call. */
	for (j = 0; j < nrates && rates[j] != 8000; j++)
		;
	if (j == nrates)
		rates[nrates++] = 8000;
	for (j = 0; j < nrates; j++) {
		int pt = rates[j] == 48000 ? MEDIA_PT_TELEPHONE_EVENT_48K
					   : MEDIA_PT_TELEPHONE_EVENT;

		cat(pts, sizeof(pts), " %d", pt);
		cat(attrs, sizeof(attrs),
		    "a=rtpmap:%d telephone-event/%u\r\na=fmtp:%d 0-16\r\n",
		    pt, rates[j], pt);
	}

	f = open_memstream(&out, &outlen);
	if (!f)
		return NULL;
	/* soa replaces o= with its own session id and version (Debian's
	 * 1.12.11 ignores ours: 63 random bits each, where RFC 3264
	 * section 5 wants the version under 2^62 so that it cannot roll
	 * over; Asterisk's PJSIP keeps 32 bits of each, and increments
	 * still show).  c= and the m= port are ours and must be where the
	 * peer can reach us. */
	fprintf(f, "v=0\r\n"
		"o=- 0 0 IN %s %s\r\n"
		"s=pnphone\r\n"
		"c=IN %s %s\r\n"
		"t=0 0\r\n"
		"m=audio %u RTP/AVP%s\r\n"
		"%s"
		"a=ptime:20\r\n"
		"a=sendrecv\r\n",
		family, addr, family, addr, port, pts, attrs);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* Run FN on the first audio m-line of SDP; the parse lives in a
 * temporary home so nothing of it escapes. */
static const char *first_audio(const char *sdp, int want_te)
{
	su_home_t home[1] = { SU_HOME_INIT(home) };
	sdp_parser_t *parser;
	sdp_session_t *sess;
	sdp_media_t *m;
	const char *result = NULL;

	if (!sdp)
		return NULL;
	parser = sdp_parse(home, sdp, (issize_t)strlen(sdp), sdp_f_anynet);
	sess = sdp_session(parser);
	for (m = sess ? sess->sdp_media : NULL; m; m = m->m_next) {
		sdp_rtpmap_t *rm;

		if (m->m_type != sdp_media_audio || m->m_port == 0)
			continue;
		for (rm = m->m_rtpmaps; rm && !result; rm = rm->rm_next) {
			const char *enc = rm->rm_encoding;

			if (!enc)
				continue;
			if (want_te) {
				if (strcasecmp(enc, "telephone-event") == 0)
					result = "yes";
			} else if (strcasecmp(enc, "opus") == 0) {
				result = "opus";
			} else if (strcasecmp(enc, "PCMU") == 0) {
				result = "pcmu";
			} else if (strcasecmp(enc, "PCMA") == 0) {
				result = "pcma";
			}
		}
		break;
	}
	sdp_parser_free(parser);
	su_home_deinit(home);
	return result;
}

const char *media_sdp_agreed_codec(const char *sdp)
{
	return first_audio(sdp, 0);
}

int media_sdp_has_telephone_event(const char *sdp)
{
	return first_audio(sdp, 1) != NULL;
}

/* ---- negotiation ----------------------------------------------------- */

static const char *codec_of(const sdp_rtpmap_t *rm)
{
	const char *enc = rm->rm_encoding;

	if (!enc)
		return NULL;
	if (strcasecmp(enc, "opus") == 0 && rm->rm_rate == 48000)
		return "opus";
	if (strcasecmp(enc, "PCMU") == 0 && rm->rm_rate == 8000)
		return "pcmu";
	if (strcasecmp(enc, "PCMA") == 0 && rm->rm_rate == 8000)
		return "pcma";
	return NULL;
}

/* The audio stream: the first audio m-line in use.  One with port 0 is
 * disabled or rejected and keeps its place (RFC 3264 section 8.2), so
 * the live one may come later; RTP/SAVP and other profiles are not
 * ours and were answered with port 0. */
static sdp_media_t *audio_of(sdp_session_t *sess)
{
	sdp_media_t *m;

	for (m = sess ? sess->sdp_media : NULL; m; m = m->m_next)
		if (m->m_type == sdp_media_audio && m->m_port != 0 &&
		    m->m_proto == sdp_proto_rtp)
			return m;
	return NULL;
}

static int pt_of(const sdp_media_t *m, const char *codec)
{
	const sdp_rtpmap_t *rm;

	for (rm = m->m_rtpmaps; rm; rm = rm->rm_next) {
		const char *c = codec_of(rm);

		if (c && strcmp(c, codec) == 0)
			return rm->rm_pt;
	}
	return -1;
}

static bool is_te(const sdp_rtpmap_t *rm)
{
	return rm->rm_encoding &&
	       strcasecmp(rm->rm_encoding, "telephone-event") == 0;
}

static bool te_usable(const sdp_rtpmap_t *rm)
{
	return is_te(rm) && rm->rm_rate >= TE_RATE_MIN &&
	       rm->rm_rate <= TE_RATE_MAX;
}

/* M's first usable telephone-event at RATE, or at any rate (RATE 0). */
static sdp_rtpmap_t *te_at(const sdp_media_t *m, unsigned long rate)
{
	sdp_rtpmap_t *rm;

	for (rm = m->m_rtpmaps; rm; rm = rm->rm_next)
		if (te_usable(rm) && (!rate || rm->rm_rate == rate))
			return rm;
	return NULL;
}

/* The telephone-event of M to use with a codec clocked at RATE: the
 * one at that rate (RFC 4733 section 2.1), else the first. */
static sdp_rtpmap_t *te_for(const sdp_media_t *m, unsigned long rate)
{
	sdp_rtpmap_t *rm = te_at(m, rate);

	return rm ? rm : te_at(m, 0);
}

/* Does a format of M other than SELF use payload type PT? */
static bool pt_taken(const sdp_media_t *m, unsigned pt,
		     const sdp_rtpmap_t *self)
{
	const sdp_rtpmap_t *rm;

	for (rm = m->m_rtpmaps; rm; rm = rm->rm_next)
		if (rm != self && rm->rm_pt == pt)
			return true;
	return false;
}

/* The codec an answer to OM from LM takes: soa sorts the answer by the
 * offer and matches formats as sdp_rtpmap_find_matching does, so the
 * offer's first codec that we have heads it.  NULL: none in common. */
static const sdp_rtpmap_t *first_common(const sdp_media_t *lm,
					const sdp_media_t *om)
{
	const sdp_rtpmap_t *rm;

	for (rm = lm && om ? om->m_rtpmaps : NULL; rm; rm = rm->rm_next)
		if (codec_of(rm) && sdp_rtpmap_find_matching(lm->m_rtpmaps, rm))
			return rm;
	return NULL;
}

bool media_sdp_offer_usable(const char *local, const char *offer)
{
	su_home_t home[1] = { SU_HOME_INIT(home) };
	sdp_parser_t *lp, *op;
	bool usable;

	if (!local || !offer)
		return false;
	lp = sdp_parse(home, local, (issize_t)strlen(local), sdp_f_anynet);
	op = sdp_parse(home, offer, (issize_t)strlen(offer), sdp_f_anynet);
	usable = first_common(audio_of(sdp_session(lp)),
			      audio_of(sdp_session(op))) != NULL;
	sdp_parser_free(lp);
	sdp_parser_free(op);
	su_home_deinit(home);
	return usable;
}

char *media_sdp_for_offer(const char *local, const char *offer)
{
	su_home_t home[1] = { SU_HOME_INIT(home) };
	sdp_parser_t *lp = NULL, *op = NULL;
	sdp_printer_t *pr = NULL;
	sdp_media_t *lm, *om;
	sdp_rtpmap_t *rm, **prev, *keep = NULL;
	const sdp_rtpmap_t *codec = NULL, *te;
	unsigned pt;
	char *out = NULL;

	if (!local || !offer)
		return NULL;
	lp = sdp_parse(home, local, (issize_t)strlen(local), sdp_f_anynet);
	op = sdp_parse(home, offer, (issize_t)strlen(offer), sdp_f_anynet);
	lm = audio_of(sdp_session(lp));
	om = audio_of(sdp_session(op));
	codec = first_common(lm, om);
	if (!codec)
		goto out;
	te = te_for(om, codec->rm_rate);
	/* Our first telephone-event becomes the one, the others go. */
	for (prev = &lm->m_rtpmaps; (rm = *prev);) {
		if (is_te(rm) && (keep || !te)) {
			*prev = rm->rm_next;
			continue;
		}
		if (is_te(rm))
			keep = rm;
		prev = &rm->rm_next;
	}
	if (te && !keep)
		goto out;
	if (keep) {
		/* RFC 3264 section 6.1: the offer's payload type SHOULD be
		 * kept, which also spares the peer a second mapping. */
		pt = te->rm_pt;
		if (pt_taken(lm, pt, keep))
			for (pt = 96; pt < 128; pt++)
				if (!pt_taken(lm, pt, keep) &&
				    !pt_taken(om, pt, NULL))
					break;
		if (pt == 128)
			goto out;
		keep->rm_pt = pt;
		keep->rm_rate = te->rm_rate;
		keep->rm_params = NULL;
		keep->rm_predef = 0;
		keep->rm_fmtp = "0-16";
	}
	pr = sdp_print(home, sdp_session(lp), NULL, 0, sdp_f_all_rtpmaps);
	if (pr && !sdp_printing_error(pr) && sdp_message(pr))
		out = strdup(sdp_message(pr));
out:
	sdp_printer_free(pr);
	sdp_parser_free(lp);
	sdp_parser_free(op);
	su_home_deinit(home);
	return out;
}

/* Value of NAME=... in an fmtp string, 0 when absent. */
static unsigned fmtp_uint(const char *fmtp, const char *name)
{
	size_t n = strlen(name);
	const char *p = fmtp;

	while (p && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncasecmp(p, name, n) == 0 && p[n] == '=')
			return (unsigned)strtoul(p + n + 1, NULL, 10);
		p = strchr(p, ';');
	}
	return 0;
}

/* NEG->rx: the known codecs of the answer AM that both our SDP LM and
 * the peer's RM list, in the answer's order, each once.  RFC 3264
 * sections 5.1 and 6.1: a peer may switch to any of them mid-call
 * (Asterisk after a transcoding change), so the receiver follows. */
static void agreed_codecs(const sdp_media_t *am, const sdp_media_t *lm,
			  const sdp_media_t *rm, media_sdp_neg_t *neg)
{
	const sdp_rtpmap_t *map;
	unsigned i;

	for (map = am->m_rtpmaps; map && neg->n_rx < MEDIA_SDP_CODEC_MAX;
	     map = map->rm_next) {
		const char *name = codec_of(map);
		media_sdp_codec_t *c = &neg->rx[neg->n_rx];

		if (!name)
			continue;
		for (i = 0; i < neg->n_rx && strcmp(neg->rx[i].name, name); i++)
			;
		if (i < neg->n_rx)
			continue;
		c->pt = pt_of(lm, name);
		c->peer_pt = pt_of(rm, name);
		if (c->pt < 0 || c->peer_pt < 0)
			continue;
		snprintf(c->name, sizeof(c->name), "%s", name);
		c->rate = (unsigned)map->rm_rate;
		neg->n_rx++;
	}
}

int media_sdp_negotiate(const char *local, const char *remote,
			bool answer_is_remote, media_sdp_neg_t *neg)
{
	su_home_t home[1] = { SU_HOME_INIT(home) };
	sdp_parser_t *lp = NULL, *rp = NULL;
	sdp_session_t *ls, *rs;
	sdp_media_t *lm, *rm, *am;
	const sdp_connection_t *conn;
	const sdp_rtpmap_t *map, *te;
	const sdp_attribute_t *a;
	unsigned long rate;
	int rc = -1, n = 0;

	memset(neg, 0, sizeof(*neg));
	neg->te_send_pt = neg->te_recv_pt = -1;
	if (!local || !remote)
		return -1;
	lp = sdp_parse(home, local, (issize_t)strlen(local), sdp_f_anynet);
	rp = sdp_parse(home, remote, (issize_t)strlen(remote), sdp_f_anynet);
	ls = sdp_session(lp);
	rs = sdp_session(rp);
	lm = audio_of(ls);
	rm = audio_of(rs);
	if (!lm || !rm)
		goto out;
	am = answer_is_remote ? rm : lm;
	for (map = am->m_rtpmaps; map; map = map->rm_next)
		if (codec_of(map))
			break;
	if (!map)
		goto out;
	snprintf(neg->codec, sizeof(neg->codec), "%s", codec_of(map));
	neg->send_pt = pt_of(rm, neg->codec);
	neg->recv_pt = pt_of(lm, neg->codec);
	if (neg->send_pt < 0 || neg->recv_pt < 0)
		goto out;
	rate = map->rm_rate;
	te = te_for(rm, rate);
	if (te) {
		neg->te_send_pt = te->rm_pt;
		neg->te_send_rate = (unsigned)te->rm_rate;
		rate = te->rm_rate;
	}
	te = te_for(lm, rate);
	if (te)
		neg->te_recv_pt = te->rm_pt;
	for (map = lm->m_rtpmaps; map; map = map->rm_next)
		if (te_usable(map) && n < MEDIA_SDP_TE_MAX) {
			neg->te_recv[n].pt = map->rm_pt;
			neg->te_recv[n++].rate = (unsigned)map->rm_rate;
		}
	agreed_codecs(am, lm, rm, neg);

	conn = rm->m_connections ? rm->m_connections : rs->sdp_connection;
	if (!conn || !conn->c_address)
		goto out;
	snprintf(neg->addr, sizeof(neg->addr), "%s", conn->c_address);
	neg->port = rm->m_port;
	neg->rtcp_port = rm->m_port + 1;
	a = sdp_attribute_find(rm->m_attributes, "rtcp");
	if (a && a->a_value && strtoul(a->a_value, NULL, 10) > 0 &&
	    strtoul(a->a_value, NULL, 10) < 65536)
		neg->rtcp_port = (unsigned)strtoul(a->a_value, NULL, 10);
	a = sdp_attribute_find(rm->m_attributes, "ptime");
	if (a && a->a_value)
		neg->ptime = (unsigned)strtoul(a->a_value, NULL, 10);
	/* The directions as each side wrote them: we send when we said
	 * send and the peer said receive.  A zero port is a refusal. */
	neg->send = (lm->m_mode & sdp_sendonly) && (rm->m_mode & sdp_recvonly)
		    && rm->m_port != 0;
	neg->recv = (lm->m_mode & sdp_recvonly) && (rm->m_mode & sdp_sendonly)
		    && lm->m_port != 0;
	if (strcmp(neg->codec, "opus") == 0) {
		for (map = rm->m_rtpmaps; map; map = map->rm_next)
			if ((int)map->rm_pt == neg->send_pt)
				break;
		if (map && map->rm_fmtp) {
			neg->opus_bitrate = fmtp_uint(map->rm_fmtp,
						      "maxaveragebitrate");
			neg->opus_fec = fmtp_uint(map->rm_fmtp,
						  "useinbandfec") == 1;
			neg->opus_max_rate = fmtp_uint(map->rm_fmtp,
						       "maxplaybackrate");
		}
	}
	rc = 0;
out:
	sdp_parser_free(lp);
	sdp_parser_free(rp);
	su_home_deinit(home);
	return rc;
}
