#!/bin/bash
# audio_push.sh - audio pushes played through a file: sink, sent by
# pnphone-push (its own content server, RTP to the rtpLPort of the pull):
#   1. PCMU, 20 ms packets: the recording matches the WAV (aligned SNR
#      >= 30 dB), pnphone-push stop ends it (RTPRx://STOP);
#   2. PCMA, 40 ms packets: while it plays, the decision table's row
#      "playing pushed audio" (display, topline 200; a normal audio 208),
#      then a barge push whose content is RTPRx://STOP (curl + the test
#      server) ends it; the recording up to then matches (>= 30 dB);
#   3. a silent file with --alert 2 and --timer 5: the AudioTimer ends
#      the push 5 s after the last packet, and the recording holds
#      exactly 2 pings;
#   4. a content naming a port outside rtp.port_min..max is refused.
PN_BASE=33500
. "$(dirname "$0")/lib.sh"
[ -x "$PNPUSH" ] || { log "ERROR: $PNPUSH is not built"; exit 99; }
WAVCMP=$top_builddir/tests/media/wavcmp
[ -x "$WAVCMP" ] || { log "ERROR: $WAVCMP is not built"; exit 99; }

SERVE=127.0.0.1:$(port 44)
tps_start
printf '<Response><Topline>T</Topline></Response>' >"$T/www/t.xml"
printf '<wml><card><p>P</p></card></wml>' >"$T/www/p.wml"
printf '<Response><Audio><Url href="RTPRx://STOP"/></Audio></Response>' >"$T/www/stop.xml"
push_conf "$T/a.conf" 0 "push.tpslist=127.0.0.1:$(port 44),127.0.0.1:$TPS_PORT" \
	"audio.sink=file:$T/rec.wav"
pn_start a "$T/a.conf"
push_wait_agent 0
PHONE=127.0.0.1:$(port 46)
python3 "$top_srcdir/tests/media/gensig.py" "$T/sig3.wav" 8000 3 1
python3 "$top_srcdir/tests/media/gensig.py" "$T/sig6.wav" 8000 6 2
python3 - "$T/silence.wav" <<'EOF'
import sys, wave
w = wave.open(sys.argv[1], 'wb')
w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(bytes(2 * 8000))
w.close()
EOF

# snr_ok NAME REF REC: aligned SNR of REC against REF is >= 30 dB (under
# valgrind or emulation the phones cannot keep real time: figures only).
snr_ok() {
	local r snr
	r=$("$WAVCMP" "$2" "$3") || { note_fail "$1: recording unusable"; return; }
	log "FIGURES $1: $r"
	snr=$(sed -n 's/.*snr_db=\([-0-9.]*\).*/\1/p' <<<"$r")
	! realtime || awk -v s="$snr" 'BEGIN { exit !(s >= 30) }' ||
		note_fail "$1: SNR $snr dB < 30"
}

# ---- 1. PCMU, 20 ms, pnphone-push stop
"$PNPUSH" -l "$SERVE" --ptime 20 audio "$T/sig3.wav" "$PHONE" >"$T/o1" 2>&1 ||
	note_fail "audio pcmu: exit $?: $(cat "$T/o1")"
grep -q 'sent 150 RTP packets' "$T/o1" || note_fail "pcmu: not 150 packets: $(cat "$T/o1")"
pn_expect a push_audio_started '.codec == "pcmu" and .packetsize == 20 and .timer == 20'
"$PNPUSH" -l "$SERVE" stop "$PHONE" >"$T/o2" 2>&1 || note_fail "stop: exit $?: $(cat "$T/o2")"
pn_expect a push_audio_stopped '.why == "stop" and .playing'
pn_grep a push_audio_stopped '.packets == 150 and .lost == 0 and .dropped == 0' | grep -q . ||
	note_fail "pcmu: packets lost or dropped: $(pn_grep a push_audio_stopped)"
cp "$T/rec.wav" "$T/rec-pcmu.wav"
snr_ok pcmu "$T/sig3.wav" "$T/rec-pcmu.wav"

# ---- 2. PCMA, 40 ms; the state "playing pushed audio"; STOP by curl
"$PNPUSH" -l "$SERVE" --codec pcma audio "$T/sig6.wav" "$PHONE" >"$T/o3" 2>&1 &
sender=$!
PN_PIDS+=("$sender")
pn_wait_count a push_audio_started 1 '.codec == "pcma" and .packetsize == 40' >/dev/null ||
	fail "pcma: the push did not start"
pn_cmd a status
pn_expect a status '.phone == "idle"'
try() {
	local type=$1 mode=$2 want=$3 href got n
	href=$TPS/t.xml
	[ "$type" = display ] && href=$TPS/p.wml
	n=$(pn_count a push_pulled)
	got=$(push_post 0 "$(pm "$type" "$href" "$mode")")
	expect_push "200 $want" "$got" "playing audio: $type $mode"
	if [ "$got" = "200 200" ]; then
		pn_wait_count a push_pulled $((n + 1)) true 5 >/dev/null ||
			note_fail "playing audio: $type $mode: no pull"
	fi
}
try display normal 200
try display barge 200
try topline normal 200
try topline barge 200
try audio normal 208
sleep 3
got=$(push_post 0 "$(pm audio "$TPS/stop.xml" barge)")
expect_push "200 200" "$got" "playing audio: audio barge (STOP)"
pn_wait_count a push_audio_stopped 2 '.why == "stop" and .playing' >/dev/null ||
	note_fail "pcma: RTPRx://STOP did not end it"
grep -q '"query": "rtpLPort=[0-9]*"' "$T/tps.log" ||
	note_fail "the STOP pull had no rtpLPort: $(tail -n 2 "$T/tps.log")"
cp "$T/rec.wav" "$T/rec-pcma.wav"
wait_pid_exit "$sender" 15 || note_fail "pnphone-push audio pcma: exit $?: $(cat "$T/o3")"
snr_ok pcma "$T/sig6.wav" "$T/rec-pcma.wav"
# the phone takes normal audio again
pn_cmd a status
pn_expect a status '.phone == "idle"'

# ---- 3. AudioTimer and alert pings
"$PNPUSH" -l "$SERVE" --alert 2 --timer 5 audio "$T/silence.wav" "$PHONE" >"$T/o4" 2>&1 ||
	note_fail "audio timer: exit $?: $(cat "$T/o4")"
t_end=$(now_ms)
pn_wait_count a push_audio_started 1 '.timer == 5 and .alert == 2' >/dev/null ||
	fail "timer: the push did not start"
pn_wait_count a push_audio_stopped 1 '.why == "timer"' 10 >/dev/null ||
	fail "timer: the AudioTimer did not end the push"
waited=$(( $(now_ms) - t_end ))
log "FIGURES AudioTimer 5 s: ended ${waited} ms after the last packet"
[ "$waited" -ge 4000 ] && [ "$waited" -le 7000 ] ||
	note_fail "AudioTimer 5 s ended the push after $waited ms"
pings=$(python3 - "$T/rec.wav" <<'EOF'
import sys, wave, struct
w = wave.open(sys.argv[1]); n = w.getnframes()
s = struct.unpack('<%dh' % n, w.readframes(n))
# 10 ms frames; a burst is a run of loud frames
loud = [max(abs(x) for x in s[i:i + 80]) > 2000 for i in range(0, n - 80, 80)]
print(sum(1 for i, l in enumerate(loud) if l and (i == 0 or not loud[i - 1])))
EOF
)
log "FIGURES alert 2: $pings pings in the recording"
[ "$pings" = 2 ] || note_fail "alert=2 played $pings pings"

# ---- 4. a content that names a port outside the phone's RTP range
printf '<Response><Audio><Url href="RTPRx://127.0.0.1:80"/></Audio></Response>' >"$T/www/p80.xml"
got=$(push_post 0 "$(pm audio "$TPS/p80.xml" barge)")
expect_push "200 200" "$got" "audio naming port 80"
pn_expect a push_rejected '.code == 202 and .stage == "content" and (.why | test("outside"))'
[ "$(pn_count a push_audio_started)" = 3 ] || note_fail "an audio push started on port 80"

pn_alive_check a
pn_done
