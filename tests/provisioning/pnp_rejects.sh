#!/bin/bash
# pnp_rejects.sh - NOTIFYs the phone must refuse, and nobody answering.
# Each case has a last good file in place; the phone answers the NOTIFY
# with the right code and an event that says why, waits out the 5 s
# window, registers the last good account, and keeps the file untouched:
# another Call-ID (481), another content type (415), an empty body (400),
# a garbage URL (400), a file: URL (400).  Nobody answering: the
# SUBSCRIBE is sent at 0, 0.5, 1.5 and 3.5 s, pnp_timeout comes after
# 5 s and the phone goes on.  Two responders: one URL is taken.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/provisioning/lib.sh"

kam_start "$KAM_PORT"
http_start
seed_last_good

failure_case callid wrong-callid "http://127.0.0.1:8088/good.cfg" \
	pnp_notify_rejected '.code == 481'
failure_case ctype wrong-ctype "http://127.0.0.1:8088/good.cfg" \
	pnp_notify_rejected '.code == 415'
failure_case empty empty-body "http://127.0.0.1:8088/good.cfg" \
	pnp_notify_rejected '.code == 400'
failure_case garbage ok-then-notify "not a url" \
	pnp_notify_rejected '.code == 400'
failure_case fileurl ok-then-notify "file:///etc/passwd" \
	pnp_notify_rejected '.code == 400 and (.reason | test("tftp, http"))'

log "---- case nobody answers"
responder_start quiet "http://127.0.0.1:8088/good.cfg" no-reply
pn_start nobody "$T/phone.conf"
# the window is timed from the first send, not from the process start
# (which PN_WRAPPER=valgrind makes slow)
pn_expect nobody pnp_discovering '' 15
t0=$(now_ms)
pn_expect nobody pnp_timeout '' 8
el=$(( $(now_ms) - t0 ))
[ "$el" -ge 4700 ] && [ "$el" -lt 7000 ] || note_fail "pnp_timeout ${el} ms after pnp_discovering, not 5 s"
expect_registered nobody
times=$(awk '/^=== .* to group/{print $2}' "$T/quiet.log")
n=$(wc -l <<<"$times")
[ "$n" = 4 ] || note_fail "$n SUBSCRIBEs sent in the window, not 4 (0, 0.5, 1.5, 3.5 s)"
gaps=$(awk 'NR == 1 {f = $1} NR > 1 {printf "%.2f ", $1 - f}' <<<"$times")
# timer E: +0.5, 1.5, 3.5 s after the first; 0.2 s of slack for a loaded
# machine (or valgrind)
awk -v g="$gaps" 'BEGIN { n = split(g, a, " "); split("0.5 1.5 3.5", w, " ");
	if (n != 3) exit 1
	for (i = 1; i <= 3; i++) if (a[i] < w[i] - 0.05 || a[i] > w[i] + 0.2) exit 1 }' ||
	note_fail "SUBSCRIBE sent at +$gaps s, not +0.5 1.5 3.5 s"
pn_stop nobody || note_fail "nobody: phone did not exit cleanly"
stop quiet

log "---- case two responders"
# A provisioned file is the whole provisioned configuration: each server
# sends the account with its own display name.
for n in one two; do
	account_file "$T/www/$n.cfg"
	printf 'account.display_name = %s\n' "$n" >>"$T/www/$n.cfg"
done
responder_start one "http://127.0.0.1:8088/one.cfg"
responder_start two "http://127.0.0.1:8088/two.cfg"
pn_start both "$T/phone.conf"
pn_expect both provisioned '.changed == ["account.display_name", "provisioning.url"]'
# registered on the last good file, then again after the live apply
pn_wait_after both provisioned registered '.code == 200' 10 ||
	note_fail "both: not registered again after the new file"
sleep 0.5
[ "$(pn_count both pnp_notify)" = 1 ] || note_fail "more than one NOTIFY taken"
[ "$(pn_count both provisioned)" = 1 ] || note_fail "provisioned more than once"
pn_stop both || note_fail "both: phone did not exit cleanly"
pn_done
