#!/bin/bash
# call_p2p.sh - two pnphone instances call each other directly by URI
# (account.register = off, peer to peer), through every mid-call command.
# Checks: dial/answer with the call events on both sides and an agreed
# codec; hold and resume by the caller are seen as held/resumed by both;
# DTMF sent as INFO arrives as dtmf_received, digit by digit; status shows
# the call; hangup ends the call on both sides; the phase before the answer
# (ringing) and a reject with 603 are reported with the catalogue text.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=28000
. "$top_srcdir/tests/interop/lib.sh"
need jq

alice_uri="sip:alice@127.0.0.1:$(port 10)"
bob_uri="sip:bob@127.0.0.1:$(port 11)"
pn_conf_std "$T/alice.conf" 10 20 "account.aor=$alice_uri"
pn_conf_std "$T/bob.conf" 11 30 "account.aor=$bob_uri" \
	"call.codecs=pcmu,opus"
pn_start alice "$T/alice.conf"
pn_start bob "$T/bob.conf"
pn_expect alice ready
pn_expect bob ready

# 1. A call that is declined: 603 with its explanation on the caller.
pn_cmd alice "dial $bob_uri"
pn_expect alice call_outgoing '.call == 1'
pn_expect bob call_incoming ".call == 1 and .from == \"$alice_uri\""
pn_expect alice call_ringing '.call == 1 and .code == 180'
pn_cmd bob "reject decline"
pn_expect alice call_ended '.call == 1 and .code == 603 and .reason == "Decline" and (.explain | length) > 0'
pn_expect bob call_ended '.call == 1 and .by == "local"'

# 2. A call that is answered and goes through hold, DTMF and hangup.
pn_cmd alice "dial $bob_uri"
pn_expect bob call_incoming '.call == 2'
pn_cmd bob "answer 2"
pn_expect alice call_established '.call == 2 and .codec == "opus"'
# bob prefers pcmu, but an answer keeps the offer's order (RFC 3264
# §6.1): both agree on alice's first choice.
pn_expect bob call_established '.call == 2 and .codec == "opus"'

pn_cmd alice "status"
pn_expect alice status '.phone == "in_call" and (.calls | length) == 1 and .calls[0].state == "active"'

pn_cmd alice "hold"
pn_expect alice call_held '.call == 2 and .by == "local"'
pn_expect bob call_held '.call == 2 and .by == "remote"'
pn_cmd alice "status"
pn_wait alice status '.phone == "on_hold"' >/dev/null ||
	fail "status does not say on_hold after hold"
pn_cmd alice "resume"
pn_expect alice call_resumed '.call == 2 and .by == "local"'
pn_expect bob call_resumed '.call == 2 and .by == "remote"'

pn_cmd alice "dtmf 1#9"
pn_wait_count bob dtmf_received 3 >/dev/null || fail "bob did not get 3 DTMF digits"
digits=$(pn_grep bob dtmf_received | jq -r .digit | tr -d '\n')
[ "$digits" = "1#9" ] || fail "bob got DTMF '$digits', want '1#9'"

pn_cmd bob "hangup"
pn_expect bob call_ended '.call == 2 and .by == "local"'
pn_expect alice call_ended '.call == 2 and .by == "remote"'
pn_cmd alice "status"
pn_wait alice status '.phone == "idle" and (.calls | length) == 0' >/dev/null ||
	fail "alice is not idle after the call"

pn_stop alice || fail "alice did not exit 0"
pn_stop bob || fail "bob did not exit 0"
pn_done
