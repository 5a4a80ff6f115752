#!/bin/bash
# dtmf_sipp.sh - DTMF between pnphone and sipp, six calls.
#
# 1. pnphone dials sipp (tests/media/sipp/dtmf_uas.xml), which answers
#    PCMU with telephone-event/8000 and points its SDP at rtpev.py:
#    a. rtpev.py answers pnphone's RTP with a PCMU stream carrying six
#       events a receiver must get right (a repeated digit, a late end
#       packet of the previous event, an event whose updates were lost,
#       end packets repeated with one sequence number, a non-DTMF event
#       and a malformed one): pnphone must report exactly 3358A#, via
#       rtp, and count the malformed packet.
#    b. pnphone `dtmf 1#9*0D` and `dtmf 77`: rtpev.py checks what arrives
#       against RFC 4733 section 2.5 as Asterisk reads it (marker on the
#       first packet only, one timestamp per event, durations in 20 ms
#       steps, exactly 3 end packets of equal duration, 100 ms tones,
#       one SSRC and an unbroken sequence with the audio, the audio not
#       resuming inside an event).
#    Again with Opus, sipp answering telephone-event/48000 (events at
#    48 kHz: 960-tick steps, 4800 ticks for 100 ms), then only
#    telephone-event/8000 (the fallback: 160-tick steps); pnphone's
#    offer has telephone-event/48000 (PT 110) and /8000 (PT 101).
# 2. pnphone dials sipp (dtmf_uas_info.xml), which offers no
#    telephone-event: `dtmf 1#D` goes as three SIP INFOs
#    (application/dtmf-relay, Signal=), in order; sipp checks them.
# 3. sipp dials pnphone (dtmf_uac_play.xml) and sends 1#9*0D with its
#    own RFC 4733 generator (play_dtmf, PT 96): pnphone reports them.
# 4. sipp dials pnphone (dtmf_uac_pcap.xml) and plays Debian's captures
#    dtmf_2833_1, _5 and _pound (PT 101): pnphone reports 15#.
# 3 and 4 need root: sipp plays RTP through a raw socket.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=30600
. "$top_srcdir/tests/interop/lib.sh"
need sipp python3
RTPEV=$top_srcdir/tests/media/rtpev.py
# sipp_start reads scenarios from tests/interop/sipp/; ours are here
S=../../media/sipp
EVPORT=$(port 45)

# te_ends LOG PT: how many RFC 4733 end packets (PT, E bit) are in LOG.
te_ends() {
	jq -c --argjson pt "$2" 'select(.pt == $pt and (.payload[2:3] | test("[89a-f]")))' "$1" 2>/dev/null | wc -l
}
# digits NAME CALL: the digits the phone reported in that call, in order.
digits() {
	pn_grep "$1" dtmf_received ".call == $2" | jq -r .digit | tr -d '\n'
}

pn_conf_std "$T/alice.conf" 10 20 "call.codecs=opus,pcmu" "call.auto_answer=on" \
	"push.listen=127.0.0.1:$(port 46)"
pn_start alice "$T/alice.conf"
pn_expect alice ready

# ---- 1. RFC 4733 both ways with sipp + rtpev.py
# te_call CALL NAME SIPP_PORT EV_PORT CODEC PT RTPMAP TE_PT TE_RATE: a
# call to sipp (scenario NAME) answering CODEC (PT RTPMAP) and only
# telephone-event/TE_RATE (TE_PT); a. and b. as above, the events in
# TE_RATE ticks on the codec's clock, and pnphone's offer holds a
# telephone-event for each of its codecs' clocks.
te_call() {
	local call=$1 name=$2 sport=$3 evport=$4 codec=$5 pt=$6 map=$7 \
		tept=$8 terate=$9 clock st got n deadline
	clock=${map#*/}
	clock=${clock%%/*}
	python3 "$RTPEV" peer "$evport" "$T/$name.rtp" --inject "$tept" \
		--audio-pt "$pt" --clock "$clock" --rate "$terate" --seconds 25 \
		>"$T/$name.rtpev.out" 2>&1 &
	PN_PID[$name.rtpev]=$!
	PN_PIDS+=("$!")
	wait_port udp "$evport" 5 || fail "rtpev.py does not listen on $evport"
	sipp_start "$name" "$S/dtmf_uas.xml" "$sport" -key rtp_port "$evport" \
		-key codec_pt "$pt" -key codec "$map" -key te_pt "$tept" \
		-key te_rate "$terate"
	pn_cmd alice "dial sip:$name@127.0.0.1:$sport"
	pn_expect alice call_established ".call == $call and .codec == \"$codec\""
	# a. what rtpev.py injects (about 2 s of stream)
	pn_wait_count alice dtmf_received 6 ".call == $call" >/dev/null ||
		note_fail "$name: pnphone did not report 6 digits from the injected stream"
	sleep 0.5           # the stream's tail: nothing more may come
	got=$(digits alice "$call")
	[ "$got" = "3358A#" ] || note_fail "$name: pnphone reported '$got' from the injected stream, want '3358A#'"
	n=$(pn_count alice dtmf_received ".call == $call and .via != \"rtp\"")
	[ "$n" = 0 ] || note_fail "$name: $n injected digits were not reported via rtp"
	# b. what pnphone sends
	pn_cmd alice "dtmf 1#9*0D"
	pn_cmd alice "dtmf 77"
	deadline=$(( $(now_ms) + PN_TIMEOUT * 1000 ))
	until [ "$(te_ends "$T/$name.rtp" "$tept")" -ge 24 ] || [ "$(now_ms)" -ge "$deadline" ]; do
		sleep 0.1
	done
	sleep 0.3           # a stray fourth end packet would come now
	pn_cmd alice hangup
	pn_expect alice call_ended ".call == $call and .by == \"local\""
	sipp_expect "$name"
	st=$(pn_wait alice call_stats ".call == $call and .final") || note_fail "$name: no final call_stats"
	log "FIGURES $name pnphone receiving: $(jq -c '.rtp | {packets_received, dropped_malformed, dropped_pt, dropped_seq, dropped_source}' <<<"$st")"
	[ "$(jq '.rtp.dropped_malformed' <<<"$st")" -ge 1 ] 2>/dev/null ||
		note_fail "$name: the 3-byte event payload was not counted as malformed"
	kill -TERM "${PN_PID[$name.rtpev]}" 2>/dev/null
	wait_pid_exit "${PN_PID[$name.rtpev]}" 5 >/dev/null
	if got=$(python3 "$RTPEV" check "$T/$name.rtp" "1#9*0D77" --pt "$tept" \
			--rate "$terate" --clock "$clock" --tone 100); then
		log "$name: $got"
	else
		log "$name: $got"
		note_fail "$name: pnphone's RFC 4733 events break the rules (RFC 4733 lines above)"
	fi
	# the offer: a telephone-event for Opus's clock and for G.711's
	for got in "a=rtpmap:110 telephone-event/48000" \
		   "a=rtpmap:101 telephone-event/8000"; do
		awk '/^INVITE /{f = 1} /^-----/{f = 0} f' "$T/$name.msg" |
			grep -q "^$got" ||
			note_fail "$name: pnphone's offer has no '$got'"
	done
}

# PCMU with telephone-event/8000
te_call 1 uas "$(port 0)" "$EVPORT" pcmu 0 PCMU/8000 101 8000

# ---- 2. no telephone-event: SIP INFO
sipp_start info "$S/dtmf_uas_info.xml" "$(port 1)"
pn_cmd alice "dial sip:info@127.0.0.1:$(port 1)"
pn_expect alice call_established '.call == 2'
pn_cmd alice "dtmf 1#D"
n=0
until [ "$(sipp_count_requests info INFO)" -ge 3 ] || [ "$n" -ge 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
pn_cmd alice hangup
pn_expect alice call_ended '.call == 2 and .by == "local"'
sipp_expect info

# ---- 1 again, with Opus: as Asterisk 22 answers (a telephone-event at
# the codec's clock: durations in 960-tick steps), and as baresip 1.0.0
# does (telephone-event/8000 only: the fallback, durations in 160-tick
# steps on Opus's 48 kHz timestamps).  sipp's ports 0 and 1 are free again.
te_call 3 opus48 "$(port 0)" "$(port 47)" opus 111 opus/48000/2 110 48000
te_call 4 opus8 "$(port 1)" "$(port 48)" opus 111 opus/48000/2 96 8000

# ---- 3. and 4. sipp sends RFC 4733 (raw sockets: root only)
if [ "$(id -u)" = 0 ]; then
	sipp_start play "$S/dtmf_uac_play.xml" "$(port 2)" \
		"127.0.0.1:$(port 10)" -s alice -key digits '1#9*0D,100'
	ev=$(pn_wait alice call_incoming '.from | contains("sipp@")') ||
		fail "no call from sipp (play_dtmf)"
	c=$(jq -r .call <<<"$ev")
	pn_expect alice call_ended ".call == $c and .by == \"remote\"" 15
	sipp_expect play
	got=$(digits alice "$c")
	[ "$got" = "1#9*0D" ] || note_fail "pnphone reported '$got' from sipp's play_dtmf, want '1#9*0D'"
	n=$(pn_count alice dtmf_received ".call == $c and .via != \"rtp\"")
	[ "$n" = 0 ] || note_fail "$n play_dtmf digits were not reported via rtp"

	for f in 1 5 pound; do
		[ -f "/usr/share/sip-tester/dtmf_2833_$f.pcap" ] ||
			fail "/usr/share/sip-tester/dtmf_2833_$f.pcap is missing (package sip-tester)"
	done
	sipp_start pcap "$S/dtmf_uac_pcap.xml" "$(port 3)" \
		"127.0.0.1:$(port 10)" -s alice
	ev=$(pn_wait_count alice call_incoming 2 '.from | contains("sipp@")') ||
		fail "no call from sipp (pcap)"
	c=$(jq -r .call <<<"$ev")
	pn_expect alice call_ended ".call == $c and .by == \"remote\"" 15
	sipp_expect pcap
	got=$(digits alice "$c")
	[ "$got" = "15#" ] || note_fail "pnphone reported '$got' from the pcaps, want '15#'"
else
	log "not root: sipp cannot play RTP (raw socket); parts 3 and 4 not run"
fi

pn_stop alice || note_fail "pnphone exited non-zero"
pn_done
