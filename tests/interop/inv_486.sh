#!/bin/bash
# inv_486.sh - the callee is busy (sipp/inv_486.xml: 100, 180, 486).
# Checks: call_outgoing, call_ringing code 180, call_ended code 486 by
# remote with an explain text; the phone ACKs (sipp passes); still
# running and answers status; quit exits 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=21700
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start uas inv_486.xml "$(port 0)"
pn_conf_std "$T/alice.conf" 10 20
pn_start alice "$T/alice.conf"
pn_expect alice ready

pn_cmd alice "dial sip:bob@127.0.0.1:$(port 0)"
pn_expect alice call_outgoing
pn_expect alice call_ringing '.code == 180'
ev=$(pn_wait alice call_ended) || fail "no call_ended"
log "got $ev"
jq -e '.code == 486 and .by == "remote" and (.explain | type) == "string"' <<<"$ev" >/dev/null ||
	fail "call_ended should say code 486, by remote, with an explain text: $ev"
sipp_expect uas
pn_alive_check alice
pn_stop alice || fail "pnphone did not exit 0 after quit"
pn_done
