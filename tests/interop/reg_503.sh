#!/bin/bash
# reg_503.sh - 503 with Retry-After: 2 (sipp/reg_503.xml).  Checks: the
# phone reports registration_failed code 503 with retry_in 2, does not
# retry before ~2 s (measured by the scenario: 1.8 s minimum, 8 s
# maximum) and keeps the Call-ID (RFC 3261 10.2), then registered code
# 200; un-REGISTER at quit; exit 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=21500
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start reg reg_503.xml "$(port 0)"
pn_conf_std "$T/alice.conf" 10 20 \
	"account.register=on" "account.registrar=sip:127.0.0.1:$(port 0)"
pn_start alice "$T/alice.conf"

ev=$(pn_wait alice registration_failed '.code == 503') ||
	fail "no registration_failed with code 503"
log "got $ev"
jq -e '.retry_in == 2' <<<"$ev" >/dev/null ||
	fail "registration_failed after 503 Retry-After: 2 does not say retry_in 2: $ev"
if ! pn_wait alice registered '.code == 200' 12 >/dev/null; then
	sipp_same_callid reg REGISTER
	fail "no registered after the 503 (registrar got $(sipp_count_requests reg REGISTER) REGISTERs)"
fi
sipp_same_callid reg REGISTER
grep -h 'retry delay' "$T/reg.log" >&2
pn_stop alice 15 || fail "pnphone did not exit 0 after quit"
pn_expect alice unregistered '.code == 200'
sipp_expect reg
pn_done
