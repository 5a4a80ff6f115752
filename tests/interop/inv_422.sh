#!/bin/bash
# inv_422.sh - session interval too small (sipp/inv_422.xml, RFC 4028).
# The phone has call.session_expires 90; the callee answers 422 with
# Min-SE: 1800.  Checks: the phone ACKs and re-sends the INVITE with
# Session-Expires >= 1800 and Min-SE >= 1800 (regexps in the scenario),
# the call is established, hangup sends BYE, call_ended by local; sipp
# passes; quit exits 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=22300
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start uas inv_422.xml "$(port 0)"
pn_conf_std "$T/alice.conf" 10 20 "call.session_expires=90"
pn_start alice "$T/alice.conf"
pn_expect alice ready

pn_cmd alice "dial sip:bob@127.0.0.1:$(port 0)"
if ! pn_wait alice call_established >/dev/null; then
	fail "the call was not established after 422: $(pn_grep alice call_ended); sipp: $(tail -n 3 "$T/uas.errors" 2>/dev/null)"
fi
pn_cmd alice "hangup"
pn_expect alice call_ended '.by == "local"'
sipp_expect uas
pn_stop alice || fail "pnphone did not exit 0 after quit"
pn_done
