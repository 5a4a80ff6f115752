#!/bin/bash
# bad_rtp.sh - bad RTP input: during a PCMU call through tests/media/relay.py
# (no impairment), the relay sends the callee, ten times a second,
# truncated packets, RTP version 1, a CSRC count and a header extension
# that overrun the packet, an unknown payload type and wild sequence
# jumps from the latched source, and well-formed RTP from a stranger's
# port.  Checks: every kind is counted and dropped (dropped_malformed,
# dropped_pt, dropped_seq, dropped_source in call_stats), the call goes
# on, the callee's recording still matches (SNR >= 30 dB) and both
# phones exit cleanly.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=30200
. "$top_srcdir/tests/interop/lib.sh"
need python3
WAVCMP=$top_builddir/tests/media/wavcmp
[ -x "$WAVCMP" ] || { log "ERROR: $WAVCMP is not built"; exit 99; }
mkdir -p "$T/wav"

python3 "$top_srcdir/tests/media/gensig.py" "$T/wav/a.wav" 8000 2 1
python3 "$top_srcdir/tests/media/gensig.py" "$T/wav/b.wav" 8000 2 2
python3 "$top_srcdir/tests/media/relay.py" --sip "$(port 45)" \
	--to "$(port 11)" --rtp "$(port 50)" --inject --stats "$T/relay.json" \
	</dev/null >"$T/relay.log" 2>&1 &
PN_PID[relay]=$!
PN_PIDS+=("$!")
wait_port udp "$(port 45)" || fail "the relay does not listen"
pn_conf_std "$T/alice.conf" 10 20 "call.codecs=pcmu" \
	"audio.source=file:$T/wav/a.wav" "audio.sink=file:$T/wav/alice.wav" \
	"rtp.rtcp_interval=1" "push.listen=127.0.0.1:$(port 46)"
pn_conf_std "$T/bob.conf" 11 30 "account.aor=sip:bob@127.0.0.1:$(port 11)" \
	"call.auto_answer=on" "audio.source=file:$T/wav/b.wav" \
	"audio.sink=file:$T/wav/bob.wav" "rtp.rtcp_interval=1" \
	"push.listen=127.0.0.1:$(port 47)"
pn_start alice "$T/alice.conf"
pn_start bob "$T/bob.conf"
pn_expect alice ready
pn_expect bob ready
pn_cmd alice "dial sip:bob@127.0.0.1:$(port 45)"
pn_expect alice call_established '.audio == true'
pn_expect bob call_established '.audio == true'
sleep "${PN_AUDIO_SECONDS:-5}"
pn_alive_check bob
pn_cmd alice hangup
pn_expect bob call_stats '.final == true'
pn_expect bob call_ended '.by == "remote"'
log "FIGURES relay: $(cat "$T/relay.json")"
r=$(pn_grep bob call_stats '.final' | jq -c .rtp)
log "FIGURES bob final stats: $r"
for k in dropped_malformed dropped_pt dropped_seq dropped_source; do
	jq -e ".$k > 0" <<<"$r" >/dev/null || note_fail "bob counted no $k"
done
a=$("$WAVCMP" "$T/wav/a.wav" "$T/wav/bob.wav") || note_fail "bob's recording unusable"
log "FIGURES alice->bob under bad input: $a"
snr=$(sed -n 's/.*snr_db=\([-0-9.]*\).*/\1/p' <<<"$a")
# where the phones cannot keep real time (valgrind, emulation): figures only
! realtime || awk -v s="$snr" 'BEGIN { exit !(s >= 30) }' ||
	note_fail "SNR $snr dB < 30 under bad input"
pn_stop alice || note_fail "alice exited non-zero"
pn_stop bob || note_fail "bob exited non-zero"
pn_done
