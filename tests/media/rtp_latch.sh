#!/bin/bash
# rtp_latch.sh - symmetric RTP against a stranger and a moving peer.
# sipp calls pnphone (tests/media/sipp/rtp_peer_uac.xml, PCMU) and
# tests/media/rtpsend.py, the caller's RTP end, sends from other ports
# than the SDP's (the peer is behind a NAT):
#   - one well-formed packet from a stranger's port comes first, 40 ms
#     before the peer's stream: it must not take the latch (it used to,
#     and the peer's audio was dropped for the whole call);
#   - 2.5 s into the call the peer's packets come from a new port (its
#     NAT mapping changed): once the old source has been silent for 1 s
#     the new one is learned, its audio plays again, and pnphone's own
#     RTP follows it there.
# Checks: the recording (audio.sink=file:) has sound before the move
# and after the re-latch (tests/media/wavlevel.py) and is the signal
# (wavcmp); call_stats: source_changes 2, the stranger's packet and the
# ones of the sources being learned in dropped_source; rtpsend.py: the
# new port got pnphone's packets, the stranger's none.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=31200
. "$top_srcdir/tests/interop/lib.sh"
need sipp python3
WAVCMP=$top_builddir/tests/media/wavcmp
[ -x "$WAVCMP" ] || { log "ERROR: $WAVCMP is not built"; exit 99; }
# sipp_start reads scenarios from tests/interop/sipp/; ours are here
S=../../media/sipp
W=$T/wav
mkdir -p "$W"
SDP_PORT=$(port 45)
NAT1=$(port 46)
NAT2=$(port 47)
STRANGER=$(port 48)

python3 "$top_srcdir/tests/media/gensig.py" "$W/a8.wav" 8000 7 1
pn_conf_std "$T/alice.conf" 10 20 "call.codecs=pcmu" "call.auto_answer=on" \
	"audio.sink=file:$W/rec.wav" "rtp.rtcp_interval=1" "push.listen="
pn_start alice "$T/alice.conf"
pn_expect alice ready

python3 "$top_srcdir/tests/media/rtpsend.py" "$SDP_PORT" --wav8 "$W/a8.wav" \
	--plan "pcmu:2.5:$NAT1,pcmu:4:$NAT2" --stranger "$STRANGER" \
	--log "$T/sent.json" >"$T/rtpsend.out" 2>&1 &
PN_PID[rtpsend]=$!
PN_PIDS+=("$!")
wait_port udp "$SDP_PORT" 5 || fail "rtpsend.py does not listen"
sipp_start uac "$S/rtp_peer_uac.xml" "$(port 0)" "127.0.0.1:$(port 10)" \
	-s alice -key rtp_port "$SDP_PORT" -key fmt "0 101"
pn_expect alice call_established '.codec == "pcmu"'
wait_pid_exit "${PN_PID[rtpsend]}" 20 ||
	note_fail "rtpsend.py failed: $(cat "$T/rtpsend.out")"
sent=$(cat "$T/sent.json" 2>/dev/null)
log "FIGURES sent: $sent"
sleep 0.5
pn_cmd alice hangup
pn_expect alice call_ended '.call == 1'
sipp_expect uac
st=$(pn_wait alice call_stats '.final') || fail "no final call_stats"
log "FIGURES pnphone: $(jq -c '.rtp | {packets_received, packets_lost, source_changes, dropped_source, dropped_seq, late, concealed_ms}' <<<"$st")"
jq -e '.rtp.source_changes == 2' <<<"$st" >/dev/null ||
	note_fail "source_changes is $(jq .rtp.source_changes <<<"$st"), want 2 (the NAT port, then the new one)"
jq -e '.rtp.dropped_source >= 1' <<<"$st" >/dev/null ||
	note_fail "the stranger's packet was not counted in dropped_source"
# symmetric RTP: pnphone answered the new port, never the stranger
jq -e ".received[\"$NAT2\"] > 0 and .received[\"$STRANGER\"] == 0" \
	<<<"$sent" >/dev/null ||
	note_fail "pnphone's RTP did not follow the peer to $NAT2, or went to the stranger: $(jq -c .received <<<"$sent")"

# sound before the move (from the start: the stranger took nothing) and
# after the re-latch (1 s of silence from the old port, then learning)
lv=$(python3 "$top_srcdir/tests/media/wavlevel.py" "$W/rec.wav" \
	"0.3-2.3,4.0-6.3" "$W/part") ||
	note_fail "pnphone recorded no sound: the stranger took the stream"
log "FIGURES sound before the move, after the re-latch: $lv"
for share in $(sed -n 's/.*active=//p' <<<"$lv" | tr ',' ' '); do
	awk -v s="$share" 'BEGIN { exit !(s >= 0.9) }' ||
		note_fail "the peer's audio does not play throughout ($lv: before the move, after it)"
done
# each stretch on its own: the second starts after a second of gap
for k in 1 2; do
	a=$("$WAVCMP" "$W/a8.wav" "$W/part.$k.wav") ||
		{ note_fail "recording part $k unusable"; continue; }
	log "FIGURES recording part $k vs the signal: $a"
	v=$(sed -n 's/.*snr_db=\([-0-9.]*\).*/\1/p' <<<"$a")
	# where the phone cannot keep real time (valgrind): figures only
	! realtime || awk -v s="${v:-0}" 'BEGIN { exit !(s >= 30) }' ||
		note_fail "part $k: SNR $v dB < 30: not the peer's signal"
done
pn_stop alice || note_fail "pnphone exited non-zero"
pn_done
