/*
 * sdp.c - local audio SDP and reading back the agreed codec.
 */
#include "config.h"

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
	const char *rtpmap;   /* encoding/clock[/channels] */
	const char *fmtp;     /* or NULL */
};

/* Opus is always advertised as opus/48000/2 (RFC 7587 §7); FEC is what
 * keeps a call intelligible on a lossy link, so it is asked for. */
static const struct codec codecs[] = {
	{ "opus", MEDIA_PT_OPUS, "opus/48000/2",
	  "stereo=0;sprop-stereo=0;useinbandfec=1;maxaveragebitrate=32000;"
	  "maxplaybackrate=48000" },
	{ "pcmu", 0, "PCMU/8000", NULL },
	{ "pcma", 8, "PCMA/8000", NULL },
};

static const struct codec *codec_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(codecs) / sizeof(codecs[0]); i++)
		if (strcmp(codecs[i].name, name) == 0)
			return &codecs[i];
	return NULL;
}

char *media_sdp_local(const char *addr, unsigned port,
		      const char *const *names, size_t n)
{
	unsigned char buf[sizeof(struct in6_addr)];
	const char *family;
	char pts[64] = "", attrs[512] = "";
	size_t i, known = 0;
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
		size_t pl = strlen(pts), al = strlen(attrs);

		if (!c)
			continue;
		known++;
		snprintf(pts + pl, sizeof(pts) - pl, " %d", c->pt);
		al += (size_t)snprintf(attrs + al, sizeof(attrs) - al,
				       "a=rtpmap:%d %s\r\n", c->pt, c->rtpmap);
		if (c->fmtp && al < sizeof(attrs))
			snprintf(attrs + al, sizeof(attrs) - al,
				 "a=fmtp:%d %s\r\n", c->pt, c->fmtp);
	}
	if (known == 0)
		return NULL;

	f = open_memstream(&out, &outlen);
	if (!f)
		return NULL;
	/* soa replaces o= with its own session id and version; c= and the
	 * m= port are ours and must be where the peer can reach us. */
	fprintf(f, "v=0\r\n"
		"o=- 0 0 IN %s %s\r\n"
		"s=pnphone\r\n"
		"c=IN %s %s\r\n"
		"t=0 0\r\n"
		"m=audio %u RTP/AVP%s %d\r\n"
		"%s"
		"a=rtpmap:%d telephone-event/8000\r\n"
		"a=fmtp:%d 0-16\r\n"
		"a=ptime:20\r\n"
		"a=sendrecv\r\n",
		family, addr, family, addr, port, pts,
		MEDIA_PT_TELEPHONE_EVENT, attrs,
		MEDIA_PT_TELEPHONE_EVENT, MEDIA_PT_TELEPHONE_EVENT);
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

static sdp_media_t *audio_of(sdp_session_t *sess)
{
	sdp_media_t *m;

	for (m = sess ? sess->sdp_media : NULL; m; m = m->m_next)
		if (m->m_type == sdp_media_audio)
			return m;
	return NULL;
}

static int pt_of(const sdp_media_t *m, const char *codec)
{
	const sdp_rtpmap_t *rm;

	for (rm = m->m_rtpmaps; rm; rm = rm->rm_next) {
		const char *c = codec_of(rm);

		if (strcmp(codec, "telephone-event") == 0
		    ? rm->rm_encoding &&
		      strcasecmp(rm->rm_encoding, "telephone-event") == 0
		    : c && strcmp(c, codec) == 0)
			return rm->rm_pt;
	}
	return -1;
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

int media_sdp_negotiate(const char *local, const char *remote,
			bool answer_is_remote, media_sdp_neg_t *neg)
{
	su_home_t home[1] = { SU_HOME_INIT(home) };
	sdp_parser_t *lp = NULL, *rp = NULL;
	sdp_session_t *ls, *rs;
	sdp_media_t *lm, *rm, *am;
	const sdp_connection_t *conn;
	const sdp_rtpmap_t *map;
	const sdp_attribute_t *a;
	int rc = -1;

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
	neg->te_send_pt = pt_of(rm, "telephone-event");
	neg->te_recv_pt = pt_of(lm, "telephone-event");

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
		}
	}
	rc = 0;
out:
	sdp_parser_free(lp);
	sdp_parser_free(rp);
	su_home_deinit(home);
	return rc;
}
