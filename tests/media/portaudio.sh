#!/bin/bash
# portaudio.sh - pnphone's portaudio devices (media/audio.c: portaudio's
# callback thread, the SPSC rings, speexdsp resampling) without a sound
# card, one host API after the other (never side by side: the first spins
# a core, the second is a real-time clock).
#
# ALSA (a smoke test): bob's audio.source and audio.sink are ALSA's null
# plugin (pcm.pnnull in a private HOME/.asoundrc: the user's ALSA setup is
# never read), bob under valgrind when it is installed (the options below
# also when PN_WRAPPER is a valgrind).  `devices` lists pnnull; alice calls with PCMU; the call says
# audio:true, bob reports no error, sends and receives, and quits with 0
# and no valgrind error: the device opens, runs on portaudio's thread and
# closes.  The null plugin has no clock (portaudio's threads spin on it:
# the call is short) and never writes its capture buffer, so nothing
# about the sound is measured, and memcheck runs without undefined-value
# tracking (alsa-lib also branches on stack bytes it never set while it
# negotiates); bad reads and writes, use after free and leaks are errors.
#
# JACK: a private server on its dummy backend, a clocked virtual card (no
# realtime, synchronous mode, its own server name, stopped by PID).  alice
# plays a test signal from a file and records what she hears; bob answers
# on the JACK device, whose output port is connected to its own input
# port, so what alice sends comes back to her through bob's jitter
# buffer, his sink resampler, the playback ring, portaudio's callback
# thread, the capture ring and his source resampler.
#   1. JACK at 44.1 kHz: `devices` lists the JACK device; a PCMU call
#      (8000 <-> 44100 Hz) comes back with wavcmp corr >= 0.9.
#   2. JACK at 192 kHz: an Opus call (48000 <-> 192000 Hz: a 20 ms frame
#      is 3840 device samples) comes back with corr >= 0.9.
#   A call whose sound misses the bar while bob counted glitches of the
#   card (a busy host) is made once more; a second such failure fails.
#   In both, bob reports no error, says audio:true, his final call_stats
#   show packets both ways and count the card's underruns and overruns
#   (alice's file devices: none), and he exits 0 (the streams close
#   cleanly).
#   3. The JACK server dies during a call: bob's call still ends when
#      alice hangs up, he answers status and quits with 0 (portaudio's
#      JACK host API would block the loop for 10 minutes in
#      Pa_StopStream).
# Under valgrind or emulation the sound must come back but its quality is
# not judged; under valgrind, in 3. leaks are not errors (the dead stream
# is left unclosed on purpose).  PN_JACK_NOLOOP=1 leaves the ports
# unconnected: the test then fails (alice hears silence), which shows
# that the check can fail.  PN_BOB_WRAPPER replaces bob's valgrind in the ALSA part
# (" ": none; an ASan build of the phone runs without it anyway).  Skips
# only when jackd is missing or cannot start here.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=31000
. "$top_srcdir/tests/interop/lib.sh"
need python3
WAVCMP=$top_builddir/tests/media/wavcmp
[ -x "$WAVCMP" ] || { log "ERROR: $WAVCMP is not built"; exit 99; }
mkdir -p "$T/wav" "$T/home"
CALL_S=${PN_AUDIO_SECONDS:-4}

# ALSA and JACK read their configuration from HOME: a private one.
export HOME=$T/home
# A JACK server of our own: never a user's, never one started behind our
# back (portaudio probes JACK in the ALSA part too).
export JACK_DEFAULT_SERVER="pnphone-test-$$"
export JACK_NO_START_SERVER=1
# A client whose server died leaves its semaphore in /dev/shm: ours go
# with the test, whatever way it ends (the status stays pn_cleanup's).
trap 'rc=$?; rm -f /dev/shm/jack_sem.*_"$JACK_DEFAULT_SERVER"_*; (exit $rc); pn_cleanup' EXIT

alice_uri="sip:alice@127.0.0.1:$(port 10)"
bob_uri="sip:bob@127.0.0.1:$(port 11)"

# ---------------------------------------------------------------- ALSA

# The pnnull PCM exists only for this part: the JACK part runs under a
# full memcheck (PN_WRAPPER) without alsa-lib's noise.
alsa_smoke() {
	local wrap=$PN_WRAPPER
	# not under an AddressSanitizer build: the two cannot run together;
	# nor under emulation, where valgrind did not start bob in 30 s
	if [ -z "$PN_EMULATED" ] &&
		{ [ -z "$wrap" ] || [ "${wrap%% *}" = valgrind ]; } &&
		command -v valgrind >/dev/null 2>&1 &&
		! grep -qa __asan_init "$PNPHONE"; then
		wrap="valgrind -q --fair-sched=yes --error-exitcode=99 --undef-value-errors=no --leak-check=full --errors-for-leak-kinds=definite --suppressions=$top_srcdir/tests/valgrind.supp"
	fi
	wrap=${PN_BOB_WRAPPER:-$wrap}
	printf 'pcm.pnnull {\n\ttype null\n}\n' >"$HOME/.asoundrc"
	python3 "$top_srcdir/tests/media/gensig.py" "$T/wav/a-8000.wav" 8000 2 1
	pn_conf_std "$T/alice.conf" 10 20 "account.aor=$alice_uri" \
		"call.codecs=pcmu" "audio.source=file:$T/wav/a-8000.wav" \
		"audio.sink=null" "rtp.rtcp_interval=1" "push.listen="
	pn_conf_std "$T/bob.conf" 11 30 "account.aor=$bob_uri" \
		"call.auto_answer=on" "audio.source=portaudio:pnnull" \
		"audio.sink=portaudio:pnnull" "audio.ring=null" \
		"rtp.rtcp_interval=1" "push.listen="
	pn_start alice0 "$T/alice.conf"
	PN_WRAPPER=$wrap pn_start bob0 "$T/bob.conf"
	pn_expect alice0 ready
	pn_expect bob0 ready 30
	pn_cmd bob0 devices
	pn_expect bob0 devices '.devices | map(select(.name == "pnnull" and .api == "ALSA" and .inputs >= 1 and .outputs >= 1)) | length == 1' 30
	pn_cmd alice0 "dial $bob_uri"
	pn_expect alice0 call_established '.codec == "pcmu" and .audio == true' 30
	pn_expect bob0 call_established '.codec == "pcmu" and .audio == true' 30
	sleep 2
	pn_cmd alice0 hangup
	pn_expect alice0 call_stats '.final == true'
	pn_expect bob0 call_stats '.final == true' 30
	pn_expect bob0 call_ended '.by == "remote"' 30
	pn_stop alice0 || note_fail "alice exited non-zero"
	pn_stop bob0 60 || note_fail "ALSA: bob exited non-zero (99: a valgrind error, see bob0.err)"
	log "ALSA: bob final: $(pn_grep bob0 call_stats '.final' | jq -c .rtp)"
	pn_grep bob0 call_stats '.final and .rtp.packets_sent > 25 and .rtp.packets_received > 25' | grep -q . ||
		note_fail "ALSA: bob's call did not carry packets both ways"
	if [ "$(pn_count bob0 error)" != 0 ]; then
		note_fail "ALSA: bob reported errors: $(pn_grep bob0 error | jq -c .message)"
	fi
	rm -f "$HOME/.asoundrc"
}

# ---------------------------------------------------------------- JACK

# jack_start RATE PERIOD: a dummy sound card of one input and one output,
# clocked in real time, about 5 ms a period.  Synchronous mode (-S): a
# cycle that a loaded machine runs bob's callback late in is waited for,
# not played without it (that would cut the looped sound in a way no
# phone could help: non-realtime threads on shared cores); the dummy's
# clock then slips, which bob's rings absorb as they would a card's drift.
jack_start() {
	local rate=$1 period=$2 n=${jack_n:-0}
	jack_n=$((n + 1))
	jackd --no-realtime -S -n "$JACK_DEFAULT_SERVER" -d dummy \
		-r "$rate" -p "$period" -w $((period * 1000000 / rate)) \
		-C 1 -P 1 </dev/null >"$T/jackd$n.log" 2>&1 &
	PN_PID[jackd]=$!
	PN_PIDS+=("$!")
	log "started jackd (pid $!) as $JACK_DEFAULT_SERVER: dummy, $rate Hz, $period frames"
	if ! timeout 10 jack_wait -s "$JACK_DEFAULT_SERVER" -w -t 5 \
		>"$T/jack_wait.log" 2>&1; then
		alive jackd && fail "jackd runs but does not answer"
		log "jackd: $(tr '\n' ' ' <"$T/jackd$n.log")"
		[ "$PN_FAILED" = 1 ] && fail "the ALSA part failed; jackd cannot start here"
		skip "jackd cannot start here (see its output above)"
	fi
}

jack_stop() {
	local rc
	kill -TERM "${PN_PID[jackd]}" 2>/dev/null
	wait_pid_exit "${PN_PID[jackd]}" 5
	rc=$?
	log "jackd (pid ${PN_PID[jackd]}) exited with status $rc"
}

# jack_device RATE: the JACK device's name, as `devices` lists it.
jack_device() {
	local rate=$1 d
	pn_conf_std "$T/probe.conf" 12 40 "push.listen="
	pn_start probe "$T/probe.conf"
	pn_expect probe ready
	pn_cmd probe devices
	pn_expect probe devices
	d=$(pn_grep probe devices | jq -r '[.devices[] | select(.api | test("JACK"))][0].name // empty')
	[ -n "$d" ] || fail "devices does not list a JACK device: $(pn_grep probe devices)"
	pn_grep probe devices ".devices[] | select(.name == \"$d\" and .inputs >= 1 and .outputs >= 1 and .rate == $rate)" | grep -q . ||
		note_fail "the JACK device $d lacks an input, an output or the server's rate"
	pn_stop probe || note_fail "probe exited non-zero"
	dev=$d
}

# jack_ports DIR: the first port of portaudio's JACK client (PortAudio)
# with that direction (input or output).
jack_ports() {
	jack_lsp -p PortAudio | awk -v dir="$1" '
		/^[^ \t]/ { port = $0; next }
		/properties:/ && port != "" && index($0, dir) { print port; port = "" }'
}

# loop_ports: connect bob's output port to his input port.
loop_ports() {
	local out in deadline
	deadline=$(( $(now_ms) + PN_TIMEOUT * 1000 ))
	while :; do
		out=$(jack_ports output | head -n 1)
		in=$(jack_ports input | head -n 1)
		[ -n "$out" ] && [ -n "$in" ] && break
		[ "$(now_ms)" -ge "$deadline" ] &&
			fail "bob's portaudio ports do not appear in JACK: $(jack_lsp | tr '\n' ' ')"
		sleep 0.1
	done
	if [ "${PN_JACK_NOLOOP:-0}" = 1 ]; then
		log "PN_JACK_NOLOOP=1: $out and $in left unconnected"
		return 0
	fi
	jack_connect "$out" "$in" || fail "jack_connect $out $in"
	log "connected $out -> $in"
}

# phones N CODEC RATE: alice (file devices, her signal at RATE) and bob
# (the JACK device), started; the configuration says CODEC.  Their
# jitter buffers keep at least 100 ms: on a loaded machine a buffer that
# shrinks or grows cuts the sound as well, and that is not what is
# measured here (tests/media/test_jbuf.c and audio_impaired.sh are).
phones() {
	local n=$1 codec=$2 rate=$3
	python3 "$top_srcdir/tests/media/gensig.py" "$T/wav/a-$rate.wav" "$rate" 3 1
	pn_conf_std "$T/alice.conf" 10 20 "account.aor=$alice_uri" \
		"call.codecs=$codec" "audio.source=file:$T/wav/a-$rate.wav" \
		"audio.sink=file:$T/wav/alice-$codec.wav" "rtp.rtcp_interval=1" \
		"rtp.jitter_min_ms=100" "push.listen="
	pn_conf_std "$T/bob.conf" 11 30 "account.aor=$bob_uri" \
		"call.auto_answer=on" "audio.source=portaudio:$dev" \
		"audio.sink=portaudio:$dev" "audio.ring=null" \
		"rtp.rtcp_interval=1" "rtp.jitter_min_ms=100" "push.listen="
	pn_start "alice$n" "$T/alice.conf"
	pn_start "bob$n" "$T/bob.conf"
	pn_expect "alice$n" ready
	pn_expect "bob$n" ready
	pn_cmd "alice$n" "dial $bob_uri"
	pn_expect "alice$n" call_established ".codec == \"$codec\" and .audio == true"
	pn_expect "bob$n" call_established ".codec == \"$codec\" and .audio == true"
}

# loop_call N CODEC RATE [LAST]: what alice sends comes back through bob's
# JACK device loop.  Returns 2, to be called again with LAST set, when the
# sound misses the bar and bob counted glitches of the card: the dummy
# backend runs without realtime priority, and on a busy host it skips
# (6 underruns and 6 overruns cost one 0.5 s segment a correlation of
# 0.61, and the call's mean 0.89).  A second glitched failure fails.
loop_call() {
	local n=$1 codec=$2 rate=$3 last=${4:-} r corr glitches
	phones "$n" "$codec" "$rate"
	loop_ports
	sleep "$CALL_S"
	pn_cmd "alice$n" hangup
	pn_expect "alice$n" call_stats '.final == true'
	pn_expect "bob$n" call_stats '.final == true'
	pn_expect "bob$n" call_ended '.by == "remote"'
	pn_stop "alice$n" || note_fail "alice exited non-zero"
	pn_stop "bob$n" || note_fail "bob exited non-zero"
	log "bob final: $(pn_grep "bob$n" call_stats '.final' | jq -c .rtp)"
	pn_grep "bob$n" call_stats '.final and .rtp.packets_sent > 100 and .rtp.packets_received > 100' | grep -q . ||
		note_fail "bob: the $codec call did not carry packets both ways"
	# the card's glitches are counted (how many depends on the machine);
	# alice's file devices have none
	pn_grep "bob$n" call_stats '.final and (.rtp.device_underruns | type) == "number" and (.rtp.device_overruns | type) == "number"' | grep -q . ||
		note_fail "bob: no device_underruns/device_overruns in call_stats"
	pn_grep "alice$n" call_stats '.final and .rtp.device_underruns == 0 and .rtp.device_overruns == 0' | grep -q . ||
		note_fail "alice: file devices with glitches: $(pn_grep "alice$n" call_stats '.final' | jq -c '.rtp | {device_underruns, device_overruns}')"
	if [ "$(pn_count "bob$n" error)" != 0 ]; then
		note_fail "bob reported errors: $(pn_grep "bob$n" error | jq -c .message)"
	fi
	if ! r=$("$WAVCMP" "$T/wav/a-$rate.wav" "$T/wav/alice-$codec.wav"); then
		note_fail "$codec: alice's recording is unusable ($r)"
		return
	fi
	log "FIGURES $codec alice->bob(jack loop)->alice: $r"
	if ! realtime; then
		log "under valgrind or emulation the phones are too slow for a real-time sound card: the sound came back, its quality is not judged"
		return
	fi
	corr=$(sed -n 's/.*corr=\([-0-9.]*\) .*/\1/p' <<<"$r")
	awk -v c="$corr" 'BEGIN { exit !(c >= 0.9) }' && return 0
	glitches=$(pn_grep "bob$n" call_stats '.final' |
		jq '.rtp.device_underruns + .rtp.device_overruns' | head -n 1)
	if [ -z "$last" ] && [ "${glitches:-0}" -gt 0 ]; then
		log "$codec: correlation $corr < 0.9 with $glitches glitches of the card: the call once more"
		return 2
	fi
	note_fail "$codec: correlation $corr < 0.9 ($glitches glitches of the card)"
}

# server_dies N: jackd is killed during a call; bob must not freeze.
# Bob leaves the dead stream unclosed on purpose (media/audio.c pa_close:
# closing it would wait 10 minutes), and with it portaudio's memory: under
# valgrind its leaks are shown but are not errors here.
server_dies() {
	local n=$1 t0 PN_WRAPPER=$PN_WRAPPER
	[ "${PN_WRAPPER%% *}" = valgrind ] &&
		PN_WRAPPER="$PN_WRAPPER --errors-for-leak-kinds=none"
	phones "$n" opus 48000
	sleep 1
	jack_stop
	sleep 0.5
	t0=$(now_ms)
	pn_cmd "alice$n" hangup
	pn_expect "bob$n" call_ended '.by == "remote"' 5
	log "bob ended the call $(( $(now_ms) - t0 )) ms after the hangup"
	pn_alive_check "bob$n"
	pn_stop "alice$n" || note_fail "alice exited non-zero"
	pn_stop "bob$n" || note_fail "bob exited non-zero after the JACK server died"
}

alsa_smoke
for tool in jackd jack_lsp jack_connect jack_wait; do
	command -v "$tool" >/dev/null 2>&1 && continue
	[ "$PN_FAILED" = 1 ] && pn_done        # the ALSA part's failure stands
	skip "$tool is not installed (tools/bootstrap installs jackd2)"
done
jack_start 44100 256
jack_device 44100
loop_call 1 pcmu 8000 || loop_call 11 pcmu 8000 last
jack_stop
jack_start 192000 1024
jack_device 192000
loop_call 2 opus 48000 || loop_call 12 opus 48000 last
server_dies 3
pn_done
