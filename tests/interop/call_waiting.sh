#!/bin/bash
# call_waiting.sh - an incoming call during a call, peer to peer.
# Checks: with call.waiting on (default) the second call rings (a second
# call_incoming, status says ringing and lists both calls); the user holds
# the first, answers the second, hangs it up and resumes the first.  With
# call.waiting = off the second caller gets 486 Busy Here (call_ended with
# code 486 on the caller, call_rejected on the callee) and the first call
# is untouched.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=28100
. "$top_srcdir/tests/interop/lib.sh"
need jq

uri() { printf 'sip:%s@127.0.0.1:%s' "$1" "$(port "$2")"; }
pn_conf_std "$T/alice.conf" 10 20 "account.aor=$(uri alice 10)"
pn_conf_std "$T/bob.conf" 11 30 "account.aor=$(uri bob 11)"
pn_conf_std "$T/carol.conf" 12 40 "account.aor=$(uri carol 12)"
pn_conf_std "$T/dave.conf" 13 50 "account.aor=$(uri dave 13)" \
	"call.waiting=off" "call.auto_answer=on"
for p in alice bob carol dave; do pn_start $p "$T/$p.conf"; done
for p in alice bob carol dave; do pn_expect $p ready; done

# call waiting on: bob takes a second call
pn_cmd alice "dial $(uri bob 11)"
pn_expect bob call_incoming '.call == 1'
pn_cmd bob "answer"
pn_expect alice call_established '.call == 1'
pn_cmd carol "dial $(uri bob 11)"
pn_expect bob call_incoming ".call == 2 and .from == \"$(uri carol 12)\""
pn_expect carol call_ringing '.code == 180'
pn_cmd bob "status"
pn_expect bob status '.phone == "ringing" and (.calls | length) == 2'
pn_cmd bob "hold 1"
pn_expect bob call_held '.call == 1'
pn_cmd bob "answer"          # no id: the ringing call
pn_expect bob call_established '.call == 2'
pn_expect carol call_established
pn_cmd bob "hangup 2"
pn_expect carol call_ended '.by == "remote"'
pn_cmd bob "resume 1"
pn_expect bob call_resumed '.call == 1 and .by == "local"'
pn_expect alice call_resumed '.call == 1 and .by == "remote"'
pn_cmd bob "hangup"
pn_expect alice call_ended '.call == 1'

# call waiting off: dave answers 486 to a second caller
pn_cmd alice "dial $(uri dave 13)"
pn_expect dave call_established '.call == 1'
pn_expect alice call_established '.call == 2'
pn_cmd carol "dial $(uri dave 13)"
pn_expect carol call_ended '.code == 486 and .reason == "Busy Here"'
pn_expect dave call_rejected '.code == 486'
[ "$(pn_count dave call_incoming)" = 1 ] ||
	fail "dave rang for the second call although call.waiting is off"
pn_cmd dave "status"
pn_expect dave status '.phone == "in_call" and (.calls | length) == 1'
pn_cmd alice "hangup"
pn_expect dave call_ended '.call == 1'

for p in alice bob carol dave; do pn_stop $p || fail "$p did not exit 0"; done
pn_done
