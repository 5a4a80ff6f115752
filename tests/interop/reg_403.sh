#!/bin/bash
# reg_403.sh - 403 Forbidden is final (sipp/reg_403.xml).  Checks: one
# registration_failed with code 403, an explain text and no retry_in; no
# second REGISTER within 3.5 s (the scenario fails on one, and the sipp
# message log must hold exactly one); the phone is still running and
# answers status; quit exits 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=21400
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start reg reg_403.xml "$(port 0)"
pn_conf_std "$T/alice.conf" 10 20 \
	"account.register=on" "account.registrar=sip:127.0.0.1:$(port 0)"
pn_start alice "$T/alice.conf"

ev=$(pn_wait alice registration_failed '.code == 403') ||
	fail "no registration_failed with code 403"
log "got $ev"
jq -e 'has("retry_in") | not' <<<"$ev" >/dev/null ||
	fail "registration_failed after 403 announces a retry: $ev"
jq -e '(.explain | type) == "string" and (.explain | length) > 0' <<<"$ev" >/dev/null ||
	fail "registration_failed without an explain text: $ev"

sipp_expect reg 10
n=$(sipp_count_requests reg REGISTER)
[ "$n" = 1 ] || fail "the registrar got $n REGISTER requests, expected 1"
[ "$(pn_count alice registered)" = 0 ] || fail "registered after a 403?"
[ "$(pn_count alice registration_failed)" = 1 ] ||
	fail "registration_failed reported $(pn_count alice registration_failed) times"
pn_alive_check alice
pn_stop alice || fail "pnphone did not exit 0 after quit"
pn_done
