#!/bin/bash
# alert.sh - the alert pings of topline and display pushes, on the
# phone's audio.sink (a file: sink here): a topline with alert 2 and a
# display with alert 3 while idle ring that many 1 kHz pings (counted in
# the recording), alert 0 rings none, and during a call none are played
# into the call's sink (push_alert says played:false).
PN_BASE=33700
. "$(dirname "$0")/lib.sh"
[ -x "$PNPUSH" ] || { log "ERROR: $PNPUSH is not built"; exit 99; }
need python3

SERVE=127.0.0.1:$(port 44)
push_conf "$T/a.conf" 0 "push.tpslist=127.0.0.1:$(port 44)" \
	"account.aor=sip:a@127.0.0.1:$(port 10)" \
	"audio.sink=file:$T/sink.wav" "call.auto_answer=on"
pn_start a "$T/a.conf"
push_wait_agent 0
PHONE=127.0.0.1:$(port 46)

# pings WAV: the number of 1 kHz bursts in the recording
pings() {
	python3 - "$1" <<'PY'
import array, math, sys, wave
w = wave.open(sys.argv[1]); r = w.getframerate()
a = array.array('h'); a.frombytes(w.readframes(w.getnframes()))
win = r // 100; bursts = 0; on = False
for i in range(0, len(a) - win, win):
    e = math.sqrt(sum(v * v for v in a[i:i + win]) / win)
    if e > 2000 and not on: bursts += 1
    on = e > 2000
print(bursts)
PY
}

# push_alert TYPE N: a TYPE push with alert N; waits for its event
n_alerts=0
push_alert() {
	if [ "$1" = topline ]; then
		"$PNPUSH" -q -a "$2" --listen "$SERVE" topline "alert $2" "$PHONE" >"$T/o" 2>&1
	else
		printf '<wml><card title="A"><p>alert %s</p></card></wml>' "$2" >"$T/p.wml"
		"$PNPUSH" -q -a "$2" --listen "$SERVE" display "$T/p.wml" "$PHONE" >"$T/o" 2>&1
	fi || note_fail "$1 alert $2: $(cat "$T/o")"
	if [ "$2" -gt 0 ]; then
		n_alerts=$((n_alerts + 1))
		pn_wait_count a push_alert "$n_alerts" >/dev/null ||
			fail "no push_alert for $1 alert $2"
	fi
	sleep 1.2                  # the pings are done (3 x 250 ms)
}

push_alert topline 2
got=$(pings "$T/sink.wav")
log "FIGURES topline alert 2: $got pings recorded"
[ "$got" = 2 ] || note_fail "topline alert 2: $got pings recorded"
pn_wait_count a push_alert 1 '.pings == 2 and .played == true' >/dev/null ||
	note_fail "push_alert does not say 2 pings played"

push_alert display 3
got=$(pings "$T/sink.wav")
log "FIGURES display alert 3: $got pings recorded"
[ "$got" = 3 ] || note_fail "display alert 3: $got pings recorded"

rm -f "$T/sink.wav"
push_alert topline 0
[ -e "$T/sink.wav" ] && note_fail "alert 0 opened the sink"
[ "$(pn_count a push_alert)" = 2 ] || note_fail "alert 0 made a push_alert event"

# in a call (phone b calls, a answers by itself), a barge topline
# alerts without sound: the sink is the call's
push_conf "$T/b.conf" 1 "account.aor=sip:b@127.0.0.1:$(port 11)"
pn_start b "$T/b.conf"
pn_expect b ready
pn_cmd b "dial sip:a@127.0.0.1:$(port 10)"
pn_expect a call_established
"$PNPUSH" -q -b -a 2 --listen "$SERVE" topline "in call" "$PHONE" >"$T/o" 2>&1 ||
	note_fail "barge topline in a call: $(cat "$T/o")"
pn_wait_count a push_alert 1 '.played == false and .pings == 2' >/dev/null ||
	note_fail "in a call: push_alert not played:false"
pn_cmd b hangup
pn_expect a call_ended
pn_stop b || note_fail "b exited non-zero"
pn_alive_check a
pn_done
