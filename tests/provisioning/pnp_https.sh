#!/bin/bash
# pnp_https.sh - HTTPS with a CA the test makes with openssl.
# 1. provisioning.ca_file = the test CA: provisioned, registered.
# 2. the same phone trusting another CA: provisioning_failed at the fetch
#    stage (certificate), and it still registers with the last good file,
#    which is left as it was.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/provisioning/lib.sh"
need openssl

kam_start "$KAM_PORT"
make_ca ca
make_ca other
account_file "$T/www/$MAC.cfg"
http_start https
responder_start pnp "https://127.0.0.1:8443/<MAC>.cfg"
prov_conf "$T/phone.conf" "provisioning.ca_file=$T/ca/ca.pem"
pn_start phone "$T/phone.conf"
pn_expect phone pnp_notify ".url == \"https://127.0.0.1:8443/$MAC.cfg\""
pn_expect phone provisioned
expect_registered phone
pn_stop phone || note_fail "phone did not exit cleanly"
sum=$(md5sum <"$T/state/provisioned.conf")

prov_conf "$T/phone2.conf" "provisioning.ca_file=$T/other/ca.pem"
pn_start phone2 "$T/phone2.conf"
pn_expect phone2 provisioning_failed '.stage == "fetch" and (.reason | test("certificate|SSL"; "i"))'
expect_registered phone2
[ "$(pn_count phone2 provisioned)" = 0 ] || note_fail "untrusted file applied"
[ "$(md5sum <"$T/state/provisioned.conf")" = "$sum" ] ||
	note_fail "the last good file changed"
pn_stop phone2 || note_fail "phone2 did not exit cleanly"
pn_done
