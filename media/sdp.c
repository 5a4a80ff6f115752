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
	  "useinbandfec=1;maxaveragebitrate=32000;maxplaybackrate=48000" },
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
