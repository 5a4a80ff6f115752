# Provisioning tests: each runs in a network namespace it creates (needs
# root and iproute2; skipped otherwise) with a seed-exact PnP responder,
# tftpd-hpa, an HTTP(S) server (python3) and kamailio.
PROV_TESTS = \
	tests/provisioning/push_follows.sh \
	tests/provisioning/pnp_http.sh \
	tests/provisioning/pnp_tftp_audiocodes.sh \
	tests/provisioning/pnp_https.sh \
	tests/provisioning/fetch_failures.sh \
	tests/provisioning/pnp_rejects.sh \
	tests/provisioning/pnp_late.sh

TESTS += $(PROV_TESTS)

# cmocka: the URL normaliser, and provisioned files (pnphone and
# AudioCodes syntax) including the samples in etc/provisioning.
PROV_UNIT_TESTS = tests/provisioning/test_prov_url \
	tests/provisioning/test_prov_file
PROV_UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
PROV_UNIT_LDADD = libpnphone.a $(CMOCKA_LIBS) $(PN_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += $(PROV_UNIT_TESTS)
TESTS += $(PROV_UNIT_TESTS)
endif

tests_provisioning_test_prov_url_SOURCES = tests/provisioning/test_prov_url.c
tests_provisioning_test_prov_url_CFLAGS = $(PROV_UNIT_CFLAGS)
tests_provisioning_test_prov_url_LDADD = $(PROV_UNIT_LDADD)
tests_provisioning_test_prov_file_SOURCES = tests/provisioning/test_prov_file.c
tests_provisioning_test_prov_file_CFLAGS = $(PROV_UNIT_CFLAGS) \
	-DPROV_SAMPLE_DIR='"$(abs_top_srcdir)/etc/provisioning"'
tests_provisioning_test_prov_file_LDADD = $(PROV_UNIT_LDADD)

EXTRA_DIST += $(PROV_TESTS) \
	tests/provisioning/lib.sh \
	tests/provisioning/pnp_responder.py \
	tests/provisioning/https_server.py \
	tests/provisioning/audiocodes.cfg.in \
	tests/fuzz/fuzz_prov_url.c
