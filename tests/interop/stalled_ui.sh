#!/bin/bash
# stalled_ui.sh - a UI that stops reading the phone's events must not stop
# the phone.  pnphone's stdout is a pipe nobody reads while 6,000 commands
# make it emit some 6,000 error lines (far more than the pipe and the
# 256 KiB event queue hold): it must still answer SIP OPTIONS and push
# HTTP requests.  Then the UI reads again: the lines kept come out whole,
# one events_dropped line counts the rest, and new events follow.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=22700
. "$top_srcdir/tests/interop/lib.sh"
need sipp curl jq

pn_conf_std "$T/p.conf" 10 20 "push.listen=127.0.0.1:$(port 46)"
mkfifo "$T/in" "$T/out" || fail "mkfifo"
exec {IN}<>"$T/in"
exec {OUT}<>"$T/out"          # held open, not read: the UI has stalled
$PN_WRAPPER "$PNPHONE" --config "$T/p.conf" --json <"$T/in" >"$T/out" 2>"$T/p.err" &
PID=$!
PN_PIDS+=("$PID")
wait_port tcp "$(port 46)" 10 || fail "the phone's push agent does not listen"

# 6,000 unknown commands, from a writer that cannot hang the test
( for i in $(seq 6000); do echo "frobnicate $i"; done >&$IN ) &
WRITER=$!
PN_PIDS+=("$WRITER")
wait_pid_exit "$WRITER" 20 >/dev/null || fail "the phone stopped reading its commands"
sleep 1
kill -0 "$PID" 2>/dev/null || fail "the phone died"

(cd "$T" && sipp -sf "$IDIR/sipp/uac_options.xml" "127.0.0.1:$(port 10)" \
	-nostdin -m 1 -i 127.0.0.1 -p "$(port 2)" -mp "$(port 58)" \
	-timeout 5s -timeout_error) </dev/null >"$T/options.screen" 2>&1 ||
	note_fail "with its UI stalled, the phone does not answer OPTIONS"
code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' \
	"http://127.0.0.1:$(port 46)/nothing")
[ "$code" = 403 ] || note_fail "with its UI stalled, the push agent answers '$code'"

# the UI reads again
timeout 10 cat <&$OUT >"$T/read.out" &
READER=$!
PN_PIDS+=("$READER")
sleep 1
echo status >&$IN
sleep 1
echo quit >&$IN
wait_pid_exit "$PID" 10 >/dev/null || note_fail "the phone did not quit"
exec {OUT}>&-
wait "$READER" 2>/dev/null
lines=$(wc -l <"$T/read.out")
bad=$(jq -R 'fromjson? | select(type == "object") | .event' "$T/read.out" 2>/dev/null |
	wc -l)
errors=$(grep -c '"event":"error"' "$T/read.out")
dropped=$(jq -r 'fromjson? | select(.event == "events_dropped") | .count' \
	-R "$T/read.out" | head -n 1)
log "FIGURES read back $lines lines ($errors error events), events_dropped count ${dropped:-none}"
[ "$bad" = "$lines" ] || note_fail "$((lines - bad)) lines read back are not whole JSON objects"
[ -n "$dropped" ] && [ "$dropped" -gt 0 ] || note_fail "no events_dropped line"
# the 6,000 errors and the push agent's push_rejected for the curl
# request, which came while the queue was full
rejected=$(grep -c '"event":"push_rejected"' "$T/read.out")
[ $((errors + rejected + ${dropped:-0})) = 6001 ] ||
	note_fail "kept $errors + $rejected, dropped ${dropped:-0}: not 6001 lines"
after=$(jq -R -r 'fromjson? | .event' "$T/read.out" |
	sed -n '/^events_dropped$/,$p' | grep -c '^status$')
[ "$after" -ge 1 ] || note_fail "no status event after the drop note"
pn_done
