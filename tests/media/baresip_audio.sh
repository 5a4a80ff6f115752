#!/bin/bash
# baresip_audio.sh - audio both ways between pnphone and baresip 1.0.0,
# with PCMU and with Opus: pnphone dials baresip (answermode=auto).
#
# Our SDP asks for mono Opus (stereo=0): baresip otherwise spends its
# bitrate on two copies of a mono signal, and its audio correlates with
# what it sent at only 0.975.
#
# baresip runs headless: aufile.so plays a WAV file as its source (it
# must be mono 16-bit at ausrc_srate), sndfile.so dumps the audio it
# decodes to snd_path/dump-*-dec.wav, no player is loaded (so no sound
# card), and it quits by itself after -t seconds.  pnphone plays and
# records file: devices.  Checks: both recordings match the signal the
# other side sent (PCMU: SNR >= 30 dB; Opus: correlation >= 0.99).  A
# single frame the jitter buffer makes up or throws away costs a PCMU
# recording some 20 dB, so the SNR bar is also the check that playout of
# baresip's bursty sender (a thread polling every 4 ms) has no glitch.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=30400
. "$top_srcdir/tests/interop/lib.sh"
need baresip python3
BMOD=/usr/lib/baresip/modules
for m in g711 opus aufile sndfile account; do
	[ -f "$BMOD/$m.so" ] || skip "baresip module $m.so is not installed"
done
WAVCMP=$top_builddir/tests/media/wavcmp
[ -x "$WAVCMP" ] || { log "ERROR: $WAVCMP is not built"; exit 99; }
mkdir -p "$T/wav"
BPORT=$(port 80)

one_call() {
	local codec=$1 rate=$2 n=$3 bdir a b dump
	bdir=$T/baresip$n
	python3 "$top_srcdir/tests/media/gensig.py" "$T/wav/a-$rate.wav" "$rate" 2 1
	# baresip's aufile does not loop, and hangs up at the end of it
	python3 "$top_srcdir/tests/media/gensig.py" "$T/wav/b-$rate.wav" "$rate" 12 2
	mkdir -p "$bdir/dump"
	cat >"$bdir/config" <<CONF
poll_method		epoll
sip_listen		127.0.0.1:$BPORT
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
CONF
	echo "<sip:bob@127.0.0.1>;regint=0;answermode=auto;audio_codecs=$([ "$codec" = opus ] && echo opus/48000/2 || echo PCMU/8000)" >"$bdir/accounts"
	(cd "$bdir" && exec baresip -f "$bdir" -t 30) </dev/null >"$T/baresip$n.log" 2>&1 &
	PN_PID[baresip$n]=$!
	PN_PIDS+=("$!")
	wait_port udp "$BPORT" || fail "baresip does not listen on $BPORT"

	pn_conf_std "$T/alice.conf" 10 20 "call.codecs=$codec" \
		"audio.source=file:$T/wav/a-$rate.wav" \
		"audio.sink=file:$T/wav/alice-$codec.wav" \
		"push.listen=127.0.0.1:$(port 46)"
	pn_start "alice$n" "$T/alice.conf"
	pn_expect "alice$n" ready
	pn_cmd "alice$n" "dial sip:bob@127.0.0.1:$BPORT"
	pn_expect "alice$n" call_established ".codec == \"$codec\" and .audio == true"
	sleep "${PN_AUDIO_SECONDS:-5}"
	pn_cmd "alice$n" hangup
	pn_expect "alice$n" call_ended '.by == "local"'
	pn_stop "alice$n" || note_fail "pnphone exited non-zero"
	kill -TERM "${PN_PID[baresip$n]}" 2>/dev/null
	wait_pid_exit "${PN_PID[baresip$n]}" 5 >/dev/null
	dump=$(ls "$bdir"/dump/*dec*.wav 2>/dev/null | head -n 1)
	[ -n "$dump" ] || { note_fail "$codec: baresip recorded nothing"; return; }
	a=$("$WAVCMP" "$T/wav/a-$rate.wav" "$dump") || note_fail "$codec: baresip's recording unusable"
	b=$("$WAVCMP" "$T/wav/b-$rate.wav" "$T/wav/alice-$codec.wav") || note_fail "$codec: pnphone's recording unusable"
	log "FIGURES $codec pnphone->baresip: $a"
	log "FIGURES $codec baresip->pnphone: $b"
	# what pnphone's jitter buffer did: a steady sender needs no step
	log "FIGURES $codec pnphone receiving: $(pn_grep "alice$n" call_stats '.final' |
		jq -c '.rtp | {packets_received, jitter_ms, jb_delay_ms, jb_target_ms, late, jb_stretched, jb_skipped, concealed_ms, dropped_source}')"
	for r in "$a" "$b"; do
		snr=$(sed -n 's/.*snr_db=\([-0-9.]*\).*/\1/p' <<<"$r")
		corr=$(sed -n 's/.*corr=\([-0-9.]*\) .*/\1/p' <<<"$r")
		if [ "$codec" = opus ]; then
			awk -v c="$corr" 'BEGIN { exit !(c >= 0.99) }' ||
				note_fail "$codec: correlation $corr < 0.99"
		else
			awk -v s="$snr" 'BEGIN { exit !(s >= 30) }' ||
				note_fail "$codec: SNR $snr dB < 30"
		fi
	done
}

one_call pcmu 8000 1
one_call opus 48000 2
pn_done
