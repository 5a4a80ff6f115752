#!/bin/bash
# dtmf_baresip.sh - RFC 4733 DTMF between pnphone and baresip 1.0.0,
# both ways, in a PCMU call and in an Opus call (pnphone dials).
#
# baresip always offers telephone-event/8000 (it cannot be told not to,
# so the SIP INFO fallback is tested against sipp, in dtmf_sipp.sh),
# sends DTMF only as RFC 4733 (libre's telev: marker on the first
# packet, one timestamp per event, at least 9 updates, 3 end packets,
# audio going on meanwhile; with Opus its durations count 48 kHz ticks)
# and reports every digit it gets to ctrl_tcp as CALL_DTMF_START
# (param: the digit) and CALL_DTMF_END.  It logs an RTP event as
# "received event: 'D' (end=0)" and an INFO one as "call: received
# DTMF: 'D'", which tells the two paths apart.  Its menu command
# "sndcode DIGITS" queues the digits and a key release, and sends them
# one event after the other.
#
# Checks, in each call: pnphone `dtmf 1#9*0D` and `dtmf 77` (a repeated
# digit must come out twice) -> baresip reports exactly 1#9*0D77, in
# order, 8 key releases, each digit received as an RTP event and none as
# INFO; baresip `sndcode 4711*#` -> pnphone emits dtmf_received
# 4,7,1,1,*,# with "via":"rtp", in order, once each.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=30500
. "$top_srcdir/tests/interop/lib.sh"
need baresip python3
BMOD=/usr/lib/baresip/modules
for m in g711 opus ausine account menu ctrl_tcp; do
	[ -f "$BMOD/$m.so" ] || skip "baresip module $m.so is not installed"
done

BPORT=$(port 80)
CPORT=$(port 90)
mkdir -p "$T/baresip"
# ausine keeps baresip's source running: libre's telev is polled from
# the source's frame handler, so without frames no event goes out.
cat >"$T/baresip/config" <<CONF
poll_method		epoll
net_interface		127.0.0.1
sip_listen		127.0.0.1:$BPORT
audio_player		none,none
audio_alert		none,none
audio_source		ausine,440
ausrc_srate		48000
ausrc_channels		2
rtp_ports		$(port 82)-$(port 89)
module_path		$BMOD
module			g711.so
module			opus.so
module			ausine.so
module_app		account.so
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:$CPORT
CONF
echo '<sip:bob@127.0.0.1>;regint=0;answermode=auto;audio_codecs=opus/48000/2,PCMU/8000' \
	>"$T/baresip/accounts"

# -t: a last resort only (the test stops baresip by PID), long enough
# for a slow machine: on ARM under emulation a test outlived 40 s.
(cd "$T" && exec baresip -f "$T/baresip" -t 300) </dev/null >"$T/baresip.log" 2>&1 &
PN_PID[baresip]=$!
PN_PIDS+=("$!")
log "started baresip (pid $!) on 127.0.0.1:$BPORT"
wait_port tcp "$CPORT" || fail "baresip's ctrl_tcp does not listen on $CPORT"
alive baresip || fail "baresip exited at start"
exec {BFD}<>"/dev/tcp/127.0.0.1/$CPORT" || fail "cannot connect to baresip's ctrl_tcp"
cat <&"$BFD" >"$T/baresip.ctrl" &
PN_PIDS+=("$!")

# bs_cmd COMMAND [PARAMS]: one ctrl_tcp command (a netstring).
bs_cmd() {
	local m
	m=$(jq -cn --arg c "$1" --arg p "${2:-}" '{command: $c, params: $p, token: $c}')
	log "baresip <- $m"
	printf '%d:%s,' "${#m}" "$m" >&"$BFD"
}
# bs_events: baresip's ctrl_tcp events (netstrings "LEN:JSON,"), one
# compact JSON object a line.
bs_events() {
	python3 -c '
import json, sys
d = open(sys.argv[1], "rb").read()
i = 0
while True:
    c = d.find(b":", i)
    if c < 0 or not d[i:c].isdigit():
        break
    n = int(d[i:c])
    if c + 1 + n >= len(d):
        break
    m = json.loads(d[c + 1:c + 1 + n])
    if m.get("event") is True:
        print(json.dumps(m))
    i = c + 2 + n
' "$T/baresip.ctrl"
}
# bs_digits: the digits of baresip's CALL_DTMF_START events, in order.
bs_digits() {
	bs_events | jq -r 'select(.type == "CALL_DTMF_START") | .param' | tr -d '\n'
}
# bs_wait_dtmf N [TIMEOUT]: wait until baresip reported N digits.
bs_wait_dtmf() {
	local deadline got
	deadline=$(( $(now_ms) + ${2:-$PN_TIMEOUT} * 1000 ))
	while :; do
		got=$(bs_digits)
		[ "${#got}" -ge "$1" ] && return 0
		[ "$(now_ms)" -ge "$deadline" ] && { log "baresip reported '$got', waited for $1 digits"; return 1; }
		sleep 0.1
	done
}
# bs_count TYPE: how many baresip events of that type so far.
bs_count() {
	bs_events | jq -r --arg t "$1" 'select(.type == $t) | .type' | wc -l
}
# bs_wait_type TYPE: wait for a baresip event of that type.
bs_wait_type() {
	local deadline
	deadline=$(( $(now_ms) + PN_TIMEOUT * 1000 ))
	until [ "$(bs_count "$1")" -ge 1 ]; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# dtmf_call CODEC N: a call from phone aliceN (codec CODEC) to baresip,
# DTMF both ways.  baresip's counts are cumulative over the calls.
dtmf_call() {
	local codec=$1 n=$2 a=alice$2 got cnt st want
	pn_conf_std "$T/$a.conf" $((9 + n)) $((10 + 10 * n)) "call.codecs=$codec" \
		"push.listen=127.0.0.1:$(port $((45 + n)))"
	pn_start "$a" "$T/$a.conf"
	pn_expect "$a" ready
	pn_cmd "$a" "dial sip:bob@127.0.0.1:$BPORT"
	pn_expect "$a" call_established ".codec == \"$codec\" and .audio == true"
	until [ "$(bs_count CALL_ESTABLISHED)" -ge "$n" ]; do
		bs_wait_type CALL_ESTABLISHED || fail "baresip did not report the call established"
		sleep 0.1
	done

	# pnphone -> baresip
	pn_cmd "$a" "dtmf 1#9*0D"
	pn_cmd "$a" "dtmf 77"
	cnt=$((8 * n))
	bs_wait_dtmf "$cnt" || note_fail "$codec: baresip did not report 8 digits"
	sleep 0.5           # anything extra would come now
	got=$(bs_digits)
	want=$(printf '1#9*0D77%.0s' $(seq "$n"))
	[ "$got" = "$want" ] || note_fail "$codec: baresip reported '$got', want '$want'"
	got=$(bs_count CALL_DTMF_END)
	[ "$got" = "$cnt" ] || note_fail "$codec: baresip reported $got key releases, want $cnt"
	got=$(grep -c "received event: '.' (end=0)" "$T/baresip.log")
	[ "$got" = "$cnt" ] || note_fail "$codec: baresip's log shows $got RTP event starts, want $cnt"
	got=$(grep -c "received DTMF" "$T/baresip.log")
	[ "$got" = 0 ] || note_fail "$codec: baresip got $got digits as SIP INFO, want none"

	# baresip -> pnphone
	bs_cmd sndcode '4711*#'
	pn_wait_count "$a" dtmf_received 6 >/dev/null ||
		note_fail "$codec: pnphone did not get 6 digits from baresip"
	sleep 0.6           # a duplicate would come with the end packets
	got=$(pn_grep "$a" dtmf_received | jq -r .digit | tr -d '\n')
	[ "$got" = "4711*#" ] || note_fail "$codec: pnphone got '$got' from baresip, want '4711*#'"
	got=$(pn_count "$a" dtmf_received '.via != "rtp" or .call != 1')
	[ "$got" = 0 ] || note_fail "$codec: $got digits did not come as RTP events of call 1"

	pn_cmd "$a" hangup
	pn_expect "$a" call_ended '.by == "local"'
	st=$(pn_wait "$a" call_stats '.final') || note_fail "$codec: no final call_stats"
	log "FIGURES $codec pnphone rtp: $(jq -c '.rtp | {packets_sent, packets_received, dropped_pt, dropped_malformed, dropped_seq, dropped_source}' <<<"$st")"
	pn_stop "$a" || note_fail "$codec: pnphone exited non-zero"
}

dtmf_call pcmu 1
dtmf_call opus 2
bs_cmd quit
wait_pid_exit "${PN_PID[baresip]}" 5 >/dev/null
pn_done
