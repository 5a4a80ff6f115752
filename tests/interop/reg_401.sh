#!/bin/bash
# reg_401.sh - REGISTER challenged with 401 (sipp/reg_401.xml as registrar).
# Checks: the phone answers the WWW-Authenticate challenge with a correct
# digest (verifyauth in the scenario), reports registered with code 200 and
# the granted expires 3600, and at quit un-REGISTERs (unregistered code 200)
# and exits 0.  sipp's exit status proves the wire side.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=21000
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start reg reg_401.xml "$(port 0)"
pn_conf_std "$T/alice.conf" 10 20 \
	"account.register=on" "account.registrar=sip:127.0.0.1:$(port 0)" \
	"account.expires=3600"
pn_start alice "$T/alice.conf"

pn_expect alice ready
pn_expect alice registering
pn_expect alice registered '.code == 200 and .expires == 3600'
pn_alive_check alice
[ "$(pn_count alice registration_failed '.retry_in == null')" = 0 ] ||
	fail "a challenge that was answered was reported as a final registration failure"

pn_stop alice 15 || fail "pnphone did not exit 0 after quit"
pn_expect alice unregistered '.code == 200'
sipp_expect reg
pn_done
