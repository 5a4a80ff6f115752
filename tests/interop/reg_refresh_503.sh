#!/bin/bash
# reg_refresh_503.sh - a refresh of a working registration fails once.
# Checks: after registered, the refresh gets 503 Retry-After: 1; the
# phone reports registration_failed with retry_in 1 and registers again
# (same Call-ID, not an un-REGISTER) instead of dropping its
# registration for good; at quit it un-REGISTERs and exits 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=28400
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start reg reg_refresh_503.xml "$(port 0)"
pn_conf_std "$T/alice.conf" 10 20 \
	"account.register=on" "account.registrar=sip:127.0.0.1:$(port 0)"
pn_start alice "$T/alice.conf"

pn_expect alice registered '.code == 200 and .expires == 6'
pn_expect alice registration_failed '.code == 503 and .retry_in == 1' 15
pn_wait alice registered '.code == 200 and .expires == 600' 10 >/dev/null ||
	fail "no second registered after the failed refresh"
pn_cmd alice status
pn_expect alice status '.registration == "registered"'
[ "$(pn_count alice unregistered)" = 0 ] ||
	fail "the phone reported unregistered after a failed refresh"
pn_stop alice 15 || fail "pnphone did not exit 0 after quit"
pn_expect alice unregistered '.code == 200'
sipp_same_callid reg REGISTER
sipp_expect reg
pn_done
