#!/bin/bash
# decision.sh - the decision table over real HTTP: display, topline and
# audio pushes, normal and barge, with the phone idle, in text entry
# (web, other), in a local procedure, ringing (a sipp INVITE), in a call
# and with the call on soft hold.  Expected codes are the README table's.
# An accepted audio push pulls an RTPRx://STOP content here, so that no
# audio is left playing for the next row; audio that plays (and the row
# "playing pushed audio") is tested by audio_push.sh and audio_barge.sh,
# and exhaustively by tests/push/test_decide.
PN_BASE=33200
. "$(dirname "$0")/lib.sh"
need sipp

tps_start
printf '<Response><Topline>T</Topline></Response>' >"$T/www/t.xml"
printf '<wml><card><p>P</p></card></wml>' >"$T/www/p.wml"
printf '<Response><Audio><Url href="RTPRx://STOP"/></Audio></Response>' >"$T/www/stop.xml"
push_conf "$T/a.conf" 0
pn_start a "$T/a.conf"
push_wait_agent 0

# try STATE TYPE MODE WANT: one push; waits for its pull to end.
try() {
	local st=$1 type=$2 mode=$3 want=$4 href got n
	href=$TPS/t.xml
	[ "$type" = display ] && href=$TPS/p.wml
	[ "$type" = audio ] && href=$TPS/stop.xml
	n=$(pn_count a push_pulled)
	got=$(push_post 0 "$(pm "$type" "$href" "$mode")")
	expect_push "200 $want" "$got" "$st: $type $mode"
	if [ "$got" = "200 200" ] || [ "$got" = "200 204" ]; then
		pn_wait_count a push_pulled $((n + 1)) true 5 >/dev/null ||
			note_fail "$st: $type $mode: no pull"
	fi
}

# row STATE: display n/b, topline n/b, audio n/b
row() {
	try "$1" display normal "$2"; try "$1" display barge "$3"
	try "$1" topline normal "$4"; try "$1" topline barge "$5"
	try "$1" audio normal "$6"; try "$1" audio barge "$7"
}

#   state              disp n  disp b  top n  top b  audio n  audio b
row idle               200     200     200    200    200      200
pn_cmd a "state text_entry web"
row text_entry_web     205     200     205    200    200      200
pn_cmd a "state text_entry other"
row text_entry_other   204     200     205    200    200      200
pn_cmd a "state text_entry none"
pn_cmd a "state local_procedure on"
row local_procedure    205     205     205    205    208      208
pn_cmd a "state local_procedure off"

# three rows of pushes during one call: 30 s was too short under
# emulation (sipp's -timeout covers the whole scenario)
SIPP_TIMEOUT=120s sipp_start caller ../../push/sipp/push_call.xml "$(port 0)" \
	-s alice "127.0.0.1:$(port 10)"
pn_expect a call_incoming
row ringing            200     200     205    200    208      200
pn_cmd a answer
pn_expect a call_established
row in_call            200     200     200    200    208      200
pn_cmd a hold
pn_expect a call_held
# The phone answered this call and offers the hold: the codec is the
# answer's, sipp's PCMU, not the first of the phone's own offer (Opus).
sleep 0.5
[ "$(pn_count a error '.message | test("no audio")')" = 0 ] ||
	note_fail "the hold re-INVITE lost the call's audio: $(pn_grep a error)"
row soft_hold          200     200     205    200    200      200
pn_cmd a hangup
sipp_expect caller 20
pn_expect a call_ended

pn_alive_check a
pn_done
