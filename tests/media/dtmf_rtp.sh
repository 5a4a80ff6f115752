#!/bin/bash
# dtmf_rtp.sh - RFC 4733 DTMF between two pnphones: both offer
# telephone-event, so `dtmf` sends RTP events (not SIP INFO) and they
# arrive as dtmf_received with "via":"rtp", in order, once each, both
# ways; call_stats counts them.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=30300
. "$top_srcdir/tests/interop/lib.sh"

alice_uri="sip:alice@127.0.0.1:$(port 10)"
bob_uri="sip:bob@127.0.0.1:$(port 11)"
pn_conf_std "$T/alice.conf" 10 20 "account.aor=$alice_uri" \
	"push.listen=127.0.0.1:$(port 46)"
pn_conf_std "$T/bob.conf" 11 30 "account.aor=$bob_uri" \
	"call.auto_answer=on" "push.listen=127.0.0.1:$(port 47)"
pn_start alice "$T/alice.conf"
pn_start bob "$T/bob.conf"
pn_expect alice ready
pn_expect bob ready
pn_cmd alice "dial $bob_uri"
pn_expect alice call_established '.audio == true'
pn_expect bob call_established '.audio == true'
pn_cmd alice "dtmf 1#9*0D"
pn_wait_count bob dtmf_received 6 '.via == "rtp"' >/dev/null ||
	fail "bob did not get 6 RTP DTMF digits"
pn_cmd bob "dtmf 42"
pn_wait_count alice dtmf_received 2 '.via == "rtp"' >/dev/null ||
	fail "alice did not get 2 RTP DTMF digits"
sleep 0.5
got=$(pn_grep bob dtmf_received | jq -r .digit | tr -d '\n')
[ "$got" = "1#9*0D" ] || note_fail "bob got '$got', want '1#9*0D'"
got=$(pn_grep alice dtmf_received | jq -r .digit | tr -d '\n')
[ "$got" = "42" ] || note_fail "alice got '$got', want '42'"
[ "$(pn_count bob dtmf_received '.via != "rtp"')" = 0 ] ||
	note_fail "some digits came as INFO"
pn_cmd alice hangup
pn_expect bob call_ended '.by == "remote"'
pn_stop alice || note_fail "alice exited non-zero"
pn_stop bob || note_fail "bob exited non-zero"
pn_done
