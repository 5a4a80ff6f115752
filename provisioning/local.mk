# provisioning/: SIP PnP discovery, download (libcurl), validation of the
# provisioned file (pnphone and AudioCodes keys), the last good file.
libpnphone_a_SOURCES += \
	provisioning/prov.c provisioning/prov.h \
	provisioning/prov_pnp.c provisioning/prov_pnp.h \
	provisioning/prov_fetch.c provisioning/prov_fetch.h \
	provisioning/prov_file.c provisioning/prov_file.h \
	provisioning/prov_url.c provisioning/prov_url.h

# Sample provisioned files (tests/provisioning/test_prov_file loads them).
EXTRA_DIST += etc/provisioning/pnphone-sample.cfg \
	etc/provisioning/audiocodes-400hd-sample.cfg
