#!/bin/bash
# dtmf_rtp.sh - RFC 4733 DTMF between two pnphones: both offer
# telephone-event, so `dtmf` sends RTP events (not SIP INFO) and they
# arrive as dtmf_received with "via":"rtp", in order, once each, both
# ways.  Two calls through tests/media/relay.py (no impairment), which
# counts the packets of each payload type on the wire:
#   opus  the events go as telephone-event/48000 (PT 110), the one at
#         Opus's clock, both ways; none as telephone-event/8000 (101)
#   pcmu  (alice offers only PCMU) as telephone-event/8000 (PT 101)
# Each digit is 7 packets (4 updates, 3 end packets).  The events do not
# count as interarrival jitter in bob's RTCP figures (under 5 ms; 18-23
# ms when they did).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=30300
. "$top_srcdir/tests/interop/lib.sh"
need python3

bob_uri="sip:bob@127.0.0.1:$(port 45)"     # the relay's SIP port

# wait_latched NAME: until NAME's call has latched onto the relay's port.
wait_latched() {
	local i
	for i in $(seq 50); do
		pn_cmd "$1" status
		sleep 0.1
		[ "$(pn_grep "$1" status | tail -n 1 |
		     jq '.calls[0].rtp.source_changes // 0')" -ge 1 ] && return 0
	done
	fail "$1 never latched onto the relay's RTP port"
}

# dtmf_call CODEC N PT OTHER_PT: a call from alice (call.codecs=CODEC)
# to bob (every codec) through the relay; the events must use PT only.
dtmf_call() {
	local codec=$1 n=$2 pt=$3 other=$4 a=alice$2 b=bob$2 got st
	python3 "$top_srcdir/tests/media/relay.py" --sip "$(port 45)" \
		--to "$(port 11)" --rtp "$(port 50)" --stats "$T/relay$n.json" \
		</dev/null >"$T/relay$n.log" 2>&1 &
	PN_PID[relay$n]=$!
	PN_PIDS+=("$!")
	wait_port udp "$(port 45)" || fail "the relay does not listen"
	pn_conf_std "$T/$a.conf" 10 20 "call.codecs=$codec" \
		"push.listen=127.0.0.1:$(port 46)"
	pn_conf_std "$T/$b.conf" 11 30 "account.aor=sip:bob@127.0.0.1:$(port 11)" \
		"call.auto_answer=on" "push.listen=127.0.0.1:$(port 47)" \
		"rtp.rtcp_interval=1"
	pn_start "$a" "$T/$a.conf"
	pn_start "$b" "$T/$b.conf"
	pn_expect "$a" ready
	pn_expect "$b" ready
	pn_cmd "$a" "dial $bob_uri"
	pn_expect "$a" call_established ".codec == \"$codec\" and .audio == true"
	pn_expect "$b" call_established '.audio == true'
	# The relay sends to each phone from a port other than the one in
	# that phone's SDP, like a peer behind a NAT: the phones learn it
	# (3 packets) and send there.  A digit sent before, to the SDP port,
	# would come back to its sender through the relay.
	wait_latched "$a"
	wait_latched "$b"
	pn_cmd "$a" "dtmf 1#9*0D"
	pn_wait_count "$b" dtmf_received 6 '.via == "rtp"' >/dev/null ||
		fail "$codec: bob did not get 6 RTP DTMF digits"
	pn_cmd "$b" "dtmf 42"
	pn_wait_count "$a" dtmf_received 2 '.via == "rtp"' >/dev/null ||
		fail "$codec: alice did not get 2 RTP DTMF digits"
	sleep 0.5
	got=$(pn_grep "$b" dtmf_received | jq -r .digit | tr -d '\n')
	[ "$got" = "1#9*0D" ] || note_fail "$codec: bob got '$got', want '1#9*0D'"
	got=$(pn_grep "$a" dtmf_received | jq -r .digit | tr -d '\n')
	[ "$got" = "42" ] || note_fail "$codec: alice got '$got', want '42'"
	[ "$(pn_count "$b" dtmf_received '.via != "rtp"')" = 0 ] ||
		note_fail "$codec: some digits came as INFO"
	pn_cmd "$a" hangup
	pn_expect "$b" call_ended '.by == "remote"'
	# Every packet of an event repeats its start timestamp: counted in
	# the interarrival jitter, six digits read as 7-14 ms of it.
	got=$(pn_grep "$b" call_stats | jq -s 'map(.rtp.jitter_ms) | max')
	log "FIGURES $codec bob's highest jitter during the digits: $got ms"
	! realtime || jq -e "$got < 5" <<<null >/dev/null ||
		note_fail "$codec: DTMF counted as jitter ($got ms)"
	pn_stop "$a" || note_fail "$codec: alice exited non-zero"
	pn_stop "$b" || note_fail "$codec: bob exited non-zero"
	kill -TERM "${PN_PID[relay$n]}" 2>/dev/null
	wait_pid_exit "${PN_PID[relay$n]}" 5 >/dev/null
	st=$(cat "$T/relay$n.json" 2>/dev/null)
	log "FIGURES $codec payload types from alice: $(jq -c .pt_a <<<"$st") from bob: $(jq -c .pt_b <<<"$st")"
	for got in "pt_a $pt 42" "pt_b $pt 14" "pt_a $other 0" "pt_b $other 0"; do
		set -- $got
		[ "$(jq ".$1[\"$2\"] // 0" <<<"$st")" = "$3" ] ||
			note_fail "$codec: $(jq ".$1[\"$2\"] // 0" <<<"$st") packets of PT $2 from ${1#pt_}, want $3"
	done
}

dtmf_call opus 1 110 101
dtmf_call pcmu 2 101 110
pn_done
