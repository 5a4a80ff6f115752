#!/bin/bash
# audio_p2p.sh - two pnphones call each other directly with file: devices,
# once per codec (PCMU, PCMA, Opus); each plays its own test signal and
# records what it hears.  Checks, in both directions: the recording
# matches the signal sent (PCMU/PCMA: aligned SNR >= 30 dB; Opus:
# normalised cross-correlation >= 0.9), call_established says audio:true,
# call_stats events come during the call and a final one at its end
# with packets received and no loss, and status shows the RTP figures.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=30000
. "$top_srcdir/tests/interop/lib.sh"
need python3
WAVCMP=$top_builddir/tests/media/wavcmp
[ -x "$WAVCMP" ] || { log "ERROR: $WAVCMP is not built"; exit 99; }
mkdir -p "$T/wav"
CALL_S=${PN_AUDIO_SECONDS:-4}

alice_uri="sip:alice@127.0.0.1:$(port 10)"
bob_uri="sip:bob@127.0.0.1:$(port 11)"

# one_call CODEC RATE N: call N with CODEC; signals at RATE.
one_call() {
	local codec=$1 rate=$2 n=$3 a b
	python3 "$top_srcdir/tests/media/gensig.py" "$T/wav/a-$rate.wav" "$rate" 2 1
	python3 "$top_srcdir/tests/media/gensig.py" "$T/wav/b-$rate.wav" "$rate" 2 2
	pn_conf_std "$T/alice.conf" 10 20 "account.aor=$alice_uri" \
		"call.codecs=$codec" "audio.source=file:$T/wav/a-$rate.wav" \
		"audio.sink=file:$T/wav/alice-$codec.wav" "rtp.rtcp_interval=1" \
		"push.listen=127.0.0.1:$(port 45)"
	pn_conf_std "$T/bob.conf" 11 30 "account.aor=$bob_uri" \
		"call.auto_answer=on" "audio.source=file:$T/wav/b-$rate.wav" \
		"audio.sink=file:$T/wav/bob-$codec.wav" "rtp.rtcp_interval=1" \
		"push.listen=127.0.0.1:$(port 46)"
	pn_start "alice$n" "$T/alice.conf"
	pn_start "bob$n" "$T/bob.conf"
	pn_expect "alice$n" ready
	pn_expect "bob$n" ready
	pn_cmd "alice$n" "dial $bob_uri"
	pn_expect "alice$n" call_established ".codec == \"$codec\" and .audio == true"
	pn_expect "bob$n" call_established ".codec == \"$codec\" and .audio == true"
	sleep "$CALL_S"
	pn_cmd "alice$n" status
	pn_expect "alice$n" status ".calls[0].rtp.packets_received > 50"
	pn_expect "alice$n" call_stats ".final == false and .rtp.rtcp_received > 0"
	pn_cmd "alice$n" hangup
	pn_expect "alice$n" call_stats '.final == true'
	pn_expect "bob$n" call_stats '.final == true'
	pn_expect "bob$n" call_ended '.by == "remote"'
	pn_stop "alice$n" || note_fail "alice exited non-zero"
	pn_stop "bob$n" || note_fail "bob exited non-zero"
	for who in alice bob; do
		log "$who final: $(pn_grep "$who$n" call_stats '.final' | jq -c .rtp)"
		pn_grep "$who$n" call_stats '.final and .rtp.packets_lost == 0 and .rtp.dropped_malformed == 0 and .rtp.dropped_source == 0' | grep -q . ||
			note_fail "$who: $codec call had loss or dropped packets"
	done
	a=$("$WAVCMP" "$T/wav/a-$rate.wav" "$T/wav/bob-$codec.wav") || note_fail "$codec: bob's recording unusable"
	b=$("$WAVCMP" "$T/wav/b-$rate.wav" "$T/wav/alice-$codec.wav") || note_fail "$codec: alice's recording unusable"
	log "FIGURES $codec alice->bob: $a"
	log "FIGURES $codec bob->alice: $b"
	if ! realtime; then
		log "$codec: quality not judged (the phones cannot keep real time here)"
		return
	fi
	for r in "$a" "$b"; do
		snr=$(sed -n 's/.*snr_db=\([-0-9.]*\).*/\1/p' <<<"$r")
		corr=$(sed -n 's/.*corr=\([-0-9.]*\) .*/\1/p' <<<"$r")
		if [ "$codec" = opus ]; then
			awk -v c="$corr" 'BEGIN { exit !(c >= 0.9) }' ||
				note_fail "$codec: correlation $corr < 0.9"
		else
			awk -v s="$snr" 'BEGIN { exit !(s >= 30) }' ||
				note_fail "$codec: SNR $snr dB < 30"
		fi
	done
}

one_call pcmu 8000 1
one_call pcma 8000 2
one_call opus 48000 3
pn_done
