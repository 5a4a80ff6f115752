#!/bin/bash
# transfer.sh - blind transfer (REFER), peer to peer.
# Checks: bob, in a call with alice, transfers her to carol: bob sees
# transfer_progress (202 accepted, then the sipfrag NOTIFYs up to a final
# 200) and his call ends; alice sees call_transferred naming carol and a
# new call to carol that carol (auto-answer) establishes.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=28200
. "$top_srcdir/tests/interop/lib.sh"
need jq

uri() { printf 'sip:%s@127.0.0.1:%s' "$1" "$(port "$2")"; }
pn_conf_std "$T/alice.conf" 10 20 "account.aor=$(uri alice 10)"
pn_conf_std "$T/bob.conf" 11 30 "account.aor=$(uri bob 11)" \
	"call.auto_answer=on"
pn_conf_std "$T/carol.conf" 12 40 "account.aor=$(uri carol 12)" \
	"call.auto_answer=on"
for p in alice bob carol; do pn_start $p "$T/$p.conf"; done
for p in alice bob carol; do pn_expect $p ready; done

pn_cmd alice "dial $(uri bob 11)"
pn_expect alice call_established '.call == 1'
pn_expect bob call_established '.call == 1'
pn_cmd bob "transfer $(uri carol 12)"
pn_expect bob transfer_progress '.code == 202 and .final == false'
pn_expect alice call_transferred ".call == 1 and .to == \"$(uri carol 12)\""
pn_expect carol call_incoming ".from == \"$(uri alice 10)\""
pn_expect alice call_established '.call == 2'
pn_expect bob transfer_progress '.code == 200 and .final == true'
pn_expect bob call_ended '.call == 1 and .by == "local"'
pn_expect alice call_ended '.call == 1 and .by == "remote"'
pn_cmd alice "status"
pn_expect alice status '.phone == "in_call" and (.calls | length) == 1 and .calls[0].call == 2'
pn_cmd carol "hangup"
pn_expect alice call_ended '.call == 2'

for p in alice bob carol; do pn_stop $p || fail "$p did not exit 0"; done
pn_done
