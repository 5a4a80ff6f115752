#!/bin/bash
# codec_switch.sh - the peer switches codec mid-call (RFC 3264 sections
# 5.1 and 6.1: a side must be ready to receive every format it listed).
# sipp calls pnphone (tests/media/sipp/rtp_peer_uac.xml) offering Opus
# (107, as Asterisk numbers it), PCMU and PCMA; pnphone's answer lists
# all three and it sends the first.  tests/media/rtpsend.py, the RTP end
# of the caller, plays a test signal on one SSRC and one sequence:
#   1. Opus 2 s, PCMU 2 s, Opus 2 s (as Asterisk after a transcoding
#      change, and back): the clock goes 48 kHz -> 8 kHz -> 48 kHz;
#   2. PCMU 2.5 s, then PCMA 2.5 s (PCMU heads the answer).
# Checks for each call: pnphone's recording (audio.sink=file:) has sound
# through every segment (tests/media/wavlevel.py), it is the signal
# (wavcmp against the same signal at the recording's rate), and the
# final call_stats count no dropped_pt, the switches in codec_switches,
# no dropped_old_codec, and name the codec received last.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=31100
. "$top_srcdir/tests/interop/lib.sh"
need sipp python3
WAVCMP=$top_builddir/tests/media/wavcmp
[ -x "$WAVCMP" ] || { log "ERROR: $WAVCMP is not built"; exit 99; }
# sipp_start reads scenarios from tests/interop/sipp/; ours are here
S=../../media/sipp
W=$T/wav
mkdir -p "$W"

python3 "$top_srcdir/tests/media/gensig.py" "$W/a8.wav" 8000 7 1
python3 "$top_srcdir/tests/media/gensig.py" "$W/a48.wav" 48000 7 1
pn_conf_std "$T/alice.conf" 10 20 "call.codecs=opus,pcmu,pcma" \
	"call.auto_answer=on" "audio.sink=file:$W/rec.wav" \
	"rtp.rtcp_interval=1" "push.listen="
pn_start alice "$T/alice.conf"
pn_expect alice ready

# switch_call CALL NAME FMT PLAN REF SNR SENT LAST SWITCHES SPANS: sipp
# offers FMT, rtpsend.py plays PLAN; pnphone sends SENT, last receives
# LAST after SWITCHES switches; its recording matches REF (each 0.5 s
# segment: correlation >= 0.95, and SNR dB overall) and has sound in
# each of SPANS (seconds after the sound starts).
switch_call() {
	local call=$1 name=$2 fmt=$3 plan=$4 ref=$5 snr=$6 sent=$7 last=$8 \
		switches=$9 spans=${10} st lv a k v share
	python3 "$top_srcdir/tests/media/rtpsend.py" "$(port 45)" \
		--wav8 "$W/a8.wav" --wav48 "$W/a48.wav" --plan "$plan" \
		--log "$T/$name.json" >"$T/$name.rtpsend.out" 2>&1 &
	PN_PID[$name.rtpsend]=$!
	PN_PIDS+=("$!")
	wait_port udp "$(port 45)" 5 || fail "rtpsend.py does not listen"
	sipp_start "$name" "$S/rtp_peer_uac.xml" "$(port 0)" \
		"127.0.0.1:$(port 10)" -s alice -key rtp_port "$(port 45)" \
		-key fmt "$fmt"
	pn_expect alice call_established ".call == $call and .codec == \"$sent\""
	wait_pid_exit "${PN_PID[$name.rtpsend]}" 20 ||
		note_fail "$name: rtpsend.py failed: $(cat "$T/$name.rtpsend.out")"
	log "FIGURES $name sent: $(cat "$T/$name.json" 2>/dev/null)"
	sleep 0.5
	pn_cmd alice hangup
	pn_expect alice call_ended ".call == $call"
	sipp_expect "$name"
	st=$(pn_wait alice call_stats ".call == $call and .final") ||
		fail "$name: no final call_stats"
	log "FIGURES $name pnphone: $(jq -c '.rtp | {codec, recv_codec, codec_switches, packets_received, packets_lost, dropped_pt, dropped_old_codec, dropped_source, dropped_seq, late, concealed_ms}' <<<"$st")"
	for k in "codec=\"$sent\"" "recv_codec=\"$last\"" \
		 "codec_switches=$switches" "dropped_pt=0" "dropped_old_codec=0"; do
		v=${k#*=}
		jq -e ".rtp.${k%%=*} == $v" <<<"$st" >/dev/null ||
			note_fail "$name: ${k%%=*} is $(jq -c ".rtp.${k%%=*}" <<<"$st"), want $v"
	done
	# the recording was closed with the call; the next call writes anew
	cp "$W/rec.wav" "$W/$name.wav"
	lv=$(python3 "$top_srcdir/tests/media/wavlevel.py" "$W/$name.wav" "$spans") ||
		note_fail "$name: pnphone recorded no sound"
	log "FIGURES $name sound in $spans: $lv"
	for share in $(sed -n 's/.*active=//p' <<<"$lv" | tr ',' ' '); do
		awk -v s="$share" 'BEGIN { exit !(s >= 0.9) }' ||
			note_fail "$name: a segment of the plan $plan is silent in the recording ($lv)"
	done
	a=$("$WAVCMP" "$ref" "$W/$name.wav") || note_fail "$name: recording unusable"
	log "FIGURES $name recording vs the signal: $a"
	v=$(sed -n 's/.*corr_min=\([-0-9.]*\).*/\1/p' <<<"$a")
	k=$(sed -n 's/.*snr_db=\([-0-9.]*\).*/\1/p' <<<"$a")
	# where the phone cannot keep real time (valgrind): figures only
	! realtime || awk -v c="${v:-0}" -v s="${k:-0}" -v w="$snr" \
		'BEGIN { exit !(c >= 0.95 && s >= w) }' ||
		note_fail "$name: the recording is not the signal throughout (corr_min $v, SNR $k dB, want >= 0.95 and >= $snr dB)"
}

# G.711 from the 8 kHz signal against the 48 kHz one: ~23 dB (its noise
# differs, its band stops at 4 kHz); G.711 alone: ~37 dB
switch_call 1 opus_pcmu "107 0 8 101" "opus:2,pcmu:2,opus:2" "$W/a48.wav" \
	18 opus opus 2 "0.3-1.7,2.3-3.7,4.3-5.7"
switch_call 2 pcmu_pcma "0 8 107 101" "pcmu:2.5,pcma:2.5" "$W/a8.wav" \
	30 pcmu pcma 1 "0.3-2.2,2.8-4.7"

pn_stop alice || note_fail "pnphone exited non-zero"
pn_done
