# tests/push/: the Push Agent.
#   test_tps, test_decide, test_msg   cmocka: TPSLIST, the decision table
#                                     (exhaustive), messages and content
#   test_audio   cmocka: wavsend -> push_audio over 127.0.0.1 (34900-34999)
PUSH_UNIT_TESTS = tests/push/test_tps tests/push/test_decide \
	tests/push/test_msg tests/push/test_audio
PUSH_UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
PUSH_UNIT_LDADD = libpnphone.a $(CMOCKA_LIBS) $(PN_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += $(PUSH_UNIT_TESTS)
TESTS += $(PUSH_UNIT_TESTS)
endif

tests_push_test_tps_SOURCES = tests/push/test_tps.c
tests_push_test_tps_CFLAGS = $(PUSH_UNIT_CFLAGS)
tests_push_test_tps_LDADD = $(PUSH_UNIT_LDADD)
tests_push_test_decide_SOURCES = tests/push/test_decide.c
tests_push_test_decide_CFLAGS = $(PUSH_UNIT_CFLAGS)
tests_push_test_decide_LDADD = $(PUSH_UNIT_LDADD)
tests_push_test_msg_SOURCES = tests/push/test_msg.c
tests_push_test_msg_CFLAGS = $(PUSH_UNIT_CFLAGS)
tests_push_test_msg_LDADD = $(PUSH_UNIT_LDADD)
tests_push_test_audio_SOURCES = tests/push/test_audio.c
tests_push_test_audio_CFLAGS = $(PUSH_UNIT_CFLAGS)
tests_push_test_audio_LDADD = $(PUSH_UNIT_LDADD) -lm

# Over real HTTP on 127.0.0.1 (ports 33000-33699), with curl, sipp,
# pnphone-push and tps_server.py as the trusted push server:
#   codes.sh      all 16 x-Push-Status codes where they belong
#   decision.sh   the decision table with the phone idle, in text entry,
#                 in a local procedure, ringing, in a call, on hold
#   initiator.sh  pnphone-push topline/display/send and its exit statuses
#   hostile.sh    1 MB bodies, slow clients, wrong methods, broken
#                 encoding, XXE, billion laughs, 10,000 pushes
#   subscribe.sh  the subscription service and its retries
#   audio_push.sh  audio pushes through a file: sink (SNR against the
#                 WAV sent), RTPRx://STOP, AudioTimer, alert pings, 208
#   audio_barge.sh a barge audio push holds a call locally and resumes it
#   alert.sh      topline/display alert pings on the sink, none in a call
#   lazy_libs.sh  libxml2, libcurl, portaudio loaded when first needed
#   missing_libs.sh  each of them (and libmicrohttpd) unreadable in turn:
#                 the phone says which, a push gets 202 (or a closed
#                 connection without libmicrohttpd), it runs on (33900)
PUSH_SH_TESTS = tests/push/codes.sh tests/push/decision.sh \
	tests/push/initiator.sh tests/push/hostile.sh tests/push/subscribe.sh \
	tests/push/audio_push.sh tests/push/audio_barge.sh tests/push/alert.sh \
	tests/push/lazy_libs.sh tests/push/missing_libs.sh
TESTS += $(PUSH_SH_TESTS)
EXTRA_DIST += $(PUSH_SH_TESTS) tests/push/lib.sh tests/push/tps_server.py \
	tests/push/flood.py tests/push/sipp/push_call.xml \
	tests/fuzz/fuzz_push_msg.c tests/fuzz/fuzz_push_tps.c
