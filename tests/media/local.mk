# Media tests: jitter buffer and codec units (cmocka), and calls with
# real audio through file: devices, measured by wavcmp.  Ports 30000-31999.
check_PROGRAMS += tests/media/wavcmp
tests_media_wavcmp_SOURCES = tests/media/wavcmp.c
tests_media_wavcmp_LDADD = libpnphone.a $(PN_LIBS) -lm

if HAVE_CMOCKA
check_PROGRAMS += tests/media/test_jbuf tests/media/test_player
TESTS += tests/media/test_jbuf tests/media/test_player
check_PROGRAMS += tests/media/test_codec
TESTS += tests/media/test_codec
endif
tests_media_test_codec_SOURCES = tests/media/test_codec.c
tests_media_test_codec_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_media_test_codec_LDADD = libpnphone.a $(CMOCKA_LIBS) $(PN_LIBS) -lm
tests_media_test_player_SOURCES = tests/media/test_player.c
tests_media_test_player_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_media_test_player_LDADD = libpnphone.a $(CMOCKA_LIBS) $(PN_LIBS) -lm
if HAVE_CMOCKA
check_PROGRAMS += tests/media/test_clock
TESTS += tests/media/test_clock
endif
tests_media_test_clock_SOURCES = tests/media/test_clock.c
tests_media_test_clock_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_media_test_clock_LDADD = libpnphone.a $(CMOCKA_LIBS) $(PN_LIBS)
if HAVE_CMOCKA
check_PROGRAMS += tests/media/test_sdp
TESTS += tests/media/test_sdp
endif
tests_media_test_sdp_SOURCES = tests/media/test_sdp.c
tests_media_test_sdp_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_media_test_sdp_LDADD = libpnphone.a $(CMOCKA_LIBS) $(PN_LIBS)
if HAVE_CMOCKA
check_PROGRAMS += tests/media/test_ring
TESTS += tests/media/test_ring
endif
tests_media_test_ring_SOURCES = tests/media/test_ring.c
tests_media_test_ring_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -pthread
tests_media_test_ring_LDFLAGS = -pthread
tests_media_test_ring_LDADD = libpnphone.a $(CMOCKA_LIBS)
tests_media_test_jbuf_SOURCES = tests/media/test_jbuf.c
tests_media_test_jbuf_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_media_test_jbuf_LDADD = libpnphone.a $(CMOCKA_LIBS) $(PN_LIBS)

MEDIA_TESTS = tests/media/audio_p2p.sh tests/media/audio_impaired.sh \
	tests/media/bad_rtp.sh tests/media/dtmf_rtp.sh tests/media/baresip_audio.sh \
	tests/media/dtmf_baresip.sh tests/media/dtmf_sipp.sh tests/media/ringer.sh \
	tests/media/portaudio.sh
TESTS += $(MEDIA_TESTS)
EXTRA_DIST += $(MEDIA_TESTS) tests/media/gensig.py tests/media/relay.py \
	tests/media/rtpev.py tests/media/sipp/dtmf_uas.xml \
	tests/media/sipp/dtmf_uas_info.xml tests/media/sipp/dtmf_uac_play.xml \
	tests/media/sipp/dtmf_uac_pcap.xml
