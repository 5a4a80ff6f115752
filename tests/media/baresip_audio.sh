#!/bin/bash
# baresip_audio.sh - audio both ways between pnphone and baresip 1.0.0,
# with PCMU and with Opus, in a call pnphone dials (baresip answers by
# itself: answermode=auto) and in a call baresip dials (pnphone answers
# by itself: call.auto_answer=on).
#
# Our SDP asks for mono Opus (stereo=0): baresip otherwise spends its
# bitrate on two copies of a mono signal, and its audio correlates with
# what it sent at only 0.975.
#
# baresip runs headless: aufile.so plays a WAV file as its source (it
# must be mono 16-bit at ausrc_srate), sndfile.so dumps the audio it
# decodes to snd_path/dump-*-dec.wav, no player is loaded (so no sound
# card), and it quits by itself after -t seconds.  "net_interface
# 127.0.0.1" keeps its SDP on loopback (it would put eth0's address in
# c= otherwise, and our RTP would go there).  To make it dial, menu.so
# is loaded and -e runs the menu command "/dial URI" once it is ready
# (so pnphone must be listening before baresip starts).  pnphone plays
# and records file: devices.  Checks: both recordings match the signal
# the other side sent (PCMU: SNR >= 30 dB; Opus: correlation >= 0.99).
# A single frame the jitter buffer makes up or throws away costs a PCMU
# recording some 20 dB, so the SNR bar is also the check that playout of
# baresip's bursty sender (a thread polling every 4 ms) has no glitch.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=30400
. "$top_srcdir/tests/interop/lib.sh"
need baresip python3
BMOD=/usr/lib/baresip/modules
for m in g711 opus aufile sndfile account menu; do
	[ -f "$BMOD/$m.so" ] || skip "baresip module $m.so is not installed"
done
WAVCMP=$top_builddir/tests/media/wavcmp
[ -x "$WAVCMP" ] || { log "ERROR: $WAVCMP is not built"; exit 99; }
mkdir -p "$T/wav"
BPORT=$(port 80)

# one_call CODEC RATE N out|in: call N; out: pnphone dials baresip, in:
# baresip dials pnphone.  pnphone hangs up after PN_AUDIO_SECONDS.
one_call() {
	local codec=$1 rate=$2 n=$3 dir=$4 bdir a b dump ev caller
	local -a bargs=()
	bdir=$T/baresip$n
	# deterministic, so made once per rate
	[ -f "$T/wav/a-$rate.wav" ] ||
		python3 "$top_srcdir/tests/media/gensig.py" "$T/wav/a-$rate.wav" "$rate" 2 1
	# baresip's aufile does not loop, and hangs up at the end of it
	[ -f "$T/wav/b-$rate.wav" ] ||
		python3 "$top_srcdir/tests/media/gensig.py" "$T/wav/b-$rate.wav" "$rate" 12 2
	mkdir -p "$bdir/dump"
	cat >"$bdir/config" <<CONF
poll_method		epoll
sip_listen		127.0.0.1:$BPORT
net_interface		127.0.0.1
audio_player		none,none
audio_alert		none,none
audio_source		aufile,$T/wav/b-$rate.wav
ausrc_srate		$rate
ausrc_channels		1
auplay_srate		$rate
auplay_channels		1
rtp_ports		$(port 82)-$(port 89)
module_path		$BMOD
module			g711.so
module			opus.so
module			aufile.so
module			sndfile.so
snd_path		$bdir/dump
module_app		account.so
module_app		menu.so
CONF
	echo "<sip:bob@127.0.0.1>;regint=0;answermode=auto;audio_codecs=$([ "$codec" = opus ] && echo opus/48000/2 || echo PCMU/8000)" >"$bdir/accounts"
	pn_conf_std "$T/alice$n.conf" 10 20 "call.codecs=$codec" \
		"call.auto_answer=$([ "$dir" = in ] && echo on || echo off)" \
		"audio.source=file:$T/wav/a-$rate.wav" \
		"audio.sink=file:$T/wav/alice-$n.wav" \
		"push.listen=127.0.0.1:$(port 46)"
	if [ "$dir" = in ]; then
		caller=baresip
		pn_start "alice$n" "$T/alice$n.conf"
		pn_expect "alice$n" ready
		bargs=(-e "/dial sip:alice@127.0.0.1:$(port 10)")
	else
		caller=pnphone
	fi
	# -t: a last resort only (the test stops baresip by PID), long enough
	# for a slow machine: on ARM under emulation a test outlived 40 s.
	(cd "$bdir" && exec baresip -f "$bdir" -t 300 "${bargs[@]}") </dev/null >"$T/baresip$n.log" 2>&1 &
	PN_PID[baresip$n]=$!
	PN_PIDS+=("$!")
	log "started baresip$n (pid $!) on 127.0.0.1:$BPORT ${bargs[*]}"
	if [ "$dir" = in ]; then
		ev=$(pn_wait "alice$n" call_incoming '.from == "sip:bob@127.0.0.1"') ||
			fail "$codec: no call_incoming from baresip"
		log "alice$n -> $ev"
	else
		wait_port udp "$BPORT" || fail "baresip does not listen on $BPORT"
		pn_start "alice$n" "$T/alice$n.conf"
		pn_expect "alice$n" ready
		pn_cmd "alice$n" "dial sip:bob@127.0.0.1:$BPORT"
	fi
	pn_expect "alice$n" call_established ".codec == \"$codec\" and .audio == true"
	sleep "${PN_AUDIO_SECONDS:-5}"
	pn_cmd "alice$n" hangup
	pn_expect "alice$n" call_ended '.by == "local"'
	pn_stop "alice$n" || note_fail "pnphone exited non-zero"
	kill -TERM "${PN_PID[baresip$n]}" 2>/dev/null
	wait_pid_exit "${PN_PID[baresip$n]}" 5 >/dev/null
	dump=$(ls "$bdir"/dump/*dec*.wav 2>/dev/null | head -n 1)
	[ -n "$dump" ] || { note_fail "$codec, $caller dials: baresip recorded nothing"; return; }
	a=$("$WAVCMP" "$T/wav/a-$rate.wav" "$dump") ||
		note_fail "$codec, $caller dials: baresip's recording unusable"
	b=$("$WAVCMP" "$T/wav/b-$rate.wav" "$T/wav/alice-$n.wav") ||
		note_fail "$codec, $caller dials: pnphone's recording unusable"
	log "FIGURES $codec $caller dials, pnphone->baresip: $a"
	log "FIGURES $codec $caller dials, baresip->pnphone: $b"
	# what pnphone's jitter buffer did: a steady sender needs no step
	log "FIGURES $codec $caller dials, pnphone receiving: $(pn_grep "alice$n" call_stats '.final' |
		jq -c '.rtp | {packets_received, jitter_ms, jb_delay_ms, jb_target_ms, late, jb_stretched, jb_skipped, concealed_ms, dropped_source}')"
	# both SDPs say sendrecv: a stream that neither sends nor plays
	# would show only as a silent recording
	[ "$(pn_count "alice$n" call_stats '.final and .rtp.sending and .rtp.receiving')" = 1 ] ||
		note_fail "$codec, $caller dials: pnphone's stream did not both send and receive"
	# Under valgrind or emulation the phone cannot keep real time with
	# Opus: its jitter buffer skips and stretches, so the audio must be
	# there (wavcmp found it) but its quality is not checked.
	if ! realtime; then
		log "$codec, $caller dials: quality not checked (no real time here)"
		return
	fi
	for r in "$a" "$b"; do
		snr=$(sed -n 's/.*snr_db=\([-0-9.]*\).*/\1/p' <<<"$r")
		corr=$(sed -n 's/.*corr=\([-0-9.]*\) .*/\1/p' <<<"$r")
		if [ "$codec" = opus ]; then
			awk -v c="$corr" 'BEGIN { exit !(c >= 0.99) }' ||
				note_fail "$codec, $caller dials: correlation $corr < 0.99"
		else
			awk -v s="$snr" 'BEGIN { exit !(s >= 30) }' ||
				note_fail "$codec, $caller dials: SNR $snr dB < 30"
		fi
	done
}

one_call pcmu 8000 1 out
one_call opus 48000 2 out
one_call pcmu 8000 3 in
one_call opus 48000 4 in
pn_done
