#!/bin/bash
# inv_491.sh - glare on hold (sipp/inv_491.xml).  After the call is up the
# test sends hold; the re-INVITE (a=sendonly or a=inactive) gets 491
# Request Pending.  Checks: the phone ACKs the 491 and re-sends the
# re-INVITE after 2.1..4 s (RFC 3261 14.1, the caller owns the Call-ID;
# measured by sipp, 2.0..4.5 s accepted), reports call_held, then resume
# (sendrecv re-INVITE) gives call_resumed, hangup gives BYE and call_ended
# by local; sipp passes; quit exits 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=22000
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start uas inv_491.xml "$(port 0)"
pn_conf_std "$T/alice.conf" 10 20
pn_start alice "$T/alice.conf"
pn_expect alice ready

pn_cmd alice "dial sip:bob@127.0.0.1:$(port 0)"
pn_expect alice call_established '.codec == "pcmu"'
pn_cmd alice "hold"
if ! pn_wait alice call_held true 10 >/dev/null; then
	n=$(sipp_count_requests uas INVITE)
	fail "no call_held within 10 s of hold ($n INVITEs reached sipp: 3 expected, the initial one, the one refused with 491 and its retry)"
fi
grep -h 're-INVITE retried' "$T/uas.log" >&2
pn_cmd alice "resume"
pn_expect alice call_resumed
pn_cmd alice "hangup"
pn_expect alice call_ended '.by == "local"'
sipp_expect uas
pn_stop alice || fail "pnphone did not exit 0 after quit"
pn_done
