#!/bin/bash
# ringer.sh - audio.ring: what bob's sink (a file: sink) hears while calls
# ring in.
#   1. the built-in ring while alice's call rings, until she gives up:
#      440+480 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off;
#   2. audio.ring = file:TONE.wav plays that file;
#   3. during an answered PCMU call a second call rings in (call waiting):
#      no ring goes into the sink the call records to, whose recording
#      still matches alice's signal (SNR >= 30 dB);
#   4. audio.ring that is not a sound: one error event, and the call can
#      still be answered.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=30900
. "$top_srcdir/tests/interop/lib.sh"
need python3
WAVCMP=$top_builddir/tests/media/wavcmp
[ -x "$WAVCMP" ] || { log "ERROR: $WAVCMP is not built"; exit 99; }
mkdir -p "$T/wav"

alice_uri="sip:alice@127.0.0.1:$(port 10)"
bob_uri="sip:bob@127.0.0.1:$(port 11)"
carol_uri="sip:carol@127.0.0.1:$(port 12)"

# ringcheck WAV KIND: KIND ring (the built-in cadence) or tone (1 kHz
# throughout); prints figures, exits non-zero when the sound is wrong.
ringcheck() {
	python3 - "$1" "$2" <<'PY'
import array, math, sys, wave
w = wave.open(sys.argv[1]); rate = w.getframerate()
a = array.array('h'); a.frombytes(w.readframes(w.getnframes()))
def win(t0, t1):
    return a[int(t0 * rate):int(t1 * rate)]
def rms(x):
    return math.sqrt(sum(v * v for v in x) / len(x)) if x else 0.0
def goertzel(x, hz):
    k = 2 * math.cos(2 * math.pi * hz / rate); s1 = s2 = 0.0
    for v in x:
        s1, s2 = v + k * s1 - s2, s1
    e = sum(v * v for v in x)
    return (s1 * s1 + s2 * s2 - k * s1 * s2) / (e * len(x) / 2) if e else 0.0
dur = len(a) / rate
print(f"rate {rate} Hz, {dur:.2f} s", end="")
bad = []
if sys.argv[2] == "ring":
    on = [win(0.05, 0.35), win(0.65, 0.95)]
    off = [win(0.45, 0.55), win(1.05, min(dur, 2.9))]
    print(f", on rms {rms(on[0]):.0f}/{rms(on[1]):.0f}, off rms "
          f"{rms(off[0]):.0f}/{rms(off[1]):.0f}, 440 Hz "
          f"{goertzel(on[0], 440):.2f}, 480 Hz {goertzel(on[0], 480):.2f}")
    if dur < 1.2: bad.append("too short for a ring")
    if min(rms(x) for x in on) < 1500: bad.append("no tone when on")
    if max(rms(x) for x in off) > 0: bad.append("sound when off")
    if goertzel(on[0], 440) < 0.15 or goertzel(on[0], 480) < 0.15:
        bad.append("not 440+480 Hz")
else:
    x = win(0.1, 0.4)
    print(f", rms {rms(x):.0f}, 1 kHz {goertzel(x, 1000):.2f}")
    if rms(x) < 1500 or goertzel(x, 1000) < 0.4: bad.append("not the file")
if bad:
    print("BAD: " + ", ".join(bad)); sys.exit(1)
print()
PY
}

pn_conf_std "$T/alice.conf" 10 20 "account.aor=$alice_uri" \
	"call.codecs=pcmu" "audio.source=file:$T/wav/a.wav" \
	"push.listen=127.0.0.1:$(port 45)"
pn_conf_std "$T/carol.conf" 12 40 "account.aor=$carol_uri" \
	"push.listen=127.0.0.1:$(port 47)"
python3 "$top_srcdir/tests/media/gensig.py" "$T/wav/a.wav" 8000 2 1
python3 - "$T/wav/tone.wav" <<'PY'
import array, math, sys, wave
o = wave.open(sys.argv[1], 'wb'); o.setnchannels(1); o.setsampwidth(2)
o.setframerate(8000)
o.writeframes(array.array('h', (int(8000 * math.sin(2 * math.pi * 1000 * i
    / 8000)) for i in range(4000))).tobytes()); o.close()
PY
pn_start alice "$T/alice.conf"
pn_start carol "$T/carol.conf"
pn_expect alice ready
pn_expect carol ready

# bob_start N RING: bob with audio.ring=RING, recording to bob-N.wav
bob_start() {
	pn_conf_std "$T/bob$1.conf" 11 30 "account.aor=$bob_uri" \
		"audio.source=null" "audio.sink=file:$T/wav/bob-$1.wav" \
		"audio.ring=$2" "push.listen=127.0.0.1:$(port 46)"
	pn_start "bob$1" "$T/bob$1.conf"
	pn_expect "bob$1" ready
}

# 1. the built-in ring, 2.5 s, then alice cancels
bob_start 1 ""
pn_cmd alice "dial $bob_uri"
pn_expect bob1 call_incoming
sleep 2.5
pn_cmd alice hangup
pn_expect bob1 call_ended
sleep 0.3
r=$(ringcheck "$T/wav/bob-1.wav" ring) || note_fail "built-in ring: $r"
log "FIGURES built-in ring: $r"
[ "$(pn_count bob1 error)" = 0 ] || note_fail "bob1 reported an error"
pn_stop bob1 || note_fail "bob1 exited non-zero"

# 2. a ring file
bob_start 2 "file:$T/wav/tone.wav"
pn_cmd alice "dial $bob_uri"
pn_expect bob2 call_incoming
sleep 1
pn_cmd alice hangup
pn_expect bob2 call_ended
sleep 0.3
r=$(ringcheck "$T/wav/bob-2.wav" tone) || note_fail "ring file: $r"
log "FIGURES ring file: $r"
pn_stop bob2 || note_fail "bob2 exited non-zero"

# 3. call waiting: no ring into the call's sink
bob_start 3 ""
pn_cmd alice "dial $bob_uri"
pn_expect bob3 call_incoming
sleep 0.5
pn_cmd bob3 answer
pn_expect bob3 call_established '.audio == true'
pn_expect alice call_established '.audio == true'
sleep 1
pn_cmd carol "dial $bob_uri"
pn_wait_count bob3 call_incoming 2 >/dev/null || fail "carol's call did not ring in"
sleep 1.5
pn_cmd carol hangup
pn_wait_count bob3 call_ended 1 >/dev/null || fail "carol's call did not end"
sleep 1
pn_cmd alice hangup
pn_wait_count bob3 call_ended 2 >/dev/null || fail "alice's call did not end"
sleep 0.3
r=$("$WAVCMP" "$T/wav/a.wav" "$T/wav/bob-3.wav") || note_fail "call recording unusable"
log "FIGURES call recording with a waiting call: $r"
snr=$(sed -n 's/.*snr_db=\([-0-9.]*\).*/\1/p' <<<"$r")
# (where the phones cannot keep real time: figures only)
! realtime || awk -v s="$snr" 'BEGIN { exit !(s >= 30) }' ||
	note_fail "the call recording is spoilt (SNR $snr dB): the ringer played into it?"
pn_stop bob3 || note_fail "bob3 exited non-zero"

# 4. not a sound: said once, the call goes on
bob_start 4 "beep"
pn_cmd alice "dial $bob_uri"
pn_expect bob4 call_incoming
pn_expect bob4 error '.message | test("ringer")'
pn_cmd bob4 answer
pn_expect bob4 call_established
pn_cmd alice hangup
pn_expect bob4 call_ended
[ "$(pn_count bob4 error)" = 1 ] || note_fail "more than one error for a bad ring"
pn_stop bob4 || note_fail "bob4 exited non-zero"

pn_stop alice || note_fail "alice exited non-zero"
pn_stop carol || note_fail "carol exited non-zero"
pn_done
