#!/bin/bash
# inv_401.sh - the callee asks for digest authentication
# (sipp/inv_401.xml).  Checks: the phone ACKs the 401 and re-sends the
# INVITE, same Call-ID, with Authorization right for alice/secret on the
# new nonce (verifyauth), the call is established (codec pcmu), hangup
# sends BYE (sipp passes), call_ended by local; quit exits 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=22100
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start uas inv_401.xml "$(port 0)"
pn_conf_std "$T/alice.conf" 10 20
pn_start alice "$T/alice.conf"
pn_expect alice ready

pn_cmd alice "dial sip:bob@127.0.0.1:$(port 0)"
if ! pn_wait alice call_established '.codec == "pcmu"' >/dev/null; then
	sipp_same_callid uas INVITE
	fail "the challenged call was not established: $(pn_grep alice call_ended)"
fi
pn_cmd alice "hangup"
pn_expect alice call_ended '.by == "local"'
sipp_expect uas
pn_stop alice || fail "pnphone did not exit 0 after quit"
pn_done
