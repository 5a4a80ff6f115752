#!/bin/bash
# hangup.sh - hanging up at the awkward moments, against sipp.
#  1. The callee's 200 crosses our CANCEL (sipp/inv_cancel_200.xml): the
#     phone ACKs it and then sends BYE (RFC 3261 section 9.1); the call
#     never shows as established.
#  2. We answer and hang up before the caller's ACK, which comes 2 s late
#     (sipp/uac_bye_after_ack.xml): the BYE waits for the ACK (section
#     15); an early BYE fails the scenario.
#  3. hangup of a call that rings in: 486 Busy Here (not 603, which would
#     end a forking proxy's other branches too).
#  4. quit while a call rings in: 480 Temporarily Unavailable; exit 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=22800
. "$top_srcdir/tests/interop/lib.sh"
need sipp

pn_conf_std "$T/alice.conf" 10 20
pn_start alice "$T/alice.conf"
pn_expect alice ready

# 1.
sipp_start cross inv_cancel_200.xml "$(port 0)"
pn_cmd alice "dial sip:bob@127.0.0.1:$(port 0)"
pn_expect alice call_ringing '.call == 1 and .code == 180'
pn_cmd alice "hangup"
ev=$(pn_wait alice call_ended '.call == 1') || fail "no call_ended after hangup"
log "got $ev"
jq -e '.by == "local"' <<<"$ev" >/dev/null ||
	note_fail "call_ended should say by local: $ev"
sipp_expect cross
[ "$(pn_count alice call_established)" = 0 ] ||
	note_fail "a call hung up before the answer showed as established"

# 2.
sipp_start late_ack uac_bye_after_ack.xml "$(port 1)" "127.0.0.1:$(port 10)" -s alice
pn_expect alice call_incoming '.call == 2'
pn_cmd alice "answer"
sleep 0.3
pn_cmd alice "hangup"
pn_expect alice call_ended '.call == 2 and .by == "local"'
sipp_expect late_ack

# 3.
sipp_start busy uac_refused.xml "$(port 2)" "127.0.0.1:$(port 10)" -s alice
pn_expect alice call_incoming '.call == 3'
pn_cmd alice "hangup"
pn_expect alice call_ended '.call == 3 and .code == 486 and .by == "local"'
sipp_expect busy
grep -q '^SIP/2.0 486 ' "$T/busy.msg" || note_fail "hangup of a ringing call did not answer 486"

# 4.
sipp_start leaving uac_refused.xml "$(port 3)" "127.0.0.1:$(port 10)" -s alice
pn_expect alice call_incoming '.call == 4'
pn_stop alice || note_fail "pnphone did not exit 0 after quit"
sipp_expect leaving
grep -q '^SIP/2.0 480 ' "$T/leaving.msg" || note_fail "quit did not answer the ringing call 480"
pn_done
