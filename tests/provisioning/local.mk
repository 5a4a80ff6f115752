# Provisioning tests: each runs in a network namespace it creates (needs
# root and iproute2; skipped otherwise) with a seed-exact PnP responder,
# tftpd-hpa, an HTTP(S) server (python3) and kamailio.
PROV_TESTS = \
	tests/provisioning/pnp_http.sh \
	tests/provisioning/pnp_tftp_audiocodes.sh \
	tests/provisioning/pnp_https.sh \
	tests/provisioning/fetch_failures.sh \
	tests/provisioning/pnp_rejects.sh

TESTS += $(PROV_TESTS)

EXTRA_DIST += $(PROV_TESTS) \
	tests/provisioning/lib.sh \
	tests/provisioning/pnp_responder.py \
	tests/provisioning/https_server.py \
	tests/provisioning/audiocodes.cfg.in \
	tests/fuzz/fuzz_prov_url.c
