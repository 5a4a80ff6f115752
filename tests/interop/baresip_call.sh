#!/bin/bash
# baresip_call.sh - calls between pnphone and baresip 1.0.0, directly by
# URI (no registrar), both ways.
#
# Running baresip 1.0.0 headless (what works, found by trying):
#   * -f DIR takes a config dir holding "config" and "accounts"; baresip
#     writes its "uuid" file there too.  -t SEC quits after SEC seconds
#     (a safety net).
#   * modules come from /usr/lib/baresip/modules (dpkg -L baresip-core);
#     g711.so for PCMU/PCMA, ausine.so as the audio source.  No player
#     module is loaded at all: with none, baresip simply plays nothing
#     (audio.c skips start_player when no auplay exists), so no sound
#     card is needed.
#   * ausine only supports 48000 Hz stereo: "ausrc_srate 48000" and
#     "ausrc_channels 2" make baresip resample to 8 kHz mono for PCMU;
#     without them every call dies at once with "Operation not supported".
#   * stdio.so needs a tty (tcgetattr), so commands go through ctrl_tcp.so
#     ("ctrl_tcp_listen 127.0.0.1:PORT"): netstrings "LEN:JSON," with
#     {"command":"dial","params":URI} / {"command":"hangup"} /
#     {"command":"quit"}; the commands themselves come from menu.so, so it
#     must be loaded too.  ctrl_tcp sends events back the same way, e.g.
#     {"event":true,"class":"call","type":"CALL_ESTABLISHED",...}.
#   * accounts line "<sip:bob@127.0.0.1>;regint=0;answermode=auto": no
#     REGISTER, incoming calls answered at once.
#
# Checks: pnphone dials baresip: call_ringing/established (pcmu) on the
# phone and CALL_ESTABLISHED on baresip; pnphone hangs up: call_ended by
# local, CALL_CLOSED on baresip.  baresip dials pnphone: call_incoming
# on the phone, it answers, both established; baresip hangs up: call_ended
# by remote.  quit exits 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=22500
. "$top_srcdir/tests/interop/lib.sh"
need baresip
BMOD=/usr/lib/baresip/modules
for m in g711 ausine account menu ctrl_tcp; do
	[ -f "$BMOD/$m.so" ] || skip "baresip module $m.so is not installed"
done

BPORT=$(port 80)
CPORT=$(port 90)
mkdir -p "$T/baresip"
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
module			ausine.so
module_app		account.so
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:$CPORT
CONF
echo '<sip:bob@127.0.0.1>;regint=0;answermode=auto' >"$T/baresip/accounts"

# -t: a last resort only (the test stops baresip by PID), long enough
# for a slow machine: on ARM under emulation a test outlived 40 s.
(cd "$T" && exec baresip -f "$T/baresip" -t 300) </dev/null >"$T/baresip.log" 2>&1 &
PN_PID["baresip"]=$!
PN_PIDS+=("$!")
log "started baresip (pid $!) on 127.0.0.1:$BPORT"

# connect to ctrl_tcp once it listens; a cat copies its events to a file
for i in $(seq 100); do
	ss -Hltn "sport = :$CPORT" 2>/dev/null | grep -q . && break
	alive baresip || fail "baresip exited at start"
	sleep 0.1
done
exec {BFD}<>"/dev/tcp/127.0.0.1/$CPORT" || fail "cannot connect to baresip's ctrl_tcp"
cat <&"$BFD" >"$T/baresip.ctrl" &
PN_PIDS+=("$!")

# bs_cmd COMMAND [PARAMS]: one ctrl_tcp command.
bs_cmd() {
	local m
	m=$(jq -cn --arg c "$1" --arg p "${2:-}" '{command: $c, params: $p, token: $c}')
	log "baresip <- $m"
	printf '%d:%s,' "${#m}" "$m" >&"$BFD"
}
# bs_wait TYPE N [TIMEOUT]: wait for the Nth baresip event of that type.
bs_wait() {
	local deadline n
	deadline=$(( $(now_ms) + ${3:-$PN_TIMEOUT} * 1000 ))
	while :; do
		n=$(grep -o "\"type\":\"$1\"" "$T/baresip.ctrl" | wc -l)
		[ "$n" -ge "$2" ] && { log "baresip -> $1 #$2"; return 0; }
		[ "$(now_ms)" -ge "$deadline" ] && { log "timeout waiting for baresip $1 #$2"; return 1; }
		sleep 0.1
	done
}

pn_conf_std "$T/alice.conf" 10 20 "call.auto_answer=off"
pn_start alice "$T/alice.conf"
pn_expect alice ready

# 1. pnphone -> baresip
pn_cmd alice "dial sip:bob@127.0.0.1:$BPORT"
pn_expect alice call_established '.call == 1 and .codec == "pcmu"'
bs_wait CALL_ESTABLISHED 1 || fail "baresip did not see the call established"
sleep 1
pn_cmd alice "hangup"
pn_expect alice call_ended '.call == 1 and .by == "local"'
bs_wait CALL_CLOSED 1 || fail "baresip did not see the call closed"

# 2. baresip -> pnphone
bs_cmd dial "sip:alice@127.0.0.1:$(port 10)"
ev=$(pn_wait alice call_incoming '.from | contains("bob@127.0.0.1")') ||
	fail "no call_incoming from baresip"
log "alice -> $ev"
pn_cmd alice "answer $(jq -r .call <<<"$ev")"
pn_expect alice call_established ".call == $(jq -r .call <<<"$ev") and .codec == \"pcmu\""
bs_wait CALL_ESTABLISHED 2 || fail "baresip did not see its call established"
sleep 1
bs_cmd hangup
pn_expect alice call_ended ".call == $(jq -r .call <<<"$ev") and .by == \"remote\""
bs_wait CALL_CLOSED 2 || note_fail "baresip did not report its call closed"

pn_stop alice || note_fail "pnphone did not exit 0 after quit"
bs_cmd quit
wait_pid_exit "${PN_PID["baresip"]}" 5 >/dev/null
pn_done
