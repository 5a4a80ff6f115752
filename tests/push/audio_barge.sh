#!/bin/bash
# audio_barge.sh - a barge audio push into a call between two pnphones
# (alice is pushed, bob is the far end, both with file: devices):
#   - alice holds the call locally: call_held / call_resumed "by push",
#     her stream stops (bob receives no RTP meanwhile) and starts again
#     after the push (bob receives again);
#   - bob is not told: he sees one INVITE transaction only (log.sip),
#     no call_held, and stays in the call; the call ends normally;
#   - while the push plays, a normal audio push gets 208 and the phone
#     state says in_call.
PN_BASE=33600
. "$(dirname "$0")/lib.sh"
[ -x "$PNPUSH" ] || { log "ERROR: $PNPUSH is not built"; exit 99; }

SERVE=127.0.0.1:$(port 44)
alice_uri="sip:alice@127.0.0.1:$(port 10)"
bob_uri="sip:bob@127.0.0.1:$(port 11)"
python3 "$top_srcdir/tests/media/gensig.py" "$T/a.wav" 8000 2 1
python3 "$top_srcdir/tests/media/gensig.py" "$T/b.wav" 8000 2 2
python3 "$top_srcdir/tests/media/gensig.py" "$T/push.wav" 8000 2 3
push_conf "$T/alice.conf" 0 "push.tpslist=127.0.0.1:$(port 44)" \
	"account.aor=$alice_uri" "call.codecs=pcmu" \
	"audio.source=file:$T/a.wav" "audio.sink=file:$T/alice.wav"
push_conf "$T/bob.conf" 1 "account.aor=$bob_uri" "call.auto_answer=on" \
	"audio.source=file:$T/b.wav" "audio.sink=file:$T/bob.wav" \
	"log.sip=on"
pn_start alice "$T/alice.conf"
pn_start bob "$T/bob.conf"
push_wait_agent 0
pn_expect bob ready
PHONE=127.0.0.1:$(port 46)

# bob_rx: the RTP packets bob has received so far.
bob_rx() {
	local n line
	n=$(pn_count bob status)
	pn_cmd bob status >/dev/null 2>&1
	line=$(pn_wait_count bob status $((n + 1)) true 5) || { echo -1; return; }
	jq -r '.calls[0].rtp.packets_received // -1' <<<"$line"
}

pn_cmd alice "dial $bob_uri"
pn_expect alice call_established '.audio == true'
pn_expect bob call_established '.audio == true'
sleep 1
r0=$(bob_rx)
[ "$r0" -gt 20 ] || note_fail "bob receives no audio before the push ($r0)"

# The longest AudioTimer (30 s): the STOP below, not the timer, must end
# the push, however slow the machine (ARM under emulation took 7 s).
"$PNPUSH" -l "$SERVE" --barge --ptime 20 --timer 30 audio "$T/push.wav" "$PHONE" \
	>"$T/push.out" 2>&1 &
sender=$!
PN_PIDS+=("$sender")
pn_expect alice push_audio_started '.mode == "barge"'
pn_expect alice call_held '.by == "push"'
sleep 0.3
r1=$(bob_rx)
pn_cmd alice status
pn_expect alice status '.phone == "in_call"'
got=$(push_post 0 "$(pm audio "http://$SERVE/x" normal)")
expect_push "200 208" "$got" "in a call with pushed audio: audio normal"
sleep 1
r2=$(bob_rx)
log "FIGURES bob's packets: $r0 before, $r1 -> $r2 during the push"
[ "$((r2 - r1))" -le 2 ] || note_fail "alice kept sending during the push ($r1 -> $r2)"
wait_pid_exit "$sender" 15 || note_fail "pnphone-push: exit $?: $(cat "$T/push.out")"
"$PNPUSH" -q -l "$SERVE" stop "$PHONE" >"$T/stop.out" 2>&1 ||
	note_fail "stop: exit $?: $(cat "$T/stop.out")"
pn_expect alice push_audio_stopped '.why == "stop" and .playing and .packets == 100'
pn_expect alice call_resumed '.by == "push" and .audio == true'
# (a new stream, a new SSRC: bob's counters start over)
sleep 0.5
r3=$(bob_rx)
sleep 1
r4=$(bob_rx)
log "FIGURES bob's packets after the push: $r3 -> $r4 in 1 s"
[ "$((r4 - r3))" -ge 30 ] || note_fail "alice's audio did not come back ($r3 -> $r4)"

# bob was never told
[ "$(pn_count bob call_held)" = 0 ] || note_fail "bob saw the call held"
# (retransmissions share the CSeq; a re-INVITE has a new one)
invites=$(grep -o 'CSeq: [0-9]* INVITE' "$T/bob.err" | sort -u | wc -l)
log "FIGURES bob saw $invites INVITE transaction(s)"
[ "$invites" = 1 ] || note_fail "bob saw $invites INVITE transactions (a re-INVITE went out)"
pn_cmd bob status
pn_expect bob status '.phone == "in_call"'

pn_cmd alice hangup
pn_expect bob call_ended '.by == "remote"'
pn_expect alice call_stats '.final == true'
pn_alive_check alice
pn_alive_check bob
pn_done
