#!/bin/bash
# audio_impaired.sh - pnphone calls pnphone through tests/media/relay.py,
# which drops 5 % of the RTP packets, delays each by 10 + uniform(0, 40) ms
# (40 ms of jitter, so many arrive out of order), seeded, both ways.  Once
# with PCMU, once with Opus (in-band FEC).  Checks: the call survives
# (both phones answer status, hang up normally); each recording still
# correlates with the signal sent; RTCP reports the loss (packets_lost
# and the peer's remote_loss_pct / remote_lost > 0); the jitter buffer
# grew above its minimum.  Prints the figures.  Under valgrind or
# emulation the phones cannot keep real time: the loss is still checked,
# the jitter buffer's size and the sound are only printed.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=30100
. "$top_srcdir/tests/interop/lib.sh"
need python3
WAVCMP=$top_builddir/tests/media/wavcmp
[ -x "$WAVCMP" ] || { log "ERROR: $WAVCMP is not built"; exit 99; }
mkdir -p "$T/wav"
CALL_S=${PN_AUDIO_SECONDS:-6}
bob_uri="sip:bob@127.0.0.1:$(port 45)"     # the relay's SIP port

one_call() {
	local codec=$1 rate=$2 n=$3 min=$4 a b who r corr
	python3 "$top_srcdir/tests/media/gensig.py" "$T/wav/a-$rate.wav" "$rate" 2 1
	python3 "$top_srcdir/tests/media/gensig.py" "$T/wav/b-$rate.wav" "$rate" 2 2
	python3 "$top_srcdir/tests/media/relay.py" --sip "$(port 45)" \
		--to "$(port 11)" --rtp "$(port 50)" --seed "$n" --drop 0.05 \
		--delay 10 --jitter 40 --stats "$T/relay$n.json" \
		</dev/null >"$T/relay$n.log" 2>&1 &
	PN_PID[relay$n]=$!
	PN_PIDS+=("$!")
	wait_port udp "$(port 45)" || fail "the relay does not listen"
	pn_conf_std "$T/alice.conf" 10 20 "call.codecs=$codec" \
		"audio.source=file:$T/wav/a-$rate.wav" \
		"audio.sink=file:$T/wav/alice-$codec.wav" "rtp.rtcp_interval=1" \
		"push.listen=127.0.0.1:$(port 46)"
	pn_conf_std "$T/bob.conf" 11 30 "account.aor=sip:bob@127.0.0.1:$(port 11)" \
		"call.auto_answer=on" "audio.source=file:$T/wav/b-$rate.wav" \
		"audio.sink=file:$T/wav/bob-$codec.wav" "rtp.rtcp_interval=1" \
		"push.listen=127.0.0.1:$(port 47)"
	pn_start "alice$n" "$T/alice.conf"
	pn_start "bob$n" "$T/bob.conf"
	pn_expect "alice$n" ready
	pn_expect "bob$n" ready
	pn_cmd "alice$n" "dial $bob_uri"
	pn_expect "alice$n" call_established ".codec == \"$codec\" and .audio == true"
	pn_expect "bob$n" call_established ".codec == \"$codec\" and .audio == true"
	sleep "$CALL_S"
	pn_alive_check "alice$n"
	pn_alive_check "bob$n"
	pn_cmd "alice$n" hangup
	pn_expect "alice$n" call_stats '.final == true'
	pn_expect "bob$n" call_stats '.final == true'
	pn_expect "bob$n" call_ended '.by == "remote"'
	pn_stop "alice$n" || note_fail "alice exited non-zero"
	pn_stop "bob$n" || note_fail "bob exited non-zero"
	kill "${PN_PID[relay$n]}" 2>/dev/null
	log "FIGURES $codec relay: $(cat "$T/relay$n.json")"
	for who in alice bob; do
		r=$(pn_grep "$who$n" call_stats '.final' | jq -c '.rtp | {packets_received, packets_lost, loss_pct, jitter_ms, remote_lost, remote_loss_pct, rtt_ms, jb_target_ms, late, concealed_ms, fec_recovered}')
		log "FIGURES $codec $who final stats: $r"
		jq -e --arg rt "$(realtime && echo y)" '.packets_lost > 0 and .remote_lost > 0 and ($rt == "" or .jb_target_ms > 40)' <<<"$r" >/dev/null ||
			note_fail "$who: RTCP/jitter figures do not show the impairment: $r"
	done
	a=$("$WAVCMP" "$T/wav/a-$rate.wav" "$T/wav/bob-$codec.wav") || note_fail "$codec: bob's recording unusable"
	b=$("$WAVCMP" "$T/wav/b-$rate.wav" "$T/wav/alice-$codec.wav") || note_fail "$codec: alice's recording unusable"
	log "FIGURES $codec alice->bob: $a"
	log "FIGURES $codec bob->alice: $b"
	if ! realtime; then
		log "$codec: quality not judged (the phones cannot keep real time here)"
		return
	fi
	for r in "$a" "$b"; do
		corr=$(sed -n 's/.*corr=\([-0-9.]*\) .*/\1/p' <<<"$r")
		awk -v c="$corr" -v m="$min" 'BEGIN { exit !(c >= m) }' ||
			note_fail "$codec: correlation $corr < $min through the relay"
	done
}

one_call pcmu 8000 1 0.8
one_call opus 48000 2 0.8
pn_done
