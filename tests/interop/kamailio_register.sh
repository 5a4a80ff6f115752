#!/bin/bash
# kamailio_register.sh - two phones through a real registrar/proxy.
# kamailio (kamailio.cfg.in: digest auth, usrloc in memory, record-route)
# on PN_BASE+40; alice (+10) and bob (+11) register as
# sip:alice@127.0.0.1 / sip:bob@127.0.0.1 with password "secret" and use
# kamailio as account.outbound_proxy.
# Checks: both registered (code 200, after kamailio's 401); alice dials
# sip:bob@127.0.0.1, bob gets call_incoming from alice and answers, both
# see call_established (pcmu); alice hangs up: call_ended by local for
# alice, by remote for bob (the BYE crosses kamailio); quit: both
# unregistered code 200 and exit 0, and kamailio really dropped the
# bindings (OPTIONS to sip:alice@ / sip:bob@127.0.0.1 through it get 404).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=22400
. "$top_srcdir/tests/interop/lib.sh"
need kamailio sipp

K=$(port 40)
kam_start "$K"

for who in alice:10:20 bob:11:30; do
	IFS=: read -r name sipoff rtpoff <<<"$who"
	pn_conf_std "$T/$name.conf" "$sipoff" "$rtpoff" \
		"account.aor=sip:$name@127.0.0.1" "account.user=$name" \
		"account.password=secret" "account.register=on" \
		"account.registrar=sip:127.0.0.1:$K" \
		"account.outbound_proxy=sip:127.0.0.1:$K" \
		"account.expires=600" "call.auto_answer=off"
	pn_start "$name" "$T/$name.conf"
done

pn_expect alice registered '.code == 200'
pn_expect bob registered '.code == 200'

pn_cmd alice "dial sip:bob@127.0.0.1"
ev=$(pn_wait bob call_incoming '.from | contains("alice")') ||
	fail "bob got no call_incoming from alice: alice says $(pn_grep alice call_ended)"
log "bob -> $ev"
bobcall=$(jq -r .call <<<"$ev")
pn_expect alice call_ringing
pn_cmd bob "answer $bobcall"
pn_expect bob call_established '.codec == "pcmu" or .codec == "pcma" or .codec == "opus"'
pn_expect alice call_established '.codec == "pcmu" or .codec == "pcma" or .codec == "opus"'
grep -q 'REQ INVITE' "$T/kamailio.log" || fail "the INVITE did not go through kamailio"

pn_cmd alice "hangup"
pn_expect alice call_ended '.by == "local"'
pn_expect bob call_ended '.by == "remote"'
grep -q 'REQ BYE' "$T/kamailio.log" ||
	note_fail "the BYE did not go through kamailio (record-route ignored?)"

pn_stop alice 15 || note_fail "alice did not exit 0 after quit"
pn_stop bob 15 || note_fail "bob did not exit 0 after quit"
pn_wait alice unregistered '.code == 200' 1 >/dev/null || note_fail "alice: no unregistered code 200"
pn_wait bob unregistered '.code == 200' 1 >/dev/null || note_fail "bob: no unregistered code 200"
for name in alice bob; do
	(cd "$T" && sipp -sf "$IDIR/sipp/uac_options_404.xml" "127.0.0.1:$K" -s "$name" \
		-nostdin -m 1 -i 127.0.0.1 -p "$(port 3)" -mp "$(port 62)" \
		-timeout 5s -timeout_error) </dev/null >"$T/probe-$name.screen" 2>&1 ||
		note_fail "kamailio still has a binding for $name after quit (OPTIONS did not get 404)"
done
pn_done
