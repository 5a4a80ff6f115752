/*
 * test_sdp.c - media/sdp.c: the telephone-events we offer, the one we
 * answer with, and which one each side sends with (RFC 4733 section 2.1:
 * the codec's clock rate, else the peer's first).  The peers' SDPs are
 * written as Asterisk 22, baresip 1.0.0 and sipp's scenarios send them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "media/sdp.h"

#define HEAD "v=0\r\no=peer 1 1 IN IP4 127.0.0.2\r\ns=-\r\n" \
	     "c=IN IP4 127.0.0.2\r\nt=0 0\r\n"

static char *local_sdp(const char *const *codecs, size_t n)
{
	char *sdp = media_sdp_local("127.0.0.1", 4000, codecs, n);

	assert_non_null(sdp);
	return sdp;
}

static char *offer_all(void)
{
	static const char *const all[] = { "opus", "pcmu", "pcma" };

	return local_sdp(all, 3);
}

static void test_offer(void **state)
{
	static const char *const pcmu[] = { "pcmu" };
	static const char *const opus[] = { "opus" };
	char *sdp;

	(void)state;
	sdp = offer_all();
	assert_non_null(strstr(sdp, "m=audio 4000 RTP/AVP 111 0 8 110 101\r\n"));
	assert_non_null(strstr(sdp, "a=rtpmap:110 telephone-event/48000\r\n"
				    "a=fmtp:110 0-16\r\n"));
	assert_non_null(strstr(sdp, "a=rtpmap:101 telephone-event/8000\r\n"
				    "a=fmtp:101 0-16\r\n"));
	free(sdp);
	sdp = local_sdp(pcmu, 1);
	assert_non_null(strstr(sdp, "m=audio 4000 RTP/AVP 0 101\r\n"));
	assert_null(strstr(sdp, "/48000"));
	free(sdp);
	/* 8000 also without G.711: the one baresip 1.0.0 has */
	sdp = local_sdp(opus, 1);
	assert_non_null(strstr(sdp, "m=audio 4000 RTP/AVP 111 110 101\r\n"));
	free(sdp);
}

/* We offered everything; the answer (REMOTE) decides. */
static void offerer(const char *answer, media_sdp_neg_t *neg)
{
	char *local = offer_all();

	assert_int_equal(media_sdp_negotiate(local, answer, true, neg), 0);
	free(local);
}

static void test_offerer_reads_answer(void **state)
{
	media_sdp_neg_t neg;

	(void)state;
	/* Asterisk 22: a telephone-event per clock rate, its numbers */
	offerer(HEAD "m=audio 5000 RTP/AVP 107 0 101 102\r\n"
		"a=rtpmap:107 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n"
		"a=rtpmap:102 telephone-event/48000\r\n", &neg);
	assert_string_equal(neg.codec, "opus");
	assert_int_equal(neg.send_pt, 107);
	assert_int_equal(neg.te_send_pt, 102);
	assert_int_equal(neg.te_send_rate, 48000);
	assert_int_equal(neg.te_recv_pt, 110);
	assert_int_equal(neg.te_recv[0].pt, 110);
	assert_int_equal(neg.te_recv[0].rate, 48000);
	assert_int_equal(neg.te_recv[1].pt, 101);
	assert_int_equal(neg.te_recv[1].rate, 8000);
	assert_int_equal(neg.te_recv[2].rate, 0);
	assert_int_equal(neg.opus_max_rate, 0);

	/* the fmtp of its Opus (RFC 7587): what the encoder must respect */
	offerer(HEAD "m=audio 5000 RTP/AVP 107 0 101\r\n"
		"a=rtpmap:107 opus/48000/2\r\n"
		"a=fmtp:107 maxplaybackrate=16000;maxaveragebitrate=20000;"
		"useinbandfec=1\r\n"
		"a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n",
		&neg);
	assert_int_equal(neg.opus_max_rate, 16000);
	assert_int_equal(neg.opus_bitrate, 20000);
	assert_true(neg.opus_fec);

	/* the same with PCMU first: the 8000 one */
	offerer(HEAD "m=audio 5000 RTP/AVP 0 107 101 102\r\n"
		"a=rtpmap:0 PCMU/8000\r\na=rtpmap:107 opus/48000/2\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n"
		"a=rtpmap:102 telephone-event/48000\r\n", &neg);
	assert_string_equal(neg.codec, "pcmu");
	assert_int_equal(neg.te_send_pt, 101);
	assert_int_equal(neg.te_send_rate, 8000);
	assert_int_equal(neg.te_recv_pt, 101);

	/* baresip 1.0.0: Opus with telephone-event/8000 only: fall back */
	offerer(HEAD "m=audio 5000 RTP/AVP 111 96\r\n"
		"a=rtpmap:111 opus/48000/2\r\n"
		"a=rtpmap:96 telephone-event/8000\r\n", &neg);
	assert_string_equal(neg.codec, "opus");
	assert_int_equal(neg.te_send_pt, 96);
	assert_int_equal(neg.te_send_rate, 8000);
	assert_int_equal(neg.te_recv_pt, 101);

	/* none: SIP INFO */
	offerer(HEAD "m=audio 5000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
		&neg);
	assert_int_equal(neg.te_send_pt, -1);
	assert_int_equal(neg.te_send_rate, 0);

	/* a clock no event duration fits in: not used */
	offerer(HEAD "m=audio 5000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
		"a=rtpmap:101 telephone-event/0\r\n", &neg);
	assert_int_equal(neg.te_send_pt, -1);
}

/* The capabilities we answer OFFER with: exactly one telephone-event,
 * "PT NAME/RATE" (or none when TE is NULL); then what we send with when
 * CODEC heads the answer (soa sorts it by the offer: not tried when
 * that order is not ours). */
static void answerer(const char *offer, const char *te, int te_pt,
		     unsigned rate, const char *codec)
{
	char *local = offer_all(), *caps, *p, want[64];
	media_sdp_neg_t neg;
	int n = 0;

	caps = media_sdp_for_offer(local, offer);
	assert_non_null(caps);
	for (p = caps; (p = strstr(p, "telephone-event")); p++)
		n++;
	assert_int_equal(n, te ? 1 : 0);
	if (te) {
		snprintf(want, sizeof(want), "a=rtpmap:%s\r\n", te);
		assert_non_null(strstr(caps, want));
	}
	/* the rest of what we have stays */
	assert_non_null(strstr(caps, "a=rtpmap:111 opus/48000/2\r\n"));
	assert_non_null(strstr(caps, "a=rtpmap:0 PCMU/8000\r\n"));
	assert_non_null(strstr(caps, "a=ptime:20\r\n"));
	assert_non_null(strstr(caps, "c=IN IP4 127.0.0.1\r\n"));
	if (codec) {
		assert_int_equal(media_sdp_negotiate(caps, offer, false, &neg),
				 0);
		assert_string_equal(neg.codec, codec);
		assert_int_equal(neg.te_send_pt, te_pt);
		assert_int_equal(neg.te_send_rate, rate);
		if (te)
			assert_int_equal(neg.te_recv_pt, atoi(te));
	}
	free(caps);
	free(local);
}

static void test_answerer(void **state)
{
	(void)state;
	/* Asterisk 22's offer: its telephone-event at Opus's rate */
	answerer(HEAD "m=audio 5000 RTP/AVP 107 0 101 102\r\n"
		 "a=rtpmap:107 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\n"
		 "a=rtpmap:101 telephone-event/48000\r\na=fmtp:101 0-16\r\n"
		 "a=rtpmap:102 telephone-event/8000\r\na=fmtp:102 0-16\r\n",
		 "101 telephone-event/48000", 101, 48000, "opus");
	/* PCMU first: the 8000 one */
	answerer(HEAD "m=audio 5000 RTP/AVP 0 107 101 102\r\n"
		 "a=rtpmap:0 PCMU/8000\r\na=rtpmap:107 opus/48000/2\r\n"
		 "a=rtpmap:101 telephone-event/48000\r\n"
		 "a=rtpmap:102 telephone-event/8000\r\n",
		 "102 telephone-event/8000", 102, 8000, NULL);
	/* baresip 1.0.0: only 8000 next to Opus: fall back to it */
	answerer(HEAD "m=audio 5000 RTP/AVP 111 0 8 101\r\n"
		 "a=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\n"
		 "a=rtpmap:8 PCMA/8000\r\n"
		 "a=rtpmap:101 telephone-event/8000\r\n",
		 "101 telephone-event/8000", 101, 8000, "opus");
	/* its number is taken by our Opus: the first free dynamic one */
	answerer(HEAD "m=audio 5000 RTP/AVP 96 111\r\n"
		 "a=rtpmap:96 opus/48000/2\r\n"
		 "a=rtpmap:111 telephone-event/48000\r\n",
		 "97 telephone-event/48000", 111, 48000, "opus");
	/* an offer without one: none in the answer */
	answerer(HEAD "m=audio 5000 RTP/AVP 0 9\r\na=rtpmap:0 PCMU/8000\r\n"
		 "a=rtpmap:9 G722/8000\r\n", NULL, -1, 0, NULL);
}

/* Codec I of NEG is NAME, ours PT, the peer's PEER_PT, at RATE. */
static void rx_is(const media_sdp_neg_t *neg, unsigned i, const char *name,
		  int pt, int peer_pt, unsigned rate)
{
	assert_true(i < neg->n_rx);
	assert_string_equal(neg->rx[i].name, name);
	assert_int_equal(neg->rx[i].pt, pt);
	assert_int_equal(neg->rx[i].peer_pt, peer_pt);
	assert_int_equal(neg->rx[i].rate, rate);
}

/* RFC 3264 sections 5.1 and 6.1: every codec both SDPs list may
 * arrive, in the answer's order, the first being the one we send. */
static void test_receive_codecs(void **state)
{
	static const char *const ulaw_alaw[] = { "pcmu", "pcma" };
	media_sdp_neg_t neg;
	char *local, *caps;
	const char *offer;

	(void)state;
	/* Asterisk's answer to our offer: Opus as 107, PCMU, PCMA */
	offerer(HEAD "m=audio 5000 RTP/AVP 107 0 8 101\r\n"
		"a=rtpmap:107 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\n"
		"a=rtpmap:8 PCMA/8000\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n", &neg);
	assert_string_equal(neg.codec, "opus");
	assert_int_equal(neg.n_rx, 3);
	rx_is(&neg, 0, "opus", 111, 107, 48000);
	rx_is(&neg, 1, "pcmu", 0, 0, 8000);
	rx_is(&neg, 2, "pcma", 8, 8, 8000);

	/* PCMA heads the answer; a codec listed twice counts once; one we
	 * do not know (G722) and one we did not offer are not agreed */
	offerer(HEAD "m=audio 5000 RTP/AVP 8 9 0 96 97\r\n"
		"a=rtpmap:8 PCMA/8000\r\na=rtpmap:9 G722/8000\r\n"
		"a=rtpmap:0 PCMU/8000\r\na=rtpmap:96 PCMU/8000\r\n"
		"a=rtpmap:97 speex/8000\r\n", &neg);
	assert_string_equal(neg.codec, "pcma");
	assert_int_equal(neg.n_rx, 2);
	rx_is(&neg, 0, "pcma", 8, 8, 8000);
	rx_is(&neg, 1, "pcmu", 0, 0, 8000);

	/* one codec only */
	offerer(HEAD "m=audio 5000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
		&neg);
	assert_int_equal(neg.n_rx, 1);
	rx_is(&neg, 0, "pcmu", 0, 0, 8000);

	/* We answer: our answer lists what both have, the offer's order
	 * and numbers (soa); here read from our capabilities and the offer
	 * the way ua/call.c does, with only PCMU and PCMA of ours. */
	local = local_sdp(ulaw_alaw, 2);
	offer = HEAD "m=audio 5000 RTP/AVP 107 8 0 101\r\n"
		"a=rtpmap:107 opus/48000/2\r\na=rtpmap:8 PCMA/8000\r\n"
		"a=rtpmap:0 PCMU/8000\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n";
	caps = media_sdp_for_offer(local, offer);
	assert_non_null(caps);
	assert_int_equal(media_sdp_negotiate(caps, offer, false, &neg), 0);
	/* our capabilities list PCMU first: that is "the answer" here */
	assert_string_equal(neg.codec, "pcmu");
	assert_int_equal(neg.n_rx, 2);
	rx_is(&neg, 0, "pcmu", 0, 0, 8000);
	rx_is(&neg, 1, "pcma", 8, 8, 8000);
	free(caps);
	free(local);

	/* a failed negotiation leaves no codec behind */
	local = offer_all();
	assert_int_equal(media_sdp_negotiate(local, HEAD
		"m=audio 5000 RTP/AVP 9\r\na=rtpmap:9 G722/8000\r\n", true,
		&neg), -1);
	assert_int_equal(neg.n_rx, 0);
	free(local);
}

static void test_answerer_bad_offer(void **state)
{
	char *local = offer_all();

	(void)state;
	/* no common codec, no audio, garbage: answer with what we have */
	assert_null(media_sdp_for_offer(local, HEAD
		"m=audio 5000 RTP/AVP 9\r\na=rtpmap:9 G722/8000\r\n"));
	assert_null(media_sdp_for_offer(local, HEAD
		"m=video 5000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n"));
	assert_null(media_sdp_for_offer(local, "m=audio x\r\n\x01"));
	assert_null(media_sdp_for_offer(local, ""));
	assert_null(media_sdp_for_offer(NULL, local));
	assert_null(media_sdp_for_offer(local, NULL));
	free(local);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offer),
		cmocka_unit_test(test_offerer_reads_answer),
		cmocka_unit_test(test_answerer),
		cmocka_unit_test(test_answerer_bad_offer),
		cmocka_unit_test(test_receive_codecs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
