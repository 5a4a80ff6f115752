# Media tests: jitter buffer and codec units (cmocka), and calls with
# real audio through file: devices, measured by wavcmp.  Ports 30000-31999.
check_PROGRAMS += tests/media/wavcmp
tests_media_wavcmp_SOURCES = tests/media/wavcmp.c
tests_media_wavcmp_LDADD = libpnphone.a $(PN_LIBS) -lm

# cmocka units: test_jbuf (synthetic traces), test_codec, test_player,
# test_clock (deadlines without spinning), test_sdp (offer, answer,
# telephone-event), test_ring (the lock-free rings, with threads),
# test_rtcp (reports against RFC 3550)
MEDIA_UNIT_TESTS = tests/media/test_jbuf tests/media/test_codec \
	tests/media/test_player tests/media/test_clock tests/media/test_sdp \
	tests/media/test_ring tests/media/test_rtcp
MEDIA_UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
MEDIA_UNIT_LDADD = libpnphone.a $(CMOCKA_LIBS) $(PN_LIBS) -lm

if HAVE_CMOCKA
check_PROGRAMS += $(MEDIA_UNIT_TESTS)
TESTS += $(MEDIA_UNIT_TESTS)
endif

tests_media_test_jbuf_SOURCES = tests/media/test_jbuf.c
tests_media_test_jbuf_CFLAGS = $(MEDIA_UNIT_CFLAGS)
tests_media_test_jbuf_LDADD = $(MEDIA_UNIT_LDADD)
tests_media_test_codec_SOURCES = tests/media/test_codec.c
tests_media_test_codec_CFLAGS = $(MEDIA_UNIT_CFLAGS)
tests_media_test_codec_LDADD = $(MEDIA_UNIT_LDADD)
tests_media_test_player_SOURCES = tests/media/test_player.c
tests_media_test_player_CFLAGS = $(MEDIA_UNIT_CFLAGS)
tests_media_test_player_LDADD = $(MEDIA_UNIT_LDADD)
tests_media_test_clock_SOURCES = tests/media/test_clock.c
tests_media_test_clock_CFLAGS = $(MEDIA_UNIT_CFLAGS)
tests_media_test_clock_LDADD = $(MEDIA_UNIT_LDADD)
tests_media_test_sdp_SOURCES = tests/media/test_sdp.c
tests_media_test_sdp_CFLAGS = $(MEDIA_UNIT_CFLAGS)
tests_media_test_sdp_LDADD = $(MEDIA_UNIT_LDADD)
tests_media_test_rtcp_SOURCES = tests/media/test_rtcp.c
tests_media_test_rtcp_CFLAGS = $(MEDIA_UNIT_CFLAGS)
tests_media_test_rtcp_LDADD = $(MEDIA_UNIT_LDADD)
tests_media_test_ring_SOURCES = tests/media/test_ring.c
tests_media_test_ring_CFLAGS = $(MEDIA_UNIT_CFLAGS) -pthread
tests_media_test_ring_LDFLAGS = -pthread
tests_media_test_ring_LDADD = $(MEDIA_UNIT_LDADD)

MEDIA_TESTS = tests/media/audio_p2p.sh tests/media/audio_impaired.sh \
	tests/media/bad_rtp.sh tests/media/dtmf_rtp.sh tests/media/baresip_audio.sh \
	tests/media/dtmf_baresip.sh tests/media/dtmf_sipp.sh tests/media/ringer.sh \
	tests/media/portaudio.sh tests/media/sdp_answer.sh tests/media/sdp_offers.sh \
	tests/media/codec_switch.sh tests/media/rtp_latch.sh tests/media/ssrc_rate.sh
TESTS += $(MEDIA_TESTS)
EXTRA_DIST += $(MEDIA_TESTS) tests/media/gensig.py tests/media/relay.py \
	tests/media/rtpev.py tests/media/rtpsend.py tests/media/wavlevel.py \
	tests/media/sipp/rtp_peer_uac.xml tests/media/sipp/dtmf_uas.xml \
	tests/media/sipp/dtmf_uas_info.xml tests/media/sipp/dtmf_uac_play.xml \
	tests/media/sipp/dtmf_uac_pcap.xml \
	tests/media/sipp/sdp_reinvite_uac.xml tests/media/sipp/sdp_offer_uac.xml \
	tests/media/sipp/sdp_disabled_first_uac.xml tests/media/sipp/codec_rate_uac.xml \
	tests/media/sipp/sdp_ipv6_uac.xml
